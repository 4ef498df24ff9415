# -*- coding: utf-8 -*-
# Copyright: iotops.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""The wording of the rollout gate: its progress lines, its messages and the
comment of the cancel it sends.

The decisions (wait_decision.py) say what happened, as verdicts and
reasons; these functions say it in one line.  Both are pure.
"""

from __future__ import annotations

from ansible_collections.iotops.aws.plugins.module_utils.validation import CANCEL_COMMENT_LIMIT
from ansible_collections.iotops.aws.plugins.module_utils.vocabulary import (
    EXECUTION_CANCELED,
    EXECUTION_IN_PROGRESS,
    EXECUTION_QUEUED,
    EXECUTION_SUCCEEDED,
    JOB_CANCELED,
    PENDING_STATUSES,
    UNSUCCESSFUL_STATUSES,
)
from ansible_collections.iotops.aws.plugins.module_utils.wait_decision import (
    FAILED,
    REASON_BEING_DELETED,
    REASON_JOB_CANCELED,
    REASON_NEVER_GOT_EXECUTION,
    REASON_NO_EXECUTIONS,
    REASON_TOO_FEW_EXECUTIONS,
    TIMED_OUT,
)

DEFAULT_CANCEL_REASON_CODES = {FAILED: "GATE_FAILED", TIMED_OUT: "GATE_TIMED_OUT"}


def limit_text(policy):
    """'max_failures 0' or 'max_failure_percent 2.5': the limit the gate applies."""
    if policy.max_failure_percent is not None:
        return "max_failure_percent {0:g}".format(policy.max_failure_percent)
    return "max_failures {0}".format(policy.max_failures or 0)


def cancel_request(state, verdict, policy, cancel, timeout):
    """CancelJob's reason_code, comment and force: the task's, or defaults
    that record the counts and the limit."""
    comment = cancel.comment
    if comment is None:
        counts = _counts_text(verdict.counts) if verdict is not None else "none seen"
        if state == FAILED:
            comment = "Canceled by the rollout gate: {0} of {1} executions failed, over the limit ({2}); executions: {3}".format(
                verdict.failures, verdict.total, limit_text(policy), counts)
        else:
            comment = "Canceled by the rollout gate: timed out after {0:g} s (limit: {1}); executions: {2}".format(
                timeout, limit_text(policy), counts)
        if len(comment) > CANCEL_COMMENT_LIMIT:
            comment = comment[:CANCEL_COMMENT_LIMIT - 3] + "..."
    return dict(reason_code=cancel.reason_code or DEFAULT_CANCEL_REASON_CODES[state], comment=comment,
                force=bool(cancel.force))


def cancel_request_text(fields):
    """CancelJob's fields as sent: 'reason code GATE_FAILED, with force'."""
    return "reason code {0}{1}".format(fields["reason_code"], ", with force" if fields["force"] else "")


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


def _job_canceled_text(job):
    """How the job was canceled, as DescribeJob says: 'the job was canceled (reason code GATE_FAILED: "Stopped by the gate")'."""
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
    if job.status == JOB_CANCELED:
        return _job_canceled_text(job)
    if job.scheduled:
        return _schedule_text(job, total)
    return ""


def progress_line(job_id, counts, elapsed, remaining, expected=None, job=None):
    """One line for the play's output while the gate waits."""
    total = expected if expected is not None else sum(counts.values())
    unsuccessful = sum(counts.get(s, 0) for s in UNSUCCESSFUL_STATUSES)
    note = _job_note(job, sum(counts.values()))
    return "{0}: {1}{2}/{3} succeeded, {4} failed, {5} in progress, {6} queued - {7} elapsed, {8} left".format(
        job_id, note + " - " if note else "", counts.get(EXECUTION_SUCCEEDED, 0), total, unsuccessful,
        counts.get(EXECUTION_IN_PROGRESS, 0), counts.get(EXECUTION_QUEUED, 0), _duration(elapsed), _duration(remaining),
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
        if verdict.job_status == JOB_CANCELED:
            return "Job {0}: {1} before any execution was created".format(job_id, _job_canceled_text(verdict.job))
        return "Job {0} is {1} with no executions: its targets matched no thing".format(job_id, verdict.job_status)
    if reason == REASON_JOB_CANCELED:
        message = "Job {0}: {1}; executions: {2}".format(job_id, _job_canceled_text(verdict.job), _counts_text(verdict.counts))
        # The canceled executions are the cancel's doing; name the devices that failed.
        failed_items = [item for item in failed_items if item.get("status") != EXECUTION_CANCELED]
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
        job_id, failures, max(verdict.total, failures), limit_text(policy), describe_executions(failed_items))
    still = sum(verdict.counts.get(s, 0) for s in PENDING_STATUSES)
    if still:
        message += "; {0} still pending".format(still)
    return _with_note(message, verdict)


def success_message(job_id, verdict, policy):
    return _with_note("Job {0}: all {1} executions finished; {2} in a fail_on status (limit: {3})".format(
        job_id, verdict.total, verdict.failures, limit_text(policy)), verdict)


def missing_job_message(job_id, last_seen=None, where=""):
    """The job is gone: never there (``where``: jobs_read.location_text), or deleted while the gate waited."""
    if last_seen is None:
        return " ".join(filter(None, ["Job {0} does not exist".format(job_id), where]))
    return "Job {0} was deleted while the gate waited on it (last seen {1}; executions: {2})".format(
        job_id, last_seen.status or "without a status", _counts_text(dict((s, n) for s, n in last_seen.counts.items() if n)))


def missing_group_message(group, where=""):
    """The stage's thing group is not there: never was, or deleted while the gate waited."""
    return "Thing group {0} does not exist{1}".format(group, " " + where if where else "")


def missing_things_message(job_id, things):
    """Named things that do not exist: no rollout will ever reach them."""
    return "Job {0}: thing_names names things that do not exist: {1}".format(job_id, _names(list(things)))


def check_mode_message(job_id, verdict, last_error=None):
    """Check mode polls once; when that poll decided nothing yet."""
    if verdict is None:
        message = "Job {0}: check mode: the one poll failed".format(job_id)
    else:
        message = "Job {0}: check mode: not decided after one poll; executions: {1}".format(
            job_id, _counts_text(verdict.counts))
        if verdict.missing:
            message += "; no execution yet: {0}".format(_names(list(verdict.missing)))
    if last_error:
        message += "; {0}".format(last_error)
    return message


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
        pending = dict((s, verdict.counts.get(s, 0)) for s in (EXECUTION_QUEUED, EXECUTION_IN_PROGRESS) if verdict.counts.get(s))
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
