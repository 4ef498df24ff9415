"""iot_package's and iot_package_configuration's options and plans."""

from __future__ import annotations

import pytest
from ansible.module_utils.common.arg_spec import ArgumentSpecValidator

from ansible_collections.iotops.aws.plugins.module_utils.package_options import (
    CONFIGURATION_ARGUMENT_SPEC,
    INFO_ARGUMENT_SPEC,
    PACKAGE_ARGUMENT_SPEC,
    check_configuration_options,
    check_info_options,
    check_package_options,
)
from ansible_collections.iotops.aws.plugins.module_utils.package_plan import plan_absent, plan_configuration, plan_present
from ansible_collections.iotops.aws.plugins.module_utils.validation import InvalidOption

ARN = "arn:aws:iot:us-east-1:123456789012:package/fw"
ROLE = "arn:aws:iam::123456789012:role/iot-package-shadow"
PACKAGE = dict(package_name="fw", package_arn=ARN, description="old", default_version_name="1.0")
PUBLISHED = dict(version_name="2.0", status="PUBLISHED")


def validated(spec, given):
    result = ArgumentSpecValidator(spec).validate(given)
    assert not result.error_messages, result.error_messages
    return result.validated_parameters


def params(**given):
    found = validated(PACKAGE_ARGUMENT_SPEC, dict(dict(name="fw"), **given))
    check_package_options(found)
    return found


def plan(package=None, current_tags=None, version=None, **given):
    """The plan against PACKAGE unless another ``package`` is given; ``version``
    is what AWS says of the version O(default_version) names."""
    return plan_present(params(**given), PACKAGE if package is None else package, current_tags or {}, version)


def test_a_new_package_is_created_with_its_description_and_tags_as_a_map():
    found = plan_present(params(description="Firmware", tags={"team": "fw"}), None)
    assert found.writes() == [("CreatePackage", {"packageName": "fw", "description": "Firmware", "tags": {"team": "fw"}})]
    assert found.diff == {"before": {}, "after": {"description": "Firmware", "tags": {"team": "fw"}}}


def test_the_package_as_it_is_changes_nothing():
    same = plan(description="old", default_version="1.0", tags={"team": "fw"}, current_tags={"team": "fw"})
    assert not same.changed and same.diff == {"before": {}, "after": {}}
    assert not plan(unset_default_version=True, package=dict(PACKAGE, default_version_name=None)).changed


def test_description_and_default_version_change_with_one_update():
    found = plan(description="new", default_version="2.0", version=PUBLISHED)
    assert found.writes() == [("UpdatePackage", {"packageName": "fw", "description": "new", "defaultVersionName": "2.0"})]
    assert found.diff == {"before": {"description": "old", "default_version": "1.0"},
                          "after": {"description": "new", "default_version": "2.0"}}


@pytest.mark.parametrize("status", ["PUBLISHED", "DEPRECATED"])
def test_a_published_or_deprecated_version_can_be_the_default(status):
    found = plan(default_version="2.0", version=dict(PUBLISHED, status=status))
    assert found.update == {"packageName": "fw", "defaultVersionName": "2.0"}


def test_unset_default_version_unsets_only_a_default_there_is():
    found = plan(unset_default_version=True)
    assert found.writes() == [("UpdatePackage", {"packageName": "fw", "unsetDefaultVersion": True})]
    assert found.diff == {"before": {"default_version": "1.0"}, "after": {}}


@pytest.mark.parametrize("version, message", [
    (None, "default_version: package 'fw' has no version '2.0': create it with iot_package_version first"),
    (dict(PUBLISHED, status="DRAFT"), "default_version: version '2.0' of package 'fw' is a draft, and only a published or "
                                      "deprecated version can be the default: publish it first"),
])
def test_a_missing_or_draft_default_version_is_an_error_and_nothing_is_sent(version, message):
    found = plan(default_version="2.0", description="new", tags={"a": "b"}, version=version)
    assert found.error == message and found.writes() == [] and not found.changed


def test_a_new_package_cannot_have_a_default_version_yet():
    found = plan_present(params(default_version="1.0"), None)
    assert found.error.startswith("default_version: package 'fw' has no version '1.0'") and found.writes() == []


def test_tags_change_in_place_and_are_purged_unless_asked_not_to():
    found = plan(tags={"team": "fw"}, current_tags={"old": "x"})
    assert found.writes() == [("TagResource", {"resourceArn": ARN, "tags": [{"Key": "team", "Value": "fw"}]}),
                              ("UntagResource", {"resourceArn": ARN, "tagKeys": ["old"]})]
    kept = plan(tags={"team": "fw"}, purge_tags=False, current_tags={"old": "x"})
    assert kept.writes() == [("TagResource", {"resourceArn": ARN, "tags": [{"Key": "team", "Value": "fw"}]})]
    assert kept.diff == {"before": {"tags": {}}, "after": {"tags": {"team": "fw"}}}


def test_absent_deletes_only_an_existing_package():
    assert plan_absent("fw").writes() == []
    found = plan_absent("fw", dict(PACKAGE, default_version_name=None))
    assert found.writes() == [("DeletePackage", {"packageName": "fw"})]
    assert found.diff == {"before": {"description": "old"}, "after": {}}


def test_a_package_with_versions_needs_force_and_nothing_is_sent():
    found = plan_absent("fw", PACKAGE, ["1.0", "2.0"])
    assert found.error == ("force: package 'fw' has 2 versions (1.0, 2.0), and AWS deletes only a package without versions: "
                           "set force=true to delete them too, or delete them first")
    assert found.writes() == []


def test_force_unsets_the_default_then_deletes_each_version_then_the_package():
    found = plan_absent("fw", PACKAGE, ["1.0", "2.0"], force=True)
    assert found.writes() == [
        ("UpdatePackage", {"packageName": "fw", "unsetDefaultVersion": True}),
        ("DeletePackageVersion", {"packageName": "fw", "versionName": "1.0"}),
        ("DeletePackageVersion", {"packageName": "fw", "versionName": "2.0"}),
        ("DeletePackage", {"packageName": "fw"}),
    ]
    assert found.diff["before"]["versions"] == ["1.0", "2.0"] and found.diff["after"] == {}
    no_default = plan_absent("fw", dict(PACKAGE, default_version_name=None), ["1.0"], force=True)
    assert [write[0] for write in no_default.writes()] == ["DeletePackageVersion", "DeletePackage"]


def configuration(enabled, role_arn=None):
    found = validated(CONFIGURATION_ARGUMENT_SPEC, dict(version_update_by_jobs=dict(enabled=enabled, role_arn=role_arn)))
    check_configuration_options(found)
    return found["version_update_by_jobs"]


OFF = dict(enabled=False, role_arn=None)


def test_enabling_sends_the_role_and_shows_the_difference():
    found = plan_configuration(configuration(True, ROLE), OFF)
    assert found.writes() == [("UpdatePackageConfiguration", {"versionUpdateByJobsConfig": {"enabled": True, "roleArn": ROLE}})]
    assert found.diff == {"before": {"version_update_by_jobs": {"enabled": False, "role_arn": None}},
                          "after": {"version_update_by_jobs": {"enabled": True, "role_arn": ROLE}}}


def test_the_configuration_as_it_is_changes_nothing():
    on = dict(enabled=True, role_arn=ROLE)
    assert not plan_configuration(configuration(True, ROLE), on).changed
    assert not plan_configuration(configuration(False), OFF).changed
    assert plan_configuration(configuration(True, ROLE), on).writes() == []


def test_disabling_keeps_the_role_unless_another_is_given():
    found = plan_configuration(configuration(False), dict(enabled=True, role_arn=ROLE))
    assert found.update == {"versionUpdateByJobsConfig": {"enabled": False, "roleArn": ROLE}}
    other = ROLE + "-2"
    assert plan_configuration(configuration(True, other), dict(enabled=True, role_arn=ROLE)).update == {
        "versionUpdateByJobsConfig": {"enabled": True, "roleArn": other}}


@pytest.mark.parametrize("given, message", [
    (dict(name="fw 1"), "name: 'fw 1' is not a package name"),
    (dict(name="x" * 129), "name: 'xxxx"),
    (dict(default_version="1/0"), "default_version: '1/0' is not a package version name"),
    (dict(default_version="1.0", unset_default_version=True), "unset_default_version: cannot be true together with default_version"),
    (dict(description="x" * 1025), "description: must be 1 to 1024 characters, got 1025"),
    (dict(description="a\nb"), "description: must not contain control characters"),
    (dict(tags={"aws:x": "y"}), "tags: key 'aws:x'"),
])
def test_bad_package_options_name_the_option(given, message):
    with pytest.raises(InvalidOption) as raised:
        params(**given)
    assert str(raised.value).startswith(message)


@pytest.mark.parametrize("enabled, role_arn, message", [
    (True, None, "version_update_by_jobs.role_arn: is needed with enabled=true"),
    (True, "iot-package-shadow", "version_update_by_jobs.role_arn: 'iot-package-shadow' is not an IAM role ARN"),
    (False, "arn:aws:iot:us-east-1:123456789012:thing/x", "version_update_by_jobs.role_arn: 'arn:aws:iot:us-east-1:1234"),
])
def test_bad_configuration_options_name_the_option(enabled, role_arn, message):
    with pytest.raises(InvalidOption) as raised:
        configuration(enabled, role_arn)
    assert str(raised.value).startswith(message)


def test_a_role_with_a_path_is_a_role():
    assert configuration(True, "arn:aws:iam::123456789012:role/service-role/iot.shadow_updater")["enabled"] is True


@pytest.mark.parametrize("given, message", [
    (dict(name="fw 1"), "name: 'fw 1' is not a package name"),
    (dict(version="1.0"), "version: needs name"),
    (dict(name="fw", version="1 0"), "version: '1 0' is not a package version name"),
    (dict(version_status="draft"), "version_status: needs name"),
])
def test_bad_info_options_name_the_option(given, message):
    with pytest.raises(InvalidOption) as raised:
        check_info_options(validated(INFO_ARGUMENT_SPEC, given))
    assert str(raised.value).startswith(message)
