# -*- coding: utf-8 -*-
# Copyright: iotops.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""The event source's rounds: which jobs are in progress, and what changed.

A round is one ListJobs (status IN_PROGRESS, every page) and one DescribeJob
per job in progress; a job that left the list is described once more, for
its last event, then dropped.  With ``include_failures``, new failures are
listed and a bounded sample described for their statusDetails; with
``include_tags``, a job's tags are read when it is first seen and again
when its failures grow.  Every call goes through one client whose
RequestBudget caps the requests a second, retries included, and the calls
run one at a time.

A fault (throttling, 5xx, an unreadable answer) that botocore's retries did
not cure costs the round or the job's turn, never the source; errors that
another try would only repeat (errors.is_fatal) stop it, in one line.
"""

from __future__ import annotations

import datetime
import logging
from dataclasses import dataclass
from typing import Optional

from ansible_collections.iotops.aws.plugins.module_utils.errors import (
    answer_member,
    aws_errors,
    describe_error,
    is_fatal,
    secrets_in,
)
from ansible_collections.iotops.aws.plugins.module_utils.jobs_read import (
    describe_job,
    describe_job_execution,
    job_execution_summaries,
    list_tags_for_resource,
)
from ansible_collections.iotops.aws.plugins.module_utils.shaping import (
    shape_execution,
    shape_execution_summary,
    shape_job,
)
from ansible_collections.iotops.aws.plugins.module_utils.wait_decision import (
    failures_to_sample,
    tally_failure_reasons,
)
from ansible_collections.iotops.aws.plugins.plugin_utils.job_events import JobView, job_event

PAGE_SIZE = 100  # ListJobs' largest page
LOG = logging.getLogger("iotops.aws.iot_job_events")


class SourceStopped(Exception):
    """An error that another round would only repeat; the message is one line."""


@dataclass
class _Tracked:
    view: JobView
    at: str
    tags: Optional[dict] = None
    reported_failures: frozenset = frozenset()  # (thing, execution number) already in a sample


def _now():
    return datetime.datetime.now(datetime.timezone.utc).isoformat()


class JobWatch:
    """The jobs seen so far and the client; ``poll()`` runs one round and
    returns its events.  ``settings`` are the connection settings, for the
    redaction of secrets."""

    def __init__(self, client, options, settings, clock=_now):
        self.client = client
        self.options = options
        self.secrets = secrets_in(settings)
        self.clock = clock
        self.tracked = {}
        self.paused = {}      # back to SCHEDULED (a maintenance window closed): kept for when it resumes
        self.finished = set()  # reported ended, still listed (ListJobs may lag)

    # -- reads --------------------------------------------------------------
    def _list_in_progress(self):
        kwargs = dict(status="IN_PROGRESS", PaginationConfig={"PageSize": PAGE_SIZE})
        if self.options.thing_group:
            kwargs["thingGroupName"] = self.options.thing_group
        ids = []
        for page in self.client.get_paginator("list_jobs").paginate(**kwargs):
            for summary in answer_member(page, "ListJobs", "jobs", list):
                job_id = summary.get("jobId") if isinstance(summary, dict) else None
                if job_id and self.options.selects(job_id):
                    ids.append(job_id)
        return ids

    def _describe(self, job_id, last):
        job = describe_job(self.client, job_id)
        return JobView.gone(job_id, last) if job is None else JobView.from_job(shape_job(job))

    def _sample_failures(self, view, previous, tracked):
        """New failed executions, and a bounded sample of them described."""
        new_items = []
        for status in view.grown(previous):
            for summary in job_execution_summaries(self.client, view.job_id, status):
                item = shape_execution_summary(summary, job_id=view.job_id)
                if (item["thing_name"], item.get("execution_number")) not in tracked:
                    new_items.append(item)
        for item in failures_to_sample(new_items, self.options.failure_reasons_sample):
            execution = describe_job_execution(self.client, view.job_id, item["thing_name"], item.get("execution_number"))
            if execution is not None:
                item.update(shape_execution(execution), status=item["status"])
        return new_items, tally_failure_reasons(new_items)

    # -- one round ----------------------------------------------------------
    def poll(self):
        """One round's events.  Raises SourceStopped for a fatal error."""
        try:
            listed = self._list_in_progress()
        except aws_errors() as exc:
            self._fault(exc, "ListJobs")
            return []
        events = []
        listed_set = set(listed)
        self.finished &= listed_set
        for job_id in listed:
            if job_id not in self.finished:
                events.extend(self._visit(job_id))
        for job_id in [j for j in self.tracked if j not in listed_set]:
            events.extend(self._visit(job_id, left=True))
        return events

    def _visit(self, job_id, left=False):
        entry = self.tracked.get(job_id) or self.paused.get(job_id)
        previous = entry.view if entry is not None else None
        try:
            view = self._describe(job_id, previous)
            if not left and view.status not in (None, "IN_PROGRESS") and not view.ended and previous is None:
                return []  # listed in progress, already SCHEDULED again: seen when it resumes
            tags = entry.tags if entry is not None else None
            sample, reported = None, entry.reported_failures if entry is not None else frozenset()
            grew = view.failures > (previous.failures if previous is not None else 0)
            if self.options.include_failures and grew and view.status is not None:
                items, sample = self._sample_failures(view, previous, reported)
                reported = reported | frozenset((i["thing_name"], i.get("execution_number")) for i in items)
            if self.options.include_tags and view.job_arn and (entry is None or grew) and not view.ended:
                tags = list_tags_for_resource(self.client, view.job_arn)
        except aws_errors() as exc:
            self._fault(exc, "job {0}".format(job_id))
            return []
        at = self.clock()
        event = job_event(previous, view, at, entry.at if entry is not None else None, self.options.limit, sample, tags)
        self.paused.pop(job_id, None)
        if view.ended:
            self.tracked.pop(job_id, None)
            self.finished.add(job_id)
        elif left:  # SCHEDULED again, between maintenance windows
            self.tracked.pop(job_id, None)
            self.paused[job_id] = _Tracked(view, at if event else entry.at, tags, reported)
        elif event is not None or entry is None:
            self.tracked[job_id] = _Tracked(view, at, tags, reported)
        else:
            entry.tags, entry.reported_failures = tags, reported
            self.tracked[job_id] = entry
        return [event] if event is not None else []

    def _fault(self, exc, what):
        line = describe_error(exc, "iot_job_events: {0}".format(what), self.secrets)
        if is_fatal(exc):
            raise SourceStopped(line)
        LOG.warning("%s; trying again in the next round", line)
