"""The gate never passes a rollout that has not run or was stopped: scheduled
jobs, maintenance windows, empty jobs, canceled jobs, deleted jobs.

Schedules are offsets the tests do not race against: a start far beyond a
short timeout to prove the timeout, or a short one under a generous timeout
to prove the wait goes on through it.
"""

from __future__ import annotations

import sys

import pytest

from helpers import (ACCESS_KEY, SECRET_KEY, WAIT, create_job_task, ok, polls_so_far_task, schedule_task, until_polled_task,
                     wait_task)
from local_endpoint import device

NAMES = ["dev-{0}".format(index) for index in range(4)]
QUICK = dict(start=0, finish=0)


# -- scheduled jobs -----------------------------------------------------------
def test_a_scheduled_job_that_has_not_started_times_out_saying_so(playbook, iot):
    run = playbook([
        create_job_task(iot, job_id="fw-later", things=NAMES, default=ok(), scheduled_start=3600),
        wait_task(job_id="fw-later", timeout=2, sleep=0.5),
    ])
    result = run.result("wait")
    assert result["verdict"] == "timed_out", result["msg"]
    start = result["scheduling_config"]["start_time"]
    assert "the job is still SCHEDULED, to start at {0}".format(start) in result["msg"]
    assert result["job_status"] == "SCHEDULED" and result["status_counts"] == {}
    # A SCHEDULED job is waited on until the timeout, not given up at the
    # first read.  (How many polls fit in 2 s depends on the machine's speed;
    # that the wait goes on polling a scheduled job is proven below, by
    # test_a_scheduled_job_is_waited_for_until_it_has_run.)
    assert result["elapsed"] >= 2
    assert [entry["job_status"] for entry in result["timeline"]] == ["SCHEDULED"] * result["polls"]
    assert len(iot.calls("DescribeJob")) == result["polls"]
    assert "fw-later: the job is still SCHEDULED, to start at {0} - 0/0 succeeded".format(start) in run.stdout


def async_wait(job_id, **args):
    """The wait under ``async:``, so the play can change the job while it waits."""
    args = dict(dict(job_id=job_id, sleep=0.3, timeout=120), **args)
    return {"name": "wait", WAIT: args, "async": 180, "poll": 0, "register": "waiting"}


AWAIT_RESULT = {"name": "result", "ansible.builtin.async_status": {"jid": "{{ waiting.ansible_job_id }}"},
                "register": "done", "until": "done.finished", "retries": 300, "delay": 0.3, "ignore_errors": True}


def test_a_scheduled_job_is_waited_for_until_it_has_run(playbook, iot):
    # The job starts only once the wait has polled it twice while SCHEDULED.
    run = playbook([
        create_job_task(iot, job_id="fw-soon", things=NAMES, default=ok(), scheduled_start=3600),
        async_wait("fw-soon"),
        until_polled_task(iot, "fw-soon", 2),
        schedule_task(iot, "fw-soon", "start"),
        AWAIT_RESULT,
    ])
    result = run.result("result")
    assert result["verdict"] == "succeeded", result["msg"]
    assert result["status_counts"] == {"SUCCEEDED": 4}
    assert result["job_status"] == "COMPLETED"
    statuses = [entry["job_status"] for entry in result["timeline"]]
    assert statuses[:2] == ["SCHEDULED", "SCHEDULED"] and statuses[-1] == "COMPLETED", statuses


# -- maintenance windows ------------------------------------------------------
def test_the_wait_goes_on_through_the_end_of_a_maintenance_window(playbook, iot):
    # A continuous job whose executions have all succeeded when its window
    # ends: only its SCHEDULED status keeps the gate from passing, until the
    # next window opens.
    run = playbook([
        create_job_task(iot, job_id="fw-windows", groups={"fleet": NAMES[:2]}, target_selection="CONTINUOUS",
                        default=QUICK, maintenance_windows=[[0, 3600]]),
        {"name": "both done", "iotops.aws.iot_job_info": {"job_id": "fw-windows"}, "register": "job",
         "until": "job.jobs[0].job_process_details.number_of_succeeded_things == 2", "retries": 100, "delay": 0.2},
        schedule_task(iot, "fw-windows", "close_window"),
        polls_so_far_task(iot, "fw-windows"),
        async_wait("fw-windows"),
        until_polled_task(iot, "fw-windows", 3, after_polls_so_far=True),
        schedule_task(iot, "fw-windows", "open_window"),
        AWAIT_RESULT,
    ])
    result = run.result("result")
    assert result["verdict"] == "succeeded", result["msg"]
    assert result["status_counts"] == {"SUCCEEDED": 2}
    statuses = [entry["job_status"] for entry in result["timeline"]]
    assert statuses[:3] == ["SCHEDULED"] * 3 and statuses[-1] == "IN_PROGRESS", statuses
    assert len(result["scheduling_config"]["maintenance_windows"]) == 1


def test_a_timeout_between_windows_says_so(playbook, iot):
    devices = {"dev-0": ok(start=0, finish=0.2), "dev-1": ok(appear=1)}
    run = playbook([
        create_job_task(iot, job_id="fw-gap", things=["dev-0", "dev-1"], devices=devices,
                        maintenance_windows=[[0, 0.5], [3600, 7200]]),
        wait_task(job_id="fw-gap", timeout=3, sleep=0.5),
    ])
    result = run.result("wait")
    assert result["verdict"] == "timed_out", result["msg"]
    nxt = result["scheduled_job_rollouts"][0]["start_time"]
    assert "the job is SCHEDULED, between maintenance windows (next at {0})".format(nxt) in result["msg"]
    assert result["status_counts"] == {"SUCCEEDED": 1}


def test_failures_between_windows_still_fail_fast(playbook, iot):
    devices = {"dev-0": ok("FAILED", start=0, finish=0.2, details={"reason": "flash"}), "dev-1": ok(appear=1)}
    run = playbook([
        create_job_task(iot, job_id="fw-gap-fail", things=["dev-0", "dev-1"], devices=devices,
                        maintenance_windows=[[0, 0.5], [3600, 7200]]),
        wait_task(job_id="fw-gap-fail", timeout=120),
    ])
    result = run.result("wait")
    assert result["verdict"] == "failed", result["msg"]
    assert result["elapsed"] < 30
    assert "dev-0 FAILED (reason=flash)" in result["msg"]


# -- empty jobs and min_executions ---------------------------------------------
def test_a_completed_job_whose_group_is_empty_fails_at_once(playbook, iot):
    run = playbook([
        create_job_task(iot, job_id="fw-empty", groups={"nobody": []}),
        wait_task(job_id="fw-empty", timeout=120),
    ])
    result = run.result("wait")
    assert result["verdict"] == "failed"
    assert result["msg"] == "Job fw-empty is COMPLETED with no executions: its targets matched no thing"
    assert result["polls"] == 1


def test_an_empty_continuous_job_is_waited_on_not_passed(playbook, iot):
    run = playbook([
        create_job_task(iot, job_id="fw-empty-cont", groups={"nobody": []}, target_selection="CONTINUOUS"),
        wait_task(job_id="fw-empty-cont", timeout=2, sleep=0.5),
    ])
    result = run.result("wait")
    assert result["verdict"] == "timed_out", result["msg"]
    assert "no executions yet: the job's targets have matched no thing so far" in result["msg"]
    assert result["job_status"] == "IN_PROGRESS"


def test_min_executions_fails_a_half_populated_stage(playbook, iot):
    run = playbook([
        create_job_task(iot, job_id="fw-half", groups={"fleet": NAMES}, default=ok(start=0, finish=0.3)),
        wait_task(job_id="fw-half", min_executions=8),
    ])
    result = run.result("wait")
    assert result["verdict"] == "failed"
    assert result["msg"] == "Job fw-half is COMPLETED with 4 executions, fewer than min_executions 8: 4 SUCCEEDED"


def test_min_executions_met_passes(playbook, iot):
    run = playbook([
        create_job_task(iot, job_id="fw-full", groups={"fleet": NAMES}, default=ok(start=0, finish=0.3)),
        wait_task(job_id="fw-full", min_executions=4),
    ])
    assert run.result("wait")["verdict"] == "succeeded", run.result("wait")["msg"]


def test_min_executions_is_for_fleet_mode_only(playbook, iot):
    run = playbook([wait_task(job_id="fw-x", thing_names=["dev-0"], min_executions=2)])
    assert run.result("wait")["msg"] == (
        "min_executions: applies to fleet mode only; thing mode waits on every thing in thing_names")
    assert not iot.calls()


# -- canceled jobs ------------------------------------------------------------
def canceled_rollout(iot, job_id, force=False, **cancel):
    """Four done, two devices working forever, four never started; then
    CancelJob through the API, as an operator or abortConfig would."""
    devices = {name: device("SUCCEEDED", **QUICK) for name in ("dev-0", "dev-1", "dev-2", "dev-3")}
    devices.update({name: device(None, start=0) for name in ("dev-4", "dev-5")})
    names = ["dev-{0}".format(index) for index in range(10)]
    iot.fleet.create_job(job_id, things=names, devices=devices)
    iot.client().cancel_job(jobId=job_id, force=force, **cancel)
    return names


def test_a_canceled_job_fails_the_fleet_gate_whatever_the_limit(playbook, iot):
    canceled_rollout(iot, "fw-canceled", reasonCode="GATE_FAILED", comment="Stopped by the rollout gate")
    run = playbook([wait_task(job_id="fw-canceled", max_failures=10)])
    result = run.result("wait")
    assert result["verdict"] == "failed"
    assert result["msg"] == ('Job fw-canceled: the job was canceled (reason code GATE_FAILED: "Stopped by the rollout '
                             'gate"); executions: 4 CANCELED, 2 IN_PROGRESS, 4 SUCCEEDED')
    assert (result["job_status"], result["reason_code"], result["comment"]) == (
        "CANCELED", "GATE_FAILED", "Stopped by the rollout gate")
    assert result["polls"] == 1


def test_force_cancel_cancels_executions_in_progress(playbook, iot):
    canceled_rollout(iot, "fw-forced", force=True)
    execution = iot.client().describe_job_execution(jobId="fw-forced", thingName="dev-4")["execution"]
    assert (execution["status"], execution["forceCanceled"]) == ("CANCELED", True)
    queued = iot.client().describe_job_execution(jobId="fw-forced", thingName="dev-9")["execution"]
    assert (queued["status"], queued["forceCanceled"]) == ("CANCELED", False)
    run = playbook([wait_task(job_id="fw-forced", fail_on=[])])
    result = run.result("wait")
    # Report only: the cancel is reported, not failed on.
    assert run.status("wait") == "ok", result["msg"]
    assert result["status_counts"] == {"SUCCEEDED": 4, "CANCELED": 6}
    assert result["msg"].endswith("; the job was canceled")


def test_thing_mode_judges_the_named_things_and_says_the_job_was_canceled(playbook, iot):
    canceled_rollout(iot, "fw-canceled-things", reasonCode="BAD_BUILD")
    run = playbook([
        wait_task(name="done things", job_id="fw-canceled-things", thing_names=["dev-0", "dev-1"]),
        wait_task(name="queued thing", job_id="fw-canceled-things", thing_names=["dev-0", "dev-9"]),
    ])
    done = run.result("done things")
    assert done["verdict"] == "succeeded", done["msg"]
    assert done["msg"].endswith("; the job was canceled (reason code BAD_BUILD)")
    queued = run.result("queued thing")
    assert queued["verdict"] == "failed"
    assert queued["msg"] == ("Job fw-canceled-things: 1 of 2 executions failed, over the limit (max_failures 0): "
                             "dev-9 CANCELED; the job was canceled (reason code BAD_BUILD)")


def test_a_canceled_job_retries_nothing(playbook, iot):
    iot.fleet.create_job("fw-no-retry", things=["dev-0", "dev-1"], retry={"FAILED": 2}, retry_delay=3600,
                         devices={"dev-0": device("FAILED", **QUICK), "dev-1": device("SUCCEEDED", **QUICK)})
    iot.client().cancel_job(jobId="fw-no-retry")
    summary = iot.client().list_job_executions_for_job(jobId="fw-no-retry")["executionSummaries"]
    assert {s["jobExecutionSummary"]["status"] for s in summary} == {"FAILED", "SUCCEEDED"}
    job = iot.client().describe_job(jobId="fw-no-retry")["job"]
    assert "processingTargets" not in job["jobProcessDetails"]
    run = playbook([wait_task(job_id="fw-no-retry", thing_names=["dev-0", "dev-1"], timeout=120)])
    result = run.result("wait")
    # FAILED with retries left, but the job is over: a failure at once.
    assert result["verdict"] == "failed" and result["elapsed"] < 30
    assert "dev-0 FAILED" in result["msg"]


def test_a_scheduled_job_canceled_before_it_started(playbook, iot):
    iot.fleet.create_job("fw-never", things=NAMES, scheduled_start=3600)
    iot.client().cancel_job(jobId="fw-never", reasonCode="POSTPONED")
    run = playbook([wait_task(job_id="fw-never"), wait_task(name="things", job_id="fw-never", thing_names=NAMES[:1])])
    assert run.result("wait")["msg"] == ("Job fw-never: the job was canceled (reason code POSTPONED) before any "
                                         "execution was created")
    assert run.result("things")["msg"].startswith("Job fw-never is CANCELED, but dev-0 never got an execution")


def test_a_scheduled_job_with_missing_things_keeps_waiting_in_thing_mode(playbook, iot):
    run = playbook([
        create_job_task(iot, job_id="fw-later-things", things=NAMES, default=ok(), scheduled_start=3600),
        wait_task(job_id="fw-later-things", thing_names=NAMES[:2], timeout=2, sleep=0.5),
    ])
    result = run.result("wait")
    assert result["verdict"] == "timed_out", result["msg"]
    assert "never appeared: dev-0, dev-1" in result["msg"] and "still SCHEDULED" in result["msg"]


# -- deleted jobs ---------------------------------------------------------------
@pytest.mark.parametrize("delete_first", [True, False], ids=["never there", "deleted while waiting"])
def test_a_missing_job_is_told_apart_from_a_deleted_one(playbook, iot, delete_first):
    # A device that works forever keeps the wait polling; the second task
    # deletes the job from inside the play, under an async wait.
    # The job goes at once, not through DELETION_IN_PROGRESS, so that no poll
    # can see it being deleted.
    iot.fleet.deletion_delay = 0
    iot.fleet.create_job("fw-gone", things=["dev-0"], devices={"dev-0": device(None, start=0)})
    if delete_first:
        iot.client().delete_job(jobId="fw-gone", force=True)
    run = playbook([
        {"name": "wait", WAIT: {"job_id": "fw-gone", "sleep": 0.3, "timeout": 60}, "async": 90, "poll": 0,
         "register": "waiting"},
        {"name": "delete", "ansible.builtin.command": {"argv": [sys.executable, "-c", DELETE.format(url=iot.url)]},
         "environment": {"AWS_ACCESS_KEY_ID": ACCESS_KEY, "AWS_SECRET_ACCESS_KEY": SECRET_KEY},
         "when": not delete_first},
        {"name": "result", "ansible.builtin.async_status": {"jid": "{{ waiting.ansible_job_id }}"}, "register": "done",
         "until": "done.finished", "retries": 120, "delay": 0.5, "ignore_errors": True},
    ])
    message = run.result("result")["msg"]
    if delete_first:
        assert message == "Job fw-gone does not exist in us-east-1 at {0}".format(iot.url)
    else:
        assert message.startswith("Job fw-gone was deleted while the gate waited on it (last seen IN_PROGRESS")


# Deletes the job once the wait has polled it at least once.
DELETE = """
import time, boto3, urllib.request, json
c = boto3.client('iot', endpoint_url='{url}', region_name='us-east-1')
while sum(1 for r in json.load(urllib.request.urlopen('{url}/_sim/requests'))['requests']
          if r.get('api') == 'DescribeJob') < 2:
    time.sleep(0.05)
c.delete_job(jobId='fw-gone', force=True)
"""
