"""examples/awx run the way an AWX workflow runs them: each node an
ansible-runner job over the project, the survey's answers as extra vars, and
the canary node's artifacts (its set_stats, staged_rollout) as extra vars of
the fleet node after the approval."""

from __future__ import annotations

import json
import os
import shutil
import sys

import ansible_runner
import pytest

from helpers import ACCESS_KEY, ROOT, SECRET_KEY, writes
from harness import collections_root
from local_endpoint import device

PROJECT = ROOT / "examples" / "awx"
GROUPS = {
    "fw-canaries": ["canary-{0}".format(n) for n in range(3)],
    "fw-early-wave": ["early-{0}".format(n) for n in range(6)],
    "fw-rest": ["rest-{0}".format(n) for n in range(10)],
}
SURVEY = {"firmware": "2.4.1", "firmware_bucket": "example-firmware", "canary_max_failures": 0, "fleet_max_failure_percent": 2}
# Not survey questions: the simulated fleet's small groups and a short pause between polls.
SIZES = {"canary_count": 3, "early_count": 6, "rest_count": 10, "gate_sleep": 0.2}
JOB = "fw-2-4-1"


@pytest.fixture
def node(tmp_path, iot, request_clock, monkeypatch):
    """Run one node of the workflow: a playbook of the project, with extra vars."""
    for group, members in GROUPS.items():
        iot.fleet.ensure_group(group, members)
    iot.fleet.set_devices(default=device("SUCCEEDED", start=0.5, finish=3))
    request_clock(0.25)
    for name in list(os.environ):
        if name.startswith(("AWS_", "ANSIBLE_")):
            monkeypatch.delenv(name)
    (tmp_path / "inventory").mkdir()
    (tmp_path / "inventory" / "hosts").write_text(
        "localhost ansible_connection=local ansible_python_interpreter='{{ ansible_playbook_python }}'\n")
    shutil.copytree(PROJECT, tmp_path / "project")

    def run(playbook, extravars):
        runner = ansible_runner.run(
            private_data_dir=str(tmp_path),
            playbook=playbook,
            envvars={
                "AWS_ACCESS_KEY_ID": ACCESS_KEY,
                "AWS_SECRET_ACCESS_KEY": SECRET_KEY,
                "AWS_URL": iot.url,
                "AWS_REGION": "us-east-1",
                "AWS_CONFIG_FILE": "/dev/null",
                "AWS_SHARED_CREDENTIALS_FILE": "/dev/null",
                "AWS_EC2_METADATA_DISABLED": "true",
                "ANSIBLE_COLLECTIONS_PATH": str(collections_root()),
                "PATH": os.path.dirname(sys.executable) + os.pathsep + os.environ.get("PATH", ""),
            },
            extravars=extravars,
            quiet=True,
            timeout=180,
        )
        return runner

    return run


def artifacts(runner):
    """What AWX keeps of a job for the workflow's later nodes: the custom stats of its stats event."""
    stats = [event for event in runner.events if event["event"] == "playbook_on_stats"]
    assert len(stats) == 1, runner.stdout.read()
    return stats[0]["event_data"]["artifact_data"]


def verdicts(rollout):
    return [(stage["name"], stage["verdict"]) for stage in rollout["stages"]]


def test_the_canary_nodes_artifacts_carry_the_fleet_node_through_the_rest(node, iot):
    canary = node("canary.yml", dict(SURVEY, **SIZES))
    assert canary.status == "successful", canary.stdout.read()
    passed_on = artifacts(canary)
    assert verdicts(passed_on["staged_rollout"]) == [("canaries", "succeeded")]
    assert passed_on["staged_rollout"]["job_id"] == JOB
    # The approval node changes nothing; the fleet node gets the survey's answers and the canary's artifacts.
    fleet = node("fleet.yml", dict(SURVEY, **SIZES, **json.loads(json.dumps(passed_on))))
    assert fleet.status == "successful", fleet.stdout.read()
    rollout = artifacts(fleet)["staged_rollout"]
    assert verdicts(rollout) == [("canaries", "succeeded"), ("early wave", "succeeded"), ("rest of the fleet", "succeeded")]
    assert rollout["stages"][0]["polls"] == 1  # gated again at its first poll
    assert writes(iot) == ["CreateJob", "AssociateTargetsWithJob", "AssociateTargetsWithJob"]


def test_a_failed_canary_passes_its_verdict_on_and_the_fleet_node_refuses_to_start(node, iot):
    iot.fleet.set_devices(default=device("SUCCEEDED", start=0.5, finish=3),
                          devices={"canary-1": device("FAILED", start=0.5, finish=3, details={"reason": "boot loop"})})
    canary = node("canary.yml", dict(SURVEY, **SIZES))
    assert canary.status == "failed"
    rollout = artifacts(canary)["staged_rollout"]
    assert rollout["verdict"] == "failed" and rollout["canceled"] is True
    assert rollout["stages"][0]["failure_reasons"] == {"reason": {"boot loop": 1}}
    # Launched by hand with those artifacts, the fleet node stops before any request.
    before = len(iot.calls())
    fleet = node("fleet.yml", dict(SURVEY, **SIZES, staged_rollout=rollout))
    assert fleet.status == "failed"
    assert "run this after canary.yml passed on job fw-2-4-1" in fleet.stdout.read()
    assert len(iot.calls()) == before
    assert writes(iot) == ["CreateJob", "CancelJob"]
