# -*- coding: utf-8 -*-
# Copyright: iotops.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""The rollout report as a short Markdown summary, for chat and pull-request
comments: the verdict, a table of the stages and their top failure reasons.

Device text is escaped for Markdown and for the HTML that GitHub-flavoured
Markdown lets through, so a device cannot inject links, markup or table
cells.
"""

from __future__ import annotations

import re

from ansible_collections.iotops.aws.plugins.plugin_utils.report_model import SERIES, SERIES_LABELS, duration_text

REASONS_LISTED = 3
# Inline text never starts a line, so only inline markup needs escaping.
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()|~])")


def md(value):
    """Inline text that renders as itself: one line, HTML characters as
    entities, Markdown punctuation backslash-escaped."""
    text = " ".join(str(value).split())
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text)


def render_markdown(report):
    verdict = report.verdict.replace("_", " ")
    headline = ["**Verdict: {0}**".format(md(verdict))]
    if report.job_id:
        headline.append("job {0}".format(md(report.job_id)))
    headline.append("{0} stage{1}".format(len(report.stages), "" if len(report.stages) == 1 else "s"))
    headline.append("gates waited {0}".format(duration_text(report.seconds)))
    if report.canceled:
        headline.append("the job was canceled")
    lines = ["## " + md(report.title), "", " \u00b7 ".join(headline), ""]
    headers = ["Stage", "Verdict", "Limit", "Duration", "Devices"] + [SERIES_LABELS[s].capitalize() for s in SERIES]
    lines.append("| " + " | ".join(headers) + " |")
    lines.append("|" + "|".join(["---"] * 4 + ["---:"] * (len(headers) - 4)) + "|")
    for stage in report.stages:
        cells = [md(stage.name), md(stage.verdict.replace("_", " ")), md(stage.limit or "\u2014"),
                 duration_text(stage.seconds), str(stage.total)] + [str(stage.series_total(s)) for s in SERIES]
        lines.append("| " + " | ".join(cells) + " |")
    for stage in report.stages:
        if not stage.failure_reasons and stage.verdict == "succeeded":
            continue
        lines.extend(["", "**{0}**: {1}".format(md(stage.name), md(stage.msg or stage.verdict))])
        top = stage.failure_reasons[:REASONS_LISTED]
        for key, value, count in top:
            lines.append("- {0}={1}: {2}".format(md(key), md(value), count))
        if len(stage.failure_reasons) > len(top):
            lines.append("- and {0} more".format(len(stage.failure_reasons) - len(top)))
    return "\n".join(lines) + "\n"
