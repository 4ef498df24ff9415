"""What the tests build and fake: ansible-playbook runs against the local
endpoint, the tasks that script the simulated fleet from inside a play, and
the stand-ins for AWS that the unit tests use.  Fixtures stay in conftest.py."""

from __future__ import annotations

import dataclasses
import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import yaml
from botocore.exceptions import ClientError

from harness import ROOT, local_aws_env
from local_endpoint import device
from local_endpoint.server import ACCESS_KEY, SECRET_KEY

TESTS = ROOT / "tests"
# A session token the tests give Ansible next to the endpoint's keys, and
# assert it shows up in no output either.
SESSION_TOKEN = "local-session-token-0a1b2c3d4e"
WAIT = "iotops.aws.iot_job_execution_wait"


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

    def seconds_of(self, task: str) -> float:
        """Seconds from the task's start to its last result."""
        return [r for r in self.results if r["task"] == task][-1]["seconds"]

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


def playbook_runner(directory: Path, url: str):
    """``run(tasks, check=False, env=None, args=(), timeout=240, **play)``: a
    real ansible-playbook in ``directory`` against the endpoint at ``url``."""
    def run(tasks, check=False, env=None, args=(), timeout=240, **play):
        path = write_playbook(directory, tasks, check=check, **play)
        return run_playbook(directory, path, base_env(url, **(env or {})), args=args, timeout=timeout)

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


def staged_fleet(iot, request_clock, groups: dict, default) -> None:
    """The stages' thing groups registered, every device ``default``, and
    the fleet's time moving with the requests (``request_clock``)."""
    for group, members in groups.items():
        iot.fleet.ensure_group(group, members)
    iot.fleet.set_devices(default=default)
    request_clock(0.25)


def module_task(module: str, task_name: str, ignore_errors: bool = False, **options) -> dict:
    """A task of the collection's ``module`` with ``options`` (which may have a ``name``)."""
    found = {"name": task_name, "iotops.aws." + module: options}
    if ignore_errors:
        found["ignore_errors"] = True
    return found


# -- the wait's tasks and the devices they wait on ----------------------------
def wait_task(job_id: str | None = None, name: str = "wait", module_path: bool = False, ignore_errors: bool = True,
              **args) -> dict:
    """An iot_job_execution_wait task: polls every 0.3 s for up to 60 s
    unless ``args`` say otherwise.  With ``module_path`` it runs under
    ``async:``, which runs the module itself on the host rather than the
    action plugin.  Without ``ignore_errors`` a failed wait ends the play."""
    if job_id is not None:
        args["job_id"] = job_id
    task = {"name": name, WAIT: dict(dict(sleep=0.3, timeout=60), **args)}
    if ignore_errors:
        task["ignore_errors"] = True
    if module_path:
        task.update({"async": 120, "poll": 1})
    return task


def ok(outcome: str = "SUCCEEDED", start: float = 0.2, finish: float = 1.0, **extra) -> dict:
    """A device's script as create_job_task takes it: it starts at ``start``
    seconds and ends ``outcome`` at ``finish``."""
    return dict(outcome=outcome, start=start, finish=finish, **extra)


def settled_job(iot, job_id: str, things: list, failed: dict | None = None, timeout: float = 10.0) -> None:
    """A job whose devices are all final before the test begins: each thing
    named in ``failed`` FAILED with those details, the others SUCCEEDED."""
    iot.fleet.create_job(job_id, things=things, default=device(start=0, finish=0),
                         devices={name: device("FAILED", start=0, finish=0, details=details)
                                  for name, details in (failed or {}).items()})
    iot.fleet.settle(job_id, timeout)


READS = ("Describe", "List", "Get")


def notified(iot, job_id: str) -> set:
    """The things the simulated rollout of the job has notified so far."""
    return {entry["thing"] for entry in iot.fleet.timeline(job_id)}


def writes(iot, since: int = 0) -> list:
    """The write APIs the endpoint was asked for, in order (from request ``since`` on)."""
    return [call.api for call in iot.calls()[since:] if not call.api.startswith(READS)]


def one_line(run: PlaybookRun, task: str) -> str:
    """The message of a task that failed, checked to be one line, with no
    traceback in it or anywhere in the play's output."""
    assert run.status(task) == "failed", run.output
    result = run.result(task)
    message = result["msg"]
    assert message and "\n" not in message and "Traceback" not in message, message
    assert "Traceback" not in run.output + json.dumps(result)
    # Ansible hides a crashed module's traceback by default and reports the
    # exception as "Module failed: <exception>"; fail_json's msg comes as is.
    assert "Module failed" not in message, message
    return message


def package_version(iot, package: str, version: str, status: str = "PUBLISHED", **fields) -> str:
    """A version of the package (created too, if need be) in the local
    endpoint's catalog, moved to ``status`` along AWS's lifecycle; its ARN.
    A job's destinationPackageVersions must name one that is PUBLISHED or
    DEPRECATED."""
    api = iot.client()
    if not any(summary["packageName"] == package for summary in api.list_packages()["packageSummaries"]):
        api.create_package(packageName=package)
    arn = api.create_package_version(packageName=package, versionName=version, **fields)["packageVersionArn"]
    for action in {"DRAFT": (), "PUBLISHED": ("PUBLISH",), "DEPRECATED": ("PUBLISH", "DEPRECATE")}[status]:
        api.update_package_version(packageName=package, versionName=version, action=action)
    return arn


# -- stand-ins for AWS ----------------------------------------------------------
def client_error(code: str, status: int, message: str = "denied", operation: str = "DescribeJob",
                 **metadata) -> ClientError:
    """An AWS error as botocore raises it; ``metadata`` (RequestId=...,
    RetryAttempts=..., HTTPHeaders=...) joins its ResponseMetadata."""
    return ClientError({"Error": {"Code": code, "Message": message},
                        "ResponseMetadata": dict({"HTTPStatusCode": status}, **metadata)}, operation)


def closed_port() -> int:
    """A local port nothing listens on: a connection to it is refused."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class FakeClock:
    """A monotonic clock that moves only when told to, or when the code
    under test sleeps with it."""

    def __init__(self, start: float = 1000.0):
        self.now = start

    def __call__(self) -> float:
        return self.now

    def tick(self, seconds: float) -> None:
        assert seconds >= 0
        self.now += seconds

    sleep = tick
