"""The gate's decision rules, without an endpoint."""

from __future__ import annotations

import pytest

from ansible_collections.iotops.aws.plugins.module_utils.wait_decision import (
    FAILED,
    NEEDS_RETRY_DETAILS,
    SUCCEEDED,
    WAITING,
    GatePolicy,
    JobSnapshot,
    Observed,
    decide_fleet,
    decide_things,
    failure_message,
    progress_line,
    timeout_message,
)

DEFAULT = GatePolicy()


def job(status="IN_PROGRESS", rollout_pending=False, retry=None, **counts):
    return JobSnapshot("fw", status, rollout_pending, counts, retry or {})


THING_CASES = [
    # (name, seen, job, policy, pinned, expected state)
    ("all succeeded", {"a": "SUCCEEDED", "b": "SUCCEEDED"}, job(), DEFAULT, False, SUCCEEDED),
    ("one still working", {"a": "SUCCEEDED", "b": "IN_PROGRESS"}, job(), DEFAULT, False, WAITING),
    ("one queued", {"a": "QUEUED", "b": "SUCCEEDED"}, job(), DEFAULT, False, WAITING),
    ("one failed, none allowed", {"a": "FAILED", "b": "IN_PROGRESS"}, job(), DEFAULT, False, FAILED),
    ("one rejected, one allowed", {"a": "REJECTED", "b": "SUCCEEDED"}, job(), GatePolicy(max_failures=1), False, SUCCEEDED),
    ("not in fail_on", {"a": "REMOVED", "b": "SUCCEEDED"}, job(), GatePolicy(frozenset({"FAILED"})), False, SUCCEEDED),
    ("fail_on empty reports", {"a": "FAILED", "b": "TIMED_OUT"}, job(), GatePolicy(frozenset()), False, SUCCEEDED),
    ("missing is waited for", {"a": "SUCCEEDED"}, job(), DEFAULT, False, WAITING),
    ("missing after the job is over", {"a": "SUCCEEDED"}, job("COMPLETED"), DEFAULT, False, FAILED),
    ("failed with retries left", {"a": ("FAILED", 0), "b": "SUCCEEDED"}, job(retry={"FAILED": 2}), DEFAULT, False, WAITING),
    ("failed with retries unknown", {"a": "FAILED", "b": "SUCCEEDED"}, job(retry={"FAILED": 2}), DEFAULT, False, WAITING),
    ("failed with retries used up", {"a": ("FAILED", 2), "b": "SUCCEEDED"}, job(retry={"FAILED": 2}), DEFAULT, False, FAILED),
    ("ALL covers timeouts", {"a": ("TIMED_OUT", 0), "b": "SUCCEEDED"}, job(retry={"ALL": 1}), DEFAULT, False, WAITING),
    ("retries only for FAILED", {"a": ("TIMED_OUT", 0), "b": "SUCCEEDED"}, job(retry={"FAILED": 3}), DEFAULT, False, FAILED),
    ("rejections are never retried", {"a": ("REJECTED", 0), "b": "SUCCEEDED"}, job(retry={"ALL": 3}), DEFAULT, False, FAILED),
    ("a canceled job retries nothing", {"a": ("FAILED", 0), "b": "SUCCEEDED"}, job("CANCELED", retry={"FAILED": 2}), DEFAULT, False, FAILED),
    ("pinned execution is final", {"a": ("FAILED", 0), "b": "SUCCEEDED"}, job(retry={"FAILED": 2}), DEFAULT, True, FAILED),
    ("percent at the limit", {"a": "FAILED", "b": "SUCCEEDED"}, job(), GatePolicy(max_failure_percent=50), False, SUCCEEDED),
    ("percent over the limit", {"a": "FAILED", "b": "SUCCEEDED"}, job(), GatePolicy(max_failure_percent=49.9), False, FAILED),
    ("fail fast with others pending", {"a": "FAILED", "b": "QUEUED"}, job(), GatePolicy(max_failure_percent=10), False, FAILED),
]


def _observed(value):
    status, attempt = value if isinstance(value, tuple) else (value, None)
    return Observed(status, attempt)


@pytest.mark.parametrize("name, seen, snapshot, policy, pinned, expected", THING_CASES, ids=[c[0] for c in THING_CASES])
def test_decide_things(name, seen, snapshot, policy, pinned, expected):
    seen = {thing: _observed(value) for thing, value in seen.items()}
    assert decide_things(snapshot, ["a", "b"], seen, policy, pinned).state == expected


def test_thing_verdict_lists_failed_pending_and_missing():
    seen = {"a": Observed("FAILED"), "b": Observed("IN_PROGRESS")}
    verdict = decide_things(job(), ["a", "b", "c"], seen, GatePolicy(max_failures=5))
    assert (verdict.failed, verdict.pending, verdict.missing) == (("a",), ("b",), ("c",))
    assert verdict.counts == {"FAILED": 1, "IN_PROGRESS": 1}
    assert (verdict.failures, verdict.total) == (1, 3)


FLEET_CASES = [
    ("rollout done, all succeeded", job(SUCCEEDED=10), DEFAULT, None, SUCCEEDED),
    ("rollout still creating executions", job(rollout_pending=True, SUCCEEDED=10), DEFAULT, None, WAITING),
    ("executions in progress", job(SUCCEEDED=9, IN_PROGRESS=1), DEFAULT, None, WAITING),
    ("a failure, none allowed", job(SUCCEEDED=5, FAILED=1, QUEUED=4), DEFAULT, None, FAILED),
    ("failures within percent", job(SUCCEEDED=98, FAILED=2), GatePolicy(max_failure_percent=2), None, SUCCEEDED),
    ("failures over percent", job(SUCCEEDED=97, FAILED=3), GatePolicy(max_failure_percent=2), None, FAILED),
    ("no executions at all", job(), DEFAULT, None, SUCCEEDED),
    ("being deleted", job("DELETION_IN_PROGRESS", SUCCEEDED=1), DEFAULT, None, FAILED),
    ("retryable failure could decide", job(retry={"FAILED": 1}, SUCCEEDED=5, FAILED=1, QUEUED=1), DEFAULT, None, NEEDS_RETRY_DETAILS),
    ("retryable failure cannot decide yet", job(retry={"FAILED": 1}, SUCCEEDED=5, FAILED=1, QUEUED=1),
     GatePolicy(max_failures=3), None, WAITING),
    ("everything else settled", job(retry={"FAILED": 1}, SUCCEEDED=5, FAILED=1), GatePolicy(max_failures=3), None,
     NEEDS_RETRY_DETAILS),
    ("retry still coming", job(retry={"FAILED": 1}, SUCCEEDED=5, FAILED=1), DEFAULT, {"FAILED": 0}, WAITING),
    ("retries used up", job(retry={"FAILED": 1}, SUCCEEDED=5, FAILED=1), DEFAULT, {"FAILED": 1}, FAILED),
    ("retries used up, allowed", job(retry={"FAILED": 1}, SUCCEEDED=5, FAILED=1), GatePolicy(max_failures=1),
     {"FAILED": 1}, SUCCEEDED),
    ("completed job retries nothing", job("COMPLETED", retry={"FAILED": 1}, SUCCEEDED=5, FAILED=1), DEFAULT, None, FAILED),
]


@pytest.mark.parametrize("name, snapshot, policy, exhausted, expected", FLEET_CASES, ids=[c[0] for c in FLEET_CASES])
def test_decide_fleet(name, snapshot, policy, exhausted, expected):
    assert decide_fleet(snapshot, policy, exhausted).state == expected


def test_job_snapshot_reads_shaped_describe_job():
    shaped = {
        "job_id": "fw",
        "status": "IN_PROGRESS",
        "job_process_details": {"processing_targets": ["arn:...:thinggroup/all"], "number_of_succeeded_things": 3,
                                "number_of_timed_out_things": 1, "number_of_in_progress_things": 2},
        "job_executions_retry_config": {"criteria_list": [{"failure_type": "TIMED_OUT", "number_of_retries": 2}]},
    }
    snapshot = JobSnapshot.from_job(shaped)
    assert snapshot.rollout_pending
    assert snapshot.counts["SUCCEEDED"] == 3 and snapshot.counts["TIMED_OUT"] == 1 and snapshot.counts["IN_PROGRESS"] == 2
    assert snapshot.retries_allowed("TIMED_OUT") == 2 and snapshot.retries_allowed("FAILED") == 0


def test_messages_are_one_line_and_say_why():
    verdict = decide_things(job(), ["a", "b"], {"a": Observed("FAILED"), "b": Observed("QUEUED")}, DEFAULT)
    items = [{"thing_name": "a", "status": "FAILED", "status_details": {"details_map": {"reason": "checksum\nmismatch"}}}]
    message = failure_message("fw", verdict, DEFAULT, items)
    assert message.startswith("Job fw: 1 of 2 executions failed, over the limit (max_failures 0): a FAILED (reason=checksum")
    assert message.endswith("; 1 still pending")
    waiting = decide_things(job(), ["a", "b"], {"a": Observed("IN_PROGRESS")}, DEFAULT)
    text = timeout_message("fw", 30, waiting, None, last_error="the last poll failed: ThrottlingException: Rate exceeded")
    assert text == ("Job fw: timed out after 30 s with 2 of 2 executions not finished; pending: a; "
                    "never appeared: b; the last poll failed: ThrottlingException: Rate exceeded")


def test_progress_line():
    line = progress_line("fw-2.4.1", {"SUCCEEDED": 812, "FAILED": 2, "REJECTED": 1, "IN_PROGRESS": 185}, 250, 710, expected=1000)
    assert line == "fw-2.4.1: 812/1000 succeeded, 3 failed, 185 in progress, 0 queued - 4m10s elapsed, 11m50s left"


def test_the_failure_count_never_trails_the_listed_failures():
    verdict = decide_fleet(job(SUCCEEDED=95, FAILED=2, IN_PROGRESS=3), DEFAULT)
    items = [{"thing_name": "dev-{0}".format(n), "status": "FAILED"} for n in range(5)]
    message = failure_message("fw", verdict, DEFAULT, items)
    assert message.startswith("Job fw: 5 of 100 executions failed") and message.count("and 2 more") == 1


def test_a_failure_seen_while_the_job_retried_stays_pending_after_the_job_ends():
    # Seen FAILED with a retry left; the job has completed since, so the
    # retry ran: only a fresh look can tell how it ended.
    earlier = {"a": Observed("FAILED", 0, job_over=False), "b": Observed("SUCCEEDED")}
    verdict = decide_things(job("COMPLETED", retry={"FAILED": 1}), ["a", "b"], earlier, DEFAULT)
    assert verdict.state == WAITING and verdict.pending == ("a",)
    seen_after = {"a": Observed("FAILED", 0, job_over=True), "b": Observed("SUCCEEDED")}
    assert decide_things(job("COMPLETED", retry={"FAILED": 1}), ["a", "b"], seen_after, DEFAULT).state == FAILED
