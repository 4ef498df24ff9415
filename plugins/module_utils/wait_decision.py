# -*- coding: utf-8 -*-
# Copyright: iotops.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""When a rollout gate is done, and whether it passed.

Everything here is a pure function of what the last poll saw, so the poll
loop around it (waiter.py) only does I/O, and every rule is unit-tested
without an endpoint.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Mapping, Optional

from ansible_collections.iotops.aws.plugins.module_utils.shaping import COUNT_KEY_OF_STATUS
from ansible_collections.iotops.aws.plugins.module_utils.validation import CANCEL_COMMENT_LIMIT
from ansible_collections.iotops.aws.plugins.module_utils.vocabulary import (
    PENDING_STATUSES,
    RETRYABLE_STATUSES,
    TERMINAL_STATUSES,
)

WAITING = "waiting"
SUCCEEDED = "succeeded"
FAILED = "failed"
TIMED_OUT = "timed_out"  # the task's verdict only: no poll decides it
# Fleet mode only: retryable failures exist and whether their retries are
# used up decides the verdict; the caller lists them and asks again.
NEEDS_RETRY_DETAILS = "needs_retry_details"

# Why a verdict is FAILED; the messages dispatch on these.
REASON_OVER_LIMIT = "over_limit"
REASON_NEVER_GOT_EXECUTION = "never_got_execution"
REASON_BEING_DELETED = "being_deleted"
REASON_JOB_CANCELED = "job_canceled"
REASON_NO_EXECUTIONS = "no_executions"
REASON_TOO_FEW_EXECUTIONS = "too_few_executions"

DEFAULT_FAIL_ON = ("FAILED", "TIMED_OUT", "REJECTED", "REMOVED", "CANCELED")
# Job statuses after which AWS neither creates nor retries executions.
# SCHEDULED is not one: the job has not started, or waits for its next
# maintenance window, and will roll out (and retry) again.
_JOB_OVER = ("COMPLETED", "CANCELED", "DELETION_IN_PROGRESS")


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
        counts = dict((status, int(details.get(key) or 0)) for status, key in COUNT_KEY_OF_STATUS.items())
        criteria = (job.get("job_executions_retry_config") or {}).get("criteria_list") or []
        limits = dict((c.get("failure_type"), int(c.get("number_of_retries") or 0)) for c in criteria)
        rollouts = job.get("scheduled_job_rollouts")
        return cls(job["job_id"], job.get("status") or "", bool(details.get("processing_targets")), counts, limits,
                   job.get("reason_code") or None, job.get("comment") or None, job.get("scheduling_config") or None,
                   tuple(rollouts) if rollouts else None)

    @property
    def over(self):
        return self.status in _JOB_OVER

    @property
    def scheduled(self):
        return self.status == "SCHEDULED"

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

    def describe_limit(self):
        if self.max_failure_percent is not None:
            return "max_failure_percent {0:g}".format(self.max_failure_percent)
        return "max_failures {0}".format(self.max_failures or 0)


@dataclass(frozen=True)
class CancelPolicy:
    """Whether the gate cancels the job when it fails, and CancelJob's own
    fields; None means the default that cancel_request() fills in."""

    on_failure: bool = False
    on_timeout: bool = False
    reason_code: Optional[str] = None
    comment: Optional[str] = None
    force: bool = False


DEFAULT_CANCEL_REASON_CODES = {FAILED: "GATE_FAILED", TIMED_OUT: "GATE_TIMED_OUT"}


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
    if job.status == "DELETION_IN_PROGRESS":
        return Verdict(FAILED, reason=REASON_BEING_DELETED, **verdict)
    # Stopped by an operator or by the job's abortConfig: whatever the
    # thresholds, the stage did not roll out.  Report-only mode reports it.
    if job.status == "CANCELED" and not policy.report_only:
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
    if job.status == "CANCELED" and not policy.report_only:
        return Verdict(FAILED, reason=REASON_JOB_CANCELED, **verdict)
    if policy.exceeded(failures, most):
        return Verdict(FAILED, reason=REASON_OVER_LIMIT, **verdict)
    if job.over and not unsettled and seen < policy.min_executions:
        return Verdict(FAILED, reason=REASON_NO_EXECUTIONS if seen == 0 else REASON_TOO_FEW_EXECUTIONS, **verdict)
    if not unsettled and not job.rolling_out and not job.scheduled and seen >= policy.min_executions:
        return Verdict(SUCCEEDED, **verdict)
    return Verdict(WAITING, **verdict)


def missing_group_message(group, region):
    """The stage's thing group is not there: never was, or deleted while the gate waited."""
    return "Thing group {0} does not exist in region {1}".format(group, region or "(unknown)")


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


def cancel_request(state, verdict, policy, cancel, timeout):
    """CancelJob's reason_code, comment and force: the task's, or defaults
    that record the counts and the limit."""
    comment = cancel.comment
    if comment is None:
        counts = _counts_text(verdict.counts) if verdict is not None else "none seen"
        if state == FAILED:
            comment = "Canceled by the rollout gate: {0} of {1} executions failed, over the limit ({2}); executions: {3}".format(
                verdict.failures, verdict.total, policy.describe_limit(), counts)
        else:
            comment = "Canceled by the rollout gate: timed out after {0:g} s (limit: {1}); executions: {2}".format(
                timeout, policy.describe_limit(), counts)
        if len(comment) > CANCEL_COMMENT_LIMIT:
            comment = comment[:CANCEL_COMMENT_LIMIT - 3] + "..."
    return dict(reason_code=cancel.reason_code or DEFAULT_CANCEL_REASON_CODES[state], comment=comment,
                force=bool(cancel.force))


def cancel_text(fields):
    """'reason code GATE_FAILED, with force'."""
    return "reason code {0}{1}".format(fields["reason_code"], ", with force" if fields["force"] else "")


# Statuses a device reports, with statusDetails worth reading; CANCELED and
# REMOVED are an operator's or AWS's doing and usually carry none.
_DEVICE_STATUSES = ("FAILED", "REJECTED", "TIMED_OUT")


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


def top_reasons_text(reasons, sample, limit=3):
    """'top reasons in 48 of 312 failures: reason=flash write error (41), ...'; '' when none."""
    pairs = sorted(((count, key, value) for key, values in reasons.items() for value, count in values.items()),
                   key=lambda pair: (-pair[0], pair[1], pair[2]))
    if not pairs:
        return ""
    shown = ", ".join("{0} ({1})".format(_details_text({key: " ".join(value.split())}, limit=60), count)
                      for count, key, value in pairs[:limit])
    if len(pairs) > limit:
        shown += " and {0} more".format(len(pairs) - limit)
    return "top reasons in {0} of {1} failures: {2}".format(sample["sampled"], sample["failed"], shown)


def _duration(seconds):
    seconds = int(max(0, round(seconds)))
    if seconds >= 3600:
        return "{0}h{1:02d}m".format(seconds // 3600, seconds % 3600 // 60)
    if seconds >= 60:
        return "{0}m{1:02d}s".format(seconds // 60, seconds % 60)
    return "{0}s".format(seconds)


def _schedule_text(job, total):
    """Why a SCHEDULED job is not rolling out, and until when."""
    if job.has_maintenance_windows and (total or job.next_rollout):
        text = "the job is SCHEDULED, between maintenance windows" if total else \
            "the job is SCHEDULED, waiting for its first maintenance window"
        if job.next_rollout:
            text += " (next at {0})".format(job.next_rollout)
        return text
    if job.start_time:
        return "the job is still SCHEDULED, to start at {0}".format(job.start_time)
    return "the job is still SCHEDULED"


def _cancel_text(job):
    """'the job was canceled (reason code GATE_FAILED: "Stopped by the gate")'."""
    text = "the job was canceled"
    details = []
    if job.reason_code:
        details.append("reason code {0}".format(job.reason_code))
    if job.comment:
        details.append('"{0}"'.format(" ".join(job.comment.split())))
    return text + (" ({0})".format(": ".join(details)) if details else "")


def _job_note(job, total):
    """What the job's own status adds to a message, or ''."""
    if job is None:
        return ""
    if job.status == "CANCELED":
        return _cancel_text(job)
    if job.scheduled:
        return _schedule_text(job, total)
    return ""


def progress_line(job_id, counts, elapsed, remaining, expected=None, job=None):
    """One line for the play's output while the gate waits."""
    total = expected if expected is not None else sum(counts.values())
    unsuccessful = sum(counts.get(s, 0) for s in TERMINAL_STATUSES if s != "SUCCEEDED")
    note = _job_note(job, sum(counts.values()))
    return "{0}: {1}{2}/{3} succeeded, {4} failed, {5} in progress, {6} queued - {7} elapsed, {8} left".format(
        job_id, note + " - " if note else "", counts.get("SUCCEEDED", 0), total, unsuccessful,
        counts.get("IN_PROGRESS", 0), counts.get("QUEUED", 0), _duration(elapsed), _duration(remaining),
    )


def _details_text(details_map, limit=80):
    text = ", ".join("{0}={1}".format(key, value) for key, value in sorted(details_map.items()))
    return text if len(text) <= limit else text[:limit - 3] + "..."


def describe_executions(items, limit=3):
    """'dev-1 FAILED (reason=checksum mismatch), dev-2 TIMED_OUT and 4 more'."""
    shown = []
    for item in items[:limit]:
        details = (item.get("status_details") or {}).get("details_map") or {}
        text = "{0} {1}".format(item.get("thing_name"), item.get("status"))
        if details:
            text += " ({0})".format(_details_text(details))
        shown.append(text)
    text = ", ".join(shown)
    if len(items) > limit:
        text += " and {0} more".format(len(items) - limit)
    return text


def _names(names, limit=10):
    text = ", ".join(names[:limit])
    return text + (" and {0} more".format(len(names) - limit) if len(names) > limit else "")


def _counts_text(counts):
    return ", ".join("{0} {1}".format(counts[s], s) for s in sorted(counts) if counts[s]) or "none"


def _with_note(message, verdict):
    note = _job_note(verdict.job, verdict.total)
    return message + "; " + note if note else message


def failure_message(job_id, verdict, policy, failed_items):
    """One line that says what failed."""
    reason = verdict.reason
    if reason == REASON_NEVER_GOT_EXECUTION:
        return _with_note("Job {0} is {1}, but {2} never got an execution: not a target of the job".format(
            job_id, verdict.job_status, _names(list(verdict.missing))), verdict)
    if reason == REASON_BEING_DELETED:
        return "Job {0} is being deleted".format(job_id)
    if reason == REASON_NO_EXECUTIONS or (reason == REASON_JOB_CANCELED and verdict.total == 0):
        if verdict.job_status == "CANCELED":
            return "Job {0}: {1} before any execution was created".format(job_id, _cancel_text(verdict.job))
        return "Job {0} is {1} with no executions: its targets matched no thing".format(job_id, verdict.job_status)
    if reason == REASON_JOB_CANCELED:
        message = "Job {0}: {1}; executions: {2}".format(job_id, _cancel_text(verdict.job), _counts_text(verdict.counts))
        # The canceled executions are the cancel's doing; name the devices that failed.
        failed_items = [item for item in failed_items if item.get("status") != "CANCELED"]
        if failed_items:
            message += "; failed: {0}".format(describe_executions(failed_items))
        return message
    if reason == REASON_TOO_FEW_EXECUTIONS:
        return _with_note("Job {0} is {1} with {2} executions, fewer than min_executions {3}: {4}".format(
            job_id, verdict.job_status, verdict.total, policy.min_executions, _counts_text(verdict.counts)), verdict)
    # REASON_OVER_LIMIT.  The failed executions are listed after the deciding
    # poll; more may have failed in between, and the count must not trail.
    failures = max(verdict.failures, len(failed_items))
    message = "Job {0}: {1} of {2} executions failed, over the limit ({3}): {4}".format(
        job_id, failures, max(verdict.total, failures), policy.describe_limit(), describe_executions(failed_items))
    still = sum(verdict.counts.get(s, 0) for s in PENDING_STATUSES)
    if still:
        message += "; {0} still pending".format(still)
    return _with_note(message, verdict)


def success_message(job_id, verdict, policy):
    return _with_note("Job {0}: all {1} executions finished; {2} in a fail_on status (limit: {3})".format(
        job_id, verdict.total, verdict.failures, policy.describe_limit()), verdict)


def job_result(job):
    """The job's own state for the wait's result; None for what AWS left out."""
    if job is None:
        return dict(job_status=None, reason_code=None, comment=None, scheduling_config=None, scheduled_job_rollouts=None)
    return dict(job_status=job.status or None, reason_code=job.reason_code, comment=job.comment,
                scheduling_config=dict(job.scheduling_config) if job.scheduling_config else None,
                scheduled_job_rollouts=list(job.scheduled_job_rollouts) if job.scheduled_job_rollouts else None)


def missing_job_message(job_id, last_seen=None):
    """The job is gone: never there, or deleted while the gate waited."""
    if last_seen is None:
        return "Job {0} does not exist".format(job_id)
    return "Job {0} was deleted while the gate waited on it (last seen {1}; executions: {2})".format(
        job_id, last_seen.status or "without a status", _counts_text(dict((s, n) for s, n in last_seen.counts.items() if n)))


def timeout_message(job_id, timeout, verdict, job, last_error=None, policy=None):
    if verdict is None:
        message = "Job {0}: timed out after {1:g} s without a successful poll".format(job_id, timeout)
    elif verdict.pending or verdict.missing:
        message = "Job {0}: timed out after {1:g} s with {2} of {3} executions not finished".format(
            job_id, timeout, len(verdict.pending) + len(verdict.missing), verdict.total)
        if verdict.pending:
            message += "; pending: {0}".format(_names(list(verdict.pending)))
        if verdict.missing:
            message += "; never appeared: {0}".format(_names(list(verdict.missing)))
    else:
        pending = dict((s, verdict.counts.get(s, 0)) for s in ("QUEUED", "IN_PROGRESS") if verdict.counts.get(s))
        message = "Job {0}: timed out after {1:g} s; still pending: {2}".format(
            job_id, timeout, ", ".join("{0} {1}".format(n, s) for s, n in pending.items()) or "none")
        if job is not None and job.rolling_out:
            message += "; the rollout is still creating executions"
        elif job is not None and verdict.total == 0 and not job.scheduled:
            message += "; no executions yet: the job's targets have matched no thing so far"
        if policy is not None and 0 < verdict.total < policy.min_executions:
            message += "; {0} executions, fewer than min_executions {1}".format(verdict.total, policy.min_executions)
    if verdict is not None and job is not None:
        note = _job_note(job, sum(verdict.counts.values()))
        if note:
            message += "; " + note
    if last_error:
        message += "; {0}".format(last_error)
    return message
