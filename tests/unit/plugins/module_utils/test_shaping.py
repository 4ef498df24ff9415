from __future__ import annotations

import datetime

import pytest

from ansible_collections.iotops.aws.plugins.module_utils.shaping import (
    EXECUTION_KEYS,
    shape_execution,
    shape_execution_summary,
    shape_job,
    snake_case,
)

UTC = datetime.timezone.utc
QUEUED_AT = datetime.datetime(2026, 11, 28, 17, 53, 36, 304000, tzinfo=UTC)
STARTED_AT = datetime.datetime(2026, 11, 28, 17, 54, 0, tzinfo=UTC)
UPDATED_AT = datetime.datetime(2026, 11, 28, 17, 55, 12, 5000, tzinfo=UTC)
ARN = "arn:aws:iot:eu-west-1:123456789012:thing/sensor-0042"
# Keys a device chose; none of them may be renamed.
DEVICE_DETAILS = {"progressPercent": "100", "fw:Version": "2.4.1", "Reason_Code": "OK", "already_snake": "x"}


def describe_answer(**overrides):
    execution = {
        "jobId": "fw-2-4-1",
        "status": "SUCCEEDED",
        "forceCanceled": False,
        "statusDetails": {"detailsMap": dict(DEVICE_DETAILS)},
        "thingArn": ARN,
        "queuedAt": QUEUED_AT,
        "startedAt": STARTED_AT,
        "lastUpdatedAt": UPDATED_AT,
        "executionNumber": 2,
        "versionNumber": 3,
    }
    execution.update(overrides)
    return execution


def summary(**overrides):
    fields = {"status": "QUEUED", "queuedAt": QUEUED_AT, "lastUpdatedAt": QUEUED_AT, "executionNumber": 1}
    fields.update(overrides)
    return fields


@pytest.mark.parametrize(
    "response, expected",
    [
        ({"thingArn": "a"}, {"thing_arn": "a"}),
        ({"executionNumber": 1, "versionNumber": 2}, {"execution_number": 1, "version_number": 2}),
        ({"approximateSecondsBeforeTimedOut": 60}, {"approximate_seconds_before_timed_out": 60}),
        ({"jobProcessDetails": {"numberOfInProgressThings": 3, "numberOfTimedOutThings": 1}},
         {"job_process_details": {"number_of_in_progress_things": 3, "number_of_timed_out_things": 1}}),
        ({"jobExecutionsRetryConfig": {"criteriaList": [{"failureType": "FAILED", "numberOfRetries": 2}]}},
         {"job_executions_retry_config": {"criteria_list": [{"failure_type": "FAILED", "number_of_retries": 2}]}}),
    ],
)
def test_snake_case_renames_aws_keys(response, expected):
    assert snake_case(response) == expected


@pytest.mark.parametrize(
    "value, iso",
    [
        (QUEUED_AT, "2026-11-28T17:53:36.304000+00:00"),
        (datetime.datetime(2026, 11, 28, 19, 53, 36, tzinfo=datetime.timezone(datetime.timedelta(hours=2))),
         "2026-11-28T17:53:36+00:00"),
        (datetime.datetime(2026, 11, 28, 12, 0, tzinfo=datetime.timezone(datetime.timedelta(hours=-5, minutes=-30))),
         "2026-11-28T17:30:00+00:00"),
        # botocore hands out aware datetimes; a naive one can only be UTC.
        (datetime.datetime(2026, 11, 28, 17, 53, 36), "2026-11-28T17:53:36+00:00"),
    ],
)
def test_timestamps_become_iso_8601_in_utc_with_offset(value, iso):
    shaped = snake_case({"queuedAt": value, "nested": {"lastUpdatedAt": value}, "times": [value]})
    assert shaped == {"queued_at": iso, "nested": {"last_updated_at": iso}, "times": [iso]}
    assert datetime.datetime.fromisoformat(iso).utcoffset() == datetime.timedelta(0)


def test_described_execution_keeps_device_keys_verbatim():
    item = shape_execution(describe_answer())
    assert item["status_details"] == {"details_map": DEVICE_DETAILS}


def test_described_execution_shape():
    item = shape_execution(describe_answer())
    assert item == {
        "job_id": "fw-2-4-1",
        "thing_name": "sensor-0042",
        "thing_arn": ARN,
        "status": "SUCCEEDED",
        "queued_at": "2026-11-28T17:53:36.304000+00:00",
        "started_at": "2026-11-28T17:54:00+00:00",
        "last_updated_at": "2026-11-28T17:55:12.005000+00:00",
        "execution_number": 2,
        "version_number": 3,
        "force_canceled": False,
        "status_details": {"details_map": DEVICE_DETAILS},
        "approximate_seconds_before_timed_out": None,
    }


def test_described_execution_fills_what_a_queued_execution_lacks():
    answer = describe_answer(status="QUEUED")
    del answer["startedAt"], answer["statusDetails"]
    item = shape_execution(answer)
    assert set(EXECUTION_KEYS) <= set(item)
    assert item["started_at"] is None
    assert item["status_details"] == {"details_map": {}}
    assert item["approximate_seconds_before_timed_out"] is None


def test_described_execution_keeps_time_left():
    item = shape_execution(describe_answer(status="IN_PROGRESS", approximateSecondsBeforeTimedOut=240))
    assert item["approximate_seconds_before_timed_out"] == 240


def test_job_list_summary_shape():
    entry = {"thingArn": ARN, "jobExecutionSummary": summary(retryAttempt=2, startedAt=STARTED_AT)}
    item = shape_execution_summary(entry, job_id="fw-2-4-1")
    assert item == {
        "job_id": "fw-2-4-1",
        "thing_name": "sensor-0042",
        "thing_arn": ARN,
        "status": "QUEUED",
        "queued_at": "2026-11-28T17:53:36.304000+00:00",
        "started_at": "2026-11-28T17:54:00+00:00",
        "last_updated_at": "2026-11-28T17:53:36.304000+00:00",
        "execution_number": 1,
        "retry_attempt": 2,
    }


def test_thing_list_summary_takes_the_job_from_the_entry_and_the_thing_from_the_caller():
    entry = {"jobId": "fw-2-4-1", "jobExecutionSummary": summary()}
    item = shape_execution_summary(entry, thing_name="sensor-0042", thing_arn=ARN)
    assert (item["job_id"], item["thing_name"], item["thing_arn"]) == ("fw-2-4-1", "sensor-0042", ARN)


@pytest.mark.parametrize(
    "shaped",
    [
        shape_execution(describe_answer()),
        shape_execution_summary({"thingArn": ARN, "jobExecutionSummary": summary()}, job_id="j"),
        shape_execution_summary({"jobId": "j", "jobExecutionSummary": summary()}, thing_name="t"),
        shape_execution_summary({}, job_id="j"),
    ],
    ids=["describe", "job-list", "thing-list", "empty-entry"],
)
def test_every_item_has_the_execution_keys(shaped):
    assert set(EXECUTION_KEYS) <= set(shaped)


@pytest.mark.parametrize("entry", [{"jobExecutionSummary": summary()},
                                   {"jobExecutionSummary": summary(retryAttempt=0)}])
def test_list_items_have_retry_attempt_even_when_the_endpoint_omits_it(entry):
    assert shape_execution_summary(entry, job_id="j")["retry_attempt"] == 0


def test_thing_name_comes_from_an_arn_in_another_partition():
    arn = "arn:aws-cn:iot:cn-north-1:123456789012:thing/meter-7"
    item = shape_execution_summary({"thingArn": arn, "jobExecutionSummary": summary()}, job_id="j")
    assert item["thing_name"] == "meter-7"


def test_job_keeps_document_parameters_verbatim():
    parameters = {"firmwareUrl": "s3://bucket/fw.bin", "fw:Version": "2.4.1"}
    item = shape_job({
        "jobId": "fw-2-4-1",
        "status": "IN_PROGRESS",
        "documentParameters": dict(parameters),
        "createdAt": QUEUED_AT,
        "jobProcessDetails": {"processingTargets": ["arn:aws:iot:eu-west-1:123456789012:thinggroup/g"],
                              "numberOfSucceededThings": 4},
    })
    assert item["document_parameters"] == parameters
    assert item["created_at"] == "2026-11-28T17:53:36.304000+00:00"
    details = item["job_process_details"]
    assert details["processing_targets"] == ["arn:aws:iot:eu-west-1:123456789012:thinggroup/g"]
    assert details["number_of_succeeded_things"] == 4
    assert "numberOfSucceededThings" not in details


@pytest.mark.parametrize("details", [None, {"processingTargets": None}, {"processingTargets": []}],
                         ids=["no-process-details", "null-targets", "empty-targets"])
def test_job_processing_targets_is_always_a_list(details):
    job = {"jobId": "j", "status": "COMPLETED"}
    if details is not None:
        job["jobProcessDetails"] = details
    assert shape_job(job)["job_process_details"]["processing_targets"] == []


def test_a_config_the_job_was_created_without_is_none_however_aws_answers():
    # AWS answers {} for some (the AWS CLI's describe-job example) and leaves out others.
    answered = shape_job({"jobId": "j", "status": "IN_PROGRESS", "presignedUrlConfig": {},
                          "jobExecutionsRolloutConfig": {}, "timeoutConfig": {}, "abortConfig": {}})
    left_out = shape_job({"jobId": "j", "status": "IN_PROGRESS"})
    assert answered == left_out
    for key in ("abort_config", "job_executions_retry_config", "job_executions_rollout_config", "timeout_config"):
        assert answered[key] is None
    assert "presigned_url_config" not in answered


def test_a_config_the_job_was_created_with_is_kept():
    item = shape_job({"jobId": "j", "timeoutConfig": {"inProgressTimeoutInMinutes": 30},
                      "presignedUrlConfig": {"roleArn": "arn:aws:iam::123456789012:role/r", "expiresInSec": 600}})
    assert item["timeout_config"] == {"in_progress_timeout_in_minutes": 30}
    assert item["presigned_url_config"] == {"role_arn": "arn:aws:iam::123456789012:role/r", "expires_in_sec": 600}
