"""A simulated fleet of devices working through AWS IoT jobs inside moto.

moto keeps the control plane's state but never moves it: statuses stay
QUEUED, execution and version numbers are always 123, group targets get a
single execution named after the group, and a job's counts never change.
This module edits moto's backend, in the same process, so that jobs behave
as AWS IoT runs them: executions appear at the rollout rate, devices move
through IN_PROGRESS to a terminal status on a script, failed executions are
retried with new execution numbers, and the job's status and
``jobProcessDetails`` follow.

Time is driven by requests: the server calls ``advance()`` before it hands
a request to moto, under the lock that serialises both, so every answer
reflects every event that was due.
"""

from __future__ import annotations

import dataclasses
import datetime
import heapq
import itertools
import math
import threading
import time
from collections import Counter, deque
from urllib.parse import unquote
from typing import Any, Callable

from moto.core import DEFAULT_ACCOUNT_ID
from moto.core.utils import utcnow
from moto.iot import models as iot_models
from moto.iot import responses as iot_responses
from moto.core.responses import ActionResult

from local_endpoint import packages, writes

PENDING = ("QUEUED", "IN_PROGRESS")
# schedulingConfig's and scheduledJobRollouts' time format.
TIME_FORMAT = "%Y-%m-%dT%H:%M"
TERMINAL = ("SUCCEEDED", "FAILED", "TIMED_OUT", "REJECTED", "REMOVED", "CANCELED")
RETRYABLE = ("FAILED", "TIMED_OUT")
COUNT_KEYS = {
    "QUEUED": "numberOfQueuedThings",
    "IN_PROGRESS": "numberOfInProgressThings",
    "SUCCEEDED": "numberOfSucceededThings",
    "FAILED": "numberOfFailedThings",
    "TIMED_OUT": "numberOfTimedOutThings",
    "REJECTED": "numberOfRejectedThings",
    "REMOVED": "numberOfRemovedThings",
    "CANCELED": "numberOfCanceledThings",
}


@dataclasses.dataclass(frozen=True)
class Attempt:
    """One execution's script, in seconds after it was queued.

    ``outcome`` None keeps the device working forever.
    """

    outcome: str | None = "SUCCEEDED"
    start: float = 0.1
    finish: float = 0.3
    details: dict = dataclasses.field(default_factory=dict)
    progress: dict = dataclasses.field(default_factory=lambda: {"progressPercent": "50"})

    @classmethod
    def from_dict(cls, spec: dict) -> "Attempt":
        return cls(**{key: value for key, value in spec.items() if key in _ATTEMPT_FIELDS})


_ATTEMPT_FIELDS = {field.name for field in dataclasses.fields(Attempt)}


@dataclasses.dataclass(frozen=True)
class Device:
    """What one device does with a job: its attempts, first and retries.

    A retry beyond the listed attempts repeats the last one.  ``appear`` delays
    the device's first execution, on top of the job's rollout rate.
    """

    attempts: tuple[Attempt, ...] = (Attempt(),)
    appear: float = 0.0

    @classmethod
    def from_dict(cls, spec: dict) -> "Device":
        attempts = [Attempt.from_dict(spec)] + [Attempt.from_dict(retry) for retry in spec.get("retries", [])]
        return cls(tuple(attempts), float(spec.get("appear", 0.0)))

    def attempt(self, retry_attempt: int) -> Attempt:
        return self.attempts[min(retry_attempt, len(self.attempts) - 1)]


def device(outcome: str | None = "SUCCEEDED", start: float = 0.1, finish: float = 0.3, details: dict | None = None,
           progress: dict | None = None, retries: list[dict] | tuple = (), appear: float = 0.0) -> Device:
    spec = dict(outcome=outcome, start=start, finish=finish, retries=list(retries), appear=appear)
    if details is not None:
        spec["details"] = details
    if progress is not None:
        spec["progress"] = progress
    return Device.from_dict(spec)


IDLE = Device((Attempt(outcome=None, start=float("inf")),))


@dataclasses.dataclass
class SimJob:
    job_id: str
    retry_limits: dict[str, int]
    snapshot: bool
    counts: Counter = dataclasses.field(default_factory=Counter)
    unrolled: int = 0   # first executions the rollout has yet to create
    retrying: int = 0   # retries scheduled but not yet queued
    retry_delay: float = 0.2
    devices: dict[str, Device] = dataclasses.field(default_factory=dict)
    default: Device = IDLE
    # A deterministic share of the devices, spread evenly over the rollout
    # order, follow ``failing`` instead of ``default``.
    failing: Device | None = None
    failing_fraction: float = 0.0
    started: float = 0.0                 # when the rollout began, on the fleet's clock
    waiting: deque = dataclasses.field(default_factory=deque)   # things the rollout has yet to notify
    order: dict[str, int] = dataclasses.field(default_factory=dict)
    notified: int = 0
    next_roll_at: float = 0.0
    timeline: list = dataclasses.field(default_factory=list)    # (at, thing, execution number, retry)

    # Between maintenance windows (and before a scheduled start) the job is
    # SCHEDULED: queueing and starting executions wait here for the next one.
    deferred: list = dataclasses.field(default_factory=list)
    windows: tuple = ()         # (open, close) on the fleet's clock
    in_window: bool = True      # always, for a job without windows
    rollout_stopped: bool = False
    canceled: dict | None = None  # when (seconds since the rollout began) and by what

    def script(self, thing: str) -> Device:
        if thing in self.devices:
            return self.devices[thing]
        index = self.order.get(thing)
        if self.failing is not None and index is not None and chosen_to_fail(index, self.failing_fraction):
            return self.failing
        return self.default


def chosen_to_fail(index: int, fraction: float) -> bool:
    """Whether the index-th device is among the ``fraction`` chosen: every
    prefix of the rollout holds the fraction, give or take one device."""
    return math.floor((index + 1) * fraction + 1e-9) > math.floor(index * fraction + 1e-9)


@dataclasses.dataclass
class DeviceProfile:
    """How devices behave in jobs created through the CreateJob API."""

    default: Device = IDLE
    devices: dict[str, Device] = dataclasses.field(default_factory=dict)
    failing: Device | None = None
    failing_fraction: float = 0.0


class ScaledClock:
    """A monotonic clock that runs ``scale`` times faster than real time, for
    benchmark rollouts that would otherwise take hours.  Device scripts and
    rollout rates count in its seconds; AWS timestamps stay real."""

    def __init__(self, scale: float = 1.0):
        self.scale = scale
        self._origin = time.monotonic()

    def __call__(self) -> float:
        return self._origin + (time.monotonic() - self._origin) * self.scale


class Fleet:
    """Jobs with scripted devices on top of moto's IoT backend."""

    def __init__(self, region: str = "us-east-1", account_id: str = DEFAULT_ACCOUNT_ID,
                 clock: Callable[[], float] = time.monotonic):
        self.region = region
        self.account_id = account_id
        self.clock = clock
        self.lock = threading.RLock()
        self._jobs: dict[str, SimJob] = {}
        self._events: list = []
        self._sequence = itertools.count()
        self._backend_id = None
        self._at = clock()  # the time scheduled events count from
        self.deletion_delay = 1.0  # seconds a deleted job stays DELETION_IN_PROGRESS
        self.profile = DeviceProfile()
        self._member_listing = None  # ((group, recursive), names) of the listing under way
        install_moto_patches()
        writes.install(self)

    # -- moto's backend ---------------------------------------------------
    @property
    def backend(self):
        return self._sync_backend()

    def _sync_backend(self):
        # /moto-api/reset replaces the backend object: always look it up,
        # and forget the jobs of a backend that is gone.
        backend = iot_models.iot_backends[self.account_id][self.region]
        if id(backend) != self._backend_id:
            self._jobs.clear()
            self._events.clear()
            self._backend_id = id(backend)
            backend.__dict__["_iotops_fleet"] = self  # for CancelJob
        return backend

    def reset(self) -> None:
        with self.lock:
            iot_models.iot_backends[self.account_id].reset()
            self._backend_id = None
            self.profile = DeviceProfile()
            self.deletion_delay = 1.0
            self._sync_backend()

    def thing_arn(self, name: str) -> str:
        return "arn:aws:iot:{0}:{1}:thing/{2}".format(self.region, self.account_id, name)

    def group_arn(self, name: str) -> str:
        return "arn:aws:iot:{0}:{1}:thinggroup/{2}".format(self.region, self.account_id, name)

    def ensure_things(self, names) -> None:
        backend = self.backend
        for name in names:
            arn = self.thing_arn(name)
            if arn not in backend.things:
                backend.things[arn] = iot_models.FakeThing(name, None, {}, self.account_id, self.region)

    def ensure_group(self, group: str, members, parent: str | None = None) -> str:
        """The group, created if need be (under ``parent``), with these members added."""
        backend = self.backend
        self.ensure_things(members)
        if parent is not None:
            self.ensure_group(parent, [])
        if not any(g.thing_group_name == group for g in backend.thing_groups.values()):
            backend.create_thing_group(group, parent, {})
        group_obj = backend.describe_thing_group(group)
        for name in members:
            group_obj.things[self.thing_arn(name)] = backend.things[self.thing_arn(name)]
        return group_obj.arn

    # -- jobs -------------------------------------------------------------
    def create_job(self, job_id: str, things=(), groups: dict | None = None, devices: dict | None = None,
                   default: Device | None = None, target_selection: str = "SNAPSHOT",
                   retry: dict[str, int] | None = None, rollout_per_minute: float | None = None,
                   retry_delay: float = 0.2, document_parameters: dict | None = None,
                   timeout_minutes: int | None = None, register_things: bool = True,
                   rollout: dict | None = None, abort: dict | None = None,
                   failing: Device | None = None, failing_fraction: float = 0.0,
                   scheduled_start: float | None = None, maintenance_windows=None,
                   scheduled_end: float | None = None, end_behavior: str = "STOP_ROLLOUT") -> None:
        """Create a job whose devices follow their scripts from now on.

        ``retry`` maps FAILED, TIMED_OUT or ALL to a number of retries, as
        ``jobExecutionsRetryConfig`` does.  Devices not in ``devices`` follow
        ``default``, which by default stays QUEUED, or ``failing`` for a
        ``failing_fraction`` of them.  ``rollout`` and ``abort`` are
        ``jobExecutionsRolloutConfig`` and ``abortConfig`` as the API takes them.

        ``schedulingConfig``, in seconds from now rather than AWS's 30 minutes
        ahead at least: ``scheduled_start`` keeps the job SCHEDULED until
        then, and the rollout (rate, ``appear``) counts from it;
        ``maintenance_windows``, a list of (open, close), makes the job
        IN_PROGRESS only within them and SCHEDULED between them, when no
        execution is created or started (devices already working go on);
        at ``scheduled_end`` the ``end_behavior`` applies: STOP_ROLLOUT
        creates no more executions, CANCEL and FORCE_CANCEL cancel the job.
        """
        groups = groups or {}
        with self.lock:
            backend = self.backend
            if register_things:
                self.ensure_things(things)
            targets = [self.thing_arn(name) for name in things]
            targets += [self.ensure_group(name, members) for name, members in groups.items()]
            retry = dict(retry or {})
            backend.create_job(
                job_id=job_id,
                targets=[],
                document_source=None,
                document='{"operation": "firmware-update"}',
                description="simulated firmware rollout",
                presigned_url_config={},
                target_selection=target_selection,
                job_executions_rollout_config=rollout or (
                    {"maximumPerMinute": int(rollout_per_minute)} if rollout_per_minute else {}
                ),
                document_parameters=document_parameters or {},
                abort_config=abort or {},
                job_execution_retry_config=(
                    {"criteriaList": [{"failureType": k, "numberOfRetries": v} for k, v in retry.items()]}
                    if retry else {}
                ),
                scheduling_config={},
                timeout_config=({"inProgressTimeoutInMinutes": timeout_minutes} if timeout_minutes else {}),
            )
            job = backend.jobs[job_id]
            job.targets = targets
            self._at = now = self.clock()
            windows = tuple((now + float(start), now + float(end)) for start, end in (maintenance_windows or ()))
            job.scheduling_config = self._scheduling_config(scheduled_start, windows, scheduled_end, end_behavior)
            start = now + max(0.0, float(scheduled_start or 0.0))
            sim = SimJob(job_id, _retry_limits(retry), target_selection == "SNAPSHOT", retry_delay=retry_delay,
                         devices=dict(devices or {}), default=default or IDLE, failing=failing,
                         failing_fraction=failing_fraction, windows=windows, in_window=not windows)
            job.status = "IN_PROGRESS" if start <= now and sim.in_window else "SCHEDULED"
            self._jobs[job_id] = sim
            for opens, closes in windows:
                self._schedule(opens, self._open_window, sim)
                self._schedule(closes, self._close_window, sim)
            if start > now:
                self._schedule(start, self._start_job, sim)
            if scheduled_end is not None:
                self._schedule(now + float(scheduled_end), self._end_job, sim, end_behavior)
            members = list(things) + [name for group in groups.values() for name in group]
            sim.started = start
            self.roll_out(sim, members)
            self._publish(sim)
            self.advance()

    def cancel_job(self, job_id: str, reason_code: str | None = None, comment: str | None = None,
                   force: bool = False):
        """CancelJob as AWS IoT does it: QUEUED executions are canceled, and
        IN_PROGRESS ones too with ``force`` (``forceCanceled``); no execution
        is created or retried after."""
        with self.lock:
            backend = self.backend
            job = backend.jobs.get(job_id)
            if job is None:
                raise iot_models.ResourceNotFoundException("Job {0} does not exist".format(job_id))
            self.advance()
            # Whether AWS refuses to cancel a COMPLETED job is not documented;
            # the simulator cancels it, as moto does and the guide's rescue expects.
            # A job being deleted is refused (DeleteJob's reference: an error,
            # unnamed; InvalidRequestException is CancelJob's closest).
            if job.status == "DELETION_IN_PROGRESS":
                raise iot_models.InvalidRequestException("Job {0} is being deleted.".format(job_id))
            self._at = self.clock()
            self._cancel(self._jobs[job_id], reason_code, comment, force, by="CancelJob")
            return job

    def _cancel(self, sim, reason_code=None, comment=None, force=False, by="CancelJob") -> None:
        backend = self.backend
        job_id = sim.job_id
        job = backend.jobs[job_id]
        job.status = "CANCELED"
        if sim.canceled is None:
            sim.canceled = {"at": self._at - sim.started, "by": by}
        job.reason_code = reason_code if reason_code is not None else job.reason_code
        job.comment = comment if comment is not None else job.comment
        job.force = bool(force) or job.force
        doomed = ("QUEUED", "IN_PROGRESS") if force else ("QUEUED",)
        for (execution_job, _thing), execution in backend.job_executions.items():
            if execution_job == job_id and execution.status in doomed:
                execution.force_canceled = execution.status == "IN_PROGRESS"
                execution.approximate_seconds_before_time_out = None
                self._set_status(sim, execution, "CANCELED")
        sim.unrolled = sim.retrying = 0
        sim.waiting.clear()
        sim.deferred.clear()
        self._publish(sim)

    def add_to_group(self, group: str, thing: str, script: Device | None = None) -> None:
        """A thing joins a group: continuous jobs that target the group reach it."""
        with self.lock:
            group_arn = self.ensure_group(group, [thing])
            for sim in list(self._jobs.values()):
                job = self.backend.jobs.get(sim.job_id)
                if job is None or sim.snapshot or group_arn not in job.targets:
                    continue
                if script is not None:
                    sim.devices[thing] = script
                sim.unrolled += 1
                self._schedule(self.clock(), self._queue, sim, thing, 1, 0)
            self.advance()

    def execution(self, job_id: str, thing: str):
        return self.backend.job_executions.get((job_id, thing))

    def job_done(self, job_id: str) -> bool:
        sim = self._jobs[job_id]
        return not (sim.unrolled or sim.retrying or any(sim.counts[s] for s in PENDING))

    def settle(self, job_id: str, timeout: float = 5.0) -> None:
        """Advance until every device of the job is done; for tests that
        read a finished job rather than wait on one."""
        deadline = self.clock() + timeout
        while True:
            self.advance()
            with self.lock:
                if self.job_done(job_id):
                    return
                due = self.next_event_in()
            if due is None or self.clock() + due > deadline:
                raise AssertionError("job {0} did not settle within {1} s".format(job_id, timeout))
            time.sleep(min(due, 0.05) or 0.005)

    # -- what the patched writes (writes.py) change -------------------------
    def job_updated(self, job_id: str) -> None:
        """UpdateJob changed the job: follow its retry and abort settings now."""
        with self.lock:
            sim = self._jobs.get(job_id)
            if sim is None:
                return
            sim.retry_limits = _retry_limits_from_config(self.backend.jobs[job_id].job_execution_retry_config)
            self.check_abort(sim)
            self._publish(sim)

    def targets_added(self, job_id: str, targets) -> None:
        """AssociateTargetsWithJob added these targets: roll the job out to
        their things, counting from now."""
        with self.lock:
            sim = self._jobs.get(job_id)
            if sim is None:
                return
            self._at = self.clock()
            self.roll_out(sim, [name for target in targets for name in self.target_things(target)])
            self.advance()

    def delete_job(self, job_id: str) -> None:
        """DeleteJob accepted: the rollout stops, and the job with its
        executions leaves the backend after ``deletion_delay`` seconds (at
        once for a job the fleet does not run)."""
        with self.lock:
            sim = self._jobs.get(job_id)
            if sim is None:
                writes.remove_job(self.backend, job_id)
                return
            sim.unrolled -= len(sim.waiting)
            sim.waiting.clear()
            self._schedule(self.clock() + self.deletion_delay, self._remove, sim)

    def _remove(self, sim: SimJob) -> None:
        writes.remove_job(self.backend, sim.job_id)
        self._jobs.pop(sim.job_id, None)

    def set_execution_status(self, job_id: str, execution, status: str, details: dict | None = None) -> bool:
        """Give an execution of the job a new status, counted in the job's
        process details; False, and nothing done, for a job the fleet does
        not run."""
        with self.lock:
            sim = self._jobs.get(job_id)
            if sim is None:
                return False
            self._set_status(sim, execution, status, details)
            self._publish(sim)
            return True

    def execution_removed(self, job_id: str, execution) -> None:
        """The job's current execution on a thing left the backend: stop counting it."""
        with self.lock:
            sim = self._jobs.get(job_id)
            if sim is not None:
                sim.counts[execution.status] -= 1

    def publish(self, job_id: str) -> None:
        """Make the job's status and counts tell the truth after a write
        changed its executions; nothing for a job the fleet does not run."""
        with self.lock:
            sim = self._jobs.get(job_id)
            if sim is not None:
                self._publish(sim)

    # -- time ---------------------------------------------------------------
    def advance(self) -> None:
        """Apply every event that is due."""
        with self.lock:
            self._sync_backend()
            self._adopt_foreign_jobs()
            now = self.clock()
            touched = set()
            while self._events and self._events[0][0] <= now:
                due, _order, action, sim, args = heapq.heappop(self._events)
                # Follow-up events count from when this one was due, not
                # from when a request happened to come by.
                self._at = due
                if self._jobs.get(sim.job_id) is sim:
                    action(sim, *args)
                    touched.add(sim.job_id)
            for job_id in touched:
                if job_id in self._jobs:
                    self._publish(self._jobs[job_id])

    def scheduled_finishes(self, job_id: str, things=None) -> list:
        """(clock time, outcome) of every device finish of the job still
        scheduled (of these things only, when given): the exact moments a
        benchmark measures its latency from."""
        with self.lock:
            # A finish is scheduled when its device starts: a start still to
            # come tells when its finish will be.
            finishes = []
            for due, _order, action, sim, args in self._events:
                attempt = args[2] if len(args) > 2 else None
                if sim.job_id != job_id or not isinstance(attempt, Attempt) or attempt.outcome is None:
                    continue
                if things is not None and args[0] not in things:
                    continue
                if action == self._finish:
                    finishes.append((due, attempt.outcome))
                elif action == self._start:
                    finishes.append((due + max(0.0, attempt.finish - attempt.start), attempt.outcome))
            return finishes

    def next_event_in(self) -> float | None:
        with self.lock:
            return max(0.0, self._events[0][0] - self.clock()) if self._events else None

    def _schedule(self, due, action, sim, *args):
        heapq.heappush(self._events, (due, next(self._sequence), action, sim, args))

    def roll_out(self, sim: SimJob, things) -> None:
        """Notify these things of the job at its rollout rate, after any
        the rollout is still working through."""
        fresh = [name for name in dict.fromkeys(things) if name not in sim.order]
        for name in fresh:
            sim.order[name] = len(sim.order)
        sim.unrolled += len(fresh)
        idle = not sim.waiting
        sim.waiting.extend(fresh)
        if idle and fresh:
            self._schedule(max(self._at, sim.next_roll_at), self._roll, sim)

    def _roll(self, sim: SimJob) -> None:
        job = self.backend.jobs[sim.job_id]
        if sim.rollout_stopped or job.status in ("CANCELED", "COMPLETED", "DELETION_IN_PROGRESS"):
            sim.unrolled -= len(sim.waiting)
            sim.waiting.clear()
            return
        if self._held(sim, self._roll):  # resumes when the job starts or a window opens
            return
        while sim.waiting:
            name = sim.waiting.popleft()
            sim.notified += 1
            appear = sim.started + sim.script(name).appear
            if appear > self._at:
                self._schedule(appear, self._queue, sim, name, 1, 0)
            else:
                self._queue(sim, name, 1, 0)
            rate = writes.rollout_rate(job.job_executions_rollout_config, sim.notified, sim.counts["SUCCEEDED"])
            if rate:
                sim.next_roll_at = self._at + 60.0 / rate
                if sim.waiting:
                    self._schedule(sim.next_roll_at, self._roll, sim)
                return

    def _held(self, sim, action, *args) -> bool:
        """Whether the job holds ``action`` back: between maintenance windows
        until the next one, or for good once it is over."""
        status = self.backend.jobs[sim.job_id].status
        if status == "SCHEDULED":
            sim.deferred.append((action, args))
            return True
        return status != "IN_PROGRESS"

    def _queue(self, sim: SimJob, thing: str, number: int, retry_attempt: int) -> None:
        if self._held(sim, self._queue, thing, number, retry_attempt):
            return
        if sim.rollout_stopped and not retry_attempt:
            sim.unrolled -= 1
            return
        backend = self.backend
        key = (sim.job_id, thing)
        previous = backend.job_executions.get(key)
        if previous is not None:
            backend.iotops_history.setdefault(key, {})[previous.execution_number] = previous
            sim.counts[previous.status] -= 1
        execution = iot_models.FakeJobExecution(sim.job_id, self.thing_arn(thing))
        execution.execution_number = number
        execution.version_number = 1
        execution.retry_attempt = retry_attempt
        execution.started_at = None
        execution.approximate_seconds_before_time_out = None
        backend.job_executions[key] = execution
        if retry_attempt:
            sim.retrying -= 1
        else:
            sim.unrolled -= 1
        sim.counts["QUEUED"] += 1
        sim.timeline.append((self._at, thing, number, retry_attempt))
        attempt = sim.script(thing).attempt(retry_attempt)
        if attempt.start != float("inf"):
            self._schedule(self._at + attempt.start, self._start, sim, thing, execution, attempt)

    def _set_status(self, sim, execution, status, details=None):
        sim.counts[execution.status] -= 1
        sim.counts[status] += 1
        execution.status = status
        execution.version_number += 1
        execution.last_updated_at = utcnow()
        if details is not None:
            execution.status_details_map = dict(details)
        if status == "SUCCEEDED":
            packages.record_deployment(self.backend, self.backend.jobs.get(sim.job_id), execution.thing_arn)

    def _start(self, sim, thing, execution, attempt):
        if execution.status != "QUEUED" or self._held(sim, self._start, thing, execution, attempt):
            return
        if attempt.outcome is not None:
            self._schedule(self._at + max(0.0, attempt.finish - attempt.start), self._finish, sim, thing, execution, attempt)
        execution.started_at = utcnow()
        job = self.backend.jobs[sim.job_id]
        minutes = (job.timeout_config or {}).get("inProgressTimeoutInMinutes")
        execution.approximate_seconds_before_time_out = minutes * 60 if minutes else None
        self._set_status(sim, execution, "IN_PROGRESS", attempt.progress)

    def _finish(self, sim, thing, execution, attempt):
        if execution.status not in PENDING:
            return
        if execution.started_at is None:
            execution.started_at = utcnow()
        execution.approximate_seconds_before_time_out = None
        self._set_status(sim, execution, attempt.outcome, attempt.details)
        self.check_abort(sim)
        job = self.backend.jobs[sim.job_id]
        allowed = max(sim.retry_limits.get(attempt.outcome, 0), sim.retry_limits.get("ALL", 0))
        # Between windows a retry waits for the next one; a job that is over retries nothing.
        if attempt.outcome in RETRYABLE and execution.retry_attempt < allowed and job.status in ("IN_PROGRESS", "SCHEDULED"):
            sim.retrying += 1
            self._schedule(self._at + sim.retry_delay, self._queue, sim, thing,
                           execution.execution_number + 1, execution.retry_attempt + 1)

    # -- schedules ----------------------------------------------------------
    def _wall(self, due: float) -> datetime.datetime:
        return utcnow() + datetime.timedelta(seconds=due - self.clock())

    def _scheduling_config(self, start, windows, end, end_behavior) -> dict:
        """DescribeJob's schedulingConfig, in AWS's formats: YYYY-MM-DDTHH:MM
        times and maintenance windows as a cron expression and minutes."""
        config = {}
        now = self.clock()
        if start is not None:
            config["startTime"] = self._wall(now + float(start)).strftime(TIME_FORMAT)
        if end is not None:
            config["endTime"] = self._wall(now + float(end)).strftime(TIME_FORMAT)
            config["endBehavior"] = end_behavior
        if windows:
            config["maintenanceWindows"] = [
                {"startTime": self._wall(opens).strftime("cron(%M %H %d %m ? %Y)"),
                 "durationInMinutes": max(1, int(-(-(closes - opens) // 60)))}
                for opens, closes in windows]
        return config

    def _release(self, sim) -> None:
        held, sim.deferred = sim.deferred, []
        for action, args in held:
            action(sim, *args)

    def trigger(self, job_id: str, event: str) -> None:
        """Apply a schedule event now, as if its time had come: "start",
        "open_window" or "close_window".  Tests move a job through its
        schedule at moments they choose, never at times they would race."""
        actions = {"start": self._start_job, "open_window": self._open_window, "close_window": self._close_window}
        with self.lock:
            self.advance()
            sim = self._jobs[job_id]
            self._at = self.clock()
            actions[event](sim)
            self._publish(sim)

    def _start_job(self, sim) -> None:
        job = self.backend.jobs[sim.job_id]
        if job.status == "SCHEDULED" and sim.in_window:
            job.status = "IN_PROGRESS"
            sim.started = self._at  # the rollout counts from the start, early or not
            self._release(sim)

    def _open_window(self, sim) -> None:
        sim.in_window = True
        job = self.backend.jobs[sim.job_id]
        if job.status == "SCHEDULED" and not any(e[2] == self._start_job and e[3] is sim for e in self._events):
            job.status = "IN_PROGRESS"
            self._release(sim)

    def _close_window(self, sim) -> None:
        sim.in_window = False
        job = self.backend.jobs[sim.job_id]
        if job.status == "IN_PROGRESS":
            job.status = "SCHEDULED"

    def _end_job(self, sim, end_behavior) -> None:
        job = self.backend.jobs[sim.job_id]
        if job.status not in ("IN_PROGRESS", "SCHEDULED"):
            return
        if end_behavior in ("CANCEL", "FORCE_CANCEL"):
            self._cancel(sim, force=end_behavior == "FORCE_CANCEL", by="endBehavior")
            return
        sim.rollout_stopped = True
        queued_later = sum(1 for action, args in sim.deferred if action == self._queue and not args[2])
        sim.unrolled -= queued_later
        sim.deferred = [(action, args) for action, args in sim.deferred if not (action == self._queue and not args[2])]
        job.status = "IN_PROGRESS"
        self._release(sim)

    def _publish(self, sim: SimJob) -> None:
        """Make the job's status and counts tell the truth."""
        job = self.backend.jobs.get(sim.job_id)
        if job is None:
            return
        details = {key: max(0, sim.counts[status]) for status, key in COUNT_KEYS.items()}
        if sim.unrolled:  # AWS leaves it out (null) once the rollout is done
            details["processingTargets"] = list(job.targets)
        job.job_process_details = details
        job.last_updated_at = utcnow()
        now = self.clock()
        job.iotops_rollouts = [{"startTime": self._wall(opens).strftime(TIME_FORMAT)}
                               for opens, _closes in sim.windows if opens > now][:7]
        pending = sim.unrolled or sim.retrying or any(sim.counts[s] for s in PENDING)
        if job.status == "IN_PROGRESS" and sim.snapshot and not pending:
            job.status = "COMPLETED"
            job.completed_at = utcnow()

    def _adopt_foreign_jobs(self) -> None:
        """Jobs created through the API get real execution numbers and
        per-member executions for group targets, with idle devices."""
        backend = self.backend
        for job_id, job in backend.jobs.items():
            if job_id in self._jobs:
                continue
            profile = self.profile
            sim = SimJob(job_id, _retry_limits_from_config(job.job_execution_retry_config),
                         job.target_selection != "CONTINUOUS", devices=dict(profile.devices), default=profile.default,
                         failing=profile.failing, failing_fraction=profile.failing_fraction)
            self._jobs[job_id] = sim
            job.status = "IN_PROGRESS" if job.status == "QUEUED" else job.status
            self._at = sim.started = self.clock()
            names = []
            for target in job.targets:
                backend.job_executions.pop((job_id, target.split("/")[-1]), None)
                names += self.target_things(target)
            self.roll_out(sim, names)
            self._publish(sim)

    def group_members(self, group: str, recursive: bool = False) -> list[str]:
        """The names of the things in a group, and with ``recursive`` in its
        child groups too, once each: ListThingsInThingGroup as AWS answers it
        (moto ignores ``recursive``).  Raises ResourceNotFoundException."""
        with self.lock:
            backend = self.backend
            groups = [backend.describe_thing_group(group)]
            names = {}
            while groups:
                current = groups.pop(0)
                names.update((arn.split("/")[-1], None) for arn in current.things)
                if recursive:
                    groups += [g for g in backend.thing_groups.values()
                               if g.parent_group_name == current.thing_group_name]
            return list(names)

    def group_members_page(self, group: str, recursive: bool, start: int, size: int):
        """One page of group_members and where the next one starts (None at the
        end).  A listing reads the membership as it was at its first page."""
        with self.lock:
            if not start or self._member_listing is None or self._member_listing[0] != (group, recursive):
                self._member_listing = ((group, recursive), self.group_members(group, recursive))
            names = self._member_listing[1]
            return names[start:start + size], (start + size if start + size < len(names) else None)

    def target_things(self, target: str) -> list[str]:
        """The names of the things a job target (thing or group ARN) reaches."""
        if ":thinggroup/" in target:
            group = next((g for g in self.backend.thing_groups.values() if g.arn == target), None)
            return [arn.split("/")[-1] for arn in (group.things if group else {})]
        return [target.split("/")[-1]]

    # -- queries for tests and benchmarks -------------------------------------
    def set_devices(self, default: Device | None = None, devices: dict | None = None,
                    failing: Device | None = None, failing_fraction: float = 0.0) -> None:
        """How devices behave in jobs created from now on through CreateJob."""
        with self.lock:
            self.profile = DeviceProfile(default or IDLE, dict(devices or {}), failing, failing_fraction)

    def timeline(self, job_id: str) -> list[dict]:
        """Every execution the job has queued (notified), in order, with its
        time in seconds since the job's rollout began."""
        with self.lock:
            sim = self._jobs[job_id]
            return [{"at": at - sim.started, "thing": thing, "execution_number": number, "retry_attempt": retry}
                    for at, thing, number, retry in sim.timeline]

    def cancellation(self, job_id: str) -> dict | None:
        """When the job was first canceled, in seconds since its rollout began,
        and by what (CancelJob, abortConfig or endBehavior); None if never,
        or for a job the fleet does not know."""
        with self.lock:
            sim = self._jobs.get(job_id)
            return dict(sim.canceled) if sim is not None and sim.canceled else None

    def counts(self, job_id: str) -> dict:
        """The job's executions per status, as jobProcessDetails counts them."""
        with self.lock:
            return dict((status, n) for status, n in self._jobs[job_id].counts.items() if n > 0)

    def elapsed(self, job_id: str) -> float:
        """Seconds on the fleet's clock since the job's rollout began."""
        with self.lock:
            return self.clock() - self._jobs[job_id].started

    def check_abort(self, sim: SimJob) -> None:
        """Cancel the job when its abortConfig says so, as AWS IoT does."""
        job = self.backend.jobs.get(sim.job_id)
        if job is None or job.status != "IN_PROGRESS":
            return
        comment = writes.abort_comment(job.abort_config, sim.counts)
        if comment:
            self._cancel(sim, reason_code=writes.ABORT_REASON_CODE, comment=comment, by="abortConfig")


def _retry_limits(retry: dict) -> dict[str, int]:
    return {str(kind): int(count) for kind, count in retry.items()}


def _retry_limits_from_config(config) -> dict[str, int]:
    criteria = (config or {}).get("criteriaList", [])
    return {c["failureType"]: int(c["numberOfRetries"]) for c in criteria}


_PATCHED = False


def install_moto_patches() -> None:
    """Teach moto's IoT models what AWS IoT returns (once per process)."""
    global _PATCHED
    if _PATCHED:
        return
    _PATCHED = True

    def to_get_dict(self) -> dict[str, Any]:
        answer = {
            "jobId": self.job_id,
            "status": self.status,
            "forceCanceled": self.force_canceled,
            "statusDetails": {"detailsMap": self.status_details_map},
            "thingArn": self.thing_arn,
            "queuedAt": self.queued_at,
            "lastUpdatedAt": self.last_updated_at,
            "executionNumber": self.execution_number,
            "versionNumber": self.version_number,
        }
        if self.started_at is not None:
            answer["startedAt"] = self.started_at
        if self.status in PENDING and self.approximate_seconds_before_time_out is not None:
            answer["approximateSecondsBeforeTimedOut"] = self.approximate_seconds_before_time_out
        return answer

    def to_dict(self) -> dict[str, Any]:
        summary = {
            "status": self.status,
            "queuedAt": self.queued_at,
            "lastUpdatedAt": self.last_updated_at,
            "executionNumber": self.execution_number,
            "retryAttempt": getattr(self, "retry_attempt", 0),
        }
        if self.started_at is not None:
            summary["startedAt"] = self.started_at
        return {"jobId": self.job_id, "thingArn": self.thing_arn, "jobExecutionSummary": summary}

    original_describe = iot_models.IoTBackend.describe_job_execution

    def describe_job_execution(self, job_id, thing_name, execution_number):
        old = getattr(self, "iotops_history", {}).get((job_id, thing_name), {})
        if execution_number is not None and int(execution_number) in old:
            return old[int(execution_number)]
        return original_describe(self, job_id, thing_name, execution_number)

    original_cancel = iot_models.IoTBackend.cancel_job

    def cancel_job(self, job_id, reason_code, comment, force):
        fleet = self.__dict__.get("_iotops_fleet")
        if fleet is None:
            return original_cancel(self, job_id, reason_code, comment, force)
        return fleet.cancel_job(job_id, reason_code, comment, bool(force))

    original_describe_job = iot_responses.IoTResponse.describe_job

    def describe_job_response(self):
        answer = original_describe_job(self)
        job = self.iot_backend.jobs.get(self._get_param("jobId"))
        rollouts = getattr(job, "iotops_rollouts", None)
        if rollouts:
            answer.result["job"]["scheduledJobRollouts"] = rollouts
        return answer

    def list_things_in_thing_group(self):
        # Pages of at most maxResults (AWS's default and most: 250), and
        # ``recursive``, which moto ignores.
        fleet = self.iot_backend.__dict__.get("_iotops_fleet")
        group = unquote(self._get_param("thingGroupName"))
        recursive = str(self._get_param("recursive")).lower() == "true"
        start = int(self._get_param("nextToken") or 0)
        names, following = fleet.group_members_page(group, recursive, start, int(self._get_param("maxResults") or 250))
        return ActionResult({"things": names, "nextToken": None if following is None else str(following)})

    iot_responses.IoTResponse.list_things_in_thing_group = list_things_in_thing_group
    iot_models.IoTBackend.cancel_job = cancel_job
    iot_responses.IoTResponse.describe_job = describe_job_response
    iot_models.FakeJobExecution.to_get_dict = to_get_dict
    iot_models.FakeJobExecution.to_dict = to_dict
    iot_models.IoTBackend.describe_job_execution = describe_job_execution
    iot_models.IoTBackend.iotops_history = property(_history)


def _history(backend) -> dict:
    history = backend.__dict__.get("_iotops_history")
    if history is None:
        history = backend.__dict__["_iotops_history"] = {}
    return history
