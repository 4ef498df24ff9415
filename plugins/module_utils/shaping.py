# -*- coding: utf-8 -*-
# Copyright: iotops.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""The one place where AWS responses become plugin results.

Keys become snake_case, except inside maps whose keys were chosen by a
device or a user (``detailsMap``, ``documentParameters``).  Timestamps
become ISO 8601 strings in UTC with their offset.
"""

from __future__ import annotations

import datetime

from ansible.module_utils.common.dict_transformations import camel_dict_to_snake_dict, recursive_diff

from ansible_collections.iotops.aws.plugins.module_utils.validation import thing_name_from_arn
from ansible_collections.iotops.aws.plugins.module_utils.vocabulary import JOB_EXECUTION_STATUSES

# Keys every job execution item has, whichever call produced it.
EXECUTION_KEYS = ("job_id", "thing_name", "thing_arn", "status", "queued_at", "started_at", "last_updated_at", "execution_number")
# Keys every job item has, whether or not DescribeJob returned them.
JOB_KEYS = ("job_id", "job_arn", "status", "target_selection", "targets", "created_at", "last_updated_at", "completed_at",
            "abort_config", "job_executions_retry_config", "job_executions_rollout_config", "timeout_config",
            "reason_code", "comment", "scheduling_config", "scheduled_job_rollouts")
# Settings a job can be created without: DescribeJob then answers {} for some
# (presignedUrlConfig, jobExecutionsRolloutConfig, timeoutConfig) and leaves
# out the others; the item has each as None either way.
UNSET_WHEN_EMPTY = ("abort_config", "job_executions_retry_config", "job_executions_rollout_config", "timeout_config",
                    "scheduling_config", "scheduled_job_rollouts")
# jobProcessDetails' count of things in each execution status, snake_case.
COUNT_KEY_OF_STATUS = dict((status, "number_of_{0}_things".format(status.lower())) for status in JOB_EXECUTION_STATUSES)
# camel_dict_to_snake_dict honours ignore_list at the top level only, so the
# map that holds detailsMap is kept whole and unwrapped in shape_execution.
VERBATIM_KEYS = ["statusDetails", "documentParameters", "attributes"]


def _iso_timestamps(value):
    if isinstance(value, datetime.datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=datetime.timezone.utc)
        return value.astimezone(datetime.timezone.utc).isoformat()
    if isinstance(value, dict):
        return dict((key, _iso_timestamps(item)) for key, item in value.items())
    if isinstance(value, list):
        return [_iso_timestamps(item) for item in value]
    return value


def snake_case(response):
    """camel_dict_to_snake_dict, keeping user-chosen keys and ISO timestamps."""
    return _iso_timestamps(camel_dict_to_snake_dict(response, ignore_list=VERBATIM_KEYS))


def _execution_item(fields, thing_name=None):
    item = dict.fromkeys(EXECUTION_KEYS)
    item.update(fields)
    item["thing_name"] = thing_name_from_arn(item["thing_arn"]) or thing_name
    return item


def shape_execution(execution):
    """An item from DescribeJobExecution's ``execution``."""
    item = _execution_item(snake_case(execution))
    item.setdefault("approximate_seconds_before_timed_out", None)
    item["status_details"] = {"details_map": (item.get("status_details") or {}).get("detailsMap") or {}}
    return item


def shape_execution_summary(summary, job_id=None, thing_name=None, thing_arn=None):
    """An item from a ListJobExecutionsForJob or ListJobExecutionsForThing entry.

    The job's list names the thing but not the job, and the thing's list the
    reverse, so the caller supplies what the entry lacks.
    """
    fields = snake_case(summary.get("jobExecutionSummary", {}))
    fields.setdefault("retry_attempt", 0)
    fields["job_id"] = summary.get("jobId", job_id)
    fields["thing_arn"] = summary.get("thingArn", thing_arn)
    return _execution_item(fields, thing_name)


def execution_counts(job):
    """A shaped job's executions in each status, from its job_process_details:
    {execution status: how many}, 0 for each one AWS left out."""
    details = job.get("job_process_details") or {}
    return dict((status, int(details.get(key) or 0)) for status, key in COUNT_KEY_OF_STATUS.items())


def shape_job(job):
    """An item from DescribeJob's ``job``.

    AWS leaves out what does not apply yet (``completedAt`` before the end,
    ``processingTargets`` once the rollout is done) and answers a config the
    job was created without with {} or nothing; the item has those keys as
    None, and ``processing_targets`` as a list.
    """
    item = dict.fromkeys(JOB_KEYS)
    item.update(snake_case(job))
    item["document_parameters"] = item.get("document_parameters") or {}
    details = dict.fromkeys(COUNT_KEY_OF_STATUS.values())
    details.update(item.get("job_process_details") or {})
    details["processing_targets"] = details.get("processing_targets") or []
    item["job_process_details"] = details
    for key in UNSET_WHEN_EMPTY:
        item[key] = item.get(key) or None
    if not item.get("presigned_url_config"):
        item.pop("presigned_url_config", None)
    return item


def before_after(before, after):
    """A write-side module's ``diff``: what differs between ``before`` and ``after``."""
    found = recursive_diff(before, after)
    return dict(before=found[0], after=found[1]) if found else dict(before={}, after={})
