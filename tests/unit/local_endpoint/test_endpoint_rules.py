"""The local endpoint's pure rules: API names, rollout rates, aborts."""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from local_endpoint.faults import api_name  # noqa: E402
from local_endpoint.fleet import chosen_to_fail  # noqa: E402
from local_endpoint.writes import abort_comment, rollout_rate  # noqa: E402


@pytest.mark.parametrize("method, path, name", [
    ("GET", "/things/sensor-1/jobs/fw-1", "DescribeJobExecution"),
    ("GET", "/things/sensor-1/jobs", "ListJobExecutionsForThing"),
    ("GET", "/jobs/fw-1/things", "ListJobExecutionsForJob"),
    ("GET", "/jobs/fw-1", "DescribeJob"),
    ("GET", "/jobs", "ListJobs"),
    ("GET", "/things/sensor-1", "DescribeThing"),
    ("PUT", "/jobs/fw-1", "CreateJob"),
    ("PATCH", "/jobs/fw-1", "UpdateJob"),
    ("DELETE", "/jobs/fw-1", "DeleteJob"),
    ("PUT", "/jobs/fw-1/cancel", "CancelJob"),
    ("POST", "/jobs/fw-1/targets", "AssociateTargetsWithJob"),
    ("GET", "/jobs/fw-1/job-document", "GetJobDocument"),
    ("POST", "/tags", "TagResource"),
    ("POST", "/untag", "UntagResource"),
    ("GET", "/tags", "ListTagsForResource"),
    ("PUT", "/things/sensor-1/jobs/fw-1/cancel", "CancelJobExecution"),
    ("DELETE", "/things/sensor-1/jobs/fw-1/executionNumber/2", "DeleteJobExecution"),
    ("GET", "/thing-groups/line-2", "DescribeThingGroup"),
    ("GET", "/thing-groups", "ListThingGroups"),
    ("GET", "/thing-groups/line-2/things", "ListThingsInThingGroup"),
    ("GET", "/job-templates/fw", "DescribeJobTemplate"),
    ("PUT", "/packages/fw", "CreatePackage"),
    ("PATCH", "/packages/fw", "UpdatePackage"),
    ("GET", "/packages", "ListPackages"),
    ("PUT", "/packages/fw/versions/2.4.1", "CreatePackageVersion"),
    ("PATCH", "/packages/fw/versions/2.4.1", "UpdatePackageVersion"),
    ("DELETE", "/packages/fw/versions/2.4.1", "DeletePackageVersion"),
    ("GET", "/packages/fw/versions", "ListPackageVersions"),
    ("GET", "/package-configuration", "GetPackageConfiguration"),
    ("GET", "/not/an/api", "GET /not/an/api"),
])
def test_api_name(method, path, name):
    assert api_name(method, path) == name


EXPONENTIAL = {"baseRatePerMinute": 10, "incrementFactor": 2.0}


@pytest.mark.parametrize("config, notified, succeeded, rate", [
    (None, 0, 0, None),
    ({}, 5, 5, None),
    ({"maximumPerMinute": 50}, 100, 100, 50.0),
    ({"exponentialRate": dict(EXPONENTIAL, rateIncreaseCriteria={"numberOfNotifiedThings": 5})}, 4, 0, 10.0),
    ({"exponentialRate": dict(EXPONENTIAL, rateIncreaseCriteria={"numberOfNotifiedThings": 5})}, 5, 0, 20.0),
    ({"exponentialRate": dict(EXPONENTIAL, rateIncreaseCriteria={"numberOfNotifiedThings": 5})}, 12, 0, 40.0),
    ({"exponentialRate": dict(EXPONENTIAL, rateIncreaseCriteria={"numberOfSucceededThings": 3})}, 50, 2, 10.0),
    ({"exponentialRate": dict(EXPONENTIAL, rateIncreaseCriteria={"numberOfSucceededThings": 3})}, 50, 6, 40.0),
    # Capped by maximumPerMinute, or by AWS's 1,000 a minute.
    ({"maximumPerMinute": 30,
      "exponentialRate": dict(EXPONENTIAL, rateIncreaseCriteria={"numberOfNotifiedThings": 1})}, 3, 0, 30.0),
    ({"exponentialRate": dict(EXPONENTIAL, rateIncreaseCriteria={"numberOfNotifiedThings": 1})}, 20, 0, 1000.0),
])
def test_rollout_rate(config, notified, succeeded, rate):
    assert rollout_rate(config, notified, succeeded) == rate


def criteria(failure_type, threshold, minimum):
    return {"criteriaList": [{"failureType": failure_type, "action": "CANCEL", "thresholdPercentage": threshold,
                              "minNumberOfExecutedThings": minimum}]}


@pytest.mark.parametrize("config, counts, aborts", [
    (None, {"FAILED": 10}, False),
    (criteria("FAILED", 50, 4), {"FAILED": 2, "SUCCEEDED": 1}, False),          # too few executed
    (criteria("FAILED", 50, 4), {"FAILED": 2, "SUCCEEDED": 2}, True),           # 50% reaches 50%
    (criteria("FAILED", 50, 4), {"FAILED": 1, "SUCCEEDED": 3}, False),
    (criteria("FAILED", 50, 4), {"FAILED": 2, "SUCCEEDED": 2, "QUEUED": 9, "IN_PROGRESS": 9}, True),
    (criteria("FAILED", 50, 2), {"REJECTED": 2, "TIMED_OUT": 2}, False),        # not the criterion's type
    (criteria("ALL", 50, 2), {"REJECTED": 1, "TIMED_OUT": 1, "SUCCEEDED": 2}, True),
    (criteria("TIMED_OUT", 10, 10), {"TIMED_OUT": 1, "SUCCEEDED": 9}, True),
    (criteria("REJECTED", 10.01, 10), {"REJECTED": 1, "SUCCEEDED": 9}, False),
])
def test_abort_comment(config, counts, aborts):
    assert bool(abort_comment(config, Counter(counts))) is aborts


@pytest.mark.parametrize("fraction, devices, chosen", [
    (0.0, 10, []),
    (0.3, 10, [3, 6, 9]),
    (0.5, 6, [1, 3, 5]),
    (1.0, 4, [0, 1, 2, 3]),
])
def test_failing_fraction_choice(fraction, devices, chosen):
    assert [index for index in range(devices) if chosen_to_fail(index, fraction)] == chosen
