"""examples/gate_rollout.yml runs as written against the local endpoint: it
gates two jobs created elsewhere, the canaries' in thing mode and the fleet's
in fleet mode, under the 5 % limit it sets."""

from __future__ import annotations

from helpers import ROOT, base_env, run_playbook
from local_endpoint import Device

EXAMPLE = ROOT / "examples" / "gate_rollout.yml"
DONE = Device.from_dict({"outcome": "SUCCEEDED", "start": 0, "finish": 0.2})


def test_both_gates_pass_with_one_fleet_failure_under_the_limit(tmp_path, iot):
    iot.fleet.create_job("fw-2-4-1-canary", things=["canary-1", "canary-2", "canary-3"], default=DONE)
    failing = Device.from_dict({"outcome": "FAILED", "start": 0, "finish": 0.2, "details": {"reason": "checksum"}})
    iot.fleet.create_job("fw-2-4-1", things=["sensor-{0}".format(n) for n in range(40)], default=DONE,
                         devices={"sensor-17": failing})

    run = run_playbook(tmp_path, EXAMPLE, base_env(iot.url))

    assert run.rc == 0, run.output
    assert run.result("Canary stage - every canary device must succeed")["verdict"] == "succeeded"
    assert run.result("Check each canary's report with the lookup")["msg"] == \
        "canary-1, canary-2, canary-3 report SUCCEEDED"
    fleet = run.result("Fleet stage - wait on every execution of the job")
    assert fleet["verdict"] == "succeeded" and fleet["status_counts"] == {"SUCCEEDED": 39, "FAILED": 1}, fleet["msg"]
