"""iot_job_execution_wait with thing_group: one stage of a job that targets many groups, in real ansible-playbook runs."""

from __future__ import annotations

import pytest

from conftest import create_job_task, polls_so_far_task, until_polled_task

WAIT = "iotops.aws.iot_job_execution_wait"

QUICK = dict(outcome="SUCCEEDED", start=0.1, finish=0.3)
QUICK_FAIL = dict(outcome="FAILED", start=0.1, finish=0.3, details={"reason": "flash write error"})
FAILED_AT_ONCE = dict(QUICK_FAIL, start=0, finish=0)  # failed when the job is created
WORKING = dict(outcome=None, start=0.1)  # never finishes while the test runs

STAGE_A = ["a-0", "a-1", "a-2"]
STAGE_B = ["b-0", "b-1", "b-2", "b-3"]


def wait_task(group, name="wait", module_path=False, job_id="fw-stages", **args):
    args = dict(dict(job_id=job_id, thing_group=group, sleep=0.3, timeout=60), **args)
    task = {"name": name, WAIT: args, "ignore_errors": True}
    if module_path:
        # async: runs the module itself on the host, not the action plugin.
        task.update({"async": 120, "poll": 1})
    return task


def groups_task(iot, groups, parents=None):
    body = {"groups": groups}
    if parents:
        body["parents"] = parents
    return {"name": "groups", "ansible.builtin.uri": {"url": iot.url + "/_sim/things", "method": "POST",
                                                      "body_format": "json", "body": body}}


def stages_job(iot, job_id="fw-stages", target_selection="CONTINUOUS", **spec):
    """One job over stage A (succeeds) and stage B (three of four fail)."""
    devices = dict([(t, QUICK) for t in STAGE_A] + [(t, QUICK_FAIL) for t in STAGE_B[:3]] + [(STAGE_B[3], QUICK)])
    devices.update(spec.pop("devices", {}))
    return create_job_task(iot, job_id=job_id, groups={"stage-a": STAGE_A, "stage-b": STAGE_B}, devices=devices,
                           target_selection=target_selection, **spec)


@pytest.mark.smoke
@pytest.mark.parametrize("module_path", [False, True], ids=["action", "module"])
def test_a_stage_is_judged_on_its_own_devices_only(playbook, iot, module_path):
    run = playbook([
        stages_job(iot),
        wait_task("stage-a", name="gate a", module_path=module_path),
        wait_task("arn:aws:iot:us-east-1:123456789012:thinggroup/stage-b", name="gate b", module_path=module_path,
                  max_failures=1),
    ])
    gate_a, gate_b = run.result("gate a"), run.result("gate b")
    assert run.status("gate a") == "ok", gate_a
    assert gate_a["verdict"] == "succeeded" and gate_a["status_counts"] == {"SUCCEEDED": 3}
    assert gate_a["job_executions"] == [] and gate_a["failure_reasons"] == {}
    assert gate_a["msg"] == "Job fw-stages: all 3 executions finished; 0 in a fail_on status (limit: max_failures 0)"

    assert run.status("gate b") == "failed" and gate_b["verdict"] == "failed", gate_b
    assert gate_b["msg"].startswith("Job fw-stages: 3 of 4 executions failed, over the limit (max_failures 1): ")
    assert sorted(e["thing_name"] for e in gate_b["job_executions"]) == STAGE_B[:3]
    assert gate_b["failure_reasons"] == {"reason": {"flash write error": 3}}
    # The job's own counts mix both stages; each gate counted its own.
    assert iot.fleet.counts("fw-stages") == {"SUCCEEDED": 4, "FAILED": 3}


def test_child_groups_are_part_of_the_stage(playbook, iot):
    run = playbook([
        groups_task(iot, {"stage-a": STAGE_A, "stage-a-east": ["east-0"]}, parents={"stage-a-east": "stage-a"}),
        create_job_task(iot, job_id="fw-kids", groups={"stage-a": STAGE_A, "stage-a-east": ["east-0"]},
                        devices=dict([(t, QUICK) for t in STAGE_A] + [("east-0", QUICK_FAIL)])),
        wait_task("stage-a", job_id="fw-kids"),
    ])
    result = run.result("wait")
    assert result["verdict"] == "failed", result
    assert result["msg"].startswith("Job fw-kids: 1 of 4 executions failed, over the limit (max_failures 0): "
                                    "east-0 FAILED (reason=flash write error)"), result["msg"]
    pages = iot.calls("ListThingsInThingGroup")
    assert pages and all("recursive=true" in call.query for call in pages)


@pytest.mark.parametrize("module_path", [False, True], ids=["action", "module"])
def test_a_group_that_does_not_exist_fails_at_once(playbook, iot, module_path):
    run = playbook([stages_job(iot), wait_task("stage-z", module_path=module_path)])
    result = run.result("wait")
    assert run.status("wait") == "failed"
    assert result["msg"] == "Thing group stage-z does not exist in region us-east-1"
    assert len(iot.calls("DescribeJob")) == 1 and len(iot.calls("ListThingsInThingGroup")) == 1
    assert iot.calls("ListJobExecutionsForJob") == []


def test_a_thing_that_joins_the_group_is_counted_from_the_next_poll(playbook, iot):
    # a-2 works on while the wait runs; b-0 has failed in stage B.  Once the
    # wait has polled twice, b-0 joins stage A: the next poll counts it.
    run = playbook([
        stages_job(iot, job_id="fw-join", devices={"a-2": WORKING, "b-0": FAILED_AT_ONCE}),
        {"name": "wait", WAIT: {"job_id": "fw-join", "thing_group": "stage-a", "sleep": 0.3, "timeout": 90},
         "async": 120, "poll": 0, "register": "waiting"},
        until_polled_task(iot, "fw-join", 2),
        groups_task(iot, {"stage-a": ["b-0"]}),
        polls_so_far_task(iot, "fw-join"),
        {"name": "result", "ansible.builtin.async_status": {"jid": "{{ waiting.ansible_job_id }}"},
         "register": "done", "until": "done.finished", "retries": 300, "delay": 0.3, "ignore_errors": True},
    ])
    result = run.result("result")
    assert result["verdict"] == "failed", result
    assert result["msg"].startswith("Job fw-join: 1 of 4 executions failed, over the limit (max_failures 0): b-0 FAILED")
    polls_after_join = len([r for r in run.result("polls so far fw-join")["json"]["requests"]
                            if r["api"] == "DescribeJob"])
    assert 2 < result["polls"] <= polls_after_join + 1
    assert result["timeline"][0]["counts"].get("FAILED") is None


@pytest.mark.parametrize("module_path", [False, True], ids=["action", "module"])
def test_a_failed_stage_cancels_the_job_and_the_later_stage_is_stopped(playbook, iot, module_path):
    queued = dict(outcome="SUCCEEDED", start=3600, finish=3601)  # notified, not started while the test runs
    devices = dict([("a-0", QUICK_FAIL), ("a-1", WORKING), ("a-2", WORKING)] + [(t, queued) for t in STAGE_B])
    run = playbook([
        create_job_task(iot, job_id="fw-stop", groups={"stage-a": STAGE_A, "stage-b": STAGE_B}, devices=devices,
                        target_selection="CONTINUOUS"),
        wait_task("stage-a", job_id="fw-stop", module_path=module_path, cancel_on_failure=True),
    ])
    result = run.result("wait")
    assert result["verdict"] == "failed" and result["canceled"] is True, result
    assert result["cancel"]["comment"].startswith("Canceled by the rollout gate: 1 of 3 executions failed")
    assert iot.fleet.backend.jobs["fw-stop"].status == "CANCELED"
    canceled = iot.fleet.cancellation("fw-stop")
    assert canceled["by"] == "CancelJob"
    # Stage B's devices, notified but not started, are canceled: the next stage never runs.
    assert [iot.fleet.execution("fw-stop", t).status for t in STAGE_B] == ["CANCELED"] * len(STAGE_B)
    assert [iot.fleet.execution("fw-stop", t).status for t in STAGE_A] == ["FAILED", "IN_PROGRESS", "IN_PROGRESS"]


def test_min_executions_counts_the_stage_only(playbook, iot):
    # Seven executions in the job, three in stage A: min_executions 4 cannot be met.
    run = playbook([
        stages_job(iot, job_id="fw-few", target_selection="SNAPSHOT", devices=dict((t, QUICK) for t in STAGE_B)),
        wait_task("stage-a", job_id="fw-few", min_executions=4),
        wait_task("stage-a", name="enough", job_id="fw-few", min_executions=3),
    ])
    result = run.result("wait")
    assert result["verdict"] == "failed", result
    assert result["msg"] == "Job fw-few is COMPLETED with 3 executions, fewer than min_executions 4: 3 SUCCEEDED"
    assert run.result("enough")["verdict"] == "succeeded"


@pytest.mark.parametrize("module_path", [False, True], ids=["action", "module"])
def test_check_mode_polls_once_and_cancels_nothing(playbook, iot, module_path):
    devices = dict([("a-0", FAILED_AT_ONCE), ("a-1", WORKING), ("a-2", WORKING)])
    run = playbook([
        create_job_task(iot, job_id="fw-check", groups={"stage-a": STAGE_A, "stage-b": STAGE_B}, devices=devices),
        wait_task("stage-a", job_id="fw-check", module_path=module_path, cancel_on_failure=True),
    ], check=True)
    result = run.result("wait")
    assert run.status("wait") == "ok", result
    assert result["polls"] == 1 and result["verdict"] == "failed" and result["changed"] is True
    assert result["msg"].endswith("; check mode: would cancel the job (reason code GATE_FAILED)"), result["msg"]
    assert iot.calls("CancelJob") == []
