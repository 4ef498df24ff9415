# -*- coding: utf-8 -*-
# Copyright: iotops.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""The one way into the wait, for the module and the action plugin alike.

From checked parameters to the task's result: the request, the client with
its retry bounds, the poll loop, and every failure as a result dict.
"""

from __future__ import annotations

from ansible_collections.iotops.aws.plugins.module_utils.connection import iot_client
from ansible_collections.iotops.aws.plugins.module_utils.errors import ConnectionSettingsError, secrets_in
from ansible_collections.iotops.aws.plugins.module_utils.retries import RetryBounds
from ansible_collections.iotops.aws.plugins.module_utils.validation import InvalidOption
from ansible_collections.iotops.aws.plugins.module_utils.wait_options import build_wait_request
from ansible_collections.iotops.aws.plugins.module_utils.waiter import WaitAborted, Waiter


def run_wait(params, check_mode=False, on_poll=None, observer=None):
    """The wait's result for parameters already checked against WAIT_ARGUMENT_SPEC.

    Always returns a result: ``failed`` with a one-line ``msg`` on bad
    input, bad connection settings or an AWS refusal (with ``error`` and
    ``response_metadata`` for the last).
    """
    try:
        request = build_wait_request(params, check_mode)
        retry_bounds = RetryBounds()
        client = iot_client(params, retry_bounds)
    except (InvalidOption, ConnectionSettingsError) as exc:
        return dict(failed=True, changed=False, msg=str(exc))
    waiter = Waiter(client, request, retry_bounds, on_poll=on_poll, secrets=secrets_in(params), observer=observer)
    try:
        return waiter.run()
    except WaitAborted as exc:
        return dict(exc.fields, failed=True, changed=False, msg=str(exc))
