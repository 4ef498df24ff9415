"""Every plugin under throttling storms, the per-API rate limit, 503s and
connection resets: the answer is still right, and nothing fails falsely.

Each fault hits every API the plugin calls, so each test also checks that
the fault was met: a test that never met it proves nothing.
"""

from __future__ import annotations


import pytest

from helpers import create_job_task, settled_job

WAIT = "iotops.aws.iot_job_execution_wait"
INFO = "iotops.aws.iot_job_execution_info"
JOB = "fw-storm"
THINGS = ["dev-{0:03d}".format(index) for index in range(200)]
FAILING = THINGS[:2]
FAILURE_DETAILS = {"reason": "checksum mismatch"}

# Seeds that fault the first few requests but never more than 5 in a row
# early on: the tests are about the answer under a storm, even for a plugin
# that sends few requests, not about the tail of botocore's backoff, which
# reaches 20 s a retry.
FAULTS = {
    "throttle-30%": dict(throttle_rate=0.3, seed=1),
    "throttle-70%": dict(throttle_rate=0.7, seed=24),
    # AWS IoT's 10 TPS per API, with other clients of the account using 7.
    "rate-limit-10tps": dict(rate_limit_tps=10, neighbour_tps=7),
    "503-50%": dict(unavailable_rate=0.5, seed=3),
    "reset-50%": dict(reset_rate=0.5, seed=11),
}
FAULT_KIND = {"throttle-30%": "throttle", "throttle-70%": "throttle", "rate-limit-10tps": "throttle",
              "503-50%": "unavailable", "reset-50%": "reset"}


def expected_status(thing):
    return "FAILED" if thing in FAILING else "SUCCEEDED"


EXPECTED_COUNTS = {"SUCCEEDED": len(THINGS) - len(FAILING), "FAILED": len(FAILING)}


def scripted_devices():
    """Devices finishing over ~2 s; FAILING fail, within the gate's limit."""
    devices = {name: dict(outcome="SUCCEEDED", start=0.2, finish=0.5 + 2.0 * index / len(THINGS))
               for index, name in enumerate(THINGS)}
    for name in FAILING:
        devices[name] = dict(outcome="FAILED", start=0.2, finish=0.8, details=FAILURE_DETAILS)
    return devices


def assert_fault_met(iot, fault, run, plugin):
    """The plugins met the fault, and got past it by retrying."""
    calls = iot.calls()
    print("{0}: {1} right after {2:.1f} s, {3} of {4} requests faulted".format(
        fault, plugin, run.seconds, sum(1 for call in calls if call.fault), len(calls)))
    assert any(call.fault == FAULT_KIND[fault] for call in calls), "the fault never happened"
    assert any(call.fault is None and call.attempt > 1 for call in calls), "no retry ever succeeded"


@pytest.mark.parametrize("fault", FAULTS)
def test_wait_under_faults(playbook, iot, fault):
    iot.set_faults(**FAULTS[fault])
    wait = dict(job_id=JOB, max_failures=len(FAILING), sleep=0.1, timeout=300)
    run = playbook([
        create_job_task(iot, job_id=JOB, things=THINGS, devices=scripted_devices()),
        {"name": "things", WAIT: dict(wait, thing_names=THINGS)},
        {"name": "fleet", WAIT: wait},
    ])
    assert run.rc == 0, run.output

    things = run.result("things")
    assert (things["verdict"], things["status_counts"]) == ("succeeded", EXPECTED_COUNTS)
    assert [(e["thing_name"], e["status"]) for e in things["job_executions"]] == \
        [(name, expected_status(name)) for name in THINGS]
    assert [e["status_details"]["details_map"] for e in things["job_executions"] if e["status"] == "FAILED"] == \
        [FAILURE_DETAILS] * len(FAILING)

    fleet = run.result("fleet")
    assert (fleet["verdict"], fleet["status_counts"]) == ("succeeded", EXPECTED_COUNTS)
    assert sorted((e["thing_name"], e["status"]) for e in fleet["job_executions"]) == \
        [(name, "FAILED") for name in FAILING]
    assert [e["status_details"]["details_map"] for e in fleet["job_executions"]] == [FAILURE_DETAILS] * len(FAILING)
    assert_fault_met(iot, fault, run, "wait")


@pytest.mark.parametrize("fault", FAULTS)
def test_info_under_faults(playbook, iot, fault):
    settled_job(iot, JOB, THINGS, failed=dict.fromkeys(FAILING, FAILURE_DETAILS))  # before the faults begin
    iot.set_faults(**FAULTS[fault])
    run = playbook([
        {"name": "job", INFO: {"job_id": JOB}},
        {"name": "failed", INFO: {"job_id": JOB, "status": "FAILED"}},
        {"name": "describe", INFO: {"job_id": JOB, "thing_name": FAILING[0]}},
        {"name": "thing", INFO: {"thing_name": FAILING[1]}},
    ])
    assert run.rc == 0, run.output

    listed = run.result("job")["job_executions"]
    assert sorted((e["thing_name"], e["status"]) for e in listed) == [(name, expected_status(name)) for name in THINGS]
    assert sorted(e["thing_name"] for e in run.result("failed")["job_executions"]) == FAILING
    assert [(e["thing_name"], e["status"], e["status_details"]["details_map"])
            for e in run.result("describe")["job_executions"]] == [(FAILING[0], "FAILED", FAILURE_DETAILS)]
    assert [(e["job_id"], e["status"]) for e in run.result("thing")["job_executions"]] == [(JOB, "FAILED")]
    assert_fault_met(iot, fault, run, "info")


@pytest.mark.parametrize("fault", FAULTS)
def test_lookup_under_faults(playbook, iot, fault):
    settled_job(iot, JOB, THINGS, failed=dict.fromkeys(FAILING, FAILURE_DETAILS))  # before the faults begin
    iot.set_faults(**FAULTS[fault])
    terms = FAILING + THINGS[-4:]
    run = playbook([{
        "name": "lookup",
        "ansible.builtin.set_fact": {"found": "{{ query('iotops.aws.iot_job_execution', terms, job_id=job) }}"},
        "vars": {"terms": terms, "job": JOB},
    }])
    assert run.rc == 0, run.output
    found = run.result("lookup")["ansible_facts"]["found"]
    assert [(e["thing_name"], e["status"]) for e in found] == [(name, expected_status(name)) for name in terms]
    assert [e["status_details"]["details_map"] for e in found[:len(FAILING)]] == [FAILURE_DETAILS] * len(FAILING)
    assert_fault_met(iot, fault, run, "lookup")
