"""rollout_report in real ansible-playbook runs: the report of gates that
really ran against the local endpoint, its figures checked against their
registered results, check mode, reruns and errors.

Devices move on the request clock, so each stage's timeline has several
polls however fast the machine is.
"""

from __future__ import annotations

import html as html_module
import json
import os
import re
import shutil
import stat
import struct
import subprocess

import pytest

from conftest import create_job_task
from report_parsing import figures, parse_html, parse_xml, rows

WAIT = "iotops.aws.iot_job_execution_wait"
REPORT = "iotops.aws.rollout_report"
REASONS = ({"reason": "flash write error", "step": "write"}, {"reason": "battery below 20%"},
           {"reason": "checksum mismatch", "image": "fw-2.4.1"})
# name, devices, failing every Nth device (0: none), gate limit
STAGES = (("canaries", 10, 0, dict(max_failures=0)),
          ("early wave", 40, 20, dict(max_failures=2)),
          ("fleet", 150, 6, dict(max_failure_percent=5, cancel_on_failure=True)))
STAGE_NAMES = [stage[0] for stage in STAGES]


def _devices(prefix, count, failing_every):
    """Devices that start and finish at staggered times; every Nth one fails
    with one of REASONS."""
    devices = {}
    for index in range(count):
        start = 0.5 + (index % 9) * 0.5
        spec = dict(outcome="SUCCEEDED", start=start, finish=start + 1.0 + (index % 7) * 0.75)
        if failing_every and index % failing_every == failing_every - 1:
            kind = (index // failing_every) % len(REASONS)
            spec.update(outcome="REJECTED" if kind == 1 else "FAILED", details=REASONS[kind])
        devices["{0}-{1:03d}".format(prefix, index)] = spec
    return devices


def rollout_tasks(iot, report_args):
    """Create and gate the three stages (a job each), then report on them."""
    tasks, stages = [], []
    for number, (name, count, failing_every, limit) in enumerate(STAGES, start=1):
        job_id = "fw-2-4-1-stage-{0}".format(number)
        devices = _devices("stage{0}-dev".format(number), count, failing_every)
        tasks.append(create_job_task(iot, job_id=job_id, things=sorted(devices), devices=devices))
        register = "gate_{0}".format(number)
        tasks.append({"name": "gate " + name, WAIT: dict(job_id=job_id, sleep=0.3, timeout=90, min_executions=count,
                                                         failure_reasons_sample=100, **limit),
                      "register": register, "ignore_errors": True})
        stage = {"name": name, "result": "{{ " + register + " }}"}
        stage.update((key, value) for key, value in limit.items() if key.startswith("max_"))
        stages.append(stage)
    tasks.append({"name": "report", REPORT: dict(dict(stages=stages), **report_args)})
    return tasks


def _check_figures(html_text, run):
    """Every figure in the page is the one in the gate's registered result."""
    parse_html(html_text)
    root = parse_xml(html_text)
    shown = figures(root)
    for name in STAGE_NAMES:
        result = run.result("gate " + name)
        assert result["timeline"], name
        for status, count in result["status_counts"].items():
            assert shown["{0}:{1}".format(name, status)] == count, (name, status)
        assert shown[name + ":total"] == sum(result["status_counts"].values())
    reasons = [[key, value, str(count)] for name in STAGE_NAMES
               for key, values in run.result("gate " + name)["failure_reasons"].items() for value, count in values.items()]
    assert sorted(rows(root, "reasons")) == sorted(reasons)
    failed = [[e["thing_name"], e["status"]] for name in STAGE_NAMES
              for e in run.result("gate " + name)["job_executions"] if e["status"] != "SUCCEEDED"]
    assert sorted(r[:2] for r in rows(root, "failed-devices")) == sorted(failed)
    return root


@pytest.mark.smoke
def test_the_report_of_a_three_stage_rollout_matches_its_gates(playbook, iot, request_clock, tmp_path):
    request_clock()
    html, markdown = tmp_path / "report.html", tmp_path / "report.md"
    args = dict(path=str(html), markdown_path=str(markdown), job_id="fw-2-4-1")
    tasks = rollout_tasks(iot, args)
    tasks.append({"name": "report again", REPORT: tasks[-1][REPORT]})
    unwritten = dict(tasks[-1][REPORT], path=str(tmp_path / "never.html"), markdown_path=None)
    tasks.append({"name": "report in check mode", REPORT: unwritten, "check_mode": True})
    # The collection's group defaults reach the report too; it must accept them.
    run = playbook(tasks, module_defaults={"group/iotops.aws.aws": {"region": "us-east-1"}})
    assert run.rc == 0, run.output
    verdicts = [run.result("gate " + name)["verdict"] for name in STAGE_NAMES]
    assert verdicts == ["succeeded", "succeeded", "failed"], [run.result("gate " + n)["msg"] for n in STAGE_NAMES]

    report = run.result("report")
    assert report["changed"] is True and report["verdict"] == "failed"
    assert [s["name"] for s in report["stages"]] == STAGE_NAMES
    assert [s["limit"] for s in report["stages"]] == ["max_failures 0", "max_failures 2", "max_failure_percent 5"]
    root = _check_figures(html.read_text(encoding="utf-8"), run)
    assert len(list(root.iter("{http://www.w3.org/2000/svg}svg"))) == 3 + 2, "3 timelines, 2 reason charts"
    assert markdown.read_text(encoding="utf-8") == report["markdown"]
    assert "**Verdict: failed** \u00b7 job fw\\-2\\-4\\-1" not in report["markdown"]
    assert report["markdown"].splitlines()[2].startswith("**Verdict: failed** \u00b7 job fw-2-4-1 \u00b7 3 stages")

    assert run.result("report again")["changed"] is False
    check = run.result("report in check mode")
    assert check["changed"] is True and check["msg"].startswith("would write: ")
    assert not (tmp_path / "never.html").exists()
    assert sorted(p.name for p in tmp_path.glob(".rollout_report-*")) == []


def test_check_mode_and_diff_on_a_changed_report(playbook, iot, tmp_path):
    """A stale report: check mode says it would change and shows how, and
    leaves the file alone; the real run replaces it, keeping its mode."""
    result = {"verdict": "succeeded", "status_counts": {"SUCCEEDED": 2}, "elapsed": 3.0, "msg": "fine",
              "timeline": [{"at": 0.0, "job_status": "IN_PROGRESS", "counts": {"QUEUED": 2}},
                           {"at": 3.0, "job_status": "COMPLETED", "counts": {"SUCCEEDED": 2}}]}
    html, markdown = tmp_path / "r.html", tmp_path / "r.md"
    html.write_text("old report")
    markdown.write_text("old summary\n")
    os.chmod(html, 0o640)
    task = {REPORT: dict(stages=[{"name": "canaries", "result": result}], path=str(html), markdown_path=str(markdown))}
    run = playbook([dict(task, name="check", check_mode=True, diff=True), dict(task, name="write"),
                    dict(task, name="rerun", check_mode=True)])
    assert run.rc == 0, run.output
    check = run.result("check")
    assert check["changed"] is True
    md_diff = [d for d in check["diff"] if d["after_header"] == str(markdown)][0]
    assert md_diff["before"] == "old summary\n" and "| canaries | succeeded |" in md_diff["after"]
    assert run.result("write")["changed"] is True and run.result("rerun")["changed"] is False
    assert "<svg" in html.read_text() and stat.S_IMODE(os.stat(html).st_mode) == 0o640


@pytest.mark.parametrize("args, message", [
    (dict(stages=[{"result": {"verdict": "succeeded", "timeline": []}}]), "stages[0].name: every stage needs a name"),
    (dict(stages=[{"name": "canaries", "result": "{{ not_a_gate }}"}]), "stages[0].result.verdict: missing"),
    (dict(stages=[{"name": "canaries", "result": {"verdict": "succeeded"}}]), "stages[0].result.timeline: missing"),
    (dict(stages=[{"name": "canaries", "result": {"verdict": "succeeded", "timeline": []}}], path="/nonexistent/dir/r.html"),
     "path: directory /nonexistent/dir does not exist"),
    (dict(staged_rollout={"job_id": "fw-1"}), "staged_rollout.stages: give at least one stage"),
    (dict(), "one of the following is required: stages, staged_rollout"),
    (dict(stages=[], staged_rollout={}), "parameters are mutually exclusive: stages|staged_rollout"),
])
def test_bad_input_is_one_line_naming_the_option(playbook, iot, tmp_path, args, message):
    args = dict(dict(path=str(tmp_path / "r.html")), **args)
    run = playbook([{"name": "report", REPORT: args, "vars": {"not_a_gate": {"msg": "hello", "changed": False}}}])
    result = run.result("report")
    assert run.status("report") == "failed" and result["msg"].startswith(message), result["msg"]
    assert "\n" not in result["msg"] and "Traceback" not in run.output
    assert not (tmp_path / "r.html").exists()


# -- in a real browser ----------------------------------------------------------
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
# The report has no script; the test's own copy gets this one, which writes
# what the browser laid out where --dump-dom shows it.
MEASURE = """<script>
var sizes = Array.prototype.map.call(document.querySelectorAll("svg"), function (svg) {
  var box = svg.getBoundingClientRect(); return [box.width, box.height]; });
var out = document.createElement("pre"); out.id = "measured";
out.textContent = JSON.stringify({sizes: sizes, text: document.body.innerText,
  viewport: document.documentElement.clientWidth});
document.body.appendChild(out);
</script>"""


def _chromium(*args, timeout=120):
    command = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--no-first-run",
               "--disable-extensions", "--user-data-dir=" + args[0]] + list(args[1:])
    done = subprocess.run(command, capture_output=True, text=True, timeout=timeout, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


def _measured(profile, page, width):
    dom = _chromium(profile, "--window-size={0},1000".format(width), "--dump-dom", page.as_uri())
    found = re.search(r'<pre id="measured">(.*?)</pre>', dom, re.S)
    assert found, dom[-2000:]
    return json.loads(html_module.unescape(found.group(1)))


def _png_size(path):
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR"
    return struct.unpack(">II", data[16:24])


@pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (Debian: apt-get install chromium); "
                                             "CI installs it in .ci/run")
def test_the_report_renders_in_headless_chromium(playbook, iot, request_clock, tmp_path):
    request_clock()
    page = tmp_path / "report.html"
    run = playbook(rollout_tasks(iot, dict(path=str(page), job_id="fw-2-4-1")))
    assert run.rc == 0, run.output
    text = page.read_text(encoding="utf-8")
    assert "<script" not in text
    wrapper = tmp_path / "measure.html"
    wrapper.write_text(text.replace("</body>", MEASURE + "</body>"), encoding="utf-8")
    profile = str(tmp_path / "profile")

    wide = _measured(profile, wrapper, 1000)
    # 3 timelines and 2 reason charts (the canaries reported no failure).
    assert len(wide["sizes"]) == 5
    timelines = [wide["sizes"][i] for i in (0, 1, 3)]
    assert timelines == [[640, 260]] * 3, wide["sizes"]
    assert all(w == 640 and h > 0 for w, h in (wide["sizes"][2], wide["sizes"][4]))
    page_text = wide["text"]
    for number, name in enumerate(STAGE_NAMES, start=1):
        verdict = run.result("gate " + name)["verdict"]
        assert "Stage {0}: {1} \u2014 {2}".format(number, name, verdict) in page_text
        assert run.result("gate " + name)["msg"] in page_text
    for execution in run.result("gate fleet")["job_executions"]:
        if execution["status"] != "SUCCEEDED":
            assert execution["thing_name"] in page_text

    # On a phone or in a narrow mail pane the charts shrink, keeping their shape.
    narrow = _measured(profile, wrapper, 420)
    assert narrow["viewport"] < 640
    for (w, h), (wide_w, wide_h) in zip(narrow["sizes"], wide["sizes"]):
        assert 0 < w <= narrow["viewport"] and abs(h / w - wide_h / float(wide_w)) < 0.01

    screenshot = tmp_path / "report.png"
    _chromium(profile, "--window-size=1000,2400", "--screenshot=" + str(screenshot), page.as_uri())
    assert _png_size(screenshot) == (1000, 2400)
    kept = os.environ.get("IOTOPS_REPORT_KEEP")
    if kept:  # a directory to keep the page and its screenshot in (docs/rollout_report.png)
        shutil.copy(page, kept)
        shutil.copy(screenshot, kept)

    pdf = tmp_path / "report.pdf"
    _chromium(profile, "--no-pdf-header-footer", "--print-to-pdf=" + str(pdf), page.as_uri())
    pages = len(re.findall(rb"/Type\s*/Page[^s]", pdf.read_bytes()))
    assert pages >= len(STAGES), "each stage starts a printed page"
