"""iot_job's plans: what differs from the job AWS has, and what to send."""

from __future__ import annotations

import copy
import datetime
import json

import pytest
from job_params import JOB_VALIDATOR, job_params, validated

from ansible_collections.iotops.aws.plugins.module_utils.job_plan import (
    JobPlan,
    changed_after_conflict,
    current_settings,
    plan_cancel,
    plan_delete,
    plan_present,
)
from ansible_collections.iotops.aws.plugins.module_utils.shaping import shape_job
from ansible_collections.iotops.aws.plugins.module_utils.validation import InvalidOption

PREFIX = "arn:aws:iot:us-east-1:123456789012:"
CANARIES, WAVE1, WAVE2 = PREFIX + "thinggroup/canaries", PREFIX + "thinggroup/wave-1", PREFIX + "thinggroup/wave-2"
SENSOR = PREFIX + "thing/sensor-1"
ROLE = "arn:aws:iam::123456789012:role/firmware"
PACKAGE = "arn:aws:iot:us-east-1:123456789012:package/fw/version/2.4.1"
DOCUMENT = {"operation": "install", "steps": [{"url": "https://s3/fw.bin"}]}
NOW = datetime.datetime(2030, 1, 1, tzinfo=datetime.timezone.utc)

# The options of a job, and DescribeJob's answer for the job they created:
# AWS echoes defaults (expiresInSec, action) and empty configs.
OPTIONS = dict(
    job_id="fw",
    targets=[CANARIES],
    target_selection="CONTINUOUS",
    document=DOCUMENT,
    description="Firmware 2.4.1",
    presigned_url=dict(role_arn=ROLE),
    rollout=dict(maximum_per_minute=50),
    abort=[dict(failure_type="TIMED_OUT", threshold_percentage=5, min_number_of_executed_things=10),
           dict(failure_type="FAILED", threshold_percentage=10.5, min_number_of_executed_things=10)],
    in_progress_timeout_minutes=30,
    retry=[dict(failure_type="FAILED", number_of_retries=1)],
    scheduling=dict(end_time="2030-01-02T00:00+00:00", end_behavior="STOP_ROLLOUT"),
    destination_package_versions=[PACKAGE],
    tags={"release": "2.4.1", "Cost Centre": "ops"},
)
JOB = dict(
    jobArn=PREFIX + "job/fw",
    jobId="fw",
    targetSelection="CONTINUOUS",
    status="IN_PROGRESS",
    targets=[CANARIES],
    description="Firmware 2.4.1",
    presignedUrlConfig=dict(roleArn=ROLE, expiresInSec=3600),
    jobExecutionsRolloutConfig=dict(maximumPerMinute=50),
    abortConfig=dict(criteriaList=[
        dict(failureType="FAILED", action="CANCEL", thresholdPercentage=10.5, minNumberOfExecutedThings=10),
        dict(failureType="TIMED_OUT", action="CANCEL", thresholdPercentage=5.0, minNumberOfExecutedThings=10),
    ]),
    createdAt=datetime.datetime(2029, 12, 31, tzinfo=datetime.timezone.utc),
    lastUpdatedAt=datetime.datetime(2029, 12, 31, tzinfo=datetime.timezone.utc),
    jobProcessDetails=dict(processingTargets=[CANARIES], numberOfQueuedThings=3),
    timeoutConfig=dict(inProgressTimeoutInMinutes=30),
    jobExecutionsRetryConfig=dict(criteriaList=[dict(failureType="FAILED", numberOfRetries=1)]),
    isConcurrent=False,
    schedulingConfig=dict(endTime="2030-01-02T00:00", endBehavior="STOP_ROLLOUT", maintenanceWindows=[]),
    destinationPackageVersions=[PACKAGE],
)
# GetJobDocument gives the text back formatted its own way.
DOCUMENT_TEXT = json.dumps(DOCUMENT, indent=2, sort_keys=True)
# ListTagsForResource's tags, as the read returns them.
TAGS = {"Cost Centre": "ops", "release": "2.4.1"}


def job(**changes):
    """DescribeJob's job with ``changes`` (None removes a member), shaped as the plans take it."""
    described = copy.deepcopy(JOB)
    for key, value in changes.items():
        if value is None:
            described.pop(key, None)
        else:
            described[key] = value
    return shape_job(described)


def plan(options=None, described="JOB", aws_document=DOCUMENT_TEXT, aws_tags="TAGS", source=None, arns=None, **changes):
    """plan_present for OPTIONS with ``changes`` (None unsets an option) against ``described``."""
    described = job() if described == "JOB" else described
    aws_tags = dict(TAGS) if aws_tags == "TAGS" else aws_tags
    given = dict(OPTIONS if options is None else options, **changes)
    params = job_params(**dict((key, value) for key, value in given.items() if value is not None))
    return plan_present(params, given["targets"] if arns is None else arns, described, aws_document, aws_tags, source, now=NOW)


def is_empty(result):
    return (not result.changed and result.error is None and result.update is None and not result.add_targets
            and not result.tag and not result.untag and result.diff == dict(before={}, after={}))


def test_a_job_that_matches_its_options_needs_nothing():
    assert is_empty(plan(described=job()))


@pytest.mark.parametrize(
    "options",
    [
        dict(job_id="fw", targets=[CANARIES], target_selection="CONTINUOUS", document=DOCUMENT),
        dict(job_id="fw", targets=[CANARIES], target_selection="CONTINUOUS", document=json.dumps(DOCUMENT)),
        dict(job_id="fw", targets=[CANARIES], target_selection="CONTINUOUS", document=DOCUMENT, abort=list(reversed(OPTIONS["abort"]))),
        dict(OPTIONS, scheduling=dict(end_time="2030-01-02T01:00+01:00")),
        dict(OPTIONS, scheduling=dict(end_time="2030-01-02T00:00Z")),
        dict(OPTIONS, presigned_url=dict(role_arn=ROLE, expires_in_sec=3600)),
        dict(OPTIONS, tags=None),
    ],
    ids=["unset-options-are-not-compared", "document-as-json-string", "criteria-in-any-order", "schedule-offset",
         "schedule-z", "default-expiry", "tags-unset"],
)
def test_equivalent_options_need_nothing(options):
    assert is_empty(plan(options))


def test_aws_echo_of_unset_defaults_is_not_a_difference():
    # A job created without presignedUrlConfig or timeoutConfig: AWS answers with empty dicts.
    described = job(presignedUrlConfig={}, timeoutConfig={}, jobExecutionsRolloutConfig={}, abortConfig=None,
                    jobExecutionsRetryConfig=None, schedulingConfig=None, destinationPackageVersions=None)
    options = dict(job_id="fw", targets=[CANARIES], target_selection="CONTINUOUS", document=DOCUMENT, tags=OPTIONS["tags"])
    assert is_empty(plan(options, described=described))


UPDATES = [
    (dict(description="Firmware 2.4.2"), dict(description="Firmware 2.4.2")),
    (dict(presigned_url=dict(role_arn=ROLE, expires_in_sec=600)), dict(presignedUrlConfig=dict(roleArn=ROLE, expiresInSec=600))),
    (dict(rollout=dict(maximum_per_minute=200)), dict(jobExecutionsRolloutConfig=dict(maximumPerMinute=200))),
    (dict(rollout=dict(exponential_rate=dict(base_rate_per_minute=5, increment_factor=2, rate_increase_criteria=dict(number_of_notified_things=10)))),
     dict(jobExecutionsRolloutConfig=dict(exponentialRate=dict(baseRatePerMinute=5, incrementFactor=2,
                                                               rateIncreaseCriteria=dict(numberOfNotifiedThings=10))))),
    (dict(abort=[dict(failure_type="FAILED", threshold_percentage=20, min_number_of_executed_things=10)]),
     dict(abortConfig=dict(criteriaList=[dict(failureType="FAILED", action="CANCEL", thresholdPercentage=20, minNumberOfExecutedThings=10)]))),
    (dict(in_progress_timeout_minutes=60), dict(timeoutConfig=dict(inProgressTimeoutInMinutes=60))),
    (dict(retry=[dict(failure_type="FAILED", number_of_retries=1), dict(failure_type="TIMED_OUT", number_of_retries=2)]),
     dict(jobExecutionsRetryConfig=dict(criteriaList=[dict(failureType="FAILED", numberOfRetries=1),
                                                      dict(failureType="TIMED_OUT", numberOfRetries=2)]))),
]


@pytest.mark.parametrize("changes, members", UPDATES, ids=[next(iter(c)) for c, m in UPDATES])
def test_an_updatable_setting_that_differs_is_sent_with_updatejob(changes, members):
    result = plan(**changes)
    assert result.error is None and result.changed
    assert result.update == dict(jobId="fw", **members)
    assert not result.add_targets and not result.tag and not result.untag
    option = next(iter(changes))
    assert set(result.diff["after"]) == {option}


TEMPLATE = "arn:aws:iot:us-east-1::jobtemplate/AWS-Reboot:1.0"
DRIFT = [
    (["document"], dict(document={"operation": "install", "steps": []})),
    (["document"], dict(document='{"operation": "rollback"}')),
    (["document_source"], dict(document=None, document_source="https://s3.amazonaws.com/b/other.json")),
    (["job_template_arn"], dict(document=None, job_template_arn=TEMPLATE)),
    (["job_template_arn", "document_parameters"], dict(document=None, job_template_arn=TEMPLATE, document_parameters={"x": "y"})),
    (["target_selection"], dict(target_selection="SNAPSHOT")),
    (["scheduling"], dict(scheduling=dict(end_time="2030-01-03T00:00"))),
    (["scheduling"], dict(scheduling=dict(maintenance_windows=[dict(start_time="cron(0 2 ? * SUN *)", duration_in_minutes=60)]))),
    (["destination_package_versions"], dict(destination_package_versions=[])),
    (["destination_package_versions"], dict(destination_package_versions=[PACKAGE, PACKAGE.replace("2.4.1", "2.4.2")])),
]


@pytest.mark.parametrize("drift, changes", DRIFT, ids=["{0}-{1}".format(d[-1], i) for i, (d, c) in enumerate(DRIFT)])
def test_an_immutable_setting_that_differs_is_drift_and_nothing_is_sent(drift, changes):
    result = plan(**dict(changes, description="also changed", targets=[CANARIES, WAVE1]))
    assert result.drift == drift
    assert result.error == "job 'fw' exists with a different {0}, which AWS cannot change: use a new job_id".format(", ".join(drift))
    assert not result.changed
    # The plan still shows what differs, for --diff.
    assert set(result.diff["after"]) == set(drift) | {"description", "targets"}


def test_every_differing_setting_is_named_in_one_line():
    result = plan(document={"other": 1}, target_selection="SNAPSHOT", destination_package_versions=[],
                  targets=[CANARIES, WAVE1])
    assert result.drift == ["document", "target_selection", "destination_package_versions"]
    assert result.error.startswith("job 'fw' exists with a different document, target_selection, destination_package_versions,")
    assert "\n" not in result.error and not result.changed


@pytest.mark.parametrize("targets", [[CANARIES, WAVE1], [WAVE1], [SENSOR], []], ids=["added", "replaced", "other", "none"])
def test_a_snapshot_jobs_targets_cannot_change(targets):
    result = plan(target_selection="SNAPSHOT", described=job(targetSelection="SNAPSHOT"), targets=targets or [CANARIES], arns=targets,
                  purge_targets=True)
    assert result.drift == ["targets"]
    assert "different targets" in result.error and not result.add_targets


@pytest.mark.parametrize("targets, drift", [([CANARIES, WAVE1], True), ([WAVE1], True), ([CANARIES], False), ([], False)],
                         ids=["added", "replaced", "listed", "none"])
def test_a_snapshot_job_without_purge_targets_drifts_only_on_a_target_it_lacks(targets, drift):
    described = job(targetSelection="SNAPSHOT", targets=[CANARIES, SENSOR])
    result = plan(target_selection="SNAPSHOT", described=described, targets=targets or [CANARIES], arns=targets)
    assert result.drift == ["targets"] * drift and ("different targets" in (result.error or "")) is drift
    assert not result.add_targets and not result.changed


def test_a_snapshot_jobs_targets_in_another_order_are_the_same():
    described = job(targetSelection="SNAPSHOT", targets=[CANARIES, WAVE1])
    assert is_empty(plan(target_selection="SNAPSHOT", described=described, targets=[WAVE1, CANARIES]))


def test_a_continuous_job_gets_its_new_targets_added_in_the_order_given():
    result = plan(targets=[WAVE2, CANARIES, WAVE1])
    assert result.error is None and result.changed
    assert result.add_targets == [WAVE2, WAVE1]
    assert result.update is None
    assert result.diff == dict(before=dict(targets=[CANARIES]), after=dict(targets=sorted([CANARIES, WAVE1, WAVE2])))


def test_a_continuous_job_cannot_lose_a_target_with_purge_targets():
    described = job(targets=[CANARIES, WAVE1])
    result = plan(described=described, targets=[CANARIES, WAVE2], purge_targets=True)
    assert result.error == "targets: AWS cannot remove a target from a job, and 'wave-1' would be removed"
    assert not result.changed


def test_without_purge_targets_a_continuous_job_keeps_the_targets_the_list_leaves_out():
    described = job(targets=[CANARIES, WAVE1])
    result = plan(described=described, targets=[CANARIES, WAVE2])
    assert result.error is None and result.add_targets == [WAVE2]
    assert result.diff == dict(before=dict(targets=[CANARIES, WAVE1]), after=dict(targets=[CANARIES, WAVE1, WAVE2]))


@pytest.mark.parametrize("targets", [[CANARIES], [WAVE1], [CANARIES, WAVE1]], ids=["first stage", "second alone", "both"])
def test_without_purge_targets_an_earlier_stages_list_needs_nothing(targets):
    assert is_empty(plan(described=job(targets=[CANARIES, WAVE1]), targets=targets))


@pytest.mark.parametrize("status", ["SCHEDULED"])
def test_targets_are_added_only_to_a_job_in_progress(status):
    result = plan(described=job(status=status), targets=[CANARIES, WAVE1])
    assert result.error == "targets: AWS adds targets only to an IN_PROGRESS job, and job 'fw' is SCHEDULED"
    assert not result.changed


@pytest.mark.parametrize(
    "tags, purge, tag, untag",
    [
        ({"release": "2.4.2", "Cost Centre": "ops"}, True, {"release": "2.4.2"}, []),
        ({"release": "2.4.1"}, True, {}, ["Cost Centre"]),
        ({"release": "2.4.1"}, False, {}, []),
        ({"owner": "fleet"}, True, {"owner": "fleet"}, ["Cost Centre", "release"]),
        ({"owner": "fleet"}, False, {"owner": "fleet"}, []),
        ({}, True, {}, ["Cost Centre", "release"]),
        ({}, False, {}, []),
        (None, True, {}, []),
        ({"Release": "2.4.1", "Cost Centre": "ops", "release": "2.4.1"}, True, {"Release": "2.4.1"}, []),
    ],
)
def test_tags_follow_purge_tags(tags, purge, tag, untag):
    result = plan(tags=tags, purge_tags=purge)
    assert result.error is None
    assert (result.tag, sorted(result.untag)) == (tag, untag)
    assert result.changed == bool(tag or untag)
    assert result.update is None


def test_tags_diff_shows_the_tags_kept_without_purge():
    result = plan(tags={"owner": "fleet"}, purge_tags=False)
    assert result.diff == dict(before=dict(tags={}), after=dict(tags={"owner": "fleet"}))
    result = plan(tags={"owner": "fleet"}, purge_tags=True)
    assert result.diff == dict(before=dict(tags={"Cost Centre": "ops", "release": "2.4.1"}), after=dict(tags={"owner": "fleet"}))


def test_a_plan_lists_updates_targets_and_tags_together():
    result = plan(description="wave 1", targets=[CANARIES, WAVE1], tags={"release": "2.4.1"})
    assert result.update == dict(jobId="fw", description="wave 1")
    assert result.add_targets == [WAVE1]
    assert result.untag == ["Cost Centre"]
    assert set(result.diff["before"]) == {"description", "targets", "tags"}


@pytest.mark.parametrize("status", ["COMPLETED", "CANCELED", "DELETION_IN_PROGRESS"])
def test_a_finished_job_is_reported_and_cannot_change(status):
    unchanged = plan(described=job(status=status))
    assert is_empty(unchanged)
    assert unchanged.message == "job 'fw' is {0}".format(status)
    changed = plan(described=job(status=status), description="new", targets=[CANARIES, WAVE1], tags={})
    assert changed.error == "job 'fw' is {0}, so its description, targets, tags cannot change: use a new job_id".format(status)
    assert not changed.changed


def test_a_missing_job_is_created_with_the_whole_request():
    result = plan(described=None)
    assert result.changed and result.error is None
    assert result.create["jobId"] == "fw" and result.create["targets"] == [CANARIES]
    assert result.create["schedulingConfig"] == dict(endTime="2030-01-02T00:00", endBehavior="STOP_ROLLOUT")
    assert result.update is None and not result.add_targets
    assert result.diff["before"] == {}
    assert result.diff["after"]["document"] == DOCUMENT
    assert result.diff["after"]["tags"] == OPTIONS["tags"]


def test_creating_a_job_scheduled_in_the_past_fails_before_any_request():
    with pytest.raises(InvalidOption, match="scheduling.end_time: must be at least 30 minutes from now"):
        plan(described=None, scheduling=dict(end_time="2029-12-31T00:00"))
    # An existing job's schedule is compared, not checked against the clock.
    assert is_empty(plan(scheduling=dict(end_time="2030-01-02T00:00"), described=job()))


def test_the_document_source_is_read_from_describejobs_top_level():
    options = dict(job_id="fw", targets=[CANARIES], target_selection="CONTINUOUS", document_source="https://s3.amazonaws.com/b/doc.json")
    assert is_empty(plan(options, source="https://s3.amazonaws.com/b/doc.json"))
    assert plan(options, source="https://s3.amazonaws.com/b/old.json").drift == ["document_source"]


def test_document_parameters_keys_are_compared_verbatim():
    described = job(jobTemplateArn="arn:aws:iot:us-east-1::jobtemplate/AWS-Run:1.0", documentParameters={"pathToHandler": "/x"})
    options = dict(job_id="fw", targets=[CANARIES], target_selection="CONTINUOUS",
                   job_template_arn="arn:aws:iot:us-east-1::jobtemplate/AWS-Run:1.0")
    assert is_empty(plan(dict(options, document_parameters={"pathToHandler": "/x"}), described=described))
    assert plan(dict(options, document_parameters={"path_to_handler": "/x"}), described=described).drift == ["document_parameters"]
    assert current_settings(described)["document_parameters"] == {"pathToHandler": "/x"}


@pytest.mark.parametrize(
    "described, message, error, request_",
    [
        (None, None, "job_id: no job 'fw' to cancel", None),
        (job(status="CANCELED"), "job 'fw' is already canceled", None, None),
        (job(status="COMPLETED"), "job 'fw' is COMPLETED: there is nothing left to cancel", None, None),
        (job(status="DELETION_IN_PROGRESS"), None, "job_id: job 'fw' is being deleted, so it cannot be canceled", None),
        (job(status="IN_PROGRESS"), None, None, dict(jobId="fw", force=True, reasonCode="CANARY_FAILED", comment="gate")),
        (job(status="SCHEDULED"), None, None, dict(jobId="fw", force=True, reasonCode="CANARY_FAILED", comment="gate")),
    ],
)
def test_cancel_plans(described, message, error, request_):
    result = plan_cancel("fw", described, "CANARY_FAILED", "gate", True)
    assert (result.message, result.error, result.cancel) == (message, error, request_)
    assert result.changed == bool(request_)
    if request_:
        assert result.diff == dict(before=dict(status=described["status"]), after=dict(status="CANCELED"))


def test_cancel_sends_only_what_was_given():
    assert plan_cancel("fw", job(), None, None, False).cancel == dict(jobId="fw", force=False)


@pytest.mark.parametrize(
    "status, force, wait, request_, waits, error",
    [
        (None, False, True, None, False, None),
        ("DELETION_IN_PROGRESS", False, True, None, True, None),
        ("DELETION_IN_PROGRESS", False, False, None, False, None),
        ("IN_PROGRESS", False, True, None, False, "force: job 'fw' is IN_PROGRESS: set force=true to delete it"),
        ("SCHEDULED", False, False, None, False, "force: job 'fw' is SCHEDULED: set force=true to delete it"),
        ("IN_PROGRESS", True, True, dict(jobId="fw", force=True), True, None),
        ("COMPLETED", False, False, dict(jobId="fw", force=False), False, None),
        ("CANCELED", False, True, dict(jobId="fw", force=False), True, None),
    ],
)
def test_delete_plans(status, force, wait, request_, waits, error):
    result = plan_delete("fw", job(status=status) if status else None, force, wait)
    assert result.delete == request_
    assert result.wait_for_deletion == waits
    assert result.changed == bool(request_)
    if error:
        assert result.error.startswith(error) and "\n" not in result.error
    else:
        assert result.error is None
    if request_:
        assert result.diff == dict(before=dict(status=status), after={})


@pytest.mark.parametrize(
    "found, retried, changed",
    [
        (JobPlan("fw"), True, True),  # our lost attempt created it
        (JobPlan("fw"), False, False),  # another play created the same job
        (JobPlan("fw", tag={"a": "b"}), False, True),
        (JobPlan("fw", error="job 'fw' exists with a different document"), True, False),
    ],
)
def test_a_create_conflict_is_success_when_the_job_matches(found, retried, changed):
    assert changed_after_conflict(found, retried) == changed


def test_a_missing_job_without_a_document_is_one_line_saying_what_creating_it_needs():
    params = validated(JOB_VALIDATOR, dict(job_id="fw", targets=[CANARIES]))
    result = plan_present(params, [CANARIES], None, now=NOW)
    assert result.error == "document: job 'fw' does not exist, and creating it needs one of document, document_source, job_template_arn"
    assert not result.changed and result.create is None


def test_an_existing_job_keeps_what_the_task_leaves_out():
    params = validated(JOB_VALIDATOR, dict(job_id="fw", description="Firmware 2.4.2"))
    result = plan_present(params, None, job(targetSelection="SNAPSHOT"), now=NOW)
    assert result.error is None and result.drift == []
    assert result.update == dict(jobId="fw", description="Firmware 2.4.2")
    assert result.diff == dict(before=dict(description="Firmware 2.4.1"), after=dict(description="Firmware 2.4.2"))
