"""iot_package_version in real ansible-playbook runs against the local
endpoint: create, rerun, check mode, diff, each update path and lifecycle
move, each setting a released version keeps, each forbidden move, absent
(and the package's default version), a missing package, bad input, and a
lost CreatePackageVersion answer.
"""

from __future__ import annotations

import pytest

from helpers import SECRET_KEY, one_line, package_version, writes

PACKAGE = "sensor-firmware"
VERSION = "2.4.1"
ARTIFACT = {"bucket": "firmware-builds", "key": "sensor/2.4.1/firmware.bin"}
LABEL = "version '2.4.1' of package 'sensor-firmware'"


def version_task(task_name, ignore_errors=False, **options):
    task = {"name": task_name, "iotops.aws.iot_package_version": dict(dict(package=PACKAGE, version=VERSION), **options)}
    if ignore_errors:
        task["ignore_errors"] = True
    return task


def stored(iot, version=VERSION):
    return iot.client().get_package_version(packageName=PACKAGE, versionName=version)


@pytest.fixture
def package(iot):
    """The package, made before the test's requests are counted."""
    iot.client().create_package(packageName=PACKAGE)


# What botocore 1.34, the oldest supported, can send: `make floor` runs the smoke test with it.
BASIC = dict(description="Sensor firmware 2.4.1", attributes={"channel": "beta", "minHardware": "rev-b"},
             tags={"team": "firmware"})
FULL = dict(BASIC, artifact=ARTIFACT, recipe='{"steps": ["install"]}')


@pytest.mark.smoke
def test_create_a_draft_then_rerun_reports_unchanged_with_diff_and_no_secret(iot, playbook, package):
    before = len(iot.calls())
    run = playbook([version_task("create", **BASIC), version_task("again", status="draft", **BASIC)], args=("--diff",))
    assert run.rc == 0, run.output
    created, again = run.result("create"), run.result("again")
    assert created["changed"] is True and again["changed"] is False
    found = again["package_version"]
    assert found["status"] == "DRAFT" and found["version_name"] == VERSION and found["package_name"] == PACKAGE
    assert found["attributes"] == {"channel": "beta", "minHardware": "rev-b"}  # keys as given, never snake_cased
    assert found["tags"] == {"team": "firmware"} and found["package_version_arn"].endswith(":package/sensor-firmware/version/2.4.1")
    assert created["diff"] == {"before": {}, "after": dict(BASIC, status="draft")}
    assert again["diff"] == {"before": {}, "after": {}}
    assert writes(iot, before) == ["CreatePackageVersion"]
    assert SECRET_KEY not in run.output


def test_check_mode_predicts_every_change_and_sends_no_write(iot, playbook, package):
    package_version(iot, PACKAGE, VERSION, "DRAFT", description="old")
    package_version(iot, PACKAGE, "2.4.0", "PUBLISHED")
    before = len(iot.calls())
    run = playbook([
        version_task("create", version="2.5.0", status="published", description="next"),
        version_task("publish", description="new", status="published", tags={"a": "b"}),
        version_task("delete", version="2.4.0", state="absent"),
        version_task("unchanged", description="old", status="draft"),
    ], check=True, args=("--diff",))
    assert run.rc == 0, run.output
    assert writes(iot, before) == []
    assert [run.result(task)["changed"] for task in ("create", "publish", "delete", "unchanged")] == [True, True, True, False]
    assert run.result("create")["package_version"] is None
    assert run.result("create")["diff"]["after"] == {"description": "next", "status": "published"}
    assert run.result("publish")["diff"] == {"before": {"description": "old", "status": "draft", "tags": {}},
                                             "after": {"description": "new", "status": "published", "tags": {"a": "b"}}}
    assert run.result("delete")["diff"] == {"before": {"status": "published"}, "after": {}}
    assert stored(iot)["status"] == "DRAFT"


def test_each_update_path_and_lifecycle_move_changes_only_what_differs(iot, playbook, package):
    package_version(iot, PACKAGE, VERSION, "DRAFT", description="old", attributes={"channel": "beta", "region": "eu"},
                    tags={"team": "firmware"})
    before = len(iot.calls())
    run = playbook([
        version_task("description", description="new"),
        version_task("merge attributes", attributes={"wave": "a"}, purge_attributes=False),
        version_task("purge attributes", attributes={"channel": "stable"}),
        version_task("artifact and recipe", artifact=ARTIFACT, recipe="{}"),
        version_task("tags", tags={"owner": "ops"}, purge_tags=False),
        version_task("publish", status="published"),
        version_task("described when published", description="released", tags={"owner": "ops"}),
        version_task("deprecate", status="deprecated"),
        version_task("publish again", status="published", attributes={"channel": "stable"}, artifact=ARTIFACT),
        version_task("again", status="published", description="released", attributes={"channel": "stable"},
                     artifact=ARTIFACT, recipe="{}", tags={"owner": "ops"}),
    ])
    assert run.rc == 0, run.output
    tasks = ("description", "merge attributes", "purge attributes", "artifact and recipe", "tags", "publish",
             "described when published", "deprecate", "publish again", "again")
    assert [run.result(task)["changed"] for task in tasks] == [True] * 9 + [False]
    assert run.result("merge attributes")["package_version"]["attributes"] == {"channel": "beta", "region": "eu", "wave": "a"}
    assert run.result("purge attributes")["package_version"]["attributes"] == {"channel": "stable"}
    assert run.result("tags")["package_version"]["tags"] == {"team": "firmware", "owner": "ops"}
    assert [run.result(task)["package_version"]["status"] for task in ("publish", "deprecate", "publish again")] == [
        "PUBLISHED", "DEPRECATED", "PUBLISHED"]
    again = run.result("again")["package_version"]
    assert again["description"] == "released" and again["tags"] == {"owner": "ops"} and again["recipe"] == "{}"
    assert writes(iot, before) == ["UpdatePackageVersion"] * 4 + ["TagResource"] + ["UpdatePackageVersion"] * 2 + [
        "UntagResource"] + ["UpdatePackageVersion"] * 2


KEPT = [
    (dict(attributes={"channel": "stable"}), "attributes"),
    (dict(artifact=dict(ARTIFACT, key="sensor/2.4.2/firmware.bin")), "artifact"),
    (dict(recipe="{}"), "recipe"),
    (dict(attributes={}, artifact=dict(ARTIFACT, version="v2"), recipe="[]", description="new"), "attributes, artifact, recipe"),
]


@pytest.mark.parametrize("status", ["PUBLISHED", "DEPRECATED"])
def test_what_a_released_version_keeps_fails_in_one_line_naming_each_setting_without_a_write(iot, playbook, package, status):
    package_version(iot, PACKAGE, VERSION, status, attributes={"channel": "beta"}, artifact={"s3Location": ARTIFACT},
                    recipe='{"steps": []}')
    before = len(iot.calls())
    run = playbook([version_task("kept {0}".format(index), ignore_errors=True, **options)
                    for index, (options, named) in enumerate(KEPT)], ignore_errors=True)
    for index, (options, named) in enumerate(KEPT):
        assert one_line(run, "kept {0}".format(index)) == (
            "{0}: {1} is {2}, and AWS changes only the description and tags of a {2} version: create another "
            "version instead".format(named, LABEL, status.lower()))
        assert run.result("kept {0}".format(index))["package_version"]["status"] == status
    assert writes(iot, before) == []


def test_each_move_the_lifecycle_forbids_fails_in_one_line_without_a_write(iot, playbook, package):
    package_version(iot, PACKAGE, "draft", "DRAFT")
    package_version(iot, PACKAGE, "published", "PUBLISHED")
    package_version(iot, PACKAGE, "deprecated", "DEPRECATED")
    before = len(iot.calls())
    run = playbook([
        version_task("draft to deprecated", version="draft", status="deprecated", ignore_errors=True),
        version_task("published to draft", version="published", status="draft", description="x", ignore_errors=True),
        version_task("deprecated to draft", version="deprecated", status="draft", ignore_errors=True),
        version_task("new as deprecated", version="new", status="deprecated", ignore_errors=True),
    ], ignore_errors=True)
    assert one_line(run, "draft to deprecated") == (
        "status: version 'draft' of package 'sensor-firmware': a draft version cannot be deprecated: publish it first, "
        "or delete it")
    assert one_line(run, "published to draft") == (
        "status: version 'published' of package 'sensor-firmware': a published version cannot go back to draft: AWS has "
        "no such move; create another version instead")
    assert one_line(run, "deprecated to draft").startswith(
        "status: version 'deprecated' of package 'sensor-firmware': a deprecated version cannot go back to draft")
    assert one_line(run, "new as deprecated") == (
        "status: version 'new' of package 'sensor-firmware' does not exist, and a new version is a draft: a draft "
        "version cannot be deprecated: publish it first, or delete it")
    assert writes(iot, before) == []
    assert [stored(iot, name)["status"] for name in ("draft", "published", "deprecated")] == ["DRAFT", "PUBLISHED", "DEPRECATED"]


def test_absent_deletes_the_version_then_reports_unchanged_and_refuses_the_default(iot, playbook, package):
    package_version(iot, PACKAGE, VERSION, "PUBLISHED", tags={"team": "firmware"})
    package_version(iot, PACKAGE, "2.4.0", "PUBLISHED")
    iot.client().update_package(packageName=PACKAGE, defaultVersionName="2.4.0")
    before = len(iot.calls())
    run = playbook([
        version_task("delete", state="absent"),
        version_task("again", state="absent"),
        version_task("default", version="2.4.0", state="absent", ignore_errors=True),
        version_task("no package", package="other-firmware", state="absent"),
    ], args=("--diff",), ignore_errors=True)
    assert run.result("delete")["changed"] is True and run.result("delete")["package_version"] is None
    assert run.result("delete")["diff"] == {"before": {"status": "published"}, "after": {}}
    assert run.result("again")["changed"] is False and run.result("no package")["changed"] is False
    assert one_line(run, "default") == (
        "state: version '2.4.0' of package 'sensor-firmware' is the package's default version, which AWS does not "
        "delete: set another default_version, or unset_default_version, with iot_package first")
    assert writes(iot, before) == ["DeletePackageVersion"]
    versions = iot.client().list_package_versions(packageName=PACKAGE)["packageVersionSummaries"]
    assert [summary["versionName"] for summary in versions] == ["2.4.0"]


def test_a_package_that_does_not_exist_fails_before_any_write(iot, playbook):
    run = playbook([version_task("no package", **FULL)], ignore_errors=True)
    assert one_line(run, "no package") == (
        "package: 'sensor-firmware' does not exist in us-east-1 at {0}: create it with iot_package first".format(iot.url))
    assert writes(iot) == [] and [call.api for call in iot.calls()] == ["GetPackage"]


BAD_INPUT = [
    (dict(package="sensor firmware"), "package: 'sensor firmware' is not a package name"),
    (dict(version="2.4.1/rc"), "version: '2.4.1/rc' is not a package version name"),
    (dict(status="retired"), "value of status must be one of: draft, published, deprecated"),
    (dict(description="x" * 1025), "description: must be 1 to 1024 characters, got 1025"),
    (dict(attributes={"bad key": "x"}), "attributes: key 'bad key' must be 1 or more characters"),
    (dict(attributes={"channel": 1}), "attributes.channel: must be a string, got 1 (quote it)"),
    (dict(attributes={"channel": ""}), "attributes.channel: must be 1 to 3072 characters, got 0"),
    (dict(artifact={"bucket": "firmware-builds"}), "missing required arguments: key found in artifact"),
    (dict(artifact={"bucket": "", "key": "k"}), "artifact.bucket: must be 1 to 1024 characters, got 0"),
    (dict(recipe="r" * 3073), "recipe: must be at most 3072 characters, got 3073"),
    (dict(tags={"aws:x": "y"}), "tags: key 'aws:x'"),
    (dict(state="gone"), "value of state must be one of: present, absent"),
    (dict(attributes=["channel"]), "attributes: must be a dictionary, got a list"),
    (dict(artifact="s3://firmware-builds/fw.bin"), "artifact: must be a dictionary, got a string"),
    (dict(purge_attributes="maybe"), "purge_attributes: must be a boolean, got a string"),
]


def test_bad_input_fails_in_one_line_naming_the_option_and_sends_nothing(iot, playbook):
    run = playbook([version_task("bad {0}".format(index), ignore_errors=True, **options)
                    for index, (options, expected) in enumerate(BAD_INPUT)], ignore_errors=True)
    for index, (options, message) in enumerate(BAD_INPUT):
        found = one_line(run, "bad {0}".format(index))
        assert found.startswith(message), (options, found)
    assert iot.calls() == []


def test_a_create_whose_answer_was_lost_ends_with_one_version(iot, playbook, package):
    iot.set_faults(lose_answer_once=["CreatePackageVersion"])
    run = playbook([version_task("create", status="published", **FULL)], args=("--diff",))
    assert run.rc == 0, run.output
    assert run.result("create")["changed"] is True
    created = run.result("create")["package_version"]
    assert created["status"] == "PUBLISHED" and created["artifact"] == {"s3_location": ARTIFACT}
    assert created["recipe"] == FULL["recipe"] and created["tags"] == {"team": "firmware"}
    assert run.result("create")["diff"] == {"before": {}, "after": dict(FULL, status="published")}
    creates = iot.calls("CreatePackageVersion")
    # botocore sends the same clientToken again, and AWS answers it as the first time.
    assert [(call.attempt, call.fault, call.status) for call in creates] == [(1, "lose_answer", None), (2, None, 200)]
    versions = iot.client().list_package_versions(packageName=PACKAGE)["packageVersionSummaries"]
    assert [(summary["versionName"], summary["status"]) for summary in versions] == [(VERSION, "PUBLISHED")]
