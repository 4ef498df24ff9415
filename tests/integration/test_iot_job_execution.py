"""iot_job_execution in real ansible-playbook runs against the local endpoint."""

from __future__ import annotations

import pytest

from helpers import advance_until, one_line, writes
from local_endpoint import device

JOB = "fw-2-4-1"


def task(name, ignore_errors=False, check_mode=None, **options):
    found = {"name": name, "iotops.aws.iot_job_execution": dict(dict(job_id=JOB, thing_name="sensor-1"), **options)}
    if ignore_errors:
        found["ignore_errors"] = True
    if check_mode is not None:
        found["check_mode"] = check_mode
    return found


@pytest.fixture
def job(iot):
    """sensor-1 and sensor-2 QUEUED; sensor-3 IN_PROGRESS for ever; sensor-4 SUCCEEDED."""
    iot.fleet.create_job(JOB, things=["sensor-1", "sensor-2", "sensor-3", "sensor-4"], devices={
        "sensor-3": device(None, start=0, finish=0),
        "sensor-4": device("SUCCEEDED", start=0, finish=0.01),
    })
    advance_until(iot, lambda: iot.fleet.execution(JOB, "sensor-4").status == "SUCCEEDED"
                  and iot.fleet.execution(JOB, "sensor-3").status == "IN_PROGRESS")
    return iot


@pytest.mark.smoke
def test_cancel_a_queued_execution_then_again_unchanged(job, playbook):
    iot = job
    run = playbook([
        task("predict", state="canceled", check_mode=True),
        task("cancel", state="canceled", status_details={"ticket": "OPS-1"}),
        task("again", state="canceled"),
    ], args=("--diff",))
    assert run.rc == 0, run.output
    predicted = run.result("predict")
    assert predicted["changed"] is True and predicted["execution"]["status"] == "QUEUED"
    canceled = run.result("cancel")
    assert canceled["changed"] is True and canceled["execution"]["status"] == "CANCELED"
    assert canceled["execution"]["status_details"] == {"details_map": {"ticket": "OPS-1"}}
    assert canceled["diff"]["before"]["status"] == "QUEUED" and canceled["diff"]["after"]["status"] == "CANCELED"
    again = run.result("again")
    assert again["changed"] is False and again["msg"] == "the execution of job {0!r} on 'sensor-1' is already canceled".format(JOB)
    assert writes(iot) == ["CancelJobExecution"]


def test_check_mode_sends_no_write(job, playbook):
    iot = job
    number = iot.fleet.execution(JOB, "sensor-4").execution_number
    before = len(iot.calls())
    run = playbook([
        task("cancel", state="canceled", thing_name="sensor-3", force=True),
        task("delete", state="absent", thing_name="sensor-4", execution_number=number),
    ], check=True)
    assert run.rc == 0, run.output
    assert [run.result(name)["changed"] for name in ("cancel", "delete")] == [True, True]
    assert writes(iot, before) == []
    assert iot.fleet.execution(JOB, "sensor-3").status == "IN_PROGRESS"


def test_an_execution_in_progress_needs_force(job, playbook):
    iot = job
    run = playbook([
        task("without force", thing_name="sensor-3", state="canceled", ignore_errors=True),
        task("with force", thing_name="sensor-3", state="canceled", force=True),
    ])
    assert one_line(run, "without force") == (
        "force: the execution of job {0!r} on 'sensor-3' is IN_PROGRESS: set force=true to cancel it; its device "
        "can then no longer report its status".format(JOB))
    assert run.result("with force")["execution"]["status"] == "CANCELED"
    assert writes(iot) == ["CancelJobExecution"]


def test_a_stale_expected_version_fails_with_aws_version_conflict(job, playbook):
    iot = job
    version = iot.fleet.execution(JOB, "sensor-1").version_number
    run = playbook([
        task("predict", state="canceled", expected_version=version + 5, check_mode=True, ignore_errors=True),
        task("stale", state="canceled", expected_version=version + 5, ignore_errors=True),
        task("current", state="canceled", expected_version=version),
    ])
    assert one_line(run, "predict") == "expected_version: the execution of job {0!r} on 'sensor-1' is at version {1}, not {2}".format(
        JOB, version, version + 5)
    stale = run.result("stale")
    assert one_line(run, "stale").startswith("CancelJobExecution failed for job {0!r} on 'sensor-1': VersionConflictException".format(JOB))
    assert stale["error"]["code"] == "VersionConflictException" and stale["response_metadata"]["request_id"]
    assert run.result("current")["execution"]["status"] == "CANCELED"


def test_delete_needs_the_execution_number_and_is_idempotent(job, playbook):
    iot = job
    number = iot.fleet.execution(JOB, "sensor-4").execution_number
    run = playbook([
        task("no number", thing_name="sensor-4", state="absent", ignore_errors=True),
        task("delete", thing_name="sensor-4", state="absent", execution_number=number),
        task("again", thing_name="sensor-4", state="absent", execution_number=number),
        task("queued without force", thing_name="sensor-2", state="absent", execution_number=1, ignore_errors=True),
    ], args=("--diff",))
    assert one_line(run, "no number") == "state is absent but all of the following are missing: execution_number"
    deleted = run.result("delete")
    assert deleted["changed"] is True and deleted["execution"] is None
    assert deleted["diff"] == {"before": {"status": "SUCCEEDED", "execution_number": number}, "after": {}}
    assert run.result("again")["changed"] is False
    assert one_line(run, "queued without force").startswith("force: the execution of job {0!r} on 'sensor-2' is QUEUED".format(JOB))
    assert writes(iot) == ["DeleteJobExecution"]


def test_cancel_on_a_thing_without_execution_fails_and_bad_input_sends_nothing(job, playbook):
    iot = job
    iot.fleet.ensure_things(["sensor-9"])
    before = len(iot.calls())
    run = playbook([
        task("bad details", state="canceled", ignore_errors=True,
             status_details=dict(("k{0}".format(i), "v") for i in range(11))),
        task("bad version", state="canceled", expected_version=-1, ignore_errors=True),
    ])
    assert one_line(run, "bad details") == "status_details: at most 10 pairs, got 11"
    assert one_line(run, "bad version") == "expected_version: must be 0 or more, got -1"
    assert iot.calls()[before:] == []
    run = playbook([task("no execution", thing_name="sensor-9", state="canceled", ignore_errors=True)])
    assert one_line(run, "no execution") == (
        "job_id: the execution of job {0!r} on 'sensor-9' does not exist in us-east-1 at {1}, so it cannot be "
        "canceled".format(JOB, iot.url))
    assert writes(iot) == []


def test_an_execution_deleted_between_read_and_cancel_reports_resource_not_found(job, playbook):
    iot = job
    number = iot.fleet.execution(JOB, "sensor-1").execution_number
    path = "/things/sensor-1/jobs/{0}/executionNumber/{1}".format(JOB, number)
    iot.set_faults(before_once={"CancelJobExecution": {"method": "DELETE", "path": path, "query": "force=true"}})
    run = playbook([task("cancel", state="canceled")])
    result = run.result("cancel")
    assert one_line(run, "cancel").startswith("CancelJobExecution failed for job {0!r} on 'sensor-1': ResourceNotFoundException".format(JOB))
    assert result["error"]["code"] == "ResourceNotFoundException"
    assert result["response_metadata"]["request_id"] and result["response_metadata"]["http_status_code"] == 404
