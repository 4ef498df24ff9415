"""Shared test set-up: the collection on Ansible's path, the local endpoint,
and a runner for real ansible-playbook processes against it."""

from __future__ import annotations

import dataclasses
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml

TESTS = Path(__file__).resolve().parent
ROOT = TESTS.parent
sys.path.insert(0, str(TESTS))

from endpoints import ON_MINISTACK, SIMULATOR_ONLY, LocalTarget, MiniStackTarget  # noqa: E402
from harness import collections_root, local_aws_env  # noqa: E402
from local_endpoint import LocalEndpoint  # noqa: E402

# Credentials only the local endpoint ever sees.  Tests assert that none of
# them shows up in Ansible's output.
ACCESS_KEY = "AKIDLOCALENDPOINT01"
SECRET_KEY = "local-secret-9f8e7d6c5b4a"
SESSION_TOKEN = "local-session-token-0a1b2c3d4e"


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


@dataclasses.dataclass
class PlaybookRun:
    rc: int
    stdout: str
    stderr: str
    results: list
    seconds: float

    def result(self, task: str) -> dict:
        """The last result of the task of this name."""
        found = [r for r in self.results if r["task"] == task]
        assert found, "task {0!r} did not run; rc={1}\n{2}\n{3}".format(task, self.rc, self.stdout, self.stderr)
        return found[-1]["result"]

    def status(self, task: str) -> str:
        return [r for r in self.results if r["task"] == task][-1]["status"]

    @property
    def output(self) -> str:
        return self.stdout + self.stderr


def base_env(endpoint_url: str | None = None, **extra) -> dict:
    ansible = {
        "ANSIBLE_CALLBACK_PLUGINS": str(TESTS / "integration" / "callback_plugins"),
        "ANSIBLE_CALLBACKS_ENABLED": "record_results",
        "ANSIBLE_NOCOLOR": "1",
        "ANSIBLE_LOCALHOST_WARNING": "0",
        "ANSIBLE_INVENTORY_UNPARSED_WARNING": "0",
        "ANSIBLE_RETRY_FILES_ENABLED": "0",
    }
    return local_aws_env(endpoint_url, ACCESS_KEY, SECRET_KEY, **dict(ansible, **extra))


def write_playbook(directory: Path, tasks: list, check: bool = False, name: str = "playbook.yml", **play) -> Path:
    playbook = [dict(dict(name="test", hosts="local", gather_facts=False, check_mode=check), **play, tasks=tasks)]
    path = directory / name
    path.write_text(yaml.safe_dump(playbook, sort_keys=False))
    return path


def write_inventory(directory: Path) -> Path:
    path = directory / "inventory.ini"
    path.write_text("local ansible_connection=local ansible_python_interpreter={0}\n".format(sys.executable))
    return path


def run_playbook(directory: Path, playbook: Path, env: dict, args=(), timeout: float = 240) -> PlaybookRun:
    results_file = directory / "results-{0}.jsonl".format(time.monotonic_ns())
    env = dict(env, IOTOPS_RESULTS=str(results_file))
    command = [os.path.join(os.path.dirname(sys.executable), "ansible-playbook"), "-i",
               str(write_inventory(directory)), str(playbook), *args]
    started = time.monotonic()
    done = subprocess.run(command, cwd=directory, env=env, capture_output=True, text=True, timeout=timeout, check=False)
    results = []
    if results_file.exists():
        results = [json.loads(line) for line in results_file.read_text().splitlines() if line.strip()]
    return PlaybookRun(done.returncode, done.stdout, done.stderr, results, time.monotonic() - started)


@pytest.fixture
def playbook(tmp_path, iot):
    """Run tasks in a real ansible-playbook against the local endpoint.

    ``playbook(tasks, check=False, env=None, args=())``; ``env`` entries
    set to None are removed from the environment.
    """

    return playbook_runner(tmp_path, iot.url)


def playbook_runner(directory: Path, url: str):
    def run(tasks, check=False, env=None, args=(), timeout=240, **play):
        path = write_playbook(directory, tasks, check=check, **play)
        return run_playbook(directory, path, base_env(url, **(env or {})), args=args, timeout=timeout)

    return run


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


def create_job_task(endpoint, **spec) -> dict:
    """A task that creates a simulated job from inside the play.

    Device timelines then start when the play reaches the task, not when
    the test set it up, so they hold however long Ansible takes to start.
    ``spec`` is Fleet.create_job's arguments, devices as dicts, e.g.
    ``default={"outcome": "SUCCEEDED", "start": 0.2, "finish": 1}``.
    """
    return {
        "name": "create job {0}".format(spec["job_id"]),
        "check_mode": False,
        "ansible.builtin.uri": {
            "url": endpoint.url + "/_sim/jobs",
            "method": "POST",
            "body_format": "json",
            "body": spec,
            "status_code": 201,
        },
    }


def advance_until(iot, condition, timeout=10.0):
    """Let the simulated fleet's time pass until ``condition()`` holds.

    For a finished job, ``iot.fleet.settle(job_id)`` does the same.
    """
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        iot.fleet.advance()
        if condition():
            return
        time.sleep(0.02)
    raise AssertionError("the simulated fleet did not settle within {0} s".format(timeout))


def schedule_task(endpoint, job_id: str, event: str) -> dict:
    """A task that applies a schedule event to a simulated job now (Fleet.trigger)."""
    return {
        "name": "{0} {1}".format(event, job_id),
        "check_mode": False,
        "ansible.builtin.uri": {"url": "{0}/_sim/jobs/{1}/schedule".format(endpoint.url, job_id), "method": "POST",
                                "body_format": "json", "body": {"event": event}},
    }


def _describe_job_count(job_id: str, registered: str) -> str:
    return ("{0}.json.requests | selectattr('api', 'equalto', 'DescribeJob') "
            "| selectattr('path', 'equalto', '/jobs/{1}') | list | length").format(registered, job_id)


def polls_so_far_task(endpoint, job_id: str) -> dict:
    """A task that registers ``polls_so_far``: how often DescribeJob was asked about the job."""
    return {"name": "polls so far {0}".format(job_id),
            "ansible.builtin.uri": {"url": endpoint.url + "/_sim/requests", "return_content": True},
            "register": "requests_so_far"}


def until_polled_task(endpoint, job_id: str, times: int, after_polls_so_far: bool = False) -> dict:
    """A task that returns once DescribeJob was asked about the job ``times``
    times (more than at polls_so_far_task, with ``after_polls_so_far``):
    proof that a wait running under ``async:`` has seen the job as it is now."""
    since = "({0})".format(_describe_job_count(job_id, "requests_so_far")) if after_polls_so_far else "0"
    return {
        "name": "until polled {0}".format(job_id),
        "ansible.builtin.uri": {"url": endpoint.url + "/_sim/requests", "return_content": True},
        "register": "polled",
        "until": "({0}) >= {1} + {2}".format(_describe_job_count(job_id, "polled"), since, times),
        "retries": 300,
        "delay": 0.2,
    }


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
