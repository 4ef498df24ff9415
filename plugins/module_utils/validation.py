# -*- coding: utf-8 -*-
# Copyright: iotops.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""Input checks shared by the modules and the lookup.

Every check runs before the first request, and every error is one line
that starts with the option's name.
"""

from __future__ import annotations

import re
from collections import Counter

from ansible.module_utils.common.parameters import DEFAULT_TYPE_VALIDATORS

_JOB_ID = re.compile(r"[a-zA-Z0-9_-]{1,64}")
_THING_NAME = re.compile(r"[a-zA-Z0-9:_-]{1,128}")
_THING_ARN = re.compile(r"arn:aws[a-z-]*:iot:[a-z0-9-]+:\d{12}:thing/(?P<name>[^/]+)")


class InvalidOption(ValueError):
    """An option's value is invalid; no request has been made."""

    def __init__(self, option, problem):
        super().__init__("{0}: {1}".format(option, problem))
        self.option = option


def _shown(value):
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def check_job_id(value, option="job_id"):
    if not isinstance(value, str) or not _JOB_ID.fullmatch(value):
        raise InvalidOption(option, "{0} is not a job ID: use 1 to 64 characters of a-z, A-Z, 0-9, _ and -".format(_shown(value)))
    return value


def check_thing_name(value, option="thing_name"):
    """Return the thing's name; a thing ARN is reduced to the name it carries."""
    if isinstance(value, str):
        arn = _THING_ARN.fullmatch(value)
        name = arn.group("name") if arn else value
        if _THING_NAME.fullmatch(name):
            return name
    raise InvalidOption(
        option,
        "{0} is not a thing name or thing ARN: a name is 1 to 128 characters of a-z, A-Z, 0-9, :, _ and -".format(_shown(value)),
    )


def check_thing_names(values, option="thing_names"):
    names = [check_thing_name(value, option) for value in values]
    if not names:
        raise InvalidOption(option, "give at least one thing, or omit the option to wait on the whole job")
    duplicates = sorted(name for name, count in Counter(names).items() if count > 1)
    if duplicates:
        raise InvalidOption(option, "names {0} more than once".format(", ".join(duplicates)))
    return names


# AWS's [^\p{C}]+ text patterns and CancelJob's [\p{Upper}\p{Digit}_]+ reason code.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_REASON_CODE = re.compile(r"[A-Z0-9_]{1,128}")
CANCEL_COMMENT_LIMIT = 2028


def check_text(option, value, high, low=1):
    """Printable text of low..high characters; None passes."""
    if value is None:
        return
    if not low <= len(value) <= high:
        raise InvalidOption(option, "must be {0} to {1} characters, got {2}".format(low, high, len(value)))
    if _CONTROL.search(value):
        raise InvalidOption(option, "must not contain control characters such as newlines")


def check_cancel_reason(reason_code, comment, reason_option="reason_code", comment_option="comment"):
    """CancelJob's reasonCode and comment, as AWS will take them; None passes."""
    if reason_code is not None and not _REASON_CODE.fullmatch(reason_code):
        raise InvalidOption(reason_option, "{0} must be 1 to 128 characters of A-Z, 0-9 and _".format(_shown(reason_code)))
    check_text(comment_option, comment, CANCEL_COMMENT_LIMIT)


def check_execution_number(value, option="execution_number"):
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise InvalidOption(option, "{0} is not an execution number: use an integer of 0 or more".format(_shown(value)))
    return value


def thing_name_from_arn(arn):
    match = _THING_ARN.fullmatch(arn or "")
    return match.group("name") if match else None


# Argument-spec types, in words: ansible-core's own refusal of a value that
# cannot convert ends in Python's ("<class 'str'> cannot be converted to a float").
_TYPE_WORDS = dict(int="an integer", float="a number", bool="true or false", dict="a dictionary", list="a list")


def check_raw_types(spec, args):
    """Raise InvalidOption for the first argument that ansible-core could
    not convert to its type in ``spec``, naming the option and the type."""
    for name, option in spec.items():
        kind = option.get("type", "str")
        if kind not in _TYPE_WORDS:
            continue
        for key in [name] + list(option.get("aliases") or []):
            value = args.get(key)
            if value is None:
                continue
            try:
                DEFAULT_TYPE_VALIDATORS[kind](value)
            except (TypeError, ValueError):
                raise InvalidOption(name, "must be {0}, got {1}".format(_TYPE_WORDS[kind], _shown(value)))


# Checks that apply to an option of this name wherever it appears.
OPTION_CHECKS = dict(
    job_id=check_job_id,
    thing_name=check_thing_name,
    thing_names=check_thing_names,
    execution_number=check_execution_number,
)


def apply_option_checks(params, options):
    """Check and normalise, in place, those of ``options`` that are set."""
    for option, check in OPTION_CHECKS.items():
        if option in options and params.get(option) is not None:
            params[option] = check(params[option], option)
    return params
