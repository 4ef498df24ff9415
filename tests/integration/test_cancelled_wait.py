"""A cancelled play must not leave its gate polling AWS."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

from helpers import base_env, create_job_task, write_inventory, write_playbook

WAIT = "iotops.aws.iot_job_execution_wait"


def polls(iot):
    return len(iot.calls("DescribeJob"))


def test_killing_the_play_stops_the_wait(tmp_path, iot):
    # ansible-runner cancels a job by killing the play's process group, but
    # ansible-core's workers run in sessions of their own and survive it.
    path = write_playbook(tmp_path, [
        create_job_task(iot, job_id="fw-cancel", things=["dev-1"]),
        {"name": "wait", WAIT: {"job_id": "fw-cancel", "thing_names": ["dev-1"], "sleep": 0.2, "timeout": 300}},
    ])
    command = [os.path.join(os.path.dirname(sys.executable), "ansible-playbook"), "-i", str(write_inventory(tmp_path)), str(path)]
    play = subprocess.Popen(command, cwd=tmp_path, env=base_env(iot.url), stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, start_new_session=True)
    deadline = time.monotonic() + 60
    while polls(iot) < 3:
        assert time.monotonic() < deadline and play.poll() is None, "the wait never started polling"
        time.sleep(0.1)
    os.killpg(play.pid, signal.SIGKILL)
    play.wait(timeout=10)
    time.sleep(3)  # the wait checks on its parent every second
    settled = polls(iot)
    time.sleep(3)
    assert polls(iot) == settled, "the orphaned wait kept polling"
