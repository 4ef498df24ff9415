"""The staged_rollout role in real ansible-playbook runs against the local
endpoint: one continuous job extended stage by stage, each stage gated on
its own thing group, a failed gate that cancels the job, input rejected
before any request, and reruns after the rollout finished or was killed in
any stage that reach the same verdict without a duplicate write.

Device timelines run on the request-driven clock (``request_clock``), so
that a stage is still being gated when a test kills the play, however fast
or slow the machine runs it.
"""

from __future__ import annotations

import pytest
from interruption import Interruption, gate_polled, kill_when_stopped, stage_written

from helpers import base_env, notified, run_playbook, staged_fleet, write_playbook, writes
from local_endpoint import device

JOB = "fw-3-0-0"
GROUPS = {
    "fw-canaries": ["canary-{0}".format(n) for n in range(3)],
    "fw-early-wave": ["early-{0}".format(n) for n in range(6)],
    "fw-rest": ["rest-{0}".format(n) for n in range(10)],
}
STAGES = [
    {"name": "canaries", "targets": ["fw-canaries"], "max_failures": 0, "min_executions": 3},
    {"name": "early wave", "targets": ["fw-early-wave"], "max_failure_percent": 2, "min_executions": 6},
    {"name": "rest", "targets": ["fw-rest"], "max_failure_percent": 2, "min_executions": 10},
]
RESULT_TASK = "Set the rollout's result"
# Devices finish 3 s (of the fleet's request-driven time) after they are notified: each gate polls a few times.
OK = device("SUCCEEDED", start=0.5, finish=3)
BAD = device("FAILED", start=0.5, finish=3, details={"reason": "flash write error"})


def role_vars(**changes):
    values = dict(
        staged_rollout_job_id=JOB,
        staged_rollout_document={"operation": "install", "version": "3.0.0"},
        staged_rollout_stages=[dict(stage, timeout=120, sleep=0.2) for stage in STAGES],
        staged_rollout_rollout={"maximum_per_minute": 1000},
    )
    values.update(changes)
    return {key: value for key, value in values.items() if value is not None}


def rollout_tasks(**changes):
    return [{"name": "Roll out", "ansible.builtin.include_role": {"name": "iotops.aws.staged_rollout"}, "vars": role_vars(**changes)}]


@pytest.fixture(autouse=True)
def stages(iot, request_clock):
    """Every test's fleet has the stages' groups, devices that succeed, and a request-driven clock."""
    staged_fleet(iot, request_clock, GROUPS, OK)


def rollout(run):
    """The role's staged_rollout fact, checked against what set_stats passed on."""
    facts = run.result(RESULT_TASK)["ansible_facts"]["staged_rollout"]
    assert run.result("Pass the result on to the next node of a workflow")["ansible_stats"]["data"]["staged_rollout"] == facts
    return facts


def verdicts(result):
    return [(stage["name"], stage["verdict"]) for stage in result["stages"]]


def failure_line(run):
    failed = [r for r in run.results if r["status"] == "failed" and r["task"] == "Fail with the reason of the stage that stopped the rollout"]
    assert failed, run.output
    msg = failed[-1]["result"]["msg"]
    assert "\n" not in msg and "Traceback" not in msg, msg
    return msg


@pytest.mark.smoke
def test_a_healthy_rollout_passes_every_stage_on_one_job(iot, playbook):
    run = playbook(rollout_tasks())
    assert run.rc == 0, run.output
    result = rollout(run)
    assert result["verdict"] == "succeeded" and result["canceled"] is False and result["job_id"] == JOB
    assert verdicts(result) == [("canaries", "succeeded"), ("early wave", "succeeded"), ("rest", "succeeded")]
    assert [stage["counts"] for stage in result["stages"]] == [{"SUCCEEDED": 3}, {"SUCCEEDED": 6}, {"SUCCEEDED": 10}]
    for stage in result["stages"]:
        assert stage["started_at"] <= stage["ended_at"] and stage["failure_reasons"] == {}
    assert writes(iot) == ["CreateJob", "AssociateTargetsWithJob", "AssociateTargetsWithJob"]
    job = iot.fleet.backend.jobs[JOB]
    assert job.target_selection == "CONTINUOUS" and job.status == "IN_PROGRESS"
    assert notified(iot, JOB) == set(sum(GROUPS.values(), []))


def test_a_failing_stage_cancels_the_job_and_later_stages_are_never_notified(iot, playbook):
    iot.fleet.set_devices(default=OK, devices={"early-1": BAD})
    run = playbook(rollout_tasks())
    assert run.rc != 0
    assert failure_line(run).startswith('Stage "early wave" of job {0} failed: '.format(JOB))
    result = rollout(run)
    assert result["verdict"] == "failed" and result["canceled"] is True
    assert verdicts(result) == [("canaries", "succeeded"), ("early wave", "failed"), ("rest", "not_started")]
    early = result["stages"][1]
    assert early["canceled"] is True and early["failure_reasons"] == {"reason": {"flash write error": 1}}
    assert result["stages"][2]["started_at"] is None
    assert writes(iot) == ["CreateJob", "AssociateTargetsWithJob", "CancelJob"]
    job = iot.fleet.backend.jobs[JOB]
    assert (job.status, job.reason_code) == ("CANCELED", "GATE_FAILED")
    assert not notified(iot, JOB) & set(GROUPS["fw-rest"])


@pytest.mark.parametrize("changes, message", [
    (dict(staged_rollout_stages=[dict(STAGES[0], max_failure_percent=2)]),
     "parameters are mutually exclusive: max_failures|max_failure_percent found in staged_rollout_stages"),
    (dict(staged_rollout_stages=[{"name": "canaries"}]), "missing required arguments: targets found in staged_rollout_stages"),
    (dict(staged_rollout_cancel_on_failure="maybe"), "argument 'staged_rollout_cancel_on_failure' is of type"),
    (dict(staged_rollout_job_id=None), "missing required arguments: staged_rollout_job_id"),
    (dict(staged_rollout_document_source="https://s3.amazonaws.com/fw/3.0.0.json"),
     "staged_rollout_document, staged_rollout_document_source, staged_rollout_job_template_arn: give exactly one, got 2"),
    (dict(staged_rollout_stages=[STAGES[0], dict(STAGES[1], name="canaries")]),
     'staged_rollout_stages[1].name: "canaries" names two stages'),
    (dict(staged_rollout_stages=[dict(STAGES[0], targets=["fw-canaries", "fw-early-wave"])]),
     "staged_rollout_stages[0].thing_group: the stage has 2 targets; name the thing group its gate counts"),
    (dict(staged_rollout_stages=[]), "staged_rollout_stages: give at least one stage"),
], ids=["two limits", "no targets", "not a bool", "no job id", "two documents", "same name", "no gate group", "no stage"])
def test_bad_input_fails_before_any_request(iot, playbook, changes, message):
    run = playbook(rollout_tasks(**changes))
    assert run.rc != 0
    failed = [r for r in run.results if r["status"] == "failed"]
    assert len(failed) == 1 and message in failed[0]["result"]["msg"], run.output
    assert iot.calls() == []


def run_interrupted(tmp_path, iot, monkeypatch, stage, kind):
    """Kill the rollout in ``stage`` (``kind`` as Interruption's), then run it again to its end."""
    at = stage_written(stage) if kind == "write" else gate_polled(STAGES[stage - 1]["targets"][0])
    interruption = Interruption(iot, at, kind)
    monkeypatch.setattr(iot.fleet, "clock", interruption)
    path = write_playbook(tmp_path, rollout_tasks(), name="rollout.yml")
    kill_when_stopped(tmp_path, iot, interruption, path)
    interruption.resume()
    return run_playbook(tmp_path, path, base_env(iot.url))


@pytest.mark.parametrize("stage", [1, 2, 3])
@pytest.mark.parametrize("kind", ["write", "gate"], ids=["after the extension", "during the gate"])
def test_a_rollout_killed_in_any_stage_resumes_to_the_same_verdict_without_a_duplicate_write(
        tmp_path, iot, monkeypatch, stage, kind):
    run = run_interrupted(tmp_path, iot, monkeypatch, stage, kind)
    assert run.rc == 0, run.output
    result = rollout(run)
    assert verdicts(result) == [("canaries", "succeeded"), ("early wave", "succeeded"), ("rest", "succeeded")]
    assert writes(iot) == ["CreateJob", "AssociateTargetsWithJob", "AssociateTargetsWithJob"]
    # The stages that had passed are gated again, at one poll each.
    assert [s["polls"] for s in result["stages"][:stage - 1]] == [1] * (stage - 1)
    assert notified(iot, JOB) == set(sum(GROUPS.values(), []))


def test_a_finished_rollout_run_again_changes_nothing_and_polls_each_stage_once(iot, playbook):
    first = playbook(rollout_tasks())
    assert first.rc == 0, first.output
    again = playbook(rollout_tasks())
    assert again.rc == 0, again.output
    result = rollout(again)
    assert verdicts(result) == verdicts(rollout(first))
    assert [s["polls"] for s in result["stages"]] == [1, 1, 1]
    assert [s["counts"] for s in result["stages"]] == [s["counts"] for s in rollout(first)["stages"]]
    assert writes(iot) == ["CreateJob", "AssociateTargetsWithJob", "AssociateTargetsWithJob"]


@pytest.mark.parametrize("kind", ["finished", "write", "gate"],
                         ids=["after it failed", "after the extension", "during the gate"])
def test_a_failed_rollout_run_again_fails_at_the_same_stage_without_another_write(
        tmp_path, iot, playbook, monkeypatch, kind):
    iot.fleet.set_devices(default=OK, devices={"early-1": BAD})
    if kind == "finished":
        first = playbook(rollout_tasks())
        assert rollout(first)["verdict"] == "failed"
        run = playbook(rollout_tasks())
    else:
        run = run_interrupted(tmp_path, iot, monkeypatch, 2, kind)
    assert run.rc != 0
    assert failure_line(run).startswith('Stage "early wave" of job {0} failed: '.format(JOB))
    result = rollout(run)
    assert result["verdict"] == "failed" and result["canceled"] is True
    assert verdicts(result) == [("canaries", "succeeded"), ("early wave", "failed"), ("rest", "not_started")]
    assert result["stages"][0]["polls"] == 1
    assert writes(iot) == ["CreateJob", "AssociateTargetsWithJob", "CancelJob"]
    assert not notified(iot, JOB) & set(GROUPS["fw-rest"])


def test_check_mode_sends_no_write_and_stops_at_the_first_stage_that_would_change_the_job(iot, playbook):
    fresh = playbook(rollout_tasks(), check=True)
    assert fresh.rc == 0, fresh.output
    assert verdicts(rollout(fresh)) == [("canaries", "waiting"), ("early wave", "not_started"), ("rest", "not_started")]
    assert writes(iot) == [] and iot.fleet.backend.jobs == {}
    done = playbook(rollout_tasks())
    assert done.rc == 0, done.output
    again = playbook(rollout_tasks(), check=True)
    assert again.rc == 0, again.output
    assert rollout(again)["verdict"] == "succeeded"
    assert writes(iot) == ["CreateJob", "AssociateTargetsWithJob", "AssociateTargetsWithJob"]


def test_the_report_is_written_from_the_rollout_whatever_the_verdict(iot, playbook, tmp_path):
    iot.fleet.set_devices(default=OK, devices={"early-1": BAD})
    run = playbook(rollout_tasks(staged_rollout_report_dir=str(tmp_path / "reports" / "fw")))
    assert run.rc != 0
    report = run.result("Write the report, whatever the verdict")
    assert report["verdict"] == "failed"
    assert [(s["name"], s["verdict"], s["failed"]) for s in report["stages"]][:2] == [
        ("canaries", "succeeded", 0), ("early wave", "failed", 1)]
    page = (tmp_path / "reports" / "fw" / (JOB + ".html")).read_text()
    assert "early-1" in page and "flash write error" in page
    assert (tmp_path / "reports" / "fw" / (JOB + ".md")).is_file()
