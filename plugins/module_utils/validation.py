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

JOB_ID = re.compile(r"[a-zA-Z0-9_-]{1,64}")
# A thing's name; AWS's detailsMap keys follow the same pattern.
THING_NAME_PATTERN = r"[a-zA-Z0-9:_-]{1,128}"
THING_NAME = re.compile(THING_NAME_PATTERN)
# What precedes the resource type in an IoT ARN: partition, region, account.
IOT_ARN_PREFIX = r"arn:aws[a-z-]*:iot:[a-z0-9-]+:\d{12}:"
THING_ARN = re.compile(IOT_ARN_PREFIX + r"thing/(?P<name>[^/]+)")
# A thing group's name follows the thing name's pattern.
THING_GROUP_ARN = re.compile(IOT_ARN_PREFIX + r"thinggroup/(?P<name>" + THING_NAME_PATTERN + ")")
# AWS's pattern for an ARN of any kind (a job template, a package version).
ARN = re.compile(r"arn:[!-~]{1,1596}")
# The software package catalog's names (PackageName, VersionName).
PACKAGE_NAME_PATTERN = r"[a-zA-Z0-9_.-]{1,128}"
VERSION_NAME_PATTERN = r"[a-zA-Z0-9_.-]{1,64}"
PACKAGE_NAME = re.compile(PACKAGE_NAME_PATTERN)
VERSION_NAME = re.compile(VERSION_NAME_PATTERN)
PACKAGE_VERSION_ARN = re.compile(IOT_ARN_PREFIX + r"package/(?P<package>" + PACKAGE_NAME_PATTERN + r")/version/(?P<version>"
                                 + VERSION_NAME_PATTERN + ")")
# An IAM role's ARN, as AWS IoT takes roles (a path may precede the name).
IAM_ROLE_ARN = re.compile(r"arn:aws[a-z-]*:iam::\d{12}:role/[a-zA-Z0-9_+=,.@/-]{1,512}")


class InvalidOption(ValueError):
    """An option's value is invalid; no request has been made."""

    def __init__(self, option, problem):
        super().__init__("{0}: {1}".format(option, problem))
        self.option = option


def shown(value, limit=40):
    """``value`` as a message quotes it, cut to ``limit`` characters."""
    text = repr(value)
    return text if len(text) <= limit else text[:limit - 3] + "..."


def check_job_id(value, option="job_id"):
    if not isinstance(value, str) or not JOB_ID.fullmatch(value):
        raise InvalidOption(option, "{0} is not a job ID: use 1 to 64 characters of a-z, A-Z, 0-9, _ and -".format(shown(value)))
    return value


def check_package_name(value, option="package"):
    if not isinstance(value, str) or not PACKAGE_NAME.fullmatch(value):
        raise InvalidOption(option, "{0} is not a package name: use 1 to 128 characters of a-z, A-Z, 0-9, _, . and -".format(
            shown(value)))
    return value


def check_version_name(value, option="version"):
    if not isinstance(value, str) or not VERSION_NAME.fullmatch(value):
        raise InvalidOption(option, "{0} is not a package version name: use 1 to 64 characters of a-z, A-Z, 0-9, _, . and -".format(
            shown(value)))
    return value


def check_thing_name(value, option="thing_name"):
    """Return the thing's name; a thing ARN is reduced to the name it carries."""
    if isinstance(value, str):
        arn = THING_ARN.fullmatch(value)
        name = arn.group("name") if arn else value
        if THING_NAME.fullmatch(name):
            return name
    raise InvalidOption(
        option,
        "{0} is not a thing name or thing ARN: a name is 1 to 128 characters of a-z, A-Z, 0-9, :, _ and -".format(shown(value)),
    )


def check_thing_names(values, option="thing_names"):
    names = [check_thing_name(value, option) for value in values]
    if not names:
        raise InvalidOption(option, "give at least one thing, or omit the option to wait on the whole job")
    duplicates = sorted(name for name, count in Counter(names).items() if count > 1)
    if duplicates:
        raise InvalidOption(option, "names {0} more than once".format(", ".join(duplicates)))
    return names


def thing_group_name(value):
    """The group's name, from its name or its ARN; None when it is neither."""
    if not isinstance(value, str):
        return None
    arn = THING_GROUP_ARN.fullmatch(value)
    if arn:
        return arn.group("name")
    return value if THING_NAME.fullmatch(value) else None


def check_thing_group(value, option="thing_group"):
    """A thing group's name or ARN, as given; None passes."""
    if value is not None and thing_group_name(value) is None:
        raise InvalidOption(option, "must be a thing group name (1 to 128 characters of a-z, A-Z, 0-9, :, _ and -) "
                                    "or a thing group ARN, got {0}".format(shown(value)))
    return value


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
        raise InvalidOption(reason_option, "{0} must be 1 to 128 characters of A-Z, 0-9 and _".format(shown(reason_code)))
    check_text(comment_option, comment, CANCEL_COMMENT_LIMIT)


def check_execution_number(value, option="execution_number"):
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise InvalidOption(option, "{0} is not an execution number: use an integer of 0 or more".format(shown(value)))
    return value


def thing_name_from_arn(arn):
    match = THING_ARN.fullmatch(arn or "")
    return match.group("name") if match else None


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


# Each argument-spec type as a message names it, singular and plural.
_TYPE_WORDS = dict(
    dict=("a dictionary", "dictionaries"),
    list=("a list", "lists"),
    int=("an integer", "integers"),
    float=("a number", "numbers"),
    bool=("a boolean", "booleans"),
    str=("a string", "strings"),
)


def _type_of(value):
    for wanted, kind in (("bool", bool), ("int", int), ("float", float), ("str", str), ("dict", dict), ("list", list)):
        if isinstance(value, kind):
            return _TYPE_WORDS[wanted][0]
    return "a value of another type"


def _converted(value, wanted):
    """``value`` as Ansible's validator converts it to ``wanted``; raises TypeError or ValueError."""
    return DEFAULT_TYPE_VALIDATORS[wanted](value)


def _wrong_type(option, value, expected):
    return "{0}: must be {1}, got {2} ({3})".format(option, expected, _type_of(value), shown(value))


def option_type_error(spec, params, prefix=""):
    """The first value in ``params`` that Ansible's validator cannot convert
    to its option's declared type, as one line naming the option and the
    type it takes; None when every value converts.

    Ansible's own message for these quotes Python's error text ("argument of
    type 'int' is not iterable"); this one runs on the raw values first.
    Suboptions are named by their path: ``rollout.exponential_rate``,
    ``abort[0]``.
    """
    for name, option in spec.items():
        given = [params[key] for key in [name] + list(option.get("aliases") or []) if params.get(key) is not None]
        wanted = option.get("type", "str")
        if not given or wanted not in _TYPE_WORDS:
            continue
        value, path = given[0], prefix + name
        elements = option.get("elements")
        expected = _TYPE_WORDS[wanted][0]
        if wanted == "list" and elements in _TYPE_WORDS:
            expected = "a list of {0}".format(_TYPE_WORDS[elements][1])
        try:
            converted = _converted(value, wanted)
        except (TypeError, ValueError):
            return _wrong_type(path, value, expected)
        if wanted == "list" and elements == "dict" and not isinstance(value, list):
            return _wrong_type(path, value, expected)  # a scalar would become a list of one string
        items = [(path, converted)] if wanted == "dict" else []
        if wanted == "list" and elements in _TYPE_WORDS:
            for index, item in enumerate(converted):
                item_path = "{0}[{1}]".format(path, index)
                try:
                    items.append((item_path, _converted(item, elements)))
                except (TypeError, ValueError):
                    return _wrong_type(item_path, item, _TYPE_WORDS[elements][0])
        if option.get("options"):
            for item_path, item in items:
                if isinstance(item, dict):
                    problem = option_type_error(option["options"], item, item_path + ".")
                    if problem:
                        return problem
    return None
