#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: iotops.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: iot_thing_group
short_description: Create, update or delete an AWS IoT static thing group and its members
version_added: 0.2.0
description:
  - Manages one static AWS IoT thing group, idempotently. Run it again with the same options and it changes nothing.
  - With O(state=present), creates the group (C(CreateThingGroup)) when it does not exist. When it exists, changes its
    O(description) and O(attributes) with C(UpdateThingGroup), and its O(tags) with C(TagResource) and
    C(UntagResource).
  - O(things) makes sure those things are members (C(AddThingToThingGroup), one thing a call, as AWS has no batch
    form); with O(purge_things=true), the group's other members are removed (C(RemoveThingFromThingGroup)).
  - With O(state=absent), deletes the group (C(DeleteThingGroup)). Its things stay; only their membership goes.
  - Every option is checked before the first request, and every thing to add is checked to exist before the first
    write. A bad value fails with one line that names the option, and nothing is sent.
author:
  - iotops.aws maintainers (@iotops)
options:
  name:
    description:
      - The group, 1 to 128 characters of V(a-z), V(A-Z), V(0-9), V(:), V(_) and V(-).
    type: str
    required: true
  state:
    description:
      - V(present) creates the group, or brings an existing group to the options given. Options left unset are left
        as the group has them.
      - V(absent) deletes the group, never its things. A group that does not exist gives RV(ignore:changed=false).
        AWS refuses to delete a group that has child groups.
    type: str
    choices: [present, absent]
    default: present
  parent:
    description:
      - The parent group, set when the group is created. AWS cannot move a group, so a group that exists with another
        parent, or none, fails the task in one line.
    type: str
  description:
    description:
      - The group's description (C(thingGroupDescription)), at most 2,028 characters.
    type: str
  attributes:
    description:
      - The group's attributes, names and values of up to 128 and 800 characters of V(a-z), V(A-Z), V(0-9) and
        V(_.,@/:#-) (values may also hold V(=[])). Values are strings; quote numbers.
    type: dict
  purge_attributes:
    description:
      - With O(attributes) set, remove the group's attributes that O(attributes) does not name. With V(false), only
        add and change.
    type: bool
    default: true
  things:
    description:
      - Things that must be members of the group, as names or thing ARNs.
      - A thing that does not exist fails the task in one line before any write. The things to add are checked with
        C(DescribeThing) each when there are few, else with one C(ListThings) of the account.
      - Members are added one thing a request, paced by botocore's V(adaptive) retry mode (unless O(aws_config)
        sets another), so that AWS's rate limit slows the task down instead of failing it.
    type: list
    elements: str
  purge_things:
    description:
      - With O(things) set, remove the group's members that O(things) does not name. The things themselves stay.
    type: bool
    default: false
  list_things:
    description:
      - Return the group's members in RV(thing_group.things), all pages of C(ListThingsInThingGroup).
    type: bool
    default: false
attributes:
  check_mode:
    support: full
    description:
      - Sends no write request at all; reads the group, its tags and members and the things to add, and predicts
        RV(ignore:changed).
  diff_mode:
    support: full
    description:
      - Shows the group's description, attributes, tags and members before and after, limited to what changes.
notes:
  - "Needs the IAM actions C(iot:DescribeThingGroup), C(iot:ListTagsForResource) and C(iot:ListThingsInThingGroup)
    to read the group, C(iot:DescribeThing) or C(iot:ListThings) to check the things to add; and, for the changes
    they make, C(iot:CreateThingGroup), C(iot:UpdateThingGroup), C(iot:DeleteThingGroup), C(iot:TagResource),
    C(iot:UntagResource), C(iot:AddThingToThingGroup) and C(iot:RemoveThingFromThingGroup)."
  - Dynamic thing groups (fleet indexing queries) are not managed by this module.
seealso:
  - module: iotops.aws.iot_thing_group_info
  - module: iotops.aws.iot_job
extends_documentation_fragment:
  - iotops.aws.connection
  - iotops.aws.tags
"""

EXAMPLES = r"""
- name: Keep the canary stage's devices in their group
  iotops.aws.iot_thing_group:
    name: canaries
    parent: firmware-stages
    description: First devices to get a build
    attributes:
      stage: "1"
    things: "{{ groups['canary_devices'] }}"
    purge_things: true
    tags:
      team: firmware

- name: Read the group and its members
  iotops.aws.iot_thing_group:
    name: canaries
    list_things: true
  register: canaries

- name: Delete the group, leaving its things
  iotops.aws.iot_thing_group:
    name: canaries
    state: absent
"""

RETURN = r"""
thing_group:
  description:
    - The group after the task, with its tags; V(null) when there is no group. In check mode, the group as it is.
  returned: success
  type: dict
  contains:
    thing_group_name:
      description: The group.
      type: str
      returned: always
      sample: canaries
    thing_group_arn:
      description: The group's ARN, a target for M(iotops.aws.iot_job).
      type: str
      returned: always
      sample: arn:aws:iot:eu-west-1:123456789012:thinggroup/canaries
    thing_group_id:
      description: The group's ID.
      type: str
      returned: always
    version:
      description: The group's version, which each update increments.
      type: int
      returned: always
      sample: 2
    description:
      description: The group's description, or V(null).
      type: str
      returned: always
    attributes:
      description: The group's attributes; names are the group's own.
      type: dict
      returned: always
      sample: {stage: "1"}
    parent_group_name:
      description: The parent group, or V(null).
      type: str
      returned: always
      sample: firmware-stages
    root_to_parent_thing_groups:
      description: The groups from the root down to the parent, each with C(group_name) and C(group_arn).
      type: list
      elements: dict
      returned: always
    creation_date:
      description: When the group was created, ISO 8601 in UTC.
      type: str
      returned: always
    tags:
      description: The group's tags.
      type: dict
      returned: always
      sample: {team: firmware}
    things:
      description: The names of the group's members.
      type: list
      elements: str
      returned: with O(list_things=true)
      sample: [sensor-1, sensor-2]
"""

from ansible_collections.iotops.aws.plugins.module_utils import groups_read, jobs_read, jobs_write
from ansible_collections.iotops.aws.plugins.module_utils.connection import iot_client
from ansible_collections.iotops.aws.plugins.module_utils.errors import ConnectionSettingsError, aws_errors
from ansible_collections.iotops.aws.plugins.module_utils.modules import IotJobsModule
from ansible_collections.iotops.aws.plugins.module_utils.thing_group_options import GROUP_ARGUMENT_SPEC, check_group_options
from ansible_collections.iotops.aws.plugins.module_utils.thing_group_plan import plan_absent, plan_present
from ansible_collections.iotops.aws.plugins.module_utils.validation import InvalidOption

# Up to this many things to add are checked with DescribeThing each; more with one ListThings.
MAX_DESCRIBED_THINGS = 20


def _paced(params):
    """The connection options with botocore's adaptive retry mode, unless the
    task chose a mode: its client-side rate limiter settles at AWS's rate
    after the first throttle, for the one-thing-a-call membership writes."""
    aws_config = dict(params.get("aws_config") or {})
    aws_config["retries"] = dict(dict(mode="adaptive"), **(aws_config.get("retries") or {}))
    return dict(params, aws_config=aws_config)


def _existing(client, names):
    """Those of ``names`` that are things AWS has."""
    if len(names) <= MAX_DESCRIBED_THINGS:
        return [name for name in names if jobs_read.thing_arn(client, name) is not None]
    wanted = set(names)
    return [name for name in groups_read.thing_names(client) if name in wanted]


def _read(client, name, members_needed):
    group = groups_read.describe_thing_group(client, name)
    if group is None:
        return None, None, []
    tags = jobs_read.list_tags_for_resource(client, group["thing_group_arn"]) or {}
    members = list(groups_read.things_in_group(client, name)) if members_needed else []
    return group, tags, members


def _result_item(group, tags, members, list_things):
    if group is None:
        return None
    shown = dict(group, tags=tags or {})
    if list_things:
        shown["things"] = members
    return shown


def main():
    module = IotJobsModule(argument_spec=GROUP_ARGUMENT_SPEC, supports_check_mode=True)
    params, name = module.params, module.params["name"]
    try:
        things = check_group_options(params)
    except InvalidOption as exc:
        module.fail_json(msg=str(exc))
    list_things = params["list_things"]
    try:
        client = iot_client(_paced(params))
    except ConnectionSettingsError as exc:
        module.fail_json(msg=str(exc))
    done = []
    try:
        group, tags, members = _read(client, name, things is not None or list_things)
        if params["state"] == "absent":
            plan = plan_absent(name, group)
        else:
            missing = [thing for thing in things or [] if thing not in members]
            plan = plan_present(params, things, group, tags, members, _existing(client, missing) if missing else ())
        if plan.error:
            module.fail_json(msg=plan.error, thing_group=_result_item(group, tags, members, list_things))
        if plan.changed and not module.check_mode:
            jobs_write.send_all(client, plan.writes(), done)
            group, tags, members = _read(client, name, list_things)
    except aws_errors() as exc:
        module.fail_json_aws(exc, msg="{0} failed for thing group {1!r}".format(getattr(exc, "operation_name", "A request"), name),
                             changed=bool(done))
    module.exit_planned(plan, changed=plan.changed, thing_group=_result_item(group, tags, members, list_things))


if __name__ == "__main__":
    main()
