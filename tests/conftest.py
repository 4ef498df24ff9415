"""Fixtures the tests share: the local endpoint, and a runner for real
ansible-playbook processes against it.  What the tests import is in
helpers.py."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from endpoints import ON_MINISTACK, SIMULATOR_ONLY, LocalTarget, MiniStackTarget  # noqa: E402
from harness import collections_root  # noqa: E402
from helpers import ACCESS_KEY, SECRET_KEY, playbook_runner  # noqa: E402
from local_endpoint import LocalEndpoint  # noqa: E402

# The plugins import themselves as ansible_collections.iotops.aws...
sys.path.insert(0, str(collections_root()))


def pytest_collection_modifyitems(config, items):
    """On MiniStack, only the tests marked ``conformance`` run."""
    if not ON_MINISTACK:
        return
    skip = pytest.mark.skip(reason=SIMULATOR_ONLY)
    for item in items:
        if item.get_closest_marker("conformance") is None:
            item.add_marker(skip)


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
    return playbook_runner(tmp_path, iot.url)


@pytest.fixture
def target(request):
    """The endpoint a ``conformance`` test runs against, emptied: the local
    endpoint, or MiniStack under ``IOTOPS_ENDPOINT=ministack`` (tests/endpoints.py)."""
    if ON_MINISTACK:
        found = MiniStackTarget(os.environ["IOTOPS_ENDPOINT_URL"], ACCESS_KEY, SECRET_KEY)
        found.reset()
        return found
    return LocalTarget(request.getfixturevalue("iot"), ACCESS_KEY, SECRET_KEY)


@pytest.fixture
def target_playbook(tmp_path, target):
    """``playbook`` against ``target``."""
    return playbook_runner(tmp_path, target.url)


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
