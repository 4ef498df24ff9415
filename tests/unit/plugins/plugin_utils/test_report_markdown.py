"""The Markdown summary: the same figures, and device text that renders as text."""

from __future__ import annotations

from report_results import gate_result

from ansible_collections.iotops.aws.plugins.plugin_utils.report_markdown import md, render_markdown
from ansible_collections.iotops.aws.plugins.plugin_utils.report_model import build_report


def test_a_row_per_stage_with_its_figures():
    report = build_report([{"name": "canary", "result": gate_result(), "max_failures": 0},
                           {"name": "fleet", "result": gate_result("failed", reasons={"reason": {"flash": 2}})}],
                          job_id="fw-1")
    lines = render_markdown(report).splitlines()
    assert lines[0] == "## Rollout of job fw-1"
    assert lines[2] == "**Verdict: failed** \u00b7 job fw-1 \u00b7 2 stages \u00b7 gates waited 1 min 25 s"
    assert "| canary | succeeded | max\\_failures 0 | 42.5 s | 10 | 8 | 2 | 0 | 0 |" in lines
    assert "| fleet | failed | \u2014 | 42.5 s | 10 | 8 | 2 | 0 | 0 |" in lines
    assert "- reason=flash: 2" in lines


def test_device_text_cannot_break_the_table_or_inject_markup():
    assert md("a|b\n<img src=x>[link](http://x) *b*") == "a\\|b &lt;img src=x&gt;\\[link\\]\\(http://x\\) \\*b\\*"
