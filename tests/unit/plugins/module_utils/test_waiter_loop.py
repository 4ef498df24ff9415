"""The poll loop's timing and error handling, on a fake clock and client."""

from __future__ import annotations

import pytest
from botocore.exceptions import NoCredentialsError

from ansible_collections.iotops.aws.plugins.module_utils.errors import UnexpectedResponse
from ansible_collections.iotops.aws.plugins.module_utils.wait_decision import GatePolicy
from ansible_collections.iotops.aws.plugins.module_utils.waiter import READS_AFTER_VERDICT, WaitAborted, Waiter, WaitRequest
from helpers import FakeClock, client_error


class FakeClient:
    """Answers DescribeJob from a script of job counts, one entry per call."""

    def __init__(self, clock, script):
        self.clock = clock
        self.script = list(script)
        self.calls = []

    def describe_job(self, jobId):
        self.calls.append("DescribeJob")
        self.clock.now += 0.1
        step = self.script.pop(0) if len(self.script) > 1 else self.script[0]
        if isinstance(step, Exception):
            raise step
        counts = {"numberOf{0}Things".format(k): v for k, v in step.items()}
        return {"job": {"jobId": jobId, "status": "IN_PROGRESS", "jobProcessDetails": dict(counts, processingTargets=[])}}

    def get_paginator(self, operation):
        raise AssertionError("no execution listing expected, got " + operation)


def run(script, timeout=60, sleep=5, **request):
    clock = FakeClock()
    client = FakeClient(clock, script)
    waiter = Waiter(client, WaitRequest("fw", timeout=timeout, sleep=sleep, policy=GatePolicy(frozenset()), **request),
                    clock=clock, sleep=clock.sleep)
    return waiter.run(), client, clock


def test_fleet_mode_reads_only_the_job_each_round():
    result, client, _clock = run([{"Queued": 3}, {"InProgress": 3}, {"Succeeded": 3}])
    assert result["verdict"] == "succeeded"
    assert client.calls == ["DescribeJob"] * 3 and result["polls"] == 3


def test_throttled_rounds_are_skipped_not_failed():
    throttle = client_error("ThrottlingException", 400)
    result, client, _clock = run([throttle, throttle, {"Succeeded": 2}])
    assert result["verdict"] == "succeeded" and result["polls"] == 3
    assert len(result["timeline"]) == 1


def test_a_deadline_of_transient_errors_times_out_honestly():
    result, _client, clock = run([client_error("ServiceUnavailableException", 503)], timeout=20, sleep=3)
    assert result["verdict"] == "timed_out" and result.get("failed")
    assert "without a successful poll" in result["msg"] and "ServiceUnavailableException" in result["msg"]
    assert clock.now - 1000.0 < 20 + 0.2  # the last poll starts at the deadline


def test_access_denied_aborts_at_once():
    with pytest.raises(WaitAborted, match="AccessDeniedException"):
        run([client_error("AccessDeniedException", 403)])


def test_check_mode_polls_once():
    result, client, _clock = run([{"InProgress": 3}], check_mode=True)
    assert result["verdict"] == "waiting" and result["polls"] == 1 and "failed" not in result
    assert result["msg"] == "Job fw: check mode: not decided after one poll; executions: 3 IN_PROGRESS"


def test_check_mode_says_what_its_one_poll_decided():
    # A finished job: the verdict is known and the message says it, but
    # check mode reports without failing the task.
    clock = FakeClock()
    request = WaitRequest("fw", policy=GatePolicy(frozenset(["FAILED"])), failure_reasons_sample=0, check_mode=True)
    result = Waiter(GarbledListClient(clock, 0), request, clock=clock, sleep=clock.sleep).run()
    assert result["verdict"] == "failed" and "failed" not in result
    assert result["msg"].startswith("Job fw: 1 of 2 executions failed")
    result, _client, _clock = run([{"Succeeded": 3}], check_mode=True)
    assert result["verdict"] == "succeeded" and result["msg"].startswith("Job fw: all 3 executions finished")
    result, _client, _clock = run([client_error("ServiceUnavailableException", 503)], check_mode=True)
    assert result["msg"].startswith("Job fw: check mode: the one poll failed; the poll failed: "
                                    "ServiceUnavailableException")


def test_no_credentials_abort_at_once():
    with pytest.raises(WaitAborted, match="NoCredentialsError: .*no AWS credentials found"):
        run([NoCredentialsError()], timeout=3600)


def test_delay_counts_toward_the_timeout():
    result, _client, clock = run([{"InProgress": 1}], timeout=10, sleep=4, delay=9)
    assert result["verdict"] == "timed_out"
    assert clock.now - 1000.0 < 10 + 0.2


def test_an_orphaned_wait_stops_at_once():
    clock = FakeClock()
    parent_alive = iter([False, False, True])
    waiter = Waiter(FakeClient(clock, [{"InProgress": 1}]), WaitRequest("fw", timeout=600, sleep=30), clock=clock,
                    sleep=clock.sleep, orphaned=lambda: next(parent_alive))
    with pytest.raises(WaitAborted, match="the play that started the wait is gone"):
        waiter.run()
    assert clock.now - 1000.0 < 5


class GarbledListClient(FakeClient):
    """A finished job with one failure, listed only after ``garbled`` unreadable answers."""

    def __init__(self, clock, garbled):
        super().__init__(clock, [{"Succeeded": 1, "Failed": 1}])
        self.garbled = garbled

    def get_paginator(self, operation):
        outer = self

        class Pages:
            def paginate(self, **kwargs):
                outer.calls.append(operation)
                if outer.garbled:
                    outer.garbled -= 1
                    raise UnexpectedResponse("ListJobExecutionsForJob answered with an unreadable body")
                return [{"executionSummaries": [{"thingArn": "arn:aws:iot:us-east-1:123456789012:thing/dev-2",
                                                 "jobExecutionSummary": {"status": "FAILED", "executionNumber": 1}}]}]

        return Pages()


@pytest.mark.parametrize("garbled, listed", [(0, 1), (READS_AFTER_VERDICT - 1, 1), (READS_AFTER_VERDICT, 0)])
def test_the_failed_executions_are_listed_through_garbled_answers(garbled, listed):
    clock = FakeClock()
    client = GarbledListClient(clock, garbled)
    result = Waiter(client, WaitRequest("fw", timeout=60, sleep=5, policy=GatePolicy(frozenset())),
                    clock=clock, sleep=clock.sleep).run()
    assert result["verdict"] == "succeeded"
    assert [e["thing_name"] for e in result["job_executions"]] == ["dev-2"] * listed
    assert client.calls.count("list_job_executions_for_job") == min(garbled + 1, READS_AFTER_VERDICT)
    # A short list says why in the message.
    assert ("could not list the FAILED executions: UnexpectedResponse" in result["msg"]) == (listed == 0)
