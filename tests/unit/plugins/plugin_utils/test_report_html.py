"""The HTML page: well-formed, self-contained, its numbers the result's, and
every device value escaped."""

from __future__ import annotations

from report_parsing import SVG, figures, parse_html, parse_xml, rows
from report_results import failed_execution, gate_result

from ansible_collections.iotops.aws.plugins.plugin_utils.report_html import FAILED_DEVICES_SHOWN, render_html
from ansible_collections.iotops.aws.plugins.plugin_utils.report_model import build_report

HOSTILE = "<script>alert('x')</script>&amp;\"<img src=http://evil.example/x.png>"


def _report(**result):
    executions = [failed_execution("dev-1", reason="flash write error"), failed_execution("dev-2", "REJECTED")]
    result = gate_result(executions=executions, reasons={"reason": {"flash write error": 1}},
                         sample={"sampled": 2, "failed": 2, "without_details": 1}, **result)
    return build_report([{"name": "canary", "result": result, "max_failures": 2},
                         {"name": "fleet", "result": gate_result("failed", msg="Job fw-1: over the limit")}], job_id="fw-1")


def test_the_page_is_well_formed_html_and_xml():
    text = render_html(_report())
    parse_html(text)
    root = parse_xml(text)
    assert root.tag == "html" and root.find("head/title").text == "Rollout of job fw-1"


def test_every_count_shown_is_the_result_s():
    report = _report()
    root = parse_xml(render_html(report))
    shown = figures(root)
    for stage in report.stages:
        assert shown[stage.name + ":total"] == 10
        for status, count in gate_result()["status_counts"].items():
            assert shown["{0}:{1}".format(stage.name, status)] == count
        assert [shown[stage.name + ":" + s] for s in ("succeeded", "failed", "in_progress", "queued")] == [8, 2, 0, 0]
    assert rows(root, "reasons") == [["reason", "flash write error", "1"]]
    assert rows(root, "failed-devices") == [["dev-1", "FAILED", "reason=flash write error"], ["dev-2", "REJECTED", "\u2014"]]
    assert [r[:4] for r in rows(root, "summary")] == [["canary", "succeeded", "max_failures 2", "42.5 s"],
                                                      ["fleet", "failed", "\u2014", "42.5 s"]]


def test_one_timeline_chart_per_stage_and_reasons_only_where_reported():
    root = parse_xml(render_html(_report()))
    charts = [div for div in root.iter("div") if (div.get("class") or "").startswith("chart")]
    assert [div.get("class") for div in charts] == ["chart timeline", "chart reasons", "chart timeline"]
    assert all(div.find(SVG + "svg") is not None for div in charts)


def test_nothing_is_fetched_and_nothing_runs():
    text = render_html(_report())
    lowered = text.lower()
    for forbidden in ("<script", "<img", "<link", "<iframe", "<object", "src=", "href=", "url(", "@import", "javascript:",
                      " on"):
        assert forbidden not in lowered.replace("xmlns=\"http://www.w3.org/2000/svg\"", ""), forbidden


def test_device_values_are_escaped_everywhere():
    hostile = failed_execution(HOSTILE, reason=HOSTILE)
    result = gate_result(executions=[hostile], reasons={HOSTILE: {HOSTILE: 1}}, msg=HOSTILE)
    report = build_report([{"name": HOSTILE, "result": result}], job_id="fw-1", title=HOSTILE)
    text = render_html(report)
    assert "<script" not in text and "<img" not in text
    parser = parse_html(text)
    assert not [tag for tag, _attrs in parser.tags if tag in ("script", "img")]
    root = parse_xml(text)
    assert root.find("head/title").text == HOSTILE
    assert rows(root, "failed-devices") == [[HOSTILE, "FAILED", "reason=" + HOSTILE]]
    assert rows(root, "reasons") == [[HOSTILE, HOSTILE, "1"]]


def test_the_failed_devices_table_is_bounded_and_says_so():
    executions = [failed_execution("dev-{0:04d}".format(i)) for i in range(FAILED_DEVICES_SHOWN + 5)]
    report = build_report([{"name": "fleet", "result": gate_result("failed", executions=executions)}])
    text = render_html(report)
    assert len(rows(parse_xml(text), "failed-devices")) == FAILED_DEVICES_SHOWN
    assert "{0} of {1} failed devices shown.".format(FAILED_DEVICES_SHOWN, FAILED_DEVICES_SHOWN + 5) in text


def test_the_same_input_gives_the_same_bytes():
    assert render_html(_report()) == render_html(_report())


def test_a_stage_without_timeline_says_so():
    report = build_report([{"name": "fleet", "verdict": "succeeded", "counts": {"SUCCEEDED": 3}}],
                          option="staged_rollout.stages")
    text = render_html(report)
    assert "No timeline was given for this stage." in text and "<svg" not in text


def test_a_skipped_gate_shows_its_stage_without_figures():
    report = build_report([{"name": "canaries", "result": gate_result("failed")},
                           {"name": "fleet", "result": {"changed": False, "skipped": True}}])
    text = render_html(report)
    root = parse_xml(text)
    assert rows(root, "summary")[1][:2] == ["fleet", "skipped"]
    assert "Stage 2: fleet \u2014 " in text and "The gate did not run." in text
    assert len(list(root.iter("{http://www.w3.org/2000/svg}svg"))) == 1
