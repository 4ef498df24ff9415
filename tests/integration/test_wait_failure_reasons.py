"""failure_reasons: what the failed devices reported, counted, from a
bounded number of DescribeJobExecution calls.

Devices fail the moment their executions exist (start 0, finish 0), so the
first poll already sees every failure and the counts are exact.
"""

from __future__ import annotations

import pytest

from helpers import create_job_task, wait_task

FLASH = dict(outcome="FAILED", start=0, finish=0, details={"reason": "flash write error", "step": "write"})
BATTERY = dict(outcome="REJECTED", start=0, finish=0, details={"reason": "battery below 20%"})
SILENT = dict(outcome="FAILED", start=0, finish=0)
OK = dict(outcome="SUCCEEDED", start=0, finish=0)


def fleet(job_id, flash=45, battery=15, silent=0, ok=5):
    """A job whose devices fail as counted, in one rollout."""
    devices, things = {}, []
    for kind, script, count in (("flash", FLASH, flash), ("battery", BATTERY, battery), ("silent", SILENT, silent),
                                ("ok", OK, ok)):
        for index in range(count):
            name = "{0}-{1:03d}".format(kind, index)
            things.append(name)
            devices[name] = script
    return dict(job_id=job_id, things=things, devices=devices)


@pytest.mark.parametrize("module_path", [False, True], ids=["action", "module"])
def test_every_failure_counted_when_the_bound_allows(playbook, iot, module_path):
    run = playbook([create_job_task(iot, **fleet("fw-reasons")),
                    wait_task("fw-reasons", module_path=module_path, failure_reasons_sample=100)])
    result = run.result("wait")
    assert result["verdict"] == "failed"
    assert result["failure_reasons"] == {"reason": {"flash write error": 45, "battery below 20%": 15},
                                         "step": {"write": 45}}
    assert result["failure_sample"] == {"sampled": 60, "failed": 60, "without_details": 0}
    assert result["msg"].endswith("; top reasons in 60 of 60 failures: reason=flash write error (45), step=write (45), "
                                  "reason=battery below 20% (15)"), result["msg"]
    assert len(iot.calls("DescribeJobExecution")) == 60


def test_more_failures_than_the_bound_are_sampled(playbook, iot):
    run = playbook([create_job_task(iot, **fleet("fw-many", silent=5)), wait_task("fw-many")])
    result = run.result("wait")
    # The report lists FAILED before REJECTED: the 50 FAILED ones are read,
    # 5 of which reported nothing; the 15 REJECTED ones are not.
    assert result["failure_sample"] == {"sampled": 50, "failed": 65, "without_details": 5}
    assert result["failure_reasons"] == {"reason": {"flash write error": 45}, "step": {"write": 45}}
    assert len(iot.calls("DescribeJobExecution")) == 50
    assert result["msg"].endswith("; top reasons in 50 of 65 failures: reason=flash write error (45), step=write (45)")
    # Every failure is still listed; only the sample carries its details.
    assert len(result["job_executions"]) == 65
    assert len([e for e in result["job_executions"] if "status_details" in e]) == 50


def test_executions_without_details_are_counted_apart(playbook, iot):
    run = playbook([create_job_task(iot, **fleet("fw-silent", flash=2, battery=0, silent=3, ok=0)),
                    wait_task("fw-silent")])
    result = run.result("wait")
    assert result["failure_reasons"] == {"reason": {"flash write error": 2}, "step": {"write": 2}}
    assert result["failure_sample"] == {"sampled": 5, "failed": 5, "without_details": 3}


def test_a_sample_of_zero_describes_nothing(playbook, iot):
    run = playbook([create_job_task(iot, **fleet("fw-none", flash=3, battery=0)), wait_task("fw-none", failure_reasons_sample=0)])
    result = run.result("wait")
    assert result["verdict"] == "failed"
    assert result["failure_reasons"] == {} and result["failure_sample"] == {"sampled": 0, "failed": 3, "without_details": 0}
    assert iot.calls("DescribeJobExecution") == []
    assert "top reasons" not in result["msg"]


def test_thing_mode_does_not_describe_an_execution_twice(playbook, iot):
    # 300 executions make listing them dearer than describing the one thing,
    # so the poll describes it, with its statusDetails, and the report reuses that.
    spec = fleet("fw-one", flash=1, battery=0, ok=299)
    run = playbook([create_job_task(iot, **spec), wait_task("fw-one", thing_names=["flash-000"])])
    result = run.result("wait")
    assert result["verdict"] == "failed", result["msg"]
    assert result["failure_reasons"] == {"reason": {"flash write error": 1}, "step": {"write": 1}}
    assert result["failure_sample"] == {"sampled": 1, "failed": 1, "without_details": 0}
    assert len(iot.calls("DescribeJobExecution")) == 1
    assert iot.calls("ListJobExecutionsForJob") == []


def test_a_pass_has_no_failure_reasons(playbook, iot):
    run = playbook([create_job_task(iot, **fleet("fw-fine", flash=0, battery=0, ok=3)), wait_task("fw-fine")])
    result = run.result("wait")
    assert result["verdict"] == "succeeded"
    assert result["failure_reasons"] == {} and result["failure_sample"] == {"sampled": 0, "failed": 0, "without_details": 0}
