# -*- coding: utf-8 -*-
# Copyright: iotops.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""What iot_thing_group must do to reach the state asked of it: a pure
function of the options and of what AWS said about the group, its tags,
its members and the things that exist.

A group's parent is set when it is created and cannot change.  Its
description and attributes change with UpdateThingGroup, its tags with
TagResource and UntagResource, and its members one thing a call.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import List, Mapping, Optional

from ansible_collections.iotops.aws.plugins.module_utils.job_options import tag_changes, tag_list, tag_requests
from ansible_collections.iotops.aws.plugins.module_utils.shaping import before_after
from ansible_collections.iotops.aws.plugins.module_utils.thing_group_options import group_properties


@dataclass
class GroupPlan:
    """What to tell and the requests to send, in the order of ``writes()``;
    no request when ``error`` is set."""

    name: str
    arn: Optional[str] = None
    error: Optional[str] = None
    message: Optional[str] = None
    diff: dict = field(default_factory=lambda: dict(before={}, after={}))
    create: Optional[dict] = None
    update: Optional[dict] = None
    delete: Optional[dict] = None
    tag: Mapping[str, str] = field(default_factory=dict)
    untag: List[str] = field(default_factory=list)
    add: List[str] = field(default_factory=list)
    remove: List[str] = field(default_factory=list)

    @property
    def changed(self):
        return not self.error and bool(self.create or self.update or self.delete or self.tag or self.untag
                                       or self.add or self.remove)

    def writes(self):
        """(operation, its own arguments), in order.  A new group gets its
        tags with CreateThingGroup, so only an existing one is tagged."""
        if self.error:
            return []
        requests = [("CreateThingGroup", self.create), ("UpdateThingGroup", self.update)]
        requests += tag_requests(self.arn, self.tag, self.untag)
        requests += [("AddThingToThingGroup", dict(thingGroupName=self.name, thingName=thing)) for thing in self.add]
        requests += [("RemoveThingFromThingGroup", dict(thingGroupName=self.name, thingName=thing)) for thing in self.remove]
        requests.append(("DeleteThingGroup", self.delete))
        return [(operation, request) for operation, request in requests if request]


def _attributes_differ(current, wanted, purge):
    if purge:
        return current != wanted
    return any(current.get(key) != value for key, value in wanted.items())


def _unknown_things(missing, existing):
    unknown = [thing for thing in missing if thing not in existing]
    if unknown:
        return "things: {0} {1} not exist: register {2} first".format(
            ", ".join(repr(thing) for thing in unknown), "does" if len(unknown) == 1 else "do",
            "it" if len(unknown) == 1 else "them")
    return None


def plan_present(params, things=None, group=None, tags=None, members=None, existing=()):
    """The plan for state=present.

    ``things`` are O(things) as names (None when not given); ``group`` is
    DescribeThingGroup's answer shaped (None: no group), ``tags`` its tags,
    ``members`` its things' names; ``existing`` holds the names, among
    those to add, of the things AWS has.
    """
    name = params["name"]
    members = list(members or [])
    add = [thing for thing in things or [] if thing not in members]
    error = _unknown_things(add, set(existing))
    if group is None:
        if error:
            return GroupPlan(name, error=error)
        create = dict(thingGroupName=name)
        if params.get("parent") is not None:
            create["parentGroupName"] = params["parent"]
        properties = group_properties(dict(params, purge_attributes=True))
        if properties:
            create["thingGroupProperties"] = properties
        if params.get("tags"):
            create["tags"] = tag_list(params["tags"])
        after = dict((option, params[option]) for option in ("parent", "description", "attributes", "tags")
                     if params.get(option) is not None)
        if things is not None:
            after["things"] = sorted(things)
        return GroupPlan(name, create=create, add=add, diff=before_after({}, after))

    plan = GroupPlan(name, arn=group.get("thing_group_arn"))
    parent = group.get("parent_group_name")
    if params.get("parent") is not None and params["parent"] != parent:
        error = "; ".join(filter(None, ["parent: thing group {0!r} has {1}, and AWS cannot move a group to another parent: "
                                        "delete it first or use another name".format(
                                            name, "parent {0!r}".format(parent) if parent else "no parent"), error]))
    if error:
        plan.error = error
        return plan
    before, after = {}, {}
    changes = {}
    if params.get("description") is not None and params["description"] != (group.get("description") or ""):
        changes["description"] = params["description"]
        before["description"], after["description"] = group.get("description"), params["description"]
    attributes = params.get("attributes")
    purge_attributes = params.get("purge_attributes", True)
    current_attributes = group.get("attributes") or {}
    if attributes is not None and _attributes_differ(current_attributes, attributes, purge_attributes):
        changes["attributes"] = attributes
        before["attributes"] = dict(current_attributes)
        after["attributes"] = dict(attributes) if purge_attributes else dict(current_attributes, **attributes)
    if changes:
        properties = group_properties(dict(changes, purge_attributes=purge_attributes))
        plan.update = dict(thingGroupName=name, thingGroupProperties=properties, expectedVersion=group.get("version"))
    if params.get("tags") is not None:
        wanted = dict(params["tags"]) if params.get("purge_tags", True) else dict(tags or {}, **params["tags"])
        plan.tag, plan.untag = tag_changes(tags, wanted)
        if plan.tag or plan.untag:
            before["tags"], after["tags"] = dict(tags or {}), wanted
    if things is not None:
        plan.add = add
        if params.get("purge_things"):
            plan.remove = [thing for thing in members if thing not in things]
        if plan.add or plan.remove:
            before["things"] = sorted(members)
            after["things"] = sorted(set(members) - set(plan.remove) | set(plan.add))
    plan.diff = dict(before=before, after=after)
    return plan


def plan_absent(name, group=None):
    """The plan for state=absent: delete the group, never its things."""
    if group is None:
        return GroupPlan(name)
    before = dict((key, group.get(key)) for key in ("description", "attributes", "parent_group_name") if group.get(key))
    return GroupPlan(name, arn=group.get("thing_group_arn"), delete=dict(thingGroupName=name),
                     diff=dict(before=before, after={}))
