"""Stage mode (thing_group): the decision, the poller's reads and their cost, on a fake client that pages."""

from __future__ import annotations

import math

import pytest
from botocore.exceptions import ClientError

from ansible_collections.iotops.aws.plugins.module_utils.jobs_read import PAGE_SIZE
from ansible_collections.iotops.aws.plugins.module_utils.validation import InvalidOption
from ansible_collections.iotops.aws.plugins.module_utils.wait_decision import (
    FAILED,
    REASON_JOB_CANCELED,
    REASON_NO_EXECUTIONS,
    REASON_OVER_LIMIT,
    REASON_TOO_FEW_EXECUTIONS,
    SUCCEEDED,
    WAITING,
    GatePolicy,
    JobSnapshot,
    decide_stage,
)
from ansible_collections.iotops.aws.plugins.module_utils.wait_options import build_wait_request
from ansible_collections.iotops.aws.plugins.module_utils.waiter import Waiter, WaitRequest
from helpers import FakeClock

ARN = "arn:aws:iot:us-east-1:123456789012:thing/{0}"
COUNT_KEY = {"QUEUED": "numberOfQueuedThings", "IN_PROGRESS": "numberOfInProgressThings",
             "SUCCEEDED": "numberOfSucceededThings", "FAILED": "numberOfFailedThings",
             "TIMED_OUT": "numberOfTimedOutThings", "REJECTED": "numberOfRejectedThings",
             "REMOVED": "numberOfRemovedThings", "CANCELED": "numberOfCanceledThings"}


def job(status="IN_PROGRESS", rollout_pending=False, retry=None, **counts):
    return JobSnapshot("fw", status, rollout_pending, counts, retry or {})


DEFAULT = GatePolicy()

STAGE_CASES = [
    # (name, job, counts, failures, unsettled, unseen, policy, state, reason)
    ("all final, none failed", job(), {"SUCCEEDED": 3}, 0, 0, 0, DEFAULT, SUCCEEDED, ""),
    ("members still unsettled", job(), {"SUCCEEDED": 2, "IN_PROGRESS": 1}, 0, 1, 0, DEFAULT, WAITING, ""),
    ("unseen members wait too", job(), {"SUCCEEDED": 2}, 0, 5, 5, DEFAULT, WAITING, ""),
    ("over max_failures fails at once", job(), {"FAILED": 2, "QUEUED": 8}, 2, 8, 0, GatePolicy(max_failures=1), FAILED,
     REASON_OVER_LIMIT),
    ("percent of the stage's executions", job(), {"FAILED": 1, "SUCCEEDED": 9}, 1, 0, 0,
     GatePolicy(max_failure_percent=10), SUCCEEDED, ""),
    ("percent over", job(), {"FAILED": 2, "SUCCEEDED": 8}, 2, 0, 0, GatePolicy(max_failure_percent=10), FAILED,
     REASON_OVER_LIMIT),
    # 1 failure in 1 to 10 executions: over 10 % only if the unseen have none.
    ("percent waits while the total is unknown", job(), {"FAILED": 1}, 1, 9, 9, GatePolicy(max_failure_percent=10),
     WAITING, ""),
    ("percent over even if every unseen member has one", job(), {"FAILED": 2}, 2, 8, 8,
     GatePolicy(max_failure_percent=10), FAILED, REASON_OVER_LIMIT),
    ("rollout still creating executions", job(rollout_pending=True), {"SUCCEEDED": 3}, 0, 0, 0, DEFAULT, WAITING, ""),
    ("scheduled job never passes", job("SCHEDULED"), {"SUCCEEDED": 3}, 0, 0, 0, DEFAULT, WAITING, ""),
    ("fewer than min_executions waits", job(), {"SUCCEEDED": 3}, 0, 0, 0, GatePolicy(min_executions=5), WAITING, ""),
    ("fewer than min_executions, job over", job("COMPLETED"), {"SUCCEEDED": 3}, 0, 0, 0, GatePolicy(min_executions=5),
     FAILED, REASON_TOO_FEW_EXECUTIONS),
    ("no execution, job over", job("COMPLETED"), {}, 0, 0, 0, DEFAULT, FAILED, REASON_NO_EXECUTIONS),
    ("canceled job fails", job("CANCELED"), {"SUCCEEDED": 3}, 0, 0, 0, DEFAULT, FAILED, REASON_JOB_CANCELED),
    ("canceled job, report only", job("CANCELED"), {"SUCCEEDED": 3}, 0, 0, 0, GatePolicy(frozenset()), SUCCEEDED, ""),
]


@pytest.mark.parametrize("name, snapshot, counts, failures, unsettled, unseen, policy, state, reason", STAGE_CASES,
                         ids=[case[0] for case in STAGE_CASES])
def test_decide_stage(name, snapshot, counts, failures, unsettled, unseen, policy, state, reason):
    verdict = decide_stage(snapshot, counts, failures, unsettled, unseen, policy)
    assert (verdict.state, verdict.reason) == (state, reason)
    assert verdict.total == sum(counts.values()) + unseen


def not_found(operation):
    return ClientError({"Error": {"Code": "ResourceNotFoundException", "Message": "nope"},
                        "ResponseMetadata": {"HTTPStatusCode": 404}}, operation)


class StageClient:
    """A job's executions and a thing group's members, with a script per
    round: each DescribeJob starts the next round.  Lists page by PageSize,
    as botocore's paginators do, and every call is recorded per round."""

    meta = type("Meta", (), {"region_name": "eu-west-1"})()

    def __init__(self, rounds, group=None, retry=None):
        self.rounds = list(rounds)
        self.statuses = {}
        self.group = group
        self.retry = retry
        self.round_calls = []

    def _call(self, name):
        self.round_calls[-1].append(name)

    def describe_job(self, jobId):
        self.round_calls.append([])
        self._call("DescribeJob")
        if self.rounds:
            step = self.rounds.pop(0)
            self.statuses = step.get("statuses", self.statuses)
            self.group = step.get("group", self.group)
        counts = dict((key, 0) for key in COUNT_KEY.values())
        for status in self.statuses.values():
            counts[COUNT_KEY[status]] += 1
        job_answer = {"jobId": jobId, "status": "IN_PROGRESS", "jobProcessDetails": dict(counts, processingTargets=[])}
        if self.retry:
            job_answer["jobExecutionsRetryConfig"] = {
                "criteriaList": [{"failureType": "FAILED", "numberOfRetries": self.retry}]}
        return {"job": job_answer}

    def describe_job_execution(self, jobId, thingName, executionNumber=None):
        self._call("DescribeJobExecution")
        if thingName not in self.statuses:
            raise not_found("DescribeJobExecution")
        return {"execution": {"jobId": jobId, "thingArn": ARN.format(thingName), "status": self.statuses[thingName],
                              "executionNumber": 1, "statusDetails": {"detailsMap": {}}}}

    def get_paginator(self, operation):
        client = self

        class Pages:
            def paginate(self, PaginationConfig, **kwargs):
                size = PaginationConfig["PageSize"]
                if operation == "list_things_in_thing_group":
                    if client.group is None:
                        client._call(operation)
                        raise not_found("ListThingsInThingGroup")
                    assert kwargs["recursive"] is True
                    entries, member = sorted(client.group), "things"
                elif operation == "list_job_executions_for_job":
                    entries = [{"thingArn": ARN.format(t), "jobExecutionSummary": {
                        "status": client.statuses[t], "executionNumber": 1, "retryAttempt": 0}}
                        for t in sorted(client.statuses) if kwargs.get("status") in (None, client.statuses[t])]
                    member = "executionSummaries"
                else:
                    thing = kwargs["thingName"]
                    entries = [{"jobId": "fw", "jobExecutionSummary": {
                        "status": client.statuses[thing], "executionNumber": 1, "retryAttempt": 0}}]
                    member = "executionSummaries"
                return Paged(client, operation, member, entries, size, PaginationConfig)

        return Pages()


class Paged:
    """botocore's PageIterator as the poller uses it: MaxItems, StartingToken
    (here an index) and resume_token."""

    def __init__(self, client, operation, member, entries, size, config):
        self.client, self.operation, self.member, self.entries, self.size = client, operation, member, entries, size
        self.start = int(config.get("StartingToken") or 0)
        self.stop = self.start + config["MaxItems"] if "MaxItems" in config else len(entries)
        self.resume_token = None

    def __iter__(self):
        position = self.start
        while True:
            end = min(position + self.size, self.stop)
            self.client._call(self.operation)
            yield {self.member: self.entries[position:end]}
            position = end
            if position >= len(self.entries):
                return
            if position >= self.stop:
                self.resume_token = str(position)
                return


def wait(client, group="stage-a", timeout=60, **request):
    clock = FakeClock()
    waiter = Waiter(client, WaitRequest("fw", thing_group=group, timeout=timeout, sleep=5, **request),
                    clock=clock, sleep=clock.sleep, orphaned=lambda: False)
    return waiter.run()


def names(prefix, count):
    return ["{0}-{1:05d}".format(prefix, n) for n in range(count)]


def test_a_stage_ignores_the_failures_of_other_stages():
    stage, others = names("a", 3), names("b", 5)
    running = dict(dict.fromkeys(stage, "IN_PROGRESS"), **dict.fromkeys(others, "FAILED"))
    done = dict(dict.fromkeys(stage, "SUCCEEDED"), **dict.fromkeys(others, "FAILED"))
    client = StageClient([{"statuses": running}, {"statuses": done}], group=stage)
    result = wait(client)
    assert result["verdict"] == "succeeded", result["msg"]
    assert result["status_counts"] == {"SUCCEEDED": 3}
    assert result["job_executions"] == []


def test_a_stage_fails_on_its_own_failures_and_reports_only_its_members():
    stage, others = names("a", 4), names("b", 4)
    statuses = dict(dict.fromkeys(stage, "SUCCEEDED"), **dict.fromkeys(others, "SUCCEEDED"))
    statuses.update({stage[0]: "FAILED", others[0]: "FAILED", others[1]: "REJECTED"})
    client = StageClient([{"statuses": statuses}], group=stage)
    result = wait(client, policy=GatePolicy(max_failures=0))
    assert result["verdict"] == "failed" and result["polls"] == 1
    # The round's budget (2 calls) read FAILED and REJECTED; the failure decided.
    assert result["status_counts"] == {"FAILED": 1}
    assert [e["thing_name"] for e in result["job_executions"]] == [stage[0]]
    assert "1 of 4 executions failed" in result["msg"]


class CountsBehindClient(StageClient):
    """A member fails between the round's DescribeJob and its describe: the
    job's counts do not show the failure yet."""

    def describe_job(self, jobId):
        answer = super().describe_job(jobId)
        self.statuses = dict(self.statuses, **{"a-00000": "FAILED"})
        return answer


def test_a_failure_newer_than_the_jobs_counts_is_still_reported():
    stage = names("a", 2)
    client = CountsBehindClient([{"statuses": dict.fromkeys(stage, "IN_PROGRESS")}], group=stage)
    result = wait(client, policy=GatePolicy(max_failures=0))
    assert result["verdict"] == "failed" and result["polls"] == 1
    assert [e["thing_name"] for e in result["job_executions"]] == ["a-00000"]


def test_a_missing_group_fails_at_once_naming_it_and_the_region():
    client = StageClient([{"statuses": {"a-1": "QUEUED"}}], group=None)
    clock = FakeClock()
    waiter = Waiter(client, WaitRequest("fw", thing_group="arn:aws:iot:eu-west-1:123456789012:thinggroup/nowhere",
                                        timeout=60, sleep=5), clock=clock, sleep=clock.sleep, orphaned=lambda: False)
    with pytest.raises(Exception) as raised:
        waiter.run()
    assert str(raised.value) == "Thing group nowhere does not exist in eu-west-1"
    assert len(client.round_calls) == 1


def test_a_member_added_during_the_wait_is_counted_from_the_next_round():
    stage = names("a", 2)
    statuses = {stage[0]: "SUCCEEDED", stage[1]: "IN_PROGRESS", "b-1": "FAILED"}
    client = StageClient([{"statuses": statuses}, {"group": stage + ["b-1"]}], group=stage)
    result = wait(client)
    assert result["verdict"] == "failed" and result["polls"] == 2
    assert [e["thing_name"] for e in result["job_executions"]] == ["b-1"]


def test_a_final_member_is_not_read_again_and_unchanged_lists_are_not_listed_again():
    stage = names("a", 600)
    first = dict.fromkeys(stage, "SUCCEEDED")
    first[stage[0]] = "IN_PROGRESS"
    client = StageClient([{"statuses": first}, {}, {}, {"statuses": dict.fromkeys(stage, "SUCCEEDED")}], group=stage)
    result = wait(client)
    assert result["verdict"] == "succeeded" and result["polls"] == 4
    membership = math.ceil(600 / PAGE_SIZE)
    # Round 1 lists SUCCEEDED (599: 3 pages) and describes the one member in no
    # list; rounds 2 and 3 see the same counts and read only the membership; in
    # round 4 the count moved, and describing the one unsettled member is
    # cheaper than listing 600 again.
    listed = [calls.count("list_job_executions_for_job") for calls in client.round_calls[:4]]
    assert listed == [3, 0, 0, 0]
    assert [calls.count("DescribeJobExecution") for calls in client.round_calls[:4]] == [1, 0, 0, 1]
    assert [calls.count("list_things_in_thing_group") for calls in client.round_calls[:4]] == [membership] * 4


def test_few_unsettled_members_are_described_instead_of_listing_a_big_status():
    stage, others = names("a", 2), names("b", 1000)
    statuses = dict(dict.fromkeys(others, "SUCCEEDED"), **dict.fromkeys(stage, "IN_PROGRESS"))
    done = dict(statuses, **dict.fromkeys(stage, "SUCCEEDED"))
    client = StageClient([{"statuses": statuses}, {"statuses": done}], group=stage)
    result = wait(client)
    assert result["verdict"] == "succeeded"
    assert all(calls.count("list_job_executions_for_job") == 0 for calls in client.round_calls[:2])
    assert [calls.count("DescribeJobExecution") for calls in client.round_calls[:2]] == [2, 2]


@pytest.mark.parametrize("size", [1, 249, 250, 251, 1000])
def test_no_round_reads_more_than_the_budget(size):
    stage, others = names("a", size), names("b", 3 * size)
    statuses = dict(dict.fromkeys(others, "SUCCEEDED"), **dict.fromkeys(stage, "IN_PROGRESS"))
    statuses.update(dict.fromkeys(stage[::3], "SUCCEEDED"))
    rounds = [{"statuses": dict(statuses)}]
    for step in range(1, 4):
        statuses.update(dict.fromkeys(stage[step::3], "SUCCEEDED"))
        rounds.append({"statuses": dict(statuses)})
    client = StageClient(rounds, group=stage)
    wait(client, timeout=30)
    membership = math.ceil(size / PAGE_SIZE)
    for calls in client.round_calls:
        assert len(calls) - membership - 1 <= membership + 1, calls


def test_a_member_the_job_never_reached_does_not_hold_a_stage_while_others_work():
    stage = names("a", 3)
    statuses = {stage[0]: "SUCCEEDED", stage[1]: "SUCCEEDED", "b-1": "IN_PROGRESS"}
    client = StageClient([{"statuses": statuses}], group=stage)
    result = wait(client)
    assert result["verdict"] == "succeeded" and result["polls"] == 1
    assert result["status_counts"] == {"SUCCEEDED": 2}
    assert client.round_calls[0].count("DescribeJobExecution") == 1


def test_members_without_an_execution_are_not_counted_once_nothing_is_pending():
    stage = names("a", 3)
    client = StageClient([{"statuses": {stage[0]: "SUCCEEDED", stage[1]: "SUCCEEDED"}}], group=stage)
    result = wait(client, policy=GatePolicy(min_executions=2))
    assert result["verdict"] == "succeeded"
    assert result["status_counts"] == {"SUCCEEDED": 2}


def test_a_failure_with_retries_left_is_not_final():
    stage = names("a", 2)
    client = StageClient([{"statuses": {stage[0]: "FAILED", stage[1]: "SUCCEEDED"}},
                          {"statuses": {stage[0]: "SUCCEEDED", stage[1]: "SUCCEEDED"}}], group=stage, retry=1)
    result = wait(client)
    assert result["verdict"] == "succeeded" and result["polls"] == 2


# -- the option -------------------------------------------------------------

PARAMS = dict(job_id="fw", thing_names=None, execution_number=None, timeout=600.0, sleep=5.0, delay=0.0,
              fail_on=["FAILED"], max_failures=None, max_failure_percent=None)


@pytest.mark.parametrize("group", ["stage-a", "arn:aws:iot:us-east-1:123456789012:thinggroup/stage-a",
                                   "arn:aws-cn:iot:cn-north-1:123456789012:thinggroup/stage:a_1"])
def test_thing_group_takes_a_name_or_an_arn(group):
    request = build_wait_request(dict(PARAMS, thing_group=group, min_executions=5))
    assert request.thing_group == group and request.policy.min_executions == 5


@pytest.mark.parametrize("group", ["stage a", "", "x" * 129, "arn:aws:iot:us-east-1:1:thing/stage-a"])
def test_a_bad_thing_group_names_the_option(group):
    with pytest.raises(InvalidOption) as raised:
        build_wait_request(dict(PARAMS, thing_group=group))
    assert raised.value.option == "thing_group"


def test_execution_number_still_needs_thing_names():
    with pytest.raises(InvalidOption) as raised:
        build_wait_request(dict(PARAMS, thing_group="stage-a", execution_number=1))
    assert raised.value.option == "execution_number"


def test_a_list_longer_than_the_budget_is_read_over_several_rounds():
    stage, others = names("z", 10), names("b", 2000)  # the stage's members come last in the list
    statuses = dict.fromkeys(stage + others, "SUCCEEDED")
    client = StageClient([{"statuses": statuses}], group=stage)
    result = wait(client)
    assert result["verdict"] == "succeeded", result["msg"]
    assert result["status_counts"] == {"SUCCEEDED": 10}
    # 2,010 SUCCEEDED are 9 pages; the budget for 10 members is 2 calls a round.
    listed = [calls.count("list_job_executions_for_job") for calls in client.round_calls]
    assert listed == [2, 2, 2, 2, 1] and result["polls"] == 5


def test_a_timeout_names_the_members_still_unsettled():
    stage = names("a", 3)
    client = StageClient([{"statuses": {stage[0]: "SUCCEEDED", stage[1]: "IN_PROGRESS", stage[2]: "QUEUED"}}],
                         group=stage)
    result = wait(client, timeout=12)
    assert result["verdict"] == "timed_out"
    assert result["msg"] == ("Job fw: timed out after 12 s with 2 of 3 executions not finished; "
                             "pending: a-00001, a-00002")
