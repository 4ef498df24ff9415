"""The local endpoint's job-writing APIs behave as AWS IoT documents them.

Plain boto3 clients against the endpoint; time-driven behaviour runs on a
fake clock that the tests move, so no result depends on timing luck.
"""

from __future__ import annotations

import time

import pytest
from botocore.exceptions import ClientError

from helpers import FakeClock, package_version
from local_endpoint import device

DOCUMENT = '{"operation": "firmware-update", "version": "2.4.1"}'


@pytest.fixture
def clock(iot):
    real = iot.fleet.clock
    fake = iot.fleet.clock = FakeClock(time.monotonic())
    yield fake
    iot.fleet.clock = real


def error(call, **kwargs):
    with pytest.raises(ClientError) as raised:
        call(**kwargs)
    return raised.value.response["Error"]["Code"], raised.value.response["ResponseMetadata"]["HTTPStatusCode"]


def things(iot, *names):
    iot.fleet.ensure_things(names)
    return [iot.fleet.thing_arn(name) for name in names]


def statuses(api, job_id):
    pages = api.get_paginator("list_job_executions_for_job").paginate(jobId=job_id)
    return {s["thingArn"].split("/")[-1]: s["jobExecutionSummary"]["status"]
            for page in pages for s in page["executionSummaries"]}


def test_create_job_keeps_every_field_and_refuses_a_second_create(iot):
    api = iot.client(attempts=1)
    template = api.create_job_template(jobTemplateId="fw", description="t", document=DOCUMENT)
    fields = dict(
        description="firmware 2.4.1",
        presignedUrlConfig={"roleArn": "arn:aws:iam::123456789012:role/presign", "expiresInSec": 600},
        targetSelection="CONTINUOUS",
        jobExecutionsRolloutConfig={"maximumPerMinute": 50, "exponentialRate": {
            "baseRatePerMinute": 10, "incrementFactor": 2.0, "rateIncreaseCriteria": {"numberOfNotifiedThings": 5}}},
        abortConfig={"criteriaList": [{"failureType": "FAILED", "action": "CANCEL", "thresholdPercentage": 30.0,
                                       "minNumberOfExecutedThings": 10}]},
        timeoutConfig={"inProgressTimeoutInMinutes": 30},
        jobExecutionsRetryConfig={"criteriaList": [{"failureType": "FAILED", "numberOfRetries": 2}]},
        destinationPackageVersions=[package_version(iot, "fw", "2.4.1")],
    )
    created = api.create_job(jobId="fw-1", targets=things(iot, "sensor-1"), document=DOCUMENT,
                             tags=[{"Key": "team", "Value": "edge"}], **fields)
    assert created["jobId"] == "fw-1" and created["description"] == "firmware 2.4.1"

    job = api.describe_job(jobId="fw-1")["job"]
    assert {key: job[key] for key in fields} == fields
    assert job["status"] == "IN_PROGRESS"
    assert api.get_job_document(jobId="fw-1")["document"] == DOCUMENT
    assert api.list_tags_for_resource(resourceArn=created["jobArn"])["tags"] == [{"Key": "team", "Value": "edge"}]

    assert error(api.create_job, jobId="fw-1", targets=things(iot, "sensor-2"), document="{}") == (
        "ResourceAlreadyExistsException", 409)
    assert api.get_job_document(jobId="fw-1")["document"] == DOCUMENT, "a refused create changes nothing"

    api.create_job(jobId="from-template", targets=things(iot, "sensor-1"), jobTemplateArn=template["jobTemplateArn"])
    assert api.describe_job(jobId="from-template")["job"]["jobTemplateArn"] == template["jobTemplateArn"]
    assert api.get_job_document(jobId="from-template")["document"] == DOCUMENT
    assert error(api.create_job, jobId="two-sources", targets=things(iot, "sensor-1"), document="{}",
                 jobTemplateArn=template["jobTemplateArn"]) == ("InvalidRequestException", 400)


@pytest.mark.parametrize("create", ["api", "simulator"])
def test_describe_job_of_a_job_created_without_settings_answers_as_aws_does(iot, create):
    # The AWS CLI's describe-job example: {} for presignedUrlConfig,
    # jobExecutionsRolloutConfig and timeoutConfig, and no abortConfig,
    # jobExecutionsRetryConfig, documentParameters or schedulingConfig.
    api = iot.client(attempts=1)
    if create == "api":
        api.create_job(jobId="fw-1", targets=things(iot, "sensor-1"), document=DOCUMENT)
    else:
        iot.fleet.create_job("fw-1", things=["sensor-1"])
    job = api.describe_job(jobId="fw-1")["job"]
    assert (job["presignedUrlConfig"], job["jobExecutionsRolloutConfig"], job["timeoutConfig"]) == ({}, {}, {})
    assert not {"abortConfig", "jobExecutionsRetryConfig", "documentParameters", "schedulingConfig"} & set(job)
    assert "processingTargets" not in job["jobProcessDetails"], "one thing, notified at once: the rollout is done"


def test_update_job_changes_only_the_updatable_fields(iot):
    api = iot.client(attempts=1)
    api.create_job(jobId="fw-1", targets=things(iot, "sensor-1"), document=DOCUMENT, description="old")
    api.update_job(jobId="fw-1", description="new", timeoutConfig={"inProgressTimeoutInMinutes": 5},
                   jobExecutionsRolloutConfig={"maximumPerMinute": 20})
    job = api.describe_job(jobId="fw-1")["job"]
    assert (job["description"], job["timeoutConfig"], job["jobExecutionsRolloutConfig"]) == (
        "new", {"inProgressTimeoutInMinutes": 5}, {"maximumPerMinute": 20})
    assert api.get_job_document(jobId="fw-1")["document"] == DOCUMENT

    assert error(api.update_job, jobId="missing", description="x") == ("ResourceNotFoundException", 404)
    iot.fleet.cancel_job("fw-1")
    assert error(api.update_job, jobId="fw-1", description="x") == ("InvalidRequestException", 400)


def test_associate_targets_reaches_new_group_members_of_a_continuous_job(iot):
    api = iot.client(attempts=1)
    group = iot.fleet.ensure_group("line-2", ["sensor-2", "sensor-3"])
    created = api.create_job(jobId="fw-1", targets=things(iot, "sensor-1"), document=DOCUMENT,
                             targetSelection="CONTINUOUS")
    answer = api.associate_targets_with_job(jobId="fw-1", targets=[group])
    assert {k: answer[k] for k in ("jobArn", "jobId")} == {"jobArn": created["jobArn"], "jobId": "fw-1"}
    assert statuses(api, "fw-1") == {"sensor-1": "QUEUED", "sensor-2": "QUEUED", "sensor-3": "QUEUED"}
    assert api.describe_job(jobId="fw-1")["job"]["targets"] == things(iot, "sensor-1") + [group]

    too_many = things(iot, *["extra-{0}".format(n) for n in range(99)])
    assert error(api.associate_targets_with_job, jobId="fw-1", targets=too_many) == ("LimitExceededException", 410)
    assert error(api.associate_targets_with_job, jobId="missing", targets=[group]) == (
        "ResourceNotFoundException", 404)

    api.create_job(jobId="snapshot", targets=things(iot, "sensor-1"), document=DOCUMENT)
    assert error(api.associate_targets_with_job, jobId="snapshot", targets=[group]) == (
        "InvalidRequestException", 400)
    iot.fleet.cancel_job("fw-1")
    assert error(api.associate_targets_with_job, jobId="fw-1", targets=[group]) == ("InvalidRequestException", 400)


def test_job_tags_can_be_added_listed_and_removed(iot):
    api = iot.client(attempts=1)
    arn = api.create_job(jobId="fw-1", targets=things(iot, "sensor-1"), document=DOCUMENT)["jobArn"]
    api.tag_resource(resourceArn=arn, tags=[{"Key": "team", "Value": "edge"}, {"Key": "ring", "Value": "1"}])
    api.tag_resource(resourceArn=arn, tags=[{"Key": "ring", "Value": "2"}])
    assert api.list_tags_for_resource(resourceArn=arn)["tags"] == [
        {"Key": "team", "Value": "edge"}, {"Key": "ring", "Value": "2"}]
    api.untag_resource(resourceArn=arn, tagKeys=["team"])
    assert api.list_tags_for_resource(resourceArn=arn)["tags"] == [{"Key": "ring", "Value": "2"}]
    missing = arn.replace("fw-1", "missing")
    assert error(api.list_tags_for_resource, resourceArn=missing) == ("ResourceNotFoundException", 404)
    assert error(api.tag_resource, resourceArn=missing, tags=[{"Key": "a", "Value": "b"}]) == (
        "ResourceNotFoundException", 404)


def test_delete_job_needs_force_until_the_job_is_done_and_takes_a_while(iot, clock):
    api = iot.client(attempts=1)
    iot.fleet.create_job("fw-1", things=["sensor-1", "sensor-2"])
    assert error(api.delete_job, jobId="fw-1") == ("InvalidStateTransitionException", 409)
    assert error(api.delete_job, jobId="missing", force=True) == ("ResourceNotFoundException", 404)

    api.delete_job(jobId="fw-1", force=True)
    clock.tick(iot.fleet.deletion_delay - 0.01)
    assert api.describe_job(jobId="fw-1")["job"]["status"] == "DELETION_IN_PROGRESS"
    # DeleteJob's reference: deleting or canceling a job already being deleted is an error.
    assert error(api.delete_job, jobId="fw-1", force=True) == ("InvalidStateTransitionException", 409)
    assert error(api.cancel_job, jobId="fw-1") == ("InvalidRequestException", 400)
    clock.tick(0.01)
    assert error(api.describe_job, jobId="fw-1") == ("ResourceNotFoundException", 404)
    assert error(api.describe_job_execution, jobId="fw-1", thingName="sensor-1") == (
        "ResourceNotFoundException", 404)
    assert api.list_job_executions_for_thing(thingName="sensor-1")["executionSummaries"] == []

    iot.fleet.create_job("fw-2", things=["sensor-1"], default=device("SUCCEEDED", start=0.1, finish=0.2))
    clock.tick(1)
    assert api.describe_job(jobId="fw-2")["job"]["status"] == "COMPLETED"
    api.delete_job(jobId="fw-2")
    assert api.describe_job(jobId="fw-2")["job"]["status"] == "DELETION_IN_PROGRESS"


def test_cancel_job_execution_follows_aws_rules(iot, clock):
    api = iot.client(attempts=1)
    iot.fleet.create_job("fw-1", things=["queued", "working", "done"], devices={
        "queued": device(None, start=float("inf")),
        "working": device(None, start=0.1),
        "done": device("SUCCEEDED", start=0.1, finish=0.2),
    })
    clock.tick(1)
    working = api.describe_job_execution(jobId="fw-1", thingName="working")["execution"]

    assert error(api.cancel_job_execution, jobId="fw-1", thingName="working") == (
        "InvalidStateTransitionException", 409)
    assert error(api.cancel_job_execution, jobId="fw-1", thingName="working", force=True,
                 expectedVersion=working["versionNumber"] + 1) == ("VersionConflictException", 409)
    assert error(api.cancel_job_execution, jobId="fw-1", thingName="done") == (
        "InvalidStateTransitionException", 409)
    assert error(api.cancel_job_execution, jobId="fw-1", thingName="queued",
                 statusDetails={"k{0}".format(n): "v" for n in range(11)}) == ("InvalidRequestException", 400)
    assert error(api.cancel_job_execution, jobId="fw-1", thingName="nobody") == ("ResourceNotFoundException", 404)

    api.cancel_job_execution(jobId="fw-1", thingName="queued", statusDetails={"reason": "operator"})
    api.cancel_job_execution(jobId="fw-1", thingName="working", force=True, expectedVersion=working["versionNumber"])
    queued = api.describe_job_execution(jobId="fw-1", thingName="queued")["execution"]
    forced = api.describe_job_execution(jobId="fw-1", thingName="working")["execution"]
    assert (queued["status"], queued["forceCanceled"], queued["statusDetails"]["detailsMap"]) == (
        "CANCELED", False, {"reason": "operator"})
    assert (forced["status"], forced["forceCanceled"]) == ("CANCELED", True)
    details = api.describe_job(jobId="fw-1")["job"]
    assert details["status"] == "COMPLETED"
    counts = details["jobProcessDetails"]
    assert (counts["numberOfCanceledThings"], counts["numberOfSucceededThings"], counts["numberOfQueuedThings"],
            counts["numberOfInProgressThings"]) == (2, 1, 0, 0)


def test_delete_job_execution_needs_its_number_and_force_while_pending(iot, clock):
    api = iot.client(attempts=1)
    iot.fleet.create_job("fw-1", things=["working", "done"], retry={"FAILED": 1}, retry_delay=0.1, devices={
        "working": device(None, start=0.1),
        "done": device("FAILED", start=0.1, finish=0.2, retries=[{"outcome": "SUCCEEDED", "finish": 0.2}]),
    })
    clock.tick(1)
    assert api.describe_job_execution(jobId="fw-1", thingName="done")["execution"]["executionNumber"] == 2

    assert error(api.delete_job_execution, jobId="fw-1", thingName="working", executionNumber=1) == (
        "InvalidStateTransitionException", 409)
    assert error(api.delete_job_execution, jobId="fw-1", thingName="done", executionNumber=7) == (
        "ResourceNotFoundException", 404)
    api.delete_job_execution(jobId="fw-1", thingName="done", executionNumber=1)
    assert error(api.describe_job_execution, jobId="fw-1", thingName="done", executionNumber=1) == (
        "ResourceNotFoundException", 404)
    assert api.describe_job_execution(jobId="fw-1", thingName="done")["execution"]["status"] == "SUCCEEDED"

    api.delete_job_execution(jobId="fw-1", thingName="working", executionNumber=1, force=True)
    assert statuses(api, "fw-1") == {"done": "SUCCEEDED"}
    job = api.describe_job(jobId="fw-1")["job"]
    assert job["jobProcessDetails"]["numberOfInProgressThings"] == 0
    assert job["status"] == "COMPLETED", "with the pending execution gone, nothing is left to do"


def test_maximum_per_minute_paces_a_job_created_through_the_api(iot, clock):
    api = iot.client(attempts=1)
    api.create_job(jobId="fw-1", targets=things(iot, "a", "b", "c"), document=DOCUMENT,
                   jobExecutionsRolloutConfig={"maximumPerMinute": 60})
    assert set(statuses(api, "fw-1")) == {"a"}
    assert api.describe_job(jobId="fw-1")["job"]["jobProcessDetails"]["processingTargets"]
    clock.tick(1)
    assert set(statuses(api, "fw-1")) == {"a", "b"}
    clock.tick(1)
    assert set(statuses(api, "fw-1")) == {"a", "b", "c"}
    # JobProcessDetails: null once the rollout is done.
    assert "processingTargets" not in api.describe_job(jobId="fw-1")["job"]["jobProcessDetails"]
    assert [entry["at"] for entry in iot.fleet.timeline("fw-1")] == pytest.approx([0.0, 1.0, 2.0])


@pytest.mark.parametrize("criteria, expected", [
    # 60/min for 2 things, then 120/min for 2, then 240/min.
    ({"numberOfNotifiedThings": 2}, [0.0, 1.0, 1.5, 2.0, 2.25]),
    # No device ever succeeds: the rate never increases.
    ({"numberOfSucceededThings": 1}, [0.0, 1.0, 2.0, 3.0, 4.0]),
])
def test_exponential_rate_increases_as_aws_describes(iot, clock, criteria, expected):
    iot.fleet.create_job("fw-1", things=["d{0}".format(n) for n in range(5)], rollout={"exponentialRate": {
        "baseRatePerMinute": 60, "incrementFactor": 2.0, "rateIncreaseCriteria": criteria}})
    for _tick in range(40):
        clock.tick(0.25)
        iot.fleet.advance()
    assert [entry["at"] for entry in iot.fleet.timeline("fw-1")] == pytest.approx(expected)


def test_abort_config_cancels_the_job_once_enough_executions_failed(iot, clock):
    api = iot.client(attempts=1)
    iot.fleet.set_devices(default=device("SUCCEEDED", start=0.1, finish=0.5),
                          failing=device("FAILED", start=0.1, finish=0.5), failing_fraction=0.5)
    api.create_job(jobId="fw-1", targets=things(iot, *["d{0}".format(n) for n in range(10)]), document=DOCUMENT,
                   jobExecutionsRolloutConfig={"maximumPerMinute": 60},
                   abortConfig={"criteriaList": [{"failureType": "FAILED", "action": "CANCEL",
                                                  "thresholdPercentage": 50, "minNumberOfExecutedThings": 4}]})
    # One thing a second, each done 0.5 s later; d1 and d3 fail: at 3.5 s four are done, half failed.
    for _second in range(3):
        clock.tick(1)
        assert api.describe_job(jobId="fw-1")["job"]["status"] == "IN_PROGRESS"
    clock.tick(1)
    job = api.describe_job(jobId="fw-1")["job"]
    assert (job["status"], job["reasonCode"]) == ("CANCELED", "FAILURE_THRESHOLD_EXCEEDED")
    assert "2 of 4" in job["comment"]
    assert "processingTargets" not in job["jobProcessDetails"]
    assert len(iot.fleet.timeline("fw-1")) == 4, "no device is notified after the abort"
    assert iot.fleet.cancellation("fw-1") == {"at": pytest.approx(3.5), "by": "abortConfig"}


def test_failing_fraction_picks_a_deterministic_even_share(iot, clock):
    iot.fleet.create_job("bench", groups={"fleet": ["d{0:03d}".format(n) for n in range(100)]},
                         rollout_per_minute=1000, default=device("SUCCEEDED", start=0.1, finish=1),
                         failing=device("FAILED", start=0.1, finish=3), failing_fraction=0.3)
    for _second in range(10):
        clock.tick(1)
        iot.fleet.advance()
    counts = iot.client(attempts=1).describe_job(jobId="bench")["job"]["jobProcessDetails"]
    assert (counts["numberOfFailedThings"], counts["numberOfSucceededThings"]) == (30, 70)
    timeline = iot.fleet.timeline("bench")
    assert [entry["at"] for entry in timeline][:3] == pytest.approx([0.0, 0.06, 0.12])
    assert sum(entry["at"] > 3.01 for entry in timeline) == 49
    failed = [entry["thing"] for entry in timeline if iot.fleet.execution("bench", entry["thing"]).status == "FAILED"]
    assert failed[:3] == ["d003", "d006", "d009"]


def test_timeline_route_reports_notifications_and_the_clock(iot, clock):
    import json
    import urllib.request
    iot.fleet.create_job("fw-1", things=["a", "b"], rollout_per_minute=60)
    clock.tick(1.5)
    with urllib.request.urlopen(iot.url + "/_sim/jobs/fw-1/timeline") as answer:
        body = json.load(answer)
    assert body["now"] == pytest.approx(1.5)
    assert [entry["thing"] for entry in body["queued"]] == ["a", "b"]
    assert [entry["at"] for entry in body["queued"]] == pytest.approx([0.0, 1.0])


def test_write_apis_are_named_in_the_request_log_and_can_be_faulted(iot):
    api = iot.client(attempts=1)
    iot.set_faults(deny="AccessDeniedException", apis=["UpdateJob"])
    arn = api.create_job(jobId="fw-1", targets=things(iot, "sensor-1"), document=DOCUMENT)["jobArn"]
    assert error(api.update_job, jobId="fw-1", description="x") == ("AccessDeniedException", 403)
    api.tag_resource(resourceArn=arn, tags=[{"Key": "a", "Value": "b"}])
    api.cancel_job_execution(jobId="fw-1", thingName="sensor-1")
    api.delete_job_execution(jobId="fw-1", thingName="sensor-1", executionNumber=1)
    assert [(call.api, call.fault) for call in iot.calls()] == [
        ("CreateJob", None), ("UpdateJob", "deny"), ("TagResource", None), ("CancelJobExecution", None),
        ("DeleteJobExecution", None)]


def test_a_lost_answer_applies_the_write_and_the_retry_finds_it_done(iot):
    api = iot.client(attempts=2)
    iot.set_faults(lose_answer_once=["CreateJob"])
    assert error(api.create_job, jobId="fw-1", targets=things(iot, "sensor-1"), document=DOCUMENT) == (
        "ResourceAlreadyExistsException", 409)
    assert [(call.api, call.attempt, call.fault) for call in iot.calls()] == [
        ("CreateJob", 1, "lose_answer"), ("CreateJob", 2, None)]
    assert api.describe_job(jobId="fw-1")["job"]["status"] == "IN_PROGRESS"
