"""iot_thing_group's options and plans."""

from __future__ import annotations

import pytest
from ansible.module_utils.common.arg_spec import ArgumentSpecValidator

from ansible_collections.iotops.aws.plugins.module_utils.thing_group_options import GROUP_ARGUMENT_SPEC, check_group_options
from ansible_collections.iotops.aws.plugins.module_utils.thing_group_plan import plan_absent, plan_present
from ansible_collections.iotops.aws.plugins.module_utils.validation import InvalidOption

ARN = "arn:aws:iot:us-east-1:123456789012:thinggroup/canaries"
VALIDATOR = ArgumentSpecValidator(GROUP_ARGUMENT_SPEC)
GROUP = dict(thing_group_name="canaries", thing_group_arn=ARN, version=3, description="old",
             attributes={"stage": "1"}, parent_group_name="stages")


def params(**given):
    result = VALIDATOR.validate(dict(dict(name="canaries"), **given))
    assert not result.error_messages, result.error_messages
    found = result.validated_parameters
    return found, check_group_options(found)


def plan(group=None, current_tags=None, members=(), existing=(), **given):
    """The plan against GROUP unless another ``group`` is given."""
    options, things = params(**given)
    return plan_present(options, things, group or GROUP, current_tags or {}, list(members), existing)


def test_a_new_group_is_created_with_its_properties_tags_and_members():
    options, things = params(parent="stages", description="d", attributes={"a": "1"}, tags={"t": "v"},
                             things=["s1", "arn:aws:iot:us-east-1:123456789012:thing/s2"])
    found = plan_present(options, things, None, None, [], ["s1", "s2"])
    assert found.writes() == [
        ("CreateThingGroup", {"thingGroupName": "canaries", "parentGroupName": "stages",
                              "thingGroupProperties": {"thingGroupDescription": "d",
                                                       "attributePayload": {"attributes": {"a": "1"}, "merge": False}},
                              "tags": [{"Key": "t", "Value": "v"}]}),
        ("AddThingToThingGroup", {"thingGroupName": "canaries", "thingName": "s1"}),
        ("AddThingToThingGroup", {"thingGroupName": "canaries", "thingName": "s2"}),
    ]


def test_the_group_as_it_is_changes_nothing():
    found = plan(description="old", attributes={"stage": "1"}, parent="stages", things=["s1"], members=["s1", "s2"])
    assert not found.changed and found.diff == {"before": {}, "after": {}}


def test_description_and_attributes_change_with_one_update_at_the_groups_version():
    found = plan(description="new", attributes={"wave": "a"}, purge_attributes=False)
    assert found.writes() == [("UpdateThingGroup", {
        "thingGroupName": "canaries", "expectedVersion": 3,
        "thingGroupProperties": {"thingGroupDescription": "new", "attributePayload": {"attributes": {"wave": "a"}, "merge": True}}})]
    assert found.diff["after"]["attributes"] == {"stage": "1", "wave": "a"}


def test_attributes_already_there_are_not_sent_again_unless_others_are_purged():
    assert not plan(attributes={}, purge_attributes=False).changed
    purged = plan(attributes={})
    assert purged.update["thingGroupProperties"]["attributePayload"] == {"attributes": {}, "merge": False}


def test_members_are_added_and_purged_only_when_asked():
    kept = plan(things=["s3"], members=["s1"], existing=["s3"])
    assert kept.add == ["s3"] and kept.remove == []
    purged = plan(things=["s3"], members=["s1", "s3"], purge_things=True)
    assert purged.writes() == [("RemoveThingFromThingGroup", {"thingGroupName": "canaries", "thingName": "s1"})]
    assert purged.diff == {"before": {"things": ["s1", "s3"]}, "after": {"things": ["s3"]}}


def test_a_thing_that_does_not_exist_is_an_error_and_nothing_is_sent():
    found = plan(things=["s1", "ghost"], existing=["s1"])
    assert found.error == "things: 'ghost' does not exist: register it first" and found.writes() == []
    assert plan_present(params(things=["ghost"])[0], ["ghost"], None).error.startswith("things: 'ghost'")


def test_the_parent_cannot_change():
    assert plan(parent="other").error.startswith("parent: thing group 'canaries' has parent 'stages', and AWS cannot move")
    orphan = dict(GROUP, parent_group_name=None)
    assert plan(orphan, parent="stages").error.startswith("parent: thing group 'canaries' has no parent")
    assert not plan(parent=None).changed


def test_tags_change_in_place():
    found = plan(current_tags={"old": "x"}, tags={"team": "fw"})
    assert found.writes() == [("TagResource", {"resourceArn": ARN, "tags": [{"Key": "team", "Value": "fw"}]}),
                              ("UntagResource", {"resourceArn": ARN, "tagKeys": ["old"]})]


def test_absent_deletes_only_an_existing_group():
    assert plan_absent("canaries").writes() == []
    assert plan_absent("canaries", GROUP).writes() == [("DeleteThingGroup", {"thingGroupName": "canaries"})]


@pytest.mark.parametrize("given, message", [
    (dict(name="a b"), "name: 'a b' is not a thing group name"),
    (dict(parent="canaries"), "parent: a group cannot be its own parent"),
    (dict(attributes={"a": "x y"}), "attributes.a: must be a string"),
    (dict(things=["s1", "s1"]), "things: names s1 more than once"),
])
def test_bad_options_name_the_option(given, message):
    with pytest.raises(InvalidOption) as raised:
        params(**given)
    assert str(raised.value).startswith(message)
