"""The iotops.aws.iot_job_execution lookup in real playbooks against the local endpoint."""

from __future__ import annotations

import pytest

from helpers import SECRET_KEY
from local_endpoint import device


def lookup_task(name, expression, **task):
    """A task that keeps the lookup's result as the fact ``found``."""
    return dict({"name": name, "ansible.builtin.set_fact": {"found": "{{ " + expression + " }}"}}, **task)


def described_things(iot):
    return [call.path.split("/")[2] for call in iot.calls("DescribeJobExecution")]


def test_one_term_is_the_execution_info_item(iot, playbook):
    iot.fleet.create_job("fw", things=["dev-1"],
                         default=device("SUCCEEDED", start=0.0, finish=0.05, details={"fw:Version": "2.4.1"}))
    iot.fleet.settle("fw")

    run = playbook([
        lookup_task("lookup", "lookup('iotops.aws.iot_job_execution', 'dev-1', job_id='fw')"),
        {"name": "info", "iotops.aws.iot_job_execution_info": {"job_id": "fw", "thing_name": "dev-1"}},
    ])

    found = run.result("lookup")["ansible_facts"]["found"]
    assert found == run.result("info")["job_executions"][0]
    assert found["status"] == "SUCCEEDED"
    assert found["status_details"]["details_map"] == {"fw:Version": "2.4.1"}


@pytest.mark.smoke
def test_several_terms_keep_their_order(iot, playbook):
    things = ["dev-1", "dev-2", "dev-3", "dev-4"]
    iot.fleet.create_job("fw", things=things, devices={"dev-2": device("FAILED", start=0.0, finish=0.05)},
                         default=device("SUCCEEDED", start=0.0, finish=0.05))
    iot.fleet.settle("fw")

    run = playbook([lookup_task(
        "lookup", "query('iotops.aws.iot_job_execution', 'dev-3', later, 'dev-2', job_id='fw')",
        vars={"later": ["dev-4", "arn:aws:iot:us-east-1:123456789012:thing/dev-1"]},
    )])

    found = run.result("lookup")["ansible_facts"]["found"]
    assert [(item["thing_name"], item["status"]) for item in found] == [
        ("dev-3", "SUCCEEDED"), ("dev-4", "SUCCEEDED"), ("dev-1", "SUCCEEDED"), ("dev-2", "FAILED")]
    # One request per term, in term order, from one call of the lookup.
    assert described_things(iot) == ["dev-3", "dev-4", "dev-1", "dev-2"]


def test_on_missing_modes(iot, playbook):
    iot.fleet.create_job("fw", things=["dev-1"], default=device("SUCCEEDED", start=0.0, finish=0.05))
    iot.fleet.settle("fw")
    terms = "'dev-1', 'dev-9'"

    run = playbook([
        lookup_task("error", "query('iotops.aws.iot_job_execution', {0}, job_id='fw')".format(terms), ignore_errors=True),
        lookup_task("skip", "query('iotops.aws.iot_job_execution', {0}, job_id='fw', on_missing='skip')".format(terms)),
        lookup_task("warn", "query('iotops.aws.iot_job_execution', {0}, job_id='fw', on_missing='warn')".format(terms)),
    ])

    assert run.status("error") == "failed"
    assert run.result("error")["msg"].endswith("failed: job fw has no execution on thing dev-9")
    assert [item["thing_name"] for item in run.result("skip")["ansible_facts"]["found"]] == ["dev-1"]
    assert [item["thing_name"] for item in run.result("warn")["ansible_facts"]["found"]] == ["dev-1"]
    assert not run.result("skip").get("warnings")
    assert run.result("warn")["warnings"] == ["Skipping dev-9: job fw has no execution on thing dev-9"]


def test_a_missing_job_is_named_as_missing_with_where_it_was_looked_for(iot, playbook):
    iot.fleet.ensure_things(["dev-1"])
    run = playbook([lookup_task("lookup", "query('iotops.aws.iot_job_execution', 'dev-1', job_id='fw-nope')",
                                ignore_errors=True)])

    assert run.status("lookup") == "failed"
    assert run.result("lookup")["msg"].endswith("failed: job fw-nope does not exist in us-east-1 at {0}".format(iot.url))
    assert [call.api for call in iot.calls()] == ["DescribeJobExecution", "DescribeJob"]


def test_region_comes_from_the_environment(iot, playbook):
    iot.fleet.create_job("fw", things=["dev-1"], default=device("SUCCEEDED", start=0.0, finish=0.05))
    iot.fleet.settle("fw")
    task = lookup_task("lookup", "lookup('iotops.aws.iot_job_execution', 'dev-1', job_id='fw')", ignore_errors=True)

    # The fleet lives in us-east-1, so only that region finds the execution.
    elsewhere = playbook([task], env={"AWS_REGION": "eu-west-1", "AWS_DEFAULT_REGION": None})
    found = playbook([task], env={"AWS_REGION": "us-east-1", "AWS_DEFAULT_REGION": None})
    calls_with_region = len(iot.calls())
    unset = playbook([task], env={"AWS_REGION": None, "AWS_DEFAULT_REGION": None})

    # The job is in us-east-1: in eu-west-1 it does not exist, and the message says where it looked.
    assert elsewhere.result("lookup")["msg"].endswith("failed: job fw does not exist in eu-west-1 at {0}".format(iot.url))
    assert found.result("lookup")["ansible_facts"]["found"]["thing_name"] == "dev-1"
    assert unset.status("lookup") == "failed"
    assert "region is not set" in unset.result("lookup")["msg"]
    assert len(iot.calls()) == calls_with_region == 3  # the miss in eu-west-1 asks DescribeJob too


def test_execution_number_selects_an_earlier_attempt(iot, playbook):
    iot.fleet.create_job(
        "fw", things=["dev-1"], retry={"FAILED": 1}, retry_delay=0.05,
        devices={"dev-1": device("FAILED", start=0.0, finish=0.05, details={"error": "E42"},
                                 retries=[{"outcome": "SUCCEEDED", "start": 0.0, "finish": 0.05}])},
    )
    iot.fleet.settle("fw")

    run = playbook([
        lookup_task("first", "lookup('iotops.aws.iot_job_execution', 'dev-1', job_id='fw', execution_number=1)"),
        lookup_task("latest", "lookup('iotops.aws.iot_job_execution', 'dev-1', job_id='fw')"),
    ])

    first = run.result("first")["ansible_facts"]["found"]
    latest = run.result("latest")["ansible_facts"]["found"]
    assert (first["execution_number"], first["status"], first["status_details"]["details_map"]) == (1, "FAILED", {"error": "E42"})
    assert (latest["execution_number"], latest["status"]) == (2, "SUCCEEDED")
    assert [call.query for call in iot.calls("DescribeJobExecution")] == ["executionNumber=1", ""]


@pytest.mark.smoke
def test_aws_error_is_one_line_with_the_code(iot, playbook):
    iot.fleet.create_job("fw", things=["dev-1"])
    iot.set_faults(deny="AccessDeniedException")

    run = playbook([lookup_task("lookup", "lookup('iotops.aws.iot_job_execution', 'dev-1', job_id='fw')",
                                ignore_errors=True)])

    msg = run.result("lookup")["msg"]
    assert run.status("lookup") == "failed"
    # ansible-core 2.19 prefixes where the lookup failed; earlier versions do not.
    assert "Failed to describe the execution of job fw on thing dev-1: AccessDeniedException: " in msg
    assert "\n" not in msg
    assert "Traceback" not in run.output and SECRET_KEY not in run.output


# Task name, the lookup's terms and options, what its message says.
BAD_OPTIONS = [
    ("job id with a space", "'dev-1', job_id='fw 2.4.1'", "job_id: 'fw 2.4.1' is not a job ID"),
    ("negative execution number", "'dev-1', job_id='fw', execution_number=-1", "execution_number: -1 is not an execution number"),
    ("unknown on_missing", "'dev-1', job_id='fw', on_missing='ignore'", "Invalid value 'ignore' for config 'on_missing'"),
    ("misspelt option", "'dev-1', job_id='fw', jobid='fw'", "jobid: not an option of this lookup"),
    ("profile and keys", "'dev-1', job_id='fw', profile='ops'", "profile cannot be combined with access_key, secret_key"),
    ("thing name with a space", "'dev-1', 'dev 2', job_id='fw'", "_terms: 'dev 2' is not a thing name"),
]


def test_bad_options_fail_before_any_request(iot, playbook):
    iot.fleet.create_job("fw", things=["dev-1"], default=device("SUCCEEDED", start=0.0, finish=0.05))
    run = playbook([lookup_task(name, "query('iotops.aws.iot_job_execution', {0})".format(arguments), ignore_errors=True)
                    for name, arguments, problem in BAD_OPTIONS])

    for name, arguments, problem in BAD_OPTIONS:
        assert run.status(name) == "failed"
        assert problem in run.result(name)["msg"]
    assert iot.calls() == []
