# -*- coding: utf-8 -*-
# Copyright: iotops.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""Reads of thing groups and their members, shaped for plugin results.
As in jobs_read, "not found" is None (or no items)."""

from __future__ import annotations

from ansible_collections.iotops.aws.plugins.module_utils.errors import call_api
from ansible_collections.iotops.aws.plugins.module_utils.jobs_read import PAGE_SIZE, _paged, when_missing
from ansible_collections.iotops.aws.plugins.module_utils.shaping import snake_case

# Keys every described group has, whether or not AWS returned them.
GROUP_KEYS = ("thing_group_name", "thing_group_arn", "thing_group_id", "version", "description", "attributes",
              "parent_group_name", "root_to_parent_thing_groups", "creation_date")


def shape_group(answer):
    """DescribeThingGroup's answer as a result item; attribute names are the user's own, kept."""
    properties = answer.get("thingGroupProperties") or {}
    metadata = snake_case(answer.get("thingGroupMetadata") or {})
    item = dict.fromkeys(GROUP_KEYS)
    item.update(snake_case(dict((key, answer.get(key)) for key in ("thingGroupName", "thingGroupArn", "thingGroupId", "version"))))
    item.update(description=properties.get("thingGroupDescription"),
                attributes=dict((properties.get("attributePayload") or {}).get("attributes") or {}),
                parent_group_name=metadata.get("parent_group_name"),
                root_to_parent_thing_groups=metadata.get("root_to_parent_thing_groups") or [],
                creation_date=metadata.get("creation_date"))
    return item


@when_missing()
def describe_thing_group(client, name):
    """The group shaped, or None when it does not exist."""
    return shape_group(call_api(client.describe_thing_group, "DescribeThingGroup", thingGroupName=name))


def things_in_group(client, name):
    """The names of the group's own members, all pages."""
    return _paged(client, "list_things_in_thing_group", "things", thingGroupName=name,
                  PaginationConfig={"PageSize": PAGE_SIZE})


def thing_names(client):
    """The names of every thing in the account, all pages."""
    for thing in _paged(client, "list_things", "things", PaginationConfig={"PageSize": PAGE_SIZE}):
        yield thing.get("thingName")


def thing_groups(client, parent=None, name_prefix=None, recursive=None):
    """Summaries ({group_name, group_arn}) of the groups ListThingGroups finds, all pages."""
    kwargs = dict(parentGroup=parent, namePrefixFilter=name_prefix, recursive=recursive)
    kwargs = dict((key, value) for key, value in kwargs.items() if value is not None)
    for group in _paged(client, "list_thing_groups", "thingGroups", PaginationConfig={"PageSize": PAGE_SIZE}, **kwargs):
        yield snake_case(group)
