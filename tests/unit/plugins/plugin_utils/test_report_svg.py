"""The charts' geometry: inside their frame, on the right scale, in order."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from report_results import gate_result

from ansible_collections.iotops.aws.plugins.plugin_utils.report_model import build_report
from ansible_collections.iotops.aws.plugins.plugin_utils.report_svg import (
    REASONS_SHOWN,
    TIMELINE_HEIGHT,
    TIMELINE_MARGINS,
    TIMELINE_WIDTH,
    nice_ceiling,
    reasons_chart,
    timeline_chart,
)

SVG = "{http://www.w3.org/2000/svg}"


def _stage(**result):
    return build_report([{"name": "s", "result": gate_result(**result)}]).stages[0]


def _polylines(svg):
    root = ET.fromstring(svg)
    return dict((line.get("data-series"), [tuple(float(v) for v in pair.split(",")) for pair in line.get("points").split()])
                for line in root.iter(SVG + "polyline"))


def test_the_timeline_has_a_line_per_series_inside_the_plot():
    svg = timeline_chart(_stage())
    root = ET.fromstring(svg)
    assert (root.get("width"), root.get("height")) == (str(TIMELINE_WIDTH), str(TIMELINE_HEIGHT))
    lines = _polylines(svg)
    assert sorted(lines) == ["failed", "in_progress", "queued", "succeeded"]
    m = TIMELINE_MARGINS
    for points in lines.values():
        xs = [x for x, _y in points]
        assert xs == sorted(xs), "time runs left to right"
        assert xs[0] == pytest.approx(m["left"] + (TIMELINE_WIDTH - m["left"] - m["right"]) * 0.1 / 42.4, abs=0.05)
        assert xs[-1] == pytest.approx(TIMELINE_WIDTH - m["right"], abs=0.05)
        assert all(m["top"] <= y <= TIMELINE_HEIGHT - m["bottom"] for _x, y in points)


def test_the_lines_end_at_the_last_poll_s_counts():
    lines = _polylines(timeline_chart(_stage()))
    m = TIMELINE_MARGINS
    plot_h = TIMELINE_HEIGHT - m["top"] - m["bottom"]
    # y runs 0..10 (a nice ceiling of the largest count, 10 queued).
    for series, value in (("succeeded", 8), ("failed", 2), ("in_progress", 0), ("queued", 0)):
        assert lines[series][-1][1] == pytest.approx(m["top"] + plot_h * (1 - value / 10.0), abs=0.05), series
    # Step lines: two points per poll after the first.
    assert all(len(points) == 7 for points in lines.values())


def test_a_single_poll_still_draws_a_line():
    lines = _polylines(timeline_chart(_stage(timeline=[{"at": 0.0, "job_status": "COMPLETED", "counts": {"SUCCEEDED": 3}}])))
    assert len(lines["succeeded"]) == 2 and lines["succeeded"][0][1] == lines["succeeded"][1][1]


def test_no_timeline_no_chart():
    assert timeline_chart(_stage(timeline=[])) is None


def test_reason_bars_are_proportional_and_bounded():
    reasons = {"reason": dict(("r{0:02d}".format(i), 40 - i) for i in range(REASONS_SHOWN + 3))}
    root = ET.fromstring(reasons_chart(_stage(reasons=reasons)))
    bars = [(int(r.get("data-count")), float(r.get("width"))) for r in root.iter(SVG + "rect") if r.get("data-count")]
    assert [count for count, _width in bars] == list(range(40, 40 - REASONS_SHOWN, -1))
    top_count, top_width = bars[0]
    for count, width in bars:
        assert width == pytest.approx(top_width * count / top_count, abs=0.1)
    assert all(0 < width <= int(root.get("width")) for _count, width in bars)


def test_no_reasons_no_chart():
    assert reasons_chart(_stage()) is None


@pytest.mark.parametrize("value, ceiling", [(0, 4), (3, 4), (5, 6), (10, 10), (11, 12), (150, 160), (230, 240), (250, 300), (9001, 10000)])
def test_nice_ceiling(value, ceiling):
    assert nice_ceiling(value) == ceiling
