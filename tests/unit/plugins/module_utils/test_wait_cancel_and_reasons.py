"""When the gate cancels the job and with what, the failure reasons'
tally, and the checks on their options: pure functions, data-driven."""

from __future__ import annotations

import pytest

from ansible_collections.iotops.aws.plugins.module_utils.validation import InvalidOption
from ansible_collections.iotops.aws.plugins.module_utils.wait_decision import (
    FAILED,
    SUCCEEDED,
    TIMED_OUT,
    WAITING,
    CancelPolicy,
    GatePolicy,
    JobSnapshot,
    Observed,
    cancel_due,
    decide_fleet,
    decide_things,
    failures_to_sample,
    tally_failure_reasons,
)
from ansible_collections.iotops.aws.plugins.module_utils.wait_messages import cancel_request, top_reasons_text
from ansible_collections.iotops.aws.plugins.module_utils.wait_options import WAIT_ARGUMENT_SPEC, build_wait_request


def job(status="IN_PROGRESS", **counts):
    return JobSnapshot("fw", status, False, counts)


ON_FAILURE = CancelPolicy(on_failure=True)
ON_TIMEOUT = CancelPolicy(on_timeout=True)
BOTH = CancelPolicy(on_failure=True, on_timeout=True)
LIMIT_1 = GatePolicy(max_failures=1)

CANCEL_CASES = [
    # (name, state, verdict, job, cancel policy, due)
    ("over the limit", FAILED, decide_fleet(job(FAILED=2, QUEUED=5), LIMIT_1), job(), ON_FAILURE, True),
    ("over the limit, not asked", FAILED, decide_fleet(job(FAILED=2, QUEUED=5), LIMIT_1), job(), CancelPolicy(), False),
    ("over the limit, only timeouts asked", FAILED, decide_fleet(job(FAILED=2), LIMIT_1), job(), ON_TIMEOUT, False),
    ("scheduled job over the limit", FAILED, decide_fleet(job("SCHEDULED", FAILED=2), LIMIT_1), job("SCHEDULED"),
     ON_FAILURE, True),
    ("canceled by AWS's abortConfig", FAILED, decide_fleet(job("CANCELED", FAILED=2, CANCELED=5), LIMIT_1),
     job("CANCELED"), BOTH, False),
    ("thing mode over the limit in a canceled job", FAILED,
     decide_things(job("CANCELED"), ["a", "b"], {"a": Observed("FAILED"), "b": Observed("CANCELED")}, LIMIT_1),
     job("CANCELED"), ON_FAILURE, False),
    ("completed over the limit", FAILED, decide_fleet(job("COMPLETED", FAILED=2, SUCCEEDED=1), LIMIT_1),
     job("COMPLETED"), ON_FAILURE, False),
    ("being deleted", FAILED, decide_fleet(job("DELETION_IN_PROGRESS", FAILED=2), LIMIT_1), job("DELETION_IN_PROGRESS"),
     BOTH, False),
    ("too few executions", FAILED, decide_fleet(job("COMPLETED", SUCCEEDED=1), GatePolicy(min_executions=5)),
     job("COMPLETED"), BOTH, False),
    ("timed out, asked", TIMED_OUT, decide_fleet(job(QUEUED=3), LIMIT_1), job(), ON_TIMEOUT, True),
    ("timed out, only failures asked", TIMED_OUT, decide_fleet(job(QUEUED=3), LIMIT_1), job(), ON_FAILURE, False),
    ("timed out without a poll", TIMED_OUT, None, None, ON_TIMEOUT, True),
    ("timed out on a completed job", TIMED_OUT, decide_fleet(job("COMPLETED", SUCCEEDED=3), LIMIT_1),
     job("COMPLETED"), ON_TIMEOUT, False),
    ("passed", SUCCEEDED, decide_fleet(job(SUCCEEDED=3), LIMIT_1), job(), BOTH, False),
    ("check mode, still waiting", WAITING, decide_fleet(job(QUEUED=3), LIMIT_1), job(), BOTH, False),
]


@pytest.mark.parametrize("name, state, verdict, snapshot, cancel, due", CANCEL_CASES, ids=[c[0] for c in CANCEL_CASES])
def test_when_the_gate_cancels(name, state, verdict, snapshot, cancel, due):
    assert cancel_due(state, verdict, snapshot, cancel) is due


REQUEST_CASES = [
    # (name, state, verdict, policy, cancel policy, expected request)
    ("default on failure", FAILED, decide_fleet(job(FAILED=2, REJECTED=1, QUEUED=6), GatePolicy(max_failures=2)),
     GatePolicy(max_failures=2), ON_FAILURE,
     dict(reason_code="GATE_FAILED", force=False, comment="Canceled by the rollout gate: 3 of 9 executions failed, over "
          "the limit (max_failures 2); executions: 2 FAILED, 6 QUEUED, 1 REJECTED")),
    ("default on failure, a share", FAILED, decide_fleet(job(FAILED=3, SUCCEEDED=97), GatePolicy(max_failure_percent=2)),
     GatePolicy(max_failure_percent=2), ON_FAILURE,
     dict(reason_code="GATE_FAILED", force=False, comment="Canceled by the rollout gate: 3 of 100 executions failed, "
          "over the limit (max_failure_percent 2); executions: 3 FAILED, 97 SUCCEEDED")),
    ("default on timeout", TIMED_OUT, decide_fleet(job(QUEUED=4, SUCCEEDED=1), LIMIT_1), LIMIT_1, ON_TIMEOUT,
     dict(reason_code="GATE_TIMED_OUT", force=False, comment="Canceled by the rollout gate: timed out after 600 s "
          "(limit: max_failures 1); executions: 4 QUEUED, 1 SUCCEEDED")),
    ("timeout without a poll", TIMED_OUT, None, LIMIT_1, ON_TIMEOUT,
     dict(reason_code="GATE_TIMED_OUT", force=False, comment="Canceled by the rollout gate: timed out after 600 s "
          "(limit: max_failures 1); executions: none seen")),
    ("the task's own", FAILED, decide_fleet(job(FAILED=2), LIMIT_1), LIMIT_1,
     CancelPolicy(on_failure=True, reason_code="CANARY_FAILED", comment="bad build", force=True),
     dict(reason_code="CANARY_FAILED", comment="bad build", force=True)),
]


@pytest.mark.parametrize("name, state, verdict, policy, cancel, expected", REQUEST_CASES, ids=[c[0] for c in REQUEST_CASES])
def test_what_the_cancel_sends(name, state, verdict, policy, cancel, expected):
    assert cancel_request(state, verdict, policy, cancel, 600) == expected


def failed(thing, status="FAILED", details=None):
    item = {"thing_name": thing, "status": status}
    if details is not None:
        item["status_details"] = {"details_map": details}
    return item


TALLY_CASES = [
    # (name, items, failure_reasons, failure_sample)
    ("none", [], {}, dict(sampled=0, failed=0, without_details=0)),
    ("counted per key, highest first, then by value", [
        failed("a", details={"reason": "flash write error", "step": "write"}),
        failed("b", "REJECTED", details={"reason": "battery below 20%"}),
        failed("c", details={"reason": "flash write error", "step": "verify"}),
        failed("d", details={"reason": "battery below 20%"}),
        failed("e", details={"reason": "flash write error"}),
    ], {"reason": {"flash write error": 3, "battery below 20%": 2}, "step": {"verify": 1, "write": 1}},
        dict(sampled=5, failed=5, without_details=0)),
    ("unread and empty details", [failed("a"), failed("b", details={}), failed("c", details={"fw:Stage": "2"})],
     {"fw:Stage": {"2": 1}}, dict(sampled=2, failed=3, without_details=1)),
    ("keys and values verbatim", [failed("a", details={"Error_Code": "E42 "})], {"Error_Code": {"E42 ": 1}},
     dict(sampled=1, failed=1, without_details=0)),
]


@pytest.mark.parametrize("name, items, reasons, sample", TALLY_CASES, ids=[c[0] for c in TALLY_CASES])
def test_failure_reasons_tally(name, items, reasons, sample):
    tally = tally_failure_reasons(items)
    assert tally == dict(failure_reasons=reasons, failure_sample=sample)
    assert list(tally["failure_reasons"]) == list(reasons)
    for key, values in reasons.items():
        assert list(tally["failure_reasons"][key].items()) == list(values.items())


TOP_CASES = [
    # (name, reasons, sample, text)
    ("none", {}, dict(sampled=0, failed=3), ""),
    ("all read", {"reason": {"flash write error": 41, "battery below 20%": 7}}, dict(sampled=48, failed=48),
     "top reasons in 48 of 48 failures: reason=flash write error (41), reason=battery below 20% (7)"),
    ("more than three", {"a": {"x": 5, "y": 1}, "b": {"z": 3, "w": 3}}, dict(sampled=50, failed=312),
     "top reasons in 50 of 312 failures: a=x (5), b=w (3), b=z (3) and 1 more"),
    ("one line, long values cut", {"log": {"line one\nline two " + "x" * 80: 2}}, dict(sampled=2, failed=2),
     "top reasons in 2 of 2 failures: log=line one line two " + "x" * 35 + "... (2)"),
]


@pytest.mark.parametrize("name, reasons, sample, text", TOP_CASES, ids=[c[0] for c in TOP_CASES])
def test_top_reasons_text(name, reasons, sample, text):
    assert top_reasons_text(reasons, sample) == text


SAMPLE_CASES = [
    # (name, items, bound, things described)
    ("bounded", [failed(t) for t in "abcde"], 3, ["a", "b", "c"]),
    ("zero", [failed(t) for t in "abc"], 0, []),
    ("read before, not again", [failed("a", details={}), failed("b"), failed("c", details={"r": "x"})], 5, ["b"]),
    ("devices' own failures first", [failed("a", "CANCELED"), failed("b", "REMOVED"), failed("c", "TIMED_OUT"),
                                     failed("d"), failed("e", "REJECTED")], 4, ["c", "d", "e", "a"]),
]


@pytest.mark.parametrize("name, items, bound, things", SAMPLE_CASES, ids=[c[0] for c in SAMPLE_CASES])
def test_failures_to_sample(name, items, bound, things):
    assert [item["thing_name"] for item in failures_to_sample(items, bound)] == things


def params(**given):
    values = dict((name, spec.get("default")) for name, spec in WAIT_ARGUMENT_SPEC.items())
    values.update(job_id="fw", **given)
    return values


OPTION_ERRORS = [
    (dict(cancel_on_failure=True, cancel_reason_code="gate-failed"),
     "cancel_reason_code: 'gate-failed' must be 1 to 128 characters of A-Z, 0-9 and _"),
    (dict(cancel_on_failure=True, cancel_reason_code=""), "cancel_reason_code: '' must be 1 to 128 characters"),
    (dict(cancel_on_timeout=True, cancel_reason_code="A" * 129), "cancel_reason_code: 'AAAA"),
    (dict(cancel_on_failure=True, cancel_comment=""), "cancel_comment: must be 1 to 2028 characters, got 0"),
    (dict(cancel_on_failure=True, cancel_comment="x" * 2029), "cancel_comment: must be 1 to 2028 characters, got 2029"),
    (dict(cancel_on_failure=True, cancel_comment="two\nlines"), "cancel_comment: must not contain control characters"),
    (dict(cancel_reason_code="GATE"), "cancel_reason_code: applies only with cancel_on_failure=true or cancel_on_timeout=true"),
    (dict(cancel_comment="why"), "cancel_comment: applies only with cancel_on_failure=true or cancel_on_timeout=true"),
    (dict(cancel_force=True), "cancel_force: applies only with cancel_on_failure=true or cancel_on_timeout=true"),
    (dict(failure_reasons_sample=-1), "failure_reasons_sample: must be 0 (no describes) or more, got -1"),
]


@pytest.mark.parametrize("given, message", OPTION_ERRORS, ids=[m.split(":")[0] + "-" + str(i) for i, (g, m) in enumerate(OPTION_ERRORS)])
def test_cancel_options_are_checked(given, message):
    with pytest.raises(InvalidOption) as caught:
        build_wait_request(params(**given))
    assert str(caught.value).startswith(message)


def test_cancel_options_reach_the_request():
    request = build_wait_request(params(cancel_on_failure=True, cancel_reason_code="A" * 128, cancel_comment="c" * 2028,
                                        cancel_force=True, failure_reasons_sample=0))
    assert request.cancel == CancelPolicy(True, False, "A" * 128, "c" * 2028, True)
    assert request.failure_reasons_sample == 0
    defaults = build_wait_request(params())
    assert defaults.cancel == CancelPolicy() and defaults.failure_reasons_sample == 50
