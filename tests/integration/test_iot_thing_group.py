"""iot_thing_group and iot_thing_group_info in real ansible-playbook runs
against the local endpoint: create, rerun, check mode, diff, each update,
parent drift, absent, bad input, a lost CreateThingGroup answer, and 1,000
things joining a group under AWS's rate limit.
"""

from __future__ import annotations

import pytest

from helpers import SECRET_KEY, one_line, writes

GROUP = "canaries"
PARENT = "firmware-stages"
SENSORS = ["sensor-1", "sensor-2", "sensor-3"]


def group_task(task_name, ignore_errors=False, **options):
    task = {"name": task_name, "iotops.aws.iot_thing_group": dict(dict(name=GROUP), **options)}
    if ignore_errors:
        task["ignore_errors"] = True
    return task


def info_task(task_name, **options):
    return {"name": task_name, "iotops.aws.iot_thing_group_info": options}


@pytest.fixture(autouse=True)
def fleet(iot):
    """Things and a parent group made in the simulator, with no request logged."""
    iot.fleet.ensure_things(SENSORS)
    iot.fleet.ensure_group(PARENT, [])


def existing_group(iot, name=GROUP, members=(), **fields):
    client = iot.client()
    client.create_thing_group(thingGroupName=name, **fields)
    for thing in members:
        client.add_thing_to_thing_group(thingGroupName=name, thingName=thing)


FULL = dict(parent=PARENT, description="First devices to get a build", attributes={"stage": "1"},
            tags={"team": "firmware"}, things=["sensor-1", "arn:aws:iot:us-east-1:123456789012:thing/sensor-2"])


@pytest.mark.smoke
def test_create_then_rerun_reports_unchanged_with_diff_and_no_secret(iot, playbook):
    run = playbook([group_task("create", **FULL), group_task("again", list_things=True, **FULL),
                    info_task("one", name=GROUP), info_task("children", parent=PARENT)], args=("--diff",))
    assert run.rc == 0, run.output
    created, again = run.result("create"), run.result("again")
    assert created["changed"] is True and again["changed"] is False
    group = again["thing_group"]
    assert group["thing_group_name"] == GROUP and group["parent_group_name"] == PARENT
    assert group["description"] == "First devices to get a build" and group["attributes"] == {"stage": "1"}
    assert group["tags"] == {"team": "firmware"} and sorted(group["things"]) == ["sensor-1", "sensor-2"]
    assert "things" not in created["thing_group"]
    assert created["diff"] == {"before": {}, "after": {
        "parent": PARENT, "description": "First devices to get a build", "attributes": {"stage": "1"},
        "tags": {"team": "firmware"}, "things": ["sensor-1", "sensor-2"]}}
    assert again["diff"] == {"before": {}, "after": {}}
    assert writes(iot) == ["CreateThingGroup", "AddThingToThingGroup", "AddThingToThingGroup"]
    assert run.result("one")["thing_groups"][0]["thing_group_arn"] == iot.fleet.group_arn(GROUP)
    assert run.result("children")["thing_groups"] == [{"group_name": GROUP, "group_arn": iot.fleet.group_arn(GROUP)}]
    assert SECRET_KEY not in run.output


def test_check_mode_predicts_every_change_and_sends_no_write(iot, playbook):
    existing_group(iot, members=["sensor-1"], thingGroupProperties={"thingGroupDescription": "old"})
    existing_group(iot, "to-delete")
    before = len(iot.calls())
    run = playbook([
        group_task("create", name="new-group", things=["sensor-1"]),
        group_task("update", description="new", attributes={"stage": "2"}, tags={"a": "b"}, things=["sensor-2"],
                   purge_things=True),
        group_task("delete", name="to-delete", state="absent"),
        group_task("unchanged", description="old"),
    ], check=True, args=("--diff",))
    assert run.rc == 0, run.output
    assert writes(iot, before) == []
    assert [run.result(task)["changed"] for task in ("create", "update", "delete", "unchanged")] == [True, True, True, False]
    assert run.result("update")["diff"] == {
        "before": {"description": "old", "attributes": {}, "tags": {}, "things": ["sensor-1"]},
        "after": {"description": "new", "attributes": {"stage": "2"}, "tags": {"a": "b"}, "things": ["sensor-2"]}}
    assert run.result("create")["thing_group"] is None


def test_each_update_path_changes_only_what_differs(iot, playbook):
    existing_group(iot, members=["sensor-1", "sensor-2"], tags=[{"Key": "team", "Value": "firmware"}],
                   thingGroupProperties={"thingGroupDescription": "old",
                                         "attributePayload": {"attributes": {"stage": "1", "region": "eu"}}})
    before = len(iot.calls())
    run = playbook([
        group_task("description", description="new"),
        group_task("merge attributes", attributes={"wave": "a"}, purge_attributes=False),
        group_task("purge attributes", attributes={"stage": "2"}),
        group_task("tags", tags={"owner": "ops"}, purge_tags=False),
        group_task("add things", things=["sensor-3"]),
        group_task("purge things", things=["sensor-3"], purge_things=True, list_things=True),
        group_task("again", description="new", attributes={"stage": "2"}, tags={"owner": "ops", "team": "firmware"},
                   things=["sensor-3"], purge_things=True),
    ])
    assert run.rc == 0, run.output
    assert [run.result(task)["changed"] for task in ("description", "merge attributes", "purge attributes", "tags",
                                                     "add things", "purge things", "again")] == [True] * 6 + [False]
    assert run.result("merge attributes")["thing_group"]["attributes"] == {"stage": "1", "region": "eu", "wave": "a"}
    assert run.result("purge attributes")["thing_group"]["attributes"] == {"stage": "2"}
    assert run.result("tags")["thing_group"]["tags"] == {"team": "firmware", "owner": "ops"}
    assert run.result("purge things")["thing_group"]["things"] == ["sensor-3"]
    assert writes(iot, before) == ["UpdateThingGroup"] * 3 + ["TagResource", "AddThingToThingGroup"] + [
        "RemoveThingFromThingGroup"] * 2
    assert len(iot.client().list_things()["things"]) == 3  # removed from the group, not deleted


def test_a_different_parent_fails_in_one_line_without_a_write(iot, playbook):
    existing_group(iot, parentGroupName=PARENT)
    existing_group(iot, "orphan")
    before = len(iot.calls())
    run = playbook([group_task("moved", parent="other"),
                    group_task("adopted", name="orphan", parent=PARENT, ignore_errors=True)], ignore_errors=True)
    assert one_line(run, "moved") == ("parent: thing group 'canaries' has parent 'firmware-stages', and AWS cannot move a "
                                      "group to another parent: delete it first or use another name")
    assert one_line(run, "adopted").startswith("parent: thing group 'orphan' has no parent")
    assert writes(iot, before) == []


def test_absent_deletes_the_group_not_its_things_then_reports_unchanged(iot, playbook):
    existing_group(iot, members=SENSORS, tags=[{"Key": "team", "Value": "firmware"}])
    before = len(iot.calls())
    run = playbook([group_task("delete", state="absent"), group_task("again", state="absent")], args=("--diff",))
    assert run.rc == 0, run.output
    assert run.result("delete")["changed"] is True and run.result("again")["changed"] is False
    assert run.result("delete")["thing_group"] is None
    assert writes(iot, before) == ["DeleteThingGroup"]
    assert len(iot.client().list_things()["things"]) == 3
    assert iot.client().list_thing_groups(namePrefixFilter=GROUP)["thingGroups"] == []


def test_a_thing_that_does_not_exist_fails_before_any_write(iot, playbook):
    run = playbook([group_task("unknown", things=["sensor-1", "ghost-1", "ghost-2"], ignore_errors=True),
                    group_task("many unknown", things=SENSORS + ["ghost-{0}".format(i) for i in range(30)])],
                   ignore_errors=True)
    assert one_line(run, "unknown") == "things: 'ghost-1', 'ghost-2' do not exist: register them first"
    assert one_line(run, "many unknown").startswith("things: 'ghost-0', 'ghost-1'")
    assert writes(iot) == []
    assert len(iot.calls("DescribeThing")) == 3 and len(iot.calls("ListThings")) == 1


BAD_INPUT = [
    (dict(name="canaries group"), "name: 'canaries group' is not a thing group name"),
    (dict(parent="a/b"), "parent: 'a/b' is not a thing group name"),
    (dict(attributes={"stage": 1}), "attributes.stage: must be a string"),
    (dict(attributes={"bad name": "x"}), "attributes: name 'bad name' must be"),
    (dict(things=["sensor 1"]), "things: 'sensor 1' is not a thing name or thing ARN"),
    (dict(things=["sensor-1", "arn:aws:iot:us-east-1:123456789012:thing/sensor-1"]), "things: names sensor-1 more than once"),
    (dict(tags={"aws:x": "y"}), "tags: key 'aws:x'"),
    (dict(description="x" * 2029), "description: must be 1 to 2028 characters"),
]


def test_bad_input_fails_in_one_line_naming_the_option_and_sends_nothing(iot, playbook):
    run = playbook([group_task("bad {0}".format(index), ignore_errors=True, **options)
                    for index, (options, expected) in enumerate(BAD_INPUT)]
                   + [info_task("bad info", name="a b")], ignore_errors=True)
    for index, (options, message) in enumerate(BAD_INPUT):
        found = one_line(run, "bad {0}".format(index))
        assert found.startswith(message), (options, found)
    assert one_line(run, "bad info").startswith("name: 'a b' is not a thing group name")
    assert iot.calls() == []


def test_a_create_whose_answer_was_lost_is_accepted(iot, playbook):
    iot.set_faults(lose_answer_once=["CreateThingGroup"])
    run = playbook([group_task("create", **FULL)])
    assert run.rc == 0, run.output
    assert run.result("create")["changed"] is True
    assert run.result("create")["thing_group"]["tags"] == {"team": "firmware"}
    creates = iot.calls("CreateThingGroup")
    # AWS answers a second CreateThingGroup with the same properties as the first.
    assert [(c.attempt, c.fault, c.status) for c in creates] == [(1, "lose_answer", None), (2, None, 200)]


def test_a_thousand_things_join_a_group_within_the_rate_limit_in_one_task(iot, playbook):
    things = ["device-{0:04d}".format(index) for index in range(1000)]
    iot.fleet.ensure_things(things)
    iot.set_faults(rate_limit_tps=10)
    run = playbook([group_task("join", things=things)], timeout=400)
    assert run.rc == 0, run.output
    assert run.result("join")["changed"] is True
    members = [thing for page in iot.client().get_paginator("list_things_in_thing_group").paginate(thingGroupName=GROUP)
               for thing in page["things"]]
    assert sorted(members) == things
    adds = iot.calls("AddThingToThingGroup")
    assert len([call for call in adds if call.status == 200]) == 1000
    # The limit was reached, and the task rode it out: each throttled call was sent again.
    throttled = [call for call in adds if call.fault == "throttle"]
    assert throttled and len(adds) == 1000 + len(throttled)
