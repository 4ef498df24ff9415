# -*- coding: utf-8 -*-
# Copyright: iotops.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""Options of rollout_report, shared by its documentation module and its
action plugin.

The stages' contents are results registered by other tasks; they are
checked where they are read (plugin_utils/report_model.py), so that an
error names the stage and the key.
"""

from __future__ import annotations

REPORT_ARGUMENT_SPEC = dict(
    stages=dict(type="list", elements="dict"),
    staged_rollout=dict(type="dict"),
    path=dict(type="path", required=True),
    markdown_path=dict(type="path"),
    title=dict(type="str"),
    job_id=dict(type="str"),
)
REPORT_REQUIRED_ONE_OF = [["stages", "staged_rollout"]]
REPORT_MUTUALLY_EXCLUSIVE = [["stages", "staged_rollout"]]
