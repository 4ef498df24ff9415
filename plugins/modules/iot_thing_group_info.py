#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: iotops.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: iot_thing_group_info
short_description: Describe an AWS IoT thing group or list thing groups
version_added: 0.2.0
description:
  - With O(name), describes one thing group (C(DescribeThingGroup)); a group that does not exist gives an empty
    RV(thing_groups).
  - Without it, lists the groups (C(ListThingGroups), every page), optionally the children of O(parent), those whose
    names start with O(name_prefix), and with O(recursive) their descendants too.
author:
  - iotops.aws maintainers (@iotops)
options:
  name:
    description:
      - The group to describe. Not with O(parent), O(name_prefix) or O(recursive).
    type: str
  parent:
    description:
      - List only the child groups of this group (C(parentGroup)).
    type: str
  name_prefix:
    description:
      - List only the groups whose names start with this (C(namePrefixFilter)).
    type: str
  recursive:
    description:
      - With V(true), list the groups' descendants too (C(recursive)); with V(false), only the top level (or the
        direct children of O(parent)). Unset, AWS's default applies.
    type: bool
attributes:
  check_mode:
    support: full
    description: Only reads.
notes:
  - "Needs the IAM actions C(iot:DescribeThingGroup) and C(iot:ListThingGroups)."
seealso:
  - module: iotops.aws.iot_thing_group
extends_documentation_fragment:
  - iotops.aws.connection
"""

EXAMPLES = r"""
- name: Describe the canary group
  iotops.aws.iot_thing_group_info:
    name: canaries
  register: canaries

- name: List every stage group under firmware-stages
  iotops.aws.iot_thing_group_info:
    parent: firmware-stages
    recursive: true
  register: stages
"""

RETURN = r"""
thing_groups:
  description:
    - The groups. A described group has the keys of M(iotops.aws.iot_thing_group)'s
      RV(iotops.aws.iot_thing_group#module:thing_group), without its tags and members; a listed one only
      RV(thing_groups[].group_name) and RV(thing_groups[].group_arn).
  returned: always
  type: list
  elements: dict
  contains:
    group_name:
      description: A listed group's name.
      type: str
      returned: when listed
      sample: canaries
    group_arn:
      description: A listed group's ARN.
      type: str
      returned: when listed
      sample: arn:aws:iot:eu-west-1:123456789012:thinggroup/canaries
    thing_group_name:
      description: A described group's name.
      type: str
      returned: when described
    thing_group_arn:
      description: A described group's ARN.
      type: str
      returned: when described
"""

from ansible_collections.iotops.aws.plugins.module_utils import groups_read
from ansible_collections.iotops.aws.plugins.module_utils.errors import aws_errors
from ansible_collections.iotops.aws.plugins.module_utils.modules import IotJobsModule
from ansible_collections.iotops.aws.plugins.module_utils.thing_group_options import check_group_name
from ansible_collections.iotops.aws.plugins.module_utils.validation import InvalidOption


def main():
    module = IotJobsModule(
        argument_spec=dict(name=dict(type="str"), parent=dict(type="str"), name_prefix=dict(type="str"),
                           recursive=dict(type="bool")),
        mutually_exclusive=[["name", "parent"], ["name", "name_prefix"], ["name", "recursive"]],
        supports_check_mode=True,
    )
    params = module.params
    try:
        for option in ("name", "parent"):
            if params[option] is not None:
                check_group_name(params[option], option)
    except InvalidOption as exc:
        module.fail_json(msg=str(exc))
    client = module.client()
    try:
        if params["name"] is not None:
            found = [groups_read.describe_thing_group(client, params["name"])]
        else:
            found = list(groups_read.thing_groups(client, params["parent"], params["name_prefix"], params["recursive"]))
    except aws_errors() as exc:
        module.fail_json_aws(exc, msg="Failed to read thing groups")
    module.exit_json(changed=False, thing_groups=[group for group in found if group is not None])


if __name__ == "__main__":
    main()
