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

from ansible_collections.iotops.aws.plugins.module_utils.iot_job_options import (
    JOB_SETTINGS,
    UPDATABLE_SETTINGS,
    create_job_request,
    creation_needs,
    parse_document,
    update_job_request,
)
from ansible_collections.iotops.aws.plugins.module_utils.job_options import check_schedule_ahead, projected, pruned, tag_list
from ansible_collections.iotops.aws.plugins.module_utils.job_targets import target_name
from ansible_collections.iotops.aws.plugins.module_utils.shaping import before_after
from ansible_collections.iotops.aws.plugins.module_utils.validation import InvalidOption
from ansible_collections.iotops.aws.plugins.module_utils.vocabulary import (
    FINISHED_JOB_STATUSES,
    JOB_CANCELED,
    JOB_COMPLETED,
    JOB_DELETION_IN_PROGRESS,
    JOB_IN_PROGRESS,
    RUNNING_JOB_STATUSES,
)

# The settings the plan compares, by option; tags are compared apart, against ListTagsForResource.
_SETTINGS = dict((setting.name, setting) for setting in JOB_SETTINGS if setting.name != "tags")
# Settings no call can change once the job exists, in the order errors name them.
IMMUTABLE_OPTIONS = ("document", "document_source", "job_template_arn", "document_parameters", "target_selection",
                     "scheduling", "destination_package_versions", "targets")
UPDATABLE_OPTIONS = tuple(setting.name for setting in UPDATABLE_SETTINGS)


@dataclass
class JobPlan:
    """The requests to send, in order; none of them when ``error`` is set."""

    job_id: str
    job_arn: Optional[str] = None
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

    def writes(self):
        """The requests to an existing job, in order: (operation, its own arguments)."""
        requests = (
            ("UpdateJob", self.update),
            ("AssociateTargetsWithJob", self.add_targets and dict(jobId=self.job_id, targets=list(self.add_targets))),
            ("TagResource", self.tag and dict(resourceArn=self.job_arn, tags=tag_list(self.tag))),
            ("UntagResource", self.untag and dict(resourceArn=self.job_arn, tagKeys=list(self.untag))),
            ("CancelJob", self.cancel),
            ("DeleteJob", self.delete),
        )
        return [(operation, request) for operation, request in requests if request]


def _status(job):
    return (job or {}).get("status")


def _document_value(value):
    try:
        return parse_document(value)
    except InvalidOption:
        return value  # not JSON: compared as text


def _normalised(option, value):
    """A value as both sides are compared: no unset suboptions, and each
    setting in its own comparable form (criteria in failure-type order,
    scheduling times in AWS's UTC minutes)."""
    if value is None:
        return [] if option in ("targets", "destination_package_versions") else ({} if option == "document_parameters" else None)
    if option in _SETTINGS:
        return _SETTINGS[option].comparable(value)
    if option == "document":
        return _document_value(value)
    return pruned(value)


def current_settings(job, document=None, tags=None, document_source=None):
    """The job's settings in iot_job's option names.

    ``job`` is DescribeJob's ``job`` shaped (shaping.shape_job);
    ``document`` is GetJobDocument's text; ``tags`` is ListTagsForResource's
    dict; ``document_source`` is DescribeJob's top-level member of that
    name.  Leave out what was not read.
    """
    settings = dict(
        targets=list(job.get("targets") or []),
        target_selection=job.get("target_selection") or "SNAPSHOT",  # AWS's default
        document_source=document_source or job.get("document_source"),
        job_template_arn=job.get("job_template_arn"),
        document_parameters=job.get("document_parameters") or {},
        destination_package_versions=job.get("destination_package_versions") or [],
    )
    for name, setting in _SETTINGS.items():
        settings[name] = setting.from_job(job)
    if document is not None:
        settings["document"] = _document_value(document)
    if tags is not None:
        settings["tags"] = tags
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


def _same(option, current, desired):
    if option in ("document", "document_parameters", "tags"):
        return current == desired
    return projected(_normalised(option, current), desired) == desired


def _names(options):
    return ", ".join(options)


def plan_present(params, target_arns, job=None, document=None, tags=None, document_source=None, now=None):
    """The plan for state=present.

    ``target_arns`` are O(targets) resolved to ARNs, None when not given;
    ``job``, ``document``, ``tags`` and ``document_source`` are what AWS
    reported (see current_settings), ``job`` None when the job does not
    exist.  A job that exists keeps what the options leave out.  ``now`` (an
    aware datetime) is needed only to create a scheduled job.  Raises
    InvalidOption for a schedule AWS would refuse.
    """
    job_id = params["job_id"]
    desired = desired_settings(params, target_arns)
    if params.get("tags") is not None:
        desired["tags"] = dict(params["tags"])
    if job is None:
        needs = creation_needs(params)
        if needs:
            return JobPlan(job_id, error=needs)
        if params.get("scheduling") is not None:
            check_schedule_ahead(params["scheduling"], now)
        return JobPlan(job_id, create=create_job_request(params, target_arns), diff=before_after({}, desired))

    current = current_settings(job, document, tags, document_source)
    status = job.get("status")
    plan = JobPlan(job_id, job_arn=job.get("job_arn"))
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
            before[option] = projected(before[option], desired[option])
    if "tags" in desired and not params.get("purge_tags", True):
        after["tags"] = dict(before["tags"] or {}, **desired["tags"])
    plan.diff = before_after(before, after)

    if status in FINISHED_JOB_STATUSES:
        asked = [option for option in differs if option in UPDATABLE_OPTIONS]
        asked += ["targets"] * bool(plan.add_targets) + ["tags"] * bool(plan.tag or plan.untag)
        if asked and not errors:
            errors.append("job {0!r} is {1}, so its {2} cannot change: use a new job_id".format(job_id, status, _names(asked)))
        plan.message = "job {0!r} is {1}".format(job_id, status)
    elif plan.add_targets and status != JOB_IN_PROGRESS and not errors:
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


def cancel_job_request(job_id, reason_code=None, comment=None, force=False):
    """CancelJob's arguments; without ``force`` AWS cancels only the QUEUED executions."""
    request = dict(jobId=job_id, force=bool(force))
    if reason_code is not None:
        request["reasonCode"] = reason_code
    if comment is not None:
        request["comment"] = comment
    return request


def plan_cancel(job_id, job, reason_code=None, comment=None, force=False):
    """The plan for state=canceled; ``job`` is DescribeJob's job or None."""
    status = _status(job)
    if job is None:
        return JobPlan(job_id, error="job_id: no job {0!r} to cancel".format(job_id))
    if status == JOB_CANCELED:
        return JobPlan(job_id, message="job {0!r} is already canceled".format(job_id))
    if status == JOB_COMPLETED:
        return JobPlan(job_id, message="job {0!r} is COMPLETED: there is nothing left to cancel".format(job_id))
    if status == JOB_DELETION_IN_PROGRESS:
        return JobPlan(job_id, error="job_id: job {0!r} is being deleted, so it cannot be canceled".format(job_id))
    return JobPlan(job_id, cancel=cancel_job_request(job_id, reason_code, comment, force), diff=before_after(dict(status=status), dict(status=JOB_CANCELED)))


def plan_delete(job_id, job, force=False, wait=False):
    """The plan for state=absent; ``job`` is DescribeJob's job or None."""
    status = _status(job)
    if job is None:
        return JobPlan(job_id)
    if status == JOB_DELETION_IN_PROGRESS:
        return JobPlan(job_id, wait_for_deletion=wait, message="job {0!r} is already being deleted".format(job_id))
    if status in RUNNING_JOB_STATUSES and not force:
        error = ("force: job {0!r} is {1}: set force=true to delete it; devices whose execution is in progress "
                 "can then no longer report their status".format(job_id, status))
        return JobPlan(job_id, error=error)
    return JobPlan(job_id, delete=dict(jobId=job_id, force=bool(force)), wait_for_deletion=wait, diff=before_after(dict(status=status), {}))
