# -*- coding: utf-8 -*-
# Copyright: iotops.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""What the event source ``iotops.aws.iot_job_events`` says about a job.

Pure functions: a job's state as DescribeJob showed it (JobView), and the
one event that says how it changed since the last event (job_event).  The
poll loop (job_watch.py) only does I/O around them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Mapping, Optional

from ansible_collections.iotops.aws.plugins.module_utils.shaping import execution_counts
from ansible_collections.iotops.aws.plugins.module_utils.wait_decision import DEFAULT_FAIL_ON, GatePolicy

JOB_STARTED = "job_started"
JOB_PROGRESS = "job_progress"
EXECUTIONS_FAILED = "executions_failed"
JOB_COMPLETED = "job_completed"
JOB_CANCELED = "job_canceled"
JOB_DELETED = "job_deleted"
EVENT_TYPES = (JOB_STARTED, JOB_PROGRESS, EXECUTIONS_FAILED, JOB_COMPLETED, JOB_CANCELED, JOB_DELETED)

# The statuses that count as failures: the wait's default fail_on, so that
# the guard and the gate measure a rollout alike.
FAILURE_STATUSES = tuple(sorted(DEFAULT_FAIL_ON))
# A job in these statuses is over; its last event is sent and it is dropped.
_ENDED = {"COMPLETED": JOB_COMPLETED, "CANCELED": JOB_CANCELED, "DELETION_IN_PROGRESS": JOB_DELETED}
# The members an event compares with the previous event of the same job.
COMPARED = ("status", "counts", "executions", "failures", "failure_share", "over_limit")


@dataclass(frozen=True)
class FailureLimit:
    """The guard's rule: more than ``max_failure_percent`` of the job's
    executions in a failure status, once it has ``min_executions``.  The
    percentage is the wait's ``max_failure_percent``, over the same total."""

    max_failure_percent: float
    min_executions: int = 1

    def over(self, failures, executions):
        return executions >= self.min_executions and GatePolicy(
            max_failure_percent=self.max_failure_percent).exceeded(failures, executions)

    def as_dict(self):
        return dict(max_failure_percent=self.max_failure_percent, min_executions=self.min_executions)


@dataclass(frozen=True)
class JobView:
    """One job as DescribeJob showed it; ``status`` None means it is gone."""

    job_id: str
    status: Optional[str]
    counts: Mapping[str, int] = field(default_factory=dict)  # lower-case execution status -> executions
    job_arn: Optional[str] = None
    target_selection: Optional[str] = None
    reason_code: Optional[str] = None
    comment: Optional[str] = None

    @classmethod
    def from_job(cls, job):
        """From iotops' shaped DescribeJob item (shaping.shape_job)."""
        counts = dict((status.lower(), count) for status, count in execution_counts(job).items())
        return cls(job["job_id"], job.get("status") or None, counts, job.get("job_arn"), job.get("target_selection"),
                   job.get("reason_code") or None, job.get("comment") or None)

    @classmethod
    def gone(cls, job_id, last=None):
        """A job that DescribeJob no longer finds: deleted.  Its counts are the last seen."""
        return cls(job_id, None, dict(last.counts) if last is not None else {},
                   last.job_arn if last is not None else None, last.target_selection if last is not None else None)

    @property
    def executions(self):
        return sum(self.counts.values())

    @property
    def failures(self):
        return sum(self.counts.get(status.lower(), 0) for status in FAILURE_STATUSES)

    @property
    def failure_share(self):
        """Failures over every execution the job has so far, 0 to 1."""
        return self.failures / float(self.executions) if self.executions else 0.0

    @property
    def ended(self):
        return self.status is None or self.status in _ENDED

    def grown(self, previous):
        """The failure statuses whose count grew since ``previous`` (all of
        them with executions when there is none)."""
        before = previous.counts if previous is not None else {}
        return tuple(status for status in FAILURE_STATUSES
                     if self.counts.get(status.lower(), 0) > before.get(status.lower(), 0))


def event_type(previous, current):
    """The type of the event that ``current`` calls for, or None: no change.

    ``previous`` is the job as last reported (None: never reported).  An
    ended job's type says how it ended; otherwise new failures come first,
    then any other change.
    """
    if current.status is None:
        return JOB_DELETED
    if current.status in _ENDED:
        return _ENDED[current.status]
    if previous is None:
        return JOB_STARTED
    if current.failures > previous.failures:
        return EXECUTIONS_FAILED
    if (current.status, dict(current.counts)) != (previous.status, dict(previous.counts)):
        return JOB_PROGRESS
    return None


def _members(view, limit):
    return dict(status=view.status, counts=dict(view.counts), executions=view.executions,
                failures=view.failures, failure_share=view.failure_share,
                over_limit=limit.over(view.failures, view.executions) if limit is not None else None)


def job_event(previous, current, at, previous_at=None, limit=None, sample=None, tags=None):
    """The event for ``current``, or None when nothing changed.

    ``previous`` is the job as last reported, at ``previous_at``; ``at`` the
    poll's time (ISO 8601); ``limit`` a FailureLimit (None: no ``over_limit``); ``sample``
    tally_failure_reasons' answer for the new failures, when they were
    sampled; ``tags`` the job's tags, when read.  ``changed`` names the
    members that differ from the last event, and ``previous`` holds their
    values then (None for the first event of a job).
    """
    kind = event_type(previous, current)
    if kind is None:
        return None
    members = _members(current, limit)
    before = _members(previous, limit) if previous is not None else None
    if before is None:
        changed = [name for name in COMPARED if members[name] is not None]
    else:
        changed = [name for name in COMPARED if members[name] != before[name]]
    sample = sample or {}
    event = dict(type=kind, job_id=current.job_id, job_arn=current.job_arn, target_selection=current.target_selection)
    event.update(members)
    event.update(
        new_failures=max(0, current.failures - (previous.failures if previous is not None else 0)),
        failure_reasons=sample.get("failure_reasons") or {},
        failure_sample=sample.get("failure_sample"),
        limit=limit.as_dict() if limit is not None else None,
        reason_code=current.reason_code,
        comment=current.comment,
        tags=dict(tags) if tags is not None else None,
        at=at,
        changed=changed,
        previous=dict(before, at=previous_at) if before is not None else None,
    )
    return {"iot_job": event}
