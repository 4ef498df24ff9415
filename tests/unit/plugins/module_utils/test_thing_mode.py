"""Thing mode's poller, the reads behind it, and the wait's options, on a fake client that pages."""

from __future__ import annotations

import pytest
from botocore.exceptions import ClientError

from ansible_collections.iotops.aws.plugins.module_utils.errors import UnexpectedResponse
from ansible_collections.iotops.aws.plugins.module_utils.jobs_read import (
    PAGE_SIZE,
    describe_job,
    find_job_executions,
    job_execution_summaries,
    thing_execution_summaries,
)
from ansible_collections.iotops.aws.plugins.module_utils.validation import InvalidOption
from ansible_collections.iotops.aws.plugins.module_utils.wait_decision import GatePolicy
from ansible_collections.iotops.aws.plugins.module_utils.wait_options import build_wait_request
from ansible_collections.iotops.aws.plugins.module_utils.waiter import WaitAborted, Waiter, WaitRequest
from helpers import FakeClock

ARN = "arn:aws:iot:us-east-1:123456789012:thing/{0}"
COUNT_KEY = {"QUEUED": "numberOfQueuedThings", "IN_PROGRESS": "numberOfInProgressThings",
             "SUCCEEDED": "numberOfSucceededThings", "FAILED": "numberOfFailedThings"}


def not_found(operation):
    return ClientError({"Error": {"Code": "ResourceNotFoundException", "Message": "nope"},
                        "ResponseMetadata": {"HTTPStatusCode": 404}}, operation)


class PagingClient:
    """A job's executions, with a script of statuses per round: each
    DescribeJob starts the next round.  Lists page by PageSize, as botocore's
    paginators do, and every call is recorded."""

    def __init__(self, rounds, retry=None, absent=()):
        self.rounds = list(rounds)
        self.statuses = {}
        self.retry = retry
        self.absent = set(absent)  # things that do not exist; every other one does
        self.calls = []

    def describe_thing(self, thingName):
        self.calls.append("DescribeThing " + thingName)
        if thingName in self.absent:
            raise not_found("DescribeThing")
        return {"thingName": thingName, "thingArn": ARN.format(thingName)}

    def describe_job(self, jobId):
        self.calls.append("DescribeJob")
        if self.rounds:
            self.statuses = self.rounds.pop(0)
        counts = dict((key, 0) for key in COUNT_KEY.values())
        for status in self.statuses.values():
            counts[COUNT_KEY[status]] += 1
        job = {"jobId": jobId, "status": "IN_PROGRESS", "jobProcessDetails": dict(counts, processingTargets=[])}
        if self.retry:
            job["jobExecutionsRetryConfig"] = {"criteriaList": [{"failureType": "FAILED", "numberOfRetries": self.retry}]}
        return {"job": job}

    def describe_job_execution(self, jobId, thingName, executionNumber=None):
        self.calls.append("DescribeJobExecution")
        if thingName not in self.statuses:
            raise not_found("DescribeJobExecution")
        return {"execution": {"jobId": jobId, "thingArn": ARN.format(thingName), "status": self.statuses[thingName],
                              "executionNumber": 1, "statusDetails": {"detailsMap": {}}}}

    def _summary(self, thing, thing_arn=True):
        entry = {"jobExecutionSummary": {"status": self.statuses[thing], "executionNumber": 1, "retryAttempt": 0}}
        if thing_arn:
            entry["thingArn"] = ARN.format(thing)
        else:
            entry["jobId"] = "fw"
        return entry

    def get_paginator(self, operation):
        client = self

        class Pages:
            def paginate(self, PaginationConfig, **kwargs):
                size = PaginationConfig["PageSize"]
                if operation == "list_job_executions_for_job":
                    entries = [client._summary(t) for t in sorted(client.statuses)
                               if kwargs.get("status") in (None, client.statuses[t])]
                else:
                    thing = kwargs["thingName"]
                    entries = [client._summary(thing, thing_arn=False)] if thing in client.statuses else []
                for start in range(0, max(len(entries), 1), size):
                    client.calls.append(operation)
                    yield {"executionSummaries": entries[start:start + size]}

        return Pages()


def wait(client, things, timeout=60, **request):
    clock = FakeClock()
    waiter = Waiter(client, WaitRequest("fw", thing_names=things, timeout=timeout, sleep=5, **request),
                    clock=clock, sleep=clock.sleep, orphaned=lambda: False)
    return waiter.run()


def test_few_unfinished_things_are_described_one_by_one():
    fleet = dict(("dev-{0}".format(n), "IN_PROGRESS") for n in range(600))
    client = PagingClient([fleet, dict(fleet, **{"dev-1": "SUCCEEDED", "dev-2": "SUCCEEDED"})])
    result = wait(client, ["dev-1", "dev-2"])
    assert result["verdict"] == "succeeded"
    # Listing 600 executions costs 3 pages; two describes are cheaper.
    assert "list_job_executions_for_job" not in client.calls
    assert [e["status"] for e in result["job_executions"]] == ["SUCCEEDED", "SUCCEEDED"]


def test_many_things_are_read_by_listing_every_page():
    things = ["dev-{0:03d}".format(n) for n in range(PAGE_SIZE + 10)]
    client = PagingClient([dict.fromkeys(things, "QUEUED"), dict.fromkeys(things, "SUCCEEDED")])
    result = wait(client, things)
    assert result["verdict"] == "succeeded" and len(result["job_executions"]) == len(things)
    assert client.calls.count("list_job_executions_for_job") == 2 * 2  # two pages, two rounds
    assert "DescribeJobExecution" not in client.calls


def test_rounds_that_only_show_work_in_progress_read_the_counts_only():
    things = ["dev-{0:03d}".format(n) for n in range(PAGE_SIZE + 10)]
    working = dict.fromkeys(things, "IN_PROGRESS")
    client = PagingClient([working, working, working, dict.fromkeys(things, "SUCCEEDED")])
    result = wait(client, things)
    assert result["verdict"] == "succeeded"
    # Round 1 lists; rounds 2 and 3 read DescribeJob alone; round 4's counts change, so it lists.
    assert client.calls.count("DescribeJob") == 4
    assert client.calls.count("list_job_executions_for_job") == 2 * 2


def test_a_thing_without_an_execution_fails_once_the_job_is_over():
    client = PagingClient([{"dev-1": "SUCCEEDED"}])
    client_job = client.describe_job

    def completed(jobId):
        answer = client_job(jobId)
        answer["job"]["status"] = "COMPLETED"
        return answer

    client.describe_job = completed
    result = wait(client, ["dev-1", "dev-9"])
    assert result["verdict"] == "failed" and "dev-9 never got an execution" in result["msg"]


def test_a_thing_that_does_not_exist_fails_the_first_poll():
    client = PagingClient([{"dev-1": "IN_PROGRESS"}], absent=["dev-9", "dev-8"])
    with pytest.raises(WaitAborted) as raised:
        wait(client, ["dev-1", "dev-9", "dev-7", "dev-8"], timeout=3600)
    assert str(raised.value) == "Job fw: thing_names names things that do not exist: dev-9, dev-8"
    # Only the things without an execution were looked up, once each.
    assert sorted(c for c in client.calls if c.startswith("DescribeThing")) == [
        "DescribeThing dev-7", "DescribeThing dev-8", "DescribeThing dev-9"]
    assert client.calls.count("DescribeJob") == 1


def test_a_thing_that_exists_without_an_execution_is_waited_for_and_looked_up_once():
    client = PagingClient([{"dev-1": "IN_PROGRESS"}, {"dev-1": "IN_PROGRESS"},
                           {"dev-1": "SUCCEEDED", "dev-2": "SUCCEEDED"}])
    result = wait(client, ["dev-1", "dev-2"])
    assert result["verdict"] == "succeeded" and result["polls"] == 3
    assert [c for c in client.calls if c.startswith("DescribeThing")] == ["DescribeThing dev-2"]


def test_a_failure_with_retries_left_is_not_final():
    others = dict(("other-{0}".format(n), "IN_PROGRESS") for n in range(600))  # listing the job costs 3 pages
    client = PagingClient([dict(others, **{"dev-1": "FAILED"}), dict(others, **{"dev-1": "SUCCEEDED"})], retry=1)
    result = wait(client, ["dev-1"], policy=GatePolicy())
    assert result["verdict"] == "succeeded" and result["polls"] == 2
    # DescribeJobExecution lacks retryAttempt: the thing's own list supplies it.
    assert "list_job_executions_for_thing" in client.calls


# -- reads ----------------------------------------------------------------

def test_reads_answer_not_found_with_none_or_nothing():
    client = PagingClient([])

    def missing(jobId):
        raise not_found("DescribeJob")

    client.describe_job = missing
    assert describe_job(client, "fw") is None
    assert list(find_job_executions(client, job_id="fw", thing_name="dev-1")) == []


def test_list_reads_page_and_filter_by_job():
    client = PagingClient([])
    client.statuses = dict(("dev-{0:03d}".format(n), "QUEUED") for n in range(PAGE_SIZE * 2 + 1))
    assert len(list(job_execution_summaries(client, "fw"))) == PAGE_SIZE * 2 + 1
    assert client.calls == ["list_job_executions_for_job"] * 3
    assert [s["jobId"] for s in thing_execution_summaries(client, "dev-001", job_id="fw")] == ["fw"]
    assert list(thing_execution_summaries(client, "dev-001", job_id="other")) == []


def test_an_unreadable_page_is_unexpected():
    client = PagingClient([])
    client.get_paginator = lambda operation: type("P", (), {"paginate": lambda self, **kw: iter([{"nope": 1}])})()
    with pytest.raises(UnexpectedResponse, match="ListJobExecutionsForJob answered without a readable"):
        list(job_execution_summaries(client, "fw"))


# -- the wait's options ---------------------------------------------------

PARAMS = dict(job_id="fw", thing_names=None, execution_number=None, timeout=600.0, sleep=5.0, delay=0.0,
              fail_on=["FAILED"], max_failures=None, max_failure_percent=None)


@pytest.mark.parametrize("changes, option", [
    (dict(timeout=0.0), "timeout"),
    (dict(timeout=10.0, sleep=11.0), "sleep"),
    (dict(sleep=0.0), "sleep"),
    (dict(timeout=10.0, delay=10.0), "delay"),
    (dict(delay=-1.0), "delay"),
    (dict(fail_on=["QUEUED"]), "fail_on"),
    (dict(max_failures=-1), "max_failures"),
    (dict(max_failure_percent=100.5), "max_failure_percent"),
    (dict(execution_number=1), "execution_number"),
    (dict(execution_number=1, thing_names=["a", "b"]), "execution_number"),
])
def test_bad_wait_options_name_the_option(changes, option):
    with pytest.raises(InvalidOption) as raised:
        build_wait_request(dict(PARAMS, **changes))
    assert raised.value.option == option


@pytest.mark.parametrize("timeout, sleep", [(600.0, 5), (2.0, 2.0), (5.0, 5), (0.5, 0.5)])
def test_sleep_defaults_to_5_s_or_the_timeout_when_shorter(timeout, sleep):
    request = build_wait_request(dict(PARAMS, timeout=timeout, sleep=None))
    assert request.sleep == sleep


def test_wait_options_make_the_request():
    request = build_wait_request(dict(PARAMS, thing_names=["dev-1"], execution_number=2, max_failure_percent=5.0), True)
    assert (request.thing_names, request.execution_number, request.check_mode) == (["dev-1"], 2, True)
    assert request.policy == GatePolicy(frozenset(["FAILED"]), None, 5.0)
