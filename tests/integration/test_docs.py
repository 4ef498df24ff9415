"""The docs: the generated plugin pages are current, and the rollout guide's
playbook runs as written against the local endpoint."""

from __future__ import annotations

import difflib
import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import yaml

from helpers import ROOT, base_env, run_playbook
from local_endpoint import Device
from local_endpoint.fleet import ScaledClock

DOCS = ROOT / "docs"
README = ROOT / "README.md"
PLUGIN_PAGES = DOCS / "plugins"
GUIDE = DOCS / "guide_gating_a_firmware_rollout.rst"


# -- generated plugin pages ---------------------------------------------------
def _differences(committed: Path, fresh: Path, context_lines: int = 30) -> list[str]:
    names = sorted({p.name for p in committed.glob("*")} | {p.name for p in fresh.glob("*")})
    problems = []
    for name in names:
        old, new = committed / name, fresh / name
        shown = "docs/plugins/" + name
        if not new.exists():
            problems.append("{0}: no longer generated; delete it".format(shown))
        elif not old.exists():
            problems.append("{0}: missing".format(shown))
        elif old.read_bytes() != new.read_bytes():
            diff = list(difflib.unified_diff(old.read_text().splitlines(), new.read_text().splitlines(),
                                             "committed", "generated", lineterm="", n=1))
            excerpt = diff[:context_lines] + (["..."] if len(diff) > context_lines else [])
            problems.append("{0}: differs\n{1}".format(shown, "\n".join(excerpt)))
    return problems


def test_plugin_pages_are_current(tmp_path):
    """docs/plugins/ is what `make docs` generates from the plugins as they are."""
    fresh = tmp_path / "plugins"
    command = ["make", "--no-print-directory", "-o", "venv", "docs",
               "DOCS_DEST={0}".format(fresh), "BIN={0}".format(os.path.dirname(sys.executable))]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, "make docs failed:\n{0}\n{1}".format(done.stdout, done.stderr)
    problems = _differences(PLUGIN_PAGES, fresh)
    assert not problems, "docs/plugins/ is stale; run `make docs` and commit the result.\n\n" + "\n\n".join(problems)


def test_hand_written_pages_link_to_pages_that_exist():
    """Relative links in docs/*.rst resolve, and docs/README.rst lists every plugin page."""
    broken, linked = [], set()
    for page in sorted(DOCS.glob("*.rst")):
        for target in re.findall(r"<([^<>:]+?)>`_", page.read_text()):
            path = (page.parent / target.split("#")[0]).resolve()
            if not path.exists():
                broken.append("{0}: {1}".format(page.name, target))
            if page.name == "README.rst":
                linked.add(path)
    assert not broken, "links to missing files:\n" + "\n".join(broken)
    unlisted = [p.name for p in sorted(PLUGIN_PAGES.glob("*.rst")) if p.resolve() not in linked]
    assert not unlisted, "docs/README.rst does not link to: " + ", ".join(unlisted)


# -- the rollout guide ----------------------------------------------------------
def _yaml_blocks(path: Path) -> list:
    """The contents of the page's YAML blocks, parsed: ``.. code-block:: yaml``
    in reStructuredText, fenced ```yaml blocks in Markdown."""
    if path.suffix == ".md":
        return [yaml.safe_load(body) for body in re.findall(r"^```yaml\n(.*?)^```$", path.read_text(), re.M | re.S)]
    blocks, lines = [], path.read_text().splitlines()
    for number, line in enumerate(lines):
        if re.match(r"\s*\.\. code-block:: yaml\s*$", line):
            indent = len(line) - len(line.lstrip()) + 1
            body = []
            for following in lines[number + 1:]:
                if following.strip() and len(following) - len(following.lstrip()) < indent:
                    break
                body.append(following)
            blocks.append(yaml.safe_load(textwrap.dedent("\n".join(body))))
    return blocks


def _guide_playbook() -> list:
    plays = [block for block in _yaml_blocks(GUIDE) if isinstance(block, list) and block and "hosts" in block[0]]
    assert len(plays) == 1, "the guide should hold exactly one playbook"
    return plays[0]


CANARIES = ["canary-1", "canary-2", "canary-3"]
GROUPS = {
    "fw-early-wave": ["sensor-{0:02d}".format(n) for n in range(1, 11)],
    "fw-rest": ["sensor-{0:02d}".format(n) for n in range(11, 41)],
}


def _run_guide(tmp_path, iot, devices=None):
    """Run the guide's playbook; the things, groups and devices are on the
    local endpoint, where devices finish at once and may be scripted to fail."""
    playbook = tmp_path / "rollout.yml"
    playbook.write_text(yaml.safe_dump(_guide_playbook(), sort_keys=False))
    inventory = tmp_path / "inventory.yml"
    hosts = CANARIES + GROUPS["fw-early-wave"] + GROUPS["fw-rest"]
    local = {"ansible_connection": "local", "ansible_python_interpreter": sys.executable}
    inventory.write_text(yaml.safe_dump({"all": {"children": {
        "sensors": {"hosts": dict.fromkeys(hosts), "vars": local},
        "canaries": {"hosts": dict.fromkeys(CANARIES)},
    }}}))
    iot.fleet.ensure_things(CANARIES)
    for group, members in GROUPS.items():
        iot.fleet.ensure_group(group, members)
    iot.fleet.set_devices(default=Device.from_dict({"outcome": "SUCCEEDED", "start": 0, "finish": 0}),
                          devices={name: Device.from_dict(spec) for name, spec in (devices or {}).items()})
    # The jobs' rollout rates (100 and 500 a minute) on a clock 1,000 times faster.
    real_clock, iot.fleet.clock = iot.fleet.clock, ScaledClock(1000)
    try:
        # The local endpoint serves one region; everything else is as written.
        run = run_playbook(tmp_path, playbook, base_env(iot.url), args=["-i", str(inventory), "-e", "region=us-east-1"])
    finally:
        iot.fleet.clock = real_clock
    calls = ["{0} {1}".format("create-job" if call.api == "CreateJob" else "cancel-job", call.path.split("/")[2])
             for call in iot.calls() if call.api in ("CreateJob", "CancelJob")]
    return run, calls


def test_guide_rollout_passes_every_gate(tmp_path, iot):
    run, calls = _run_guide(tmp_path, iot)
    assert run.rc == 0, run.output
    assert calls == ["create-job fw-2-4-1-canary", "create-job fw-2-4-1-early", "create-job fw-2-4-1-rest"]
    assert run.result("Gate on the canaries")["verdict"] == "succeeded"
    rest = run.result("Wait on every execution of the job for the rest of the fleet")
    assert rest["verdict"] == "succeeded" and rest["status_counts"] == {"SUCCEEDED": 30}, rest


def test_guide_rollout_stops_at_a_failing_early_wave(tmp_path, iot):
    """One device in ten fails on every attempt: over 2 %, once its retries are used up."""
    failing = {"sensor-04": {"outcome": "FAILED", "start": 0, "finish": 0, "details": {"reason": "flash write error"}}}
    run, calls = _run_guide(tmp_path, iot, devices=failing)
    assert run.rc != 0
    # Every device is done, so the job is COMPLETED: the rescue's cancel has nothing left to cancel, and says so.
    assert calls == ["create-job fw-2-4-1-canary", "create-job fw-2-4-1-early"]
    cancel = run.result("Cancel the early-wave job, so that no queued device starts it")
    assert cancel["changed"] is False and cancel["msg"] == "job 'fw-2-4-1-early' is COMPLETED: there is nothing left to cancel"
    message = run.result("Stop the rollout")["msg"]
    assert "1 of 10 executions failed" in message and "sensor-04 FAILED (reason=flash write error)" in message
    assert iot.fleet.backend.jobs["fw-2-4-1-early"].status == "COMPLETED"


# -- every complete task in the README and the hand-written pages ---------------
def _task_snippets(path: Path) -> list:
    """The page's YAML blocks that are tasks (plays are run on their own)."""
    return [block for block in _yaml_blocks(path)
            if isinstance(block, list) and block and not any("hosts" in item for item in block)]


def _run_snippets(tmp_path, iot, tasks):
    """Run the tasks, in the order the page shows them, in one play against the
    local endpoint, on a clock 1,000 times faster; every device succeeds at once."""
    playbook = tmp_path / "snippets.yml"
    playbook.write_text(yaml.safe_dump([{"name": "snippets", "hosts": "local", "gather_facts": False,
                                         "tasks": tasks}], sort_keys=False))
    iot.fleet.set_devices(default=Device.from_dict({"outcome": "SUCCEEDED", "start": 0, "finish": 0}))
    real_clock, iot.fleet.clock = iot.fleet.clock, ScaledClock(1000)
    try:
        return run_playbook(tmp_path, playbook, base_env(iot.url))
    finally:
        iot.fleet.clock = real_clock


def _assert_every_task_ran_ok(run, tasks):
    assert run.rc == 0, run.output
    assert [(r["task"], r["status"]) for r in run.results] == [(task["name"], "ok") for task in tasks], run.output


def test_every_readme_snippet_runs(tmp_path, iot):
    """The README's snippets are one rollout: create the job on the canaries,
    gate them, extend the job to the sensors, gate the whole job, read it."""
    blocks = _yaml_blocks(README)
    tasks = [task for block in _task_snippets(README) for task in block]
    assert len(tasks) == sum(len(block) for block in blocks), "a README YAML block is not a list of tasks"
    iot.fleet.ensure_group("canaries", ["canary-1", "canary-2", "canary-3"])
    iot.fleet.ensure_group("sensors", ["sensor-{0:04d}".format(n) for n in range(1, 41)])

    run = _run_snippets(tmp_path, iot, tasks)

    _assert_every_task_ran_ok(run, tasks)
    assert [call.path.split("/")[2] for call in iot.calls("CreateJob")] == ["fw-2-4-1"]
    assert len(iot.calls("AssociateTargetsWithJob")) == 1
    fleet = run.result("Fleet stage - allow 2 % failures, and cancel the job when the gate fails")
    assert fleet["verdict"] == "succeeded" and fleet["status_counts"] == {"SUCCEEDED": 43}, fleet["msg"]
    [execution] = run.result("What did sensor-0017 report?")["job_executions"]
    assert execution["status"] == "SUCCEEDED"


def test_every_guide_snippet_runs(tmp_path, iot):
    """The guide's task snippets, besides its playbook (run above): the early
    wave's gate on its own job, a stage of the rollout on one job, that
    stage's gate on its own group, and the staged_rollout role resuming it."""
    tasks = [task for block in _task_snippets(GUIDE) for task in block]
    early_wave = ["sensor-{0:02d}".format(n) for n in range(1, 41)]   # the 40 of the snippet's min_executions
    iot.fleet.ensure_group("fw-canaries", CANARIES)
    iot.fleet.ensure_group("fw-early-wave", early_wave)
    iot.fleet.create_job("fw-2-4-1-early", groups={"fw-early-wave": early_wave},
                         default=Device.from_dict({"outcome": "SUCCEEDED", "start": 0, "finish": 0}))

    run = _run_snippets(tmp_path, iot, tasks)

    # The role's own tasks report under their names; the snippets' tasks each ran ok.
    assert run.rc == 0, run.output
    own = [task["name"] for task in tasks if "ansible.builtin.include_role" not in task]
    assert [(r["task"], r["status"]) for r in run.results if r["task"] in own] == [(name, "ok") for name in own], run.output
    assert run.result("Gate on the early wave, and cancel its job when it fails")["verdict"] == "succeeded"
    stage = run.result("Stage 2 gate - at most 2 % may fail")
    assert stage["verdict"] == "succeeded" and stage["status_counts"] == {"SUCCEEDED": 43}, stage["msg"]
    one_stage = run.result("Gate the early wave on its own devices")
    assert one_stage["verdict"] == "succeeded" and one_stage["status_counts"] == {"SUCCEEDED": 40}, one_stage["msg"]
    # The role resumed the rollout those tasks made: no other write, each finished stage gated at one poll.
    rollout = run.result("Set the rollout's result")["ansible_facts"]["staged_rollout"]
    assert [(s["verdict"], s["polls"]) for s in rollout["stages"]] == [("succeeded", 1), ("succeeded", 1)]
    assert len(iot.calls("CreateJob")) == 1 and iot.calls("AssociateTargetsWithJob") == []
    assert (tmp_path / "reports" / "fw-2-4-1.html").is_file()
