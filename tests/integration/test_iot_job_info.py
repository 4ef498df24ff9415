"""iotops.aws.iot_job_info in real playbooks against the local endpoint."""

from __future__ import annotations

import pytest

from helpers import SECRET_KEY
from local_endpoint import device

COUNT_KEYS = ("number_of_queued_things", "number_of_in_progress_things", "number_of_succeeded_things",
              "number_of_failed_things", "number_of_rejected_things", "number_of_removed_things",
              "number_of_canceled_things", "number_of_timed_out_things")


def info_task(name="describe", **options):
    options.setdefault("job_id", "fw")
    return {"name": name, "iotops.aws.iot_job_info": options, "register": "found"}


def counts(job):
    return {key: job["job_process_details"][key] for key in COUNT_KEYS}


@pytest.mark.smoke
def test_counts_follow_the_devices(iot, playbook, monkeypatch):
    # The fleet's clock stands still until the test moves it, however long
    # the first play takes.
    now = [0.0]
    monkeypatch.setattr(iot.fleet, "clock", lambda: now[0])
    iot.fleet.create_job("fw", things=["dev-1", "dev-2", "dev-3"],
                         devices={"dev-2": device("FAILED", start=0.0, finish=30.0)},
                         default=device("SUCCEEDED", start=0.0, finish=30.0))

    early = playbook([info_task()]).result("describe")

    # A minute later for the fleet, without waiting for it.
    now[0] = 60.0
    late = playbook([info_task()]).result("describe")

    assert early["changed"] is False
    (before,) = early["jobs"]
    (after,) = late["jobs"]
    assert before["status"] == "IN_PROGRESS"
    assert before["completed_at"] is None
    assert counts(before) == dict.fromkeys(COUNT_KEYS, 0) | {"number_of_in_progress_things": 3}
    assert after["status"] == "COMPLETED"
    assert after["completed_at"]
    assert counts(after) == dict.fromkeys(COUNT_KEYS, 0) | {"number_of_succeeded_things": 2, "number_of_failed_things": 1}
    assert after["job_process_details"]["processing_targets"] == []


def test_every_key_and_document_parameters_verbatim(iot, playbook):
    parameters = {"firmwareVersion": "2.4.1", "Mixed_Case-key": "a b", "URL": "https://example.com/fw"}
    iot.fleet.create_job("fw", things=["dev-1"], document_parameters=parameters, retry={"FAILED": 2},
                         timeout_minutes=5)

    (job,) = playbook([info_task()]).result("describe")["jobs"]

    assert job["document_parameters"] == parameters
    assert job["job_id"] == "fw"
    assert job["job_arn"] == "arn:aws:iot:us-east-1:123456789012:job/fw"
    assert job["target_selection"] == "SNAPSHOT"
    assert job["targets"] == [iot.fleet.thing_arn("dev-1")]
    assert job["created_at"].endswith("+00:00") and job["last_updated_at"].endswith("+00:00")
    assert job["job_executions_retry_config"] == {"criteria_list": [{"failure_type": "FAILED", "number_of_retries": 2}]}
    assert job["timeout_config"] == {"in_progress_timeout_in_minutes": 5}
    for key in ("completed_at", "abort_config", "job_executions_rollout_config"):
        assert key in job
    assert set(COUNT_KEYS) <= set(job["job_process_details"])
    assert "job_executions" not in job


def test_missing_job_is_an_empty_list(iot, playbook):
    run = playbook([info_task(job_id="no-such-job", include_executions=True)])

    assert run.rc == 0, run.output
    assert run.result("describe")["jobs"] == []
    assert [call.api for call in iot.calls()] == ["DescribeJob"]


def test_include_executions_with_and_without_status(iot, playbook):
    iot.fleet.create_job("fw", things=["dev-1", "dev-2", "dev-3"],
                         devices={"dev-2": device("FAILED", start=0.0, finish=0.05)},
                         default=device("SUCCEEDED", start=0.0, finish=0.05))
    iot.fleet.settle("fw")

    run = playbook([
        info_task("all", job_id="fw", include_executions=True),
        info_task("failed", job_id="fw", include_executions=True, status="FAILED"),
        {"name": "listed", "iotops.aws.iot_job_execution_info": {"job_id": "fw"}},
    ])

    (every,) = run.result("all")["jobs"]
    (failed,) = run.result("failed")["jobs"]
    by_thing = sorted(every["job_executions"], key=lambda item: item["thing_name"])
    assert [(item["thing_name"], item["status"]) for item in by_thing] == [
        ("dev-1", "SUCCEEDED"), ("dev-2", "FAILED"), ("dev-3", "SUCCEEDED")]
    assert [(item["thing_name"], item["status"]) for item in failed["job_executions"]] == [("dev-2", "FAILED")]
    # The same items as iot_job_execution_info lists for the job.
    assert every["job_executions"] == run.result("listed")["job_executions"]
    queries = [call.query for call in iot.calls("ListJobExecutionsForJob")]
    assert "status=FAILED" in queries[1] and "status" not in queries[0]


def test_aws_group_module_defaults_apply(iot, playbook):
    iot.fleet.create_job("fw", things=["dev-1"])

    run = playbook([info_task()], env={"AWS_REGION": None},
                   module_defaults={"group/iotops.aws.aws": {"region": "us-east-1"}})

    assert [job["job_id"] for job in run.result("describe")["jobs"]] == ["fw"]


def test_check_mode_reads_the_same(iot, playbook):
    iot.fleet.create_job("fw", things=["dev-1"], default=device("SUCCEEDED", start=0.0, finish=0.05))
    iot.fleet.settle("fw")

    run = playbook([info_task(job_id="fw", include_executions=True)], check=True)

    result = run.result("describe")
    assert run.rc == 0, run.output
    assert result["changed"] is False
    assert result["jobs"][0]["job_process_details"]["number_of_succeeded_things"] == 1
    assert [item["thing_name"] for item in result["jobs"][0]["job_executions"]] == ["dev-1"]


# Task name, the module's options, how its message starts.
BAD_OPTIONS = [
    ("job id with a space", dict(job_id="fw 2.4.1"), "job_id: "),
    ("job id too long", dict(job_id="x" * 65), "job_id: "),
    ("status without executions", dict(job_id="fw", status="FAILED"), "status: "),
    ("unknown status", dict(job_id="fw", include_executions=True, status="LOST"), "value of status "),
    ("profile and keys", dict(job_id="fw", profile="ops"), "profile cannot be combined with access_key, secret_key"),
]


def test_bad_options_fail_before_any_request(iot, playbook):
    iot.fleet.create_job("fw", things=["dev-1"])
    run = playbook([dict(info_task(name, **options), ignore_errors=True) for name, options, start in BAD_OPTIONS])

    for name, options, start in BAD_OPTIONS:
        msg = run.result(name)["msg"]
        assert run.status(name) == "failed"
        assert msg.startswith(start) and "\n" not in msg
    assert iot.calls() == []


@pytest.mark.parametrize("apis, action", [
    (["DescribeJob"], "Failed to describe job fw"),
    (["ListJobExecutionsForJob"], "Failed to list the executions of job fw"),
])
@pytest.mark.smoke
def test_aws_error_is_one_line(iot, playbook, apis, action):
    iot.fleet.create_job("fw", things=["dev-1"])
    iot.set_faults(deny="AccessDeniedException", apis=apis)

    run = playbook([dict(info_task(job_id="fw", include_executions=True), ignore_errors=True)])

    msg = run.result("describe")["msg"]
    assert run.status("describe") == "failed"
    assert msg.startswith(action + ": AccessDeniedException: ")
    assert "\n" not in msg
    assert SECRET_KEY not in run.output
