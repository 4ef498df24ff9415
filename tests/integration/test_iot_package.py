"""iot_package and iot_package_info in real ansible-playbook runs against
the local endpoint: create, rerun, check mode, diff, each update, the
default version's rules, absent with and without force, bad input, and a
lost CreatePackage answer.
"""

from __future__ import annotations

import urllib.parse

import pytest

from helpers import SECRET_KEY, module_task, one_line, package_version, writes

PACKAGE = "sensor-firmware"
ARN = "arn:aws:iot:us-east-1:123456789012:package/" + PACKAGE


def package_task(task_name, ignore_errors=False, **options):
    return module_task("iot_package", task_name, ignore_errors, **dict(dict(name=PACKAGE), **options))


def info_task(task_name, **options):
    return module_task("iot_package_info", task_name, **options)


def existing_package(iot, name=PACKAGE, **fields):
    return iot.client().create_package(packageName=name, **fields)["packageArn"]


def names_of_packages(iot):
    return [summary["packageName"] for summary in iot.client().list_packages()["packageSummaries"]]


@pytest.mark.smoke
def test_create_then_rerun_reports_unchanged_with_diff_and_no_secret(iot, playbook):
    settings = dict(description="Firmware of the field sensors", tags={"team": "firmware"})
    run = playbook([package_task("create", **settings), package_task("again", **settings),
                    info_task("one", name=PACKAGE), info_task("all")], args=("--diff",))
    assert run.rc == 0, run.output
    created, again = run.result("create"), run.result("again")
    assert created["changed"] is True and again["changed"] is False
    package = again["package"]
    assert package["package_name"] == PACKAGE and package["package_arn"] == ARN
    assert package["description"] == "Firmware of the field sensors" and package["default_version_name"] is None
    assert package["tags"] == {"team": "firmware"} and package["creation_date"]
    assert created["package"] == package
    assert created["diff"] == {"before": {}, "after": settings}
    assert again["diff"] == {"before": {}, "after": {}}
    assert writes(iot) == ["CreatePackage"]
    assert run.result("one")["packages"] == [package] and run.result("one")["versions"] == []
    assert [item["package_name"] for item in run.result("all")["packages"]] == [PACKAGE]
    assert "versions" not in run.result("all")
    assert SECRET_KEY not in run.output


def test_check_mode_predicts_every_change_and_sends_no_write(iot, playbook):
    existing_package(iot, description="old")
    package_version(iot, PACKAGE, "1.0")
    existing_package(iot, "to-delete")
    package_version(iot, "to-delete", "0.9", status="DRAFT")
    before = len(iot.calls())
    run = playbook([
        package_task("create", name="new-package", tags={"a": "b"}),
        package_task("update", description="new", default_version="1.0", tags={"team": "firmware"}),
        package_task("delete", name="to-delete", state="absent", force=True),
        package_task("unchanged", description="old"),
    ], check=True, args=("--diff",))
    assert run.rc == 0, run.output
    assert writes(iot, before) == []
    assert [run.result(task)["changed"] for task in ("create", "update", "delete", "unchanged")] == [True, True, True, False]
    assert run.result("update")["diff"] == {"before": {"description": "old"},
                                            "after": {"description": "new", "default_version": "1.0",
                                                      "tags": {"team": "firmware"}}}
    assert run.result("delete")["diff"] == {"before": {"versions": ["0.9"]}, "after": {}}
    assert run.result("create")["package"] is None
    assert run.result("update")["package"]["description"] == "old"
    assert sorted(names_of_packages(iot)) == [PACKAGE, "to-delete"]


def test_each_update_path_changes_only_what_differs(iot, playbook):
    existing_package(iot, description="old", tags={"team": "firmware"})
    package_version(iot, PACKAGE, "1.0")
    package_version(iot, PACKAGE, "0.9", status="DEPRECATED")
    before = len(iot.calls())
    run = playbook([
        package_task("description", description="new"),
        package_task("default", default_version="1.0"),
        package_task("deprecated default", default_version="0.9"),
        package_task("unset default", unset_default_version=True),
        package_task("unset again", unset_default_version=True),
        package_task("add tags", tags={"owner": "ops"}, purge_tags=False),
        package_task("purge tags", tags={"owner": "ops"}),
        package_task("again", description="new", tags={"owner": "ops"}),
    ], args=("--diff",))
    assert run.rc == 0, run.output
    tasks = ("description", "default", "deprecated default", "unset default", "unset again", "add tags", "purge tags",
             "again")
    assert [run.result(task)["changed"] for task in tasks] == [True] * 4 + [False, True, True, False]
    assert run.result("description")["package"]["description"] == "new"
    assert run.result("default")["package"]["default_version_name"] == "1.0"
    assert run.result("deprecated default")["diff"] == {"before": {"default_version": "1.0"},
                                                        "after": {"default_version": "0.9"}}
    assert run.result("unset default")["package"]["default_version_name"] is None
    assert run.result("add tags")["package"]["tags"] == {"team": "firmware", "owner": "ops"}
    assert run.result("purge tags")["package"]["tags"] == {"owner": "ops"}
    assert writes(iot, before) == ["UpdatePackage"] * 4 + ["TagResource", "UntagResource"]


def test_default_version_naming_a_draft_or_missing_version_fails_before_any_write(iot, playbook):
    existing_package(iot, description="old")
    package_version(iot, PACKAGE, "2.0", status="DRAFT")
    before = len(iot.calls())
    run = playbook([
        package_task("draft", default_version="2.0", description="new", ignore_errors=True),
        package_task("missing", default_version="9.9", tags={"a": "b"}, ignore_errors=True),
        package_task("new package", name="other", default_version="1.0"),
    ], ignore_errors=True)
    assert one_line(run, "draft") == ("default_version: version '2.0' of package 'sensor-firmware' is a draft, and only a "
                                      "published or deprecated version can be the default: publish it first")
    assert one_line(run, "missing") == ("default_version: package 'sensor-firmware' has no version '9.9': create it with "
                                        "iot_package_version first")
    assert one_line(run, "new package").startswith("default_version: package 'other' has no version '1.0'")
    assert writes(iot, before) == []
    assert run.result("draft")["package"]["description"] == "old"


def test_absent_deletes_the_package_then_reports_unchanged(iot, playbook):
    existing_package(iot, tags={"team": "firmware"})
    before = len(iot.calls())
    run = playbook([package_task("delete", state="absent"), package_task("again", state="absent")], args=("--diff",))
    assert run.rc == 0, run.output
    assert run.result("delete")["changed"] is True and run.result("again")["changed"] is False
    assert run.result("delete")["package"] is None
    assert run.result("again")["diff"] == {"before": {}, "after": {}}
    assert writes(iot, before) == ["DeletePackage"]
    assert names_of_packages(iot) == []


def test_a_package_with_versions_needs_force_which_unsets_the_default_and_deletes_them_first(iot, playbook):
    existing_package(iot)
    package_version(iot, PACKAGE, "1.0")
    package_version(iot, PACKAGE, "2.0", status="DRAFT")
    iot.client().update_package(packageName=PACKAGE, defaultVersionName="1.0")
    before = len(iot.calls())
    refused = playbook([package_task("without force", state="absent")], ignore_errors=True)
    assert one_line(refused, "without force") == (
        "force: package 'sensor-firmware' has 2 versions (1.0, 2.0), and AWS deletes only a package without versions: "
        "set force=true to delete them too, or delete them first")
    assert writes(iot, before) == []
    run = playbook([package_task("force", state="absent", force=True), package_task("again", state="absent", force=True)],
                   args=("--diff",))
    assert run.rc == 0, run.output
    assert run.result("force")["changed"] is True and run.result("again")["changed"] is False
    assert run.result("force")["diff"] == {"before": {"default_version": "1.0", "versions": ["1.0", "2.0"]}, "after": {}}
    assert writes(iot, before) == ["UpdatePackage", "DeletePackageVersion", "DeletePackageVersion", "DeletePackage"]
    assert names_of_packages(iot) == []


BAD_INPUT = [
    (dict(name="sensor firmware"), "name: 'sensor firmware' is not a package name"),
    (dict(name="x" * 129), "name: 'xxxxxxxx"),
    (dict(default_version="2.4/1"), "default_version: '2.4/1' is not a package version name"),
    (dict(default_version="1.0", unset_default_version=True), "unset_default_version: cannot be true together with "
                                                              "default_version"),
    (dict(description="x" * 1025), "description: must be 1 to 1024 characters, got 1025"),
    (dict(description="two\nlines"), "description: must not contain control characters"),
    (dict(tags={"aws:x": "y"}), "tags: key 'aws:x'"),
    (dict(tags={"team": 1}), "tags.team: must be a string"),
    (dict(force="maybe"), "force: must be a boolean"),
    (dict(state="gone"), "value of state must be one of"),
]
BAD_INFO = [
    (dict(name="a b"), "name: 'a b' is not a package name"),
    (dict(version="1.0"), "version: needs name"),
    (dict(name=PACKAGE, version="1 0"), "version: '1 0' is not a package version name"),
    (dict(version_status="published"), "version_status: needs name"),
]


def test_bad_input_fails_in_one_line_naming_the_option_and_sends_nothing(iot, playbook):
    run = playbook([package_task("bad {0}".format(index), ignore_errors=True, **options)
                    for index, (options, expected) in enumerate(BAD_INPUT)]
                   + [module_task("iot_package_info", "bad info {0}".format(index), ignore_errors=True, **options)
                      for index, (options, expected) in enumerate(BAD_INFO)], ignore_errors=True)
    for index, (options, message) in enumerate(BAD_INPUT):
        found = one_line(run, "bad {0}".format(index))
        assert found.startswith(message), (options, found)
    for index, (options, message) in enumerate(BAD_INFO):
        found = one_line(run, "bad info {0}".format(index))
        assert found.startswith(message), (options, found)
    assert iot.calls() == []


def client_token(call):
    return urllib.parse.parse_qs(call.query)["clientToken"]


def test_a_create_whose_answer_was_lost_is_sent_again_with_its_token_and_makes_one_package(iot, playbook):
    iot.set_faults(lose_answer_once=["CreatePackage"])
    run = playbook([package_task("create", description="Firmware", tags={"team": "firmware"})])
    assert run.rc == 0, run.output
    assert run.result("create")["changed"] is True
    assert run.result("create")["package"]["tags"] == {"team": "firmware"}
    creates = iot.calls("CreatePackage")
    # botocore sends the same client token again, and AWS answers it as the first time.
    assert [(c.attempt, c.fault, c.status) for c in creates] == [(1, "lose_answer", None), (2, None, 200)]
    assert client_token(creates[0]) == client_token(creates[1])
    assert names_of_packages(iot) == [PACKAGE]


def test_info_describes_a_package_its_versions_by_status_and_one_version_with_tags(iot, playbook):
    existing_package(iot, description="Firmware", tags={"team": "firmware"})
    existing_package(iot, "other")
    package_version(iot, PACKAGE, "1.0", description="First build", tags={"build": "1"})
    package_version(iot, PACKAGE, "2.0", status="DRAFT")
    run = playbook([
        info_task("all"),
        info_task("published", name=PACKAGE, version_status="published"),
        info_task("version", name=PACKAGE, version="1.0"),
        info_task("missing version", name=PACKAGE, version="9.9"),
        info_task("missing package", name="ghost", version="1.0"),
    ])
    assert run.rc == 0, run.output
    assert sorted(item["package_name"] for item in run.result("all")["packages"]) == ["other", PACKAGE]
    published = run.result("published")
    assert published["packages"][0]["tags"] == {"team": "firmware"}
    assert [(item["version_name"], item["status"]) for item in published["versions"]] == [("1.0", "PUBLISHED")]
    version = run.result("version")["package_version"]
    assert version["package_version_arn"] == ARN + "/version/1.0" and version["status"] == "PUBLISHED"
    assert version["description"] == "First build" and version["tags"] == {"build": "1"}
    assert [item["version_name"] for item in run.result("version")["versions"]] == ["1.0", "2.0"]
    assert run.result("missing version")["package_version"] is None
    missing = run.result("missing package")
    assert (missing["packages"], missing["versions"], missing["package_version"]) == ([], [], None)
    assert run.result("all")["changed"] is False
