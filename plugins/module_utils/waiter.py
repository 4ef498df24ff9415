# -*- coding: utf-8 -*-
# Copyright: iotops.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""The poll loop of iot_job_execution_wait: I/O around wait_decision.

Stage mode (thing_group) has its own poller, StagePoller, whose docstring
says what it reads and why its verdict stays exact.

Each round reads the job once (DescribeJob) and then as few execution
reads as answer the question: in fleet mode the job's own counts; for
named things either the job's execution list or one describe per
unfinished thing, whichever is cheaper, never more than
ceil(N / 250) + 2 calls for N things.  When the named things are all of
the job's executions, their counts are the job's, and a round that only
shows them still working needs no more than DescribeJob.  When the gate
fails, and the task asks for it, the job is canceled before anything else
is read.  Details of failed executions are fetched once, at the end, for
the message and the failure reasons.
"""

from __future__ import annotations

import contextlib
import dataclasses
import itertools
import math
import os
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Callable, Optional

from ansible_collections.iotops.aws.plugins.module_utils.errors import (
    RetryDeadlineReached,
    aws_errors,
    describe_error,
    error_code,
    error_fields,
    is_fatal,
    is_unanswered,
)
from ansible_collections.iotops.aws.plugins.module_utils.jobs_read import (
    PAGE_SIZE,
    ExecutionPages,
    describe_job,
    describe_job_execution,
    job_execution_summaries,
    location_text,
    thing_arn,
    thing_execution_summaries,
    thing_group_members,
)
from ansible_collections.iotops.aws.plugins.module_utils.job_plan import cancel_job_request
from ansible_collections.iotops.aws.plugins.module_utils.jobs_write import cancel_job
from ansible_collections.iotops.aws.plugins.module_utils.polling import Deadline, poll_until
from ansible_collections.iotops.aws.plugins.module_utils.shaping import (
    shape_execution,
    shape_execution_summary,
    shape_job,
)
from ansible_collections.iotops.aws.plugins.module_utils.validation import thing_group_name
from ansible_collections.iotops.aws.plugins.module_utils.vocabulary import (
    EXECUTION_SUCCEEDED,
    JOB_CANCELED,
    PENDING_STATUSES,
    RETRYABLE_STATUSES,
    TERMINAL_STATUSES,
    UNSUCCESSFUL_STATUSES,
)
from ansible_collections.iotops.aws.plugins.module_utils.wait_decision import (
    FAILED,
    NEEDS_RETRY_DETAILS,
    SUCCEEDED,
    TIMED_OUT,
    WAITING,
    CancelPolicy,
    GatePolicy,
    JobSnapshot,
    Observed,
    cancel_due,
    decide_fleet,
    decide_stage,
    decide_things,
    failures_to_sample,
    is_final,
    job_result,
    tally_failure_reasons,
)
from ansible_collections.iotops.aws.plugins.module_utils.wait_messages import (
    cancel_request,
    cancel_request_text,
    check_mode_message,
    failure_message,
    missing_group_message,
    missing_job_message,
    missing_things_message,
    success_message,
    timeout_message,
    top_reasons_text,
)

# Failed executions described at most, for their statusDetails: 50
# DescribeJobExecution calls take 5 s at AWS's 10 TPS.
DEFAULT_FAILURE_REASONS_SAMPLE = 50
# Reads after the verdict are tried again after a garbled answer or a spent
# botocore retry quota, so the report keeps its failed executions.
READS_AFTER_VERDICT = 3
PAUSE_BETWEEN_READS = 1.0
# After a timeout, seconds spent refreshing thing mode's per-thing statuses.
REFRESH_AFTER_TIMEOUT = 20
# Named things without an execution at the first poll that are looked up
# (DescribeThing) to tell a typo from a thing the rollout has not reached:
# 50 calls take 5 s at AWS's 10 TPS.  Things beyond these are waited for.
EXISTENCE_CHECKS = 50


@dataclass
class WaitRequest:
    job_id: str
    thing_names: Optional[list] = None  # None: the whole job
    thing_group: Optional[str] = None   # a stage: this group's members (name or ARN)
    execution_number: Optional[int] = None
    timeout: float = 600
    sleep: float = 5
    delay: float = 0
    policy: GatePolicy = field(default_factory=GatePolicy)
    check_mode: bool = False
    cancel: CancelPolicy = field(default_factory=CancelPolicy)
    failure_reasons_sample: int = DEFAULT_FAILURE_REASONS_SAMPLE


class WaitAborted(Exception):
    """The wait cannot go on: the job is missing, or AWS refused a call.

    ``fields`` holds the refusal's ``error`` and ``response_metadata``.
    """

    def __init__(self, msg, fields=None):
        super().__init__(msg)
        self.fields = fields or {}


class WaitObserver:
    """Hooks around the wait's phases, for code that measures it (the
    benchmark); each does nothing here.  ``on_poll`` is for progress."""

    def round_started(self):
        pass

    def round_ended(self):
        pass

    def reporting_started(self):
        pass


class ParentWatch:
    """True once the process that started the wait has gone.

    ansible-core detaches its workers into sessions of their own, so a runner
    that kills the play's process group (a cancelled job outside a container)
    would leave the wait behind, polling the account's rate limit until its
    timeout.  Under ``async:`` the parent is Ansible's wrapper, which stays.
    """

    def __init__(self):
        self._parent = os.getppid()

    def __call__(self):
        return os.getppid() != self._parent


def observe(summary, job):
    """An Observed from a list summary, stamped with the job's state now."""
    execution = summary.get("jobExecutionSummary") or {}
    return Observed(execution.get("status"), execution.get("retryAttempt"), job.over)


class FleetPoller:
    """Fleet mode: the job's counts answer; executions are listed only to
    tell exhausted retries apart, and for the report."""

    expected = None  # the job's own total, which grows with the rollout

    def __init__(self, client, request):
        self.client = client
        self.request = request
        self.report_gap = None  # a message: why the report lacks executions it should list

    def poll(self, job):
        verdict = decide_fleet(job, self.request.policy)
        if verdict.state == NEEDS_RETRY_DETAILS:
            verdict = decide_fleet(job, self.request.policy, self._exhausted_retries(job))
        return verdict

    def _exhausted_retries(self, job):
        """Per retryable status, how many executions have no retry left."""
        exhausted = {}
        for status in RETRYABLE_STATUSES:
            if not job.counts.get(status):
                continue
            exhausted[status] = sum(
                1 for summary in job_execution_summaries(self.client, self.request.job_id, status)
                if not job.may_retry(status, observe(summary, job).retry_attempt)
            )
        return exhausted

    def final_verdict(self, job, verdict):
        return verdict

    def final_executions(self, job, read_again, secrets=()):
        """Only what did not succeed; a fleet can be 100,000 strong."""
        statuses = [status for status in sorted(UNSUCCESSFUL_STATUSES) if job.counts.get(status)]
        return _listed_by_status(self, statuses, self._executions_in, read_again, secrets)

    def _executions_in(self, status):
        return [shape_execution_summary(summary, job_id=self.request.job_id)
                for summary in job_execution_summaries(self.client, self.request.job_id, status)]


class ThingPoller:
    """Thing mode: the latest status of each named thing's execution, read
    by listing the job's executions or describing the unfinished things,
    whichever costs fewer calls."""

    report_gap = None

    def __init__(self, client, request, clock):
        self.client = client
        self.request = request
        self.clock = clock
        self.pinned = request.execution_number is not None
        self.verdict = None
        self.observed = {}  # thing -> Observed, as last read
        self.items = {}     # thing -> shaped execution, as last read
        self._next_describe = 0  # where the next round's describes start
        # The job's execution count when a full listing found only named
        # things, and whether rounds since then read the counts only.
        self._total_when_listed = None
        self.counts_only = False
        self._existence_checked = False

    @property
    def expected(self):
        return len(self.request.thing_names)

    def poll(self, job):
        self.verdict = self._poll(job)
        if not self._existence_checked:
            self._check_things_exist(self.verdict.missing)
            self._existence_checked = True
        return self.verdict

    def _check_things_exist(self, without_execution):
        """A thing with an execution exists; look up those without one."""
        absent = [thing for thing in list(without_execution)[:EXISTENCE_CHECKS]
                  if thing_arn(self.client, thing) is None]
        if absent:
            raise WaitAborted(missing_things_message(self.request.job_id, absent))

    def _poll(self, job):
        things = self.request.thing_names
        if not self.pinned and self._counts_show_only_work_in_progress(job):
            self.counts_only = True
            fresh = dict((status, n) for status, n in job.counts.items() if n)
            return dataclasses.replace(self.verdict, counts=fresh, job=job, job_status=job.status)
        self.counts_only = False
        unfinished = [t for t in things if t not in self.observed or not is_final(job, self.observed[t], self.pinned)]
        budget = math.ceil(len(things) / PAGE_SIZE) + 1  # calls left after DescribeJob
        list_cost = max(1, math.ceil(sum(job.counts.values()) / PAGE_SIZE))
        if unfinished and not self.pinned and list_cost <= min(len(unfinished), budget):
            self._list_job_executions(job, set(things))
        else:
            self._describe_each(job, unfinished, budget)
        return decide_things(job, things, self.observed, self.request.policy, self.pinned)

    def _counts_show_only_work_in_progress(self, job):
        """True when the job's counts alone prove the verdict is still
        "waiting": since a full listing, the job's executions have been the
        named things' and no others, some are unfinished, and not enough
        are in a fail_on status to cross the limit."""
        counts = job.counts
        if self._total_when_listed is None or job.rollout_pending or sum(counts.values()) != self._total_when_listed:
            return False
        pending = sum(counts.get(status, 0) for status in PENDING_STATUSES)
        possible_failures = sum(counts.get(status, 0) for status in self.request.policy.fail_on)
        return pending > 0 and not self.request.policy.exceeded(possible_failures, len(self.request.thing_names))

    def _list_job_executions(self, job, wanted, stop_at=None):
        """Read every execution of the job, keeping the named things'.

        Stops early, keeping what it read, once the clock passes ``stop_at``.
        """
        total = others = 0
        self._total_when_listed = None
        for summary in job_execution_summaries(self.client, self.request.job_id):
            if stop_at is not None and self.clock() > stop_at:
                return
            total += 1
            item = shape_execution_summary(summary, job_id=self.request.job_id)
            if item["thing_name"] in wanted:
                self.observed[item["thing_name"]] = observe(summary, job)
                self.items[item["thing_name"]] = item
            else:
                others += 1
        self._total_when_listed = None if others else total

    def _describe_each(self, job, things, budget):
        """Describe unfinished things, rotating through them when a round
        cannot afford them all."""
        if not things:
            return
        start = self._next_describe % len(things)
        calls = 0
        for thing in things[start:] + things[:start]:
            if calls >= budget:
                break
            calls += self._describe_one(job, thing, may_list=calls + 2 <= budget)
            self._next_describe += 1

    def _describe_one(self, job, thing, may_list):
        execution = describe_job_execution(self.client, self.request.job_id, thing, self.request.execution_number)
        if execution is None:
            self.observed.pop(thing, None)
            return 1
        item = shape_execution(execution)
        observed = Observed(item["status"], None, job.over)
        calls = 1
        if may_list and not self.pinned and job.may_retry(item["status"]):
            # DescribeJobExecution omits retryAttempt; the thing's list has it.
            # Without it the failure stays pending, and a later round asks.
            calls += 1
            for summary in thing_execution_summaries(self.client, thing, job_id=self.request.job_id):
                observed = observe(summary, job)
                latest = shape_execution_summary(summary, thing_name=thing, thing_arn=item["thing_arn"])
                if latest["execution_number"] == item["execution_number"]:
                    item["retry_attempt"] = latest["retry_attempt"]
                else:
                    item = latest  # a retry began between the two calls
        self.observed[thing] = observed
        self.items[thing] = item
        return calls

    def final_verdict(self, job, verdict):
        """Rounds that read counts only left the per-thing statuses as last
        listed; read them again for the report, within a bounded time."""
        if not self.counts_only:
            return verdict
        things = self.request.thing_names
        try:
            self._list_job_executions(job, set(things), stop_at=self.clock() + REFRESH_AFTER_TIMEOUT)
        except aws_errors():
            return verdict  # the report keeps the statuses as last listed
        return decide_things(job, things, self.observed, self.request.policy)

    def final_executions(self, job, read_again, secrets=()):
        return [self.items[t] for t in self.request.thing_names if t in self.items]


class StagePoller:
    """Stage mode: the executions of one thing group's members (child groups
    included), judged with fleet mode's rules.

    The job's counts mix every stage, so each member's own status must be
    read once.  What each round reads, and why the verdict stays exact:

    - The membership, every round (ListThingsInThingGroup, recursive:
      ceil(M / 250) calls for M members).  AWS IoT keeps no version or
      change marker for a group's members, so nothing cheaper proves that
      nobody joined or left; a thing that joins counts from the next round.
    - Statuses are only ever read, never inferred from a member's absence
      in a list: a list paged while executions move between statuses can
      skip one, and a skipped member must stay "not seen", never become a
      success.  What is read is a fact about one moment; a final status
      (is_final: terminal, and no retry left or possible) stays true, so a
      member seen final is never read again, and one seen pending is read
      again until it is final.
    - ListJobExecutionsForJob takes a status, and DescribeJob counts each
      status job-wide: a status with no execution costs no call, QUEUED and
      IN_PROGRESS are never listed (not seen is "not final", all the verdict
      needs), and a status no execution ever leaves (SUCCEEDED, REJECTED,
      REMOVED, CANCELED; FAILED and TIMED_OUT when the job cannot retry
      them) holds the same executions while its count holds, so it is not
      listed again until the count moves or a member joins.  (An execution
      deleted by DeleteJobExecution as another arrives would escape this, as
      it escapes the job's counts.)  The failures are listed first, and
      once they decide, SUCCEEDED is not read.
    - When fewer members are unsettled than the lists have pages left, they
      are described one by one instead; a describe also proves that a
      member has no execution yet.
    - A list longer than a round's budget is read over several rounds from
      where it stopped: a pass over a status no execution leaves sees every
      execution that was in it when the pass began.
    - Once nothing is QUEUED or IN_PROGRESS job-wide, no rollout is left and
      every list is current (read to its end at the count the job shows), a
      member in no list has no execution and, as in fleet mode for the
      things the rollout never reached, is not counted.  Before that, a
      member never seen may or may not have an execution: a limit in percent
      fails only when it is over for the largest total the stage can have.

    Cost: DescribeJob, the membership, and at most thing mode's budget for
    M things for the executions (ceil(M / 250) + 1 calls after DescribeJob),
    in all at most 2 * ceil(M / 250) + 2 calls a round; thing mode's own
    ceil(M / 250) + 2 cannot hold once the membership alone takes
    ceil(M / 250).  A stage whose job has many more executions than members
    pays for the job's long SUCCEEDED list, a share of a round at a time.

    Per member it keeps a name and a shared Observed, not a shaped
    execution, so a stage of 90,000 stays small; the report lists the
    members' executions that did not succeed, at the end.
    """

    report_gap = None

    def __init__(self, client, request):
        self.client = client
        self.request = request
        self.group = thing_group_name(request.thing_group)
        self.members = set()
        self.seen = {}           # member -> Observed, as last read; absent: not seen
        self.absent = set()      # members a describe found without an execution, this round
        self._interned = {}
        self._listed = {}        # status -> job-wide count when last listed in full
        self._passes = {}        # status -> (token, pages read, count at its start): a list under way
        self._next_describe = 0
        self.calls = 0           # execution reads in the last round, for tests

    @property
    def expected(self):
        return len(self.members)

    def poll(self, job):
        members = thing_group_members(self.client, self.group)
        if members is None:
            raise WaitAborted(missing_group_message(self.group, location_text(self.client)))
        if members - self.members:
            # A newcomer may sit in any list, read while it was not a member.
            self._listed.clear()
            self._passes.clear()
        for gone in self.members - members:
            self.seen.pop(gone, None)
        self.members = members
        self.absent = set()  # found without an execution this round; the rollout may reach them later
        self.calls = 0
        return self._decide(job, self._read(job))

    # -- reads ------------------------------------------------------------
    def _observed(self, summary, job):
        observed = observe(summary, job)
        return self._interned.setdefault(observed, observed)

    def _unsettled(self, job):
        return [m for m in self.members if m not in self.absent
                and (m not in self.seen or not is_final(job, self.seen[m]))]

    def _stale_statuses(self, job):
        """The terminal statuses a complete read must list this round; the
        failures first, SUCCEEDED (the longest) last."""
        stale = []
        for status in sorted(TERMINAL_STATUSES, key=lambda status: (status == EXECUTION_SUCCEEDED, status)):
            count = job.counts.get(status, 0)
            if not count:
                self._listed.pop(status, None)
                self._passes.pop(status, None)
                continue
            append_only = not job.may_retry(status)
            if not append_only or self._listed.get(status) != count:
                stale.append(status)
        return stale

    def _read(self, job):
        """Read what the round needs; True when every status list is current
        (listed in full since its count last moved)."""
        unsettled = self._unsettled(job)
        stale = self._stale_statuses(job)
        if not unsettled:
            return not stale
        if not sum(job.counts.values()):
            return True  # the job has no execution at all
        budget = math.ceil(max(len(self.members), 1) / PAGE_SIZE) + 1
        if len(unsettled) < self._pages_left(job, stale):
            self._describe_some(job, unsettled, budget)
            return False
        current = True
        for status in stale:
            if self.calls >= budget or (status == EXECUTION_SUCCEEDED and self._decide(job, False).state == FAILED):
                # Out of budget, or the failures listed first already decide.
                return False
            current = self._list_status(job, status, budget - self.calls) and current
        # Members in no list are pending, or have no execution: what is left
        # of the budget asks which, so a member the job never reached does not
        # hold the stage while other stages keep the job busy.
        unseen = [member for member in unsettled if member not in self.seen]
        if unseen and self.calls < budget:
            self._describe_some(job, unseen, budget)
        return current

    def _pages_left(self, job, stale):
        return sum(max(1, math.ceil(job.counts[status] / PAGE_SIZE) - self._passes.get(status, (None, 0, 0))[1])
                   for status in stale)

    def _list_status(self, job, status, pages):
        """List the status, going on from where the last round stopped when
        a list is longer than a round's budget.  True when the list is
        complete and current: read to its end, with the count the job shows
        now.

        A pass over a status no execution leaves sees every execution that
        was in it when the pass began, however many rounds it takes; those
        that arrive behind it are the next pass's."""
        token, done, count = self._passes.pop(status, (None, 0, job.counts[status]))
        pass_pages = ExecutionPages(self.client, self.request.job_id, status, pages, token)
        try:
            for summary in pass_pages:
                thing = _thing_of(summary)
                if thing in self.members:
                    self.seen[thing] = self._observed(summary, job)
        except aws_errors() as exc:
            if token is None or error_code(exc) != "InvalidRequestException":
                raise
            return False  # the token went stale between rounds: the next round starts the pass again
        finally:
            self.calls += pass_pages.pages_read
        if pass_pages.next_token:
            self._passes[status] = (pass_pages.next_token, done + pass_pages.pages_read, count)
            return False
        self._listed[status] = count
        return count == job.counts[status]

    def _describe_some(self, job, unsettled, budget):
        start = self._next_describe % len(unsettled)
        for thing in unsettled[start:] + unsettled[:start]:
            if self.calls >= budget:
                break
            self._next_describe += 1
            self.calls += 1
            execution = describe_job_execution(self.client, self.request.job_id, thing)
            if execution is None:
                self.seen.pop(thing, None)
                self.absent.add(thing)
                continue
            self.absent.discard(thing)
            status = execution.get("status")
            retry_attempt = None
            if job.may_retry(status) and self.calls < budget:
                # DescribeJobExecution omits retryAttempt; the thing's list has it.
                self.calls += 1
                for summary in thing_execution_summaries(self.client, thing, job_id=self.request.job_id):
                    status = (summary.get("jobExecutionSummary") or {}).get("status")
                    retry_attempt = (summary.get("jobExecutionSummary") or {}).get("retryAttempt")
            observed = Observed(status, retry_attempt, job.over)
            self.seen[thing] = self._interned.setdefault(observed, observed)

    # -- the verdict --------------------------------------------------------
    def _decide(self, job, lists_current):
        # Nothing pending job-wide, nothing left to roll out, and every status
        # list current: a member in none of them has no execution.
        quiet = (lists_current and not job.rolling_out and not any(job.counts.get(s) for s in PENDING_STATUSES)
                 # A retry can take an execution out of a list while it is paged.
                 and not any(job.counts.get(s) and job.may_retry(s) for s in RETRYABLE_STATUSES))
        counts = Counter()
        failures = unseen = 0
        unsettled = []
        for member in self.members:
            observed = self.seen.get(member)
            if observed is None:
                # Not seen: pending, or without an execution.  Once nothing is
                # pending job-wide and every status list is current, the latter.
                if member not in self.absent and not quiet:
                    unsettled.append(member)
                    unseen += 1
                continue
            counts[observed.status] += 1
            if not is_final(job, observed):
                unsettled.append(member)
            elif observed.status in self.request.policy.fail_on:
                failures += 1
        return decide_stage(job, counts, failures, len(unsettled), unseen, self.request.policy, sorted(unsettled))

    def final_verdict(self, job, verdict):
        return verdict

    def final_executions(self, job, read_again, secrets=()):
        """The members' executions that did not succeed; a stage can be
        90,000 strong."""
        # A member's status read after the round's DescribeJob is newer than
        # the job's counts: a status either shows is listed.
        seen = {observed.status for observed in self.seen.values()}
        statuses = [status for status in sorted(UNSUCCESSFUL_STATUSES) if job.counts.get(status) or status in seen]
        return _listed_by_status(self, statuses, self._member_executions_in, read_again, secrets)

    def _member_executions_in(self, status):
        items = []
        for summary in job_execution_summaries(self.client, self.request.job_id, status):
            if _thing_of(summary) in self.members:
                items.append(shape_execution_summary(summary, job_id=self.request.job_id))
        return items


def _listed_by_status(poller, statuses, read, read_again, secrets):
    """The executions ``read`` lists in each of ``statuses``; a failed list
    ends the report there, the verdict standing, and ``poller.report_gap``
    says so."""
    executions = []
    for status in statuses:
        try:
            executions.extend(read_again(read, status))
        except aws_errors() as exc:
            poller.report_gap = describe_error(exc, "could not list the {0} executions".format(status), secrets)
            break
    return executions


def _thing_of(summary):
    """The thing name at the end of a list summary's thingArn."""
    return (summary.get("thingArn") or "").rsplit("/", 1)[-1]


class Waiter:
    """Polls until the decision is final or the deadline passes.

    ``on_poll(progress)`` is called after every successful round, with the
    job id, status counts, elapsed and remaining seconds, and the expected
    number of executions (None in fleet mode).
    """

    def __init__(self, client, request, retry_bounds=None, clock=time.monotonic, sleep=time.sleep,
                 on_poll: Optional[Callable] = None, secrets=(), orphaned: Optional[Callable] = None,
                 observer: Optional[WaitObserver] = None):
        self.client = client
        self.request = request
        self.retry_bounds = retry_bounds
        self.clock = clock
        self.sleep = sleep
        self.on_poll = on_poll
        self.secrets = secrets
        self.orphaned = orphaned or ParentWatch()
        self.observer = observer or WaitObserver()
        if request.thing_group is not None:
            self.poller = StagePoller(client, request)
        elif request.thing_names is None:
            self.poller = FleetPoller(client, request)
        else:
            self.poller = ThingPoller(client, request, clock)
        self.job = None
        self.verdict = None
        self.polls = 0
        self.timeline = []
        self.last_failure = None  # of the last round, when it failed

    # -- the loop -------------------------------------------------------
    def run(self):
        request = self.request
        deadline = Deadline(request.timeout, self.clock)
        if self.retry_bounds is not None:
            # No retry of a call is sent after the deadline.
            self.retry_bounds.not_after = deadline.at
        if request.delay:
            self._pause(min(request.delay, request.timeout))
        poll_until(lambda: self._round(deadline), lambda _: self._decided(), deadline, itertools.repeat(request.sleep),
                   sleep=self._pause)
        self.observer.reporting_started()
        return self._result(deadline.started, self.last_failure)

    def _round(self, deadline):
        self.polls += 1
        self.observer.round_started()
        try:
            self.verdict = self._poll()
            self.last_failure = None
        except WaitAborted:
            raise
        except aws_errors() as exc:
            if is_fatal(exc):
                raise WaitAborted(describe_error(exc, "Failed to poll job {0}".format(self.request.job_id), self.secrets),
                                  error_fields(exc, self.secrets))
            # Throttled or transient even after botocore's retries: the
            # next round tries again; never read as a device failure.
            self.last_failure = exc
        else:
            self._record(deadline.started, deadline.at)
        finally:
            self.observer.round_ended()

    def _decided(self):
        """Whether the wait is over before its deadline: a final verdict, or check mode's one round."""
        return self.request.check_mode or (self.verdict is not None and self.verdict.state != WAITING)

    def _pause(self, seconds):
        """Sleep, a second at a time, while someone is still waiting on us."""
        end = self.clock() + seconds
        while True:
            if self.orphaned():
                raise WaitAborted("Stopped waiting on job {0}: the play that started the wait is gone".format(
                    self.request.job_id))
            left = end - self.clock()
            if left <= 0:
                return
            self.sleep(min(left, 1.0))

    def _record(self, started, deadline):
        now = self.clock()
        counts = dict(self.verdict.counts)
        self.timeline.append({"at": round(now - started, 1), "job_status": self.job.status, "counts": counts})
        if self.on_poll is not None:
            self.on_poll(dict(job_id=self.request.job_id, counts=counts, elapsed=now - started,
                              remaining=max(0.0, deadline - now), expected=self.poller.expected, job=self.job))

    def _poll(self):
        """One round: DescribeJob, then whatever the mode's poller needs."""
        job = describe_job(self.client, self.request.job_id)
        if job is None:
            # Seen before: deleted while the gate waited, not a typo.
            raise WaitAborted(missing_job_message(self.request.job_id, self.job, location_text(self.client)))
        self.job = JobSnapshot.from_job(shape_job(job))
        return self.poller.poll(self.job)

    # -- the result -------------------------------------------------------
    def _result(self, started, last_failure):
        request = self.request
        if self.verdict is not None:
            self.verdict = self.poller.final_verdict(self.job, self.verdict)
        verdict = self.verdict
        if verdict is None:
            state = WAITING if request.check_mode else TIMED_OUT
        elif verdict.state == WAITING and not request.check_mode:
            state = TIMED_OUT
        else:
            state = verdict.state
        # Before any read for the report: every second counts while the
        # rollout notifies devices.
        cancel = self._cancel_if_due(state, verdict)
        executions = self.poller.final_executions(self.job, self._read_after_verdict, self.secrets) if verdict is not None else []
        failed_items = [e for e in executions if e["status"] in request.policy.fail_on]
        self._add_details(failed_items)
        reasons = tally_failure_reasons(failed_items)
        result = dict(
            changed=False,
            verdict=state,
            job_executions=executions,
            status_counts=dict(verdict.counts) if verdict is not None else {},
            polls=self.polls,
            timeline=self.timeline,
            elapsed=round(self.clock() - started, 3),
            canceled=False,
            **dict(reasons, **job_result(self.job))
        )
        top_reasons = top_reasons_text(reasons["failure_reasons"], reasons["failure_sample"])
        if state == FAILED:
            message = failure_message(request.job_id, verdict, request.policy, failed_items)
            message += "; " + top_reasons if top_reasons else ""
        if request.check_mode:
            if state == FAILED:
                result["msg"] = message
            elif state == SUCCEEDED:
                result["msg"] = success_message(request.job_id, verdict, request.policy)
            else:
                last_error = describe_error(last_failure, "the poll failed", self.secrets) if last_failure else None
                result["msg"] = check_mode_message(request.job_id, verdict, last_error)
            if cancel is not None:
                result.update(changed=True, cancel=cancel["request"], msg="{0}; check mode: would cancel the job ({1})".format(
                    message, cancel_request_text(cancel["request"])))
            return result
        if state == FAILED:
            result.update(failed=True, msg=message)
        elif state == TIMED_OUT:
            last_error = None
            if last_failure is not None:
                last_error = describe_error(last_failure, "the last poll failed", self.secrets)
                result.update(error_fields(last_failure, self.secrets))
            result.update(failed=True, msg=timeout_message(request.job_id, request.timeout, verdict, self.job, last_error,
                                                           request.policy))
        else:
            result["msg"] = success_message(request.job_id, verdict, request.policy)
        if cancel is not None:
            result["cancel"] = cancel["request"]
            if cancel["error"] is None:
                fields = cancel["request"]
                result.update(changed=True, canceled=True, job_status=JOB_CANCELED, reason_code=fields["reason_code"],
                              comment=fields["comment"])
                result["msg"] += "; the gate canceled the job ({0})".format(cancel_request_text(fields))
            else:
                # The cancel's failure is the one a playbook must act on.
                result.update(error_fields(cancel["error"], self.secrets))
                result["msg"] += "; the gate could not cancel the job: {0}".format(
                    describe_error(cancel["error"], "CancelJob failed", self.secrets))
        if self.poller.report_gap:
            result["msg"] += "; " + self.poller.report_gap
        return result

    def _cancel_if_due(self, state, verdict):
        """Cancel the job when the outcome calls for it (never in check mode).

        Returns None when no cancel is due, else ``request`` (the reason
        code, comment and force sent, or that would be) and ``error`` (the
        cancel's failure, or None).
        """
        request = self.request
        job = verdict.job if verdict is not None and verdict.job is not None else self.job
        if not cancel_due(state, verdict, job, request.cancel):
            return None
        fields = cancel_request(state, verdict, request.policy, request.cancel, request.timeout)
        outcome = dict(request=fields, error=None)
        if request.check_mode:
            return outcome
        try:
            with self._retries_past_deadline():
                cancel_job(self.client, cancel_job_request(request.job_id, **fields))
        except aws_errors() as exc:
            outcome["error"] = exc
        return outcome

    @contextlib.contextmanager
    def _retries_past_deadline(self):
        """Let botocore retry a throttled cancel after the deadline: stopping
        the rollout is worth more than a few seconds of the timeout."""
        if self.retry_bounds is None:
            yield
            return
        saved, self.retry_bounds.not_after = self.retry_bounds.not_after, None
        try:
            yield
        finally:
            self.retry_bounds.not_after = saved

    def _read_after_verdict(self, read, *args):
        """``read(*args)``, tried again after an error another try may cure.

        Past the verdict one unanswered call is enough, and a refusal or a
        held-back retry would only repeat: those are raised at once.
        """
        tries_left = READS_AFTER_VERDICT
        while True:
            tries_left -= 1
            try:
                return read(*args)
            except aws_errors() as exc:
                if not tries_left or is_fatal(exc) or is_unanswered(exc) or isinstance(exc, RetryDeadlineReached):
                    raise
            self.sleep(PAUSE_BETWEEN_READS)

    def _add_details(self, failed_items):
        """Describe a bounded sample of the failures for their statusDetails,
        for the message and the failure reasons; items read before are not
        described again."""
        for item in failures_to_sample(failed_items, self.request.failure_reasons_sample):
            try:
                execution = self._read_after_verdict(describe_job_execution, self.client, self.request.job_id,
                                                     item["thing_name"], item.get("execution_number"))
            except aws_errors():
                return  # the message names the failures without their reasons
            if execution is not None:
                retry_attempt = item.get("retry_attempt")
                item.update(shape_execution(execution))
                item["retry_attempt"] = retry_attempt
