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

from collection_path import collections_root  # noqa: E402
from local_endpoint import LocalEndpoint  # noqa: E402

# Credentials only the local endpoint ever sees.  Tests assert that none of
# them shows up in Ansible's output.
ACCESS_KEY = "AKIDLOCALENDPOINT01"
SECRET_KEY = "local-secret-9f8e7d6c5b4a"
SESSION_TOKEN = "local-session-token-0a1b2c3d4e"


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
    env = {
        "PATH": os.path.dirname(sys.executable) + os.pathsep + os.environ.get("PATH", ""),
        "HOME": os.environ.get("HOME", "/tmp"),
        "LANG": "C.UTF-8",
        "ANSIBLE_COLLECTIONS_PATH": str(collections_root()),
        "ANSIBLE_CALLBACK_PLUGINS": str(TESTS / "integration" / "callback_plugins"),
        "ANSIBLE_CALLBACKS_ENABLED": "record_results",
        "ANSIBLE_NOCOLOR": "1",
        "ANSIBLE_LOCALHOST_WARNING": "0",
        "ANSIBLE_INVENTORY_UNPARSED_WARNING": "0",
        "ANSIBLE_RETRY_FILES_ENABLED": "0",
        "AWS_ACCESS_KEY_ID": ACCESS_KEY,
        "AWS_SECRET_ACCESS_KEY": SECRET_KEY,
        "AWS_REGION": "us-east-1",
        # Never read this machine's AWS files or ask for instance metadata.
        "AWS_CONFIG_FILE": "/dev/null",
        "AWS_SHARED_CREDENTIALS_FILE": "/dev/null",
        "AWS_EC2_METADATA_DISABLED": "true",
    }
    if endpoint_url:
        env["AWS_URL"] = endpoint_url
    env.update(extra)
    return {key: value for key, value in env.items() if value is not None}


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

    def run(tasks, check=False, env=None, args=(), timeout=240, **play):
        path = write_playbook(tmp_path, tasks, check=check, **play)
        return run_playbook(tmp_path, path, base_env(iot.url, **(env or {})), args=args, timeout=timeout)

    return run


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
