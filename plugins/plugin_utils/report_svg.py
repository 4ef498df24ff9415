# -*- coding: utf-8 -*-
# Copyright: iotops.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""The rollout report's charts, as inline SVG text.

Plain SVG 1.1 with fixed sizes and presentation attributes (no CSS classes,
no script, no external reference), so the charts render the same in a
browser, in print and in a mail client that shows SVG.  Every text is
escaped: device names and reasons come from the devices.
"""

from __future__ import annotations

import math
from html import escape

from ansible_collections.iotops.aws.plugins.plugin_utils.report_model import SERIES, SERIES_LABELS

COLOURS = {"succeeded": "#2e7d32", "failed": "#c62828", "in_progress": "#1565c0", "queued": "#9e9e9e"}
FONT = "font-family=\"Helvetica, Arial, sans-serif\" font-size=\"12\""

TIMELINE_WIDTH, TIMELINE_HEIGHT = 640, 260
TIMELINE_MARGINS = dict(left=56, right=128, top=14, bottom=40)
REASONS_WIDTH, REASON_ROW, REASON_LABEL = 640, 24, 300
REASONS_SHOWN = 10


def _n(value):
    """Coordinates with one decimal, so the output is the same on every run."""
    text = "{0:.1f}".format(value)
    return text[:-2] if text.endswith(".0") else text


def nice_ceiling(value):
    """The y axis' top: the smallest of 4, 6, 8, 10, 12, 16, 20, 24, 30, 40...
    that is >= value, so that its quarters (the grid lines) are round."""
    value = max(value, 4)
    power = 10 ** int(math.floor(math.log10(value)))
    for step in (1, 1.2, 1.6, 2, 2.4, 3, 4, 6, 8, 10):
        if step * power >= value:
            return int(round(step * power))
    return 10 * power


def time_label(seconds):
    if seconds >= 3600:
        return "{0:g} h".format(round(seconds / 3600.0, 2))
    if seconds >= 120:
        return "{0:g} min".format(round(seconds / 60.0, 1))
    return "{0:g} s".format(round(seconds, 1))


def _svg(width, height, label, body):
    return ("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{0}\" height=\"{1}\" viewBox=\"0 0 {0} {1}\" "
            "role=\"img\" aria-label=\"{2}\" style=\"max-width:100%;height:auto\">"
            "<title>{2}</title>{3}</svg>").format(width, height, escape(label), "".join(body))


def timeline_chart(stage):
    """Succeeded, failed, in-progress and queued devices at each poll, as
    step lines (the counts hold between polls); None without a timeline."""
    points = stage.timeline
    if not points:
        return None
    m = TIMELINE_MARGINS
    plot_w = TIMELINE_WIDTH - m["left"] - m["right"]
    plot_h = TIMELINE_HEIGHT - m["top"] - m["bottom"]
    x_max = points[-1].at if points[-1].at > 0 else 1.0
    y_max = nice_ceiling(max(max(p.value(s) for s in SERIES) for p in points))

    def x(at):
        return m["left"] + plot_w * at / x_max

    def y(value):
        return m["top"] + plot_h * (1 - float(value) / y_max)

    body = ["<rect x=\"0\" y=\"0\" width=\"{0}\" height=\"{1}\" fill=\"#ffffff\"/>".format(TIMELINE_WIDTH, TIMELINE_HEIGHT)]
    for i in range(5):
        value = y_max * i / 4.0
        body.append("<line x1=\"{0}\" y1=\"{1}\" x2=\"{2}\" y2=\"{1}\" stroke=\"#e0e0e0\" stroke-width=\"1\"/>".format(
            m["left"], _n(y(value)), m["left"] + plot_w))
        body.append("<text x=\"{0}\" y=\"{1}\" text-anchor=\"end\" fill=\"#424242\" {2}>{3:g}</text>".format(
            m["left"] - 6, _n(y(value) + 4), FONT, round(value, 2)))
    for i in range(5):
        at = x_max * i / 4.0
        body.append("<line x1=\"{0}\" y1=\"{1}\" x2=\"{0}\" y2=\"{2}\" stroke=\"#9e9e9e\" stroke-width=\"1\"/>".format(
            _n(x(at)), m["top"] + plot_h, m["top"] + plot_h + 4))
        body.append("<text x=\"{0}\" y=\"{1}\" text-anchor=\"middle\" fill=\"#424242\" {2}>{3}</text>".format(
            _n(x(at)), m["top"] + plot_h + 17, FONT, escape(time_label(at))))
    body.append("<text x=\"{0}\" y=\"{1}\" text-anchor=\"middle\" fill=\"#616161\" {2}>time since the gate started</text>".format(
        _n(m["left"] + plot_w / 2.0), TIMELINE_HEIGHT - 4, FONT))
    body.append("<line x1=\"{0}\" y1=\"{1}\" x2=\"{2}\" y2=\"{1}\" stroke=\"#616161\" stroke-width=\"1\"/>".format(
        m["left"], m["top"] + plot_h, m["left"] + plot_w))
    label_slots = []
    for series in SERIES:
        coords = []
        for index, point in enumerate(points):
            if index:
                coords.append((x(point.at), y(points[index - 1].value(series))))
            coords.append((x(point.at), y(point.value(series))))
        if len(coords) == 1:
            coords.append((x(x_max), coords[0][1]))
        body.append("<polyline data-series=\"{0}\" fill=\"none\" stroke=\"{1}\" stroke-width=\"2.5\" "
                    "stroke-linejoin=\"round\" points=\"{2}\"/>".format(
                        series, COLOURS[series], " ".join("{0},{1}".format(_n(a), _n(b)) for a, b in coords)))
        label_slots.append([coords[-1][1], series, points[-1].value(series)])
    # End labels, spread so that equal values do not print on each other.
    # From the bottom up, so that none goes below the axis.
    label_slots.sort(key=lambda slot: (-slot[0], SERIES.index(slot[1])))
    for index in range(1, len(label_slots)):
        label_slots[index][0] = min(label_slots[index][0], label_slots[index - 1][0] - 15)
    for at_y, series, value in label_slots:
        body.append("<text x=\"{0}\" y=\"{1}\" fill=\"{2}\" {3}>{4} {5}</text>".format(
            m["left"] + plot_w + 8, _n(at_y + 4), COLOURS[series], FONT, value, SERIES_LABELS[series]))
    last = points[-1]
    label = "{0}: devices over time; at the last poll {1} succeeded, {2} failed, {3} in progress, {4} queued".format(
        stage.name, last.succeeded, last.failed, last.in_progress, last.queued)
    return _svg(TIMELINE_WIDTH, TIMELINE_HEIGHT, label, body)


def reasons_chart(stage):
    """A horizontal bar per reported key=value, most frequent first; None
    when the failed devices reported nothing."""
    rows = stage.failure_reasons[:REASONS_SHOWN]
    if not rows:
        return None
    height = REASON_ROW * len(rows) + 8
    bar_space = REASONS_WIDTH - REASON_LABEL - 60
    top = max(row[2] for row in rows) or 1
    body = ["<rect x=\"0\" y=\"0\" width=\"{0}\" height=\"{1}\" fill=\"#ffffff\"/>".format(REASONS_WIDTH, height)]
    for index, (key, value, count) in enumerate(rows):
        row_y = 4 + index * REASON_ROW
        text = "{0}={1}".format(key, value)
        if len(text) > 44:
            text = text[:43] + "\u2026"
        width = max(bar_space * count / float(top), 1.0)
        body.append("<text x=\"{0}\" y=\"{1}\" text-anchor=\"end\" fill=\"#212121\" {2}>{3}</text>".format(
            REASON_LABEL - 8, row_y + 15, FONT, escape(text)))
        body.append("<rect data-count=\"{0}\" x=\"{1}\" y=\"{2}\" width=\"{3}\" height=\"{4}\" fill=\"{5}\"/>".format(
            count, REASON_LABEL, row_y + 3, _n(width), REASON_ROW - 8, COLOURS["failed"]))
        body.append("<text x=\"{0}\" y=\"{1}\" fill=\"#212121\" {2}>{3}</text>".format(
            _n(REASON_LABEL + width + 6), row_y + 15, FONT, count))
    label = "{0}: failure reasons, most frequent first".format(stage.name)
    return _svg(REASONS_WIDTH, height, label, body)
