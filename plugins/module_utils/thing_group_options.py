# -*- coding: utf-8 -*-
# Copyright: iotops.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""iot_thing_group's options, their checks before any request, and the
CreateThingGroup and UpdateThingGroup members they become."""

from __future__ import annotations

import re

from ansible_collections.iotops.aws.plugins.module_utils.job_options import DESCRIPTION, TAGS, argument_spec, check_settings, no_duplicates
from ansible_collections.iotops.aws.plugins.module_utils.validation import THING_NAME, InvalidOption, check_thing_name, shown

# AWS's attribute name and value patterns (AttributeName, AttributeValue).
_ATTRIBUTE_NAME = re.compile(r"[a-zA-Z0-9_.,@/:#-]{1,128}")
_ATTRIBUTE_VALUE = re.compile(r"[a-zA-Z0-9_.,@/:#=\[\]-]{0,800}")

GROUP_ARGUMENT_SPEC = dict(
    name=dict(type="str", required=True),
    state=dict(type="str", default="present", choices=["present", "absent"]),
    parent=dict(type="str"),
    attributes=dict(type="dict"),
    purge_attributes=dict(type="bool", default=True),
    things=dict(type="list", elements="str"),
    purge_things=dict(type="bool", default=False),
    list_things=dict(type="bool", default=False),
    **argument_spec(DESCRIPTION, TAGS)
)


def check_group_name(value, option):
    if not THING_NAME.fullmatch(value):
        raise InvalidOption(option, "{0} is not a thing group name: use 1 to 128 characters of a-z, A-Z, 0-9, :, _ and -".format(
            shown(value)))


def check_group_options(params):
    """Check iot_thing_group's options; returns the thing names of O(things)
    (ARNs reduced to names), None when unset.  Raises InvalidOption."""
    check_group_name(params["name"], "name")
    if params.get("parent") is not None:
        check_group_name(params["parent"], "parent")
        if params["parent"] == params["name"]:
            raise InvalidOption("parent", "a group cannot be its own parent")
    check_settings(params, (DESCRIPTION, TAGS))
    for key, value in (params.get("attributes") or {}).items():
        if not _ATTRIBUTE_NAME.fullmatch(key):
            raise InvalidOption("attributes", "name {0} must be 1 to 128 characters of a-z, A-Z, 0-9 and _.,@/:#-".format(shown(key)))
        if not isinstance(value, str) or not _ATTRIBUTE_VALUE.fullmatch(value):
            raise InvalidOption("attributes.{0}".format(key), "must be a string of at most 800 characters of a-z, A-Z, 0-9 and "
                                "_.,@/:#=[]- (quote numbers), got {0}".format(shown(value)))
    if params.get("things") is None:
        return None
    names = [check_thing_name(thing, "things") for thing in params["things"]]
    no_duplicates("things", names)
    return names


def group_properties(params):
    """thingGroupProperties for the options given.  Attributes are merged
    into the group's unless purged: then the request replaces them all."""
    properties = {}
    if params.get("description") is not None:
        properties["thingGroupDescription"] = params["description"]
    if params.get("attributes") is not None:
        properties["attributePayload"] = dict(attributes=dict(params["attributes"]), merge=not params.get("purge_attributes", True))
    return properties
