"""The rollout gate run the way AWX runs a job template.

AWX hands a checked-out project to ansible-runner: the collections that
collections/requirements.yml names, installed by the project update; the
"Amazon Web Services" credential as environment variables; the survey's
answers as extra vars; and an event handler that stores each job event as it
arrives.  tests/integration/awx_project is such a project.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import time
from pathlib import Path

import ansible_runner
import pytest

from collection_build import build_tarball, galaxy
from helpers import ACCESS_KEY, SECRET_KEY, SESSION_TOKEN

PROJECT = Path(__file__).resolve().parent / "awx_project"
GATE_TASK = "Wait on every execution of the job"
NAMES = ["sensor-{0}".format(index) for index in range(10)]


@pytest.fixture(scope="module")
def project_tarball(tmp_path_factory):
    return build_tarball(tmp_path_factory.mktemp("dist"))


@pytest.fixture
def private_data_dir(tmp_path, project_tarball):
    """A job's private data directory after AWX's project update."""
    project = tmp_path / "project"
    shutil.copytree(PROJECT, project)
    # The name collections/requirements.yml gives the tarball.
    shutil.copy(project_tarball, project / "collections" / "iotops-aws.tar.gz")
    # As AWX's project update runs it: from the project's root, into a path
    # that the job then puts on ANSIBLE_COLLECTIONS_PATH.
    galaxy("collection", "install", "-r", "collections/requirements.yml", "-p", tmp_path / "requirements_collections",
           cwd=project, collections_path=tmp_path / "requirements_collections")
    # AWX's demo inventory: localhost, run with the playbook's own Python.
    (tmp_path / "inventory").mkdir()
    (tmp_path / "inventory" / "hosts").write_text(
        "localhost ansible_connection=local ansible_python_interpreter='{{ ansible_playbook_python }}'\n")
    return tmp_path


@pytest.fixture
def awx_job(private_data_dir, iot, monkeypatch):
    """Run simulated_rollout.yml as a job template with a survey would."""
    # ansible-runner passes its own environment on: only the credential's
    # variables may reach the job, as in AWX's execution environment.
    for name in list(os.environ):
        if name.startswith(("AWS_", "ANSIBLE_")):
            monkeypatch.delenv(name)

    def run(job_id, devices, max_failure_percent, verbosity=0):
        events = []

        def on_event(event):
            events.append((time.monotonic(), event))
            return True

        started = time.monotonic()
        runner = ansible_runner.run(
            private_data_dir=str(private_data_dir),
            playbook="simulated_rollout.yml",
            envvars={
                # The "Amazon Web Services" credential type's injectors.
                "AWS_ACCESS_KEY_ID": ACCESS_KEY,
                "AWS_SECRET_ACCESS_KEY": SECRET_KEY,
                "AWS_SECURITY_TOKEN": SESSION_TOKEN,
                "AWS_URL": iot.url,
                "AWS_REGION": "us-east-1",
                "AWS_CONFIG_FILE": "/dev/null",
                "AWS_SHARED_CREDENTIALS_FILE": "/dev/null",
                "AWS_EC2_METADATA_DISABLED": "true",
                "ANSIBLE_COLLECTIONS_PATH": str(private_data_dir / "requirements_collections"),
                "ANSIBLE_COLLECTIONS_SCAN_SYS_PATH": "false",
                "PATH": os.path.dirname(sys.executable) + os.pathsep + os.environ.get("PATH", ""),
            },
            extravars={
                # The survey's answers.
                "gate_job_id": job_id,
                "max_failure_percent": max_failure_percent,
                # Only for the local endpoint: the fleet's script.
                "simulated_rollout": {"job_id": job_id, "things": NAMES, "devices": devices},
            },
            event_handler=on_event,
            verbosity=verbosity,
            quiet=True,
            timeout=180,
        )
        return AwxJob(runner, [(at - started, event) for at, event in events])

    return run


class AwxJob:
    def __init__(self, runner, events):
        self.runner = runner
        self.events = events
        self.stdout = runner.stdout.read()

    def gate_events(self, *kinds):
        return [(at, event) for at, event in self.events
                if event["event"] in kinds and event.get("event_data", {}).get("task") == GATE_TASK]

    def progress(self, job_id):
        """Progress lines of the gate, with when each event arrived."""
        return [(at, event["stdout"]) for at, event in self.gate_events("verbose")
                if event["stdout"].startswith(job_id + ": ")]

    def __str__(self):
        return "status={0} rc={1}\n{2}".format(self.runner.status, self.runner.rc, self.stdout)


# The fleet's time moves STEP seconds with each request (the request_clock
# fixture), and the gate makes one request (DescribeJob) per poll until its
# verdict: a device scripted to finish at 1.5 s does so at the 6th request,
# however slowly the machine runs the play.  The gate prints a line when
# the counts move, and sleeps 0.5 s (gate_poll_seconds) between polls: the
# real time between its lines has that lower bound.
STEP = 0.25


def device(outcome, finish, **extra):
    return dict(outcome=outcome, start=0.3, finish=finish, **extra)


def assert_no_secret_in(job):
    for at, event in job.events:
        text = json.dumps(event)
        assert SECRET_KEY not in text and SESSION_TOKEN not in text, (at, event)
    assert SECRET_KEY not in job.stdout and SESSION_TOKEN not in job.stdout


def assert_token_travelled(iot):
    calls = iot.calls()
    assert {call.api for call in calls} >= {"DescribeJob"}
    assert [(call.api, call.access_key, call.security_token) for call in calls
            if (call.access_key, call.security_token) != (ACCESS_KEY, SESSION_TOKEN)] == []


def test_gate_passes_a_healthy_rollout_and_streams_progress(awx_job, iot, private_data_dir, request_clock):
    request_clock(STEP)
    # One failure in ten, under the survey's 20 %; the last device finishes at
    # 3.25 s, the 13th request: the first poll (0.25 s) finds all ten queued,
    # unless an attempt went unanswered (each retry is a request too).
    devices = {name: device("SUCCEEDED", 1.0 + 0.25 * index) for index, name in enumerate(NAMES)}
    devices["sensor-3"] = device("FAILED", 1.5, details={"reason": "checksum mismatch"})
    # AWX's "3 (Debug)" verbosity: still no secret, and shows which copy ran.
    job = awx_job("fw-awx-healthy", devices, max_failure_percent=20, verbosity=3)

    assert job.runner.status == "successful" and job.runner.rc == 0, job
    [(done_at, done)] = job.gate_events("runner_on_ok")
    assert done["event_data"]["res"]["verdict"] == "succeeded"
    assert done["event_data"]["res"]["status_counts"] == {"SUCCEEDED": 9, "FAILED": 1}

    progress = job.progress("fw-awx-healthy")
    assert len(progress) >= 3, job
    assert progress[-1][1].startswith("fw-awx-healthy: 9/10 succeeded, 1 failed, 0 in progress, 0 queued - "), progress
    # AWX got the lines while the gate waited, not in a burst at its end: a
    # dozen polls, 0.5 s apart, came between the first line and the verdict.
    assert done_at - progress[0][0] > 1.5, progress
    # The first poll came well before the 13th request, when the last device finishes.
    assert not progress[0][1].startswith("fw-awx-healthy: 9/10"), "the first poll came after the rollout"

    module_file = private_data_dir / "requirements_collections/ansible_collections/iotops/aws/plugins/modules/iot_job_info.py"
    assert "Using module file {0}".format(module_file) in job.stdout
    assert_token_travelled(iot)
    assert_no_secret_in(job)


def test_gate_fails_a_bad_rollout_with_one_line(awx_job, iot, request_clock):
    request_clock(STEP)
    # Four of ten fail at 1.5 s (the 6th request), over the survey's 20 %:
    # the gate stops there, long before the rest finish at 4 s.
    devices = {name: device("SUCCEEDED", 4.0) for name in NAMES}
    for name in ("sensor-1", "sensor-4", "sensor-6", "sensor-8"):
        devices[name] = device("FAILED", 1.5, details={"reason": "flash write error"})
    job = awx_job("fw-awx-bad", devices, max_failure_percent=20)

    assert job.runner.status == "failed" and job.runner.rc != 0, job
    failed = [event for _at, event in job.events if event["event"] == "runner_on_failed"]
    assert [event["event_data"]["task"] for event in failed] == [GATE_TASK], job
    [(failed_at, _event)] = job.gate_events("runner_on_failed")
    message = failed[0]["event_data"]["res"]["msg"]
    assert message.startswith("Job fw-awx-bad: "), message
    assert "over the limit (max_failure_percent 20)" in message and "flash write error" in message, message
    assert "\n" not in message
    assert message in job.stdout
    # The play stopped at the gate: the report after it never ran.
    assert not [event for _at, event in job.events if event.get("event_data", {}).get("task") == "Report the stage"]

    progress = job.progress("fw-awx-bad")
    assert progress[-1][1].startswith("fw-awx-bad: 0/10 succeeded, 4 failed, 6 in progress, 0 queued - "), progress
    # Streamed while the gate waited: some 5 polls, 0.5 s apart, before the verdict.
    assert failed_at - progress[0][0] > 0.5, progress
    assert_token_travelled(iot)
    assert_no_secret_in(job)
