# -*- coding: utf-8 -*-
# Copyright: iotops.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""A job's targets: thing ARNs, thing group ARNs, or names to resolve.

Jobs take ARNs only.  A bare name may be a thing, a thing group, both or
neither; the caller looks it up (DescribeThing, DescribeThingGroup) and
``resolve_target_name`` decides, never guessing.
"""

from __future__ import annotations

import re
from collections import namedtuple

from ansible_collections.iotops.aws.plugins.module_utils.validation import IOT_ARN_PREFIX, THING_NAME, THING_NAME_PATTERN, InvalidOption, shown

THING = "thing"
GROUP = "thinggroup"
NAME = "name"

# A thing group's name follows a thing name's pattern.
_TARGET_ARN = re.compile(IOT_ARN_PREFIX + r"(?P<kind>thing|thinggroup)/(?P<name>" + THING_NAME_PATTERN + ")")

# Quoted values are cut at this length, enough for a whole ARN.
_SHOWN = 200

Target = namedtuple("Target", "kind value")


def classify_target(value, option="targets"):
    """A Target of kind THING or GROUP (value is the ARN) or NAME (value is the bare name)."""
    if not isinstance(value, str):
        raise InvalidOption(option, "{0} is not a thing or thing group name or ARN".format(shown(value, _SHOWN)))
    if value.startswith("arn:"):
        match = _TARGET_ARN.fullmatch(value)
        if not match:
            raise InvalidOption(option, "{0} is not a thing or thing group ARN".format(shown(value, _SHOWN)))
        return Target(match.group("kind"), value)
    if not THING_NAME.fullmatch(value):
        raise InvalidOption(option, "{0} is not a thing or thing group name: use 1 to 128 characters of a-z, A-Z, 0-9, :, _ and -".format(
            shown(value, _SHOWN)))
    return Target(NAME, value)


def classify_targets(values, option="targets"):
    return [classify_target(value, option) for value in values]


def resolve_target_name(name, thing_arn=None, group_arn=None, option="targets"):
    """The ARN of the one thing or thing group called ``name``.

    ``thing_arn`` and ``group_arn`` are what DescribeThing and
    DescribeThingGroup returned for the name, None when there is none.
    """
    if thing_arn and group_arn:
        raise InvalidOption(option, "{0!r} is both a thing and a thing group: give its ARN".format(name))
    if not thing_arn and not group_arn:
        raise InvalidOption(option, "no thing or thing group named {0!r}".format(name))
    return thing_arn or group_arn


def target_name(arn):
    """The name in a thing or thing group ARN, for messages."""
    match = _TARGET_ARN.fullmatch(arn or "")
    return match.group("name") if match else arn


def unique_target_arns(arns, option="targets"):
    """The resolved ARNs, failing when two entries (a name and its ARN) are one target."""
    seen = set()
    for arn in arns:
        if arn in seen:
            raise InvalidOption(option, "{0} is given twice (by name and by ARN)".format(arn))
        seen.add(arn)
    return list(arns)
