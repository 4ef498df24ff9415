"""iot_job in real ansible-playbook runs against the local endpoint: every
state transition, check mode and diff, drift, conflicts and bad input.

Races and lost answers are scripted with the endpoint's faults
(``lose_answer_once``, ``before_once``), never left to timing.
"""

from __future__ import annotations

import json

import pytest

from helpers import SECRET_KEY, SESSION_TOKEN, one_line, package_version, writes
from local_endpoint import device

JOB = "fw-2-4-1"
DOCUMENT = {"operation": "install", "version": "2.4.1"}
ROLE = "arn:aws:iam::123456789012:role/iot-firmware-download"


def job_task(name, ignore_errors=False, **options):
    task = {"name": name, "iotops.aws.iot_job": dict(dict(job_id=JOB), **options)}
    if ignore_errors:
        task["ignore_errors"] = True
    return task


def present(name, **options):
    options.setdefault("targets", ["sensor-1"])
    options.setdefault("document", DOCUMENT)
    return job_task(name, **dict((key, value) for key, value in options.items() if value is not None))


@pytest.fixture(autouse=True)
def targets(iot):
    """Things and groups for every test here: sensor-1..3, canaries
    (canary-1, canary-2), wave-1 (wave-1a..c).  Made in the simulator, not
    through the endpoint: no request is logged."""
    iot.fleet.ensure_things(["sensor-1", "sensor-2", "sensor-3"])
    iot.fleet.ensure_group("canaries", ["canary-1", "canary-2"])
    iot.fleet.ensure_group("wave-1", ["wave-1a", "wave-1b", "wave-1c"])


@pytest.mark.smoke
def test_create_then_rerun_reports_unchanged_with_diff_and_no_secret(iot, playbook):
    run = playbook([present("create", description="Firmware 2.4.1", tags={"release": "2.4.1"}),
                    present("again", description="Firmware 2.4.1", tags={"release": "2.4.1"})],
                   args=("--diff", "-vvv"), env={"AWS_SESSION_TOKEN": SESSION_TOKEN})
    assert run.rc == 0, run.output
    created, again = run.result("create"), run.result("again")
    assert created["changed"] is True and again["changed"] is False
    job = created["job"]
    assert job["job_id"] == JOB and job["status"] == "IN_PROGRESS" and job["target_selection"] == "SNAPSHOT"
    assert job["targets"] == [iot.fleet.thing_arn("sensor-1")]
    assert set(job) >= {"job_arn", "created_at", "job_process_details", "document_parameters", "abort_config"}
    assert created["diff"]["before"] == {}
    assert created["diff"]["after"]["document"] == DOCUMENT
    assert created["diff"]["after"]["tags"] == {"release": "2.4.1"}
    assert again["diff"] == {"before": {}, "after": {}}
    assert "+++ after" in run.stdout and "Firmware 2.4.1" in run.stdout  # the --diff rendering
    assert writes(iot) == ["CreateJob"]
    assert [c.api for c in iot.calls("GetJobDocument")] and [c.api for c in iot.calls("ListTagsForResource")]
    stored = iot.client().get_job_document(jobId=JOB)["document"]
    assert json.loads(stored) == DOCUMENT
    for secret in (SECRET_KEY, SESSION_TOKEN):
        assert secret not in run.output


def create_existing(iot, job_id=JOB, **fields):
    request = dict(jobId=job_id, targets=[iot.fleet.thing_arn("sensor-1")], document=json.dumps(DOCUMENT))
    request.update(fields)
    return iot.client().create_job(**request)


def test_check_mode_predicts_every_change_and_sends_no_write(iot, playbook):
    create_existing(iot, "to-update", description="old")
    create_existing(iot, "to-cancel")
    create_existing(iot, "to-delete")
    before = len(iot.calls())
    run = playbook([
        present("create"),
        present("update", job_id="to-update", description="new", rollout={"maximum_per_minute": 20}),
        job_task("cancel", job_id="to-cancel", state="canceled", force=True),
        job_task("delete", job_id="to-delete", state="absent", force=True, wait=True),
        present("unchanged", job_id="to-update", description="old"),
    ], check=True, args=("--diff",))
    assert run.rc == 0, run.output
    assert writes(iot, before) == []
    reads = {"DescribeJob", "DescribeThing", "DescribeThingGroup", "GetJobDocument", "ListTagsForResource"}
    assert {call.api for call in iot.calls()[before:]} <= reads
    assert [run.result(task)["changed"] for task in ("create", "update", "cancel", "delete", "unchanged")] == [
        True, True, True, True, False]
    assert run.result("create")["job"] is None
    assert run.result("update")["diff"] == {"before": {"description": "old", "rollout": None},
                                            "after": {"description": "new", "rollout": {"maximum_per_minute": 20}}}
    assert run.result("cancel")["diff"]["after"] == {"status": "CANCELED"}
    assert run.result("delete")["job"]["status"] == "IN_PROGRESS"
    assert iot.client().describe_job(jobId="to-update")["job"]["description"] == "old"


def test_every_updatable_setting_is_changed_with_one_update_job(iot, playbook):
    create_existing(iot, description="old", presignedUrlConfig={"roleArn": ROLE, "expiresInSec": 600},
                    jobExecutionsRolloutConfig={"maximumPerMinute": 10},
                    abortConfig={"criteriaList": [{"failureType": "FAILED", "action": "CANCEL",
                                                   "thresholdPercentage": 50.0, "minNumberOfExecutedThings": 10}]},
                    timeoutConfig={"inProgressTimeoutInMinutes": 30},
                    jobExecutionsRetryConfig={"criteriaList": [{"failureType": "FAILED", "numberOfRetries": 1}]})
    wanted = dict(description="new", presigned_url={"role_arn": ROLE, "expires_in_sec": 900},
                  rollout={"exponential_rate": {"base_rate_per_minute": 5, "increment_factor": 2.0,
                                                "rate_increase_criteria": {"number_of_succeeded_things": 3}}},
                  abort=[{"failure_type": "ALL", "threshold_percentage": 20, "min_number_of_executed_things": 5}],
                  in_progress_timeout_minutes=60, retry=[{"failure_type": "TIMED_OUT", "number_of_retries": 2}])
    run = playbook([present("update", **wanted), present("again", **wanted)])
    assert run.rc == 0, run.output
    assert run.result("update")["changed"] is True and run.result("again")["changed"] is False
    assert writes(iot) == ["CreateJob", "UpdateJob"]  # CreateJob: the test's own
    job = run.result("update")["job"]
    assert job["description"] == "new"
    assert job["presigned_url_config"] == {"role_arn": ROLE, "expires_in_sec": 900}
    assert job["job_executions_rollout_config"]["exponential_rate"]["rate_increase_criteria"] == {
        "number_of_succeeded_things": 3}
    assert job["abort_config"]["criteria_list"][0]["failure_type"] == "ALL"
    assert job["timeout_config"] == {"in_progress_timeout_in_minutes": 60}
    assert job["job_executions_retry_config"]["criteria_list"] == [{"failure_type": "TIMED_OUT", "number_of_retries": 2}]


@pytest.mark.parametrize("options, named", [
    (dict(document={"operation": "install", "version": "2.4.2"}), "document"),
    (dict(document=None, document_source="https://s3.us-east-1.amazonaws.com/fw/fw.json"), "document_source"),
    (dict(target_selection="CONTINUOUS"), "target_selection"),
    (dict(targets=["sensor-1", "sensor-2"]), "targets"),
    (dict(scheduling={"end_time": "2099-01-01T00:00", "end_behavior": "CANCEL"}), "scheduling"),
    (dict(destination_package_versions=["arn:aws:iot:us-east-1:123456789012:package/fw/version/2.4.2"]),
     "destination_package_versions"),
    (dict(document={"v": 3}, target_selection="CONTINUOUS", targets=["sensor-2"], description="changed"),
     "document, target_selection, targets"),
], ids=["document", "document_source", "target_selection", "snapshot_targets", "scheduling", "packages", "several"])
def test_immutable_drift_fails_in_one_line_naming_every_setting_without_a_write(iot, playbook, options, named):
    create_existing(iot)
    before = len(iot.calls())
    run = playbook([present("drift", **options)])
    assert run.rc != 0
    message = one_line(run, "drift")
    assert message == "job {0!r} exists with a different {1}, which AWS cannot change: use a new job_id".format(JOB, named)
    assert writes(iot, before) == []
    assert run.result("drift")["job"]["job_id"] == JOB


def gate(name, min_executions):
    return {"name": name, "iotops.aws.iot_job_execution_wait": {
        "job_id": JOB, "max_failures": 0, "min_executions": min_executions, "timeout": 60, "sleep": 1}}


@pytest.mark.smoke
def test_continuous_job_is_extended_stage_by_stage_behind_gates(iot, playbook):
    iot.fleet.set_devices(default=device("SUCCEEDED", start=0.1, finish=0.3))
    stage = dict(target_selection="CONTINUOUS", rollout={"maximum_per_minute": 1000})
    run = playbook([
        present("canaries", targets=["canaries"], **stage),
        gate("gate canaries", 2),
        present("wave 1", targets=["canaries", "wave-1"], **stage),
        gate("gate wave 1", 5),
        present("again", targets=["canaries", "wave-1"], **stage),
        present("canaries again", targets=["canaries"], **stage),
        dict(present("drop canaries", targets=["wave-1"], purge_targets=True, **stage), ignore_errors=True),
    ])
    assert run.rc == 0, run.output
    canaries, wave = iot.fleet.group_arn("canaries"), iot.fleet.group_arn("wave-1")
    assert run.result("canaries")["job"]["targets"] == [canaries]
    assert [run.status(task) for task in ("gate canaries", "gate wave 1")] == ["ok", "ok"]
    assert run.result("wave 1")["changed"] is True
    assert run.result("wave 1")["job"]["targets"] == [canaries, wave]
    assert run.result("again")["changed"] is False
    # A rerun of the first stage's task, as when the rollout resumes: the job keeps wave-1.
    assert run.result("canaries again")["changed"] is False
    assert run.result("canaries again")["job"]["targets"] == [canaries, wave]
    assert writes(iot) == ["CreateJob", "AssociateTargetsWithJob"]
    assert one_line(run, "drop canaries") == (
        "targets: AWS cannot remove a target from a job, and 'canaries' would be removed")
    statuses = {s["thingArn"].split("/")[-1]: s["jobExecutionSummary"]["status"] for s in
                iot.client().list_job_executions_for_job(jobId=JOB)["executionSummaries"]}
    assert statuses == dict.fromkeys(["canary-1", "canary-2", "wave-1a", "wave-1b", "wave-1c"], "SUCCEEDED")


def test_tags_are_added_changed_and_purged_as_purge_tags_says(iot, playbook):
    run = playbook([
        present("create", tags={"release": "2.4.1", "team": "edge"}),
        present("add, no purge", tags={"release": "2.4.2", "owner": "ops"}, purge_tags=False),
        present("purge", tags={"owner": "ops"}),
        present("unset leaves tags alone"),
    ], args=("--diff",))
    assert run.rc == 0, run.output
    assert [run.result(t)["changed"] for t in ("create", "add, no purge", "purge", "unset leaves tags alone")] == [
        True, True, True, False]
    assert run.result("add, no purge")["diff"] == {"before": {"tags": {"release": "2.4.1"}},
                                                   "after": {"tags": {"release": "2.4.2", "owner": "ops"}}}
    assert writes(iot) == ["CreateJob", "TagResource", "UntagResource"]
    arn = run.result("create")["job"]["job_arn"]
    assert {t["Key"]: t["Value"] for t in iot.client().list_tags_for_resource(resourceArn=arn)["tags"]} == {"owner": "ops"}


def test_target_names_resolve_to_one_thing_or_group_and_never_guess(iot, playbook):
    iot.fleet.ensure_things(["ambiguous"])
    iot.fleet.ensure_group("ambiguous", [])
    run = playbook([
        present("by name", targets=["sensor-2", "canaries"]),
        dict(present("both", job_id="fw-both", targets=["ambiguous"]), ignore_errors=True),
        dict(present("neither", job_id="fw-none", targets=["sensor-1", "nobody"]), ignore_errors=True),
    ])
    assert run.result("by name")["job"]["targets"] == [iot.fleet.thing_arn("sensor-2"), iot.fleet.group_arn("canaries")]
    assert one_line(run, "both") == "targets: 'ambiguous' is both a thing and a thing group: give its ARN"
    assert one_line(run, "neither") == "targets: no thing or thing group named 'nobody'"
    assert writes(iot) == ["CreateJob"]


def test_cancel_with_reason_then_already_canceled_and_a_completed_job(iot, playbook):
    iot.fleet.create_job("done", things=["sensor-3"], default=device("SUCCEEDED", start=0, finish=0.01))
    iot.fleet.settle("done")
    run = playbook([
        present("create"),
        job_task("cancel", state="canceled", reason_code="CANARY_FAILED", comment="Canaries failed", force=True),
        job_task("again", state="canceled", reason_code="CANARY_FAILED"),
        dict(present("change a canceled job", description="new"), ignore_errors=True),
        present("same settings on a canceled job"),
        job_task("completed", job_id="done", state="canceled"),
        dict(job_task("missing", job_id="nope", state="canceled"), ignore_errors=True),
    ], args=("--diff",))
    canceled = run.result("cancel")
    assert canceled["changed"] is True and canceled["diff"] == {"before": {"status": "IN_PROGRESS"},
                                                                "after": {"status": "CANCELED"}}
    job = canceled["job"]
    assert (job["status"], job["reason_code"], job["comment"]) == ("CANCELED", "CANARY_FAILED", "Canaries failed")
    assert run.result("again")["changed"] is False
    assert run.result("again")["msg"] == "job {0!r} is already canceled".format(JOB)
    assert one_line(run, "change a canceled job") == (
        "job {0!r} is CANCELED, so its description cannot change: use a new job_id".format(JOB))
    same = run.result("same settings on a canceled job")
    assert same["changed"] is False and same["msg"] == "job {0!r} is CANCELED".format(JOB)
    completed = run.result("completed")
    assert completed["changed"] is False and completed["job"]["status"] == "COMPLETED"
    assert completed["msg"] == "job 'done' is COMPLETED: there is nothing left to cancel"
    assert one_line(run, "missing") == "job_id: no job 'nope' to cancel"
    # Never recreated, never updated: one create, one cancel.
    assert writes(iot) == ["CreateJob", "CancelJob"]


def test_delete_needs_force_for_a_running_job_and_waits_until_gone(iot, playbook, request_clock):
    # Fleet time moves 0.25 s a request: the job is gone at the third request
    # after DeleteJob, however fast or slow the machine.
    request_clock(0.25)
    iot.fleet.deletion_delay = 0.75
    run = playbook([
        present("create"),
        dict(job_task("without force", state="absent"), ignore_errors=True),
        job_task("delete", state="absent", force=True, wait=True, wait_timeout=30),
        job_task("again", state="absent", wait=True),
    ], args=("--diff",))
    assert run.rc == 0, run.output
    assert one_line(run, "without force") == (
        "force: job {0!r} is IN_PROGRESS: set force=true to delete it; devices whose execution is in progress "
        "can then no longer report their status".format(JOB))
    deleted = run.result("delete")
    assert deleted["changed"] is True and deleted["job"] is None
    assert deleted["diff"] == {"before": {"status": "IN_PROGRESS"}, "after": {}}
    assert run.result("again")["changed"] is False and run.result("again")["job"] is None
    assert writes(iot) == ["CreateJob", "DeleteJob"]
    # After DeleteJob: the result's read and the wait's first poll see the job
    # DELETION_IN_PROGRESS, the second poll finds it gone; "again" reads once.
    after_delete = [call.api for call in iot.calls()]
    after_delete = after_delete[after_delete.index("DeleteJob") + 1:]
    assert after_delete == ["DescribeJob"] * 4, after_delete


def test_the_deletion_wait_fails_naming_wait_timeout(iot, playbook):
    create_existing(iot)
    iot.fleet.deletion_delay = 600
    run = playbook([job_task("delete", state="absent", force=True, wait=True, wait_timeout=1)])
    assert one_line(run, "delete") == "wait_timeout: job {0!r} was still DELETION_IN_PROGRESS after 1 s".format(JOB)
    assert run.result("delete")["job"]["status"] == "DELETION_IN_PROGRESS"
    assert run.seconds < 60


def test_a_delete_whose_answer_was_lost_is_accepted_as_its_own(iot, playbook):
    # AWS refuses to delete a job already being deleted: botocore's retry of
    # the lost attempt gets InvalidStateTransitionException.
    create_existing(iot)
    iot.set_faults(lose_answer_once=["DeleteJob"])
    run = playbook([job_task("delete", state="absent", force=True)])
    assert run.rc == 0, run.output
    deleted = run.result("delete")
    assert deleted["changed"] is True and deleted["job"]["status"] == "DELETION_IN_PROGRESS"
    deletes = iot.calls("DeleteJob")
    assert [(c.attempt, c.fault, c.status) for c in deletes] == [(1, "lose_answer", None), (2, None, 409)]


def test_a_create_whose_answer_was_lost_is_accepted_as_its_own(iot, playbook):
    iot.set_faults(lose_answer_once=["CreateJob"])
    run = playbook([present("create", description="Firmware 2.4.1")])
    assert run.rc == 0, run.output
    result = run.result("create")
    assert result["changed"] is True and result["job"]["status"] == "IN_PROGRESS"
    creates = iot.calls("CreateJob")
    assert [(c.attempt, c.fault, c.status) for c in creates] == [(1, "lose_answer", None), (2, None, 409)]
    assert writes(iot) == ["CreateJob", "CreateJob"]


def other_create(iot, document):
    body = {"targets": [iot.fleet.thing_arn("sensor-1")], "document": json.dumps(document), "targetSelection": "SNAPSHOT"}
    return {"CreateJob": {"method": "PUT", "path": "/jobs/" + JOB, "body": body}}


def test_two_plays_at_once_one_creates_the_other_reports_unchanged(iot, playbook):
    # The other play's CreateJob lands between this play's DescribeJob and its CreateJob.
    iot.set_faults(before_once=other_create(iot, DOCUMENT))
    run = playbook([present("create")], args=("--diff",))
    assert run.rc == 0, run.output
    result = run.result("create")
    assert result["changed"] is False and result["job"]["job_id"] == JOB
    assert result["diff"] == {"before": {}, "after": {}}
    assert [(c.fault, c.status) for c in iot.calls("CreateJob")] == [("other_client", None), (None, 409)]


def test_two_plays_at_once_with_different_documents_fails_on_drift(iot, playbook):
    iot.set_faults(before_once=other_create(iot, {"operation": "install", "version": "9.9.9"}))
    run = playbook([present("create")])
    assert one_line(run, "create") == (
        "CreateJob: job {0!r} already exists: job {0!r} exists with a different document, which AWS cannot change: "
        "use a new job_id".format(JOB))
    assert writes(iot) == ["CreateJob", "CreateJob"]  # the other play's, and the refused one
    assert json.loads(iot.client().get_job_document(jobId=JOB)["document"])["version"] == "9.9.9"


@pytest.mark.parametrize("options, message", [
    (dict(job_id="fw 2.4.1"), "job_id: "),
    (dict(rollout={"maximum_per_minute": 0}), "rollout.maximum_per_minute: must be 1 to 1000, got 0"),
    (dict(retry=[{"failure_type": "FAILED", "number_of_retries": 11}]), "retry[0].number_of_retries: must be 0 to 10, got 11"),
    (dict(targets=["t{0}".format(i) for i in range(101)]), "targets: give 1 to 100 targets, AWS's limit, got 101"),
    (dict(document="{not json"), "document: is not valid JSON"),
    (dict(targets=["arn:aws:iot:us-east-1:123456789012:job/x"]), "targets: 'arn:aws:iot:us-east-1:123456789012:job/x' is not a thing"),
    (dict(state="canceled", reason_code="canary failed"), "reason_code: 'canary failed' must be 1 to 128 characters"),
    (dict(state="absent", wait=True, wait_timeout=0), "wait_timeout: must be 1 to 3600 seconds, got 0"),
], ids=["job_id", "rollout", "retry", "targets", "document", "target_arn", "reason_code", "wait_timeout"])
def test_bad_input_fails_in_one_line_naming_the_option_and_sends_nothing(iot, playbook, options, message):
    run = playbook([present("bad", **options)])
    assert one_line(run, "bad").startswith(message)
    assert iot.calls() == []


def test_an_existing_job_keeps_what_the_task_leaves_out(iot, playbook):
    create_existing(iot, description="old")
    before = len(iot.calls())
    run = playbook([job_task("describe", description="new"), job_task("again", description="new")], args=("--diff",))
    assert run.rc == 0, run.output
    assert run.result("describe")["changed"] is True and run.result("again")["changed"] is False
    assert run.result("describe")["diff"] == {"before": {"description": "old"}, "after": {"description": "new"}}
    assert writes(iot, before) == ["UpdateJob"]
    assert "GetJobDocument" not in [call.api for call in iot.calls()[before:]]  # the document is not compared
    stored = iot.client().describe_job(jobId=JOB)["job"]
    assert stored["description"] == "new" and stored["targets"] == [iot.fleet.thing_arn("sensor-1")]
    assert json.loads(iot.client().get_job_document(jobId=JOB)["document"]) == DOCUMENT


def test_creating_a_job_without_targets_or_a_document_says_what_it_needs_after_one_read(iot, playbook):
    run = playbook([job_task("create", description="new")])
    assert one_line(run, "create") == ("targets: job {0!r} does not exist, and creating it needs targets and one of document, "
                                       "document_source, job_template_arn".format(JOB))
    assert [call.api for call in iot.calls()] == ["DescribeJob"]


# Values of the wrong type or shape, and the one line each gives: the option
# and the type it takes, never Python's error text.
WRONG_TYPES = [
    (dict(rollout=100), "rollout: must be a dictionary, got an integer (100)"),
    (dict(rollout=[1]), "rollout: must be a dictionary, got a list ([1])"),
    (dict(rollout="fast"), "rollout: must be a dictionary, got a string ('fast')"),
    (dict(rollout={"exponential_rate": 5}), "rollout.exponential_rate: must be a dictionary, got an integer (5)"),
    (dict(abort=5), "abort: must be a list of dictionaries, got an integer (5)"),
    (dict(abort=[5]), "abort[0]: must be a dictionary, got an integer (5)"),
    (dict(abort={"failure_type": "FAILED"}), "abort: must be a list of dictionaries, got a dictionary ({'failure_type': 'FAILED'})"),
    (dict(retry="FAILED"), "retry: must be a list of dictionaries, got a string ('FAILED')"),
    (dict(retry=[{"failure_type": "FAILED", "number_of_retries": "two"}]),
     "retry[0].number_of_retries: must be an integer, got a string ('two')"),
    (dict(scheduling=5), "scheduling: must be a dictionary, got an integer (5)"),
    (dict(scheduling={"maintenance_windows": "sunday"}),
     "scheduling.maintenance_windows: must be a list of dictionaries, got a string ('sunday')"),
    (dict(presigned_url=ROLE), "presigned_url: must be a dictionary, got a string ('arn:aws:iam::123456789012:role/iot-f...)"),
    (dict(presigned_url={"role_arn": ROLE, "expires_in_sec": "soon"}),
     "presigned_url.expires_in_sec: must be an integer, got a string ('soon')"),
    (dict(in_progress_timeout_minutes="half an hour"), "in_progress_timeout_minutes: must be an integer, got a string ('half an hour')"),
    (dict(in_progress_timeout_minutes=[30]), "in_progress_timeout_minutes: must be an integer, got a list ([30])"),
    (dict(tags=["release"]), "tags: must be a dictionary, got a list (['release'])"),
    (dict(tags="release"), "tags: must be a dictionary, got a string ('release')"),
    (dict(targets={"sensor-1": 1}), "targets: must be a list of strings, got a dictionary ({'sensor-1': 1})"),
    (dict(document=5), "document: must be a JSON object (a dict), got int"),
    (dict(document=[1]), "document: must be a JSON object (a dict), got list"),
]


def test_values_of_the_wrong_type_fail_in_one_line_naming_the_option_and_type_and_send_nothing(iot, playbook):
    run = playbook([dict(present("case {0}".format(index), **options), ignore_errors=True)
                    for index, (options, _message) in enumerate(WRONG_TYPES)])
    got = [one_line(run, "case {0}".format(index)) for index in range(len(WRONG_TYPES))]
    assert got == [message for _options, message in WRONG_TYPES]
    assert iot.calls() == []


def test_a_write_to_a_job_deleted_after_the_read_reports_resource_not_found(iot, playbook):
    create_existing(iot, description="old")
    iot.fleet.deletion_delay = 0
    iot.set_faults(before_once={"UpdateJob": {"method": "DELETE", "path": "/jobs/" + JOB, "query": "force=true"}})
    run = playbook([present("update", description="new")])
    message = one_line(run, "update")
    result = run.result("update")
    assert result["error"]["code"] == "ResourceNotFoundException"
    assert result["response_metadata"]["request_id"] and result["response_metadata"]["http_status_code"] == 404
    assert message.startswith("UpdateJob failed for job {0!r}: ResourceNotFoundException: ".format(JOB))
    assert result["response_metadata"]["request_id"] in message


def test_a_write_that_fails_after_another_succeeded_still_reports_the_change(iot, playbook):
    create_existing(iot, description="old")
    iot.set_faults(deny="AccessDeniedException", apis=["TagResource"])
    run = playbook([present("update", description="new", tags={"release": "2.4.1"})])
    message = one_line(run, "update")
    result = run.result("update")
    assert message.startswith("TagResource failed for job {0!r}: AccessDeniedException".format(JOB)), message
    assert result["changed"] is True and result["error"]["code"] == "AccessDeniedException"
    assert iot.client().describe_job(jobId=JOB)["job"]["description"] == "new"


def test_a_new_job_deploys_only_published_package_versions_checked_before_create_job(iot, playbook):
    published = package_version(iot, "sensor-firmware", "2.4.1")
    draft = package_version(iot, "sensor-firmware", "2.5.0", "DRAFT")
    deprecated = package_version(iot, "sensor-firmware", "2.3.0", "DEPRECATED")
    missing = published.replace("2.4.1", "9.9.9")
    before = len(iot.calls())
    run = playbook([
        present("missing", destination_package_versions=[published, missing], ignore_errors=True),
        present("draft", destination_package_versions=[draft], ignore_errors=True),
        present("deprecated", destination_package_versions=[deprecated], ignore_errors=True),
        present("published", destination_package_versions=[published]),
        present("again", destination_package_versions=[published]),
    ], ignore_errors=True)
    assert one_line(run, "missing") == ("destination_package_versions: version '9.9.9' of package 'sensor-firmware' does "
                                        "not exist in us-east-1 at {0}".format(iot.url))
    assert one_line(run, "draft") == ("destination_package_versions: version '2.5.0' of package 'sensor-firmware' is a "
                                      "draft, and AWS deploys only published versions: publish it first")
    assert one_line(run, "deprecated") == ("destination_package_versions: version '2.3.0' of package 'sensor-firmware' is "
                                           "deprecated: publish it again to roll it out")
    assert run.result("published")["changed"] is True and run.result("again")["changed"] is False
    assert writes(iot, before) == ["CreateJob"]
    # Read once each, only while the job did not exist.
    assert len(iot.calls("GetPackageVersion")) == 5
    assert iot.client().describe_job(jobId=JOB)["job"]["destinationPackageVersions"] == [published]
