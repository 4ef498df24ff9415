# -*- coding: utf-8 -*-
# Copyright: iotops.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""The rollout report as one self-contained HTML page.

No script and nothing fetched: the charts are inline SVG, the styles are
inline attributes (mail clients drop <style> blocks) plus a small print
block.  The markup is also well-formed XML, so strict parsers read it.
Every value is escaped: device names and reasons come from the devices.
"""

from __future__ import annotations

from html import escape

from ansible_collections.iotops.aws.plugins.plugin_utils.report_model import SERIES, SERIES_LABELS, SKIPPED, duration_text
from ansible_collections.iotops.aws.plugins.plugin_utils.report_svg import COLOURS, reasons_chart, timeline_chart

# A fleet's failures can run to thousands; the table shows this many.
FAILED_DEVICES_SHOWN = 200

VERDICT_COLOURS = {"succeeded": "#2e7d32", "failed": "#c62828", "timed_out": "#ef6c00"}
PRINT_CSS = ("@media print { body { margin: 0 } .stage { page-break-before: always } .stage:first-of-type "
             "{ page-break-before: auto } table, svg { page-break-inside: avoid } }")
BODY = "font-family:Helvetica,Arial,sans-serif;color:#212121;max-width:860px;margin:16px auto;padding:0 12px"
TABLE = "border-collapse:collapse;margin:8px 0 16px 0"
TH = "text-align:left;border-bottom:2px solid #616161;padding:4px 10px 4px 0;font-size:13px"
TD = "border-bottom:1px solid #e0e0e0;padding:4px 10px 4px 0;font-size:13px;vertical-align:top"
NUM = TD + ";text-align:right;font-variant-numeric:tabular-nums"


def _e(value):
    return escape(str(value), quote=True)


def _verdict(verdict):
    colour = VERDICT_COLOURS.get(verdict, "#424242")
    return "<strong class=\"verdict\" style=\"color:{0}\">{1}</strong>".format(colour, _e(verdict.replace("_", " ")))


def _table(headers, rows, cls, numeric=()):
    out = ["<table class=\"{0}\" style=\"{1}\"><thead><tr>".format(cls, TABLE)]
    out.extend("<th style=\"{0}\">{1}</th>".format(TH, _e(h)) for h in headers)
    out.append("</tr></thead><tbody>")
    for row in rows:
        out.append("<tr>")
        for index, cell in enumerate(row):
            key, text = cell if isinstance(cell, tuple) else (None, cell)
            attr = " data-figure=\"{0}\"".format(_e(key)) if key else ""
            out.append("<td{0} style=\"{1}\">{2}</td>".format(attr, NUM if index in numeric else TD, _e(text)))
        out.append("</tr>")
    out.append("</tbody></table>")
    return "".join(out)


def _summary_table(report):
    rows = []
    for stage in report.stages:
        rows.append([stage.name, stage.verdict.replace("_", " "), stage.limit or "\u2014", duration_text(stage.seconds),
                     (stage.name + ":total", stage.total)]
                    + [(stage.name + ":" + s, stage.series_total(s)) for s in SERIES])
    headers = ["Stage", "Verdict", "Limit", "Duration", "Devices"] + [SERIES_LABELS[s].capitalize() for s in SERIES]
    return _table(headers, rows, "summary", numeric=range(4, 9))


def _legend():
    items = []
    for series in SERIES:
        items.append("<span style=\"display:inline-block;margin-right:14px;font-size:12px\">"
                     "<span style=\"display:inline-block;width:12px;height:12px;background:{0};"
                     "vertical-align:middle;margin-right:4px\"></span>{1}</span>".format(COLOURS[series], _e(SERIES_LABELS[series])))
    return "<p class=\"legend\" style=\"margin:2px 0 12px 0\">{0}<span style=\"font-size:12px;color:#616161\">"\
           "(failed: every final status other than SUCCEEDED)</span></p>".format("".join(items))


def _stage(stage, index):
    out = ["<div class=\"stage\" id=\"stage-{0}\">".format(index + 1)]
    out.append("<h2 style=\"font-size:20px;margin:28px 0 4px 0\">Stage {0}: {1} \u2014 {2}</h2>".format(
        index + 1, _e(stage.name), _verdict(stage.verdict)))
    if stage.msg:
        out.append("<p class=\"msg\" style=\"font-size:13px;color:#424242;margin:4px 0 8px 0\">{0}</p>".format(_e(stage.msg)))
    if stage.verdict == SKIPPED:
        out.append("</div>")
        return "\n".join(out)
    facts = [("Verdict", stage.verdict.replace("_", " ")), ("Limit", stage.limit or "not given"),
             ("Duration", duration_text(stage.seconds)), ("Job status", stage.job_status or "\u2014"),
             ("Job canceled by the gate", "yes" if stage.canceled else "no")]
    out.append(_facts(facts))
    counts = [(status, (stage.name + ":" + status, n)) for status, n in stage.counts]
    counts.append(("total", (stage.name + ":total", stage.total)))
    out.append(_table(["Status", "Devices at the last poll"], counts, "counts", numeric=(1,)))
    out.append("<h3 style=\"font-size:16px;margin:16px 0 4px 0\">Devices over time</h3>")
    chart = timeline_chart(stage)
    if chart is None:
        out.append("<p style=\"font-size:13px\">No timeline was given for this stage.</p>")
    else:
        out.append("<div class=\"chart timeline\">{0}</div>".format(chart))
        out.append(_legend())
    out.append("<h3 style=\"font-size:16px;margin:16px 0 4px 0\">Failure reasons</h3>")
    if stage.failure_reasons:
        out.append("<div class=\"chart reasons\">{0}</div>".format(reasons_chart(stage)))
        out.append(_table(["Key", "Value", "Devices"], list(stage.failure_reasons),
                          "reasons", numeric=(2,)))
    else:
        out.append("<p style=\"font-size:13px\">The failed devices reported no reasons.</p>")
    if stage.failure_sample and stage.failure_sample[1]:
        sampled, failed, silent = stage.failure_sample
        out.append("<p class=\"sample\" style=\"font-size:12px;color:#616161\">Reasons read from {0} of {1} failed "
                   "devices; {2} of those reported none.</p>".format(sampled, failed, silent))
    out.append("<h3 style=\"font-size:16px;margin:16px 0 4px 0\">Failed devices</h3>")
    devices = stage.failed_devices
    if devices:
        shown = devices[:FAILED_DEVICES_SHOWN]
        rows = [(d.thing_name, d.status, ", ".join("{0}={1}".format(k, v) for k, v in d.details) or "\u2014")
                for d in shown]
        out.append(_table(["Device", "Status", "Reported"], rows, "failed-devices"))
        if len(devices) > len(shown):
            out.append("<p style=\"font-size:12px;color:#616161\">{0} of {1} failed devices shown.</p>".format(
                len(shown), len(devices)))
    else:
        out.append("<p style=\"font-size:13px\">None.</p>")
    out.append("</div>")
    return "\n".join(out)


FACT = "text-align:left;padding:4px 10px 4px 0;font-size:13px;border-bottom:1px solid #e0e0e0;font-weight:normal;color:#616161"


def _facts(facts):
    rows = "".join("<tr><th scope=\"row\" style=\"{0}\">{1}</th><td style=\"{2}\">{3}</td></tr>".format(
        FACT, _e(k), TD, _e(v)) for k, v in facts)
    return "<table class=\"facts\" style=\"{0}\"><tbody>{1}</tbody></table>".format(TABLE, rows)


def render_html(report):
    """The report page as text; the same report gives the same bytes."""
    headline = ["Verdict: " + _verdict(report.verdict)]
    if report.job_id:
        headline.append("job <code>{0}</code>".format(_e(report.job_id)))
    headline.append("{0} stage{1}".format(len(report.stages), "" if len(report.stages) == 1 else "s"))
    headline.append("gates waited {0}".format(_e(duration_text(report.seconds))))
    if report.canceled:
        headline.append("the job was canceled")
    parts = [
        "<!DOCTYPE html>",
        "<html lang=\"en\"><head><meta charset=\"utf-8\"/>",
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>",
        "<title>{0}</title><style>{1}</style></head>".format(_e(report.title), PRINT_CSS),
        "<body style=\"{0}\">".format(BODY),
        "<h1 style=\"font-size:24px;margin:8px 0\">{0}</h1>".format(_e(report.title)),
        "<p class=\"headline\" style=\"font-size:15px\">{0}</p>".format(" \u00b7 ".join(headline)),
        _summary_table(report),
    ]
    parts.extend(_stage(stage, index) for index, stage in enumerate(report.stages))
    parts.append("</body></html>\n")
    # One block a line, so that --diff and a reader of the source can follow.
    return "\n".join(parts)
