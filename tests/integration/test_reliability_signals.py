"""SIGTERM and SIGINT during a wait, as a job runner sends them on cancel.

The wait runs inside an ansible-core worker on the controller, and workers
detach into sessions of their own: the play's session alone cannot show a
leftover.  Every process of a run carries the run's directory in its
command line (workers are forks of ansible-playbook; modules run from a
temporary directory placed there), so that is what is searched for.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest

from helpers import base_env, create_job_task, write_inventory, write_playbook

JOB = "fw-cancel"
# How long ansible-playbook may take to exit, and its processes to go.
PROMPT = 10


def processes(marker):
    """pid -> command line of every process whose command line holds marker."""
    found = subprocess.run(["pgrep", "-af", str(marker)], capture_output=True, text=True, check=False).stdout
    return dict(line.split(" ", 1) for line in found.splitlines() if line.strip())


def in_session(sid):
    found = subprocess.run(["ps", "-o", "pid=", "-s", str(sid)], capture_output=True, text=True, check=False).stdout
    return found.split()


def until(condition, timeout, what):
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, what
        time.sleep(0.1)


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
@pytest.mark.parametrize("to", ["process", "group"])
def test_a_signal_during_the_wait_ends_the_play_and_every_process(tmp_path, iot, signum, to):
    playbook = write_playbook(tmp_path, [
        create_job_task(iot, job_id=JOB, things=["dev-1"], default={"outcome": None, "start": 0.1}),
        {"name": "wait", "iotops.aws.iot_job_execution_wait": {
            "job_id": JOB, "thing_names": ["dev-1"], "sleep": 0.5, "timeout": 300}},
    ])
    env = base_env(iot.url, ANSIBLE_LOCAL_TEMP=str(tmp_path / "local"), ANSIBLE_REMOTE_TMP=str(tmp_path / "remote"))
    command = [os.path.join(os.path.dirname(sys.executable), "ansible-playbook"), "-i",
               str(write_inventory(tmp_path)), str(playbook)]
    play = subprocess.Popen(command, cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            text=True, start_new_session=True)
    try:
        until(lambda: len(iot.calls("DescribeJob")) >= 2 or play.poll() is not None, 60, "the wait never polled")
        assert play.poll() is None, play.communicate()[0]
        workers = set(processes(tmp_path)) - {str(play.pid)}
        assert workers, "the wait should run in a worker of its own"

        sent = time.monotonic()
        (os.killpg if to == "group" else os.kill)(play.pid, signum)
        output = play.communicate(timeout=PROMPT)[0]
        exited = time.monotonic() - sent
        print("{0} to the {1}: ansible-playbook exited after {2:.2f} s, rc {3}".format(
            signum.name, to, exited, play.returncode))

        until(lambda: not processes(tmp_path), PROMPT, "left behind: {0}".format(processes(tmp_path)))
        assert not in_session(play.pid)
        assert play.returncode != 0
        assert "Traceback" not in output
    finally:
        for pid in processes(tmp_path):
            os.kill(int(pid), signal.SIGKILL)
