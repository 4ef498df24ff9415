"""Refusals and unreadable answers: each plugin fails with one line that
names the cause, sends no retry storm, and never shows a traceback; the
wait never passes on an answer it could not read."""

from __future__ import annotations

import pytest

from helpers import create_job_task, settled_job

WAIT = "iotops.aws.iot_job_execution_wait"
INFO = "iotops.aws.iot_job_execution_info"
JOB = "fw-refused"
THINGS = ["dev-1", "dev-2", "dev-3"]


def lookup(name, *terms):
    expression = "{{ query('iotops.aws.iot_job_execution', " + ", ".join(repr(t) for t in terms) + \
        ", job_id='" + JOB + "') }}"
    return {"name": name, "ignore_errors": True, "ansible.builtin.set_fact": {"found": expression}}


def failing(name, plugin, **args):
    return {"name": name, "ignore_errors": True, plugin: args}


# Each task's first request fails, and is the only one it may send.
ONE_CALL_EACH = [
    (failing("info describe", INFO, job_id=JOB, thing_name="dev-1"), "DescribeJobExecution"),
    (failing("info job", INFO, job_id=JOB), "ListJobExecutionsForJob"),
    (failing("info thing", INFO, thing_name="dev-1"), "DescribeThing"),
    (lookup("lookup", "dev-2", "dev-3"), "DescribeJobExecution"),
    (failing("wait things", WAIT, job_id=JOB, thing_names=THINGS, timeout=300, sleep=1), "DescribeJob"),
    (failing("wait fleet", WAIT, job_id=JOB, timeout=300, sleep=1), "DescribeJob"),
]
# How each task's message names what it was reading.
TARGET = {"info describe": "(job_id {0}, thing_name dev-1): ".format(JOB), "info job": "(job_id {0}): ".format(JOB),
          "info thing": "(thing_name dev-1): ", "lookup": "of job {0} on thing dev-2: ".format(JOB),
          "wait things": "Failed to poll job {0}: ".format(JOB), "wait fleet": "Failed to poll job {0}: ".format(JOB)}


# What a refusal of the credentials tells the user to check.
WHAT_TO_SET = {"AccessDeniedException": (),
               "InvalidSignatureException": ("check secret_key (or AWS_SECRET_ACCESS_KEY)",),
               "ExpiredTokenException": ("the session token has expired: set fresh access_key, secret_key and "
                                         "session_token",),
               "UnrecognizedClientException": ("check access_key and session_token",)}


def assert_one_line(message, *parts):
    assert "\n" not in message, message
    for part in parts:
        assert part in message, message


@pytest.mark.parametrize("denial", ["AccessDeniedException", "InvalidSignatureException", "ExpiredTokenException",
                                    "UnrecognizedClientException"])
def test_a_refusal_fails_at_once_with_its_code(playbook, iot, denial):
    settled_job(iot, JOB, THINGS)
    iot.set_faults(deny=denial)
    run = playbook([task for task, _api in ONE_CALL_EACH], args=("-vvv",))

    for task, _api in ONE_CALL_EACH:
        assert run.status(task["name"]) == "failed"
        assert_one_line(run.result(task["name"])["msg"], TARGET[task["name"]] + denial + ": ", *WHAT_TO_SET[denial])
    # One request per task, none retried; the lookup stops at its first term
    # and neither wait polls again.
    calls = iot.calls()
    assert sorted(call.api for call in calls) == sorted(api for _task, api in ONE_CALL_EACH)
    assert {call.attempt for call in calls} == {1}
    assert "Traceback" not in run.output


@pytest.mark.parametrize("kind", ["truncated", "binary"])
def test_an_unreadable_answer_is_a_clear_error(playbook, iot, kind):
    settled_job(iot, JOB, THINGS)
    iot.set_faults(garbage_rate=1.0, garbage_kind=kind)
    run = playbook([task for task, _api in ONE_CALL_EACH[:4]], args=("-vvv",))

    for task, _api in ONE_CALL_EACH[:4]:
        assert run.status(task["name"]) == "failed"
        assert_one_line(run.result(task["name"])["msg"], TARGET[task["name"]] + "UnexpectedResponse: ")
    assert_one_line(run.result("info describe")["msg"], "DescribeJobExecution answered")
    assert_one_line(run.result("lookup")["msg"], "DescribeJobExecution answered")
    assert "Traceback" not in run.output


def test_the_wait_never_passes_on_unreadable_answers(playbook, iot):
    # The job reads fine and every device has succeeded, but the executions
    # cannot be read: the gate cannot know, so it must not pass.
    iot.set_faults(garbage_rate=1.0, apis=["ListJobExecutionsForJob", "DescribeJobExecution"])
    run = playbook([
        create_job_task(iot, job_id=JOB, things=THINGS, default={"outcome": "SUCCEEDED", "start": 0, "finish": 0.1}),
        failing("executions unreadable", WAIT, job_id=JOB, thing_names=THINGS, timeout=3, sleep=0.5, delay=0.5),
        {"name": "everything unreadable", "ansible.builtin.uri": {
            "url": iot.url + "/_sim/faults", "method": "POST", "body_format": "json",
            "body": {"garbage_rate": 1.0}}},
        failing("fleet unreadable", WAIT, job_id=JOB, timeout=3, sleep=0.5),
    ], args=("-vvv",))

    for task in ("executions unreadable", "fleet unreadable"):
        result = run.result(task)
        assert run.status(task) == "failed" and result["verdict"] == "timed_out"
        assert_one_line(result["msg"], "timed out after 3 s without a successful poll", "UnexpectedResponse")
        # An unreadable answer ends a round, not the wait: it went on until
        # its timeout.  (How many rounds fit in 3 s depends on the machine.)
        assert result["elapsed"] >= 3 and result["timeline"] == [], "the wait stopped before its timeout"
    assert "Traceback" not in run.output


def test_the_wait_reads_through_occasional_unreadable_answers(playbook, iot):
    iot.set_faults(garbage_rate=0.5, seed=21)
    run = playbook([
        create_job_task(iot, job_id=JOB, things=THINGS, default={"outcome": "SUCCEEDED", "start": 0.2, "finish": 1.5},
                        devices={"dev-2": {"outcome": "FAILED", "start": 0.2, "finish": 0.5}}),
        {"name": "things", WAIT: dict(job_id=JOB, thing_names=THINGS, timeout=60, sleep=0.2, max_failures=1)},
        {"name": "fleet", WAIT: dict(job_id=JOB, timeout=60, sleep=0.2, max_failures=1)},
    ])
    assert run.rc == 0, run.output
    things, fleet = run.result("things"), run.result("fleet")
    assert things["verdict"] == fleet["verdict"] == "succeeded"
    assert things["status_counts"] == fleet["status_counts"] == {"SUCCEEDED": 2, "FAILED": 1}
    assert [(e["thing_name"], e["status"]) for e in things["job_executions"]] == \
        [("dev-1", "SUCCEEDED"), ("dev-2", "FAILED"), ("dev-3", "SUCCEEDED")]
    assert [(e["thing_name"], e["status"]) for e in fleet["job_executions"]] == [("dev-2", "FAILED")]
    assert any(call.fault == "garbage" for call in iot.calls())


@pytest.mark.parametrize("kind", ["html", "text"])
def test_an_operation_the_endpoint_lacks_fails_at_once_without_markup(playbook, iot, kind):
    # HTTP 501 with a page, as an emulator that lacks the API may answer.
    settled_job(iot, JOB, THINGS)
    iot.set_faults(page_status=501, page_kind=kind)
    run = playbook([task for task, _api in ONE_CALL_EACH], args=("-vvv",))

    for task, api in ONE_CALL_EACH:
        message = run.result(task["name"])["msg"]
        assert run.status(task["name"]) == "failed"
        assert_one_line(message, TARGET[task["name"]] + "501: {0} answered HTTP 501 with ".format(api))
        assert "<" not in message and "timed out" not in message, message
    calls = iot.calls()
    assert sorted(call.api for call in calls) == sorted(api for _task, api in ONE_CALL_EACH)
    assert {call.attempt for call in calls} == {1}, "no retry cures a missing operation"
    assert "Traceback" not in run.output


def test_an_html_server_error_reads_as_one_line(playbook, iot):
    # A proxy's 502 page: worth retrying, but never shown as markup.
    settled_job(iot, JOB, THINGS)
    iot.set_faults(page_status=502)
    run = playbook([failing("info", INFO, job_id=JOB, aws_config={"retries": {"total_max_attempts": 2}}),
                    failing("wait", WAIT, job_id=JOB, timeout=2, aws_config={"retries": {"total_max_attempts": 2}})])

    for task in ("info", "wait"):
        result = run.result(task)
        assert run.status(task) == "failed"
        assert_one_line(result["msg"], "502: ", "answered HTTP 502 with an HTML page titled '502 Bad Gateway'")
        assert "<" not in result["msg"] and "<" not in result["error"]["message"]
    assert run.result("wait")["verdict"] == "timed_out"
    assert {call.attempt for call in iot.calls("ListJobExecutionsForJob")} == {1, 2}
