"""One reaction to a bad rollout, in a fresh process of its own.

    python blast_child.py SPEC.json REPORT.json

The child imports everything it needs, writes REPORT.json.ready, and waits
for a line on stdin: the parent creates the job only then, so the Python
start-up is not counted against the approach.  SPEC says what runs:
  gate_cancel  iot_job_execution_wait.main() with cancel_on_failure
  gate_rescue  iot_job_execution_wait.main(), and when it fails,
               iot_job.main() with state=canceled, as a rescue: would
  naive        one DescribeJobExecution per notified device per round,
               then CancelJob once the failures read are over the limit
  eda_guard    the event source iot_job_events' main(), the guard rulebook's
               decision on each event, and iot_job.main() with state=canceled
Modules run as gate_child.py runs them: their real main(), with the
arguments set through ansible.module_utils.testing.patch_module_args.
"""

from __future__ import annotations

import contextlib
import io
import json
import sys
import time

TERMINAL = ("SUCCEEDED", "FAILED", "TIMED_OUT", "REJECTED", "REMOVED", "CANCELED")


def run_module(module, args):
    """Run one module's main(); returns (exit code, result, wall seconds)."""
    from ansible.module_utils.testing import patch_module_args

    out = io.StringIO()
    started = time.time()
    with patch_module_args(args), contextlib.redirect_stdout(out):
        try:
            module.main()
            code = 0
        except SystemExit as exc:
            code = exc.code
    text = out.getvalue().strip()
    return code, json.loads(text) if text else None, [started, time.time()]


def gate_cancel(spec, report):
    from ansible_collections.iotops.aws.plugins.modules import iot_job_execution_wait

    yield
    code, result, span = run_module(iot_job_execution_wait, spec["wait_args"])
    report["steps"].append(dict(task="wait", exit_code=code, result=result, span=span))


def gate_rescue(spec, report):
    from ansible_collections.iotops.aws.plugins.modules import iot_job, iot_job_execution_wait

    yield
    code, result, span = run_module(iot_job_execution_wait, spec["wait_args"])
    report["steps"].append(dict(task="wait", exit_code=code, result=result, span=span))
    if (result or {}).get("failed"):
        code, result, span = run_module(iot_job, spec["cancel_args"])
        report["steps"].append(dict(task="rescue: iot_job state=canceled", exit_code=code, result=result, span=span))


def naive(spec, report):
    from botocore.exceptions import BotoCoreError, ClientError

    from ansible_collections.iotops.aws.plugins.module_utils.connection import iot_client
    from ansible_collections.iotops.aws.plugins.module_utils.jobs_write import cancel_job

    # The collection's client: its botocore config, retries and timeouts.
    client = iot_client(spec["settings"])
    job_id, names, limit = spec["job_id"], spec["thing_names"], spec["max_failure_percent"]
    deadline = time.monotonic() + spec["timeout"]
    rounds = report["rounds"]
    yield
    while time.monotonic() < deadline:
        started = time.time()
        described = failures = 0
        # Devices are notified in rollout order: the first without an
        # execution ends the round, so a round is one call per notified device.
        for name in names:
            try:
                status = client.describe_job_execution(jobId=job_id, thingName=name)["execution"]["status"]
            except ClientError as exc:
                if exc.response.get("Error", {}).get("Code") == "ResourceNotFoundException":
                    break
                continue  # still throttled after botocore's retries: counted as not read
            except BotoCoreError:
                continue
            described += 1
            failures += status in TERMINAL and status != "SUCCEEDED"
        rounds.append(dict(span=[started, time.time()], described=described, failures=failures))
        if described and failures * 100.0 > limit * described:
            started = time.time()
            answer = cancel_job(client, job_id, reason_code=spec["reason_code"], comment=spec["comment"])
            report["steps"].append(dict(task="CancelJob", result=answer, span=[started, time.time()]))
            return
        time.sleep(spec["sleep"])
    report["steps"].append(dict(task="timeout"))


def eda_guard(spec, report):
    """What guard_rollouts.yml does, without ansible-rulebook's process: the
    source's main() on a queue, the rule's condition, and the cancel module."""
    import asyncio
    import os
    import runpy

    from ansible_collections.iotops.aws.plugins.modules import iot_job

    source = runpy.run_path(os.path.join(spec["collections_root"], "ansible_collections", "iotops", "aws", "extensions",
                                         "eda", "plugins", "event_source", "iot_job_events.py"))["main"]
    yield

    async def guard():
        queue = asyncio.Queue()
        task = asyncio.create_task(source(queue, dict(spec["settings"], **spec["source_args"])))
        deadline = time.monotonic() + spec["timeout"]
        try:
            while time.monotonic() < deadline:
                try:
                    event = (await asyncio.wait_for(queue.get(), 1))["iot_job"]
                except asyncio.TimeoutError:
                    continue
                report["rounds"].append(dict(span=[time.time(), time.time()], described=0, failures=event["failures"]))
                # The rulebook's condition: over the limit, in progress, not tagged off.
                if (event["over_limit"] and event["status"] == "IN_PROGRESS"
                        and (event["tags"] or {}).get("iotops:guard") != "off"):
                    code, result, span = run_module(iot_job, dict(spec["cancel_args"], reason_code="EDA_GUARD"))
                    report["steps"].append(dict(task="iot_job state=canceled", exit_code=code, result=result, span=span))
                    return
            report["steps"].append(dict(task="timeout"))
        finally:
            task.cancel()
            await asyncio.gather(task, return_exceptions=True)

    asyncio.run(guard())


APPROACHES = dict(gate_cancel=gate_cancel, gate_rescue=gate_rescue, naive=naive, eda_guard=eda_guard)


def main(argv):
    spec_path, report_path = argv[1], argv[2]
    with open(spec_path) as handle:
        spec = json.load(handle)
    sys.path.insert(0, spec["collections_root"])
    report = dict(approach=spec["approach"], steps=[], rounds=[])
    try:
        run = APPROACHES[spec["approach"]](spec, report)
        next(run)  # imports and set-up done
        with open(report_path + ".ready", "w") as handle:
            handle.write("ready\n")
        sys.stdin.readline()  # the job exists from here on
        report["started_at"] = time.time()
        for _rest in run:
            pass
    finally:
        report["returned_at"] = time.time()
        with open(report_path, "w") as handle:
            json.dump(report, handle)


if __name__ == "__main__":
    main(sys.argv)
