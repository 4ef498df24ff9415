"""The gate stops the rollout: with cancel_on_failure (or cancel_on_timeout)
the wait cancels the job in the round that decides, and says so.

Every device follows a fixed script: the failures are terminal the moment
their executions exist (start 0, finish 0), the devices "working" never
finish, and the devices left QUEUED never start, so each test sees the same
statuses whenever its polls land.
"""

from __future__ import annotations

import pytest

from helpers import create_job_task, wait_task
from local_endpoint.fleet import Device

QUICK_FAIL = dict(outcome="FAILED", start=0, finish=0, details={"reason": "flash write error"})
WORKING = dict(outcome=None, start=0, finish=0)  # IN_PROGRESS for good
FAILING = ["dev-0", "dev-1"]
WORKING_THINGS = ["dev-2", "dev-3"]
QUEUED_THINGS = ["dev-4", "dev-5", "dev-6"]
THINGS = FAILING + WORKING_THINGS + QUEUED_THINGS  # unscripted devices stay QUEUED
DEVICES = dict([(t, QUICK_FAIL) for t in FAILING] + [(t, WORKING) for t in WORKING_THINGS])


def statuses(iot, job_id, things):
    return dict((t, iot.fleet.execution(job_id, t).status) for t in things)


def apis(iot):
    return [call.api for call in iot.calls()]


@pytest.mark.parametrize("module_path", [False, True], ids=["action", "module"])
def test_a_threshold_failure_cancels_the_job_at_once(playbook, iot, module_path):
    run = playbook([
        create_job_task(iot, job_id="fw-bad", things=THINGS, devices=DEVICES),
        wait_task("fw-bad", module_path=module_path, max_failures=1, cancel_on_failure=True),
    ])
    result = run.result("wait")
    assert run.status("wait") == "failed" and result["verdict"] == "failed", result
    assert result["changed"] is True and result["canceled"] is True
    comment = ("Canceled by the rollout gate: 2 of 7 executions failed, over the limit (max_failures 1); "
               "executions: 2 FAILED, 2 IN_PROGRESS, 3 QUEUED")
    assert result["cancel"] == {"reason_code": "GATE_FAILED", "comment": comment, "force": False}
    assert (result["job_status"], result["reason_code"], result["comment"]) == ("CANCELED", "GATE_FAILED", comment)
    assert result["msg"].startswith("Job fw-bad: 2 of 7 executions failed, over the limit (max_failures 1)")
    assert "; the gate canceled the job (reason code GATE_FAILED)" in result["msg"]

    job = iot.fleet.backend.jobs["fw-bad"]
    assert (job.status, job.reason_code, job.comment, job.force) == ("CANCELED", "GATE_FAILED", comment, False)
    # Without force the queued executions are canceled, the working ones run on.
    assert statuses(iot, "fw-bad", QUEUED_THINGS + WORKING_THINGS) == dict(
        [(t, "CANCELED") for t in QUEUED_THINGS] + [(t, "IN_PROGRESS") for t in WORKING_THINGS])
    # In the deciding round: nothing is read between its DescribeJob and the cancel.
    calls = apis(iot)
    assert calls.count("CancelJob") == 1
    assert calls[calls.index("CancelJob") - 1] == "DescribeJob"
    assert calls.index("CancelJob") < calls.index("DescribeJobExecution")


@pytest.mark.parametrize("module_path", [False, True], ids=["action", "module"])
def test_cancel_force_cancels_the_executions_in_progress_too(playbook, iot, module_path):
    run = playbook([
        create_job_task(iot, job_id="fw-force", things=THINGS, devices=DEVICES),
        wait_task("fw-force", module_path=module_path, max_failures=1, cancel_on_failure=True, cancel_force=True,
                  cancel_reason_code="CANARY_FAILED", cancel_comment="Stopped: 2.4.2 bricks the flash"),
    ])
    result = run.result("wait")
    assert result["canceled"] is True, result
    assert result["cancel"] == {"reason_code": "CANARY_FAILED", "comment": "Stopped: 2.4.2 bricks the flash", "force": True}
    assert "; the gate canceled the job (reason code CANARY_FAILED, with force)" in result["msg"]
    job = iot.fleet.backend.jobs["fw-force"]
    assert (job.status, job.reason_code, job.comment) == ("CANCELED", "CANARY_FAILED", "Stopped: 2.4.2 bricks the flash")
    assert statuses(iot, "fw-force", QUEUED_THINGS + WORKING_THINGS) == dict.fromkeys(QUEUED_THINGS + WORKING_THINGS, "CANCELED")
    assert [iot.fleet.execution("fw-force", t).force_canceled for t in WORKING_THINGS] == [True, True]
    assert [iot.fleet.execution("fw-force", t).force_canceled for t in QUEUED_THINGS] == [False] * 3
    # The devices' own failures are untouched.
    assert statuses(iot, "fw-force", FAILING) == dict.fromkeys(FAILING, "FAILED")


def test_thing_mode_cancels_too(playbook, iot):
    run = playbook([
        create_job_task(iot, job_id="fw-canary", things=THINGS, devices=DEVICES),
        wait_task("fw-canary", thing_names=["dev-0", "dev-2"], cancel_on_failure=True),
    ])
    result = run.result("wait")
    assert result["verdict"] == "failed" and result["canceled"] is True, result
    assert result["cancel"]["comment"] == ("Canceled by the rollout gate: 1 of 2 executions failed, over the limit "
                                           "(max_failures 0); executions: 1 FAILED, 1 IN_PROGRESS")
    assert iot.fleet.backend.jobs["fw-canary"].status == "CANCELED"
    assert statuses(iot, "fw-canary", QUEUED_THINGS) == dict.fromkeys(QUEUED_THINGS, "CANCELED")


def test_a_gate_that_passes_cancels_nothing(playbook, iot):
    run = playbook([
        create_job_task(iot, job_id="fw-good", things=THINGS[:4], default=dict(outcome="SUCCEEDED", start=0, finish=0),
                        devices={"dev-0": QUICK_FAIL}),
        wait_task("fw-good", max_failures=1, cancel_on_failure=True, cancel_on_timeout=True),
    ])
    result = run.result("wait")
    assert result["verdict"] == "succeeded", result["msg"]
    assert result["changed"] is False and result["canceled"] is False and "cancel" not in result
    assert iot.calls("CancelJob") == []
    assert iot.fleet.backend.jobs["fw-good"].status == "COMPLETED"


def test_without_cancel_on_failure_the_job_goes_on(playbook, iot):
    run = playbook([
        create_job_task(iot, job_id="fw-on", things=THINGS, devices=DEVICES),
        wait_task("fw-on", max_failures=1),
    ])
    result = run.result("wait")
    assert result["verdict"] == "failed" and result["canceled"] is False and result["changed"] is False
    assert iot.calls("CancelJob") == [] and iot.fleet.backend.jobs["fw-on"].status == "IN_PROGRESS"


@pytest.mark.parametrize("module_path", [False, True], ids=["action", "module"])
def test_check_mode_says_it_would_cancel_and_does_not(playbook, iot, module_path):
    run = playbook([
        create_job_task(iot, job_id="fw-check", things=THINGS, devices=DEVICES),
        wait_task("fw-check", module_path=module_path, max_failures=1, cancel_on_failure=True),
    ], check=True)
    result = run.result("wait")
    assert run.status("wait") == "ok", result
    assert result["verdict"] == "failed" and result["changed"] is True and result["canceled"] is False
    assert result["cancel"]["reason_code"] == "GATE_FAILED"
    assert result["msg"].endswith("; check mode: would cancel the job (reason code GATE_FAILED)"), result["msg"]
    assert iot.calls("CancelJob") == []
    assert iot.fleet.backend.jobs["fw-check"].status == "IN_PROGRESS"


@pytest.mark.parametrize("module_path", [False, True], ids=["action", "module"])
def test_a_refused_cancel_says_both_failures(playbook, iot, module_path):
    iot.set_faults(deny="AccessDeniedException", apis=["CancelJob"])
    run = playbook([
        create_job_task(iot, job_id="fw-denied", things=THINGS, devices=DEVICES),
        wait_task("fw-denied", module_path=module_path, max_failures=1, cancel_on_failure=True),
    ])
    result = run.result("wait")
    assert run.status("wait") == "failed" and result["verdict"] == "failed"
    assert result["changed"] is False and result["canceled"] is False
    message = result["msg"]
    assert message.startswith("Job fw-denied: 2 of 7 executions failed, over the limit (max_failures 1)")
    assert "; the gate could not cancel the job: CancelJob failed: AccessDeniedException: " in message
    assert "\n" not in message
    assert result["error"]["code"] == "AccessDeniedException"
    assert result["response_metadata"]["http_status_code"] == 403
    assert len(iot.calls("CancelJob")) == 1
    assert iot.fleet.backend.jobs["fw-denied"].status == "IN_PROGRESS"
    assert "Traceback" not in run.output


def test_a_job_aws_already_canceled_is_not_canceled_again(playbook, iot):
    iot.fleet.create_job("fw-aborted", things=THINGS, devices=dict((t, Device.from_dict(d)) for t, d in DEVICES.items()))
    iot.fleet.cancel_job("fw-aborted", reason_code="FAILURE_THRESHOLD_EXCEEDED", comment="abortConfig")
    run = playbook([wait_task("fw-aborted", max_failures=1, cancel_on_failure=True, cancel_on_timeout=True)])
    result = run.result("wait")
    assert result["verdict"] == "failed" and result["canceled"] is False and "cancel" not in result
    assert 'the job was canceled (reason code FAILURE_THRESHOLD_EXCEEDED: "abortConfig")' in result["msg"]
    assert iot.calls("CancelJob") == []
    assert iot.fleet.backend.jobs["fw-aborted"].reason_code == "FAILURE_THRESHOLD_EXCEEDED"


def test_a_timeout_cancels_only_when_asked(playbook, iot):
    run = playbook([
        create_job_task(iot, job_id="fw-slow", things=QUEUED_THINGS),
        create_job_task(iot, job_id="fw-slow-kept", things=["late-1"]),
        wait_task("fw-slow", timeout=1.5, cancel_on_timeout=True),
        wait_task("fw-slow-kept", name="kept", timeout=1.5, cancel_on_failure=True),
    ])
    result = run.result("wait")
    assert result["verdict"] == "timed_out" and result["canceled"] is True, result
    assert result["cancel"]["reason_code"] == "GATE_TIMED_OUT"
    assert result["cancel"]["comment"] == ("Canceled by the rollout gate: timed out after 1.5 s (limit: max_failures 0); "
                                           "executions: 3 QUEUED")
    assert "; the gate canceled the job (reason code GATE_TIMED_OUT)" in result["msg"]
    assert statuses(iot, "fw-slow", QUEUED_THINGS) == dict.fromkeys(QUEUED_THINGS, "CANCELED")
    kept = run.result("kept")
    assert kept["verdict"] == "timed_out" and kept["canceled"] is False
    assert iot.fleet.backend.jobs["fw-slow-kept"].status == "IN_PROGRESS"
    assert len(iot.calls("CancelJob")) == 1


@pytest.mark.parametrize("args, message", [
    (dict(cancel_on_failure=True, cancel_reason_code="gate failed"),
     "cancel_reason_code: 'gate failed' must be 1 to 128 characters of A-Z, 0-9 and _"),
    (dict(cancel_on_failure=True, cancel_reason_code="X" * 129), "cancel_reason_code: 'XXXX"),
    (dict(cancel_on_failure=True, cancel_comment="c" * 2029), "cancel_comment: must be 1 to 2028 characters, got 2029"),
    (dict(cancel_force=True), "cancel_force: applies only with cancel_on_failure=true or cancel_on_timeout=true"),
    (dict(failure_reasons_sample=-1), "failure_reasons_sample: must be 0 (no describes) or more, got -1"),
])
def test_bad_cancel_options_fail_before_any_request(playbook, iot, args, message):
    run = playbook([wait_task("fw-any", **args)])
    result = run.result("wait")
    assert run.status("wait") == "failed" and result["msg"].startswith(message), result["msg"]
    assert iot.calls() == []
