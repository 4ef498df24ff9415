"""The gate's decision rules, without an endpoint."""

from __future__ import annotations

import pytest

from ansible_collections.iotops.aws.plugins.module_utils.wait_decision import (
    FAILED,
    NEEDS_RETRY_DETAILS,
    REASON_BEING_DELETED,
    REASON_JOB_CANCELED,
    REASON_NEVER_GOT_EXECUTION,
    REASON_NO_EXECUTIONS,
    REASON_OVER_LIMIT,
    REASON_TOO_FEW_EXECUTIONS,
    SUCCEEDED,
    WAITING,
    GatePolicy,
    JobSnapshot,
    Observed,
    decide_fleet,
    decide_things,
    job_result,
)
from ansible_collections.iotops.aws.plugins.module_utils.wait_messages import (
    failure_message,
    missing_job_message,
    progress_line,
    success_message,
    timeout_message,
)

DEFAULT = GatePolicy()
REPORT_ONLY = GatePolicy(frozenset())


def job(status="IN_PROGRESS", rollout_pending=False, retry=None, reason_code=None, comment=None, scheduling=None,
        rollouts=None, **counts):
    return JobSnapshot("fw", status, rollout_pending, counts, retry or {}, reason_code, comment, scheduling, rollouts)


CANCELED_BY_GATE = dict(reason_code="GATE_FAILED", comment="Stopped by the\nrollout gate")


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
    # Lifecycle: a SCHEDULED job has not started, or waits for its next window.
    ("scheduled, nothing yet", {}, job("SCHEDULED"), DEFAULT, False, WAITING),
    ("scheduled, one thing missing", {"a": "SUCCEEDED"}, job("SCHEDULED"), DEFAULT, False, WAITING),
    ("between windows, failure still fails fast", {"a": "FAILED", "b": "QUEUED"}, job("SCHEDULED"), DEFAULT, False, FAILED),
    ("between windows, retry comes in the next one", {"a": ("FAILED", 0), "b": "SUCCEEDED"},
     job("SCHEDULED", retry={"FAILED": 1}), DEFAULT, False, WAITING),
    ("canceled job, missing thing", {"a": "SUCCEEDED"}, job("CANCELED"), DEFAULT, False, FAILED),
    ("canceled job, canceled execution", {"a": "CANCELED", "b": "SUCCEEDED"}, job("CANCELED"), GatePolicy(max_failures=0), False,
     FAILED),
    ("canceled job, execution still in progress", {"a": "IN_PROGRESS", "b": "SUCCEEDED"}, job("CANCELED"), DEFAULT, False,
     WAITING),
    ("canceled job, named things had succeeded", {"a": "SUCCEEDED", "b": "SUCCEEDED"}, job("CANCELED"), DEFAULT, False, SUCCEEDED),
    ("canceled job, CANCELED not in fail_on", {"a": "CANCELED", "b": "SUCCEEDED"}, job("CANCELED"),
     GatePolicy(frozenset({"FAILED"})), False, SUCCEEDED),
    ("canceled job, report only", {"a": "CANCELED", "b": "SUCCEEDED"}, job("CANCELED"), REPORT_ONLY, False, SUCCEEDED),
]


def _observed(value):
    status, attempt = value if isinstance(value, tuple) else (value, None)
    return Observed(status, attempt)


@pytest.mark.parametrize("name, seen, snapshot, policy, pinned, expected", THING_CASES, ids=[c[0] for c in THING_CASES])
def test_decide_things(name, seen, snapshot, policy, pinned, expected):
    seen = {thing: _observed(value) for thing, value in seen.items()}
    assert decide_things(snapshot, ["a", "b"], seen, policy, pinned).state == expected


@pytest.mark.parametrize("snapshot, seen, reason", [
    (job("SCHEDULED"), {"a": "SUCCEEDED"}, ""),
    (job("CANCELED"), {"a": "SUCCEEDED"}, REASON_NEVER_GOT_EXECUTION),
    (job("COMPLETED"), {"a": "SUCCEEDED"}, REASON_NEVER_GOT_EXECUTION),
    (job("CANCELED"), {"a": "SUCCEEDED", "b": "CANCELED"}, REASON_OVER_LIMIT),
], ids=["scheduled waits", "canceled, missing", "completed, missing", "canceled execution"])
def test_thing_verdict_reasons(snapshot, seen, reason):
    assert decide_things(snapshot, ["a", "b"], dict((t, Observed(s)) for t, s in seen.items()), DEFAULT).reason == reason


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
    ("no executions at all", job(), DEFAULT, None, WAITING),
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


FLEET_LIFECYCLE_CASES = [
    # (name, job, policy, exhausted, expected state, expected reason)
    # SCHEDULED: not started, or between maintenance windows.  Never a pass.
    ("scheduled, no executions", job("SCHEDULED"), DEFAULT, None, WAITING, ""),
    ("scheduled, not started, targets pending", job("SCHEDULED", rollout_pending=True), DEFAULT, None, WAITING, ""),
    ("between windows, everything final so far", job("SCHEDULED", SUCCEEDED=5), DEFAULT, None, WAITING, ""),
    ("between windows, failures still fail fast", job("SCHEDULED", SUCCEEDED=3, FAILED=1), DEFAULT, None, FAILED,
     REASON_OVER_LIMIT),
    ("between windows, a retry could decide", job("SCHEDULED", retry={"FAILED": 1}, SUCCEEDED=5, FAILED=1), DEFAULT, None,
     NEEDS_RETRY_DETAILS, ""),
    ("between windows, retry comes in the next one", job("SCHEDULED", retry={"FAILED": 1}, SUCCEEDED=5, FAILED=1), DEFAULT,
     {"FAILED": 0}, WAITING, ""),
    # Zero executions is never a pass.
    ("empty, in progress: a continuous job may still get some", job(), DEFAULT, None, WAITING, ""),
    ("empty, completed: targets matched no thing", job("COMPLETED"), DEFAULT, None, FAILED, REASON_NO_EXECUTIONS),
    ("empty, completed, report only", job("COMPLETED"), REPORT_ONLY, None, FAILED, REASON_NO_EXECUTIONS),
    ("empty, canceled", job("CANCELED"), DEFAULT, None, FAILED, REASON_JOB_CANCELED),
    ("empty, canceled, report only", job("CANCELED"), REPORT_ONLY, None, FAILED, REASON_NO_EXECUTIONS),
    # min_executions
    ("fewer than min_executions, in progress", job(SUCCEEDED=3), GatePolicy(min_executions=5), None, WAITING, ""),
    ("fewer than min_executions, between windows", job("SCHEDULED", SUCCEEDED=3), GatePolicy(min_executions=5), None,
     WAITING, ""),
    ("min_executions met", job(SUCCEEDED=5), GatePolicy(min_executions=5), None, SUCCEEDED, ""),
    ("completed with fewer than min_executions", job("COMPLETED", SUCCEEDED=3), GatePolicy(min_executions=5), None, FAILED,
     REASON_TOO_FEW_EXECUTIONS),
    ("min_executions counts failures too", job(SUCCEEDED=4, FAILED=1), GatePolicy(max_failures=1, min_executions=5), None,
     SUCCEEDED, ""),
    # A canceled job fails in fleet mode whatever the thresholds.
    ("canceled, within max_failures", job("CANCELED", SUCCEEDED=6, CANCELED=4), GatePolicy(max_failures=10), None, FAILED,
     REASON_JOB_CANCELED),
    ("canceled, CANCELED not in fail_on", job("CANCELED", SUCCEEDED=6, CANCELED=4), GatePolicy(frozenset({"FAILED"})), None,
     FAILED, REASON_JOB_CANCELED),
    ("canceled after every execution succeeded", job("CANCELED", SUCCEEDED=10), DEFAULT, None, FAILED, REASON_JOB_CANCELED),
    ("canceled, also over the limit", job("CANCELED", SUCCEEDED=2, FAILED=5), DEFAULT, None, FAILED, REASON_JOB_CANCELED),
    ("canceled, report only, devices still working", job("CANCELED", SUCCEEDED=6, CANCELED=3, IN_PROGRESS=1), REPORT_ONLY,
     None, WAITING, ""),
    ("canceled, report only, all final", job("CANCELED", SUCCEEDED=6, CANCELED=4), REPORT_ONLY, None, SUCCEEDED, ""),
    ("canceled, report only, stale processing targets", job("CANCELED", rollout_pending=True, SUCCEEDED=2, CANCELED=3),
     REPORT_ONLY, None, SUCCEEDED, ""),
    ("canceled, report only, too few", job("CANCELED", SUCCEEDED=2), GatePolicy(frozenset(), min_executions=5), None, FAILED,
     REASON_TOO_FEW_EXECUTIONS),
    ("being deleted", job("DELETION_IN_PROGRESS", SUCCEEDED=1), REPORT_ONLY, None, FAILED, REASON_BEING_DELETED),
]


@pytest.mark.parametrize("name, snapshot, policy, exhausted, expected, reason", FLEET_LIFECYCLE_CASES,
                         ids=[c[0] for c in FLEET_LIFECYCLE_CASES])
def test_decide_fleet_over_the_job_lifecycle(name, snapshot, policy, exhausted, expected, reason):
    verdict = decide_fleet(snapshot, policy, exhausted)
    assert (verdict.state, verdict.reason) == (expected, reason)


def _fleet(snapshot, policy=DEFAULT):
    return decide_fleet(snapshot, policy)


def _things(snapshot, seen, policy=DEFAULT):
    return decide_things(snapshot, ["a", "b"], dict((t, Observed(s)) for t, s in seen.items()), policy)


FAILED_A = [{"thing_name": "a", "status": "FAILED", "status_details": {"details_map": {"reason": "crc"}}}]
FAILURE_MESSAGES = [
    # (name, verdict, policy, failed items, the exact message)
    ("canceled fleet", _fleet(job("CANCELED", SUCCEEDED=6, CANCELED=4, **CANCELED_BY_GATE)), GatePolicy(max_failures=10), [],
     'Job fw: the job was canceled (reason code GATE_FAILED: "Stopped by the rollout gate"); '
     "executions: 4 CANCELED, 6 SUCCEEDED"),
    ("canceled fleet without reason, with a failure", _fleet(job("CANCELED", SUCCEEDED=1, FAILED=1)), DEFAULT, FAILED_A,
     "Job fw: the job was canceled; executions: 1 FAILED, 1 SUCCEEDED; failed: a FAILED (reason=crc)"),
    ("targets matched nothing", _fleet(job("COMPLETED")), DEFAULT, [],
     "Job fw is COMPLETED with no executions: its targets matched no thing"),
    ("canceled before the rollout", _fleet(job("CANCELED", reason_code="BAD_BUILD"), REPORT_ONLY), REPORT_ONLY, [],
     "Job fw: the job was canceled (reason code BAD_BUILD) before any execution was created"),
    ("canceled before the rollout, gating", _fleet(job("CANCELED")), DEFAULT, [],
     "Job fw: the job was canceled before any execution was created"),
    ("too few", _fleet(job("COMPLETED", SUCCEEDED=3), GatePolicy(min_executions=500)), GatePolicy(min_executions=500), [],
     "Job fw is COMPLETED with 3 executions, fewer than min_executions 500: 3 SUCCEEDED"),
    ("thing mode, canceled job", _things(job("CANCELED", **CANCELED_BY_GATE), {"a": "FAILED", "b": "CANCELED"}), DEFAULT,
     FAILED_A, 'Job fw: 2 of 2 executions failed, over the limit (max_failures 0): a FAILED (reason=crc); '
     'the job was canceled (reason code GATE_FAILED: "Stopped by the rollout gate")'),
    ("thing mode, never got one from a canceled job", _things(job("CANCELED", comment="abort"), {"a": "SUCCEEDED"}), DEFAULT,
     [], 'Job fw is CANCELED, but b never got an execution: not a target of the job; the job was canceled ("abort")'),
    ("being deleted", _fleet(job("DELETION_IN_PROGRESS")), DEFAULT, [], "Job fw is being deleted"),
]


@pytest.mark.parametrize("name, verdict, policy, items, expected", FAILURE_MESSAGES, ids=[c[0] for c in FAILURE_MESSAGES])
def test_failure_messages_follow_the_reason(name, verdict, policy, items, expected):
    assert verdict.state == FAILED
    assert failure_message("fw", verdict, policy, items) == expected


SCHEDULED_AT = dict(scheduling={"start_time": "2026-05-01T02:00"})
WINDOWS = dict(scheduling={"maintenance_windows": [{"start_time": "cron(0 2 * * ? *)", "duration_in_minutes": 60}]},
               rollouts=({"start_time": "2026-05-02T02:00"},))
TIMEOUT_MESSAGES = [
    # (name, job, policy, the exact message)
    ("still scheduled", job("SCHEDULED", **SCHEDULED_AT), DEFAULT,
     "Job fw: timed out after 30 s; still pending: none; the job is still SCHEDULED, to start at 2026-05-01T02:00"),
    ("scheduled without a start time", job("SCHEDULED"), DEFAULT,
     "Job fw: timed out after 30 s; still pending: none; the job is still SCHEDULED"),
    ("between windows", job("SCHEDULED", QUEUED=2, SUCCEEDED=3, **WINDOWS), DEFAULT,
     "Job fw: timed out after 30 s; still pending: 2 QUEUED; the job is SCHEDULED, between maintenance windows "
     "(next at 2026-05-02T02:00)"),
    ("before the first window", job("SCHEDULED", **WINDOWS), DEFAULT,
     "Job fw: timed out after 30 s; still pending: none; the job is SCHEDULED, waiting for its first maintenance window "
     "(next at 2026-05-02T02:00)"),
    ("empty continuous job", job(), DEFAULT,
     "Job fw: timed out after 30 s; still pending: none; no executions yet: the job's targets have matched no thing so far"),
    ("empty, rollout pending", job(rollout_pending=True), DEFAULT,
     "Job fw: timed out after 30 s; still pending: none; the rollout is still creating executions"),
    ("short of min_executions", job(SUCCEEDED=3), GatePolicy(min_executions=5),
     "Job fw: timed out after 30 s; still pending: none; 3 executions, fewer than min_executions 5"),
]


@pytest.mark.parametrize("name, snapshot, policy, expected", TIMEOUT_MESSAGES, ids=[c[0] for c in TIMEOUT_MESSAGES])
def test_timeout_messages_say_why_the_job_did_not_finish(name, snapshot, policy, expected):
    verdict = decide_fleet(snapshot, policy)
    assert verdict.state == WAITING
    assert timeout_message("fw", 30, verdict, snapshot, policy=policy) == expected


def test_success_message_says_the_job_was_canceled_in_report_only_mode():
    verdict = _fleet(job("CANCELED", SUCCEEDED=6, CANCELED=4, **CANCELED_BY_GATE), REPORT_ONLY)
    assert success_message("fw", verdict, REPORT_ONLY) == (
        'Job fw: all 10 executions finished; 0 in a fail_on status (limit: max_failures 0); '
        'the job was canceled (reason code GATE_FAILED: "Stopped by the rollout gate")')


@pytest.mark.parametrize("last_seen, expected", [
    (None, "Job fw does not exist"),
    (job(SUCCEEDED=3, QUEUED=2), "Job fw was deleted while the gate waited on it (last seen IN_PROGRESS; executions: "
                                 "2 QUEUED, 3 SUCCEEDED)"),
])
def test_a_missing_job_is_told_apart_from_a_deleted_one(last_seen, expected):
    assert missing_job_message("fw", last_seen) == expected


def test_a_missing_job_says_where_it_was_looked_for():
    assert missing_job_message("fw", None, "in us-west-2 at http://127.0.0.1:5000") == (
        "Job fw does not exist in us-west-2 at http://127.0.0.1:5000")


@pytest.mark.parametrize("snapshot, counts, expected", [
    (job("SCHEDULED", **SCHEDULED_AT), {},
     "fw: the job is still SCHEDULED, to start at 2026-05-01T02:00 - 0/0 succeeded, 0 failed, 0 in progress, 0 queued"),
    (job("SCHEDULED", **WINDOWS), {"SUCCEEDED": 2},
     "fw: the job is SCHEDULED, between maintenance windows (next at 2026-05-02T02:00) - 2/2 succeeded, 0 failed"),
    (job("CANCELED", reason_code="X"), {"CANCELED": 1}, "fw: the job was canceled (reason code X) - 0/1 succeeded, 1 failed"),
    (job(), {"QUEUED": 1}, "fw: 0/1 succeeded, 0 failed, 0 in progress, 1 queued - "),
])
def test_progress_line_names_the_job_state(snapshot, counts, expected):
    assert progress_line("fw", counts, 10, 50, job=snapshot).startswith(expected)


def test_job_result_carries_what_aws_gave():
    snapshot = job("CANCELED", scheduling={"start_time": "2026-05-01T02:00"}, rollouts=({"start_time": "x"},),
                   **CANCELED_BY_GATE)
    assert job_result(snapshot) == dict(job_status="CANCELED", reason_code="GATE_FAILED", comment="Stopped by the\nrollout gate",
                                        scheduling_config={"start_time": "2026-05-01T02:00"},
                                        scheduled_job_rollouts=[{"start_time": "x"}])
    assert set(job_result(None).values()) == {None}


def test_job_snapshot_reads_lifecycle_fields():
    shaped = {"job_id": "fw", "status": "SCHEDULED", "reason_code": None, "comment": "",
              "scheduling_config": {"start_time": "2026-05-01T02:00", "maintenance_windows": [{"start_time": "cron(0 2 * * ? *)"}]},
              "scheduled_job_rollouts": [{"start_time": "2026-05-01T02:00"}]}
    snapshot = JobSnapshot.from_job(shaped)
    assert snapshot.scheduled and not snapshot.over and snapshot.has_maintenance_windows
    assert (snapshot.start_time, snapshot.next_rollout) == ("2026-05-01T02:00", "2026-05-01T02:00")
    assert (snapshot.reason_code, snapshot.comment) == (None, None)


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
