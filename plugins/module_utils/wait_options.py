# -*- coding: utf-8 -*-
# Copyright: iotops.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""Options of iot_job_execution_wait, shared by its module and action plugin."""

from __future__ import annotations

import re

from ansible_collections.iotops.aws.plugins.module_utils.validation import InvalidOption, check_cancel_reason
from ansible_collections.iotops.aws.plugins.module_utils.vocabulary import JOB_EXECUTION_STATUSES, TERMINAL_STATUSES
from ansible_collections.iotops.aws.plugins.module_utils.wait_decision import (
    DEFAULT_FAIL_ON,
    CancelPolicy,
    GatePolicy,
)
from ansible_collections.iotops.aws.plugins.module_utils.waiter import DEFAULT_FAILURE_REASONS_SAMPLE, WaitRequest

WAIT_ARGUMENT_SPEC = dict(
    job_id=dict(type="str", required=True),
    thing_names=dict(type="list", elements="str", aliases=["thing_name"]),
    thing_group=dict(type="str"),
    execution_number=dict(type="int"),
    timeout=dict(type="float", default=600),
    sleep=dict(type="float", default=5),
    delay=dict(type="float", default=0),
    fail_on=dict(type="list", elements="str", default=list(DEFAULT_FAIL_ON), choices=list(JOB_EXECUTION_STATUSES)),
    max_failures=dict(type="int"),
    max_failure_percent=dict(type="float"),
    # No default here, so that giving it in thing mode is an error; 1 when omitted.
    min_executions=dict(type="int"),
    cancel_on_failure=dict(type="bool", default=False),
    cancel_on_timeout=dict(type="bool", default=False),
    cancel_reason_code=dict(type="str"),
    cancel_comment=dict(type="str"),
    cancel_force=dict(type="bool", default=False),
    failure_reasons_sample=dict(type="int", default=DEFAULT_FAILURE_REASONS_SAMPLE),
)
WAIT_MUTUALLY_EXCLUSIVE = [["max_failures", "max_failure_percent"], ["thing_names", "thing_group"]]
# A thing group's name, or its ARN: arn:<partition>:iot:<region>:<account>:thinggroup/<name>.
_GROUP_NAME = re.compile(r"[a-zA-Z0-9:_-]{1,128}\Z")
_GROUP_ARN = re.compile(r"arn:aws[a-z-]*:iot:[a-z0-9-]*:[0-9]*:thinggroup/([a-zA-Z0-9:_-]{1,128})\Z")


def check_thing_group(value):
    """The stage's thing group, a name or an ARN; raises InvalidOption."""
    if value is None:
        return None
    arn = _GROUP_ARN.match(value)
    if arn is None and (value.startswith("arn:") or not _GROUP_NAME.match(value)):
        raise InvalidOption("thing_group", "must be a thing group name (1 to 128 of a-z, A-Z, 0-9, ':', '_', '-') "
                                           "or a thing group ARN, got {0!r}".format(value[:140]))
    return value


def _cancel_policy(params):
    """The cancel options, checked before any request; raises InvalidOption."""
    reason, comment, force = params.get("cancel_reason_code"), params.get("cancel_comment"), params.get("cancel_force")
    armed = params.get("cancel_on_failure") or params.get("cancel_on_timeout")
    for option, given in (("cancel_reason_code", reason is not None), ("cancel_comment", comment is not None),
                          ("cancel_force", bool(force))):
        if given and not armed:
            raise InvalidOption(option, "applies only with cancel_on_failure=true or cancel_on_timeout=true")
    check_cancel_reason(reason, comment, "cancel_reason_code", "cancel_comment")
    return CancelPolicy(bool(params.get("cancel_on_failure")), bool(params.get("cancel_on_timeout")), reason, comment,
                        bool(force))


def build_wait_request(params, check_mode=False):
    """A WaitRequest from validated module parameters; raises InvalidOption."""
    timeout, sleep, delay = params["timeout"], params["sleep"], params["delay"]
    if not timeout > 0:
        raise InvalidOption("timeout", "must be more than 0 seconds, got {0:g}".format(timeout))
    if not 0 < sleep <= timeout:
        raise InvalidOption("sleep", "must be more than 0 and at most timeout ({0:g} s), got {1:g}".format(timeout, sleep))
    if not 0 <= delay < timeout:
        raise InvalidOption("delay", "must be at least 0 and less than timeout ({0:g} s), got {1:g}".format(timeout, delay))
    pending = [status for status in params["fail_on"] if status not in TERMINAL_STATUSES]
    if pending:
        raise InvalidOption("fail_on", "{0} not terminal: a gate can only fail on {1}".format(
            ", ".join(pending), ", ".join(sorted(TERMINAL_STATUSES))))
    max_failures, max_percent = params["max_failures"], params["max_failure_percent"]
    if max_failures is not None and max_failures < 0:
        raise InvalidOption("max_failures", "must be 0 or more, got {0}".format(max_failures))
    if max_percent is not None and not 0 <= max_percent <= 100:
        raise InvalidOption("max_failure_percent", "must be between 0 and 100, got {0:g}".format(max_percent))
    things = params["thing_names"]
    if params["execution_number"] is not None and (things is None or len(things) != 1):
        raise InvalidOption("execution_number", "needs exactly one thing in thing_names")
    min_executions = params.get("min_executions")
    if min_executions is not None and things is not None:
        raise InvalidOption("min_executions", "applies to fleet mode only; thing mode waits on every thing in thing_names")
    if min_executions is not None and min_executions < 1:
        raise InvalidOption("min_executions", "must be 1 or more, got {0}".format(min_executions))
    sample = params.get("failure_reasons_sample", DEFAULT_FAILURE_REASONS_SAMPLE)
    if sample < 0:
        raise InvalidOption("failure_reasons_sample", "must be 0 (no describes) or more, got {0}".format(sample))
    cancel = _cancel_policy(params)
    group = check_thing_group(params.get("thing_group"))
    return WaitRequest(
        job_id=params["job_id"],
        thing_names=things,
        thing_group=group,
        execution_number=params["execution_number"],
        timeout=timeout,
        sleep=sleep,
        delay=delay,
        policy=GatePolicy(frozenset(params["fail_on"]), max_failures, max_percent, min_executions or 1),
        check_mode=check_mode,
        cancel=cancel,
        failure_reasons_sample=sample,
    )
