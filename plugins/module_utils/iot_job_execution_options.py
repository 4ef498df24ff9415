# -*- coding: utf-8 -*-
# Copyright: iotops.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""iot_job_execution's options: the argument spec and the checks of what
AWS documents, before any request, with one line that names the option.
Keys chosen by the user (``status_details``) are never renamed."""

from __future__ import annotations

from ansible_collections.iotops.aws.plugins.module_utils.validation import THING_NAME, InvalidOption, check_text, shown

MAX_STATUS_DETAILS = 10

EXECUTION_ARGUMENT_SPEC = dict(
    job_id=dict(type="str", required=True),
    thing_name=dict(type="str", required=True),
    state=dict(type="str", required=True, choices=["canceled", "absent"]),
    force=dict(type="bool", default=False),
    expected_version=dict(type="int"),
    status_details=dict(type="dict"),
    execution_number=dict(type="int"),
)
EXECUTION_MODULE_KWARGS = dict(
    required_if=[["state", "absent", ["execution_number"]]],
    supports_check_mode=True,
)


def check_execution_options(params):
    """Check iot_job_execution's options; raises InvalidOption."""
    version = params.get("expected_version")
    if version is not None and version < 0:
        raise InvalidOption("expected_version", "must be 0 or more, got {0}".format(version))
    details = params.get("status_details")
    if details is not None:
        if params.get("state") != "canceled":
            raise InvalidOption("status_details", "is recorded by CancelJobExecution, so it needs state=canceled")
        if len(details) > MAX_STATUS_DETAILS:
            raise InvalidOption("status_details", "at most {0} pairs, got {1}".format(MAX_STATUS_DETAILS, len(details)))
        for key, value in details.items():
            # AWS's detailsMap keys follow a thing name's pattern.
            if not THING_NAME.fullmatch(key):
                raise InvalidOption("status_details", "key {0} must be 1 to 128 characters of a-z, A-Z, 0-9, :, _ and -".format(shown(key)))
            if not isinstance(value, str):
                raise InvalidOption("status_details.{0}".format(key), "must be a string, got {0} (quote it)".format(shown(value)))
            check_text("status_details.{0}".format(key), value, 32768)
    if params.get("expected_version") is not None and params.get("state") != "canceled":
        raise InvalidOption("expected_version", "is checked by CancelJobExecution, so it needs state=canceled")
    return params
