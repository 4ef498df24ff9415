# -*- coding: utf-8 -*-
# Copyright: iotops.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""What iot_job_execution must do to one thing's execution of a job: a pure
function of the options and of DescribeJobExecution's answer, shared by
check mode and the real run."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional

from ansible_collections.iotops.aws.plugins.module_utils.shaping import before_after
from ansible_collections.iotops.aws.plugins.module_utils.vocabulary import (
    EXECUTION_CANCELED,
    EXECUTION_IN_PROGRESS,
    PENDING_STATUSES,
)


@dataclass
class ExecutionPlan:
    """The request to send; none when ``error`` is set."""

    cancel: Optional[dict] = None
    delete: Optional[dict] = None
    error: Optional[str] = None
    message: Optional[str] = None
    diff: dict = field(default_factory=lambda: dict(before={}, after={}))

    @property
    def changed(self):
        return not self.error and bool(self.cancel or self.delete)


def plan_execution(params, execution, check_version=True, where=""):
    """The plan for ``params`` (iot_job_execution's checked options).

    With ``check_version`` false, O(expected_version) is left to AWS, which
    compares it atomically and answers VersionConflictException; check mode,
    which sends nothing, compares it here.

    ``execution`` is DescribeJobExecution's ``execution`` shaped (shaping.shape_execution),
    None when there is none: for state=canceled the thing's latest
    execution (no executionNumber), for state=absent the one numbered
    O(execution_number).  ``where`` (jobs_read.location_text) says where a
    missing execution was looked for.
    """
    job_id, thing, state = params["job_id"], params["thing_name"], params["state"]
    what = "the execution of job {0!r} on {1!r}".format(job_id, thing)
    number = params.get("execution_number")
    if execution is None:
        if state == "absent":
            return ExecutionPlan()
        return ExecutionPlan(error="job_id: {0} does not exist{1}, so it cannot be canceled".format(
            what, " " + where if where else ""))

    status = execution.get("status")
    have_number = execution.get("execution_number")
    before = dict(status=status, execution_number=have_number)
    if state == "absent":
        if status in PENDING_STATUSES and not params.get("force"):
            return ExecutionPlan(error="force: {0} is {1}: set force=true to delete an unfinished execution; its device can then "
                                       "no longer report its status".format(what, status))
        request = dict(jobId=job_id, thingName=thing, executionNumber=number, force=bool(params.get("force")))
        return ExecutionPlan(delete=request, diff=before_after(before, {}))

    if number is not None and have_number is not None and number != have_number:
        return ExecutionPlan(error="execution_number: the latest execution of job {0!r} on {1!r} is number {2}, and CancelJobExecution "
                                   "cancels only that one".format(job_id, thing, have_number))
    if status == EXECUTION_CANCELED:
        return ExecutionPlan(message="{0} is already canceled".format(what))
    if status not in PENDING_STATUSES:
        return ExecutionPlan(error="{0} is {1}, which is final: only a QUEUED or IN_PROGRESS execution can be canceled".format(what, status))
    if status == EXECUTION_IN_PROGRESS and not params.get("force"):
        return ExecutionPlan(error="force: {0} is IN_PROGRESS: set force=true to cancel it; its device can then no longer report "
                                   "its status".format(what))
    expected, version = params.get("expected_version"), execution.get("version_number")
    if check_version and expected is not None and version is not None and expected != version:
        return ExecutionPlan(error="expected_version: {0} is at version {1}, not {2}".format(what, version, expected))
    request = dict(jobId=job_id, thingName=thing, force=bool(params.get("force")))
    if expected is not None:
        request["expectedVersion"] = expected
    if params.get("status_details") is not None:
        request["statusDetails"] = dict(params["status_details"])
    after = dict(before, status=EXECUTION_CANCELED)
    if params.get("status_details") is not None:
        after["status_details"] = dict(params["status_details"])
    return ExecutionPlan(cancel=request, diff=before_after(before, after))
