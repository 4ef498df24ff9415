"""Credentials that are missing or refused fail every plugin's first call,
in one line that says what to set: no later poll could find them, so the
wait must not spend its timeout polling."""

from __future__ import annotations

import pytest

from local_endpoint import device

WAIT = "iotops.aws.iot_job_execution_wait"
INFO = "iotops.aws.iot_job_execution_info"
JOB = "fw-creds"
# An hour: a wait that polled through it would outlast the play's timeout.
HOUR = 3600
PLAY_TIMEOUT = 120
# How soon each task must fail, beyond what Ansible itself takes to run a
# module the same way (the baseline tasks): no poll after the first.
AT_ONCE = 10
NO_KEYS = {"AWS_ACCESS_KEY_ID": None, "AWS_SECRET_ACCESS_KEY": None}
SET_KEYS = "set access_key and secret_key (or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY)"


def every_plugin():
    wait = dict(job_id=JOB, thing_names=["dev-1"], timeout=HOUR, sleep=1)
    return [
        {"name": "baseline", "ansible.builtin.command": "true"},
        {"name": "baseline as a module", "ansible.builtin.command": "true", "async": HOUR, "poll": 1},
        {"name": "info", "ignore_errors": True, INFO: dict(job_id=JOB, thing_name="dev-1")},
        {"name": "job", "ignore_errors": True, "iotops.aws.iot_job": dict(job_id=JOB, state="canceled")},
        {"name": "lookup", "ignore_errors": True, "ansible.builtin.set_fact": {
            "found": "{{ query('iotops.aws.iot_job_execution', 'dev-1', job_id='" + JOB + "') }}"}},
        {"name": "wait things", "ignore_errors": True, WAIT: wait},
        {"name": "wait fleet", "ignore_errors": True, WAIT: dict(job_id=JOB, timeout=HOUR)},
        {"name": "wait as a module", "ignore_errors": True, WAIT: wait, "async": HOUR, "poll": 1},
    ]


def assert_fails_at_once(run, *parts):
    for task in ("info", "job", "lookup", "wait things", "wait fleet", "wait as a module"):
        result = run.result(task)
        message = result.get("msg", "")
        assert run.status(task) == "failed", (task, result)
        assert "\n" not in message and "timed out" not in message, (task, message)
        baseline = run.seconds_of("baseline as a module" if task == "wait as a module" else "baseline")
        assert run.seconds_of(task) < baseline + AT_ONCE, (task, run.seconds_of(task), baseline)
        for part in parts:
            assert part in message, (task, message)
    assert "Traceback" not in run.output


@pytest.mark.smoke
def test_no_credentials_fail_every_plugin_at_once(playbook, iot):
    iot.fleet.create_job(JOB, things=["dev-1"], default=device(start=0, finish=3600))
    run = playbook(every_plugin(), env=NO_KEYS, timeout=PLAY_TIMEOUT)

    assert_fails_at_once(run, "NoCredentialsError: ", "no AWS credentials found: " + SET_KEYS)
    assert iot.calls() == [], "nothing can be sent unsigned"


@pytest.mark.parametrize("setting", ["environment", "option"])
def test_a_profile_that_does_not_exist_fails_at_once(playbook, iot, setting):
    env = dict(NO_KEYS, AWS_PROFILE="no-such-profile" if setting == "environment" else None)
    tasks = every_plugin()
    if setting == "option":
        for task in tasks:
            if "ansible.builtin.set_fact" in task:
                task["ansible.builtin.set_fact"]["found"] = task["ansible.builtin.set_fact"]["found"].replace(
                    ") }}", ", profile='no-such-profile') }}")
            for key, args in task.items():
                if key.startswith("iotops."):
                    args["profile"] = "no-such-profile"
    run = playbook(tasks, env=env, timeout=PLAY_TIMEOUT)

    assert_fails_at_once(run, "profile: ", "no-such-profile", "or set access_key and secret_key")
    assert iot.calls() == []


def test_a_profile_with_half_a_key_fails_at_once(playbook, iot, tmp_path):
    credentials = tmp_path / "credentials"
    credentials.write_text("[half]\naws_access_key_id = AKIDHALF\n")
    run = playbook(every_plugin(), env=dict(NO_KEYS, AWS_PROFILE="half", AWS_SHARED_CREDENTIALS_FILE=str(credentials)),
                   timeout=PLAY_TIMEOUT)

    assert_fails_at_once(run, "missing: aws_secret_access_key", "the AWS credentials are incomplete: " + SET_KEYS)
    assert iot.calls() == []


@pytest.mark.parametrize("refusal", ["ExpiredTokenException", "UnrecognizedClientException"])
def test_a_refused_token_fails_the_first_call(playbook, iot, refusal):
    iot.fleet.create_job(JOB, things=["dev-1"], default=device(start=0, finish=3600))
    iot.set_faults(deny=refusal)
    run = playbook(every_plugin(), env={"AWS_SESSION_TOKEN": "stale-token"}, timeout=PLAY_TIMEOUT)

    assert_fails_at_once(run, refusal + ": ", "session_token")
    # One request a task, none retried: no wait polled a second time.
    calls = iot.calls()
    assert sorted(call.api for call in calls) == ["DescribeJob"] * 4 + ["DescribeJobExecution"] * 2
    assert {call.attempt for call in calls} == {1}
