"""AWS IoT's thing groups, where moto 5.2 leaves parts out.

moto creates, describes, updates, lists and deletes static thing groups
and their members as AWS does, but keeps a group's tags apart from the
TagResource, UntagResource and ListTagsForResource that writes.py serves.
These patches (installed by writes.install) file CreateThingGroup's tags
there and drop them with the group.
"""

from __future__ import annotations

from moto.iot.exceptions import ResourceNotFoundException
from moto.iot.responses import IoTResponse

from local_endpoint.patching import install_patches

_ORIGINAL: dict = {}


def group_exists(backend, arn: str) -> bool:
    return any(group.arn == arn for group in backend.thing_groups.values())


def require_group(backend, arn: str) -> None:
    if ":thinggroup/" in arn and not group_exists(backend, arn):
        raise ResourceNotFoundException("Resource {0} does not exist.".format(arn))


def create_thing_group(self: IoTResponse):
    from local_endpoint.writes import tags_of

    answer = _ORIGINAL["create_thing_group"](self)
    arn = next(group.arn for group in self.iot_backend.thing_groups.values()
               if group.thing_group_name == self._get_param("thingGroupName"))
    tags = self._get_param("tags") or []
    group_tags = tags_of(self.iot_backend).setdefault(arn, {})
    group_tags.update({tag["Key"]: tag.get("Value", "") for tag in tags})
    return answer


def delete_thing_group(self: IoTResponse):
    from local_endpoint.writes import tags_of

    arns = [group.arn for group in self.iot_backend.thing_groups.values()
            if group.thing_group_name == self._get_param("thingGroupName")]
    answer = _ORIGINAL["delete_thing_group"](self)
    for arn in arns:
        if not group_exists(self.iot_backend, arn):
            tags_of(self.iot_backend).pop(arn, None)
    return answer


PATCHES = (create_thing_group, delete_thing_group)


def install() -> None:
    install_patches(PATCHES, _ORIGINAL)
