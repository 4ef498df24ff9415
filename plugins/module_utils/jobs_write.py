# -*- coding: utf-8 -*-
# Copyright: iotops.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""Writes to the AWS IoT Jobs control plane.

Unlike a read, a write to something that does not exist has failed:
every botocore error, ResourceNotFoundException included, reaches the
caller, which reports it with errors.failure (the code and request id).
An answer that is not the API's JSON raises UnexpectedResponse.

Each write takes its operation's own arguments (camelCase), as the plans
build them.
"""

from __future__ import annotations

from ansible_collections.iotops.aws.plugins.module_utils.errors import answer_member, call_api
from ansible_collections.iotops.aws.plugins.module_utils.shaping import snake_case


def _write(call, operation, request):
    return call_api(call, operation, **request)


def cancel_job(client, request):
    """CancelJob; returns the job's ``job_id``, ``job_arn`` and ``description``.

    Without ``force`` AWS cancels only the QUEUED executions; IN_PROGRESS
    ones run to their end.
    """
    response = _write(client.cancel_job, "CancelJob", request)
    answer_member(response, "CancelJob", "jobId", str)
    return snake_case(dict((key, response.get(key)) for key in ("jobId", "jobArn", "description")))


def create_job(client, request):
    """CreateJob; returns botocore's answer.

    CreateJob has no client token, so a caller that gets
    ResourceAlreadyExistsException needs to know whether botocore retried
    this call (``was_retried``): an earlier attempt may have created the job.
    """
    response = _write(client.create_job, "CreateJob", request)
    answer_member(response, "CreateJob", "jobArn", str)
    return response


def was_retried(exc):
    """True when botocore sent the call more than once before this answer."""
    response = getattr(exc, "response", None) or {}
    return (response.get("ResponseMetadata") or {}).get("RetryAttempts", 0) > 0


def update_job(client, request):
    _write(client.update_job, "UpdateJob", request)


def associate_targets_with_job(client, request):
    response = _write(client.associate_targets_with_job, "AssociateTargetsWithJob", request)
    answer_member(response, "AssociateTargetsWithJob", "jobId", str)


def tag_resource(client, request):
    _write(client.tag_resource, "TagResource", request)


def untag_resource(client, request):
    _write(client.untag_resource, "UntagResource", request)


def delete_job(client, request):
    """Start deleting a job: AWS removes it asynchronously, DELETION_IN_PROGRESS meanwhile."""
    _write(client.delete_job, "DeleteJob", request)


def cancel_job_execution(client, request):
    """Cancel the thing's latest execution of the job; a stale
    ``expectedVersion`` raises VersionConflictException."""
    _write(client.cancel_job_execution, "CancelJobExecution", request)


def delete_job_execution(client, request):
    _write(client.delete_job_execution, "DeleteJobExecution", request)


def _plain(method, operation):
    """A write whose answer carries nothing its caller needs."""
    return lambda client, request: _write(getattr(client, method), operation, request)


def _creating(method, operation, arn_member):
    """A create whose answer must name what it created (``arn_member``); returns botocore's answer.
    Neither CreateJobTemplate nor CreateThingGroup takes a client token; CreatePackage does."""
    def create(client, request):
        response = _write(getattr(client, method), operation, request)
        answer_member(response, operation, arn_member, str)
        return response
    return create


# Each write by its operation's name, as the plans name their requests.
WRITES = dict(
    CancelJob=cancel_job,
    CreateJob=create_job,
    UpdateJob=update_job,
    AssociateTargetsWithJob=associate_targets_with_job,
    TagResource=tag_resource,
    UntagResource=untag_resource,
    DeleteJob=delete_job,
    CancelJobExecution=cancel_job_execution,
    DeleteJobExecution=delete_job_execution,
    CreateJobTemplate=_creating("create_job_template", "CreateJobTemplate", "jobTemplateArn"),
    # Jobs created from a template keep their settings when it goes.
    DeleteJobTemplate=_plain("delete_job_template", "DeleteJobTemplate"),
    CreateThingGroup=_creating("create_thing_group", "CreateThingGroup", "thingGroupArn"),
    # A stale expectedVersion raises VersionConflictException.
    UpdateThingGroup=_plain("update_thing_group", "UpdateThingGroup"),
    # The group's things stay; only their membership goes.
    DeleteThingGroup=_plain("delete_thing_group", "DeleteThingGroup"),
    # One thing into (or out of) one group a call: AWS has no batch form.
    AddThingToThingGroup=_plain("add_thing_to_thing_group", "AddThingToThingGroup"),
    RemoveThingFromThingGroup=_plain("remove_thing_from_thing_group", "RemoveThingFromThingGroup"),
    # The package catalog's writes take a client token, which botocore fills in once a call
    # and keeps on its retries: a retry after a lost answer is the same write, not a second one.
    CreatePackage=_creating("create_package", "CreatePackage", "packageArn"),
    CreatePackageVersion=_creating("create_package_version", "CreatePackageVersion", "packageVersionArn"),
    # Sets or unsets the default version, never both.
    UpdatePackage=_plain("update_package", "UpdatePackage"),
    # Edits and the lifecycle's actions (PUBLISH, DEPRECATE) alike.
    UpdatePackageVersion=_plain("update_package_version", "UpdatePackageVersion"),
    # AWS refuses to delete the package's default version ...
    DeletePackageVersion=_plain("delete_package_version", "DeletePackageVersion"),
    # ... and a package that still has versions.
    DeletePackage=_plain("delete_package", "DeletePackage"),
    UpdatePackageConfiguration=_plain("update_package_configuration", "UpdatePackageConfiguration"),
)


def send(client, operation, request):
    """Send one of the plans' requests: ``request`` holds the operation's own arguments."""
    return WRITES[operation](client, request)


def send_all(client, writes, done):
    """Send a plan's ``writes()`` in order; ``done`` collects the operations
    AWS accepted, so that a failure halfway still reports a change."""
    for operation, request in writes:
        send(client, operation, request)
        done.append(operation)
