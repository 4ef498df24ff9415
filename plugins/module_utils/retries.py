# -*- coding: utf-8 -*-
# Copyright: iotops.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""Retry bounds that botocore's retry settings cannot express."""

from __future__ import annotations

import re
import time

from ansible_collections.iotops.aws.plugins.module_utils.errors import (
    RetryDeadlineReached,
    answer_error,
    is_not_implemented,
    is_unanswered,
)

try:
    from botocore.exceptions import ClientError
except ImportError:
    pass  # connection.py reports the missing library

# Attempts that got no answer at all (connection refused, connect or read
# timeout) before a call gives up: 3 x read_timeout is about 30 s.
MAX_UNANSWERED_ATTEMPTS = 3


class RetryBounds:
    """Bounds that botocore's retry settings cannot express.

    botocore's attempt count is one number for every fault.  A throttle is
    cheap to retry, but each attempt against a silent endpoint costs a full
    read timeout.  This stops a call after MAX_UNANSWERED_ATTEMPTS unanswered
    attempts, and sends no retry after ``not_after`` (a monotonic time), so a
    waiter's deadline holds whatever the endpoint does.  An answer that says
    the endpoint lacks the operation (a 5xx "not implemented") is not retried.
    """

    def __init__(self, max_unanswered=MAX_UNANSWERED_ATTEMPTS, clock=time.monotonic):
        self.max_unanswered = max_unanswered
        self.not_after = None
        self.last_failure = None
        self.last_cause = None  # the botocore error or parsed error answer behind last_failure
        self._clock = clock

    def attach(self, client):
        events = client.meta.events
        events.register_first("needs-retry.iot", self.on_needs_retry)
        events.register("before-send.iot", self.on_before_send)

    def on_needs_retry(self, caught_exception=None, request_dict=None, response=None, operation=None, **kwargs):
        operation_name = getattr(operation, "name", None)
        text = _failure_text(caught_exception, response, operation_name)
        if text:
            self.last_failure = text
            self.last_cause = caught_exception if caught_exception is not None else response[1]
        if caught_exception is None and text and is_not_implemented(response[1]):
            # Raised as botocore raises the final answer, before its retry
            # handler can schedule another attempt.
            raise ClientError(response[1], operation_name)
        if caught_exception is None or not is_unanswered(caught_exception) or request_dict is None:
            return None
        context = request_dict.setdefault("context", {})
        unanswered = context.get("iotops_unanswered", 0) + 1
        context["iotops_unanswered"] = unanswered
        if unanswered >= self.max_unanswered:
            raise caught_exception
        return None

    def on_before_send(self, request=None, **kwargs):
        if self.not_after is None or self._clock() <= self.not_after:
            return None
        attempt = _attempt_number(request)
        if attempt > 1:
            raise RetryDeadlineReached("{0} (retry {1} not sent: it was due after the deadline)".format(
                self.last_failure or "the previous attempt failed", attempt), self.last_cause)
        return None


def _failure_text(caught_exception, response, operation_name=None):
    """What failed an attempt, for a message; None when it succeeded."""
    if caught_exception is not None:
        return "{0}: {1}".format(type(caught_exception).__name__, caught_exception)
    parsed = response[1] if isinstance(response, tuple) and len(response) > 1 else None
    error = parsed.get("Error") if isinstance(parsed, dict) else None
    if isinstance(error, dict) and error.get("Code"):
        code, message = answer_error(parsed, operation_name)
        return "{0}: {1}".format(code, message or "no message")
    return None


def _attempt_number(request):
    header = (getattr(request, "headers", None) or {}).get("amz-sdk-request", b"")
    if isinstance(header, bytes):
        header = header.decode("ascii", "replace")
    match = re.search(r"attempt=(\d+)", header)
    return int(match.group(1)) if match else 1
