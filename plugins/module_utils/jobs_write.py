# -*- coding: utf-8 -*-
# Copyright: iotops.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""Writes to the AWS IoT Jobs control plane.

Unlike a read, a write to something that does not exist has failed:
every botocore error, ResourceNotFoundException included, reaches the
caller, which reports it with errors.failure (the code and request id).
An answer that is not the API's JSON raises UnexpectedResponse.
"""

from __future__ import annotations

from ansible_collections.iotops.aws.plugins.module_utils.errors import answer_member, call_api
from ansible_collections.iotops.aws.plugins.module_utils.shaping import snake_case


def _write(call, operation, **kwargs):
    kwargs = dict((key, value) for key, value in kwargs.items() if value is not None)
    return call_api(call, operation, **kwargs)


def cancel_job(client, job_id, reason_code=None, comment=None, force=False):
    """Cancel a job; returns its ``job_id``, ``job_arn`` and ``description``.

    Without ``force`` AWS cancels only the QUEUED executions; IN_PROGRESS
    ones run to their end.
    """
    response = _write(client.cancel_job, "CancelJob", jobId=job_id, reasonCode=reason_code, comment=comment,
                      force=bool(force))
    answer_member(response, "CancelJob", "jobId", str)
    return snake_case(dict((key, response.get(key)) for key in ("jobId", "jobArn", "description")))


def create_job(client, request):
    """CreateJob with CreateJob's own arguments; returns botocore's answer.

    CreateJob has no client token, so a caller that gets
    ResourceAlreadyExistsException needs to know whether botocore retried
    this call (``was_retried``): an earlier attempt may have created the job.
    """
    response = _write(client.create_job, "CreateJob", **request)
    answer_member(response, "CreateJob", "jobArn", str)
    return response


def was_retried(exc):
    """True when botocore sent the call more than once before this answer."""
    response = getattr(exc, "response", None) or {}
    return (response.get("ResponseMetadata") or {}).get("RetryAttempts", 0) > 0


def update_job(client, request):
    """UpdateJob with UpdateJob's own arguments (``jobId`` and the members that change)."""
    _write(client.update_job, "UpdateJob", **request)


def associate_targets_with_job(client, job_id, target_arns):
    response = _write(client.associate_targets_with_job, "AssociateTargetsWithJob", jobId=job_id, targets=list(target_arns))
    answer_member(response, "AssociateTargetsWithJob", "jobId", str)


def tag_resource(client, resource_arn, tags):
    """Add or change ``tags`` (a dict); keys are sent exactly as given."""
    _write(client.tag_resource, "TagResource", resourceArn=resource_arn,
           tags=[dict(Key=key, Value=value) for key, value in tags.items()])


def untag_resource(client, resource_arn, keys):
    _write(client.untag_resource, "UntagResource", resourceArn=resource_arn, tagKeys=list(keys))


def delete_job(client, job_id, force=False):
    """Start deleting a job: AWS removes it asynchronously, DELETION_IN_PROGRESS meanwhile."""
    _write(client.delete_job, "DeleteJob", jobId=job_id, force=bool(force))


def cancel_job_execution(client, job_id, thing_name, force=False, expected_version=None, status_details=None):
    """Cancel the thing's latest execution of the job; a stale
    ``expected_version`` raises VersionConflictException."""
    _write(client.cancel_job_execution, "CancelJobExecution", jobId=job_id, thingName=thing_name, force=bool(force),
           expectedVersion=expected_version, statusDetails=status_details)


def delete_job_execution(client, job_id, thing_name, execution_number, force=False):
    _write(client.delete_job_execution, "DeleteJobExecution", jobId=job_id, thingName=thing_name,
           executionNumber=execution_number, force=bool(force))
