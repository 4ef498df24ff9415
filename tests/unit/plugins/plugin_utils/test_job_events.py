"""The event source's diffing: one event per change of a job, never one per poll."""

from __future__ import annotations

import pytest

from ansible_collections.iotops.aws.plugins.plugin_utils.job_events import (
    EXECUTIONS_FAILED,
    JOB_CANCELED,
    JOB_COMPLETED,
    JOB_DELETED,
    JOB_PROGRESS,
    JOB_STARTED,
    FailureLimit,
    JobView,
    event_type,
    job_event,
)

AT, BEFORE = "2026-01-01T00:00:10+00:00", "2026-01-01T00:00:00+00:00"


def view(status="IN_PROGRESS", **counts):
    return JobView("fw-1", status, dict(counts), "arn:aws:iot:us-east-1:123456789012:job/fw-1", "SNAPSHOT")


@pytest.mark.parametrize("previous, current, expected", [
    (None, view(queued=3), JOB_STARTED),
    (None, view(queued=2, failed=1), JOB_STARTED),           # first sight: started, even with failures
    (view(queued=3), view(queued=3), None),                   # nothing changed: no event
    (view(queued=3), view(queued=2, in_progress=1), JOB_PROGRESS),
    (view(queued=3), view("SCHEDULED", queued=3), JOB_PROGRESS),  # a maintenance window closed
    (view(queued=3), view(queued=2, failed=1), EXECUTIONS_FAILED),
    (view(queued=3), view(queued=2, timed_out=1), EXECUTIONS_FAILED),
    (view(failed=2, queued=1), view(failed=1, queued=2), JOB_PROGRESS),  # a failure retried: fewer, not new
    (view(queued=3), view("COMPLETED", succeeded=3), JOB_COMPLETED),
    (view(queued=3), view("COMPLETED", succeeded=2, failed=1), JOB_COMPLETED),  # how it ended comes first
    (view(queued=3), view("CANCELED", canceled=3), JOB_CANCELED),
    (view(queued=3), view("DELETION_IN_PROGRESS", queued=3), JOB_DELETED),
    (view(queued=3), JobView.gone("fw-1", view(queued=3)), JOB_DELETED),
    (None, view("COMPLETED", succeeded=3), JOB_COMPLETED),
])
def test_event_type(previous, current, expected):
    assert event_type(previous, current) == expected


@pytest.mark.parametrize("failures, executions, limit, over", [
    (2, 20, FailureLimit(10, 20), False),   # exactly 10 %: not more than the limit
    (3, 20, FailureLimit(10, 20), True),
    (3, 19, FailureLimit(10, 20), False),   # too few executions to judge
    (1, 1, FailureLimit(10, 20), False),
    (1, 1, FailureLimit(0), True),
    (0, 0, FailureLimit(0), False),
])
def test_failure_limit(failures, executions, limit, over):
    assert limit.over(failures, executions) is over


def test_failures_and_share_count_the_waits_failure_statuses():
    job = view(succeeded=5, failed=1, timed_out=1, rejected=1, removed=1, canceled=1, queued=10)
    assert (job.executions, job.failures, job.failure_share) == (20, 5, 0.25)


def test_no_event_without_a_change():
    assert job_event(view(queued=3), view(queued=3), AT, BEFORE) is None


def test_first_event_has_no_previous():
    event = job_event(None, view(queued=4), AT, limit=FailureLimit(10, 2))["iot_job"]
    assert event["type"] == JOB_STARTED
    assert event["previous"] is None
    assert event["changed"] == ["status", "counts", "executions", "failures", "failure_share", "over_limit"]
    assert event["counts"] == {"queued": 4}
    assert (event["executions"], event["failures"], event["failure_share"], event["over_limit"]) == (4, 0, 0.0, False)
    assert event["limit"] == {"max_failure_percent": 10, "min_executions": 2}
    assert event["at"] == AT


def test_event_says_what_changed_and_what_it_was():
    previous, current = view(queued=18, succeeded=2), view(queued=15, succeeded=2, failed=3)
    event = job_event(previous, current, AT, BEFORE, FailureLimit(10, 20))["iot_job"]
    assert event["type"] == EXECUTIONS_FAILED
    assert event["new_failures"] == 3
    assert event["changed"] == ["counts", "failures", "failure_share", "over_limit"]
    assert event["previous"] == {"status": "IN_PROGRESS", "counts": {"queued": 18, "succeeded": 2}, "executions": 20,
                                 "failures": 0, "failure_share": 0.0, "over_limit": False, "at": BEFORE}
    assert (event["failure_share"], event["over_limit"]) == (0.15, True)


def test_without_a_limit_there_is_no_over_limit():
    event = job_event(view(queued=3), view(queued=2, failed=1), AT, BEFORE)["iot_job"]
    assert event["over_limit"] is None and event["limit"] is None
    assert "over_limit" not in event["changed"]


def test_sample_and_tags_travel_with_the_event():
    sample = {"failure_reasons": {"reason": {"boot loop": 2}},
              "failure_sample": {"sampled": 2, "failed": 3, "without_details": 0}}
    event = job_event(view(queued=3), view(failed=3), AT, BEFORE, sample=sample,
                      tags={"iotops:guard": "off"})["iot_job"]
    assert event["failure_reasons"] == {"reason": {"boot loop": 2}}
    assert event["failure_sample"] == {"sampled": 2, "failed": 3, "without_details": 0}
    assert event["tags"] == {"iotops:guard": "off"}


def test_canceled_job_keeps_its_reason():
    canceled = JobView("fw-1", "CANCELED", {"canceled": 3}, reason_code="EDA_GUARD", comment="3 of 20 failed")
    event = job_event(view(queued=3), canceled, AT, BEFORE)["iot_job"]
    assert (event["type"], event["reason_code"], event["comment"]) == (JOB_CANCELED, "EDA_GUARD", "3 of 20 failed")


def test_deleted_job_keeps_its_last_counts():
    event = job_event(view(queued=3), JobView.gone("fw-1", view(queued=3)), AT, BEFORE)["iot_job"]
    assert (event["type"], event["status"], event["counts"], event["changed"]) == (JOB_DELETED, None, {"queued": 3},
                                                                                   ["status"])


def test_from_shaped_job():
    job = {"job_id": "fw-1", "job_arn": "arn", "status": "IN_PROGRESS", "target_selection": "CONTINUOUS",
           "job_process_details": {"number_of_queued_things": 2, "number_of_failed_things": 1,
                                   "number_of_succeeded_things": None}}
    snapshot = JobView.from_job(job)
    assert snapshot.counts["queued"] == 2 and snapshot.counts["failed"] == 1 and snapshot.counts["succeeded"] == 0
    assert (snapshot.executions, snapshot.target_selection) == (3, "CONTINUOUS")
