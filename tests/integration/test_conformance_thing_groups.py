"""iot_thing_group and iot_thing_group_info against what AWS IoT does with
static thing groups, on both emulators (see test_conformance.py)."""

from __future__ import annotations

import pytest

from endpoints import xfail_on_ministack
from helpers import module_task

pytestmark = pytest.mark.conformance

PARENT = "stages"
GROUP = "canaries"
THINGS = ["dev-1", "dev-2", "dev-3"]


def test_iot_thing_group_creates_updates_fills_and_deletes_a_group(target, target_playbook):
    target.devices.register(THINGS)
    group = dict(name=GROUP, parent=PARENT, description="Canaries", attributes={"stage": "1"},
                 tags={"team": "firmware"}, things=THINGS[:2])
    update = {**group, "description": "Canary devices", "attributes": {"stage": "2"}, "things": THINGS[1:],
              "purge_things": True}
    run = target_playbook([
        module_task("iot_thing_group", "parent", name=PARENT),
        module_task("iot_thing_group", "create", **group),
        module_task("iot_thing_group", "again", **group),
        module_task("iot_thing_group", "update", list_things=True, **update),
        module_task("iot_thing_group", "moved", ignore_errors=True, name=GROUP, parent="elsewhere"),
        module_task("iot_thing_group_info", "one", name=GROUP),
        module_task("iot_thing_group", "delete", name=GROUP, state="absent"),
        module_task("iot_thing_group", "delete again", name=GROUP, state="absent"),
    ])
    assert [run.result(name)["changed"] for name in ("create", "again", "update", "delete", "delete again")] == [
        True, False, True, True, False]
    updated = run.result("update")["thing_group"]
    assert updated["description"] == "Canary devices" and updated["attributes"] == {"stage": "2"}
    assert updated["parent_group_name"] == PARENT and updated["tags"] == {"team": "firmware"}
    assert sorted(updated["things"]) == THINGS[1:]
    assert run.status("moved") == "failed"
    assert run.result("moved")["msg"].startswith("parent: thing group 'canaries' has parent 'stages'")
    assert run.result("one")["thing_groups"][0]["thing_group_name"] == GROUP
    # The group's things stay.
    names = [thing["thingName"] for thing in target.client().list_things()["things"]]
    assert set(THINGS) <= set(names)


@xfail_on_ministack("ListThingGroups with parentGroup lists the parent too; AWS's API reference: only the groups "
                    "with that parent")
def test_iot_thing_group_info_lists_the_children_of_a_parent(target, target_playbook):
    run = target_playbook([
        module_task("iot_thing_group", "parent", name=PARENT),
        module_task("iot_thing_group", "child", name=GROUP, parent=PARENT),
        module_task("iot_thing_group_info", "children", parent=PARENT),
    ])
    assert run.rc == 0, run.output
    assert [item["group_name"] for item in run.result("children")["thing_groups"]] == [GROUP]
