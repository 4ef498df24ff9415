"""One measured gate, in a fresh process of its own.

    python gate_child.py SPEC.json REPORT.json > module-output.json

SPEC says which approach runs:
  module  iot_job_execution_wait.main(), in-process, with the module
          arguments set the way Ansible hands them over
          (ansible.module_utils.testing.patch_module_args builds the
          ANSIBLE_MODULE_ARGS JSON that AnsibleModule reads).  The module
          prints its result JSON to stdout, as it does under Ansible, and
          ends with SystemExit.
  naive   a loop that describes every device's execution once per round
          until all are terminal, through the collection's own boto3 client.

REPORT gets wall-clock marks of each poll round, when the gate returned,
and this process's own peak RSS (VmHWM of /proc/self/status, read at the
very end; it is per address space, so nothing of the parent is counted).
"""

from __future__ import annotations

import json
import os
import sys
import time

TERMINAL = ("SUCCEEDED", "FAILED", "TIMED_OUT", "REJECTED", "REMOVED", "CANCELED")


def memory_kib():
    fields = {}
    with open("/proc/self/status") as status:
        for line in status:
            name, _colon, value = line.partition(":")
            if name in ("VmHWM", "VmRSS"):
                fields[name] = int(value.split()[0])
    return fields


def run_module(spec, report):
    from ansible.module_utils.testing import patch_module_args

    from ansible_collections.iotops.aws.plugins.module_utils.waiter import WaitObserver
    from ansible_collections.iotops.aws.plugins.modules import iot_job_execution_wait

    rounds, end_phase = report["rounds"], report["end_phase"]

    class Timestamps(WaitObserver):
        """Marks each round and the end phase, so the parent can attribute
        the endpoint's request log to them."""

        def round_started(self):
            self.started = time.time()

        def round_ended(self):
            rounds.append([self.started, time.time()])

        def reporting_started(self):
            end_phase.append(time.time())

    report["started_at"] = time.time()
    # Popped, so only the module's own copy of the arguments stays alive.
    with patch_module_args(spec.pop("module_args")):
        try:
            iot_job_execution_wait.main(observer=Timestamps())
        except SystemExit as exc:
            report["exit_code"] = exc.code
    sys.stdout.flush()
    report["returned_at"] = time.time()


def run_naive(spec, report):
    from botocore.exceptions import BotoCoreError, ClientError

    from ansible_collections.iotops.aws.plugins.module_utils.connection import iot_client

    # The collection's client: DEFAULT_BOTOCORE_CONFIG's retries and
    # timeouts, and the same retry bounds.
    client = iot_client(spec["settings"])
    job_id, names = spec["job_id"], spec["thing_names"]
    statuses = {}
    unanswered = 0
    calls = 0
    report["started_at"] = time.time()
    deadline = time.monotonic() + spec["timeout"]
    while True:
        started = time.time()
        for name in names:
            calls += 1
            try:
                execution = client.describe_job_execution(jobId=job_id, thingName=name)["execution"]
            except (BotoCoreError, ClientError):
                unanswered += 1  # still throttled after botocore's retries: next round
                continue
            statuses[name] = execution["status"]
        report["rounds"].append([started, time.time()])
        done = len(statuses) == len(names) and all(s in TERMINAL for s in statuses.values())
        if done or time.monotonic() >= deadline:
            break
        time.sleep(spec["sleep"])
    report["returned_at"] = time.time()
    counts = {}
    for status in statuses.values():
        counts[status] = counts.get(status, 0) + 1
    failures = sum(1 for status in statuses.values() if status in TERMINAL and status != "SUCCEEDED")
    report["naive"] = dict(status_counts=counts, failures=failures, unanswered=unanswered, all_terminal=done,
                           calls=calls)


def main(argv):
    spec_path, report_path = argv[1], argv[2]
    with open(spec_path) as handle:
        spec = json.load(handle)
    sys.path.insert(0, spec["collections_root"])
    report = dict(approach=spec["approach"], rounds=[], end_phase=[])
    try:
        if spec["approach"] == "module":
            run_module(spec, report)
        else:
            run_naive(spec, report)
    finally:
        report["memory_kib"] = memory_kib()
        report["pid"] = os.getpid()
        with open(report_path, "w") as handle:
            json.dump(report, handle)


if __name__ == "__main__":
    main(sys.argv)
