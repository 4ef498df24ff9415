"""The report's figures: every number comes from the registered result."""

from __future__ import annotations

import pytest

from report_results import failed_execution, gate_result

from ansible_collections.iotops.aws.plugins.plugin_utils.report_model import ReportInputError, build_report, duration_text


def test_counts_and_series_come_from_the_last_poll():
    report = build_report([{"name": "canary", "result": gate_result()}])
    stage = report.stages[0]
    assert stage.counts == (("SUCCEEDED", 8), ("FAILED", 1), ("REJECTED", 1))
    assert stage.total == 10
    assert [stage.series_total(s) for s in ("succeeded", "failed", "in_progress", "queued")] == [8, 2, 0, 0]
    assert [(p.at, p.succeeded, p.failed, p.in_progress, p.queued) for p in stage.timeline] == [
        (0.1, 0, 0, 0, 10), (5.1, 1, 0, 5, 4), (10.2, 7, 1, 2, 0), (42.4, 8, 2, 0, 0)]
    assert stage.seconds == 42.5 and stage.job_status == "COMPLETED"


def test_reasons_most_frequent_first_and_failed_devices_sorted():
    result = gate_result(reasons={"reason": {"flash": 3, "battery": 5}, "step": {"write": 3}},
                         executions=[failed_execution("b-2", reason="flash"), failed_execution("a-1", "REJECTED"),
                                     dict(failed_execution("ok-1"), status="SUCCEEDED")])
    stage = build_report([{"name": "s", "result": result}]).stages[0]
    assert stage.failure_reasons == (("reason", "battery", 5), ("reason", "flash", 3), ("step", "write", 3))
    assert [(d.thing_name, d.status, d.details) for d in stage.failed_devices] == [
        ("a-1", "REJECTED", ()), ("b-2", "FAILED", (("reason", "flash"),))]


def test_the_rollout_verdict_is_the_first_stage_that_did_not_succeed():
    report = build_report([{"name": "a", "result": gate_result()},
                           {"name": "b", "result": gate_result("timed_out", canceled=True)},
                           {"name": "c", "result": gate_result("failed")}], job_id="fw-1")
    assert report.verdict == "timed_out" and report.canceled
    assert report.title == "Rollout of job fw-1"
    assert report.seconds == 127.5


def test_a_skipped_gate_is_a_stage_that_did_not_run():
    report = build_report([{"name": "canaries", "result": gate_result("failed")},
                           {"name": "fleet", "result": {"changed": False, "skipped": True}, "max_failures": 5}])
    fleet = report.stages[1]
    assert (fleet.verdict, fleet.total, fleet.timeline, fleet.limit) == ("skipped", 0, (), "max_failures 5")
    assert report.verdict == "failed"


@pytest.mark.parametrize("entry, limit", [
    ({"max_failures": 3}, "max_failures 3"),
    ({"max_failure_percent": 2.5}, "max_failure_percent 2.5"),
    ({}, None),
])
def test_the_limit_is_the_stage_entry_s(entry, limit):
    assert build_report([dict(entry, name="s", result=gate_result())]).stages[0].limit == limit


def test_the_limit_is_read_from_the_invocation_when_the_result_has_one():
    result = gate_result(invocation={"module_args": {"job_id": "fw-1", "max_failures": None, "max_failure_percent": 5.0}})
    assert build_report([{"name": "s", "result": result}]).stages[0].limit == "max_failure_percent 5"


def test_role_stages_take_their_duration_from_their_times_and_may_lack_a_timeline():
    rollout_stage = {"name": "fleet", "verdict": "succeeded", "counts": {"SUCCEEDED": 90},
                     "started_at": "2026-11-30T01:00:00Z", "ended_at": "2026-11-30T01:04:05Z", "max_failures": 1}
    report = build_report([rollout_stage], option="staged_rollout.stages", verdict="succeeded", canceled=False)
    stage = report.stages[0]
    assert stage.seconds == 245.0 and stage.timeline == () and stage.total == 90 and stage.limit == "max_failures 1"


@pytest.mark.parametrize("stages, message", [
    ([], "stages: give at least one stage"),
    (["x"], "stages[0]: must be a dict with name and result, got str"),
    ([{"result": gate_result()}], "stages[0].name: every stage needs a name"),
    ([{"name": "a"}], "stages[0].result: give the gate's registered result"),
    ([{"name": "a", "result": "x"}], "stages[0].result: must be a registered result (a dict)"),
    ([{"name": "a", "result": gate_result(), "colour": 1}], "stages[0]: unsupported keys colour"),
    ([{"name": "a", "result": {"verdict": "succeeded"}}], "stages[0].result.timeline: missing"),
    ([{"name": "a", "result": {"timeline": []}}], "stages[0].result.verdict: missing"),
    ([{"name": "a", "result": gate_result(status_counts={"FAILED": -1})}], "stages[0].result.status_counts.FAILED: must be a count"),
    ([{"name": "a", "result": gate_result(timeline=[{"at": "x", "counts": {}}])}], "stages[0].result.timeline[0].at: must be seconds"),
    ([{"name": "a", "result": gate_result(timeline=[{"at": 2, "counts": {}}, {"at": 1, "counts": {}}])}],
     "stages[0].result.timeline[1].at: goes back in time"),
    ([{"name": "a", "result": gate_result()}, {"name": "a", "result": gate_result()}], "stages[1].name: 'a' names two stages"),
    ([{"name": "a", "result": gate_result(), "max_failures": "many"}], "stages[0].max_failures: must be a count"),
])
def test_bad_stages_are_one_line_naming_the_option(stages, message):
    with pytest.raises(ReportInputError) as raised:
        build_report(stages)
    assert str(raised.value).startswith(message), str(raised.value)
    assert "\n" not in str(raised.value)


@pytest.mark.parametrize("seconds, text", [(None, "\u2014"), (41.24, "41.2 s"), (245, "4 min 05 s"), (3725, "1 h 02 min")])
def test_durations(seconds, text):
    assert duration_text(seconds) == text
