"""The event source's main(), driven with a queue against the local endpoint, without ansible-rulebook.

The fleet moves with the requests (request_clock), so what the source sees
does not depend on how fast the machine runs it.
"""

from __future__ import annotations

import pytest

from helpers import SECRET_KEY
from eda_helpers import busiest_second, collect, run_until_error, source_args
from local_endpoint import device

THINGS = ["sensor-{0:02d}".format(index) for index in range(20)]
GOOD = device("SUCCEEDED", start=1, finish=4)
BAD = device("FAILED", start=1, finish=2, details={"reason": "boot loop after flashing"})


def types(events, job_id=None):
    return [event["type"] for event in events if job_id is None or event["job_id"] == job_id]


def ended(job_id):
    return lambda events: any(e["job_id"] == job_id and e["type"] in ("job_completed", "job_canceled", "job_deleted")
                              for e in events)


def test_one_event_per_change_never_per_poll(iot, request_clock):
    request_clock(0.1)
    iot.fleet.create_job("fw-good", things=THINGS, default=GOOD, failing=BAD, failing_fraction=0.1)
    events = collect(source_args(iot, include_failures=True, max_failure_percent=10, min_executions=20),
                     ended("fw-good"))
    kinds = types(events)
    assert kinds[0] == "job_started" and kinds[-1] == "job_completed"
    assert set(kinds[1:-1]) <= {"job_progress", "executions_failed"} and "executions_failed" in kinds
    # Far more rounds than events, and every event a change from the one before.
    assert len(iot.calls("ListJobs")) > len(events) + 2
    for before, after in zip(events, events[1:]):
        assert after["changed"] and after["previous"]["counts"] == before["counts"]
        assert any(after[name] != before[name] for name in after["changed"])
    last = events[-1]
    assert last["counts"]["succeeded"] == 18 and last["counts"]["failed"] == 2
    assert (last["failure_share"], last["over_limit"]) == (0.1, False)  # 10 %: not more than the limit
    failed = [e for e in events if e["new_failures"]]
    assert sum(e["new_failures"] for e in failed) == 2
    assert sum(e["failure_reasons"]["reason"]["boot loop after flashing"] for e in failed) == 2
    assert sum(e["failure_sample"]["sampled"] for e in failed) == 2


def test_a_finished_job_is_described_once_more_then_dropped(iot, request_clock):
    request_clock(0.1)
    iot.fleet.create_job("fw-done", things=THINGS[:3], default=GOOD)
    collect(source_args(iot), ended("fw-done"))
    describes = len(iot.calls("DescribeJob"))
    collect(source_args(iot, job_ids=["fw-done", "fw-other"]),
            lambda events: len(iot.calls("ListJobs")) > 5)
    assert len(iot.calls("DescribeJob")) == describes  # no longer listed, never described


def test_over_limit_canceled_and_deleted(iot, request_clock):
    request_clock(0.1)
    iot.fleet.create_job("fw-bad", things=THINGS, default=GOOD, failing=BAD, failing_fraction=0.3)
    iot.fleet.create_job("fw-doomed", things=THINGS[:4], default=device(None))
    client = iot.client()
    acted = []

    def act_once_over(events):
        """Once fw-bad is over the limit, cancel it and delete fw-doomed, as
        a rulebook would; done when the source has reported both."""
        if not acted and any(e["over_limit"] for e in events):
            client.cancel_job(jobId="fw-bad", reasonCode="EDA_GUARD", comment="over the limit")
            client.delete_job(jobId="fw-doomed", force=True)
            acted.append(len(events))
        return ended("fw-bad")(events) and ended("fw-doomed")(events)

    events = collect(source_args(iot, max_failure_percent=10, min_executions=20), act_once_over)
    over = next(e for e in events if e["over_limit"])
    assert over["job_id"] == "fw-bad" and over["failures"] * 10 > over["executions"] >= 20
    assert "over_limit" in over["changed"] and over["previous"]["over_limit"] is False
    canceled = next(e for e in events if e["job_id"] == "fw-bad" and e["type"] == "job_canceled")
    assert (canceled["status"], canceled["reason_code"], canceled["comment"]) == ("CANCELED", "EDA_GUARD",
                                                                                  "over the limit")
    assert types(events, "fw-doomed")[-1] == "job_deleted"


@pytest.mark.parametrize("args, seen", [
    (dict(job_ids=["fw-a1"]), {"fw-a1"}),
    (dict(job_id_prefix="fw-a"), {"fw-a1", "fw-a2"}),
    (dict(thing_group="canaries"), {"fw-b1"}),
    (dict(), {"fw-a1", "fw-a2", "fw-b1"}),
])
def test_filters(iot, args, seen):
    for job_id in ("fw-a1", "fw-a2"):
        iot.fleet.create_job(job_id, things=THINGS[:2])
    iot.fleet.create_job("fw-b1", groups={"canaries": THINGS[2:4]})
    events = collect(source_args(iot, **args), lambda events: len(iot.calls("ListJobs")) >= 3 and len(events) >= len(seen))
    assert {e["job_id"] for e in events} == seen
    assert types(events) == ["job_started"] * len(seen)


def test_tags_are_read_when_a_job_is_first_seen(iot):
    iot.fleet.create_job("fw-tagged", things=THINGS[:2])
    client = iot.client()
    client.tag_resource(resourceArn="arn:aws:iot:us-east-1:123456789012:job/fw-tagged",
                        tags=[{"Key": "iotops:guard", "Value": "off"}])
    events = collect(source_args(iot, include_tags=True), lambda events: len(events) >= 1)
    assert events[0]["tags"] == {"iotops:guard": "off"}
    assert len(iot.calls("ListTagsForResource")) == 1


def test_faults_are_retried_and_never_stop_the_source(iot, request_clock):
    request_clock(0.1)
    iot.fleet.create_job("fw-faulty", things=THINGS[:5], default=GOOD)
    iot.set_faults(throttle_rate=0.3, error_rate=0.2, seed=7)
    events = collect(source_args(iot, aws_config={"retries": {"total_max_attempts": 2}}), ended("fw-faulty"))
    assert types(events)[0] == "job_started" and types(events)[-1] == "job_completed"
    assert any(record.fault for record in iot.calls())


@pytest.mark.parametrize("deny", ["AccessDeniedException", "InvalidSignatureException"])
def test_refused_credentials_stop_the_source_in_one_line(iot, deny):
    iot.set_faults(deny=deny)
    error = run_until_error(source_args(iot))
    text = str(error)
    assert deny in text and "ListJobs" in text and "\n" not in text
    assert SECRET_KEY not in text
    assert len(iot.calls()) == 1


@pytest.mark.parametrize("args, expected", [
    (dict(interval=0), "interval: must be more than 0"),
    (dict(job_ids=["fw-1"], job_id_prefix="fw-"), "mutually exclusive"),
    (dict(job_ids=["no spaces"]), "job_ids: 'no spaces' is not a job ID"),
    (dict(thing_group="a/b"), "thing_group"),
    (dict(max_requests_per_second=0.5), "max_requests_per_second: must be 1 or more"),
    (dict(max_failure_percent=100), "max_failure_percent"),
    (dict(colour="blue"), "colour"),
    (dict(endpoint_url="ftp://example.com"), "endpoint_url"),
    (dict(access_key=None), "secret_key is set but access_key is not"),
])
def test_bad_arguments_fail_at_start_in_one_line(iot, args, expected):
    error = run_until_error(source_args(iot, **args))
    text = str(error)
    assert text.startswith("iotops.aws.iot_job_events: ") and expected in text and "\n" not in text
    assert SECRET_KEY not in text
    assert iot.calls() == []


def test_budget_holds_with_50_jobs_under_throttling(iot):
    """10 TPS per API at the endpoint, half of it used by others: the source's
    throttled attempts and their retries count against its budget too."""
    for index in range(50):
        iot.fleet.create_job("fw-{0:02d}".format(index), things=["dev-{0:02d}".format(index)])
    iot.set_faults(rate_limit_tps=10, neighbour_tps=5)

    def rounds():
        return len([r for r in iot.calls("ListJobs") if r.status == 200])

    events = collect(source_args(iot, max_requests_per_second=8, interval=0.5),
                     lambda events: len(events) >= 50 and rounds() >= 2)
    records = iot.calls()
    assert len(events) == 50 and len(records) >= 100
    assert any(record.fault == "throttle" for record in records)
    assert busiest_second(records) <= 8
