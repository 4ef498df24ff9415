# -*- coding: utf-8 -*-
# Copyright: iotops.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""The rollout report's figures, from the gates' registered results.

Every number the HTML and Markdown show comes from here, so both say the
same thing.  Input comes from task variables: a malformed stage raises
ReportInputError, whose text names the option path (``stages[1].result``).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Optional, Tuple

from ansible_collections.iotops.aws.plugins.module_utils.vocabulary import JOB_EXECUTION_STATUSES

# The four series of a stage's chart; every terminal status other than
# SUCCEEDED is a failure here, whatever the gate's fail_on was.
SERIES = ("succeeded", "failed", "in_progress", "queued")
SERIES_LABELS = {"succeeded": "succeeded", "failed": "failed", "in_progress": "in progress", "queued": "queued"}
_SERIES_OF_STATUS = dict((status, "failed") for status in JOB_EXECUTION_STATUSES)
_SERIES_OF_STATUS.update(SUCCEEDED="succeeded", IN_PROGRESS="in_progress", QUEUED="queued")


SKIPPED = "skipped"


class ReportInputError(ValueError):
    """A stage the report cannot read; the text names the option."""


@dataclass(frozen=True)
class Point:
    at: float
    job_status: Optional[str]
    succeeded: int
    failed: int
    in_progress: int
    queued: int

    @property
    def total(self):
        return self.succeeded + self.failed + self.in_progress + self.queued

    def value(self, series):
        return getattr(self, series)


@dataclass(frozen=True)
class FailedDevice:
    thing_name: str
    status: str
    details: Tuple[Tuple[str, str], ...]


@dataclass(frozen=True)
class Stage:
    name: str
    verdict: str
    msg: Optional[str]
    counts: Tuple[Tuple[str, int], ...]
    timeline: Tuple[Point, ...]
    failure_reasons: Tuple[Tuple[str, str, int], ...]
    failure_sample: Optional[Tuple[int, int, int]]
    failed_devices: Tuple[FailedDevice, ...]
    limit: Optional[str]
    seconds: Optional[float]
    job_status: Optional[str]
    canceled: bool

    @property
    def total(self):
        return sum(n for _status, n in self.counts)

    def series_total(self, series):
        return sum(n for status, n in self.counts if _SERIES_OF_STATUS.get(status, "failed") == series)


@dataclass(frozen=True)
class Report:
    title: str
    job_id: Optional[str]
    verdict: str
    canceled: bool
    stages: Tuple[Stage, ...]

    @property
    def seconds(self):
        known = [s.seconds for s in self.stages if s.seconds is not None]
        return sum(known) if known else None


def build_report(stages, title=None, job_id=None, verdict=None, canceled=None, option="stages"):
    """A Report from stage entries: each ``{name, result}``, or (``option``
    ``staged_rollout.stages``) the role's own stage entries, whose fields are
    the result's."""
    if not isinstance(stages, list) or not stages:
        raise ReportInputError("{0}: give at least one stage".format(option))
    built = tuple(_stage(entry, "{0}[{1}]".format(option, index)) for index, entry in enumerate(stages))
    names = [s.name for s in built]
    for index, name in enumerate(names):
        if name in names[:index]:
            raise ReportInputError("{0}[{1}].name: {2!r} names two stages".format(option, index, name))
    if verdict is None:
        verdict = next((s.verdict for s in built if s.verdict not in ("succeeded", SKIPPED)), "succeeded")
    if canceled is None:
        canceled = any(s.canceled for s in built)
    return Report(title=title or ("Rollout of job {0}".format(job_id) if job_id else "Rollout report"),
                  job_id=job_id, verdict=str(verdict), canceled=bool(canceled), stages=built)


def _stage(entry, where):
    if not isinstance(entry, dict):
        raise ReportInputError("{0}: must be a dict with name and result, got {1}".format(where, type(entry).__name__))
    name = entry.get("name")
    if not isinstance(name, str) or not name.strip():
        raise ReportInputError("{0}.name: every stage needs a name".format(where))
    if where.startswith("stages["):
        if "result" not in entry:
            raise ReportInputError("{0}.result: give the gate's registered result".format(where))
        result, result_where = entry["result"], where + ".result"
        if not isinstance(result, dict):
            raise ReportInputError("{0}: must be a registered result (a dict)".format(result_where))
        extra = sorted(set(entry) - {"name", "result", "max_failures", "max_failure_percent"})
        if extra:
            raise ReportInputError("{0}: unsupported keys {1}; a stage has name, result, max_failures and "
                                   "max_failure_percent".format(where, ", ".join(extra)))
    else:
        result, result_where = entry, where
    if result.get("skipped"):
        # A later stage whose gate never ran, since an earlier one failed.
        return Stage(name=name.strip(), verdict=SKIPPED, msg="The gate did not run.", counts=(), timeline=(),
                     failure_reasons=(), failure_sample=None, failed_devices=(), limit=_limit(entry, {}, where),
                     seconds=None, job_status=None, canceled=False)
    verdict = result.get("verdict")
    if not isinstance(verdict, str):
        raise ReportInputError("{0}.verdict: missing; is this the result of iotops.aws.iot_job_execution_wait?".format(
            result_where))
    if "timeline" not in result and where.startswith("stages["):
        raise ReportInputError("{0}.timeline: missing; is this the result of iotops.aws.iot_job_execution_wait?".format(
            result_where))
    counts = _counts(result.get("status_counts", result.get("counts", {})), result_where + ".status_counts")
    timeline = tuple(_point(p, "{0}.timeline[{1}]".format(result_where, i)) for i, p in enumerate(result.get("timeline") or []))
    for index in range(1, len(timeline)):
        if timeline[index].at < timeline[index - 1].at:
            raise ReportInputError("{0}.timeline[{1}].at: goes back in time".format(result_where, index))
    return Stage(
        name=name.strip(),
        verdict=verdict,
        msg=_text(result.get("msg")),
        counts=counts,
        timeline=timeline,
        failure_reasons=_reasons(result.get("failure_reasons") or {}, result_where + ".failure_reasons"),
        failure_sample=_sample(result.get("failure_sample")),
        failed_devices=_failed_devices(result.get("job_executions") or [], result_where + ".job_executions"),
        limit=_limit(entry, result, where),
        seconds=_seconds(result, result_where),
        job_status=_text(result.get("job_status")),
        canceled=bool(result.get("canceled")),
    )


def _text(value):
    return None if value is None else str(value)


def _count(value, where):
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0 or int(value) != value:
        raise ReportInputError("{0}: must be a count (0 or more), got {1!r}".format(where, value))
    return int(value)


def _counts(mapping, where):
    if not isinstance(mapping, dict):
        raise ReportInputError("{0}: must be a dict of status to count".format(where))
    order = dict((status, i) for i, status in enumerate(JOB_EXECUTION_STATUSES))
    counts = [(str(status), _count(n, "{0}.{1}".format(where, status))) for status, n in mapping.items()]
    return tuple(sorted(((s, n) for s, n in counts if n), key=lambda item: (order.get(item[0], len(order)), item[0])))


def _point(point, where):
    if not isinstance(point, dict):
        raise ReportInputError("{0}: must be a dict with at, job_status and counts".format(where))
    at = point.get("at")
    if isinstance(at, bool) or not isinstance(at, (int, float)) or at < 0:
        raise ReportInputError("{0}.at: must be seconds (0 or more), got {1!r}".format(where, at))
    series = dict((name, 0) for name in SERIES)
    for status, n in _counts(point.get("counts", {}), where + ".counts"):
        series[_SERIES_OF_STATUS.get(status, "failed")] += n
    return Point(at=float(at), job_status=_text(point.get("job_status")), **series)


def _reasons(mapping, where):
    """(key, value, count) rows, most frequent first, then by key and value."""
    if not isinstance(mapping, dict):
        raise ReportInputError("{0}: must be a dict of key to value counts".format(where))
    rows = []
    for key, values in mapping.items():
        if not isinstance(values, dict):
            raise ReportInputError("{0}.{1}: must be a dict of value to count".format(where, key))
        rows.extend((str(key), str(value), _count(n, "{0}.{1}".format(where, key))) for value, n in values.items())
    return tuple(sorted(rows, key=lambda row: (-row[2], row[0], row[1])))


def _sample(sample):
    if not isinstance(sample, dict):
        return None
    try:
        return tuple(int(sample.get(k) or 0) for k in ("sampled", "failed", "without_details"))
    except (TypeError, ValueError):
        return None


def _failed_devices(executions, where):
    if not isinstance(executions, list):
        raise ReportInputError("{0}: must be a list".format(where))
    devices = []
    for index, execution in enumerate(executions):
        if not isinstance(execution, dict):
            raise ReportInputError("{0}[{1}]: must be a dict".format(where, index))
        status = str(execution.get("status") or "")
        if status == "SUCCEEDED" or status in ("QUEUED", "IN_PROGRESS"):
            continue
        details = (execution.get("status_details") or {}).get("details_map") or {}
        devices.append(FailedDevice(thing_name=str(execution.get("thing_name") or execution.get("thing_arn") or "?"),
                                    status=status,
                                    details=tuple(sorted((str(k), str(v)) for k, v in details.items()))))
    return tuple(sorted(devices, key=lambda d: (d.thing_name, d.status)))


def _limit(entry, result, where):
    """The stage's limit: the gate's result does not repeat it, so the stage
    entry (or the role's stage) carries max_failures or max_failure_percent."""
    for source in (entry, result):
        if source.get("max_failure_percent") is not None:
            value = source["max_failure_percent"]
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                raise ReportInputError("{0}.max_failure_percent: must be a number".format(where))
            return "max_failure_percent {0:g}".format(value)
        if source.get("max_failures") is not None:
            return "max_failures {0}".format(_count(source["max_failures"], where + ".max_failures"))
    args = (result.get("invocation") or {}).get("module_args") or {}
    if args.get("max_failure_percent") is not None:
        return "max_failure_percent {0:g}".format(args["max_failure_percent"])
    if args:
        return "max_failures {0}".format(args.get("max_failures") or 0)
    return None


def _seconds(result, where):
    if result.get("elapsed") is not None:
        elapsed = result["elapsed"]
        if isinstance(elapsed, bool) or not isinstance(elapsed, (int, float)) or elapsed < 0:
            raise ReportInputError("{0}.elapsed: must be seconds, got {1!r}".format(where, elapsed))
        return float(elapsed)
    started, ended = result.get("started_at"), result.get("ended_at")
    if started and ended:
        try:
            span = _instant(ended) - _instant(started)
        except (TypeError, ValueError):
            raise ReportInputError("{0}.started_at: started_at and ended_at must be ISO 8601 times".format(where))
        return max(span.total_seconds(), 0.0)
    return None


def _instant(value):
    parsed = datetime.datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=datetime.timezone.utc)


def duration_text(seconds):
    """``1 h 02 min``, ``4 min 05 s``, ``41.2 s``; an em dash when unknown."""
    if seconds is None:
        return "\u2014"
    if seconds < 60:
        return "{0:.1f} s".format(seconds)
    whole = int(round(seconds))
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return "{0} h {1:02d} min".format(hours, minutes)
    return "{0} min {1:02d} s".format(minutes, secs)
