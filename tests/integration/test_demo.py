"""`make demo`'s playbooks, run by examples/demo.sh as `make demo` runs them
(here with the test venv and this checkout as the collection): a clean run,
no [ERROR] or [WARNING] line, and the intended gate failure reported in its
one-line message.  demo.yml itself is what a user would run on AWS: its
jobs come from iot_job, never from the local endpoint's /_sim routes."""

from __future__ import annotations

import os
import subprocess
import sys

import yaml

from helpers import ROOT

EXAMPLES = ROOT / "examples"


def test_demo_playbook_manages_its_jobs_with_iot_job_only():
    plays = yaml.safe_load((EXAMPLES / "demo.yml").read_text())
    tasks = [task for play in plays for task in play["tasks"]]
    modules = [next(key for key in task if "." in key) for task in tasks]
    assert "ansible.builtin.uri" not in modules and "/_sim" not in (EXAMPLES / "demo.yml").read_text()
    assert modules.count("iotops.aws.iot_job") == 3


def test_demo_runs_clean_and_reports_the_stopped_batch_in_one_line(tmp_path):
    link = tmp_path / "collections" / "ansible_collections" / "iotops" / "aws"
    link.parent.mkdir(parents=True)
    link.symlink_to(ROOT, target_is_directory=True)
    env = {"PATH": os.environ["PATH"], "HOME": os.environ.get("HOME", "/tmp"), "LANG": "C.UTF-8",
           "ANSIBLE_NOCOLOR": "1", "DEMO_DIR": str(tmp_path), "DEMO_VENV": sys.prefix}

    done = subprocess.run([str(EXAMPLES / "demo.sh")], env=env, capture_output=True, text=True, timeout=400,
                          check=False)

    output = done.stdout + done.stderr
    assert done.returncode == 0, output
    lines = output.splitlines()
    assert [line for line in lines if line.startswith(("[ERROR]", "[WARNING]", "fatal:"))] == []
    assert [line for line in lines if line.startswith("PLAY RECAP")] and "failed=1" not in output
    stopped = [line for line in lines if "Rollout stopped: Job fw-2-4-2-batch: 3 of " in line]
    assert len(stopped) == 1 and "the gate canceled the job (reason code GATE_FAILED)" in stopped[0], output
    # The failed gate's whole result is never dumped: no JSON of it, only its message.
    assert '"failure_sample"' not in output and '"job_executions"' not in output
    assert "fw-2-4-1: all 43 executions finished; 1 in a fail_on status" in output
