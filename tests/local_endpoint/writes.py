"""AWS IoT's job-writing APIs, where moto 5.2 lacks them or gets them wrong.

moto has no UpdateJob, AssociateTargetsWithJob or job tagging; it lets
CreateJob overwrite a job, deletes jobs at once, and ignores a cancel's
expectedVersion and statusDetails.  This module patches moto's response
class so that the writes behave as AWS IoT documents them, and hands the
fleet (``Fleet``) what moves over time: rollouts, aborts, deletions.
"""

from __future__ import annotations

import weakref
from typing import Any

from moto.core.responses import ActionResult, EmptyResult
from moto.core.utils import utcnow
from moto.iot.exceptions import (
    InvalidRequestException,
    InvalidStateTransitionException,
    ResourceAlreadyExistsException,
    ResourceNotFoundException,
)
from moto.iot.responses import IoTResponse

from local_endpoint import groups, packages, templates
from local_endpoint.patching import AwsError

# AWS documents that an abort cancels the job and sets reasonCode and
# comment, not the code's value: this one is the simulator's choice.
ABORT_REASON_CODE = "FAILURE_THRESHOLD_EXCEEDED"
FAILURE_TYPES = {"FAILED": ("FAILED",), "REJECTED": ("REJECTED",), "TIMED_OUT": ("TIMED_OUT",),
                 "ALL": ("FAILED", "REJECTED", "TIMED_OUT")}
EXECUTED = ("SUCCEEDED", "FAILED", "TIMED_OUT", "REJECTED", "REMOVED", "CANCELED")
FINISHED_JOB = ("COMPLETED", "CANCELED", "DELETION_IN_PROGRESS")
MAX_TARGETS = 100
MAX_CONCURRENT_DELETIONS = 10
MAX_RATE_PER_MINUTE = 1000
# UpdateJob's fields, and the FakeJob attributes moto keeps them in.
UPDATABLE = {
    "description": "description",
    "presignedUrlConfig": "presigned_url_config",
    "jobExecutionsRolloutConfig": "job_executions_rollout_config",
    "abortConfig": "abort_config",
    "timeoutConfig": "timeout_config",
    "jobExecutionsRetryConfig": "job_execution_retry_config",
}
# CreateJob fields moto drops, returned by DescribeJob.
EXTRA_JOB_FIELDS = ("jobTemplateArn", "destinationPackageVersions", "namespaceId")
# DescribeJob of a job created without these settings, as the AWS CLI's
# describe-job example shows it: {} for the first, the others left out.
EMPTY_WHEN_UNSET = ("presignedUrlConfig", "jobExecutionsRolloutConfig", "timeoutConfig")
LEFT_OUT_WHEN_UNSET = ("abortConfig", "jobExecutionsRetryConfig", "documentParameters", "schedulingConfig")


class LimitExceededException(AwsError):
    code = 410


class VersionConflictException(AwsError):
    code = 409


# -- pure rules -------------------------------------------------------------
def rollout_rate(config: dict | None, notified: int, succeeded: int) -> float | None:
    """Things notified per minute under a jobExecutionsRolloutConfig; None
    for no limit.  An exponential rate starts at baseRatePerMinute and is
    multiplied by incrementFactor each time another numberOfNotifiedThings
    (or numberOfSucceededThings) is reached, up to maximumPerMinute or
    AWS's 1,000."""
    config = config or {}
    maximum = config.get("maximumPerMinute")
    exponential = config.get("exponentialRate")
    if not exponential:
        return float(maximum) if maximum else None
    criteria = exponential.get("rateIncreaseCriteria") or {}
    if criteria.get("numberOfNotifiedThings"):
        steps = notified // int(criteria["numberOfNotifiedThings"])
    elif criteria.get("numberOfSucceededThings"):
        steps = succeeded // int(criteria["numberOfSucceededThings"])
    else:
        steps = 0
    rate = float(exponential["baseRatePerMinute"]) * float(exponential["incrementFactor"]) ** steps
    return min(rate, float(maximum or MAX_RATE_PER_MINUTE))


def abort_comment(abort_config: dict | None, counts) -> str | None:
    """Why the job must be aborted, or None.  A criterion applies once at
    least minNumberOfExecutedThings executions are terminal, and fires when
    its failure type's share of them reaches thresholdPercentage."""
    executed = sum(max(0, counts[status]) for status in EXECUTED)
    for criterion in (abort_config or {}).get("criteriaList") or []:
        failure_type = criterion["failureType"]
        if criterion.get("action", "CANCEL") != "CANCEL" or not executed:
            continue
        if executed < int(criterion.get("minNumberOfExecutedThings", 1)):
            continue
        failures = sum(max(0, counts[status]) for status in FAILURE_TYPES[failure_type])
        threshold = float(criterion["thresholdPercentage"])
        if 100.0 * failures / executed >= threshold:
            return "Job aborted: {0} of {1} executed things {2} (threshold {3}%)".format(
                failures, executed, failure_type, threshold)
    return None


# -- state the simulator keeps beside moto's --------------------------------
_FLEETS: "weakref.WeakValueDictionary[tuple[str, str], Any]" = weakref.WeakValueDictionary()


def tags_of(backend) -> dict[str, dict[str, str]]:
    """Tags by resource ARN; kept on the backend so that a reset drops them."""
    return backend.__dict__.setdefault("_iotops_tags", {})


def _fleet(response: IoTResponse):
    return _FLEETS.get((response.current_account, response.region))


def _job(backend, job_id: str):
    job = backend.jobs.get(job_id)
    if job is None:
        raise ResourceNotFoundException("Job {0} does not exist.".format(job_id))
    return job


def _require_resource(backend, arn: str) -> None:
    if ":job/" in arn:
        job = backend.jobs.get(arn.split(":job/", 1)[1])
        if job is None or job.job_arn != arn:
            raise ResourceNotFoundException("Resource {0} does not exist.".format(arn))
    if ":jobtemplate/" in arn and not templates.template_exists(backend, arn):
        raise ResourceNotFoundException("Resource {0} does not exist.".format(arn))
    groups.require_group(backend, arn)
    packages.require_package_resource(backend, arn)


# -- the API ------------------------------------------------------------------
_ORIGINAL: dict[str, Any] = {}


def create_job(self: IoTResponse):
    backend = self.iot_backend
    job_id = self._get_param("jobId")
    if job_id in backend.jobs:
        job = backend.jobs[job_id]
        raise ResourceAlreadyExistsException("Job {0} already exists.".format(job_id), job_id, job.job_arn)
    sources = [name for name in ("document", "documentSource", "jobTemplateArn") if self._get_param(name)]
    if len(sources) != 1:
        raise InvalidRequestException("Give exactly one of document, documentSource or jobTemplateArn.")
    template_arn = self._get_param("jobTemplateArn")
    if template_arn and not templates.template_exists(backend, template_arn):
        raise ResourceNotFoundException("Job template {0} does not exist.".format(template_arn))
    templates.check_document_parameters(template_arn, self._get_param("documentParameters"))
    packages.check_deployable(backend, self._get_param("destinationPackageVersions"))
    answer = _ORIGINAL["create_job"](self)
    job = backend.jobs[job_id]
    job.target_selection = job.target_selection or "SNAPSHOT"  # AWS echoes its default; moto returns null
    job.iotops_extra = {name: self._get_param(name) for name in EXTRA_JOB_FIELDS if self._get_param(name)}
    templates.inherit_settings(backend, job, template_arn, self._get_param("documentParameters"))
    tags = self._get_param("tags")
    if tags:
        tags_of(backend)[job.job_arn] = {tag["Key"]: tag.get("Value", "") for tag in tags}
    fleet = _fleet(self)
    if fleet is not None:
        fleet.advance()  # adopt the job now: its rollout starts with this request
    return answer


def describe_job(self: IoTResponse):
    answer = _ORIGINAL["describe_job"](self)
    job = self.iot_backend.jobs[self._get_param("jobId")]
    described = answer.result["job"]
    described.update(getattr(job, "iotops_extra", {}))
    for name in EMPTY_WHEN_UNSET:
        described[name] = described.get(name) or {}
    for name in LEFT_OUT_WHEN_UNSET:
        if not described.get(name):
            described.pop(name, None)
    return answer


def get_job_document(self: IoTResponse):
    backend = self.iot_backend
    job = _job(backend, self._get_param("jobId"))
    return ActionResult({"document": job.document or ""})


def update_job(self: IoTResponse):
    backend = self.iot_backend
    job_id = self._get_param("jobId")
    job = _job(backend, job_id)
    # AWS does not document UpdateJob on a finished job; refusing it, as
    # InvalidRequestException, keeps a module from "updating" a dead job.
    if job.status in FINISHED_JOB:
        raise InvalidRequestException("Job {0} is {1} and cannot be updated.".format(job_id, job.status))
    for param, attribute in UPDATABLE.items():
        value = self._get_param(param)
        if value is not None:
            setattr(job, attribute, value)
    job.last_updated_at = utcnow()
    fleet = _fleet(self)
    if fleet is not None:
        fleet.job_updated(job_id)
    return EmptyResult()


def associate_targets_with_job(self: IoTResponse):
    backend = self.iot_backend
    job_id = self._get_param("jobId")
    job = _job(backend, job_id)
    if job.target_selection != "CONTINUOUS" or job.status != "IN_PROGRESS":
        raise InvalidRequestException(
            "Targets can be added only to a CONTINUOUS job that is IN_PROGRESS; job {0} is {1} and {2}.".format(
                job_id, job.target_selection or "SNAPSHOT", job.status))
    new = [target for target in dict.fromkeys(self._get_param("targets") or []) if target not in job.targets]
    if len(job.targets) + len(new) > MAX_TARGETS:
        raise LimitExceededException("A job can have at most {0} targets.".format(MAX_TARGETS))
    job.targets = list(job.targets) + new
    job.last_updated_at = utcnow()
    fleet = _fleet(self)
    if fleet is not None:
        fleet.targets_added(job_id, new)
    return ActionResult({"jobArn": job.job_arn, "jobId": job_id, "description": job.description})


def delete_job(self: IoTResponse):
    backend = self.iot_backend
    job_id = self._get_param("jobId")
    job = _job(backend, job_id)
    if job.status == "DELETION_IN_PROGRESS":
        # DeleteJob's reference: deleting a job already being deleted "will
        # result in an error", without naming it; this is its closest.
        raise InvalidStateTransitionException("Job {0} is already being deleted.".format(job_id))
    if job.status not in ("COMPLETED", "CANCELED") and not self._get_bool_param("force", False):
        raise InvalidStateTransitionException(
            "Job {0} is {1}: deleting it needs force.".format(job_id, job.status))
    if sum(j.status == "DELETION_IN_PROGRESS" for j in backend.jobs.values()) >= MAX_CONCURRENT_DELETIONS:
        raise LimitExceededException("At most {0} jobs can be deleted at once.".format(MAX_CONCURRENT_DELETIONS))
    job.status = "DELETION_IN_PROGRESS"
    job.last_updated_at = utcnow()
    fleet = _fleet(self)
    if fleet is None:
        remove_job(backend, job_id)
    else:
        fleet.delete_job(job_id)
    return EmptyResult()


def remove_job(backend, job_id: str) -> None:
    """Take the job, its executions, their history and its tags out of the backend."""
    job = backend.jobs.pop(job_id)
    for key in [key for key in backend.job_executions if key[0] == job_id]:
        del backend.job_executions[key]
    for key in [key for key in backend.iotops_history if key[0] == job_id]:
        del backend.iotops_history[key]
    tags_of(backend).pop(job.job_arn, None)


def cancel_job_execution(self: IoTResponse):
    backend = self.iot_backend
    job_id, thing = self._get_param("jobId"), self._get_param("thingName")
    _job(backend, job_id)
    execution = backend.job_executions.get((job_id, thing))
    if execution is None:
        raise ResourceNotFoundException("No execution of job {0} on {1}.".format(job_id, thing))
    details = self._get_param("statusDetails")
    if details is not None and len(details) > 10:
        raise InvalidRequestException("statusDetails can have at most 10 entries.")
    expected = self._get_param("expectedVersion")
    if expected is not None and int(expected) != execution.version_number:
        raise VersionConflictException("The execution's version is {0}, not {1}.".format(
            execution.version_number, expected))
    force = self._get_bool_param("force", False)
    if execution.status not in ("QUEUED", "IN_PROGRESS") or (execution.status == "IN_PROGRESS" and not force):
        raise InvalidStateTransitionException("The execution is {0}{1}.".format(
            execution.status, "; canceling it needs force" if execution.status == "IN_PROGRESS" else ""))
    execution.force_canceled = execution.status == "IN_PROGRESS"
    merged = dict(execution.status_details_map or {}, **(details or {}))
    fleet = _fleet(self)
    if fleet is None or not fleet.set_execution_status(job_id, execution, "CANCELED", merged):
        execution.status, execution.status_details_map = "CANCELED", merged
    return EmptyResult()


def delete_job_execution(self: IoTResponse):
    backend = self.iot_backend
    job_id, thing = self._get_param("jobId"), self._get_param("thingName")
    number = self._get_int_param("executionNumber")
    key = (job_id, thing)
    current = backend.job_executions.get(key)
    history = backend.iotops_history.get(key, {})
    execution = current if current is not None and current.execution_number == number else history.get(number)
    if execution is None:
        raise ResourceNotFoundException("No execution {0} of job {1} on {2}.".format(number, job_id, thing))
    # AWS: without force, only a terminal execution can be deleted.
    if execution.status in ("QUEUED", "IN_PROGRESS") and not self._get_bool_param("force", False):
        raise InvalidStateTransitionException(
            "The execution is {0}: deleting it needs force.".format(execution.status))
    fleet = _fleet(self)
    if execution is current:
        del backend.job_executions[key]
        if fleet is not None:
            fleet.execution_removed(job_id, execution)
        # Events still scheduled for it must find it neither QUEUED nor IN_PROGRESS.
        execution.status = "DELETED"
    else:
        del history[number]
    if fleet is not None:
        fleet.publish(job_id)
    return EmptyResult()


def _resource_tags(response: IoTResponse) -> dict[str, str]:
    """The tags of the resource the request names, which must exist."""
    backend = response.iot_backend
    arn = response._get_param("resourceArn")
    _require_resource(backend, arn)
    return tags_of(backend).setdefault(arn, {})


def tag_resource(self: IoTResponse):
    tags = _resource_tags(self)
    merged = dict(tags, **{tag["Key"]: tag.get("Value", "") for tag in self._get_param("tags") or []})
    if len(merged) > 50:
        raise LimitExceededException("A resource can have at most 50 tags.")
    tags.update(merged)
    return EmptyResult()


def untag_resource(self: IoTResponse):
    tags = _resource_tags(self)
    for key in self._get_param("tagKeys") or []:
        tags.pop(key, None)
    return EmptyResult()


def list_tags_for_resource(self: IoTResponse):
    tags = _resource_tags(self)
    return ActionResult({"tags": [{"Key": key, "Value": value} for key, value in tags.items()]})


def list_jobs(self: IoTResponse):
    """ListJobs with the filters moto ignores: status, targetSelection and
    thingGroupName (the jobs that target the group); a page's token is the
    index of its first job."""
    status, selection = self._get_param("status"), self._get_param("targetSelection")
    group = self._get_param("thingGroupName")
    jobs = [job for job in self.iot_backend.jobs.values()
            if (status is None or job.status == status)
            and (selection is None or job.target_selection == selection)
            and (group is None or any(target.endswith(":thinggroup/" + group) for target in job.targets or []))]
    start = int(self._get_param("nextToken") or 0)
    size = self._get_int_param("maxResults", 50)
    page = jobs[start:start + size]
    more = start + size < len(jobs)
    return ActionResult({"jobs": [job.to_dict() for job in page], "nextToken": str(start + size) if more else None})


_PATCHES = (list_jobs, create_job, describe_job, get_job_document, update_job, associate_targets_with_job, delete_job,
            cancel_job_execution, delete_job_execution, tag_resource, untag_resource, list_tags_for_resource)


def install(fleet) -> None:
    """Route this fleet's account and region through the patched writes
    (patching moto once per process)."""
    _FLEETS[(fleet.account_id, fleet.region)] = fleet
    templates.install()
    groups.install()
    packages.install()
    if _ORIGINAL:
        return
    for patch in _PATCHES:
        _ORIGINAL[patch.__name__] = getattr(IoTResponse, patch.__name__, None)
        setattr(IoTResponse, patch.__name__, patch)
