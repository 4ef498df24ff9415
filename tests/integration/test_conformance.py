"""Every plugin against what AWS IoT Jobs does, on two emulators.

These tests run on the local endpoint in ``make integration`` and on
MiniStack in ``make conformance`` (tests/endpoints.py).  Jobs are created
with ``iot_job`` or ``CreateJob``; devices report through ``target.devices``.
Where the emulators disagree, CONTRIBUTING.md ("Conformance against
MiniStack") says which one AWS's documentation supports.
"""

from __future__ import annotations

import json

import pytest
from botocore.exceptions import ClientError

from endpoints import xfail_on_ministack
from helpers import module_task, one_line

pytestmark = pytest.mark.conformance

JOB = "fw-3-0-0"
THINGS = ["dev-1", "dev-2", "dev-3"]
DOCUMENT = {"operation": "install", "version": "3.0.0"}
REASON = {"reason": "checksum mismatch"}
# dev-2 fails, the others succeed.
ONE_FAILS = {"dev-1": "SUCCEEDED", "dev-2": ("FAILED", REASON), "dev-3": "SUCCEEDED"}


@pytest.fixture(autouse=True)
def things(target):
    """Every test's endpoint has THINGS registered."""
    target.devices.register(THINGS)


def finished_job(target, outcomes, job_id=JOB):
    """A job created with CreateJob on THINGS, its devices done as ``outcomes`` say."""
    target.devices.expect(outcomes)
    target.client().create_job(jobId=job_id, targets=[target.thing_arn(thing) for thing in THINGS],
                               document=json.dumps(DOCUMENT))
    target.devices.report(job_id)


def test_iot_job_creates_updates_cancels_and_deletes(target, target_playbook):
    create = dict(job_id=JOB, targets=THINGS, document=DOCUMENT, description="Firmware 3.0.0")
    signed = {**create, "description": "Firmware 3.0.0, signed"}
    run = target_playbook([
        module_task("iot_job", "create", **create),
        module_task("iot_job", "again", **create),
        module_task("iot_job", "describe", **signed),
        module_task("iot_job", "cancel", job_id=JOB, state="canceled", reason_code="BAD_BUILD", comment="halted"),
        module_task("iot_job", "cancel again", job_id=JOB, state="canceled", reason_code="BAD_BUILD", comment="halted"),
        module_task("iot_job", "delete", job_id=JOB, state="absent", wait=True, wait_timeout=30),
        module_task("iot_job", "delete again", job_id=JOB, state="absent"),
    ])
    assert run.rc == 0, run.output
    created = run.result("create")
    assert created["changed"] is True
    assert created["job"]["status"] == "IN_PROGRESS" and created["job"]["target_selection"] == "SNAPSHOT"
    assert created["job"]["targets"] == [target.thing_arn(thing) for thing in THINGS]
    assert run.result("again")["changed"] is False
    described = run.result("describe")
    assert described["changed"] is True and described["job"]["description"] == "Firmware 3.0.0, signed"
    canceled = run.result("cancel")
    assert canceled["changed"] is True and canceled["job"]["status"] == "CANCELED"
    assert (canceled["job"]["reason_code"], canceled["job"]["comment"]) == ("BAD_BUILD", "halted")
    assert canceled["job"]["job_process_details"]["number_of_canceled_things"] == 3
    assert run.result("cancel again")["changed"] is False
    assert run.result("delete")["changed"] is True and run.result("delete again")["changed"] is False
    with pytest.raises(ClientError, match="ResourceNotFoundException"):
        target.client().describe_job(jobId=JOB)


def test_iot_job_deletes_a_running_job_only_with_force(target, target_playbook):
    target.devices.expect({"dev-1": "IN_PROGRESS"})
    run = target_playbook([
        module_task("iot_job", "create", job_id=JOB, targets=THINGS, document=DOCUMENT),
        module_task("iot_job", "delete", job_id=JOB, state="absent", ignore_errors=True),
        module_task("iot_job", "force", job_id=JOB, state="absent", force=True, wait=True, wait_timeout=30),
    ])
    assert "force" in one_line(run, "delete")
    assert run.result("force")["changed"] is True
    with pytest.raises(ClientError, match="ResourceNotFoundException"):
        target.client().describe_job(jobId=JOB)


def test_iot_job_info_counts_what_the_devices_reported(target, target_playbook):
    finished_job(target, ONE_FAILS)
    run = target_playbook([module_task("iot_job_info", "describe", job_id=JOB, include_executions=True)])
    assert run.rc == 0, run.output
    (job,) = run.result("describe")["jobs"]
    assert job["status"] == "COMPLETED" and job["completed_at"]
    details = job["job_process_details"]
    assert (details["number_of_succeeded_things"], details["number_of_failed_things"]) == (2, 1)
    assert details["number_of_queued_things"] == details["number_of_in_progress_things"] == 0
    statuses = {item["thing_name"]: item["status"] for item in job["job_executions"]}
    assert statuses == {"dev-1": "SUCCEEDED", "dev-2": "FAILED", "dev-3": "SUCCEEDED"}
    # A job created without these settings: AWS answers {} for them (the AWS
    # CLI's describe-job example), and processingTargets is null once the
    # rollout is done (JobProcessDetails); the results say unset either way.
    described = target.client().describe_job(jobId=JOB)["job"]
    assert [described.get(name) for name in ("presignedUrlConfig", "jobExecutionsRolloutConfig", "timeoutConfig")] == [{}] * 3
    assert "processingTargets" not in described["jobProcessDetails"]
    assert job["job_executions_rollout_config"] is job["timeout_config"] is None and "presigned_url_config" not in job
    assert details["processing_targets"] == []


def test_iot_job_execution_info_and_lookup_read_the_devices_report(target, target_playbook):
    finished_job(target, ONE_FAILS)
    run = target_playbook([
        module_task("iot_job_execution_info", "failed", job_id=JOB, thing_name="dev-2"),
        module_task("iot_job_execution_info", "by thing", thing_name="dev-1"),
        {"name": "lookup", "ansible.builtin.set_fact": {
            "found": "{{ query('iotops.aws.iot_job_execution', 'dev-3', 'dev-2', job_id='" + JOB + "') }}"}},
    ])
    assert run.rc == 0, run.output
    (failed,) = run.result("failed")["job_executions"]
    assert failed["status"] == "FAILED" and failed["status_details"] == {"details_map": REASON}
    assert failed["thing_arn"] == target.thing_arn("dev-2") and failed["execution_number"] == 1
    assert [(item["job_id"], item["status"]) for item in run.result("by thing")["job_executions"]] == [
        (JOB, "SUCCEEDED")]
    found = run.result("lookup")["ansible_facts"]["found"]
    assert [(item["thing_name"], item["status"]) for item in found] == [("dev-3", "SUCCEEDED"), ("dev-2", "FAILED")]


def test_iot_job_execution_cancels_and_deletes(target, target_playbook):
    target.devices.expect({"dev-2": "IN_PROGRESS", "dev-3": "SUCCEEDED"})
    target.client().create_job(jobId=JOB, targets=[target.thing_arn(thing) for thing in THINGS],
                               document=json.dumps(DOCUMENT))
    target.devices.report(JOB)
    execution = dict(job_id=JOB, thing_name="dev-1")
    run = target_playbook([
        module_task("iot_job_execution", "cancel", state="canceled", status_details={"ticket": "OPS-1"}, **execution),
        module_task("iot_job_execution", "again", state="canceled", **execution),
        module_task("iot_job_execution", "running", job_id=JOB, thing_name="dev-2", state="canceled", ignore_errors=True),
        module_task("iot_job_execution", "forced", job_id=JOB, thing_name="dev-2", state="canceled", force=True),
        module_task("iot_job_execution", "delete", job_id=JOB, thing_name="dev-3", state="absent", execution_number=1),
    ])
    canceled = run.result("cancel")
    assert canceled["changed"] is True and canceled["execution"]["status"] == "CANCELED"
    assert canceled["execution"]["status_details"] == {"details_map": {"ticket": "OPS-1"}}
    assert run.result("again")["changed"] is False
    assert "force" in one_line(run, "running")
    assert run.result("forced")["execution"]["status"] == "CANCELED"
    assert run.result("delete")["changed"] is True
    with pytest.raises(ClientError, match="ResourceNotFoundException"):
        target.client().describe_job_execution(jobId=JOB, thingName="dev-3")


@xfail_on_ministack("MiniStack leaves out forceCanceled; the API reference (JobExecution) says it is true "
                    "when the execution was canceled with force")
def test_an_execution_canceled_with_force_says_so(target, target_playbook):
    target.devices.expect({"dev-1": "IN_PROGRESS"})
    target.client().create_job(jobId=JOB, targets=[target.thing_arn("dev-1")], document=json.dumps(DOCUMENT))
    target.devices.report(JOB)
    run = target_playbook([module_task("iot_job_execution", "forced", job_id=JOB, thing_name="dev-1",
                                       state="canceled", force=True)])
    assert run.result("forced")["execution"]["status"] == "CANCELED"
    assert target.client().describe_job_execution(jobId=JOB, thingName="dev-1")["execution"]["forceCanceled"] is True


@xfail_on_ministack("MiniStack deletes a QUEUED execution without force; the API reference (DeleteJobExecution) "
                    "allows that only for a terminal status")
def test_deleting_an_unfinished_execution_needs_force(target):
    target.client().create_job(jobId=JOB, targets=[target.thing_arn("dev-1")], document=json.dumps(DOCUMENT))
    target.devices.report(JOB)
    with pytest.raises(ClientError, match="InvalidStateTransitionException"):
        target.client().delete_job_execution(jobId=JOB, thingName="dev-1", executionNumber=1)


@xfail_on_ministack("MiniStack refuses any retry count but 0 in UpdateJob; the API reference (UpdateJob, "
                    "RetryCriteria) states no such limit: to be checked on AWS")
def test_iot_job_changes_the_retries_of_a_running_job(target, target_playbook):
    create = dict(job_id=JOB, targets=THINGS, document=DOCUMENT)
    run = target_playbook([
        module_task("iot_job", "create", retry=[{"failure_type": "FAILED", "number_of_retries": 1}], **create),
        module_task("iot_job", "more retries", retry=[{"failure_type": "FAILED", "number_of_retries": 2}], **create),
    ])
    assert run.rc == 0, run.output
    assert run.result("more retries")["changed"] is True
    assert target.client().describe_job(jobId=JOB)["job"]["jobExecutionsRetryConfig"] == {
        "criteriaList": [{"failureType": "FAILED", "numberOfRetries": 2}]}


@pytest.mark.parametrize("outcomes, verdict", [
    (dict.fromkeys(THINGS, "SUCCEEDED"), "succeeded"),
    (ONE_FAILS, "failed"),
], ids=["all-succeed", "one-fails"])
def test_the_gate_passes_or_fails_on_what_the_devices_reported(target, target_playbook, outcomes, verdict):
    finished_job(target, outcomes)
    run = target_playbook([module_task("iot_job_execution_wait", "gate", ignore_errors=True, job_id=JOB,
                                       thing_names=THINGS, sleep=1, timeout=30)])
    result = run.result("gate")
    assert result["verdict"] == verdict
    if verdict == "failed":
        assert "dev-2 FAILED" in one_line(run, "gate") and "reason=checksum mismatch" in result["msg"]
    else:
        assert run.status("gate") == "ok" and result["status_counts"] == {"SUCCEEDED": 3}
