# -*- coding: utf-8 -*-
# Copyright: iotops.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""When a rollout gate is done, and whether it passed.

Everything here is a pure function of what the last poll saw, so the poll
loop around it (waiter.py) only does I/O, and every rule is unit-tested
without an endpoint.  The verdicts' wording is in wait_messages.py.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Mapping, Optional

from ansible_collections.iotops.aws.plugins.module_utils.shaping import execution_counts
from ansible_collections.iotops.aws.plugins.module_utils.vocabulary import (
    EXECUTION_CANCELED,
    EXECUTION_FAILED,
    EXECUTION_REJECTED,
    EXECUTION_REMOVED,
    EXECUTION_TIMED_OUT,
    FINISHED_JOB_STATUSES,
    JOB_CANCELED,
    JOB_DELETION_IN_PROGRESS,
    JOB_SCHEDULED,
    PENDING_STATUSES,
    RETRYABLE_STATUSES,
)

WAITING = "waiting"
SUCCEEDED = "succeeded"
FAILED = "failed"
TIMED_OUT = "timed_out"  # the task's verdict only: no poll decides it
# Fleet mode only: retryable failures exist and whether their retries are
# used up decides the verdict; the caller lists them and asks again.
NEEDS_RETRY_DETAILS = "needs_retry_details"

# Why a verdict is FAILED; the messages (wait_messages.py) dispatch on these.
REASON_OVER_LIMIT = "over_limit"
REASON_NEVER_GOT_EXECUTION = "never_got_execution"
REASON_BEING_DELETED = "being_deleted"
REASON_JOB_CANCELED = "job_canceled"
REASON_NO_EXECUTIONS = "no_executions"
REASON_TOO_FEW_EXECUTIONS = "too_few_executions"

DEFAULT_FAIL_ON = (EXECUTION_FAILED, EXECUTION_TIMED_OUT, EXECUTION_REJECTED, EXECUTION_REMOVED, EXECUTION_CANCELED)


@dataclass(frozen=True)
class JobSnapshot:
    """What DescribeJob said about the job, as the decision needs it."""

    job_id: str
    status: str
    rollout_pending: bool
    counts: Mapping[str, int]
    retry_limits: Mapping[str, int] = field(default_factory=dict)
    reason_code: Optional[str] = None
    comment: Optional[str] = None
    scheduling_config: Optional[Mapping] = None
    scheduled_job_rollouts: Optional[tuple] = None

    @classmethod
    def from_job(cls, job):
        """From iotops' shaped DescribeJob item (snake_case keys)."""
        details = job.get("job_process_details") or {}
        criteria = (job.get("job_executions_retry_config") or {}).get("criteria_list") or []
        limits = dict((c.get("failure_type"), int(c.get("number_of_retries") or 0)) for c in criteria)
        rollouts = job.get("scheduled_job_rollouts")
        return cls(job["job_id"], job.get("status") or "", bool(details.get("processing_targets")), execution_counts(job), limits,
                   job.get("reason_code") or None, job.get("comment") or None, job.get("scheduling_config") or None,
                   tuple(rollouts) if rollouts else None)

    @property
    def over(self):
        return self.status in FINISHED_JOB_STATUSES

    @property
    def scheduled(self):
        return self.status == JOB_SCHEDULED

    @property
    def rolling_out(self):
        """Whether AWS may still create executions: never once the job is over,
        whatever ``processingTargets`` still says."""
        return self.rollout_pending and not self.over

    @property
    def start_time(self):
        return (self.scheduling_config or {}).get("start_time")

    @property
    def has_maintenance_windows(self):
        return bool((self.scheduling_config or {}).get("maintenance_windows"))

    @property
    def next_rollout(self):
        """The start of the next maintenance window, when AWS says."""
        for rollout in self.scheduled_job_rollouts or ():
            if isinstance(rollout, Mapping) and rollout.get("start_time"):
                return rollout["start_time"]
        return None

    def retries_allowed(self, status):
        return max(self.retry_limits.get(status, 0), self.retry_limits.get("ALL", 0))

    def may_retry(self, status, retry_attempt=None, over=None):
        """Can AWS still retry an execution in this status?  An unknown
        retry_attempt (None) counts as "maybe".  ``over`` overrides whether
        the job has stopped retrying, for an execution seen earlier."""
        if (self.over if over is None else over) or status not in RETRYABLE_STATUSES:
            return False
        allowed = self.retries_allowed(status)
        return allowed > 0 and (retry_attempt is None or retry_attempt < allowed)


@dataclass(frozen=True)
class Observed:
    """One execution as last seen.

    ``job_over`` records whether the job had stopped retrying when it was
    seen (None: judge by the job at hand).  A failure seen while the job was
    still retrying stays unfinished until it is seen again, even if the job
    has ended since: it may have been retried, and succeeded.
    """

    status: str
    retry_attempt: Optional[int] = None
    job_over: Optional[bool] = None


def is_final(job, observed, pinned=False):
    """Whether an observed execution has its last status.

    ``pinned`` means a specific execution number is waited on: a retry
    would be another execution, so a terminal status is final.
    """
    if observed.status in PENDING_STATUSES:
        return False
    return pinned or not job.may_retry(observed.status, observed.retry_attempt, observed.job_over)


@dataclass(frozen=True)
class GatePolicy:
    fail_on: frozenset = frozenset(DEFAULT_FAIL_ON)
    max_failures: Optional[int] = None
    max_failure_percent: Optional[float] = None
    min_executions: int = 1  # fleet mode: fewer never pass

    @property
    def report_only(self):
        return not self.fail_on

    def exceeded(self, failures, total):
        if self.max_failure_percent is not None:
            return total > 0 and failures * 100.0 > self.max_failure_percent * total
        return failures > (self.max_failures or 0)


@dataclass(frozen=True)
class CancelPolicy:
    """Whether the gate cancels the job when it fails, and CancelJob's own
    fields; None means the default that wait_messages.cancel_request() fills in."""

    on_failure: bool = False
    on_timeout: bool = False
    reason_code: Optional[str] = None
    comment: Optional[str] = None
    force: bool = False


@dataclass(frozen=True)
class Verdict:
    state: str
    counts: Mapping[str, int]
    failures: int = 0
    total: int = 0
    failed: tuple = ()    # thing mode: things final in a fail_on status
    pending: tuple = ()   # thing mode: things with an execution that is not final
    missing: tuple = ()   # thing mode: things with no execution yet
    reason: str = ""
    job_status: str = ""
    job: Optional[JobSnapshot] = None  # as last described, for the messages


def decide_things(job, things, seen, policy, pinned=False):
    """Verdict over named things; ``seen`` maps a thing to its Observed;
    ``pinned`` as for is_final.  A canceled job does not decide by itself
    here: the named things are judged, and the messages say it was canceled."""
    counts = Counter()
    failed, pending, missing = [], [], []
    for thing in things:
        observed = seen.get(thing)
        if observed is None:
            missing.append(thing)
            continue
        counts[observed.status] += 1
        if not is_final(job, observed, pinned):
            pending.append(thing)
        elif observed.status in policy.fail_on:
            failed.append(thing)
    verdict = dict(counts=dict(counts), failures=len(failed), total=len(things), failed=tuple(failed),
                   pending=tuple(pending), missing=tuple(missing), job_status=job.status, job=job)
    if policy.exceeded(len(failed), len(things)):
        return Verdict(FAILED, reason=REASON_OVER_LIMIT, **verdict)
    # A SCHEDULED job is not over: its things get executions when it starts.
    if missing and job.over:
        return Verdict(FAILED, reason=REASON_NEVER_GOT_EXECUTION, **verdict)
    if pending or missing:
        return Verdict(WAITING, **verdict)
    return Verdict(SUCCEEDED, **verdict)


def decide_fleet(job, policy, exhausted=None):
    """Verdict over every execution of the job, from its counts.

    ``exhausted`` maps FAILED and TIMED_OUT to how many executions in that
    status have no retry left, once the caller has listed them.

    Passing needs a job that has started (not SCHEDULED), no targets left to
    roll out, at least ``policy.min_executions`` executions, and every one
    of them final: a continuous job never completes, and an empty one
    proves nothing.
    """
    counts = dict((status, n) for status, n in job.counts.items() if n)
    total = sum(counts.values())
    retrying = [s for s in RETRYABLE_STATUSES if counts.get(s) and job.may_retry(s)]
    unresolved = bool(retrying) and exhausted is None
    settled = dict(counts)
    for status in retrying:
        settled[status] = 0 if unresolved else min(counts[status], exhausted.get(status, 0))
    failures = sum(settled.get(status, 0) for status in policy.fail_on)
    possible = sum(counts.get(status, 0) for status in policy.fail_on)
    awaiting_retry = sum(counts[status] - settled[status] for status in retrying)
    pending = sum(counts.get(status, 0) for status in PENDING_STATUSES)
    verdict = dict(counts=counts, failures=failures, total=total, job_status=job.status, job=job)
    if job.status == JOB_DELETION_IN_PROGRESS:
        return Verdict(FAILED, reason=REASON_BEING_DELETED, **verdict)
    # Stopped by an operator or by the job's abortConfig: whatever the
    # thresholds, the stage did not roll out.  Report-only mode reports it.
    if job.status == JOB_CANCELED and not policy.report_only:
        return Verdict(FAILED, reason=REASON_JOB_CANCELED, **verdict)
    if policy.exceeded(failures, total):
        return Verdict(FAILED, reason=REASON_OVER_LIMIT, **verdict)
    if job.over and total < policy.min_executions:
        return Verdict(FAILED, reason=REASON_NO_EXECUTIONS if total == 0 else REASON_TOO_FEW_EXECUTIONS, **verdict)
    could_pass = (pending == 0 and not job.rolling_out and not job.scheduled and total >= policy.min_executions)
    if unresolved and (policy.exceeded(possible, total) or could_pass):
        return Verdict(NEEDS_RETRY_DETAILS, **verdict)
    if could_pass and awaiting_retry == 0:
        return Verdict(SUCCEEDED, **verdict)
    return Verdict(WAITING, **verdict)


def decide_stage(job, counts, failures, unsettled, unseen, policy, pending=()):
    """Verdict over one stage of the job: the executions of a thing group's
    members, with fleet mode's rules.

    ``counts`` maps a status to the members last seen in it; ``failures``
    is how many of them are final in a ``fail_on`` status; ``unsettled`` how
    many members may still change: pending, a failure with retries left, or
    not seen yet.  ``unseen`` is how many of those were never seen and may
    or may not have an execution: the stage's total is between the members
    seen and that many more, and a limit in percent, or min_executions,
    decides only when both ends agree.  Members proven to have no
    execution are in none of these: like the things a fleet's targets have
    not reached, they are not counted.  ``pending`` names the unsettled
    members, for the timeout's message.
    """
    counts = dict((status, n) for status, n in counts.items() if n)
    seen = sum(counts.values())
    most = seen + unseen
    verdict = dict(counts=counts, failures=failures, total=most, job_status=job.status, job=job, pending=tuple(pending))
    if job.status == "DELETION_IN_PROGRESS":
        return Verdict(FAILED, reason=REASON_BEING_DELETED, **verdict)
    if job.status == JOB_CANCELED and not policy.report_only:
        return Verdict(FAILED, reason=REASON_JOB_CANCELED, **verdict)
    if policy.exceeded(failures, most):
        return Verdict(FAILED, reason=REASON_OVER_LIMIT, **verdict)
    if job.over and not unsettled and seen < policy.min_executions:
        return Verdict(FAILED, reason=REASON_NO_EXECUTIONS if seen == 0 else REASON_TOO_FEW_EXECUTIONS, **verdict)
    if not unsettled and not job.rolling_out and not job.scheduled and seen >= policy.min_executions:
        return Verdict(SUCCEEDED, **verdict)
    return Verdict(WAITING, **verdict)


def cancel_due(state, verdict, job, cancel):
    """Whether the gate's outcome calls for canceling the job.

    A failure cancels only when it is the limit's (not a job canceled,
    deleted or over with too few executions), and a timeout only when asked.
    A job already over is never canceled: an operator or its abortConfig
    canceled it, with a reasonCode that must stay, or it completed.
    """
    if state == FAILED:
        due = cancel.on_failure and verdict is not None and verdict.reason == REASON_OVER_LIMIT
    elif state == TIMED_OUT:
        due = cancel.on_timeout
    else:
        due = False
    return due and not (job is not None and job.over)


# Statuses a device reports, with statusDetails worth reading; CANCELED and
# REMOVED are an operator's or AWS's doing and usually carry none.
_DEVICE_STATUSES = (EXECUTION_FAILED, EXECUTION_REJECTED, EXECUTION_TIMED_OUT)


def failures_to_sample(failed_items, bound):
    """The failed executions to describe for their statusDetails: at most
    ``bound`` of those not yet read, devices' own failures first."""
    unread = [item for item in failed_items if "status_details" not in item]
    unread.sort(key=lambda item: item.get("status") not in _DEVICE_STATUSES)
    return unread[:max(0, bound)]


def tally_failure_reasons(failed_items):
    """``failure_reasons``, a histogram of the statusDetails values per key,
    and ``failure_sample``, how many of the failed executions it reads.

    An item counts as read when it has ``status_details`` (possibly empty:
    ``without_details``); the others were not described.  Values are
    ordered by count, highest first.
    """
    reasons = {}
    sampled = without = 0
    for item in failed_items:
        if "status_details" not in item:
            continue
        sampled += 1
        details = (item.get("status_details") or {}).get("details_map") or {}
        if not details:
            without += 1
        for key, value in details.items():
            reasons.setdefault(key, Counter())[str(value)] += 1
    ordered = dict((key, dict(sorted(values.items(), key=lambda pair: (-pair[1], pair[0]))))
                   for key, values in sorted(reasons.items()))
    return dict(failure_reasons=ordered,
                failure_sample=dict(sampled=sampled, failed=len(failed_items), without_details=without))


def job_result(job):
    """The job's own state for the wait's result; None for what AWS left out."""
    if job is None:
        return dict(job_status=None, reason_code=None, comment=None, scheduling_config=None, scheduled_job_rollouts=None)
    return dict(job_status=job.status or None, reason_code=job.reason_code, comment=job.comment,
                scheduling_config=dict(job.scheduling_config) if job.scheduling_config else None,
                scheduled_job_rollouts=list(job.scheduled_job_rollouts) if job.scheduled_job_rollouts else None)
