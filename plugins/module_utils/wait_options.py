# -*- coding: utf-8 -*-
# Copyright: iotops.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""Options of iot_job_execution_wait, shared by its module and action plugin."""

from __future__ import annotations

from ansible_collections.iotops.aws.plugins.module_utils.validation import InvalidOption
from ansible_collections.iotops.aws.plugins.module_utils.vocabulary import JOB_EXECUTION_STATUSES, TERMINAL_STATUSES
from ansible_collections.iotops.aws.plugins.module_utils.wait_decision import DEFAULT_FAIL_ON, GatePolicy
from ansible_collections.iotops.aws.plugins.module_utils.waiter import WaitRequest

WAIT_ARGUMENT_SPEC = dict(
    job_id=dict(type="str", required=True),
    thing_names=dict(type="list", elements="str", aliases=["thing_name"]),
    execution_number=dict(type="int"),
    timeout=dict(type="float", default=600),
    sleep=dict(type="float", default=5),
    delay=dict(type="float", default=0),
    fail_on=dict(type="list", elements="str", default=list(DEFAULT_FAIL_ON), choices=list(JOB_EXECUTION_STATUSES)),
    max_failures=dict(type="int"),
    max_failure_percent=dict(type="float"),
    # No default here, so that giving it in thing mode is an error; 1 when omitted.
    min_executions=dict(type="int"),
)
WAIT_MUTUALLY_EXCLUSIVE = [["max_failures", "max_failure_percent"]]


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
    return WaitRequest(
        job_id=params["job_id"],
        thing_names=things,
        execution_number=params["execution_number"],
        timeout=timeout,
        sleep=sleep,
        delay=delay,
        policy=GatePolicy(frozenset(params["fail_on"]), max_failures, max_percent, min_executions or 1),
        check_mode=check_mode,
    )
