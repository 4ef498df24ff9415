# -*- coding: utf-8 -*-
# Copyright: iotops.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""Reads from the AWS IoT Jobs control plane, shaped for plugin results.

A read answers "not found" with None (or no items): for a reader that is
an answer, not a failure.  Writes live in jobs_write.py, with their own rules.

List calls go through botocore's paginators at the largest page size and
yield items as pages arrive, so no caller holds a fleet-sized list it
does not return.
"""

from __future__ import annotations

from ansible_collections.iotops.aws.plugins.module_utils.errors import (
    PARSE_FAILURES,
    UnexpectedResponse,
    answer_member,
    call_api,
    error_code,
)
from ansible_collections.iotops.aws.plugins.module_utils.shaping import (
    shape_execution,
    shape_execution_summary,
    shape_job,
)

PAGE_SIZE = 250


def _not_found(exc):
    return error_code(exc) == "ResourceNotFoundException"


def _answer_or_none(call, operation, **kwargs):
    """``call(**kwargs)``'s answer, or None when AWS says the resource does not exist."""
    try:
        return call_api(call, operation, **kwargs)
    except Exception as exc:  # botocore's errors: only "not found" is an answer
        if _not_found(exc):
            return None
        raise


def _read(call, operation, member, kind=dict, **kwargs):
    """``call(**kwargs)[member]``, or None when AWS says the resource does not exist."""
    response = _answer_or_none(call, operation, **kwargs)
    return None if response is None else answer_member(response, operation, member, kind)


def describe_job(client, job_id):
    return _read(client.describe_job, "DescribeJob", "job", jobId=job_id)


def describe_job_and_source(client, job_id):
    """DescribeJob's ``job`` and its top-level ``documentSource``; (None, None) for no job."""
    response = _answer_or_none(client.describe_job, "DescribeJob", jobId=job_id)
    if response is None:
        return None, None
    return answer_member(response, "DescribeJob", "job", dict), response.get("documentSource")


def get_job_document(client, job_id):
    """The job document's text, or None for no job."""
    return _read(client.get_job_document, "GetJobDocument", "document", str, jobId=job_id)


def list_tags_for_resource(client, resource_arn):
    """The resource's tags as a dict, or None when it does not exist."""
    try:
        return dict((tag["Key"], tag.get("Value", "")) for tag in _paged(client, "list_tags_for_resource", "tags",
                                                                         resourceArn=resource_arn))
    except Exception as exc:  # botocore's errors: only "not found" is an answer
        if _not_found(exc):
            return None
        raise


def describe_job_execution(client, job_id, thing_name, execution_number=None):
    kwargs = dict(jobId=job_id, thingName=thing_name)
    if execution_number is not None:
        kwargs["executionNumber"] = execution_number
    return _read(client.describe_job_execution, "DescribeJobExecution", "execution", **kwargs)


def thing_arn(client, thing_name):
    return _read(client.describe_thing, "DescribeThing", "thingArn", str, thingName=thing_name)


def thing_group_arn(client, group_name):
    return _read(client.describe_thing_group, "DescribeThingGroup", "thingGroupArn", str, thingGroupName=group_name)


def _paged(client, method, member, **kwargs):
    """The items of ``member``, page after page of botocore's paginator;
    an unreadable page raises UnexpectedResponse, botocore's errors pass."""
    pages = client.get_paginator(method).paginate(**kwargs)
    operation = "".join(word.capitalize() for word in method.split("_"))  # AWS's name, for messages
    try:
        for page in pages:
            yield from answer_member(page, operation, member, list)
    except PARSE_FAILURES as exc:
        raise UnexpectedResponse("{0} answered with an unreadable body: {1}".format(operation, exc))


def _summaries(client, method, **kwargs):
    kwargs = dict((key, value) for key, value in kwargs.items() if value is not None)
    try:
        yield from _paged(client, method, "executionSummaries", PaginationConfig={"PageSize": PAGE_SIZE}, **kwargs)
    except Exception as exc:  # botocore's errors: only "not found" is an answer
        if not _not_found(exc):
            raise


def job_execution_summaries(client, job_id, status=None):
    """Raw summaries of a job's executions, one page at a time."""
    return _summaries(client, "list_job_executions_for_job", jobId=job_id, status=status)


class ExecutionPages:
    """At most ``pages`` pages of a job's execution summaries in ``status``,
    from where an earlier read stopped (``starting_token``).

    Iterating yields the summaries as pages arrive, so a pass over a long
    list holds one page at a time; then ``pages_read`` and ``next_token``
    (None at the end of the list) say where it stopped.  A job that does
    not exist yields nothing.
    """

    def __init__(self, client, job_id, status, pages, starting_token=None):
        self.client, self.job_id, self.status = client, job_id, status
        self.config = {"PageSize": PAGE_SIZE, "MaxItems": pages * PAGE_SIZE}
        if starting_token:
            self.config["StartingToken"] = starting_token
        self.pages_read = 0
        self.next_token = None

    def __iter__(self):
        paginated = self.client.get_paginator("list_job_executions_for_job").paginate(
            jobId=self.job_id, status=self.status, PaginationConfig=self.config)
        try:
            for page in paginated:
                self.pages_read += 1
                yield from answer_member(page, "ListJobExecutionsForJob", "executionSummaries", list)
        except PARSE_FAILURES as exc:
            raise UnexpectedResponse("ListJobExecutionsForJob answered with an unreadable body: {0}".format(exc))
        except Exception as exc:  # botocore's errors: only "not found" is an answer
            if not _not_found(exc):
                raise
            self.pages_read = max(self.pages_read, 1)
            return
        self.next_token = getattr(paginated, "resume_token", None)


def thing_execution_summaries(client, thing_name, status=None, job_id=None):
    """Raw summaries of a thing's executions, optionally of one job only."""
    for summary in _summaries(client, "list_job_executions_for_thing", thingName=thing_name, status=status, jobId=job_id):
        # Some endpoints ignore the jobId filter; the answer must not.
        if job_id is None or summary.get("jobId") == job_id:
            yield summary


def find_job_executions(client, job_id=None, thing_name=None, execution_number=None, status=None):
    """Job execution items, in the mode the given identifiers select.

    Both identifiers describe one execution; a job alone lists its
    executions; a thing alone lists the thing's.  Anything missing gives
    no items.
    """
    if job_id and thing_name:
        execution = describe_job_execution(client, job_id, thing_name, execution_number)
        if execution is not None and status in (None, execution.get("status")):
            yield shape_execution(execution)
    elif job_id:
        for summary in job_execution_summaries(client, job_id, status):
            yield shape_execution_summary(summary, job_id=job_id)
    else:
        arn = thing_arn(client, thing_name)
        if arn is None:
            return
        for summary in thing_execution_summaries(client, thing_name, status):
            yield shape_execution_summary(summary, thing_name=thing_name, thing_arn=arn)


def find_job(client, job_id):
    job = describe_job(client, job_id)
    return None if job is None else shape_job(job)


def thing_group_members(client, group_name):
    """The names of the things in a thing group and in all its child groups
    (ListThingsInThingGroup, recursive), once each; None when the group
    does not exist."""
    try:
        return set(_paged(client, "list_things_in_thing_group", "things", thingGroupName=group_name, recursive=True,
                          PaginationConfig={"PageSize": PAGE_SIZE}))
    except Exception as exc:  # botocore's errors: only "not found" is an answer
        if _not_found(exc):
            return None
        raise
