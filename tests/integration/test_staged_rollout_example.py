"""examples/staged_rollout.yml runs as written against the local endpoint:
one CONTINUOUS job, a group added per stage, a gate between stages that
cancels the job when it fails.  Group sizes are made small with -e; every
device finishes within a second of being notified."""

from __future__ import annotations

import json

from helpers import ROOT, base_env, run_playbook
from local_endpoint.fleet import Device

EXAMPLE = ROOT / "examples" / "staged_rollout.yml"
GROUPS = {
    "fw-canaries": ["canary-{0}".format(n) for n in range(3)],
    "fw-early-wave": ["early-{0}".format(n) for n in range(6)],
    "fw-rest": ["rest-{0}".format(n) for n in range(10)],
}
SIZES = dict(canary_count=3, early_count=6, rest_count=10, gate_sleep=0.5)
OK = Device.from_dict(dict(outcome="SUCCEEDED", start=0, finish=0.2))
BAD = Device.from_dict(dict(outcome="FAILED", start=0, finish=0.2, details={"reason": "flash write error"}))


def run_example(tmp_path, iot, devices=None):
    for group, members in GROUPS.items():
        iot.fleet.ensure_group(group, members)
    iot.fleet.set_devices(default=OK, devices=devices or {})
    # JSON, so that the sizes stay numbers.
    return run_playbook(tmp_path, EXAMPLE, base_env(iot.url), args=["-e", json.dumps(SIZES)], timeout=150)


def notified(iot, job_id):
    return {entry["thing"] for entry in iot.fleet.timeline(job_id)}


def test_every_stage_passes_and_reaches_every_group(tmp_path, iot):
    run = run_example(tmp_path, iot)
    assert run.rc == 0, run.output
    assert len(iot.calls("CreateJob")) == 1 and len(iot.calls("AssociateTargetsWithJob")) == 2
    assert iot.calls("CancelJob") == []
    last = run.result("Stage 3 gate - at most 2 % may fail")
    assert last["verdict"] == "succeeded" and last["status_counts"] == {"SUCCEEDED": 19}, last["msg"]
    assert notified(iot, "fw-2-4-1") == set(sum(GROUPS.values(), []))


def test_a_failing_early_wave_cancels_the_job_and_the_rest_never_get_it(tmp_path, iot):
    # Every attempt fails, the retry included: 1 of 9 at most is over 2 %.
    run = run_example(tmp_path, iot, devices={"early-1": BAD})
    assert run.rc != 0
    gate = run.result("Stage 2 gate - at most 2 % may fail")
    assert gate["verdict"] == "failed" and gate["canceled"] is True, gate["msg"]
    assert gate["failure_reasons"] == {"reason": {"flash write error": 1}}
    assert len(iot.calls("AssociateTargetsWithJob")) == 1
    job = iot.fleet.backend.jobs["fw-2-4-1"]
    assert (job.status, job.reason_code) == ("CANCELED", "GATE_FAILED")
    assert not notified(iot, "fw-2-4-1") & set(GROUPS["fw-rest"])
