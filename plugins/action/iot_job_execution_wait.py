# -*- coding: utf-8 -*-
# Copyright: iotops.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""Runs iot_job_execution_wait on the controller, so the play shows
progress while the gate waits.

Why an action plugin: a module's output reaches the play only when the
module exits, and a firmware gate can wait for an hour; a task that is
silent that long looks hung.  Code on the controller can print as it goes,
as ansible.builtin.pause does, and its lines reach ansible-playbook's
output and ansible-runner's event stream (AWX) while the task runs.

The module file keeps the documentation and the argument spec, and still
runs the gate itself where the controller cannot: under ``async:``, and on
a host other than the controller (``delegate_to`` a remote host), or when
the controller's Python lacks boto3.  Both paths share every line of the
gate's logic in module_utils.
"""

from __future__ import annotations

import contextlib
import os

from ansible.plugins.action import ActionBase
from ansible.utils.display import Display

from ansible_collections.iotops.aws.plugins.module_utils.wait_messages import progress_line
from ansible_collections.iotops.aws.plugins.module_utils.wait_options import WAIT_ARGUMENT_SPEC, WAIT_MUTUALLY_EXCLUSIVE
from ansible_collections.iotops.aws.plugins.module_utils.wait_runner import run_wait
from ansible_collections.iotops.aws.plugins.plugin_utils.controller import (
    HAS_BOTO3,
    TaskArgumentsError,
    check_task_arg_types,
    validate_task_args,
)

display = Display()

# A quiet rollout still gets a line this often, so it never looks hung.
HEARTBEAT_SECONDS = 30


@contextlib.contextmanager
def _environ(overrides):
    """The task's ``environment:``, as a module on this host would see it."""
    saved = dict(os.environ)
    os.environ.update(dict((str(k), str(v)) for k, v in overrides.items()))
    try:
        yield
    finally:
        os.environ.clear()
        os.environ.update(saved)


class ProgressPrinter:
    """Prints a progress line when the counts move, and at least every
    HEARTBEAT_SECONDS while they do not."""

    def __init__(self, show=display.display):
        self._show = show
        self._last_counts = None
        self._last_at = None

    def __call__(self, progress):
        elapsed = progress["elapsed"]
        job = progress.get("job")
        # A job that goes SCHEDULED between maintenance windows is news too.
        state = (progress["counts"], job.status if job is not None else None)
        if state == self._last_counts and elapsed - self._last_at < HEARTBEAT_SECONDS:
            return
        self._last_counts, self._last_at = state, elapsed
        self._show(progress_line(progress["job_id"], progress["counts"], elapsed, progress["remaining"],
                                 progress["expected"], job))


class ActionModule(ActionBase):
    _supports_check_mode = True
    _supports_async = True

    def run(self, tmp=None, task_vars=None):
        result = super().run(tmp, task_vars)
        try:
            # On the controller, so the module's path words them the same.
            check_task_arg_types(WAIT_ARGUMENT_SPEC, self._task.args)
        except TaskArgumentsError as exc:
            result.update(failed=True, changed=False, msg=str(exc))
            return result
        if self._task.async_val or self._connection.transport != "local" or not HAS_BOTO3:
            wrap_async = self._task.async_val and not self._connection.has_native_async
            result.update(self._execute_module(task_vars=task_vars, wrap_async=wrap_async))
            if not wrap_async:
                self._remove_tmp_path(self._connection._shell.tmpdir)
            return result
        result.update(self._wait_here())
        return result

    def _wait_here(self):
        environment = {}
        self._compute_environment_string(environment)
        with _environ(environment):
            try:
                params = validate_task_args(self._task.action, WAIT_ARGUMENT_SPEC, self._task.args,
                                            mutually_exclusive=WAIT_MUTUALLY_EXCLUSIVE)
            except TaskArgumentsError as exc:
                return dict(failed=True, changed=False, msg=str(exc))
            return run_wait(params, self._play_context.check_mode, on_poll=ProgressPrinter())
