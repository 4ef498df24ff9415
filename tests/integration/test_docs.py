"""The docs: the generated plugin pages are current, and the rollout guide's
playbook runs as written against the local endpoint."""

from __future__ import annotations

import difflib
import json
import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import yaml

from conftest import ROOT, base_env, run_playbook

DOCS = ROOT / "docs"
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
    """The contents of the page's ``.. code-block:: yaml`` blocks, parsed."""
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


# Stands in for the AWS CLI: checks each request against botocore's model
# of the API, then makes the job on the local endpoint's simulated fleet,
# where devices finish at once and may be scripted to fail.
FAKE_AWS = r'''
import json, os, sys, urllib.request
import boto3, botocore.session
from botocore.validate import validate_parameters

args = sys.argv[1:]
with open(os.environ["FAKE_AWS_LOG"], "a") as log:
    log.write(json.dumps(args) + "\n")
service, command, options = args[0], args[1], dict(zip(args[2::2], args[3::2]))
assert service == "iot", args
operation = "".join(word.title() for word in command.split("-"))
if "--cli-input-json" in options:
    params = json.loads(options["--cli-input-json"])
else:
    params = {"jobId": options["--job-id"], "reasonCode": options.get("--reason-code"),
              "comment": options.get("--comment")}
model = botocore.session.get_session().get_service_model("iot").operation_model(operation)
validate_parameters(params, model.input_shape)
url = os.environ["AWS_URL"]
if operation == "CreateJob":
    groups = json.loads(os.environ["FAKE_AWS_GROUPS"])
    targets = params["targets"]
    criteria = params.get("jobExecutionsRetryConfig", {}).get("criteriaList", [])
    spec = dict(
        job_id=params["jobId"],
        things=[arn.split("/")[-1] for arn in targets if ":thing/" in arn],
        groups={arn.split("/")[-1]: groups[arn.split("/")[-1]] for arn in targets if ":thinggroup/" in arn},
        retry={c["failureType"]: c["numberOfRetries"] for c in criteria},
        retry_delay=0,
        default={"outcome": "SUCCEEDED", "start": 0, "finish": 0},
        devices=json.loads(os.environ.get("FAKE_AWS_DEVICES", "{}")),
    )
    request = urllib.request.Request(url + "/_sim/jobs", json.dumps(spec).encode(), method="POST",
                                     headers={"Content-Type": "application/json"})
    urllib.request.urlopen(request).read()
elif operation == "CancelJob":
    boto3.client("iot", endpoint_url=url, region_name=options["--region"]).cancel_job(**params)
else:
    sys.exit("unexpected command: {0}".format(args))
print(json.dumps({"jobId": params["jobId"]}))
'''

CANARIES = ["canary-1", "canary-2", "canary-3"]
GROUPS = {
    "fw-early-wave": ["sensor-{0:02d}".format(n) for n in range(1, 11)],
    "fw-rest": ["sensor-{0:02d}".format(n) for n in range(11, 41)],
}


def _run_guide(tmp_path, iot, devices=None):
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    fake = bin_dir / "aws"
    fake.write_text("#!{0}\n{1}".format(sys.executable, FAKE_AWS))
    fake.chmod(0o755)
    playbook = tmp_path / "rollout.yml"
    playbook.write_text(yaml.safe_dump(_guide_playbook(), sort_keys=False))
    inventory = tmp_path / "inventory.yml"
    hosts = CANARIES + GROUPS["fw-early-wave"] + GROUPS["fw-rest"]
    local = {"ansible_connection": "local", "ansible_python_interpreter": sys.executable}
    inventory.write_text(yaml.safe_dump({"all": {"children": {
        "sensors": {"hosts": dict.fromkeys(hosts), "vars": local},
        "canaries": {"hosts": dict.fromkeys(CANARIES)},
    }}}))
    log = tmp_path / "aws-calls.jsonl"
    env = base_env(iot.url, FAKE_AWS_LOG=str(log), FAKE_AWS_GROUPS=json.dumps(GROUPS),
                   FAKE_AWS_DEVICES=json.dumps(devices or {}))
    env["PATH"] = "{0}{1}{2}".format(bin_dir, os.pathsep, env["PATH"])
    # The local endpoint serves one region; everything else is as written.
    run = run_playbook(tmp_path, playbook, env, args=["-i", str(inventory), "-e", "region={0}".format("us-east-1")])
    calls = []
    for line in log.read_text().splitlines() if log.exists() else []:
        args = json.loads(line)
        job_id = args[args.index("--job-id") + 1] if "--job-id" in args else json.loads(args[-1])["jobId"]
        calls.append("{0} {1}".format(args[1], job_id))
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
    assert calls == ["create-job fw-2-4-1-canary", "create-job fw-2-4-1-early", "cancel-job fw-2-4-1-early"]
    message = run.result("Stop the rollout")["msg"]
    assert "1 of 10 executions failed" in message and "sensor-04 FAILED (reason=flash write error)" in message
    assert iot.fleet.backend.jobs["fw-2-4-1-early"].status == "CANCELED"
