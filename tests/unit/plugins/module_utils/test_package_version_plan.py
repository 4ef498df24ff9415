"""iot_package_version's options and plans."""

from __future__ import annotations

import types

import boto3
import pytest
from ansible.module_utils.common.arg_spec import ArgumentSpecValidator

from ansible_collections.iotops.aws.plugins.module_utils.package_version_options import (
    VERSION_ARGUMENT_SPEC,
    check_botocore_knows,
    check_version_options,
)
from ansible_collections.iotops.aws.plugins.module_utils.package_version_plan import plan_absent, plan_present
from ansible_collections.iotops.aws.plugins.module_utils.validation import InvalidOption

ARN = "arn:aws:iot:us-east-1:123456789012:package/fw/version/1.0"
VALIDATOR = ArgumentSpecValidator(VERSION_ARGUMENT_SPEC)
PACKAGE = dict(package_name="fw", default_version_name=None)
KEY = dict(packageName="fw", versionName="1.0")
ARTIFACT = dict(bucket="builds", key="fw/1.0.bin")


def version(status="DRAFT", **fields):
    found = dict(package_version_arn=ARN, package_name="fw", version_name="1.0", status=status, description="old",
                 attributes={"channel": "beta"}, artifact={"s3_location": dict(ARTIFACT, version="v1")}, recipe="{}")
    found.update(fields)
    return found


def params(**given):
    result = VALIDATOR.validate(dict(dict(package="fw", version="1.0"), **given))
    assert not result.error_messages, result.error_messages
    found = result.validated_parameters
    check_version_options(found)
    return found


def plan(current=None, current_tags=None, **given):
    """The plan against a draft unless another ``current`` version is given."""
    return plan_present(params(**given), PACKAGE, current or version(), current_tags or {})


def test_a_new_version_is_created_as_a_draft_with_everything_given():
    found = plan_present(params(description="d", attributes={"a": "1"}, artifact=ARTIFACT, recipe="{}", tags={"t": "v"}),
                         PACKAGE)
    assert found.requests == [("CreatePackageVersion", dict(
        KEY, description="d", attributes={"a": "1"}, artifact={"s3Location": ARTIFACT}, recipe="{}", tags={"t": "v"}))]
    assert found.diff == {"before": {}, "after": {"description": "d", "attributes": {"a": "1"}, "artifact": ARTIFACT,
                                                  "recipe": "{}", "tags": {"t": "v"}, "status": "draft"}}


def test_a_new_published_version_is_created_then_published():
    found = plan_present(params(status="published"), PACKAGE)
    assert found.requests == [("CreatePackageVersion", KEY), ("UpdatePackageVersion", dict(KEY, action="PUBLISH"))]
    assert found.diff["after"] == {"status": "published"}


def test_a_new_deprecated_version_is_refused_as_the_lifecycle_has_no_draft_to_deprecated_move():
    found = plan_present(params(status="deprecated"), PACKAGE)
    assert found.requests == [] and not found.changed
    assert found.error == ("status: version '1.0' of package 'fw' does not exist, and a new version is a draft: "
                           "a draft version cannot be deprecated: publish it first, or delete it")


def test_a_missing_package_is_refused_naming_the_option():
    found = plan_present(params(), None, location="in us-east-1 at http://127.0.0.1:1")
    assert found.error == "package: 'fw' does not exist in us-east-1 at http://127.0.0.1:1: create it with iot_package first"
    assert not found.changed


def test_the_version_as_it_is_changes_nothing():
    same = plan(version(), {"t": "v"}, description="old", attributes={"channel": "beta"}, artifact=ARTIFACT, recipe="{}",
                status="draft", tags={"t": "v"})
    assert not same.changed and same.diff == {"before": {}, "after": {}}


def test_a_draft_changes_its_settings_in_one_update():
    found = plan(description="new", attributes={"min": "rev-b"}, purge_attributes=False,
                 artifact=dict(ARTIFACT, key="fw/1.0-2.bin"), recipe='{"steps": []}')
    assert found.requests == [("UpdatePackageVersion", dict(
        KEY, description="new", attributes={"channel": "beta", "min": "rev-b"},
        artifact={"s3Location": dict(ARTIFACT, key="fw/1.0-2.bin")}, recipe='{"steps": []}'))]
    assert found.diff["after"]["attributes"] == {"min": "rev-b"} and found.diff["before"]["recipe"] == "{}"


def test_attributes_are_purged_only_when_asked():
    assert not plan(attributes={}, purge_attributes=False).changed
    assert plan(attributes={}).requests == [("UpdatePackageVersion", dict(KEY, attributes={}))]
    assert not plan(version(attributes=None), attributes={}).changed


def test_an_artifact_without_its_s3_version_matches_any_version():
    assert not plan(artifact=ARTIFACT).changed
    assert plan(artifact=dict(ARTIFACT, version="v2")).changed


def test_settings_change_while_a_draft_then_it_is_published():
    found = plan(description="new", attributes={"a": "1"}, status="published", tags={"t": "v"})
    assert [(operation, sorted(request)) for operation, request in found.requests] == [
        ("UpdatePackageVersion", ["attributes", "description", "packageName", "versionName"]),
        ("UpdatePackageVersion", ["action", "packageName", "versionName"]),
        ("TagResource", ["resourceArn", "tags"]),
    ]
    assert found.requests[1][1]["action"] == "PUBLISH"
    assert found.diff["before"]["status"] == "draft" and found.diff["after"]["status"] == "published"


@pytest.mark.parametrize("status, wanted, action", [
    ("PUBLISHED", "deprecated", "DEPRECATE"),
    ("DEPRECATED", "published", "PUBLISH"),
])
def test_published_and_deprecated_versions_move_with_their_action(status, wanted, action):
    found = plan(version(status), description="new", status=wanted)
    assert found.requests == [("UpdatePackageVersion", dict(KEY, description="new")),
                              ("UpdatePackageVersion", dict(KEY, action=action))]


@pytest.mark.parametrize("status, wanted, reason", [
    ("DRAFT", "deprecated", "status: version '1.0' of package 'fw': a draft version cannot be deprecated"),
    ("PUBLISHED", "draft", "status: version '1.0' of package 'fw': a published version cannot go back to draft"),
    ("DEPRECATED", "draft", "status: version '1.0' of package 'fw': a deprecated version cannot go back to draft"),
])
def test_forbidden_moves_are_refused_before_any_request(status, wanted, reason):
    found = plan(version(status), status=wanted, description="new", tags={"t": "v"})
    assert found.error.startswith(reason) and found.requests == [] and not found.changed


@pytest.mark.parametrize("status", ["PUBLISHED", "DEPRECATED"])
def test_a_released_version_keeps_attributes_artifact_and_recipe_and_each_is_named(status):
    found = plan(version(status), attributes={"channel": "stable"}, artifact=dict(ARTIFACT, bucket="other"), recipe="[]",
                 description="new", status="draft")
    assert found.error == (
        "attributes, artifact, recipe: version '1.0' of package 'fw' is {0}, and AWS changes only the description and "
        "tags of a {0} version: create another version instead; status: version '1.0' of package 'fw': a {0} version "
        "cannot go back to draft: AWS has no such move; create another version instead".format(status.lower()))
    assert found.requests == []
    assert not plan(version(status), attributes={"channel": "beta"}, artifact=ARTIFACT, recipe="{}").changed


def test_tags_change_in_place_and_merge_without_purge():
    found = plan(version(), {"old": "x"}, tags={"team": "fw"})
    assert found.requests == [("TagResource", {"resourceArn": ARN, "tags": [{"Key": "team", "Value": "fw"}]}),
                              ("UntagResource", {"resourceArn": ARN, "tagKeys": ["old"]})]
    kept = plan_present(params(tags={"team": "fw"}, purge_tags=False), PACKAGE, version("PUBLISHED"), {"old": "x"})
    assert kept.requests == [("TagResource", {"resourceArn": ARN, "tags": [{"Key": "team", "Value": "fw"}]})]
    assert kept.diff == {"before": {"tags": {}}, "after": {"tags": {"team": "fw"}}}


def test_absent_deletes_an_existing_version_that_is_not_the_default():
    assert plan_absent(params(state="absent"), PACKAGE).requests == []
    assert plan_absent(params(state="absent"), None).requests == []
    found = plan_absent(params(state="absent"), PACKAGE, version("PUBLISHED"))
    assert found.requests == [("DeletePackageVersion", KEY)]
    assert found.diff["after"] == {} and found.diff["before"]["status"] == "published"


def test_absent_refuses_the_packages_default_version():
    found = plan_absent(params(state="absent"), dict(PACKAGE, default_version_name="1.0"), version("PUBLISHED"))
    assert found.error == ("state: version '1.0' of package 'fw' is the package's default version, which AWS does not "
                           "delete: set another default_version, or unset_default_version, with iot_package first")
    assert found.requests == []


@pytest.mark.parametrize("given, message", [
    (dict(package="a/b"), "package: 'a/b' is not a package name"),
    (dict(version="1 0"), "version: '1 0' is not a package version name"),
    (dict(version="v" * 65), "version: 'vvvvvvv"),
    (dict(description="x" * 1025), "description: must be 1 to 1024 characters, got 1025"),
    (dict(description="a\nb"), "description: must not contain control characters"),
    (dict(attributes={"bad key": "x"}), "attributes: key 'bad key' must be 1 or more characters of a-z"),
    (dict(attributes={"a.b": "x"}), "attributes: key 'a.b'"),
    (dict(attributes={"channel": ""}), "attributes.channel: must be 1 to 3072 characters, got 0"),
    (dict(attributes={"channel": 1}), "attributes.channel: must be a string, got 1 (quote it)"),
    (dict(artifact=dict(bucket="", key="k")), "artifact.bucket: must be 1 to 1024 characters, got 0"),
    (dict(artifact=dict(bucket="b", key="k", version="")), "artifact.version: must be 1 to 1024 characters"),
    (dict(recipe="r" * 3073), "recipe: must be at most 3072 characters, got 3073"),
    (dict(tags={"aws:x": "y"}), "tags: key 'aws:x'"),
])
def test_bad_options_name_the_option(given, message):
    with pytest.raises(InvalidOption) as raised:
        params(**given)
    assert str(raised.value).startswith(message)


def test_status_takes_only_the_lifecycles_statuses():
    result = VALIDATOR.validate(dict(package="fw", version="1.0", status="retired"))
    assert "status" in result.error_messages[0]


def client_knowing(*members):
    """A stand-in client whose model of CreatePackageVersion has only these members."""
    shape = types.SimpleNamespace(members=dict.fromkeys(members))
    model = types.SimpleNamespace(operation_model=lambda name: types.SimpleNamespace(input_shape=shape))
    return types.SimpleNamespace(meta=types.SimpleNamespace(service_model=model))


def test_artifact_and_recipe_need_a_botocore_that_knows_them():
    old = client_knowing("packageName", "versionName", "description", "attributes", "tags", "clientToken")
    check_botocore_knows(params(description="d", attributes={"a": "1"}), old)
    for option, value in (("artifact", ARTIFACT), ("recipe", "{}")):
        with pytest.raises(InvalidOption) as raised:
            check_botocore_knows(params(**{option: value}), old)
        assert str(raised.value) == ("{0}: the botocore installed cannot send a package version's {0}, which AWS added "
                                     "later: upgrade boto3 and botocore".format(option))
    current = boto3.client("iot", region_name="us-east-1", aws_access_key_id="AKID", aws_secret_access_key="secret")
    check_botocore_knows(params(artifact=ARTIFACT, recipe="{}"), current)
