"""Fleet-scale benchmark of the rollout gate, against the local IoT Jobs endpoint.

    .venv/bin/python benchmarks/fleet_gate.py      (or: make bench)

For fleets of 100 to 100,000 executions, under the control plane's 10 TPS
per-API limit, it runs side by side:
  naive  one DescribeJobExecution per device per round, as until: loops do;
  thing  iot_job_execution_wait given every thing name;
  fleet  iot_job_execution_wait on the whole job;
  stage  iot_job_execution_wait with thing_group, on one of two groups of
         the 100,000-device job (10,000 and 90,000 devices).
Every gate runs in a fresh child process (gate_child.py); the endpoint and
its simulator run here, and its request log is the source of every call
count.  Writes benchmarks/RESULTS.md and benchmarks/results.json.
"""

from __future__ import annotations

import argparse
import datetime
import gc
import hashlib
import json
import math
import os
import platform
import random
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent

sys.path.insert(0, str(ROOT / "tests"))
from harness import collections_root, local_aws_env  # noqa: E402  the tests' own, so both use one layout

sys.path.insert(0, str(collections_root()))

import fast_listing  # noqa: E402
from local_endpoint import LocalEndpoint, device  # noqa: E402

from ansible_collections.iotops.aws.plugins.module_utils.jobs_read import PAGE_SIZE  # noqa: E402
from ansible_collections.iotops.aws.plugins.module_utils.waiter import DEFAULT_FAILURE_REASONS_SAMPLE  # noqa: E402

RATE_LIMIT_TPS = 10
SLEEP = 2.0                    # the gate's sleep, and the naive loop's
DEVICE_START = 0.5             # seconds after queueing, IN_PROGRESS
FINISH_WINDOW = (2.0, 10.0)    # terminal status, uniform in this window
# Creating 100,000 executions takes the simulator seconds of the timeline;
# shifting the script by this much per execution keeps the finish window
# after the creation and the gate's start at every size.
SHIFT_PER_EXECUTION = 1e-4
ADVANCE_EVERY = 0.05           # seconds between the simulator's clock ticks
FAILED_SHARE = 0.02
PASS_LIMIT = 5.0               # max_failure_percent the gate must pass with
FAIL_LIMIT = 1.0               # ... and must fail with
SIZES = (100, 1000, 10000, 100000)
NAIVE_MEASURED_UP_TO = 100     # larger naive rows are computed: 100 s and more per round
# Thing mode at 100,000 takes minutes per run; its pass gate is measured, and
# the fail gate at that size is checked in fleet mode, to keep make bench
# within 10 minutes.
THING_FAIL_UP_TO = 10000
TIMEOUT = 600
# Stage mode: the 100,000-device job targets two groups, rolled out together;
# each gate counts one of them.  (group, its first and last device, limits).
STAGE_JOB_SIZE = 100000
STAGES = (("stage-10k", 0, 10000, (PASS_LIMIT, FAIL_LIMIT)), ("stage-90k", 10000, 100000, (PASS_LIMIT,)))
STAGE_CALLS_TARGET = 43          # per round, 10,000-device stage
STAGE_LATENCY_OVER_SLEEP = 5.0   # verdict within sleep + this
STAGE_RSS_TARGET_MB = 150        # 90,000-device stage
APPROACHES = ("naive", "thing", "fleet", "stage")

ACCESS_KEY = "AKIDBENCHLOCAL01"
SECRET_KEY = "bench-local-secret"
REGION = "us-east-1"
APIS = ("DescribeJob", "ListJobExecutionsForJob", "DescribeJobExecution", "ListJobExecutionsForThing")
SHORT = {"DescribeJob": "DJ", "ListJobExecutionsForJob": "LJEJ", "DescribeJobExecution": "DJE",
         "ListJobExecutionsForThing": "LJET"}


# -- the fleet's script and its truth ------------------------------------------
class Scenario:
    """Devices of one fleet size: who fails, and when each finishes."""

    def __init__(self, size):
        rng = random.Random(size)
        self.size = size
        self.names = ["sensor-{0:06d}".format(index) for index in range(size)]
        self.failed = set(rng.sample(self.names, round(size * FAILED_SHARE)))
        self.shift = size * SHIFT_PER_EXECUTION
        self.finish = [round(self.shift + rng.uniform(*FINISH_WINDOW), 3) for _name in self.names]

    def devices(self):
        scripts = {}
        start = self.shift + DEVICE_START
        for name, finish in zip(self.names, self.finish):
            if name in self.failed:
                scripts[name] = device("FAILED", start=start, finish=finish, details={"reason": "checksum mismatch"})
            else:
                scripts[name] = device("SUCCEEDED", start=start, finish=finish)
        return scripts

    def truth_counts(self):
        return {"SUCCEEDED": self.size - len(self.failed), "FAILED": len(self.failed)}

    def expected_verdict(self, limit):
        return "failed" if len(self.failed) * 100.0 > limit * self.size else "succeeded"

    def failures_to_cross(self, limit):
        """The failure whose arrival puts the share over the limit (1-based)."""
        return math.floor(limit * self.size / 100.0) + 1

    def stage(self, first, last):
        """The devices of one stage, as a scenario of their own for the verdict checks."""
        view = object.__new__(Scenario)
        view.names = self.names[first:last]
        view.size = len(view.names)
        view.failed = self.failed & set(view.names)
        view.shift, view.finish = self.shift, self.finish[first:last]
        return view

    def stage_groups(self):
        return dict((group, self.names[first:last]) for group, first, last, _limits in STAGES)


def scheduled_finishes(fleet, job_id, things=None):
    """(wall time, outcome) of every device's finish (of these things only,
    when given), as the simulator scheduled it."""
    to_wall = time.time() - fleet.clock()
    return sorted((due + to_wall, outcome) for due, outcome in fleet.scheduled_finishes(job_id, things))


class Ticker:
    """Advances the simulator every ADVANCE_EVERY seconds.

    The simulator applies due events when a request arrives, so without a
    tick a poll round after a quiet spell would pay for every status change
    since the last one (seconds at 100,000 devices) and the devices would
    seem to finish when the gate looks.  AWS moves on its own.
    """

    def __init__(self, fleet):
        self._fleet = fleet
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="fleet-ticker", daemon=True)

    def _run(self):
        while not self._stop.wait(ADVANCE_EVERY):
            self._fleet.advance()

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()


def reset(endpoint):
    """A fresh endpoint: no jobs, no recorded requests, the rate limit on."""
    gc.unfreeze()
    endpoint.reset()
    gc.collect()
    endpoint.set_faults(rate_limit_tps=RATE_LIMIT_TPS)


# -- one gate in a child process ------------------------------------------------
def child_env(url):
    return local_aws_env(url, ACCESS_KEY, SECRET_KEY, REGION)


def create_job(endpoint, scenario, job_id, targets, stage=None):
    if stage is not None:
        # One job over the stages' groups; the gate counts one of them.
        endpoint.fleet.create_job(job_id, groups=scenario.stage_groups(), devices=scenario.devices())
    elif targets == "group":
        # AWS allows at most 100 targets per job: a fleet is a thing group.
        endpoint.fleet.create_job(job_id, groups={"wave-{0}".format(scenario.size): scenario.names},
                                  devices=scenario.devices())
    else:
        # Every thing by name: moto then returns all N ARNs in DescribeJob.
        endpoint.fleet.create_job(job_id, things=scenario.names, register_things=False, devices=scenario.devices())


def run_gate(endpoint, scenario, approach, limit, workdir, log, targets="group", stage=None):
    """Create a fresh job, run one gate against it, return what was measured.

    ``stage``: (group, first, last) for stage mode; the verdict and the
    latency are then the stage's devices'."""
    reset(endpoint)
    job_id = "fw-{0}-{1}-{2:g}".format(stage[0] if stage else approach, scenario.size, limit).replace(".", "_")
    started = time.monotonic()
    create_job(endpoint, scenario, job_id, targets, stage)
    created_in = time.monotonic() - started
    job_size = scenario.size
    if stage is not None:
        scenario = scenario.stage(stage[1], stage[2])
        finishes = scheduled_finishes(endpoint.fleet, job_id, set(scenario.names))
    else:
        finishes = scheduled_finishes(endpoint.fleet, job_id)
    # The fleet's objects live until the next run: keep the cyclic GC from
    # walking them, so it does not pause the endpoint in a poll round.
    gc.freeze()

    spec = dict(approach="naive" if approach == "naive" else "module", collections_root=str(collections_root()))
    if approach == "naive":
        spec.update(job_id=job_id, thing_names=scenario.names, sleep=SLEEP, timeout=TIMEOUT,
                    settings=dict(access_key=ACCESS_KEY, secret_key=SECRET_KEY, region=REGION,
                                  endpoint_url=endpoint.url))
    else:
        args = dict(job_id=job_id, sleep=SLEEP, timeout=TIMEOUT, max_failure_percent=limit)
        if approach == "thing":
            args["thing_names"] = scenario.names
        elif stage is not None:
            args["thing_group"] = stage[0]
        spec["module_args"] = args
    spec_path, report_path, out_path = (workdir / "{0}.{1}".format(job_id, kind) for kind in ("spec", "report", "out"))
    spec_path.write_text(json.dumps(spec))
    with open(out_path, "wb") as out, Ticker(endpoint.fleet):
        child = subprocess.Popen([sys.executable, str(BENCH / "gate_child.py"), str(spec_path), str(report_path)],
                                 stdout=out, env=child_env(endpoint.url), cwd=str(ROOT))
        killer = threading.Timer(TIMEOUT + 120, child.kill)
        killer.start()
        # wait4 for this child's rusage: its ru_maxrss is kept to compare with VmHWM.
        _pid, status, rusage = os.wait4(child.pid, 0)
        killer.cancel()
        child.returncode = os.waitstatus_to_exitcode(status)
    report = json.loads(report_path.read_text())
    output = out_path.read_text()
    result = json.loads(output) if approach != "naive" and output.strip() else None
    measured = analyse(endpoint.calls(), report)
    measured.update(
        size=job_size, approach=approach if stage is None else "stage {0:,}".format(scenario.size), limit=limit,
        how="measured", job_id=job_id,
        stage_size=scenario.size if stage is not None else None,
        created_in=round(created_in, 2), child_rc=child.returncode,
        peak_rss_mb=round(report["memory_kib"]["VmHWM"] / 1024.0, 1),
        wait4_maxrss_mb=round(rusage.ru_maxrss / 1024.0, 1),
        targets=targets,
        start_offset=report["started_at"] - (finishes[-1][0] - max(scenario.finish)),
        # From main() being called to the first round: arguments, input checks, client.
        startup=round(report["rounds"][0][0] - report["started_at"], 2) if report["rounds"] else None,
        end_phase_seconds=round(report["returned_at"] - report["end_phase"][0], 2) if report["end_phase"] else None,
    )
    if approach == "naive":
        measured["naive"] = report["naive"]
        measured["verdicts"] = [naive_verdict(report["naive"], scenario, each) for each in (PASS_LIMIT, FAIL_LIMIT)]
        measured["latency"] = report["returned_at"] - finishes[-1][0]
    else:
        expected = scenario.expected_verdict(limit)
        if expected == "failed":
            crossing = [at for at, outcome in finishes if outcome == "FAILED"][scenario.failures_to_cross(limit) - 1]
            measured["decisive"] = "limit crossed"
        else:
            crossing = finishes[-1][0]
            measured["decisive"] = "last device finished"
        measured["latency"] = report["returned_at"] - crossing
        # The verdict is known when the deciding round ends; a cancel_on_failure
        # would go out then, before the failure-reasons describes.
        if report["end_phase"]:
            measured["verdict_latency"] = round(report["end_phase"][0] - crossing, 2)
        measured["verdicts"] = [module_verdict(result, report.get("exit_code"), scenario, approach, limit)]
        measured["polls"] = (result or {}).get("polls")
        measured["msg"] = (result or {}).get("msg")
        measured["result_counts"] = (result or {}).get("status_counts")
        measured["end_failures"] = sum(n for s, n in ((result or {}).get("status_counts") or {}).items()
                                       if s != "SUCCEEDED")
    measured["latency"] = round(measured["latency"], 2)
    log("{0:>7} {1:<5} limit {2:g}%: {3} rounds, {4:.1f} s, verdict {5}, latency {6:.2f} s, RSS {7} MB".format(
        scenario.size, approach if stage is None else stage[0], limit, measured["rounds"], time.monotonic() - started,
        "right" if all(v["right"] for v in measured["verdicts"]) else "WRONG", measured["latency"],
        measured["peak_rss_mb"]))
    return measured


def analyse(records, report):
    """Attribute each logged request to a poll round or to the end phase."""
    rounds = report["rounds"]
    end_start = report["end_phase"][0] if report["end_phase"] else report["returned_at"]
    per_round = [Counter() for _round in rounds]
    end, unattributed = Counter(), Counter()
    for record in records:
        if record.fault == "throttle":
            kind = "throttled"
        elif record.fault is None and record.status is not None and record.status < 500:
            kind = "answered"
        else:
            kind = "other"
        key = (record.api, kind)
        for index, (began, ended) in enumerate(rounds):
            if began <= record.at <= ended:
                per_round[index][key] += 1
                break
        else:
            if end_start <= record.at <= report["returned_at"]:
                end[key] += 1
            else:
                unattributed[key] += 1

    def total(counter, kind, api=None):
        return sum(n for (name, k), n in counter.items() if k == kind and api in (None, name))

    in_rounds = sum(per_round, Counter())
    durations = [ended - began for began, ended in rounds]
    return dict(
        rounds=len(rounds),
        round_answered=[total(c, "answered") for c in per_round],
        round_throttled=[total(c, "throttled") for c in per_round],
        round_seconds=[round(d, 3) for d in durations],
        per_api=dict((api, dict(rounds=total(in_rounds, "answered", api), rounds_throttled=total(in_rounds, "throttled", api),
                                end=total(end, "answered", api), end_throttled=total(end, "throttled", api)))
                     for api in APIS),
        other_faults=total(in_rounds, "other") + total(end, "other"),
        unattributed=sum(unattributed.values()),
        end_list_pages=total(end, "answered", "ListJobExecutionsForJob"),
        end_describes=total(end, "answered", "DescribeJobExecution"),
        end_answered=total(end, "answered"),
        end_throttled=total(end, "throttled"),
    )


# -- verdicts against the simulator's truth -------------------------------------
def module_verdict(result, exit_code, scenario, approach, limit):
    expected = scenario.expected_verdict(limit)
    if result is None:
        return dict(limit=limit, expected=expected, got=None, right=False, why="no module output")
    got = result.get("verdict")
    problems = []
    if got != expected:
        problems.append("verdict {0}, expected {1}".format(got, expected))
    if (exit_code == 0) != (expected == "succeeded") or bool(result.get("failed")) != (expected == "failed"):
        problems.append("exit code {0} / failed={1}".format(exit_code, result.get("failed")))
    failed_seen = {e["thing_name"] for e in result.get("job_executions", []) if e.get("status") == "FAILED"}
    if not failed_seen <= scenario.failed:
        problems.append("{0} reported FAILED that did not fail".format(len(failed_seen - scenario.failed)))
    if expected == "succeeded":
        if result.get("status_counts") != scenario.truth_counts():
            problems.append("counts {0}, truth {1}".format(result.get("status_counts"), scenario.truth_counts()))
        if failed_seen != scenario.failed:
            problems.append("failed executions listed: {0} of {1}".format(len(failed_seen), len(scenario.failed)))
        if approach == "thing" and len(result.get("job_executions", [])) != scenario.size:
            problems.append("thing mode returned {0} executions".format(len(result.get("job_executions", []))))
    elif result.get("status_counts", {}).get("FAILED", 0) < scenario.failures_to_cross(limit):
        problems.append("failed with fewer failures than the limit allows")
    return dict(limit=limit, expected=expected, got=got, right=not problems, why="; ".join(problems))


def naive_verdict(naive, scenario, limit):
    """The naive loop decides after its last round, from what it read."""
    expected = scenario.expected_verdict(limit)
    if not naive["all_terminal"]:
        return dict(limit=limit, expected=expected, got=None, right=False, why="loop stopped before the end")
    got = "failed" if naive["failures"] * 100.0 > limit * scenario.size else "succeeded"
    right = got == expected and naive["status_counts"] == scenario.truth_counts()
    return dict(limit=limit, expected=expected, got=got, right=right, why="" if right else "counts differ")


# -- the naive loop, computed where it would take too long ----------------------
def naive_model(scenario, calls_per_second, start_offset):
    """Replay the naive loop over the fleet's timeline: one call every
    1/calls_per_second, every device each round, SLEEP between rounds.
    Returns (rounds, seconds from job creation to the loop's end)."""
    step = 1.0 / calls_per_second
    now = start_offset
    rounds = 0
    while True:
        rounds += 1
        unfinished = 0
        for finish in scenario.finish:
            now += step
            unfinished += finish > now
        if not unfinished:
            return rounds, now
        now += SLEEP


def computed_naive(scenario, calibration):
    rate = calibration["calls_per_second"]
    rounds, ended = naive_model(scenario, rate, calibration["start_offset"])
    size = scenario.size
    throttled = size * calibration["throttled_per_call"]
    return dict(
        size=size, approach="naive", limit=PASS_LIMIT, how="computed", rounds=rounds,
        round_answered=[size] * rounds, round_throttled=[round(throttled)] * rounds,
        round_seconds=[round(size / rate, 1)] * rounds,
        per_api=dict((api, dict(rounds=size * rounds if api == "DescribeJobExecution" else 0,
                                rounds_throttled=round(throttled * rounds) if api == "DescribeJobExecution" else 0,
                                end=0, end_throttled=0)) for api in APIS),
        end_list_pages=0, end_describes=0, end_answered=0, end_throttled=0,
        latency=round(ended - max(scenario.finish), 1), peak_rss_mb=None, startup=None,
        verdicts=[dict(limit=limit, expected=scenario.expected_verdict(limit), got=None, right=None, why="computed")
                  for limit in (PASS_LIMIT, FAIL_LIMIT)],
    )


def calibrate(naive_run):
    answered = sum(naive_run["round_answered"])
    return dict(
        calls_per_second=answered / sum(naive_run["round_seconds"]),
        throttled_per_call=sum(naive_run["round_throttled"]) / float(answered),
        start_offset=naive_run["start_offset"],
        from_size=naive_run["size"],
        calls=answered,
    )


# -- the report -------------------------------------------------------------------
def machine():
    def proc_field(path, name):
        with open(path) as handle:
            for line in handle:
                if line.startswith(name):
                    return line.split(":", 1)[1].strip()
        return "?"

    mem_kib = int(proc_field("/proc/meminfo", "MemTotal").split()[0])
    return dict(cpu=proc_field("/proc/cpuinfo", "model name"), cores=os.cpu_count(),
                ram_gib=round(mem_kib / 1024.0 / 1024.0, 1), kernel=platform.release(),
                python=platform.python_version())


def code_state():
    """The commit measured, the measured files that differ from it, and a
    digest of their contents (a commit of the same contents is no change)."""
    def git(*args):
        done = subprocess.run(["git", *args], cwd=str(ROOT), capture_output=True, text=True, check=False)
        return done.stdout.rstrip("\n") if done.returncode == 0 else "?"

    measured = ("plugins", "tests/local_endpoint")
    changed = git("status", "--porcelain", "--", *measured)
    digest = hashlib.sha256()
    for path in sorted(p for top in measured for p in (ROOT / top).rglob("*.py")):
        digest.update(str(path.relative_to(ROOT)).encode() + b"\0" + path.read_bytes())
    return dict(commit=git("rev-parse", "--short", "HEAD"), digest=digest.hexdigest(),
                changed=sorted(line[3:] for line in changed.splitlines() if line.strip()) if changed != "?" else ["?"])


def describe_code(before, after):
    text = "commit {0}".format(before["commit"])
    if before["changed"]:
        text += ", with uncommitted changes to {0}".format(", ".join(before["changed"]))
    if after["digest"] != before["digest"]:
        text += " (WARNING: plugins/ or tests/local_endpoint/ changed during the run; at the end: commit {0})".format(
            after["commit"])
    return text


def versions():
    from importlib.metadata import version
    return dict((name, version(name)) for name in ("ansible-core", "boto3", "botocore", "moto"))


def fmt_calls(values):
    return "{0} / {1:.1f}".format(max(values), statistics.mean(values)) if values else "-"


def fmt_seconds(values):
    return "{0:.2f} / {1:.2f}".format(statistics.median(values), max(values)) if values else "-"


def per_api_text(run):
    parts = []
    for api in APIS:
        counts = run["per_api"][api]
        answered, throttled = counts["rounds"] + counts["end"], counts["rounds_throttled"] + counts["end_throttled"]
        if answered or throttled:
            parts.append("{0} {1:,}/{2:,}t".format(SHORT[api], answered, throttled))
    return ", ".join(parts) or "-"


def verdict_text(run):
    texts = []
    for verdict in run["verdicts"]:
        if verdict["right"] is None:
            texts.append("{0:g}%: {1} (computed)".format(verdict["limit"], verdict["expected"]))
        else:
            texts.append("{0:g}%: {1} {2}".format(verdict["limit"], verdict["got"], "right" if verdict["right"] else
                                                  "WRONG ({0})".format(verdict["why"])))
    return "; ".join(texts)


def pass_table(runs):
    lines = [
        "| N | approach | how | rounds | calls/round (max / mean) | throttled/round (max / mean) "
        "| calls in rounds | end calls: list pages + describes | per API, all (answered/throttled) "
        "| startup s | round s (median / max) | verdict latency s | detection latency s | peak RSS MB | verdict |",
        "|---:|---|---|---:|---:|---:|---:|---:|---|---:|---:|---:|---:|---:|---|",
    ]
    for run in runs:
        lines.append("| {size:,} | {approach} | {how} | {rounds} | {calls} | {throttled} | {in_rounds:,} | {end} | {api} "
                     "| {startup} | {seconds} | {verdict_latency} | {latency} | {rss} | {verdict} |".format(
                         size=run["size"], approach=run["approach"], how=run["how"], rounds=run["rounds"],
                         calls=fmt_calls(run["round_answered"]), throttled=fmt_calls(run["round_throttled"]),
                         in_rounds=sum(run["round_answered"]),
                         end="{0} + {1}".format(run["end_list_pages"], run["end_describes"]),
                         api=per_api_text(run), seconds=fmt_seconds(run["round_seconds"]),
                         startup="-" if run["startup"] is None else run["startup"],
                         latency=run["latency"], verdict_latency=run.get("verdict_latency", "-"),
                         rss="-" if run["peak_rss_mb"] is None else run["peak_rss_mb"],
                         verdict=verdict_text(run)))
    return "\n".join(lines)


def fail_table(runs):
    lines = [
        "| N | approach | rounds | calls/round (max) | calls in rounds + end | per API, all (answered/throttled) "
        "| startup s | round s (median / max) | verdict latency s | latency from the crossing failure s | peak RSS MB "
        "| verdict |",
        "|---:|---|---:|---:|---:|---|---:|---:|---:|---:|---:|---|",
    ]
    for run in runs:
        lines.append("| {0:,} | {1} | {2} | {3} | {4:,} + {5} | {6} | {7} | {8} | {9} | {10} | {11} | {12} |".format(
            run["size"], run["approach"], run["rounds"], max(run["round_answered"]), sum(run["round_answered"]),
            run["end_answered"], per_api_text(run), run["startup"], fmt_seconds(run["round_seconds"]),
            run.get("verdict_latency", "-"), run["latency"], run["peak_rss_mb"], verdict_text(run)))
    return "\n".join(lines)


def targets(runs):
    """Each target with its measured figure, its limit and measured / limit."""
    rows = []

    def add(target, figure, limit, ok, note="", shown=None, limit_shown=None, ratio=None):
        if ratio is None:
            ratio = "{0:.3g}".format(figure / float(limit))
        rows.append("| {0} | {1} | {2} | {3} | {4} | {5} |".format(
            target, figure if shown is None else shown, limit_shown or "<= {0}".format(limit), ratio,
            "met" if ok else "NOT met", note))

    def find(size, approach, limit=PASS_LIMIT):
        return next((r for r in runs if r["size"] == size and r["approach"] == approach and r["limit"] == limit), None)

    sizes = sorted({r["size"] for r in runs})
    for size in sizes:
        for limit in (PASS_LIMIT, FAIL_LIMIT):
            fleet = find(size, "fleet", limit)
            if fleet is None:
                continue
            most = max(fleet["round_answered"])
            add("fleet: calls per round, N={0:,}, {1:g}% gate".format(size, limit), most, 2, most <= 2, "most in any round")
    for size in sizes:
        fleet = find(size, "fleet")
        if fleet is None:
            continue
        failures = fleet["end_failures"]
        pages = max(1, math.ceil(failures / float(PAGE_SIZE)))
        add("fleet: end list pages, N={0:,}".format(size), fleet["end_list_pages"], pages,
            fleet["end_list_pages"] <= pages, "ceil(F/250), F={0:,} not succeeded".format(failures))
        add("fleet: end describes, N={0:,}".format(size), fleet["end_describes"], DEFAULT_FAILURE_REASONS_SAMPLE,
            fleet["end_describes"] <= DEFAULT_FAILURE_REASONS_SAMPLE, "details of the first failures, for the message")
    for size in sizes:
        for limit in (PASS_LIMIT, FAIL_LIMIT):
            thing = find(size, "thing", limit)
            if thing is None:
                continue
            most, bound = max(thing["round_answered"]), math.ceil(size / float(PAGE_SIZE)) + 2
            add("thing: calls per round, N={0:,}, {1:g}% gate".format(size, limit), most, bound, most <= bound,
                "ceil(N/250) + 2")
    naive = find(10000, "naive")
    for approach in ("fleet", "thing"):
        other = find(10000, approach)
        if naive and other:
            cheaper = max(naive["round_answered"]) / float(max(other["round_answered"]))
            add("naive / {0}: calls per round, N=10,000".format(approach), cheaper, 100, cheaper >= 100,
                "naive row {0}".format(naive["how"]), shown="{0:,.0f}x".format(cheaper), limit_shown=">= 100x")
    bound = SLEEP + 1
    for run in runs:
        if run["how"] != "measured" or run["approach"] not in ("thing", "fleet"):
            continue  # the naive loop is the baseline, not a gate with a target; stages have their own below
        add("{0}: verdict latency s, N={1:,}, {2:g}% gate".format(run["approach"], run["size"], run["limit"]),
            run["verdict_latency"], bound, run["verdict_latency"] <= bound, "sleep + 1 s")
    for run in runs:
        if not run["approach"].startswith("stage"):
            continue
        members = run["stage_size"]
        most, label = max(run["round_answered"]), "{0}, {1:g}% gate".format(run["approach"], run["limit"])
        cap = 2 * math.ceil(members / float(PAGE_SIZE)) + 2
        add("{0}: calls per round".format(label), most, cap, most <= cap,
            "DescribeJob + ceil(M/250) membership pages + at most ceil(M/250) + 1 execution reads")
        if members <= 10000:
            add("{0}: calls per round (issue target)".format(label), most, STAGE_CALLS_TARGET,
                most <= STAGE_CALLS_TARGET, "10,000-device stage")
            bound = SLEEP + STAGE_LATENCY_OVER_SLEEP
            latency = run.get("verdict_latency")
            add("{0}: verdict latency s".format(label), latency, bound, latency is not None and latency <= bound,
                "sleep + 5 s")
        else:
            add("{0}: peak RSS MB".format(label), run["peak_rss_mb"], STAGE_RSS_TARGET_MB,
                run["peak_rss_mb"] <= STAGE_RSS_TARGET_MB, "VmHWM")
    fleet = find(100000, "fleet")
    if fleet:
        add("fleet: peak RSS MB, N=100,000", fleet["peak_rss_mb"], 150, fleet["peak_rss_mb"] < 150, "VmHWM",
            limit_shown="< 150")
    checked = [v for r in runs for v in r["verdicts"] if v["right"] is not None]
    right = sum(1 for v in checked if v["right"])
    add("verdicts right", right, len(checked), right == len(checked), "measured runs x limits checked",
        shown="{0}/{1}".format(right, len(checked)), limit_shown="{0}/{0}".format(len(checked)),
        ratio="{0:.0%}".format(right / float(len(checked) or 1)))
    header = ["| target | measured | limit | measured / limit | | note |", "|---|---:|---:|---:|---|---|"]
    return "\n".join(header + rows)


def shortest_round(size):
    """Thing mode's list round under the limit: a full bucket, then RATE_LIMIT_TPS pages a second."""
    return max(0, math.ceil(size / float(PAGE_SIZE)) - RATE_LIMIT_TPS) / float(RATE_LIMIT_TPS)


def reading_notes(runs):
    """What the figures say, with the measured numbers in the text."""

    def find(size, approach):
        return next((r for r in runs if r["size"] == size and r["approach"] == approach and r["limit"] == PASS_LIMIT),
                    None)

    sizes = sorted({r["size"] for r in runs})
    notes = ["- Fleet mode reads the job's counts (one DescribeJob) per round whatever N is, and lists only the "
             "not-succeeded executions, once, at the end."]
    big = [find(size, "thing") for size in sizes if size >= 10000 and find(size, "thing")]
    if big:
        notes.append(
            "- Thing mode lists the whole job while that is cheaper than describing the unfinished things: ceil(N/250) + 1 "
            "calls a round. Once a listing has shown the named things are all of the job's executions, a round that "
            "finds them still working reads only DescribeJob, and the list is read again when the counts show "
            "everything finished or enough failures to matter. A listing round took {0} (the longest round). Under {1} "
            "TPS per API, with a bucket of {1} tokens that refills during the sleep, a listing cannot be shorter than "
            "(ceil(N/250) - {1}) / {1} s: {2}; the rest is the endpoint's and botocore's time per page on this machine. "
            "Thing mode returns every named thing's final status, so it ends with a full listing after the last device "
            "finishes: the sleep + 1 s target cannot hold for thing mode at these sizes under {1} TPS. Fleet mode is "
            "the one for large fleets.".format(
                ", ".join("{0:.1f} s at N={1:,}".format(max(r["round_seconds"]), r["size"]) for r in big),
                RATE_LIMIT_TPS,
                ", ".join("{0:.0f} s at N={1:,}".format(shortest_round(r["size"]), r["size"]) for r in big)))
        largest, smallest = big[-1], find(sizes[0], "thing")
        note = ("- Startup (from `main()` to the first poll) of thing mode was {0:.1f} s at N={1:,}, against {2:.1f} s at "
                "N={3:,}.".format(largest["startup"], largest["size"], smallest["startup"], smallest["size"]))
        note += (" After the last round, thing mode spent {0:.1f} s returning all {1:,} executions (peak RSS {2} MB); "
                 "fleet mode returns only the failures.").format(
                     largest["end_phase_seconds"], largest["size"], largest["peak_rss_mb"])
        notes.append(note)
    stages = [r for r in runs if r["approach"].startswith("stage")]
    for run in stages:
        members = run["stage_size"]
        notes.append(
            "- Stage mode, {0:,} of {1:,} devices, {2:g}% gate: at most {3} calls a round ({4} membership pages "
            "each round), rounds of {5}, verdict latency {6} s, peak RSS {7} MB.".format(
                members, run["size"], run["limit"], max(run["round_answered"]),
                math.ceil(members / float(PAGE_SIZE)), fmt_seconds(run["round_seconds"]), run.get("verdict_latency"),
                run["peak_rss_mb"]))
    if stages:
        notes.append(
            "- Why a stage of a job this large cannot be as quick as fleet mode: the job's counts mix the stages, so "
            "the gate must see each member's own status once. AWS offers two reads for that: one "
            "DescribeJobExecution per member, or ListJobExecutionsForJob by status, whose SUCCEEDED list holds the "
            "whole job's successes (about 98,000 here: 392 pages). The gate never infers a success from a member's "
            "absence in the other lists (a page read while executions move can skip one); so after the last device "
            "finishes, the members not yet seen SUCCEEDED are found by listing SUCCEEDED again, a share of a round's "
            "budget at a time, at {0} requests/s per API. Its membership is read again every round as well, "
            "because AWS IoT has no change marker for a group's members. The failures are listed first, so a stage "
            "that fails its limit is known as soon as its failures are listed.".format(RATE_LIMIT_TPS))
    naive = find(10000, "naive")
    if naive:
        notes.append("- The naive loop's round is N calls: {0:,.0f} s at N=10,000 under the limit, so a gate built "
                     "that way sees the end of a rollout minutes to hours late.".format(naive["round_seconds"][0]))
    return "\n".join(notes)


def write_results(path, runs, calibration, model_check, started_at, seconds, command, targets_mode, code):
    info, pinned = machine(), versions()
    pass_runs = [r for r in runs if r["limit"] == PASS_LIMIT or r["approach"] == "naive"]
    fail_runs = [r for r in runs if r["limit"] == FAIL_LIMIT and r["approach"] != "naive"]
    if targets_mode == "group":
        target_text = ("targeting one thing group that holds all N things (AWS allows at most 100 targets per job, "
                       "so a fleet is targeted through groups)")
    else:
        target_text = "targeting all N things by name (so DescribeJob returns all N target ARNs)"
    largest = max(r["size"] for r in runs)
    naive_rounds = ", ".join("{0:,.0f} s at N={1:,}".format(size / float(RATE_LIMIT_TPS), size)
                             for size in sorted({r["size"] for r in runs if r["how"] == "computed"}))
    if calibration is not None:
        computed = """- **Computed rows.** A naive round is N calls at about {tps} calls/s: {naive_rounds}. Those rows replay the naive
  loop over the same fleet timeline (`naive_model`). They use the per-call figures measured in the N={cal_size:,} naive
  run: {rate:.2f} answered calls/s within rounds, and {throttle:.2f} throttled attempts per answered call ({cal_calls}
  calls). Model check: for N={cal_size:,} the model gives {model_rounds} rounds and a latency of {model_latency:.1f} s;
  the measured run gave {measured_rounds} rounds and {measured_latency:.1f} s.""".format(
            tps=RATE_LIMIT_TPS, naive_rounds=naive_rounds or "-", cal_size=calibration["from_size"],
            rate=calibration["calls_per_second"], throttle=calibration["throttled_per_call"],
            cal_calls=calibration["calls"], model_rounds=model_check["rounds"],
            model_latency=model_check["latency"], measured_rounds=model_check["measured_rounds"],
            measured_latency=model_check["measured_latency"])
    else:
        computed = "- **Computed rows.** None: this run measured no naive loop (`--approaches`)."
    text = """# Fleet-scale benchmark: iot_job_execution_wait against the naive loop

Generated by `benchmarks/fleet_gate.py`; do not edit by hand.

- Date: {date} (UTC)
- Machine: {cpu}, {cores} cores, {ram} GiB RAM (`/proc/meminfo`), Linux {kernel}, Python {python}
- Versions: {versions}
- Code measured: {code}
- Command: `{command}` (runs `.venv/bin/python benchmarks/fleet_gate.py`)
- Total run time: {seconds:.0f} s

## Method

- **Endpoint.** The local IoT Jobs endpoint (moto's server, the fleet simulator and the fault layer;
  `tests/local_endpoint`), in the benchmark's own process, with `set_faults(rate_limit_tps={tps})`: a token bucket of
  {tps} requests/s per API that answers `ThrottlingException` as AWS IoT does. The buckets start full for each run.
  Every request lands in the endpoint's log, and all call counts below come from it. "Throttled" counts attempts
  refused by the limit, which botocore retried; they are not in the answered counts. For the benchmark only, moto's
  `ListJobExecutionsForJob` is replaced by one that resumes pages from a position instead of searching for the token
  (`benchmarks/fast_listing.py`): same pages in the same order, but linear instead of quadratic in N.
- **Fleet.** One fresh job per run, {target_text}. Each device goes IN_PROGRESS {start:g} s after the job is created,
  and ends at a time drawn uniformly from {window0:g} to {window1:g} s; {share:.0%} of the devices (seeded) end FAILED,
  the rest SUCCEEDED. The whole script is shifted by {shift_us:g} µs per execution ({shift_max:g} s at N={largest:,}),
  because creating the executions takes the simulator about that long, and the finish window must come after it. A
  driver thread advances the simulator every {tick_ms:g} ms, so devices change status on time rather than when the
  next request arrives. The simulator's event queue gives the exact moment of every finish.
- **Gates.** `sleep: {sleep:g}`. Each gate runs in a fresh child process (`benchmarks/gate_child.py`, started with
  `subprocess`, so none of the benchmark's memory is in it):
  - *thing* and *fleet*: the real `iot_job_execution_wait.main()`, called in-process inside
    `ansible.module_utils.testing.patch_module_args(args)`. That sets the `ANSIBLE_MODULE_ARGS` JSON the way Ansible
    hands arguments to a module (ansible-core 2.19). Connection settings come from `AWS_*` environment variables, as
    under Ansible. The module prints its JSON result to stdout (a file) and ends with `SystemExit`, which the child
    catches. The only addition is a `WaitObserver` passed to `main()`, whose hooks timestamp each poll round and the
    start of the end phase, so that each logged request can be attributed to a round or to the end phase. Under
    ansible-playbook, the collection's action plugin runs the same `Waiter` in the controller process instead.
  - *naive*: one `DescribeJobExecution` per device per round, every device every round, with `sleep` between rounds,
    until every device is terminal. It goes through `connection.iot_client()`: the collection's own boto3 client, with
    `DEFAULT_BOTOCORE_CONFIG` (standard retry mode, 15 attempts) and its retry bounds.
- **Measures.**
  - *calls/round*: answered requests in one poll round, all APIs.
  - *per API*: answered/throttled attempts over the whole run, for DJ (DescribeJob), LJEJ (ListJobExecutionsForJob),
    DJE (DescribeJobExecution) and LJET (ListJobExecutionsForThing).
  - *end calls*: after the last round, the list pages of the not-succeeded executions, plus the DescribeJobExecution
    calls the module makes for failure details (it describes at most {detailed} failures, for its message).
  - *startup*: from `main()` being called (or the naive loop starting) to the first poll round: argument parsing,
    input checks, client set-up.
  - *round s*: wall time of one round.
  - *verdict latency*: from the moment the last device finished (pass gate), or the failure that put the share over
    the limit arrived (fail gate), to the end of the poll round that decided. That is when the gate knows, and when
    `cancel_on_failure` sends `CancelJob`; the "sleep + 1 s" targets apply to it.
  - *detection latency*: the same, to `main()` returning: the verdict latency plus the end phase, which lists the
    not-succeeded executions and describes up to {detailed} failures for `failure_reasons` (a tenth of a second
    each under the 10 requests/s limit).
  - *peak RSS*: `VmHWM` from `/proc/self/status`, read by the child itself just before it exits. That covers its own
    address space only. `wait4`'s `ru_maxrss` (in results.json) also counts the parent's memory, which the kernel
    records at fork/exec.
  - *verdict*: checked against the simulator's truth: the verdict and the exit code, and, for a pass, the exact status
    counts and the set of failed things.
{computed}
- **Stage mode.** At N={stage_job:,} the job targets two thing groups, {stage_sizes} devices, rolled out together
  with the same device script; each *stage* gate (`thing_group`) counts one group, and its verdict, latency and
  counts are checked against that group's devices only.
- Thing mode's fail gate is measured up to N={thing_fail_up:,}. Above that, the fail verdict is checked in fleet mode
  only, to keep the whole run under 10 minutes.

## Pass gate: max_failure_percent {pass_limit:g} (the fleet has {share:.0%} FAILED)

{pass_table}

## Fail gate: max_failure_percent {fail_limit:g} (must fail)

{fail_table}

## Targets

{targets}

## Reading the figures

{notes}
""".format(
        date=started_at.strftime("%Y-%m-%d %H:%M"), cpu=info["cpu"], cores=info["cores"], ram=info["ram_gib"],
        kernel=info["kernel"], python=info["python"],
        versions=", ".join("{0} {1}".format(k, v) for k, v in pinned.items()), command=command, seconds=seconds,
        code=code,
        tps=RATE_LIMIT_TPS, target_text=target_text, start=DEVICE_START, window0=FINISH_WINDOW[0],
        window1=FINISH_WINDOW[1], share=FAILED_SHARE, shift_us=SHIFT_PER_EXECUTION * 1e6,
        shift_max=largest * SHIFT_PER_EXECUTION, largest=largest, tick_ms=ADVANCE_EVERY * 1000, sleep=SLEEP,
        detailed=DEFAULT_FAILURE_REASONS_SAMPLE, computed=computed, stage_job=STAGE_JOB_SIZE,
        stage_sizes=" and ".join("{0:,}".format(last - first) for _group, first, last, _limits in STAGES),
        thing_fail_up=THING_FAIL_UP_TO, pass_limit=PASS_LIMIT, fail_limit=FAIL_LIMIT,
        pass_table=pass_table(pass_runs), fail_table=fail_table(fail_runs), targets=targets(runs),
        notes=reading_notes(runs),
    )
    path.write_text(text)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default=",".join(str(s) for s in SIZES), help="fleet sizes, comma-separated")
    parser.add_argument("--output", default=str(BENCH / "RESULTS.md"))
    parser.add_argument("--raw", default=str(BENCH / "results.json"))
    parser.add_argument("--command", default="make bench", help="the command to print in the results")
    parser.add_argument("--targets", choices=("group", "things"), default="group",
                        help="target the job at one thing group (default) or at every thing by name")
    parser.add_argument("--approaches", default=",".join(APPROACHES),
                        help="which gates to run, comma-separated; 'stage' runs at N={0:,} only. Without 'naive' "
                             "there are no computed naive rows (e.g. --sizes {0} --approaches stage --output "
                             "/tmp/stage.md --raw /tmp/stage.json runs only the stage rows)".format(STAGE_JOB_SIZE))
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",")]
    approaches = set(args.approaches.split(","))
    started_at = datetime.datetime.now(datetime.timezone.utc)
    clock = time.monotonic()
    code_before = code_state()

    def log(line):
        print("[{0:6.1f} s] {1}".format(time.monotonic() - clock, line), file=sys.stderr, flush=True)

    fast_listing.install()
    runs = []
    calibration = None
    with LocalEndpoint(region=REGION) as endpoint, tempfile.TemporaryDirectory(prefix="fleet-gate-") as tmp:
        workdir = Path(tmp)
        if "naive" in approaches and not any(size <= NAIVE_MEASURED_UP_TO for size in sizes):
            sizes.insert(0, NAIVE_MEASURED_UP_TO)  # the computed naive rows need measured per-call figures
        for size in sizes:
            scenario = Scenario(size)
            if "naive" in approaches and size <= NAIVE_MEASURED_UP_TO:
                naive = run_gate(endpoint, scenario, "naive", PASS_LIMIT, workdir, log, args.targets)
                runs.append(naive)
                if calibration is None or size > calibration["from_size"]:
                    calibration = calibrate(naive)
            for approach in ("fleet", "thing"):
                for limit in (PASS_LIMIT, FAIL_LIMIT):
                    if approach not in approaches or (approach == "thing" and limit == FAIL_LIMIT
                                                      and size > THING_FAIL_UP_TO):
                        continue
                    runs.append(run_gate(endpoint, scenario, approach, limit, workdir, log, args.targets))
            if "stage" in approaches and size == STAGE_JOB_SIZE:
                for group, first, last, limits in STAGES:
                    for limit in limits:
                        runs.append(run_gate(endpoint, scenario, "stage", limit, workdir, log, args.targets,
                                             stage=(group, first, last)))
    model_check = None
    if calibration is not None:
        for size in sizes:
            if size > NAIVE_MEASURED_UP_TO:
                runs.append(computed_naive(Scenario(size), calibration))
        measured = next(r for r in runs if r["approach"] == "naive" and r["how"] == "measured"
                        and r["size"] == calibration["from_size"])
        calibrated = Scenario(calibration["from_size"])
        rounds, ended = naive_model(calibrated, calibration["calls_per_second"], calibration["start_offset"])
        model_check = dict(rounds=rounds, latency=ended - max(calibrated.finish),
                           measured_rounds=measured["rounds"], measured_latency=measured["latency"])
    order = {"naive": 0, "thing": 1, "fleet": 2, "stage": 3}
    runs.sort(key=lambda r: (r["size"], r["limit"] != PASS_LIMIT, order[r["approach"].split()[0]],
                             r.get("stage_size") or 0))
    seconds = time.monotonic() - clock
    code = describe_code(code_before, code_state())
    write_results(Path(args.output), runs, calibration, model_check, started_at, seconds, args.command, args.targets,
                  code)
    Path(args.raw).write_text(json.dumps(dict(runs=runs, calibration=calibration, seconds=seconds), indent=1,
                                         default=str))
    log("wrote {0} and {1} in {2:.0f} s".format(args.output, args.raw, seconds))
    wrong = [r for r in runs if any(v["right"] is False for v in r["verdicts"])]
    return 1 if wrong else 0


if __name__ == "__main__":
    sys.exit(main())
