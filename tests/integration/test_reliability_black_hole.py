"""An endpoint that accepts requests and never answers.

The info module and the lookup must give up with one clear line after
3 unanswered attempts of 10 s (botocore's read timeout); the wait must
return within its timeout plus one bounded request.  The three run at
once, one per host under the free strategy, so the suite pays ~30 s once.
"""

from __future__ import annotations

import sys
import threading
import time

from helpers import create_job_task

JOB = "fw-silent"
READ_TIMEOUT = 10
UNANSWERED_ATTEMPTS = 3
WAIT_TIMEOUT = 5
# What a bounded failure may cost beyond its attempts: botocore's backoff
# between them and a noisy machine.
SLACK = 12

LOOKUP_TWO_THINGS = "{{ query('iotops.aws.iot_job_execution', 'dev-1', 'dev-2', job_id='" + JOB + "') }}"
TIMED = {
    "info": {"iotops.aws.iot_job_execution_info": {"job_id": JOB, "thing_name": "dev-1"}},
    "lookup": {"ansible.builtin.set_fact": {"found": LOOKUP_TWO_THINGS}},
    "wait": {"iotops.aws.iot_job_execution_wait": {"job_id": JOB, "thing_names": ["dev-1"], "timeout": WAIT_TIMEOUT,
                                                   "sleep": 1}},
}


def timed_tasks(plugin):
    """The plugin's task between two clock readings, on the host named after it."""
    on_host = "inventory_hostname == '{0}'".format(plugin)
    return [
        {"name": "start " + plugin, "ansible.builtin.set_fact": {"started": "{{ now().timestamp() }}"}, "when": on_host},
        dict({"name": plugin, "when": on_host, "ignore_errors": True}, **TIMED[plugin]),
        {"name": "end " + plugin, "ansible.builtin.set_fact": {"took": "{{ now().timestamp() - started | float }}"},
         "when": on_host},
    ]


def on_host(run, task, host):
    """The status and result of a task on one host."""
    found = [r for r in run.results if r["task"] == task and r["host"] == host]
    assert found, "{0} did not run on {1}; rc={2}\n{3}".format(task, host, run.rc, run.output)
    return found[-1]["status"], found[-1]["result"]


def hosts_inventory(directory):
    path = directory / "hosts.ini"
    path.write_text("[silent]\n" + "".join("{0} ansible_connection=local ansible_python_interpreter={1}\n".format(
        name, sys.executable) for name in TIMED))
    return path


def test_black_hole_fails_each_plugin_in_bounded_time(playbook, iot, tmp_path):
    iot.fleet.create_job(JOB, things=["dev-1", "dev-2"])
    iot.set_faults(black_hole=True)
    tasks = [task for plugin in TIMED for task in timed_tasks(plugin)]
    run = playbook(tasks, hosts="silent", strategy="free", args=("-i", str(hosts_inventory(tmp_path)), "-f", "3"))
    took = {plugin: float(on_host(run, "end " + plugin, plugin)[1]["ansible_facts"]["took"]) for plugin in TIMED}
    print("black hole: seconds to fail", took)

    for plugin in ("info", "lookup"):
        status, result = on_host(run, plugin, plugin)
        assert status == "failed"
        assert "ReadTimeoutError" in result["msg"] and "\n" not in result["msg"], result["msg"]
        assert UNANSWERED_ATTEMPTS * READ_TIMEOUT <= took[plugin] < UNANSWERED_ATTEMPTS * READ_TIMEOUT + SLACK
    # The info module and the lookup each give up after 3 attempts on dev-1;
    # the lookup never sends its second term.
    described = iot.calls("DescribeJobExecution")
    assert sorted(call.attempt for call in described) == [1, 1, 2, 2, 3, 3]
    assert {call.path for call in described} == {"/things/dev-1/jobs/" + JOB}

    status, wait = on_host(run, "wait", "wait")
    assert status == "failed"
    assert wait["verdict"] == "timed_out"
    assert wait["msg"].startswith("Job {0}: timed out after {1} s without a successful poll; the last poll failed: ".format(
        JOB, WAIT_TIMEOUT)) and "ReadTimeoutError" in wait["msg"], wait["msg"]
    assert took["wait"] < WAIT_TIMEOUT + UNANSWERED_ATTEMPTS * READ_TIMEOUT
    assert "Traceback" not in run.output


def black_hole_after_first_answer(iot, api):
    """Turn the endpoint silent once ``api`` has answered once."""

    def watch():
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if any(call.status == 200 for call in iot.calls(api)):
                iot.set_faults(black_hole=True)
                return
            time.sleep(0.05)

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    return watcher


def test_wait_that_loses_the_endpoint_midway_returns_within_timeout_plus_30s(playbook, iot):
    timeout = 12
    watcher = black_hole_after_first_answer(iot, "ListJobExecutionsForJob")
    run = playbook([
        create_job_task(iot, job_id=JOB, things=["dev-1", "dev-2"],
                        devices={"dev-1": {"outcome": "FAILED", "start": 0, "finish": 0.1},
                                 "dev-2": {"outcome": None, "start": 0}}),
        {"name": "wait", "ignore_errors": True, "iotops.aws.iot_job_execution_wait": {
            "job_id": JOB, "thing_names": ["dev-1", "dev-2"], "max_failures": 1,
            "timeout": timeout, "sleep": 1, "delay": 0.5}},
    ])
    watcher.join()
    result = run.result("wait")
    print("black hole midway: wait returned after", result["elapsed"], "s with timeout", timeout)
    assert run.status("wait") == "failed" and result["verdict"] == "timed_out"
    assert "pending: dev-2" in result["msg"] and "ReadTimeoutError" in result["msg"], result["msg"]
    # What the wait saw before the endpoint went silent is still reported.
    assert [(e["thing_name"], e["status"]) for e in result["job_executions"]] == \
        [("dev-1", "FAILED"), ("dev-2", "IN_PROGRESS")]
    assert any(call.fault == "black_hole" for call in iot.calls())
    assert timeout <= result["elapsed"] < timeout + UNANSWERED_ATTEMPTS * READ_TIMEOUT
