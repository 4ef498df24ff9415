"""iotops.aws.iot_job_execution_info in real ansible-playbook runs against the local endpoint."""

from __future__ import annotations

import datetime
import json

import pytest
import yaml

from helpers import SECRET_KEY, SESSION_TOKEN, advance_until, closed_port, one_line
from local_endpoint import device

MODULE = "iotops.aws.iot_job_execution_info"
JOB = "fw-2-4-1"
# Keys a device chose; the module must return them as sent.
DEVICE_DETAILS = {"progressPercent": "100", "fw:Version": "2.4.1", "Reason_Code": "OK"}
EXECUTION_KEYS = {"job_id", "thing_name", "thing_arn", "status", "queued_at", "started_at", "last_updated_at",
                  "execution_number"}
# Fast enough that every test settles in well under a second.
QUICK_SUCCESS = dict(start=0.05, finish=0.1)


def info(name, ignore_errors=False, **args):
    task = {"name": name, MODULE: args}
    if ignore_errors:
        task["ignore_errors"] = True
    return task


def status_of(iot, job_id, thing):
    execution = iot.fleet.execution(job_id, thing)
    return execution.status if execution is not None else None


def assert_iso_utc(value):
    parsed = datetime.datetime.fromisoformat(value)
    assert parsed.utcoffset() == datetime.timedelta(0), value
    assert value.endswith("+00:00"), value
    return parsed


def assert_ok(run, task):
    result = run.result(task)
    assert run.status(task) == "ok", result
    assert result["changed"] is False
    return result["job_executions"]


def leaked(run, *secrets):
    text = run.output + json.dumps(run.results)
    return [secret for secret in secrets if secret in text]


# -- describe ---------------------------------------------------------------------

@pytest.mark.smoke
@pytest.mark.parametrize("check", [False, True], ids=["normal", "check-mode"])
def test_describe_returns_the_execution_as_the_device_left_it(iot, playbook, check):
    iot.fleet.create_job(JOB, things=["sensor-1", "sensor-2"], timeout_minutes=5, devices={
        "sensor-1": device("SUCCEEDED", details=DEVICE_DETAILS, **QUICK_SUCCESS),
        "sensor-2": device(None, start=0.05, progress={"progressPercent": "40"}),
    })
    advance_until(iot, lambda: (status_of(iot, JOB, "sensor-1"), status_of(iot, JOB, "sensor-2")) == ("SUCCEEDED", "IN_PROGRESS"))

    run = playbook([
        info("done", job_id=JOB, thing_name="sensor-1"),
        info("working", job_id=JOB, thing_name="sensor-2"),
        info("other status", job_id=JOB, thing_name="sensor-1", status="QUEUED"),
    ], check=check)

    assert run.rc == 0, run.output
    [done] = assert_ok(run, "done")
    assert EXECUTION_KEYS <= set(done)
    assert done["job_id"] == JOB
    assert done["thing_name"] == "sensor-1"
    assert done["thing_arn"] == iot.fleet.thing_arn("sensor-1")
    assert done["status"] == "SUCCEEDED"
    assert done["execution_number"] == 1
    assert done["version_number"] == 3  # QUEUED, IN_PROGRESS, SUCCEEDED
    assert done["force_canceled"] is False
    assert done["approximate_seconds_before_timed_out"] is None
    assert done["status_details"] == {"details_map": DEVICE_DETAILS}
    queued, started, updated = (assert_iso_utc(done[key]) for key in ("queued_at", "started_at", "last_updated_at"))
    assert queued <= started <= updated

    [working] = assert_ok(run, "working")
    assert working["status"] == "IN_PROGRESS"
    assert working["version_number"] == 2
    assert working["approximate_seconds_before_timed_out"] == 300
    assert working["status_details"] == {"details_map": {"progressPercent": "40"}}
    assert_iso_utc(working["started_at"])

    assert assert_ok(run, "other status") == []
    # Check mode reads just the same: every task asked the endpoint.
    assert len(iot.calls("DescribeJobExecution")) == 3


# -- list ---------------------------------------------------------------------------

def test_list_by_job_reads_every_page_and_filters_by_status(iot, playbook):
    things = ["sensor-{0:03d}".format(index) for index in range(260)]
    finished = things[::40]
    iot.fleet.create_job(JOB, things=things, devices={name: device("SUCCEEDED", **QUICK_SUCCESS) for name in finished})
    advance_until(iot, lambda: all(status_of(iot, JOB, name) == "SUCCEEDED" for name in finished))

    run = playbook([
        info("all", job_id=JOB),
        info("succeeded", job_id=JOB, status="SUCCEEDED"),
    ])

    assert run.rc == 0, run.output
    executions = assert_ok(run, "all")
    assert len(executions) == 260
    assert sorted(item["thing_name"] for item in executions) == things
    for item in executions:
        assert EXECUTION_KEYS | {"retry_attempt"} <= set(item)
        assert item["job_id"] == JOB
        assert item["thing_arn"] == iot.fleet.thing_arn(item["thing_name"])
        assert item["retry_attempt"] == 0
        assert item["execution_number"] == 1
        assert_iso_utc(item["queued_at"])
    assert sorted(item["thing_name"] for item in executions if item["status"] == "SUCCEEDED") == finished

    succeeded = assert_ok(run, "succeeded")
    assert sorted(item["thing_name"] for item in succeeded) == finished
    assert {item["status"] for item in succeeded} == {"SUCCEEDED"}

    unfiltered = [call for call in iot.calls("ListJobExecutionsForJob") if "status=" not in call.query]
    filtered = [call for call in iot.calls("ListJobExecutionsForJob") if "status=SUCCEEDED" in call.query]
    assert len(unfiltered) == 2
    assert "nextToken=" in unfiltered[1].query
    assert len(filtered) == 1
    assert all("maxResults=250" in call.query for call in unfiltered + filtered)


def test_list_by_thing_accepts_a_thing_arn(iot, playbook):
    iot.fleet.create_job("fw-a", things=["sensor-1", "sensor-2"], devices={"sensor-1": device("FAILED", **QUICK_SUCCESS)})
    iot.fleet.create_job("fw-b", things=["sensor-1"])
    iot.fleet.create_job("fw-c", things=["sensor-2"])
    advance_until(iot, lambda: status_of(iot, "fw-a", "sensor-1") == "FAILED")
    arn = iot.fleet.thing_arn("sensor-1")

    run = playbook([
        info("by arn", thing_name=arn),
        info("failed only", thing_name=arn, status="FAILED"),
    ])

    assert run.rc == 0, run.output
    executions = assert_ok(run, "by arn")
    assert sorted(item["job_id"] for item in executions) == ["fw-a", "fw-b"]
    for item in executions:
        assert EXECUTION_KEYS | {"retry_attempt"} <= set(item)
        assert (item["thing_name"], item["thing_arn"]) == ("sensor-1", arn)
    assert {item["job_id"]: item["status"] for item in executions} == {"fw-a": "FAILED", "fw-b": "QUEUED"}
    assert [(item["job_id"], item["status"]) for item in assert_ok(run, "failed only")] == [("fw-a", "FAILED")]
    # The ARN was reduced to the name before any request.
    assert {call.path for call in iot.calls("DescribeThing")} == {"/things/sensor-1"}
    assert {call.path for call in iot.calls("ListJobExecutionsForThing")} == {"/things/sensor-1/jobs"}


def test_what_does_not_exist_is_an_empty_list(iot, playbook):
    iot.fleet.create_job(JOB, things=["sensor-1"], devices={"sensor-1": device("SUCCEEDED", **QUICK_SUCCESS)})
    advance_until(iot, lambda: status_of(iot, JOB, "sensor-1") == "SUCCEEDED")

    tasks = {
        "missing job": dict(job_id="no-such-job"),
        "missing thing": dict(thing_name="no-such-thing"),
        "thing not in job": dict(job_id=JOB, thing_name="no-such-thing"),
        "job of another thing": dict(job_id="no-such-job", thing_name="sensor-1"),
        "missing execution number": dict(job_id=JOB, thing_name="sensor-1", execution_number=7),
        "existing execution number": dict(job_id=JOB, thing_name="sensor-1", execution_number=1),
    }
    run = playbook([info(name, **args) for name, args in tasks.items()])

    assert run.rc == 0, run.output
    for name in list(tasks)[:-1]:
        assert assert_ok(run, name) == [], name
    assert [item["status"] for item in assert_ok(run, "existing execution number")] == ["SUCCEEDED"]
    assert len(iot.calls()) == len(tasks)
    assert {call.status for call in iot.calls()} == {200, 404}


def test_execution_number_reaches_the_execution_before_a_retry(iot, playbook):
    retry = dict(QUICK_SUCCESS, outcome="SUCCEEDED", details={"fw:Version": "2.4.1"})
    iot.fleet.create_job(JOB, things=["d"], retry={"FAILED": 1}, retry_delay=0.05, devices={
        "d": device("FAILED", details={"error": "flash"}, retries=[retry], **QUICK_SUCCESS),
    })
    advance_until(iot, lambda: iot.fleet.execution(JOB, "d").execution_number == 2 and status_of(iot, JOB, "d") == "SUCCEEDED")

    run = playbook([
        info("first", job_id=JOB, thing_name="d", execution_number=1),
        info("retry", job_id=JOB, thing_name="d", execution_number=2),
        info("latest", job_id=JOB, thing_name="d"),
        info("listed", job_id=JOB),
    ])

    assert run.rc == 0, run.output
    [first] = assert_ok(run, "first")
    assert (first["execution_number"], first["status"]) == (1, "FAILED")
    assert first["status_details"]["details_map"] == {"error": "flash"}
    [retry] = assert_ok(run, "retry")
    assert (retry["execution_number"], retry["status"]) == (2, "SUCCEEDED")
    assert retry["status_details"]["details_map"] == {"fw:Version": "2.4.1"}
    [latest] = assert_ok(run, "latest")
    assert latest["execution_number"] == 2
    [listed] = assert_ok(run, "listed")
    assert (listed["execution_number"], listed["retry_attempt"], listed["status"]) == (2, 1, "SUCCEEDED")
    assert [call.query for call in iot.calls("DescribeJobExecution")] == ["executionNumber=1", "executionNumber=2", ""]


# -- connection options -------------------------------------------------------------

def test_module_defaults_group_sets_region_and_endpoint(iot, playbook):
    iot.fleet.create_job(JOB, things=["sensor-1"])

    run = playbook(
        [info("defaults", job_id=JOB, thing_name="sensor-1")],
        env={"AWS_URL": None, "AWS_REGION": None},
        module_defaults={"group/iotops.aws.aws": {"region": "us-east-1", "endpoint_url": iot.url}},
    )

    assert run.rc == 0, run.output
    assert [item["status"] for item in assert_ok(run, "defaults")] == ["QUEUED"]
    arguments = run.result("defaults")["invocation"]["module_args"]
    assert (arguments["region"], arguments["endpoint_url"]) == ("us-east-1", iot.url)
    assert len(iot.calls("DescribeJobExecution")) == 1


@pytest.mark.parametrize(
    "env, region, found",
    [
        ({"AWS_REGION": "us-east-1", "AWS_DEFAULT_REGION": None}, "us-east-1", True),
        ({"AWS_REGION": None, "AWS_DEFAULT_REGION": "us-east-1"}, "us-east-1", True),
        ({"AWS_REGION": "us-east-1", "AWS_DEFAULT_REGION": "eu-west-1"}, "us-east-1", True),
        # The endpoint keeps one backend per region, signed for: eu-west-1 has no jobs.
        ({"AWS_REGION": "eu-west-1", "AWS_DEFAULT_REGION": "us-east-1"}, "eu-west-1", False),
    ],
    ids=["AWS_REGION", "AWS_DEFAULT_REGION", "AWS_REGION-first", "AWS_REGION-elsewhere"],
)
def test_region_from_the_environment(iot, playbook, env, region, found):
    iot.fleet.create_job(JOB, things=["sensor-1"])

    run = playbook([info("region", job_id=JOB)], env=env)

    assert run.rc == 0, run.output
    executions = assert_ok(run, "region")
    assert [item["thing_name"] for item in executions] == (["sensor-1"] if found else [])
    assert run.result("region")["invocation"]["module_args"]["region"] == region
    assert len(iot.calls("ListJobExecutionsForJob")) == 1


# -- bad input: one line naming the option, and no request -------------------------

BAD_INPUTS = [
    ("job_id too long", dict(job_id="j" * 65), {}, ["job_id"]),
    ("job_id bad characters", dict(job_id="fw 2.4.1"), {}, ["job_id"]),
    ("thing_name bad", dict(job_id=JOB, thing_name="sensor/1"), {}, ["thing_name"]),
    ("thing_name a group ARN", dict(thing_name="arn:aws:iot:us-east-1:123456789012:thinggroup/fleet"), {}, ["thing_name"]),
    ("execution_number negative", dict(job_id=JOB, thing_name="t", execution_number=-1), {}, ["execution_number"]),
    ("execution_number not an integer", dict(job_id=JOB, thing_name="t", execution_number="latest"), {},
     ["execution_number"]),
    ("execution_number without thing_name", dict(job_id=JOB, execution_number=1), {}, ["execution_number", "thing_name"]),
    ("neither job_id nor thing_name", dict(status="FAILED"), {}, ["job_id", "thing_name"]),
    ("status unknown", dict(job_id=JOB, status="DONE"), {}, ["status"]),
    ("profile with access_key", dict(job_id=JOB, profile="ops"), {}, ["profile", "access_key"]),
    ("access_key without secret_key", dict(job_id=JOB, access_key="AKIDONLY"), {"AWS_SECRET_ACCESS_KEY": None},
     ["access_key", "secret_key"]),
    ("no region", dict(job_id=JOB), {"AWS_REGION": None, "AWS_DEFAULT_REGION": None}, ["region"]),
    ("profile not found", dict(job_id=JOB, profile="no-such-profile"),
     {"AWS_ACCESS_KEY_ID": None, "AWS_SECRET_ACCESS_KEY": None}, ["profile"]),
    ("aws_config unknown setting", dict(job_id=JOB, aws_config={"retry": {"mode": "standard"}}), {}, ["aws_config"]),
    ("aws_config bad retry mode", dict(job_id=JOB, aws_config={"retries": {"mode": "fastest"}}), {}, ["aws_config"]),
]


@pytest.mark.parametrize("name, args, env, named", BAD_INPUTS, ids=[case[0] for case in BAD_INPUTS])
def test_bad_input_fails_before_any_request(iot, playbook, name, args, env, named):
    run = playbook([info(name, **args)], env=env)

    assert run.rc != 0
    message = one_line(run, name)
    for option in named:
        assert option in message
    assert iot.calls() == []


# -- AWS errors ---------------------------------------------------------------------

@pytest.mark.smoke
def test_access_denied_is_one_line_and_not_retried(iot, playbook):
    iot.set_faults(deny="AccessDeniedException")

    run = playbook([info("denied", job_id=JOB, thing_name="sensor-1")])

    message = one_line(run, "denied")
    assert "AccessDeniedException" in message
    assert "request id" in message
    assert message.startswith("Failed to read job executions (job_id {0}, thing_name sensor-1)".format(JOB))
    assert [(call.api, call.status) for call in iot.calls()] == [("DescribeJobExecution", 403)]


def test_invalid_signature_fails_every_mode_in_one_request_each(iot, playbook):
    iot.set_faults(deny="InvalidSignatureException")

    run = playbook([
        info("describe", job_id=JOB, thing_name="sensor-1", ignore_errors=True),
        info("by job", job_id=JOB, ignore_errors=True),
        info("by thing", thing_name="sensor-1", ignore_errors=True),
    ])

    for task in ("describe", "by job", "by thing"):
        message = one_line(run, task)
        assert "InvalidSignatureException" in message
        assert "request id" in message
    assert [call.api for call in iot.calls()] == ["DescribeJobExecution", "ListJobExecutionsForJob", "DescribeThing"]


def test_throttling_fails_after_the_configured_attempts(iot, playbook):
    iot.set_faults(throttle_rate=1.0)

    run = playbook([info("throttled", job_id=JOB, aws_config={"retries": {"mode": "standard", "total_max_attempts": 3}})])

    message = one_line(run, "throttled")
    assert "ThrottlingException" in message
    assert "after 2 retries" in message
    assert [call.attempt for call in iot.calls("ListJobExecutionsForJob")] == [1, 2, 3]
    assert len(iot.calls()) == 3


def test_missing_credentials_fail_without_a_request(iot, playbook):
    run = playbook([info("anonymous", job_id=JOB)], env={"AWS_ACCESS_KEY_ID": None, "AWS_SECRET_ACCESS_KEY": None})

    message = one_line(run, "anonymous")
    assert "NoCredentialsError" in message or "credentials" in message
    assert iot.calls() == []


def test_unreachable_endpoint_fails_fast(iot, playbook):
    url = "http://127.0.0.1:{0}".format(closed_port())

    run = playbook([info("unreachable", job_id=JOB, thing_name="sensor-1", endpoint_url=url)])

    message = one_line(run, "unreachable")
    assert "EndpointConnectionError" in message
    assert url in message
    # Default settings allow 15 attempts; three unanswered ones end the call.
    assert run.seconds < 30


# -- secrets ------------------------------------------------------------------------

def test_secrets_stay_out_of_verbose_output(iot, playbook, tmp_path):
    iot.fleet.create_job(JOB, things=["sensor-1"])
    # As from a vault: Ansible quotes the playbook's own lines around a failed
    # task, so a literal secret there would be shown by Ansible itself.
    secrets = tmp_path / "secrets.yml"
    secrets.write_text(yaml.safe_dump({"vault_secret_key": SECRET_KEY, "vault_session_token": SESSION_TOKEN}))
    verbose = ["-vvvv", "-e", "@{0}".format(secrets)]
    credentials = dict(secret_key="{{ vault_secret_key }}", session_token="{{ vault_session_token }}")

    passing = playbook([info("passing", job_id=JOB, thing_name="sensor-1", **credentials)],
                       env={"AWS_SECRET_ACCESS_KEY": None}, args=verbose)

    assert passing.rc == 0, passing.output
    assert len(assert_ok(passing, "passing")) == 1
    # The token did travel, to the endpoint only.
    assert [call.security_token for call in iot.calls()] == [SESSION_TOKEN]
    assert leaked(passing, SECRET_KEY, SESSION_TOKEN) == []

    iot.set_faults(deny="AccessDeniedException")
    failing = playbook([
        info("denied", job_id=JOB, thing_name="sensor-1", ignore_errors=True, **credentials),
        info("conflicting", job_id=JOB, profile="ops", ignore_errors=True, **credentials),
    ], env={"AWS_SECRET_ACCESS_KEY": None}, args=verbose)

    assert "AccessDeniedException" in one_line(failing, "denied")
    assert "session_token" in one_line(failing, "conflicting")
    assert "<local> EXEC" in failing.output  # -vvvv was in effect
    assert leaked(failing, SECRET_KEY, SESSION_TOKEN) == []
