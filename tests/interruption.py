"""Plays cut short at a chosen request, for the tests of resuming a rollout.

An ``Interruption`` replaces the simulated fleet's clock; ``kill_when_stopped``
runs a playbook until the interruption stops it, then kills it as a runner
cancels a job (SIGKILL to its process group).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

from helpers import base_env, write_inventory


class Interruption:
    """The fleet's clock for a play cut short: time moves by ``step`` with each
    request, as request_clock makes it, until a request matches ``at``.

    ``kind="gate"``: fleet time stops there, so the gate polling then can never
    decide; the play is killed mid-wait.  ``kind="write"``: every later request
    goes unanswered (the endpoint's black hole), so the task that made the
    write never returns; the play is killed between the stage's extension and
    its gate.  ``resume()`` lets time run on from where it stopped.
    """

    def __init__(self, iot, at, kind, step=0.25):
        self.iot, self.at, self.kind, self.step = iot, at, kind, step
        self.stopped_at = None
        self.offset = 0.0

    def _running(self):
        return len(self.iot.faulty.requests) * self.step - self.offset

    def __call__(self):
        if self.at is not None and self.stopped_at is None and self.at(list(self.iot.faulty.requests)):
            self.stopped_at = self._running()
            if self.kind == "write":
                self.iot.set_faults(black_hole=True)
        return self.stopped_at if self.stopped_at is not None else self._running()

    def resume(self):
        stopped = self.stopped_at
        self.at, self.stopped_at = None, None
        self.iot.set_faults()
        self.offset = len(self.iot.faulty.requests) * self.step - stopped


def gate_polled(group):
    """A stage gate on ``group`` has made its first poll: it reads the group's members."""
    path = "/thing-groups/{0}/things".format(group)
    return lambda requests: any(r.api == "ListThingsInThingGroup" and r.path == path for r in requests)


def stage_written(stage):
    """The stage's write was made: CreateJob for the first stage, AssociateTargetsWithJob for the others."""
    return lambda requests: sum(r.api in ("CreateJob", "AssociateTargetsWithJob") for r in requests) >= stage


def kill_when_stopped(directory, iot, interruption, playbook, args=()):
    """Start the playbook; kill its process group once the interruption has
    stopped it, and wait until nothing it left behind still polls."""
    command = [os.path.join(os.path.dirname(sys.executable), "ansible-playbook"), "-i", str(write_inventory(directory)),
               str(playbook), *args]
    play = subprocess.Popen(command, cwd=directory, env=base_env(iot.url), stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, start_new_session=True)
    deadline = time.monotonic() + 120
    while interruption.stopped_at is None:
        assert time.monotonic() < deadline and play.poll() is None, "the play never reached the interruption"
        time.sleep(0.05)
    os.killpg(play.pid, signal.SIGKILL)
    play.wait(timeout=10)
    # A gate whose play was killed stops at its next round; until then it polls frozen time, and decides nothing.
    settled = time.monotonic() + 30
    count = -1
    while count != len(iot.faulty.requests):
        assert time.monotonic() < settled, "a task of the killed play kept sending requests"
        count = len(iot.faulty.requests)
        time.sleep(1.5)
