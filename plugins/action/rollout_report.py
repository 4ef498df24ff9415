# -*- coding: utf-8 -*-
# Copyright: iotops.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""Writes the rollout report on the controller.

The report is for people at the controller (a release manager, an AWX job's
artifacts), and its input is results already registered in the play, so it
never runs on a managed host: the module file holds only the documentation.
"""

from __future__ import annotations

import os
import tempfile

from ansible.plugins.action import ActionBase

from ansible_collections.iotops.aws.plugins.module_utils.report_options import (
    REPORT_ARGUMENT_SPEC,
    REPORT_MUTUALLY_EXCLUSIVE,
    REPORT_REQUIRED_ONE_OF,
)
from ansible_collections.iotops.aws.plugins.plugin_utils.controller import TaskArgumentsError, validate_task_args
from ansible_collections.iotops.aws.plugins.plugin_utils.report_html import render_html
from ansible_collections.iotops.aws.plugins.plugin_utils.report_markdown import render_markdown
from ansible_collections.iotops.aws.plugins.plugin_utils.report_model import ReportInputError, build_report

# Larger files get a one-line diff, as ansible.builtin.copy limits its own.
MAX_DIFF_CHARS = 104448


class ReportWriteError(Exception):
    """A file could not be read or written; the text names the option."""


def _report(params):
    rollout = params["staged_rollout"]
    if rollout is None:
        return build_report(params["stages"], title=params["title"], job_id=params["job_id"])
    return build_report(rollout.get("stages"), title=params["title"], job_id=params["job_id"] or rollout.get("job_id"),
                        verdict=rollout.get("verdict"), canceled=rollout.get("canceled"), option="staged_rollout.stages")


def _current(option, path):
    """The file's text now, None when there is none."""
    try:
        with open(path, encoding="utf-8") as handle:
            return handle.read()
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as exc:
        raise ReportWriteError("{0}: cannot read {1}: {2}".format(option, path, getattr(exc, "strerror", None) or exc.reason))


def _check_writable(option, path):
    directory = os.path.dirname(path) or "."
    if os.path.isdir(path):
        raise ReportWriteError("{0}: {1} is a directory; give a file path".format(option, path))
    if not os.path.isdir(directory):
        raise ReportWriteError("{0}: directory {1} does not exist".format(option, directory))
    if not os.access(directory, os.W_OK | os.X_OK) or (os.path.exists(path) and not os.access(path, os.W_OK)):
        raise ReportWriteError("{0}: cannot write {1}: permission denied".format(option, path))


def _write(option, path, text):
    """Replace the file in one step, so a reader never sees half a report."""
    directory = os.path.dirname(path) or "."
    try:
        descriptor, temporary = tempfile.mkstemp(dir=directory, prefix=".rollout_report-")
        try:
            with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
                handle.write(text)
            mode = os.stat(path).st_mode & 0o7777 if os.path.exists(path) else 0o666 & ~_umask()
            os.chmod(temporary, mode)
            os.replace(temporary, path)
        except BaseException:
            if os.path.exists(temporary):
                os.unlink(temporary)
            raise
    except OSError as exc:
        raise ReportWriteError("{0}: cannot write {1}: {2}".format(option, path, exc.strerror or exc))


def _umask():
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _diff(path, before, after):
    if before is not None and len(before) > MAX_DIFF_CHARS or len(after) > MAX_DIFF_CHARS:
        return dict(before_header=path, after_header=path, before="{0} characters\n".format(len(before or "")),
                    after="{0} characters\n".format(len(after)))
    return dict(before_header=path, after_header=path, before=before or "", after=after)


class ActionModule(ActionBase):
    _supports_check_mode = True
    _supports_async = False

    def run(self, tmp=None, task_vars=None):
        result = super().run(tmp, task_vars)
        try:
            params = validate_task_args(self._task.action, REPORT_ARGUMENT_SPEC, self._task.args,
                                        mutually_exclusive=REPORT_MUTUALLY_EXCLUSIVE,
                                        required_one_of=REPORT_REQUIRED_ONE_OF)
            report = _report(params)
            markdown = render_markdown(report)
            files = [("path", params["path"], render_html(report))]
            if params["markdown_path"]:
                if params["markdown_path"] == params["path"]:
                    raise ReportWriteError("markdown_path: must differ from path")
                files.append(("markdown_path", params["markdown_path"], markdown))
            changes = []
            for option, path, text in files:
                _check_writable(option, path)
                before = _current(option, path)
                if before != text:
                    changes.append((option, path, before, text))
            if not self._play_context.check_mode:
                for option, path, _before, text in changes:
                    _write(option, path, text)
        except (TaskArgumentsError, ReportInputError, ReportWriteError) as exc:
            result.update(failed=True, changed=False, msg=str(exc))
            return result
        result.update(
            changed=bool(changes),
            path=params["path"],
            markdown_path=params["markdown_path"],
            verdict=report.verdict,
            markdown=markdown,
            stages=[dict(name=s.name, verdict=s.verdict, limit=s.limit, seconds=s.seconds, total=s.total,
                         succeeded=s.series_total("succeeded"), failed=s.series_total("failed"),
                         in_progress=s.series_total("in_progress"), queued=s.series_total("queued"))
                    for s in report.stages],
            msg="{0}: {1} ({2} stage{3})".format(
                "would write" if changes and self._play_context.check_mode else ("wrote" if changes else "up to date"),
                ", ".join(written[1] for written in files), len(report.stages), "" if len(report.stages) == 1 else "s"),
        )
        if self._play_context.diff and changes:
            result["diff"] = [_diff(path, before, text) for _option, path, before, text in changes]
        return result
