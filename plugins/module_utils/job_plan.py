# -*- coding: utf-8 -*-
# Copyright: iotops.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""What iot_job must do to reach the state asked of it: a pure function
of the options and of what AWS said about the job, so that check mode,
``--diff`` and the real run share one decision, and unit tests cover
every rule without an endpoint.

Settings are compared in iot_job's option names.  Only the options the
user gave are compared; within a dict option, only the suboptions given,
since AWS echoes defaults the user never set.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import List, Mapping, Optional

from ansible.module_utils.common.dict_transformations import recursive_diff

from ansible_collections.iotops.aws.plugins.module_utils.job_settings import (
    UPDATABLE_MEMBERS,
    check_schedule_ahead,
    create_job_request,
    format_schedule_time,
    parse_document,
    pruned,
    update_job_request,
)
from ansible_collections.iotops.aws.plugins.module_utils.job_targets import target_name
from ansible_collections.iotops.aws.plugins.module_utils.shaping import snake_case
from ansible_collections.iotops.aws.plugins.module_utils.validation import InvalidOption

# Settings no call can change once the job exists, in the order errors name them.
IMMUTABLE_OPTIONS = ("document", "document_source", "job_template_arn", "document_parameters", "target_selection",
                     "scheduling", "destination_package_versions", "targets")
UPDATABLE_OPTIONS = tuple(UPDATABLE_MEMBERS)
# Job statuses in which iot_job changes nothing.
FINISHED_STATUSES = ("COMPLETED", "CANCELED", "DELETION_IN_PROGRESS")
# Job statuses DeleteJob refuses without force.
RUNNING_STATUSES = ("IN_PROGRESS", "SCHEDULED")
_CRITERIA_OPTIONS = ("abort", "retry")


@dataclass
class JobPlan:
    """The requests to send, in order; none of them when ``error`` is set."""

    job_id: str
    create: Optional[dict] = None
    update: Optional[dict] = None
    add_targets: List[str] = field(default_factory=list)
    tag: Mapping[str, str] = field(default_factory=dict)
    untag: List[str] = field(default_factory=list)
    cancel: Optional[dict] = None
    delete: Optional[dict] = None
    wait_for_deletion: bool = False
    drift: List[str] = field(default_factory=list)
    error: Optional[str] = None
    message: Optional[str] = None
    diff: dict = field(default_factory=lambda: dict(before={}, after={}))

    @property
    def changed(self):
        return not self.error and bool(self.create or self.update or self.add_targets or self.tag or self.untag
                                       or self.cancel or self.delete)


def _status(job):
    return (job or {}).get("status")


def tags_dict(tags):
    """ListTagsForResource's ``tags`` ([{Key, Value}]) or a dict, as a dict."""
    if tags is None or isinstance(tags, dict):
        return tags
    return dict((tag["Key"], tag.get("Value", "")) for tag in tags)


def _document_value(value):
    try:
        return parse_document(value)
    except InvalidOption:
        return value  # not JSON: compared as text


def _schedule(value):
    value = dict(value)
    for key in ("start_time", "end_time"):
        if value.get(key) is not None:
            try:
                value[key] = format_schedule_time(value[key], key)
            except InvalidOption:
                pass
    return value


def _normalised(option, value):
    """A value as both sides are compared: no unset suboptions, criteria in
    failure-type order, scheduling times in AWS's UTC minutes."""
    if value is None:
        return [] if option in ("targets", "destination_package_versions") else ({} if option == "document_parameters" else None)
    value = pruned(value)
    if option in _CRITERIA_OPTIONS:
        return sorted(value, key=lambda criterion: str(criterion.get("failure_type")))
    if option == "scheduling":
        return _schedule(value)
    if option == "document":
        return _document_value(value)
    return value


def job_settings(job, document=None, tags=None, document_source=None):
    """The job's settings in iot_job's option names.

    ``job`` is DescribeJob's ``job``, as AWS returns it or as iot_job_info
    shapes it; ``document`` is GetJobDocument's text; ``tags`` is
    ListTagsForResource's list; ``document_source`` is DescribeJob's
    top-level member of that name.  Leave out what was not read.
    """
    item = snake_case(job) if "jobId" in job else job
    settings = dict(
        targets=list(item.get("targets") or []),
        target_selection=item.get("target_selection") or "SNAPSHOT",  # AWS's default
        document_source=document_source or item.get("document_source"),
        job_template_arn=item.get("job_template_arn"),
        document_parameters=item.get("document_parameters") or {},
        description=item.get("description"),
        rollout=item.get("job_executions_rollout_config") or None,
        abort=(item.get("abort_config") or {}).get("criteria_list") or None,
        in_progress_timeout_minutes=(item.get("timeout_config") or {}).get("in_progress_timeout_in_minutes"),
        retry=(item.get("job_executions_retry_config") or {}).get("criteria_list") or None,
        presigned_url=item.get("presigned_url_config") or None,
        scheduling=item.get("scheduling_config") or None,
        destination_package_versions=item.get("destination_package_versions") or [],
    )
    if document is not None:
        settings["document"] = _document_value(document)
    if tags is not None:
        settings["tags"] = tags_dict(tags)
    return settings


def desired_settings(params, target_arns=None):
    """The settings the options ask for, in option names; unset options are left out."""
    desired = {}
    for option in IMMUTABLE_OPTIONS + UPDATABLE_OPTIONS:
        if option == "targets":
            if target_arns is not None:
                desired["targets"] = list(target_arns)
        elif params.get(option) is not None:
            desired[option] = _normalised(option, params[option])
    return desired


def _projected(current, desired):
    """``current`` cut down to the keys ``desired`` sets, so that what AWS
    fills in on its own does not count as a difference."""
    if isinstance(desired, dict) and isinstance(current, dict):
        return dict((key, _projected(current.get(key), value)) for key, value in desired.items() if key in current)
    if isinstance(desired, list) and isinstance(current, list) and len(desired) == len(current):
        return [_projected(have, want) for have, want in zip(current, desired)]
    return current


def _same(option, current, desired):
    if option in ("document", "document_parameters", "tags"):
        return current == desired
    return _projected(_normalised(option, current), desired) == desired


def _diff(before, after):
    found = recursive_diff(before, after)
    return dict(before=found[0], after=found[1]) if found else dict(before={}, after={})


def _names(options):
    return ", ".join(options)


def plan_present(params, target_arns, job=None, document=None, tags=None, document_source=None, now=None):
    """The plan for state=present.

    ``target_arns`` are O(targets) resolved to ARNs; ``job``, ``document``,
    ``tags`` and ``document_source`` are what AWS reported (see
    job_settings), ``job`` None when the job does not exist.  ``now`` (an
    aware datetime) is needed only to create a scheduled job.  Raises
    InvalidOption for a schedule AWS would refuse.
    """
    job_id = params["job_id"]
    desired = desired_settings(params, target_arns)
    if params.get("tags") is not None:
        desired["tags"] = dict(params["tags"])
    if job is None:
        if params.get("scheduling") is not None:
            check_schedule_ahead(params["scheduling"], now)
        return JobPlan(job_id, create=create_job_request(params, target_arns), diff=_diff({}, desired))

    current = job_settings(job, document, tags, document_source)
    status = job.get("status")
    plan = JobPlan(job_id)
    compared = [option for option in desired if option not in ("targets", "tags")]
    differs = [option for option in compared if not _same(option, current.get(option), desired[option])]
    plan.drift = [option for option in IMMUTABLE_OPTIONS if option in differs]
    changes = dict((option, params[option]) for option in UPDATABLE_OPTIONS if option in differs)
    if changes:
        plan.update = update_job_request(job_id, changes)

    errors = []
    purge_targets = params.get("purge_targets", False)
    if "targets" in desired:
        have, want = current["targets"], desired["targets"]
        # Without purge_targets the list says which targets the job must have, not all of them: a rerun of an
        # earlier stage's task, as when a rollout resumes, then finds nothing to do.
        unlisted = [arn for arn in have if arn not in want]
        if current["target_selection"] == "CONTINUOUS":
            if unlisted and purge_targets:
                errors.append("targets: AWS cannot remove a target from a job, and {0} would be removed".format(
                    ", ".join(repr(target_name(arn)) for arn in unlisted)))
            plan.add_targets = [arn for arn in want if arn not in have]
        elif any(arn not in have for arn in want) or (unlisted and purge_targets):
            plan.drift.append("targets")
    if plan.drift:
        errors.insert(0, "job {0!r} exists with a different {1}, which AWS cannot change: use a new job_id".format(
            job_id, _names(plan.drift)))

    if "tags" in desired:
        have_tags = current.get("tags") or {}
        plan.tag = dict((key, value) for key, value in desired["tags"].items() if have_tags.get(key) != value)
        if params.get("purge_tags", True):
            plan.untag = [key for key in have_tags if key not in desired["tags"]]

    before = dict((option, current.get(option)) for option in desired)
    after = dict(desired)
    if "targets" in desired:
        if not purge_targets:
            after["targets"] = before["targets"] + [arn for arn in after["targets"] if arn not in before["targets"]]
        before["targets"], after["targets"] = sorted(before["targets"]), sorted(after["targets"])
    for option in compared:
        before[option] = _normalised(option, before[option])
        if option not in ("document", "document_parameters"):
            before[option] = _projected(before[option], desired[option])
    if "tags" in desired and not params.get("purge_tags", True):
        after["tags"] = dict(before["tags"] or {}, **desired["tags"])
    plan.diff = _diff(before, after)

    if status in FINISHED_STATUSES:
        asked = [option for option in differs if option in UPDATABLE_OPTIONS]
        asked += ["targets"] * bool(plan.add_targets) + ["tags"] * bool(plan.tag or plan.untag)
        if asked and not errors:
            errors.append("job {0!r} is {1}, so its {2} cannot change: use a new job_id".format(job_id, status, _names(asked)))
        plan.message = "job {0!r} is {1}".format(job_id, status)
    elif plan.add_targets and status != "IN_PROGRESS" and not errors:
        errors.append("targets: AWS adds targets only to an IN_PROGRESS job, and job {0!r} is {1}".format(job_id, status))
    if errors:
        plan.error = "; ".join(errors)
    return plan


def changed_after_conflict(plan, retried):
    """Whether the task changed anything when CreateJob answered
    ResourceAlreadyExistsException, given the plan made against the job
    found then.  CreateJob has no client token: after a retried attempt
    (``retried``) the job is most likely the one the lost attempt created."""
    return plan.changed or (retried and not plan.error)


def plan_cancel(job_id, job, reason_code=None, comment=None, force=False):
    """The plan for state=canceled; ``job`` is DescribeJob's job or None."""
    status = _status(job)
    if job is None:
        return JobPlan(job_id, error="job_id: no job {0!r} to cancel".format(job_id))
    if status == "CANCELED":
        return JobPlan(job_id, message="job {0!r} is already canceled".format(job_id))
    if status == "COMPLETED":
        return JobPlan(job_id, message="job {0!r} is COMPLETED: there is nothing left to cancel".format(job_id))
    if status == "DELETION_IN_PROGRESS":
        return JobPlan(job_id, error="job_id: job {0!r} is being deleted, so it cannot be canceled".format(job_id))
    request = dict(jobId=job_id, force=bool(force))
    if reason_code is not None:
        request["reasonCode"] = reason_code
    if comment is not None:
        request["comment"] = comment
    return JobPlan(job_id, cancel=request, diff=_diff(dict(status=status), dict(status="CANCELED")))


def plan_delete(job_id, job, force=False, wait=False):
    """The plan for state=absent; ``job`` is DescribeJob's job or None."""
    status = _status(job)
    if job is None:
        return JobPlan(job_id)
    if status == "DELETION_IN_PROGRESS":
        return JobPlan(job_id, wait_for_deletion=wait, message="job {0!r} is already being deleted".format(job_id))
    if status in RUNNING_STATUSES and not force:
        error = ("force: job {0!r} is {1}: set force=true to delete it; devices whose execution is in progress "
                 "can then no longer report their status".format(job_id, status))
        return JobPlan(job_id, error=error)
    return JobPlan(job_id, delete=dict(jobId=job_id, force=bool(force)), wait_for_deletion=wait, diff=_diff(dict(status=status), {}))
