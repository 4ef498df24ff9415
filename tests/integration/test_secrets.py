"""The secret key and session token never show, at -vvvv, in passing and
failing runs of every plugin, whether given as options or through the
environment (AWS_SESSION_TOKEN, or AWS_SECURITY_TOKEN as AWX sets it).

Every request must carry the token, so a plugin that sent none could not
pass.  The modules' ``no_log`` is what keeps the secrets out of the
``invocation`` that -vvv prints and the results record: with it dropped
from the argument spec, the info module's and the async wait's results
would carry them, and these tests fail.
"""

from __future__ import annotations

import json

import pytest

from helpers import ACCESS_KEY, SECRET_KEY
from local_endpoint import device

JOB = "fw-secret"
EXPLICIT_SECRET = "explicit-secret-5d41402abc4b2a76"
EXPLICIT_TOKEN = "explicit-token-7d793037a0760186574b0282f2f435e7"
ENV_TOKEN = "env-session-token-1f3870be274f6c49b3e31a0c6728957f"
AWX_TOKEN = "awx-security-token-45c48cce2e2d7fbdea1afc51c7c6ad26"

# credential source -> (extra environment, connection options, the token every request must carry)
SOURCES = {
    "options": ({}, {"secret_key": "{{ explicit_secret }}", "session_token": "{{ explicit_token }}"},
                EXPLICIT_TOKEN),
    "AWS_SESSION_TOKEN": ({"AWS_SESSION_TOKEN": ENV_TOKEN}, {}, ENV_TOKEN),
    "AWX AWS_SECURITY_TOKEN": ({"AWS_SECURITY_TOKEN": AWX_TOKEN}, {}, AWX_TOKEN),
}
SECRETS = (SECRET_KEY, EXPLICIT_SECRET, EXPLICIT_TOKEN, ENV_TOKEN, AWX_TOKEN)


def plugin_tasks(connection, failing):
    """Every plugin, and every path of the wait, each task allowed to fail."""
    lookup_options = "".join(", {0}={1}".format(name, value.strip("{} ")) for name, value in connection.items())
    wait = dict(connection, job_id=JOB, thing_names=["dev-1"], timeout=20, sleep=0.2)
    tasks = [
        {"name": "info", "iotops.aws.iot_job_execution_info": dict(connection, job_id=JOB, thing_name="dev-1")},
        {"name": "lookup", "ansible.builtin.set_fact": {
            "found": "{{ query('iotops.aws.iot_job_execution', 'dev-1', job_id='" + JOB + "'" + lookup_options + ") }}"}},
        {"name": "wait", "iotops.aws.iot_job_execution_wait": wait},
        {"name": "wait as a module", "iotops.aws.iot_job_execution_wait": wait, "async": 60, "poll": 1},
    ]
    if failing:
        # Refused before any request: the secrets are in the arguments all the same.
        tasks.append({"name": "bad input", "iotops.aws.iot_job_execution_info": dict(
            connection, job_id=JOB, thing_name="dev-1", execution_number=-1)})
    return [dict(task, ignore_errors=True) for task in tasks]


def assert_nowhere(run, iot):
    recorded = json.dumps(run.results)
    for secret in SECRETS:
        for where, text in (("stdout", run.stdout), ("stderr", run.stderr), ("the recorded results", recorded)):
            assert secret not in text, "{0} shows in {1}".format(secret, where)
    # Nor in what reached the endpoint, beyond the token header itself.
    assert all(secret not in call.path + call.query for call in iot.calls() for secret in SECRETS)


@pytest.mark.parametrize("failing", [False, True], ids=["passing", "failing"])
@pytest.mark.parametrize("source", SOURCES)
def test_secrets_never_show(playbook, iot, tmp_path, source, failing):
    environment, connection, token = SOURCES[source]
    iot.fleet.create_job(JOB, things=["dev-1"], default=device(start=0, finish=0))
    iot.fleet.advance()
    if failing:
        iot.set_faults(deny="AccessDeniedException")
    # From a file, as a vault or AWX would give them: ansible-core quotes the
    # playbook's own lines around a failed task, so literals there would show.
    extra_vars = tmp_path / "secrets.json"
    extra_vars.write_text(json.dumps({"explicit_secret": EXPLICIT_SECRET, "explicit_token": EXPLICIT_TOKEN}))
    run = playbook(plugin_tasks(connection, failing), args=("-vvvv", "-e", "@" + str(extra_vars)), env=environment)

    expected = "failed" if failing else "ok"
    for task in ("info", "lookup", "wait", "wait as a module"):
        assert run.status(task) == expected, run.result(task)
    if failing:
        assert "AccessDeniedException" in run.result("info")["msg"]
        assert run.status("bad input") == "failed"
        assert "execution_number" in run.result("bad input")["msg"]
    else:
        assert run.result("wait")["verdict"] == run.result("wait as a module")["verdict"] == "succeeded"
    # The -vvvv output does show the invocation, so a leak would be seen.
    assert '"module_args"' in run.stdout

    calls = iot.calls()
    apis = {call.api for call in calls}
    assert {"DescribeJob", "DescribeJobExecution"} <= apis
    assert {(call.access_key, call.security_token) for call in calls} == {(ACCESS_KEY, token)}
    assert_nowhere(run, iot)
