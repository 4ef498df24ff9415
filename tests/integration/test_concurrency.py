"""Twenty hosts each running the wait on the same job at once, as an
inventory does without run_once, under AWS IoT's 10 TPS per API.

Every copy polls the account-wide limit, so they throttle each other; each
must still reach the right verdict, and the gate as a whole may only slow
down within a generous bound of what one host takes.

The account is busy: other clients use part of the limit and have just spent
its burst, so each API's bucket starts empty and the first request to it is
throttled however fast or slow the machine runs the hosts.
"""

from __future__ import annotations

import sys

import pytest
import yaml

from helpers import base_env, create_job_task, run_playbook

JOB = "fw-crowd"
THINGS = ["dev-{0:03d}".format(index) for index in range(200)]
HOSTS = 20
# AWS IoT's 10 TPS per API, 2 of them used by other clients of the account.
LIMIT = dict(rate_limit_tps=10, neighbour_tps=2)


def rollout():
    """Devices finishing over ~6 s; one fails, within the gate's limit."""
    devices = {name: dict(outcome="SUCCEEDED", start=0.2, finish=1.0 + 5.0 * index / len(THINGS))
               for index, name in enumerate(THINGS)}
    devices[THINGS[0]] = dict(outcome="FAILED", start=0.2, finish=1.0, details={"reason": "flash busy"})
    return devices


def gate_playbook(iot, hosts):
    # The job is created once, by the controller; then every host waits on it.
    return [
        {"name": "create", "hosts": "local", "gather_facts": False, "tasks": [
            create_job_task(iot, job_id=JOB, things=THINGS, devices=rollout())]},
        {"name": "gate", "hosts": "crowd[0:{0}]".format(hosts - 1), "gather_facts": False, "tasks": [
            # sleep 1: twenty hosts poll each API at twice the limit.
            {"name": "wait", "iotops.aws.iot_job_execution_wait": {
                "job_id": JOB, "thing_names": THINGS, "max_failures": 1, "sleep": 1, "timeout": 240}}]},
    ]


@pytest.fixture
def run_plays(tmp_path, iot):
    """Run several plays, with HOSTS more local hosts in the group crowd."""
    inventory = tmp_path / "crowd.ini"
    inventory.write_text("[crowd]\n" + "".join("host-{0:02d} ansible_connection=local ansible_python_interpreter={1}\n".format(
        index, sys.executable) for index in range(HOSTS)))

    def run(plays):
        path = tmp_path / "plays.yml"
        path.write_text(yaml.safe_dump(plays, sort_keys=False))
        return run_playbook(tmp_path, path, base_env(iot.url), args=("-i", str(inventory), "--forks", str(HOSTS)))

    return run


def run_gate(run_plays, iot, hosts):
    iot.reset()
    iot.set_faults(**LIMIT)
    run = run_plays(gate_playbook(iot, hosts))
    assert run.rc == 0, run.output
    results = [r for r in run.results if r["task"] == "wait"]
    assert len(results) == hosts
    calls = iot.calls()
    return run, results, calls, calls[-1].at - calls[0].at


def test_twenty_hosts_polling_one_job_all_reach_the_verdict(run_plays, iot):
    alone, alone_results, _alone_calls, alone_span = run_gate(run_plays, iot, 1)
    crowd, results, calls, span = run_gate(run_plays, iot, HOSTS)
    throttled = sum(1 for call in calls if call.fault == "throttle")
    figures = (alone.seconds, alone_span, HOSTS, crowd.seconds, span, throttled, len(calls))
    print("one host: {0:.1f} s play, {1:.1f} s of requests; {2} hosts: {3:.1f} s play, {4:.1f} s of requests, "
          "{5} of {6} requests throttled".format(*figures))

    expected = alone_results[0]["result"]
    assert expected["verdict"] == "succeeded"
    assert expected["status_counts"] == {"SUCCEEDED": len(THINGS) - 1, "FAILED": 1}
    for result in (r["result"] for r in results):
        assert result["verdict"] == "succeeded", result["msg"]
        assert result["status_counts"] == expected["status_counts"]
        assert [(e["thing_name"], e["status"]) for e in result["job_executions"]] == \
            [(e["thing_name"], e["status"]) for e in expected["job_executions"]]
    apis = {call.api for call in calls}
    assert throttled >= len(apis), "the drained buckets did not throttle the first request to each API"
    assert any(call.attempt > 1 and call.fault is None for call in calls), "no throttled request was retried"
    # Generous: the crowd shares the limit and a noisy 2-core machine.
    assert crowd.seconds < 3 * alone.seconds + 20
