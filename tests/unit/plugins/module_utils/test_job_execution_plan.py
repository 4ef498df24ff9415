"""iot_job_execution's plans for one thing's execution of a job."""

from __future__ import annotations

import pytest
from job_params import execution_params

from ansible_collections.iotops.aws.plugins.module_utils.job_execution_plan import plan_execution
from ansible_collections.iotops.aws.plugins.module_utils.shaping import shape_execution

WHAT = "the execution of job 'fw' on 'sensor-1'"


def execution(status, number=7, version=3):
    """DescribeJobExecution's execution, shaped as the plan takes it."""
    return shape_execution(dict(jobId="fw", status=status, thingArn="arn:aws:iot:us-east-1:123456789012:thing/sensor-1",
                                executionNumber=number, versionNumber=version, statusDetails=dict(detailsMap={})))


CANCEL = dict(jobId="fw", thingName="sensor-1", force=False)
CASES = [
    # (options, execution, request kind, request, error or message)
    (dict(), execution("QUEUED"), "cancel", CANCEL, None),
    (dict(force=True), execution("IN_PROGRESS"), "cancel", dict(CANCEL, force=True), None),
    (dict(), execution("IN_PROGRESS"), None, None, "force: {0} is IN_PROGRESS: set force=true to cancel it".format(WHAT)),
    (dict(), execution("CANCELED"), None, None, "msg: {0} is already canceled".format(WHAT)),
    (dict(force=True), execution("CANCELED"), None, None, "msg: {0} is already canceled".format(WHAT)),
    (dict(), None, None, None, "job_id: {0} does not exist, so it cannot be canceled".format(WHAT)),
    (dict(expected_version=3, status_details={"ticketId": "OPS-1"}), execution("QUEUED"), "cancel",
     dict(CANCEL, expectedVersion=3, statusDetails={"ticketId": "OPS-1"}), None),
    (dict(expected_version=2), execution("QUEUED"), None, None, "expected_version: {0} is at version 3, not 2".format(WHAT)),
    (dict(execution_number=7), execution("QUEUED"), "cancel", CANCEL, None),
    (dict(execution_number=6), execution("QUEUED"), None, None, "execution_number: the latest execution of job 'fw' on 'sensor-1' is number 7"),
    (dict(state="absent", execution_number=7), execution("SUCCEEDED"), "delete",
     dict(jobId="fw", thingName="sensor-1", executionNumber=7, force=False), None),
    (dict(state="absent", execution_number=7), execution("QUEUED"), None, None,
     "force: {0} is QUEUED: set force=true to delete an unfinished execution".format(WHAT)),
    (dict(state="absent", execution_number=7), execution("IN_PROGRESS"), None, None, "force: {0} is IN_PROGRESS".format(WHAT)),
    (dict(state="absent", execution_number=7, force=True), execution("IN_PROGRESS"), "delete",
     dict(jobId="fw", thingName="sensor-1", executionNumber=7, force=True), None),
    (dict(state="absent", execution_number=7), None, None, None, None),
] + [
    (dict(force=True), execution(status), None, None, "{0} is {1}, which is final: only a QUEUED or IN_PROGRESS execution can be canceled".format(
        WHAT, status)) for status in ("SUCCEEDED", "FAILED", "TIMED_OUT", "REJECTED", "REMOVED")
] + [
    (dict(state="absent", execution_number=7), execution(status), "delete",
     dict(jobId="fw", thingName="sensor-1", executionNumber=7, force=False), None)
    for status in ("FAILED", "TIMED_OUT", "REJECTED", "REMOVED", "CANCELED")
]


@pytest.mark.parametrize("options, found, kind, request_, text", CASES)
def test_execution_plans(options, found, kind, request_, text):
    result = plan_execution(execution_params(**options), found)
    assert result.cancel == (request_ if kind == "cancel" else None)
    assert result.delete == (request_ if kind == "delete" else None)
    assert result.changed == bool(kind)
    if text and text.startswith("msg: "):
        assert result.message == text[5:] and result.error is None
    elif text:
        assert result.error.startswith(text) and "\n" not in result.error
    else:
        assert result.error is None


def test_execution_diffs_show_the_status():
    canceled = plan_execution(execution_params(status_details={"why": "stuck"}), execution("QUEUED"))
    assert canceled.diff == dict(before=dict(status="QUEUED"), after=dict(status="CANCELED", status_details={"why": "stuck"}))
    deleted = plan_execution(execution_params(state="absent", execution_number=7), execution("FAILED"))
    assert deleted.diff == dict(before=dict(status="FAILED", execution_number=7), after={})
    unchanged = plan_execution(execution_params(), execution("CANCELED"))
    assert unchanged.diff == dict(before={}, after={})


def test_a_real_run_leaves_expected_version_to_aws():
    # AWS compares it atomically; the plan compares it only for check mode.
    result = plan_execution(execution_params(expected_version=2), execution("QUEUED"), check_version=False)
    assert result.error is None and result.cancel == dict(CANCEL, expectedVersion=2)
