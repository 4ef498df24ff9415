"""iot_job in real ansible-playbook runs against the local endpoint: every
state transition, check mode and diff, drift, conflicts and bad input.

Races and lost answers are scripted with the endpoint's faults
(``lose_answer_once``, ``before_once``), never left to timing.
"""

from __future__ import annotations

import json

import boto3
import pytest

from conftest import ACCESS_KEY, SECRET_KEY, SESSION_TOKEN
from local_endpoint import device

JOB = "fw-2-4-1"
DOCUMENT = {"operation": "install", "version": "2.4.1"}
READS = ("Describe", "List", "Get")
ROLE = "arn:aws:iam::123456789012:role/iot-firmware-download"


def api(iot):
    return boto3.client("iot", endpoint_url=iot.url, region_name="us-east-1", aws_access_key_id=ACCESS_KEY,
                        aws_secret_access_key=SECRET_KEY)


def job_task(name, ignore_errors=False, **options):
    task = {"name": name, "iotops.aws.iot_job": dict(dict(job_id=JOB), **options)}
    if ignore_errors:
        task["ignore_errors"] = True
    return task


def present(name, **options):
    options.setdefault("targets", ["sensor-1"])
    options.setdefault("document", DOCUMENT)
    return job_task(name, **options)


def writes(iot, since=0):
    return [call.api for call in iot.calls()[since:] if not call.api.startswith(READS)]


def one_line(result):
    assert result.get("failed"), result
    assert "\n" not in result["msg"] and "Traceback" not in result["msg"], result["msg"]
    return result["msg"]


@pytest.fixture
def fleet(iot):
    """Things and groups: sensor-1..3, canaries (canary-1, canary-2), wave-1 (wave-1a..c)."""
    iot.fleet.ensure_things(["sensor-1", "sensor-2", "sensor-3"])
    iot.fleet.ensure_group("canaries", ["canary-1", "canary-2"])
    iot.fleet.ensure_group("wave-1", ["wave-1a", "wave-1b", "wave-1c"])
    return iot


def test_create_then_rerun_reports_unchanged_with_diff_and_no_secret(fleet, playbook):
    iot = fleet
    run = playbook([present("create", description="Firmware 2.4.1", tags={"release": "2.4.1"}),
                    present("again", description="Firmware 2.4.1", tags={"release": "2.4.1"})],
                   args=("--diff", "-vvv"), env={"AWS_SESSION_TOKEN": SESSION_TOKEN})
    assert run.rc == 0, run.output
    created, again = run.result("create"), run.result("again")
    assert created["changed"] is True and again["changed"] is False
    job = created["job"]
    assert job["job_id"] == JOB and job["status"] == "IN_PROGRESS" and job["target_selection"] == "SNAPSHOT"
    assert job["targets"] == [iot.fleet.thing_arn("sensor-1")]
    assert set(job) >= {"job_arn", "created_at", "job_process_details", "document_parameters", "abort_config"}
    assert created["diff"]["before"] == {}
    assert created["diff"]["after"]["document"] == DOCUMENT
    assert created["diff"]["after"]["tags"] == {"release": "2.4.1"}
    assert again["diff"] == {"before": {}, "after": {}}
    assert "+++ after" in run.stdout and "Firmware 2.4.1" in run.stdout  # the --diff rendering
    assert writes(iot) == ["CreateJob"]
    assert [c.api for c in iot.calls("GetJobDocument")] and [c.api for c in iot.calls("ListTagsForResource")]
    stored = api(iot).get_job_document(jobId=JOB)["document"]
    assert json.loads(stored) == DOCUMENT
    for secret in (SECRET_KEY, SESSION_TOKEN):
        assert secret not in run.output
