"""iot_job_execution_wait in real ansible-playbook runs against the local endpoint."""

from __future__ import annotations

import math

import pytest

from helpers import create_job_task, ok, wait_task
from local_endpoint import device

WAIT = "iotops.aws.iot_job_execution_wait"


# In the request clock's time (the request_clock fixture): a device is still
# working at the first poll, and done a few polls later, however slowly the
# machine gets Ansible to the task.
BUSY = 3.0


def things(prefix, count):
    return ["{0}-{1}".format(prefix, index) for index in range(count)]


def test_waits_for_one_thing_named_plainly(playbook, iot, request_clock):
    request_clock()
    run = playbook([
        create_job_task(iot, job_id="fw-one", things=["dev-1"], default=ok(finish=BUSY)),
        wait_task(job_id="fw-one", thing_name="dev-1", ignore_errors=False),
    ])
    result = run.result("wait")
    assert run.rc == 0, run.output
    assert result["verdict"] == "succeeded"
    assert result["status_counts"] == {"SUCCEEDED": 1}
    assert result["polls"] >= 2, "the device was still working at the first poll"
    assert result["job_executions"][0]["thing_name"] == "dev-1"
    assert result["changed"] is False


def test_waits_for_many_things_and_records_a_timeline(playbook, iot, request_clock):
    request_clock()
    names = things("dev", 5)
    devices = {name: ok(finish=BUSY + 0.3 * index) for index, name in enumerate(names)}
    run = playbook([
        create_job_task(iot, job_id="fw-many", things=names, devices=devices),
        wait_task(job_id="fw-many", thing_names=names, ignore_errors=False),
    ])
    result = run.result("wait")
    assert run.rc == 0, run.output
    assert result["status_counts"] == {"SUCCEEDED": 5}
    assert [item["thing_name"] for item in result["job_executions"]] == names
    assert result["timeline"][-1]["counts"] == {"SUCCEEDED": 5}
    assert any(sample["counts"].get("SUCCEEDED", 0) < 5 for sample in result["timeline"])


@pytest.mark.smoke
def test_a_failure_fails_the_task_with_the_devices_reason(playbook, iot):
    names = things("dev", 3)
    run = playbook([
        create_job_task(iot, job_id="fw-bad", things=names, default=ok(finish=0.8),
                        devices={"dev-1": ok("FAILED", finish=0.6, details={"reason": "checksum mismatch", "fwStage": "verify"})}),
        wait_task(job_id="fw-bad", thing_names=names),
    ])
    result = run.result("wait")
    assert run.status("wait") == "failed"
    assert result["verdict"] == "failed"
    assert "dev-1 FAILED" in result["msg"] and "reason=checksum mismatch" in result["msg"]
    assert "\n" not in result["msg"]
    failed = [item for item in result["job_executions"] if item["status"] == "FAILED"]
    assert failed[0]["status_details"]["details_map"] == {"reason": "checksum mismatch", "fwStage": "verify"}


def test_times_out_naming_what_is_still_pending(playbook, iot):
    run = playbook([
        create_job_task(iot, job_id="fw-stuck", things=["dev-1", "dev-2"],
                        default=ok(finish=0.3), devices={"dev-2": {"outcome": None, "start": 0.2}}),
        wait_task(job_id="fw-stuck", thing_names=["dev-1", "dev-2"], timeout=2, sleep=0.5),
    ])
    result = run.result("wait")
    assert result["verdict"] == "timed_out"
    assert "timed out after 2 s" in result["msg"] and "pending: dev-2" in result["msg"]
    assert 2 <= result["elapsed"] < 2 + 5


def test_check_mode_polls_once_and_does_not_fail_on_status(playbook, iot):
    run = playbook([
        create_job_task(iot, job_id="fw-check", things=["dev-1", "dev-2"],
                        devices={"dev-1": ok("FAILED", start=0, finish=0), "dev-2": {"outcome": None, "start": 0}}),
        {"name": "settle", "ansible.builtin.pause": {"seconds": 1}},
        wait_task(job_id="fw-check", thing_names=["dev-1", "dev-2"], timeout=600, ignore_errors=False),
    ], check=True)
    result = run.result("wait")
    assert run.rc == 0, run.output
    assert result["polls"] == 1 and result["elapsed"] < 10
    assert result["verdict"] == "failed"
    assert result["status_counts"] == {"FAILED": 1, "IN_PROGRESS": 1}
    assert result["changed"] is False
    assert result["msg"].startswith("Job fw-check: 1 of 2 executions failed")


def test_fail_on_empty_only_reports(playbook, iot):
    run = playbook([
        create_job_task(iot, job_id="fw-report", things=["dev-1", "dev-2"], default=ok(finish=0.6),
                        devices={"dev-2": ok("REJECTED", finish=0.4)}),
        wait_task(job_id="fw-report", thing_names=["dev-1", "dev-2"], fail_on=[], ignore_errors=False),
    ])
    result = run.result("wait")
    assert run.rc == 0, run.output
    assert result["verdict"] == "succeeded"
    assert result["status_counts"] == {"SUCCEEDED": 1, "REJECTED": 1}


@pytest.mark.parametrize("limit, passes", [
    ({"max_failures": 2}, True),
    ({"max_failures": 1}, False),
    ({"max_failure_percent": 40}, True),
    ({"max_failure_percent": 39}, False),
])
def test_failure_limits(playbook, iot, limit, passes):
    names = things("dev", 5)
    failing = {name: ok("FAILED", finish=0.4) for name in names[:2]}
    run = playbook([
        create_job_task(iot, job_id="fw-limit", things=names, default=ok(finish=0.8), devices=failing),
        wait_task(job_id="fw-limit", thing_names=names, **limit),
    ])
    result = run.result("wait")
    assert result["verdict"] == ("succeeded" if passes else "failed"), result["msg"]


def test_fails_fast_without_waiting_for_the_rest(playbook, iot, request_clock):
    request_clock()
    names = things("dev", 4)
    run = playbook([
        create_job_task(iot, job_id="fw-fast", things=names, default=ok(finish=60),
                        devices={"dev-3": ok("TIMED_OUT", finish=0.5)}),
        wait_task(job_id="fw-fast", thing_names=names, timeout=120),
    ])
    result = run.result("wait")
    assert result["verdict"] == "failed"
    assert result["elapsed"] < 15
    assert "dev-3 TIMED_OUT" in result["msg"] and "3 still pending" in result["msg"]


def test_a_missing_job_fails_at_once(playbook, iot):
    run = playbook([wait_task(job_id="no-such-job", thing_names=["dev-1"], timeout=300)])
    result = run.result("wait")
    assert run.status("wait") == "failed"
    assert result["msg"] == "Job no-such-job does not exist in us-east-1 at {0}".format(iot.url)
    assert [call.api for call in iot.calls()] == ["DescribeJob"]


def test_an_execution_that_appears_late_is_waited_for(playbook, iot, request_clock):
    request_clock()
    run = playbook([
        create_job_task(iot, job_id="fw-late", things=["dev-1", "dev-2"], default=ok(finish=0.3),
                        devices={"dev-2": ok(finish=0.3, appear=BUSY)}),
        wait_task(job_id="fw-late", thing_names=["dev-1", "dev-2"], ignore_errors=False),
    ])
    result = run.result("wait")
    assert run.rc == 0, run.output
    assert result["status_counts"] == {"SUCCEEDED": 2}
    assert any(sum(sample["counts"].values()) < 2 for sample in result["timeline"]), "dev-2 was never missing"


def test_a_thing_the_finished_job_never_targeted_fails(playbook, iot):
    iot.fleet.ensure_things(["dev-9"])  # it exists, so only the job can say it never reached it
    run = playbook([
        create_job_task(iot, job_id="fw-done", things=["dev-1"], default=ok(start=0, finish=0)),
        {"name": "settle", "ansible.builtin.pause": {"seconds": 1}},
        wait_task(job_id="fw-done", thing_names=["dev-1", "dev-9"], timeout=300),
    ])
    result = run.result("wait")
    assert result["verdict"] == "failed" and result["elapsed"] < 10
    assert "dev-9 never got an execution" in result["msg"]


def test_a_timeout_shorter_than_the_default_sleep_needs_no_sleep(playbook, iot):
    iot.fleet.create_job("fw-short", things=["dev-1"], default=device(start=0, finish=0))
    iot.fleet.advance()
    run = playbook([{"name": "wait", WAIT: {"job_id": "fw-short", "thing_names": ["dev-1"], "timeout": 2}}])
    assert run.rc == 0, run.output
    assert run.result("wait")["verdict"] == "succeeded"


def test_a_thing_that_does_not_exist_fails_before_the_wait(playbook, iot):
    # dev-2 exists and has no execution yet: it is waited for, not refused.
    iot.fleet.ensure_things(["dev-2"])
    iot.fleet.create_job("fw-typo", things=["dev-1"], default=device(outcome=None))
    run = playbook([wait_task(job_id="fw-typo", thing_names=["dev-1", "dev-2", "no-such-thing"], timeout=3600,
                              ignore_errors=True)], timeout=120)
    result = run.result("wait")
    assert run.status("wait") == "failed"
    assert result["msg"] == "Job fw-typo: thing_names names things that do not exist: no-such-thing"
    # One round, then one lookup per thing without an execution.
    assert [call.api for call in iot.calls() if call.api in ("DescribeJob", "DescribeThing")] == \
        ["DescribeJob", "DescribeThing", "DescribeThing"]
    assert sorted(call.path for call in iot.calls("DescribeThing")) == ["/things/dev-2", "/things/no-such-thing"]


def test_retried_failures_are_not_final_until_retries_run_out(playbook, iot, request_clock):
    request_clock()
    recovers = ok("FAILED", finish=BUSY, details={"reason": "flash busy"},
                  retries=[ok("FAILED", finish=0.4), ok("SUCCEEDED", finish=0.4)])
    run = playbook([
        create_job_task(iot, job_id="fw-retry", things=["dev-1"], devices={"dev-1": recovers},
                        retry={"FAILED": 2}, retry_delay=1.0),
        wait_task(job_id="fw-retry", thing_names=["dev-1"], sleep=0.2, ignore_errors=False),
    ])
    result = run.result("wait")
    assert run.rc == 0, run.output
    assert result["job_executions"][0]["status"] == "SUCCEEDED"
    assert result["job_executions"][0]["execution_number"] == 3
    assert any(sample["counts"].get("FAILED") for sample in result["timeline"]), "no poll saw a failed attempt"


def test_a_failure_with_no_retry_left_is_final(playbook, iot, request_clock):
    request_clock()
    gives_up = ok("FAILED", finish=0.4, details={"reason": "flash busy"},
                  retries=[ok("FAILED", finish=0.4, details={"reason": "bad image"})])
    run = playbook([
        create_job_task(iot, job_id="fw-giveup", things=["dev-1", "dev-2"], default=ok(finish=30),
                        devices={"dev-1": gives_up}, retry={"ALL": 1}, retry_delay=0.3),
        wait_task(job_id="fw-giveup", thing_names=["dev-1", "dev-2"], sleep=0.2),
    ])
    result = run.result("wait")
    assert result["verdict"] == "failed"
    failed = result["job_executions"][0]
    assert (failed["thing_name"], failed["execution_number"], failed["retry_attempt"]) == ("dev-1", 2, 1)
    assert "dev-1 FAILED (reason=bad image)" in result["msg"]


def test_fleet_mode_on_a_thing_group_job(playbook, iot):
    members = things("sensor", 50)
    devices = {name: ok("FAILED", finish=0.8, details={"reason": "low battery"}) for name in members[:1]}
    run = playbook([
        create_job_task(iot, job_id="fw-group", groups={"canary": members},
                        default=ok(finish=1.5), devices=devices, rollout_per_minute=3000),
        wait_task(job_id="fw-group", max_failure_percent=5, sleep=0.5, ignore_errors=False),
    ])
    result = run.result("wait")
    assert run.rc == 0, run.output
    assert result["status_counts"] == {"SUCCEEDED": 49, "FAILED": 1}
    assert [item["thing_name"] for item in result["job_executions"]] == ["sensor-0"]
    assert result["job_executions"][0]["status_details"]["details_map"] == {"reason": "low battery"}
    calls = iot.calls()
    rounds = [c for c in calls if c.api == "DescribeJob"]
    assert len(rounds) == result["polls"]
    # One call a round; at the end, one list page of failures and one describe.
    assert len(calls) == result["polls"] + 2


def test_fleet_mode_waits_for_retries(playbook, iot):
    recovers = ok("TIMED_OUT", finish=0.3, retries=[ok("SUCCEEDED", finish=0.3)])
    run = playbook([
        create_job_task(iot, job_id="fw-fleet-retry", things=things("dev", 3), default=ok(finish=0.3),
                        devices={"dev-0": recovers}, retry={"TIMED_OUT": 1}, retry_delay=1.0),
        wait_task(job_id="fw-fleet-retry", sleep=0.2, ignore_errors=False),
    ])
    result = run.result("wait")
    assert run.rc == 0, run.output
    assert result["status_counts"] == {"SUCCEEDED": 3}


def test_thing_mode_calls_per_round_stay_within_budget(playbook, iot, request_clock):
    request_clock()
    names = things("dev", 300)
    run = playbook([
        create_job_task(iot, job_id="fw-budget", things=names, default=ok(finish=BUSY)),
        wait_task(job_id="fw-budget", thing_names=names, sleep=0.5, ignore_errors=False),
    ])
    result = run.result("wait")
    assert run.rc == 0, run.output
    budget = math.ceil(len(names) / 250) + 2
    assert len(iot.calls()) <= result["polls"] * budget
    assert not iot.calls("DescribeJobExecution"), "300 things must be listed, not described one by one"
    # The things are the whole job, so while they work the job's counts
    # answer: the two pages are read at the first poll and the last only.
    assert result["polls"] >= 3
    assert len(iot.calls("ListJobExecutionsForJob")) == 2 * 2


def test_throttling_is_never_read_as_a_device_failure(playbook, iot):
    names = things("dev", 6)
    iot.set_faults(throttle_rate=0.5, seed=7)
    run = playbook([
        create_job_task(iot, job_id="fw-throttle", things=names, default=ok(finish=1.0)),
        wait_task(job_id="fw-throttle", thing_names=names, sleep=0.3, timeout=60, ignore_errors=False),
    ])
    result = run.result("wait")
    assert run.rc == 0, run.output
    assert result["status_counts"] == {"SUCCEEDED": 6}
    assert any(call.fault == "throttle" for call in iot.calls())


@pytest.mark.parametrize("args, option", [
    ({"timeout": 0}, "timeout"),
    ({"sleep": 0}, "sleep"),
    ({"sleep": 700}, "sleep"),
    ({"fail_on": ["IN_PROGRESS"]}, "fail_on"),
    ({"fail_on": ["BROKEN"]}, "fail_on"),
    ({"max_failure_percent": 150}, "max_failure_percent"),
    ({"max_failures": -1}, "max_failures"),
    ({"max_failures": 1, "max_failure_percent": 5}, "max_failures"),
    ({"execution_number": 1, "thing_names": ["a", "b"]}, "execution_number"),
    ({"thing_names": ["bad name"]}, "thing_names"),
    ({"job_id": "x" * 65}, "job_id"),
])
def test_bad_input_fails_before_any_request(playbook, iot, args, option):
    args = dict({"job_id": "fw"}, **args)
    run = playbook([wait_task(**args)])
    result = run.result("wait")
    assert run.status("wait") == "failed"
    assert option in result["msg"] and "\n" not in result["msg"]
    assert iot.calls() == []
