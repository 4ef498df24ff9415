# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""Test helper: write every task result to the JSON lines file in IOTOPS_RESULTS."""

from __future__ import annotations

DOCUMENTATION = r"""
name: record_results
type: aggregate
short_description: Write task results to a JSON lines file for the integration tests
description:
  - Appends one JSON object per task result to the file named by E(IOTOPS_RESULTS), with the seconds since the task started.
requirements:
  - The E(IOTOPS_RESULTS) environment variable.
"""

import json
import os
import time

from ansible.plugins.callback import CallbackBase


class CallbackModule(CallbackBase):
    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = "aggregate"
    CALLBACK_NAME = "record_results"
    CALLBACK_NEEDS_ENABLED = True

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._task_started = time.monotonic()

    def v2_playbook_on_task_start(self, task, is_conditional):
        self._task_started = time.monotonic()

    def _write(self, result, status):
        path = os.environ.get("IOTOPS_RESULTS")
        if not path:
            return
        # TaskResult.host is public from ansible-core 2.19; _host before.
        host = getattr(result, "host", None) or result._host
        record = {
            "task": result.task_name,
            "host": host.get_name(),
            "status": status,
            "seconds": time.monotonic() - self._task_started,
            "result": json.loads(json.dumps(result._result, default=str)),
        }
        with open(path, "a") as handle:
            handle.write(json.dumps(record) + "\n")

    def v2_runner_on_ok(self, result):
        self._write(result, "ok")

    def v2_runner_on_failed(self, result, ignore_errors=False):
        self._write(result, "failed")

    def v2_runner_on_skipped(self, result):
        self._write(result, "skipped")
