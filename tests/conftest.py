"""Fixtures the tests share: the local endpoint, and a runner for real
ansible-playbook processes against it.  What the tests import is in
helpers.py."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from harness import collections_root  # noqa: E402
from helpers import base_env, run_playbook, write_playbook  # noqa: E402
from local_endpoint import LocalEndpoint  # noqa: E402

# The plugins import themselves as ansible_collections.iotops.aws...
sys.path.insert(0, str(collections_root()))


@pytest.fixture(scope="session")
def endpoint():
    with LocalEndpoint() as served:
        yield served


@pytest.fixture
def iot(endpoint):
    """The local endpoint, reset: no jobs, no faults, no recorded requests."""
    endpoint.reset()
    yield endpoint
    endpoint.faulty.clear()


@pytest.fixture
def playbook(tmp_path, iot):
    """Run tasks in a real ansible-playbook against the local endpoint.

    ``playbook(tasks, check=False, env=None, args=())``; ``env`` entries
    set to None are removed from the environment.
    """

    def run(tasks, check=False, env=None, args=(), timeout=240, **play):
        path = write_playbook(tmp_path, tasks, check=check, **play)
        return run_playbook(tmp_path, path, base_env(iot.url, **(env or {})), args=args, timeout=timeout)

    return run


@pytest.fixture
def request_clock(iot, monkeypatch):
    """Make the fleet's time move by ``step`` seconds with each request the
    endpoint gets, not with the wall clock.

    A device scripted to finish at 3 s then does so after 3 / step requests,
    however slowly the machine runs the play: a test can count on a device
    still working at the first poll and done within a few.  Call it with the
    step before the play creates the job.
    """

    def use(step: float = 0.25) -> None:
        monkeypatch.setattr(iot.fleet, "clock", lambda: len(iot.faulty.requests) * step)

    return use
