"""The wait's controller-side action: live progress, and every way a task
can be run (check mode, async, delegate_to, module_defaults, environment)."""

from __future__ import annotations

import os
import subprocess
import sys
import time

import pytest

from helpers import base_env, create_job_task, write_inventory, write_playbook

WAIT = "iotops.aws.iot_job_execution_wait"
NAMES = ["dev-{0}".format(index) for index in range(4)]


def rollout(iot, job_id, finish=3.0):
    devices = {name: {"outcome": "SUCCEEDED", "start": 0.3, "finish": finish * (index + 1) / len(NAMES)}
               for index, name in enumerate(NAMES)}
    return create_job_task(iot, job_id=job_id, things=NAMES, devices=devices)


@pytest.mark.smoke
def test_progress_lines_appear_while_the_task_waits(tmp_path, iot, monkeypatch):
    # The last device finishes only when the test moves the fleet's clock on,
    # which it does once it has read the line for the other three: the task
    # cannot end before its progress has reached the pipe, however fast or
    # slow the machine.  Output held back until the task ends fails by the
    # task's timeout.
    later = []
    monkeypatch.setattr(iot.fleet, "clock", lambda: time.monotonic() + sum(later))
    devices = {name: {"outcome": "SUCCEEDED", "start": 0.1, "finish": 0.2 * (index + 1)}
               for index, name in enumerate(NAMES)}
    devices[NAMES[-1]] = {"outcome": "SUCCEEDED", "start": 0.1, "finish": 3600}
    path = write_playbook(tmp_path, [
        create_job_task(iot, job_id="fw-live", things=NAMES, devices=devices),
        {"name": "wait", WAIT: {"job_id": "fw-live", "thing_names": NAMES, "sleep": 0.5, "timeout": 60}},
    ])
    command = [os.path.join(os.path.dirname(sys.executable), "ansible-playbook"), "-i", str(write_inventory(tmp_path)), str(path)]
    # Ansible leaves flushing to Python, which buffers a pipe (a terminal
    # gets each line at once); unbuffered, the pipe sees what a terminal sees.
    env = base_env(iot.url, PYTHONUNBUFFERED="1")
    process = subprocess.Popen(command, cwd=tmp_path, env=env, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True, bufsize=1)
    lines, read_before_the_end = [], 0
    for line in process.stdout:
        lines.append(line.rstrip())
        if not later and line.startswith("fw-live: 3/4 succeeded"):
            read_before_the_end = len(lines)
            later.append(3600)
    assert process.wait(timeout=120) == 0, "\n".join(lines)
    assert read_before_the_end, "no progress line reached the pipe while the task waited"
    progress = [text for text in lines if text.startswith("fw-live: ")]
    assert len(progress) >= 2 and not progress[0].startswith("fw-live: 4/4"), lines
    assert progress[-1].startswith("fw-live: 4/4 succeeded, 0 failed, 0 in progress, 0 queued")
    assert "ok: [local]" in lines[read_before_the_end:]


@pytest.mark.smoke
def test_async_runs_the_module_and_still_gates(playbook, iot):
    run = playbook([
        rollout(iot, "fw-async", finish=1.5),
        {"name": "wait", WAIT: {"job_id": "fw-async", "thing_names": NAMES, "sleep": 0.5, "timeout": 60},
         "async": 120, "poll": 1},
    ])
    result = run.result("wait")
    assert run.rc == 0, run.output
    assert result["verdict"] == "succeeded" and result["status_counts"] == {"SUCCEEDED": 4}
    assert "ansible_job_id" in result
    assert "fw-async: " not in run.stdout, "the module path cannot print progress"


def test_delegate_to_localhost(playbook, iot):
    run = playbook([
        rollout(iot, "fw-delegate", finish=1.0),
        {"name": "wait", WAIT: {"job_id": "fw-delegate", "sleep": 0.5}, "delegate_to": "localhost", "run_once": True},
    ])
    assert run.rc == 0, run.output
    assert run.result("wait")["status_counts"] == {"SUCCEEDED": 4}
    assert "ok: [local -> localhost]" in run.stdout


def test_module_defaults_group_supplies_the_connection(playbook, iot):
    run = playbook(
        [rollout(iot, "fw-defaults", finish=1.0), {"name": "wait", WAIT: {"job_id": "fw-defaults", "sleep": 0.5}}],
        env={"AWS_URL": None, "AWS_REGION": None},
        module_defaults={"group/iotops.aws.aws": {"endpoint_url": iot.url, "region": "us-east-1"}},
    )
    assert run.rc == 0, run.output
    assert run.result("wait")["verdict"] == "succeeded"


def test_task_environment_reaches_the_controller_side_run(playbook, iot):
    run = playbook(
        [rollout(iot, "fw-env", finish=1.0),
         {"name": "wait", WAIT: {"job_id": "fw-env", "sleep": 0.5}, "environment": {"AWS_URL": iot.url}}],
        env={"AWS_URL": None},
    )
    assert run.rc == 0, run.output
    assert run.result("wait")["verdict"] == "succeeded"
