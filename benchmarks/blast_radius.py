"""Blast-radius benchmark: how many devices a bad rollout reaches after its
failure limit was crossed, for four ways of stopping it.

    .venv/bin/python benchmarks/blast_radius.py      (or: make bench-blast)

A rollout of 10,000 devices at 100 and 1,000 devices a minute, under the
control plane's 10 TPS per-API limit; a bad build makes 30% of the devices
fail a few seconds after they start.  Side by side, in one run:
  (a) gate_cancel  iot_job_execution_wait with cancel_on_failure;
  (b) gate_rescue  the wait, then iot_job state=canceled in a rescue;
  (c) abort        the job's abortConfig alone (the simulator applies AWS's rule);
  (d) naive        an until: loop over DescribeJobExecution, then CancelJob;
  (e) eda_guard    the guard rulebook's source, decision and cancel (interval 2).
Every client approach runs in a fresh child process (blast_child.py).
Writes benchmarks/BLAST_RESULTS.md and benchmarks/blast_results.json.
"""

from __future__ import annotations

import argparse
import datetime
import json
import math
import os
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

# The fleet benchmark's endpoint set-up, clock ticker and report helpers.
from fleet_gate import (  # noqa: E402
    ACCESS_KEY, REGION, SECRET_KEY, Ticker, child_env, code_state, describe_code, fast_listing, machine, reset,
    versions,
)
from harness import collections_root  # noqa: E402
from local_endpoint import LocalEndpoint, device  # noqa: E402
from local_endpoint.fleet import chosen_to_fail  # noqa: E402  the simulator's own choice of failing devices
from local_endpoint.writes import ABORT_REASON_CODE  # noqa: E402

SIZE = 10000
RATES = (100, 1000)                # devices notified per minute (maximumPerMinute)
FAILING_FRACTION = 0.3
START = 1.0                        # IN_PROGRESS, seconds after being notified
FAIL_AT = 4.0                      # a failing device: FAILED 3 s after it started
SUCCEED_AT = 31.0                  # the others: SUCCEEDED 30 s after they started
LIMIT_PERCENT = 10.0               # the one failure limit: gate, naive loop and abortConfig
EAGER_ABORT_MINIMUM = 1            # abortConfig's minNumberOfExecutedThings, eager setting: AWS's lowest
HEALTHY_FRACTION = 0.02            # a good build's failure rate, which the safe setting must let pass
SLEEP = 2.0                        # the gate's sleep, and the naive loop's
RATE_LIMIT_TPS = 10
# A run that nothing cancels ends this long after the rollout began.
BOUND = 180.0
TIMEOUT = 300
REASON_CODE = "GATE_FAILED"
COMMENT = "Stopped by the rollout gate: more than 10% of the executions failed"
APPROACHES = ("gate_cancel", "gate_rescue", "abort", "naive", "eda_guard")
# (e): the guard rulebook's defaults (10 % after at least 20 executions),
# with the source polling every 2 s within its default request budget.
GUARD_SOURCE_ARGS = dict(interval=SLEEP, max_failure_percent=LIMIT_PERCENT, min_executions=20, include_tags=True,
                         max_requests_per_second=5)
GUARD_REASON_CODE = "EDA_GUARD"
LABELS = dict(gate_cancel="(a) wait with cancel_on_failure",
              gate_rescue="(b) wait, then iot_job state=canceled in rescue",
              abort="(c) abortConfig alone", naive="(d) until: loop over DescribeJobExecution, then CancelJob",
              eda_guard="(e) EDA guard: iot_job_events (interval 2) + the rulebook's rule + iot_job state=canceled")


# -- the rollout's script and its truth ------------------------------------------
class Scenario:
    """10,000 devices notified at ``rate`` a minute; the simulator's
    failing_fraction picks the failing ones, evenly along the rollout order."""

    def __init__(self, rate, size=SIZE, fraction=FAILING_FRACTION):
        self.rate = rate
        self.size = size
        self.step = 60.0 / rate
        self.names = ["sensor-{0:05d}".format(index) for index in range(size)]
        self.failing = [index for index in range(size) if chosen_to_fail(index, fraction)]

    def notified_at(self, index):
        return index * self.step

    def notified_by(self, at):
        """Devices notified at or before ``at`` if nothing stopped the rollout."""
        return min(self.size, int(math.floor(at / self.step + 1e-9)) + 1) if at >= 0 else 0

    def crossing(self):
        """(time, failures, notified) when the limit was crossed: the first
        failure after which the FAILED executions are more than
        LIMIT_PERCENT of the executions the job has, the gate's rule."""
        for count, index in enumerate(self.failing, 1):
            at = self.notified_at(index) + FAIL_AT
            notified = self.notified_by(at)
            if count * 100.0 > LIMIT_PERCENT * notified:
                return at, count, notified
        return None

    def _finishes(self):
        """(time, executed, failed) after each terminal execution, in order."""
        failing = set(self.failing)
        executed = failed = 0
        for at, is_failure in sorted((self.notified_at(i) + (FAIL_AT if i in failing else SUCCEED_AT), i in failing)
                                     for i in range(self.size)):
            executed += 1
            failed += is_failure
            yield at, executed, failed

    def predicted_abort(self, minimum):
        """When AWS's rule cancels the job: the first terminal execution
        after which at least ``minimum`` are terminal and FAILED are at least
        LIMIT_PERCENT of them."""
        return next((at for at, executed, failed in self._finishes()
                     if executed >= minimum and failed * 100.0 >= LIMIT_PERCENT * executed), None)

    def safe_abort_minimum(self):
        """The smallest minNumberOfExecutedThings with which AWS's rule lets
        this rollout finish: one more than the most executions at which the
        FAILED share still reached LIMIT_PERCENT."""
        return 1 + max((executed for _at, executed, failed in self._finishes()
                        if failed * 100.0 >= LIMIT_PERCENT * executed), default=0)

    def create(self, endpoint, job_id, abort_minimum=None):
        abort = None
        if abort_minimum is not None:
            abort = {"criteriaList": [{"failureType": "FAILED", "action": "CANCEL",
                                       "thresholdPercentage": LIMIT_PERCENT,
                                       "minNumberOfExecutedThings": abort_minimum}]}
        endpoint.fleet.create_job(
            job_id, groups={"fleet-{0}".format(self.size): self.names}, rollout_per_minute=self.rate, abort=abort,
            default=device("SUCCEEDED", start=START, finish=SUCCEED_AT),
            failing=device("FAILED", start=START, finish=FAIL_AT, details={"reason": "boot loop after flashing"}),
            failing_fraction=FAILING_FRACTION)


class CancelClock:
    """When the current job was canceled, in seconds since its rollout began,
    and by what: the simulator's own record (the arrival of CancelJob, or the
    finish that tripped abortConfig)."""

    def __init__(self, fleet):
        self.fleet = fleet
        self.job_id = None

    def start(self, job_id):
        self.job_id = job_id

    def _record(self):
        return self.fleet.cancellation(self.job_id) or {}

    @property
    def at(self):
        return self._record().get("at")

    @property
    def by(self):
        return self._record().get("by")


# -- one run ------------------------------------------------------------------------
def child_spec(approach, scenario, job_id, url):
    spec = dict(approach=approach, collections_root=str(collections_root()))
    wait_args = dict(job_id=job_id, sleep=SLEEP, timeout=TIMEOUT, max_failure_percent=LIMIT_PERCENT)
    if approach == "gate_cancel":
        wait_args.update(cancel_on_failure=True, cancel_reason_code=REASON_CODE, cancel_comment=COMMENT)
    spec["wait_args"] = wait_args
    spec["cancel_args"] = dict(job_id=job_id, state="canceled", reason_code=REASON_CODE, comment=COMMENT)
    spec["source_args"] = GUARD_SOURCE_ARGS
    spec.update(job_id=job_id, thing_names=scenario.names, sleep=SLEEP, timeout=TIMEOUT,
                max_failure_percent=LIMIT_PERCENT, reason_code=REASON_CODE, comment=COMMENT,
                settings=dict(access_key=ACCESS_KEY, secret_key=SECRET_KEY, region=REGION, endpoint_url=url))
    return spec


def wait_for(condition, limit, step=0.02):
    """Poll ``condition`` every ``step`` s until it holds or ``limit`` s passed."""
    deadline = time.monotonic() + limit
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(step)
    return True


def project_naive(scenario, records, wall_start, crossing_at):
    """The naive loop's cancel, when it had not come by BOUND: its round
    reads one device after another at the rate measured in this run, and
    ends at the first device not yet notified, or after the last device;
    the CancelJob follows."""
    describes = [r for r in records if r.api == "DescribeJobExecution" and r.fault is None and r.status]
    ends = [i for i, r in enumerate(describes) if r.status == 404]  # a round ends at the first device not notified
    current = [r for r in describes[(ends[-1] + 1 if ends else 0):] if r.status == 200]
    if len(current) < 2:
        return None
    first, last = current[0].at - wall_start, current[-1].at - wall_start
    per_second = (len(current) - 1) / (last - first)
    position, at = len(current), last
    while position < min(scenario.size, scenario.notified_by(at)):
        position, at = position + 1, at + 1.0 / per_second
    failing = scenario.failing
    return dict(
        canceled_at=round(at, 3), reaction=round(at - crossing_at, 2), calls_per_second=round(per_second, 2),
        measured_round_calls=len(current), measured_seconds=round(last - first, 1),
        notified=scenario.notified_by(at), never_notified=scenario.size - scenario.notified_by(at),
        notified_after=scenario.notified_by(at) - scenario.notified_by(crossing_at),
        ended_failed=sum(1 for i in failing if scenario.notified_at(i) + START <= at),
        completed_first=at > scenario.notified_at(scenario.size - 1) + SUCCEED_AT)


def run_one(endpoint, cancels, scenario, approach, workdir, log, abort_minimum=None):
    reset(endpoint)
    name = approach if abort_minimum is None else "{0}-min{1}".format(approach, abort_minimum)
    job_id = "blast-{0}-{1}".format(scenario.rate, name).replace("_", "-")
    fleet = endpoint.fleet
    child = report_path = None
    started = time.monotonic()
    if approach != "abort":
        spec_path, report_path = workdir / (job_id + ".spec"), workdir / (job_id + ".report")
        spec_path.write_text(json.dumps(child_spec(approach, scenario, job_id, endpoint.url)))
        child = subprocess.Popen([sys.executable, str(BENCH / "blast_child.py"), str(spec_path), str(report_path)],
                                 stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, env=child_env(endpoint.url),
                                 cwd=str(BENCH.parent))
        if not wait_for(lambda: Path(str(report_path) + ".ready").exists() or child.poll() is not None, 120):
            raise RuntimeError("{0}: the child did not get ready".format(job_id))
    cancels.start(job_id)
    projection = None
    with Ticker(fleet):
        scenario.create(endpoint, job_id, abort_minimum)
        wall_start = time.time() - fleet.elapsed(job_id)
        if child is not None:
            child.stdin.write(b"go\n")
            child.stdin.close()
        # Until the job is canceled, or BOUND; then until every device that
        # had started has finished (a cancel without force lets them run).
        wait_for(lambda: cancels.at is not None or fleet.elapsed(job_id) > BOUND, BOUND + 60)
        if cancels.at is None and approach == "naive":
            # Its round may take many minutes more: stop it, and compute the rest.
            child.kill()
            projection = project_naive(scenario, endpoint.calls(), wall_start, scenario.crossing()[0])
        end = (cancels.at if cancels.at is not None else BOUND) + FAIL_AT + 0.5
        wait_for(lambda: fleet.elapsed(job_id) > end, FAIL_AT + 60)
        if child is not None:
            killer = threading.Timer(TIMEOUT + 60, child.kill)
            killer.start()
            child.wait()
            killer.cancel()
        with fleet.lock:
            fleet.advance()
            timeline = fleet.timeline(job_id)
            job = fleet.backend.jobs[job_id]
            outcome = dict(status=job.status, reason_code=job.reason_code, comment=job.comment,
                           counts=fleet.counts(job_id))
    report = json.loads(report_path.read_text()) if report_path is not None and report_path.exists() else None
    measured = measure(scenario, approach, timeline, outcome, cancels, report, endpoint.calls(), wall_start)
    measured["how"] = "measured"
    if projection is not None:
        measured["measured_to_bound"] = dict((key, measured[key]) for key in (
            "notified", "notified_after", "never_notified", "ended_failed"))
        measured.update((key, projection[key]) for key in (
            "canceled_at", "reaction", "notified", "never_notified", "notified_after", "ended_failed"))
        measured["projection"] = projection
        measured["how"] = "measured to {0:g} s, then computed".format(BOUND)
    measured.update(rate=scenario.rate, approach=approach, name=name, job_id=job_id, abort_minimum=abort_minimum,
                    child_rc=None if child is None else child.returncode, seconds=round(time.monotonic() - started, 1))
    if abort_minimum is not None:
        predicted = scenario.predicted_abort(abort_minimum)
        measured["predicted_abort_at"] = None if predicted is None else round(predicted, 3)
    measured["checks"] = checks(measured, report)
    log("{0:>5}/min {1:<16} notified after crossing {2:>5}, ended FAILED {3:>5}, reaction {4} s, checks {5}".format(
        scenario.rate, name, measured["notified_after"], measured["ended_failed"], measured["reaction"],
        "ok" if all(c["ok"] for c in measured["checks"]) else "FAILED: " + "; ".join(
            c["what"] for c in measured["checks"] if not c["ok"])))
    return measured


def measure(scenario, approach, timeline, outcome, cancels, report, records, wall_start):
    crossing_at, crossing_failures, crossing_notified = scenario.crossing()
    first = [entry for entry in timeline if entry["retry_attempt"] == 0]
    # The simulator's rollout must be the schedule the crossing was computed on.
    drift = max((abs(entry["at"] - scenario.notified_at(scenario.names.index(entry["thing"])))
                 for entry in first[:50] + first[-50:]), default=0.0)
    calls = Counter()
    for record in records:
        if record.fault == "throttle":
            kind = "throttled"
        else:
            kind = "answered" if record.status and record.status < 500 else "other"
        calls["{0} {1}".format(record.api, kind)] += 1
    canceled_at = cancels.at
    # From the read that showed the crossing to the CancelJob: the approach's
    # own overhead, apart from where its poll fell in the sleep.
    # The wait's first DescribeJob after the crossing shows it; the loop
    # decides on its round's last DescribeJobExecution.
    cancel = next((r for r in records if r.api == "CancelJob"), None)
    if approach == "naive":
        reads = [r for r in records if cancel is not None and r.at <= cancel.at and r.api == "DescribeJobExecution"]
        deciding = reads[-1] if reads else None
    else:
        deciding = next((r for r in records if r.api == "DescribeJob" and r.status == 200
                         and r.at >= wall_start + crossing_at), None)
    return dict(
        read_to_cancel=round(cancel.at - deciding.at, 2) if cancel is not None and deciding is not None else None,
        crossing_at=round(crossing_at, 3), crossing_failures=crossing_failures, crossing_notified=crossing_notified,
        canceled_at=None if canceled_at is None else round(canceled_at, 3), canceled_by=cancels.by,
        reaction=None if canceled_at is None else round(canceled_at - crossing_at, 2),
        notified=len(first), notified_after=sum(1 for entry in first if entry["at"] > crossing_at),
        never_notified=scenario.size - len(first),
        ended_failed=outcome["counts"].get("FAILED", 0), counts=outcome["counts"], job_status=outcome["status"],
        reason_code=outcome["reason_code"], comment=outcome["comment"], schedule_drift=round(drift, 4),
        calls=dict(sorted(calls.items())),
        steps=[dict(task=s["task"], exit_code=s.get("exit_code"), msg=(s.get("result") or {}).get("msg"),
                    verdict=(s.get("result") or {}).get("verdict"), failed=(s.get("result") or {}).get("failed"),
                    changed=(s.get("result") or {}).get("changed"), result_keys=sorted(s.get("result") or {}),
                    span=s.get("span"))
               for s in (report or {}).get("steps", [])],
        naive_rounds=[dict(described=r["described"], failures=r["failures"],
                           seconds=round(r["span"][1] - r["span"][0], 2))
                      for r in (report or {}).get("rounds", [])],
    )


def checks(run, report):
    """What must hold for the run's figures to mean anything."""
    found = []

    def check(what, ok):
        found.append(dict(what=what, ok=bool(ok)))

    check("the job ended CANCELED", run["job_status"] == "CANCELED")
    check("the rollout followed its schedule (drift {0} s)".format(run["schedule_drift"]), run["schedule_drift"] < 0.01)
    steps = run["steps"]
    if run["approach"] == "abort":
        check("canceled by abortConfig ({0})".format(ABORT_REASON_CODE),
              run["canceled_by"] == "abortConfig" and run["reason_code"] == ABORT_REASON_CODE)
        check("canceled when AWS's rule says (predicted {0} s)".format(run.get("predicted_abort_at")),
              run["canceled_at"] is not None and run.get("predicted_abort_at") is not None
              and abs(run["canceled_at"] - run["predicted_abort_at"]) < 0.01)
        return found
    if run.get("projection"):
        projection = run["projection"]
        found.pop(0)
        check("the loop was still in its round at {0:g} s, with the job IN_PROGRESS".format(BOUND),
              run["job_status"] == "IN_PROGRESS" and run["canceled_by"] is None)
        check("its measured call rate is within the limit ({0} calls/s over {1} s)".format(
            projection["calls_per_second"], projection["measured_seconds"]),
            0 < projection["calls_per_second"] <= RATE_LIMIT_TPS * 1.05)
        return found
    reason = GUARD_REASON_CODE if run["approach"] == "eda_guard" else REASON_CODE
    check("canceled by CancelJob with reason code {0}".format(reason),
          run["canceled_by"] == "CancelJob" and run["reason_code"] == reason)
    check("no CancelJob before the crossing", run["reaction"] is not None and run["reaction"] >= 0)
    if run["approach"] in ("gate_cancel", "gate_rescue"):
        wait = steps[0] if steps else {}
        check("the wait failed with verdict failed", wait.get("failed") and wait.get("verdict") == "failed")
    if run["approach"] == "gate_rescue":
        rescue = steps[1] if len(steps) > 1 else {}
        check("the rescue's iot_job state=canceled changed the job", rescue.get("changed") and not rescue.get("failed"))
    if run["approach"] == "naive":
        check("the loop canceled", any(s["task"] == "CancelJob" for s in steps))
    if run["approach"] == "eda_guard":
        cancel = steps[-1] if steps else {}
        check("the guard's iot_job state=canceled changed the job", cancel.get("changed") and not cancel.get("failed"))
    return found


# -- the report ----------------------------------------------------------------------
def fmt(value, spec="{0:,}"):
    return "-" if value is None else spec.format(value)


def table(runs):
    lines = ["| approach | notified after the crossing | ended FAILED | never notified | notified in all "
             "| canceled at s | reaction s | last read to CancelJob s | checks |",
             "|---|---:|---:|---:|---:|---:|---:|---:|---|"]
    for run in runs:
        label = LABELS[run["approach"]]
        if run["abort_minimum"] is not None:
            label += ", minNumberOfExecutedThings {0} ({1})".format(
                run["abort_minimum"], "eager" if run["abort_minimum"] == EAGER_ABORT_MINIMUM else "safe")
        if run["how"] != "measured":
            label += " - {0}".format(run["how"])
            if run["projection"]["completed_first"]:
                label += "; the job COMPLETED before its CancelJob"
        bad = [c["what"] for c in run["checks"] if not c["ok"]]
        lines.append("| {0} | {1} | {2} | {3} | {4} | {5} | {6} | {7} | {8} |".format(
            label, fmt(run["notified_after"]), fmt(run["ended_failed"]), fmt(run["never_notified"]),
            fmt(run["notified"]), fmt(run["canceled_at"], "{0:.2f}"), fmt(run["reaction"], "{0:+.2f}"),
            fmt(run["read_to_cancel"] if run["how"] == "measured" else None, "{0:.2f}"),
            "all {0} passed".format(len(run["checks"])) if not bad else "FAILED: " + "; ".join(bad)))
    return "\n".join(lines)


def ratio(numerator, denominator):
    if denominator == 0:
        return "-" if numerator == 0 else "inf"
    value = numerator / float(denominator)
    return "{0:,.0f}".format(value) if value >= 100 else "{0:.3g}".format(value)


def comparisons(runs, rate):
    """(a) against (c) and (d): the ratios, and the target."""
    gate = next((r for r in runs if r["approach"] == "gate_cancel"), None)
    if gate is None:
        return "(a) was not run."
    bound = rate / 60.0 * (SLEEP + 1.0)
    lines = ["| notified after the crossing | (a) | other | (a) / other | other / (a) | (a) below |",
             "|---|---:|---:|---:|---:|---|"]
    for other in runs:
        if other["approach"] in ("abort", "naive", "gate_rescue", "eda_guard"):
            label = LABELS[other["approach"]].split(" ", 1)[0]
            if other["abort_minimum"] is not None:
                label += " {0}".format("eager" if other["abort_minimum"] == EAGER_ABORT_MINIMUM else "safe")
            lines.append("| (a) vs {0} | {1:,} | {2:,} | {3} | {4} | {5} |".format(
                label, gate["notified_after"], other["notified_after"],
                ratio(gate["notified_after"], other["notified_after"]),
                ratio(other["notified_after"], gate["notified_after"]),
                "yes" if gate["notified_after"] < other["notified_after"] else "no"))
    met = gate["notified_after"] <= bound
    lines.append("")
    lines.append("Target: (a) notifies at most rate x (sleep + 1 s) = {0:g}/min x {1:g} s = **{2:g}** devices "
                 "after the crossing; measured **{3:,}**: {4}.".format(
                     rate, SLEEP + 1, bound, gate["notified_after"], "met" if met else "NOT met"))
    return "\n".join(lines)


def summary(runs):
    """One line per rate: devices notified after the crossing, (a) against the others."""
    lines = []
    for rate in RATES:
        found = dict((r["name"], r) for r in runs if r["rate"] == rate)
        gate = found.get("gate_cancel")
        if gate is None:
            continue
        bound = rate / 60.0 * (SLEEP + 1.0)
        met = "met" if gate["notified_after"] <= bound else "NOT met"
        parts = ["(a) **{0:,}** (target <= {1:g}: {2})".format(gate["notified_after"], bound, met)]
        for run in sorted(found.values(), key=lambda r: APPROACHES.index(r["approach"])):
            if run is gate:
                continue
            label = LABELS[run["approach"]].split(" ", 1)[0]
            if run["abort_minimum"] is not None:
                label += " {0}".format("eager" if run["abort_minimum"] == EAGER_ABORT_MINIMUM else "safe")
            parts.append("{0} {1:,} ({2}x (a))".format(label, run["notified_after"],
                                                       ratio(run["notified_after"], gate["notified_after"])))
        lines.append("- **{0:,}/min**, devices notified after the crossing: {1}.".format(rate, "; ".join(parts)))
    return "\n".join(lines)


def write_results(path, runs, references, started_at, seconds, command, code, busy):
    info, pinned = machine(), versions()
    sections = []
    for rate in RATES:
        rate_runs = [r for r in runs if r["rate"] == rate]
        if not rate_runs:
            continue
        crossing = rate_runs[0]
        reference = next(r for r in references if r["rate"] == rate)
        eager_abort = reference["healthy_abort_at"][EAGER_ABORT_MINIMUM]
        sections.append("""## {rate:,} devices a minute

The limit was crossed {at:.2f} s into the rollout, at the {failures}th failure, with {notified} devices notified.
With a healthy build ({healthy:.0%} failing, same timings), the gate's rule is never crossed{gate_healthy};
`abortConfig` with `minNumberOfExecutedThings` {eager} cancels it at {eager_at}, and needs at least **{safe}** to let it
finish.

{table}

{comparisons}
""".format(rate=rate, at=crossing["crossing_at"], failures=crossing["crossing_failures"],
           notified=crossing["crossing_notified"], table=table(rate_runs), comparisons=comparisons(rate_runs, rate),
           healthy=HEALTHY_FRACTION, eager=EAGER_ABORT_MINIMUM, safe=reference["safe_abort_minimum"],
           gate_healthy="" if reference["healthy_gate_crossing"] is None else " (WRONG: it is crossed)",
           eager_at="never" if eager_abort is None else "{0:.2f} s".format(eager_abort)))
    text = """# Blast-radius benchmark: stopping a bad rollout

Generated by `benchmarks/blast_radius.py`; do not edit by hand.

- Date: {date} (UTC)
- Machine: {cpu}, {cores} cores, {ram} GiB RAM (`/proc/meminfo`), Linux {kernel}, Python {python}{busy}
- Versions: {versions}
- Code measured: {code}
- Command: `{command}` (runs `.venv/bin/python benchmarks/blast_radius.py`)
- Total run time: {seconds:.0f} s

{summary}

## Scenario

A job targets one thing group of {size:,} devices, with `jobExecutionsRolloutConfig.maximumPerMinute` {rates}. A bad
build makes {share:.0%} of the devices fail: the simulator's `failing_fraction` picks them evenly along the rollout
order (the 4th, 7th, 10th...), so every run has the same failing devices, with no randomness. Every device goes
IN_PROGRESS {start:g} s after it is notified; a failing one ends FAILED {fail:g} s after it is notified, the others
SUCCEEDED after {succeed:g} s (a failed flash shows sooner than a good update completes). The endpoint enforces {tps}
requests/s per API (`rate_limit_tps`), as AWS IoT's control plane does.

**The limit**: more than {limit:g}% of the job's executions FAILED, the rule of `max_failure_percent: {limit:g}` in
fleet mode (failures over every execution the job has so far). It is crossed at the first failure after which it holds;
the simulator's schedule gives that moment exactly, and each run checks that its rollout kept to that schedule.

- **(a)** `iot_job_execution_wait` in fleet mode, `max_failure_percent: {limit:g}`, `sleep: {sleep:g}`,
  `cancel_on_failure: true`, `cancel_reason_code: {reason}`.
- **(b)** the same wait without `cancel_on_failure`; when it fails, `iot_job` with `state: canceled` (`reason_code:
  {reason}`), as a `rescue:` task does.
- **(c)** no client: the job's `abortConfig` with one criterion, `failureType: FAILED`, `thresholdPercentage: {limit:g}`
  (the same limit), and `minNumberOfExecutedThings` in two settings. The simulator applies AWS's rule: once that many
  executions are terminal, it cancels the job (reason code `{abort_reason}`) when the FAILED share of them reaches the
  threshold; it checks at every finish, with no delay. Failures show within {fail:g} s and successes only after
  {succeed:g} s, so the first executions to finish are failures, whatever the build: a small minimum aborts a good
  build too. The settings:
  - **eager**, {eager}, the lowest AWS accepts: the quickest AWS's rule can react, at the first failure, but it
    cancels a healthy build ({healthy:.0%} failing, same timings) just as fast;
  - **safe**: the smallest minimum that lets that healthy build finish, computed by the benchmark from AWS's rule
    over the healthy rollout's schedule, at each rate (it grows with the rate). An operator has to choose at least
    that, and without this benchmark's hindsight, more.
- **(d)** a loop over `DescribeJobExecution`, one call per notified device per round (it stops a round at the first
  device without an execution, so it never describes devices not yet notified), `sleep: {sleep:g}` between rounds,
  applying the same limit to the executions it read, then one `CancelJob`. It uses the collection's boto3 client
  (`connection.iot_client()`, standard retries). Its rounds grow with the devices notified: when it reads slower than
  the rollout notifies, a round does not end before the last device, which takes far longer than this benchmark
  runs. Then it is measured up to {bound:g} s, stopped, and the rest computed: the round goes on at the call rate
  measured in that round, until it reaches a device not yet notified or the last device, and the `CancelJob` follows
  (the tables say "computed"; `blast_results.json` keeps the measured part).

## Method

- **Time.** Nothing is scaled: devices, rollout rates, the gate's sleep, the rate limit and botocore's backoff all
  run in real seconds (`time_scale` 1). A run needs the rollout only up to the cancel, not its {full:.0f} minutes at
  {slowest}/min: it stops once the job is canceled and every device that had started has finished ({fail:g} s, so
  "ended FAILED" is final), or {bound:g} s into the rollout when nothing canceled the job.
- **Processes.** The endpoint (moto's server, the fleet simulator and the rate limit; `tests/local_endpoint`) runs in
  the benchmark's process, with a thread that advances the simulator every 50 ms. (a), (b) and (d) each run in a fresh
  child process (`benchmarks/blast_child.py`), which imports everything first and says so; only then is the job
  created, so Python's start-up does not count against the approach. (a) and (b) run the modules' real `main()`,
  with the arguments set through `ansible.module_utils.testing.patch_module_args`, as `fleet_gate.py` runs the wait;
  (b)'s `iot_job` runs right after the wait returns. Under `ansible-playbook`, (b) also pays for starting the rescue
  task (its module transfer and start-up), which this measurement leaves out, so (b) here is a lower bound.
- **Measures**, all on the fleet's clock, in seconds since the rollout began:
  - *notified after the crossing*: executions queued (`Fleet.timeline`) after the limit was crossed;
  - *ended FAILED*: executions FAILED at the end, when every started device has finished;
  - *never notified*: devices with no execution when the job was canceled (out of {size:,});
  - *canceled at*: the arrival of the `CancelJob` request, or the finish that tripped `abortConfig`;
  - *reaction*: canceled at minus the crossing; negative when AWS's rule fired before the limit was crossed;
  - *last read to CancelJob*: from the read that showed the crossing (the wait's first `DescribeJob` after it, the
    loop's last `DescribeJobExecution` before its `CancelJob`) to the `CancelJob`, from the endpoint's request log: the
    approach's own overhead, apart from where its poll fell within `sleep`.
- **Checks**, per run (listed in the tables): the job ended CANCELED, by the approach that was meant to cancel it
  (reason code), never before the crossing for (a), (b), (d); the wait's verdict was `failed`; (c) canceled exactly
  when AWS's rule, applied to the schedule, says; the rollout kept to the schedule the crossing was computed on.
- One run per approach and rate. A gate's poll falls anywhere in its `sleep` relative to the crossing, so (a), (b) and
  (d) vary by up to `sleep` from run to run; the target is a bound on that.

{sections}""".format(
        date=started_at.strftime("%Y-%m-%d %H:%M"), cpu=info["cpu"], cores=info["cores"], ram=info["ram_gib"],
        kernel=info["kernel"], python=info["python"], busy=busy,
        versions=", ".join("{0} {1}".format(k, v) for k, v in pinned.items()), command=command, seconds=seconds,
        code=code, size=SIZE, rates=" and ".join("{0:,}".format(r) for r in RATES), share=FAILING_FRACTION,
        start=START, fail=FAIL_AT, succeed=SUCCEED_AT, tps=RATE_LIMIT_TPS, limit=LIMIT_PERCENT, sleep=SLEEP,
        reason=REASON_CODE, eager=EAGER_ABORT_MINIMUM, healthy=HEALTHY_FRACTION, abort_reason=ABORT_REASON_CODE,
        full=SIZE / float(min(RATES)), slowest=min(RATES), bound=BOUND, sections="\n".join(sections),
        summary=summary(runs))
    path.write_text(text)


def main(argv=None):
    global BOUND
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rates", default=",".join(str(r) for r in RATES),
                        help="rollout rates a minute, comma-separated")
    parser.add_argument("--approaches", default=",".join(APPROACHES), help="which of " + ", ".join(APPROACHES))
    parser.add_argument("--size", type=int, default=SIZE, help="devices in the job")
    parser.add_argument("--output", default=str(BENCH / "BLAST_RESULTS.md"))
    parser.add_argument("--raw", default=str(BENCH / "blast_results.json"))
    parser.add_argument("--command", default="make bench-blast", help="the command to print in the results")
    parser.add_argument("--bound", type=float, default=BOUND,
                        help="seconds of rollout at most per run (shorter: for trying)")
    parser.add_argument("--busy", default="", help="a note on the machine's load, printed with the machine")
    args = parser.parse_args(argv)
    BOUND = args.bound
    rates = [int(r) for r in args.rates.split(",")]
    approaches = args.approaches.split(",")
    started_at = datetime.datetime.now(datetime.timezone.utc)
    clock = time.monotonic()
    code_before = code_state()
    load_before = os.getloadavg()

    def log(line):
        print("[{0:6.1f} s] {1}".format(time.monotonic() - clock, line), file=sys.stderr, flush=True)

    fast_listing.install()
    runs, references = [], []
    with LocalEndpoint(region=REGION) as endpoint, tempfile.TemporaryDirectory(prefix="blast-") as tmp:
        cancels = CancelClock(endpoint.fleet)
        for rate in rates:
            scenario = Scenario(rate, args.size)
            healthy = Scenario(rate, args.size, HEALTHY_FRACTION)
            safe = healthy.safe_abort_minimum()
            references.append(dict(
                rate=rate, safe_abort_minimum=safe, healthy_gate_crossing=healthy.crossing(),
                healthy_abort_at=dict((m, healthy.predicted_abort(m)) for m in (EAGER_ABORT_MINIMUM, safe))))
            for approach in approaches:
                for minimum in ((EAGER_ABORT_MINIMUM, safe) if approach == "abort" else (None,)):
                    runs.append(run_one(endpoint, cancels, scenario, approach, Path(tmp), log, minimum))
    seconds = time.monotonic() - clock
    code = describe_code(code_before, code_state())
    load = ", ".join("{0:.1f}".format(n) for n in load_before + os.getloadavg())
    busy = "; load average (1, 5, 15 min) before and after the run: {0}".format(load)
    if args.busy:
        busy += " ({0})".format(args.busy)
    write_results(Path(args.output), runs, references, started_at, seconds, args.command, code, busy)
    Path(args.raw).write_text(json.dumps(dict(runs=runs, references=references, seconds=seconds, settings=dict(
        size=args.size, rates=rates, failing_fraction=FAILING_FRACTION, start=START, fail_at=FAIL_AT,
        succeed_at=SUCCEED_AT, limit_percent=LIMIT_PERCENT, eager_abort_minimum=EAGER_ABORT_MINIMUM,
        healthy_fraction=HEALTHY_FRACTION, sleep=SLEEP,
        rate_limit_tps=RATE_LIMIT_TPS, bound=BOUND)), indent=1, default=str))
    log("wrote {0} and {1} in {2:.0f} s".format(args.output, args.raw, seconds))
    return 1 if any(not c["ok"] for r in runs for c in r["checks"]) else 0


if __name__ == "__main__":
    sys.exit(main())
