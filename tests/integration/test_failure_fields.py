"""A failed AWS call gives playbooks error.code and response_metadata
beside the one-line msg, from a module and from the action plugin alike."""

from __future__ import annotations

import re

import pytest

from local_endpoint import device

INFO = "iotops.aws.iot_job_execution_info"
WAIT = "iotops.aws.iot_job_execution_wait"
JOB = "fw-fields"
REQUEST_ID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
# One retry, so a throttle storm spends botocore's attempts in about a second.
ONE_RETRY = {"retries": {"mode": "standard", "total_max_attempts": 2}}


def tasks():
    return [
        {"name": "module", "ignore_errors": True, INFO: {"job_id": JOB, "aws_config": ONE_RETRY}},
        {"name": "action", "ignore_errors": True,
         WAIT: {"job_id": JOB, "thing_names": ["dev-1"], "timeout": 2, "sleep": 1, "aws_config": ONE_RETRY}},
    ]


def assert_fields(result, code, status):
    assert result["error"]["code"] == code and result["error"]["message"]
    meta = result["response_metadata"]
    assert REQUEST_ID.fullmatch(meta["request_id"]) and meta["http_status_code"] == status
    # The one line names the same code and request id.
    assert code in result["msg"] and meta["request_id"] in result["msg"]
    assert "http_headers" not in meta


def test_access_denied(playbook, iot):
    iot.fleet.create_job(JOB, things=["dev-1"], default=device(start=0, finish=0))
    iot.set_faults(deny="AccessDeniedException")
    run = playbook(tasks())
    for task in ("module", "action"):
        assert run.status(task) == "failed"
        assert_fields(run.result(task), "AccessDeniedException", 403)
        assert run.result(task)["response_metadata"]["retry_attempts"] == 0


def test_throttled_after_retries(playbook, iot):
    iot.fleet.create_job(JOB, things=["dev-1"], default=device(start=0, finish=0))
    iot.set_faults(throttle_rate=1.0)
    run = playbook(tasks())
    module, action = run.result("module"), run.result("action")
    assert run.status("module") == run.status("action") == "failed"
    assert_fields(module, "ThrottlingException", 400)
    assert module["response_metadata"]["retry_attempts"] == 1
    # The wait rides throttles out to its deadline, then reports the last one.
    assert action["verdict"] == "timed_out"
    assert_fields(action, "ThrottlingException", 400)


@pytest.mark.parametrize("plugin", [INFO, WAIT])
def test_a_bad_option_has_no_aws_fields(playbook, iot, plugin):
    run = playbook([{"name": "bad", "ignore_errors": True, plugin: {"job_id": "fw/1"}}])
    result = run.result("bad")
    assert run.status("bad") == "failed" and "error" not in result and "response_metadata" not in result
    assert iot.calls() == []
