"""The local endpoint's software package catalog follows AWS's documented
rules: the version lifecycle, what a published version keeps, default
versions, deletion, clientToken idempotency, pages, tags, and CreateJob's
destinationPackageVersions.  Plain boto3 clients against the endpoint."""

from __future__ import annotations

import json

import pytest
from botocore.exceptions import ClientError

from helpers import package_version
from local_endpoint import device

ARN = "arn:aws:iot:us-east-1:123456789012:package/fw"
# clientTokens are 36 to 64 characters.
TOKENS = ["token-{0}-{1}".format(n, "0" * 30) for n in range(4)]
ARTIFACT = {"s3Location": {"bucket": "firmware", "key": "fw-2.4.1.bin", "version": "3"}}


@pytest.fixture
def api(iot):
    return iot.client(attempts=1)


def refused(call, **kwargs):
    """(code, HTTP status, message) of a refused request."""
    with pytest.raises(ClientError) as raised:
        call(**kwargs)
    answer = raised.value.response
    return answer["Error"]["Code"], answer["ResponseMetadata"]["HTTPStatusCode"], answer["Error"]["Message"]


def status_of(api, version="2.4.1"):
    return api.get_package_version(packageName="fw", versionName=version)["status"]


def test_a_package_and_a_version_are_created_described_and_listed_with_their_tags(api):
    created = api.create_package(packageName="fw", description="firmware", tags={"team": "edge"})
    assert {key: created[key] for key in ("packageName", "packageArn", "description")} == {
        "packageName": "fw", "packageArn": ARN, "description": "firmware"}
    package = api.get_package(packageName="fw")
    assert package["creationDate"] == package["lastModifiedDate"] and "defaultVersionName" not in package

    version = api.create_package_version(packageName="fw", versionName="2.4.1", description="build 7",
                                         attributes={"channel": "beta"}, artifact=ARTIFACT, recipe="{}",
                                         tags={"build": "7"})
    assert (version["packageVersionArn"], version["status"], version["attributes"]) == (
        ARN + "/version/2.4.1", "DRAFT", {"channel": "beta"})
    described = api.get_package_version(packageName="fw", versionName="2.4.1")
    assert {key: described[key] for key in ("description", "attributes", "artifact", "recipe", "status")} == {
        "description": "build 7", "attributes": {"channel": "beta"}, "artifact": ARTIFACT, "recipe": "{}",
        "status": "DRAFT"}
    assert described["creationDate"] <= described["lastModifiedDate"]

    assert [p["packageName"] for p in api.list_packages()["packageSummaries"]] == ["fw"]
    summary, = api.list_package_versions(packageName="fw")["packageVersionSummaries"]
    assert (summary["versionName"], summary["status"]) == ("2.4.1", "DRAFT")
    assert api.list_tags_for_resource(resourceArn=ARN)["tags"] == [{"Key": "team", "Value": "edge"}]
    assert api.list_tags_for_resource(resourceArn=ARN + "/version/2.4.1")["tags"] == [{"Key": "build", "Value": "7"}]


@pytest.mark.parametrize("start, action, status", [
    ("DRAFT", "PUBLISH", "PUBLISHED"),
    ("PUBLISHED", "DEPRECATE", "DEPRECATED"),
    ("DEPRECATED", "PUBLISH", "PUBLISHED"),
])
def test_each_move_the_lifecycle_allows(iot, api, start, action, status):
    package_version(iot, "fw", "2.4.1", start)
    before = api.get_package_version(packageName="fw", versionName="2.4.1")["lastModifiedDate"]
    api.update_package_version(packageName="fw", versionName="2.4.1", action=action)
    after = api.get_package_version(packageName="fw", versionName="2.4.1")
    assert after["status"] == status and after["lastModifiedDate"] >= before


@pytest.mark.parametrize("start, action, message", [
    ("DRAFT", "DEPRECATE", "Package version fw/2.4.1 is DRAFT: DEPRECATE applies only to a PUBLISHED version."),
    ("PUBLISHED", "PUBLISH",
     "Package version fw/2.4.1 is PUBLISHED: PUBLISH applies only to a DRAFT or DEPRECATED version."),
    ("DEPRECATED", "DEPRECATE",
     "Package version fw/2.4.1 is DEPRECATED: DEPRECATE applies only to a PUBLISHED version."),
    ("PUBLISHED", "DRAFT", "action must be one of PUBLISH, DEPRECATE, not 'DRAFT'."),
])
def test_each_move_the_lifecycle_forbids_is_refused_and_changes_nothing(iot, api, start, action, message):
    package_version(iot, "fw", "2.4.1", start)
    assert refused(api.update_package_version, packageName="fw", versionName="2.4.1", action=action,
                   description="new") == ("ValidationException", 400, message)
    described = api.get_package_version(packageName="fw", versionName="2.4.1")
    assert described["status"] == start and "description" not in described


def test_a_draft_changes_everything_then_publishes_in_one_request(iot, api):
    package_version(iot, "fw", "2.4.1", "DRAFT", attributes={"channel": "beta"})
    api.update_package_version(packageName="fw", versionName="2.4.1", description="d", attributes={"channel": "ga"},
                               artifact=ARTIFACT, recipe="r", action="PUBLISH")
    described = api.get_package_version(packageName="fw", versionName="2.4.1")
    assert [described[key] for key in ("description", "attributes", "artifact", "recipe", "status")] == [
        "d", {"channel": "ga"}, ARTIFACT, "r", "PUBLISHED"]


@pytest.mark.parametrize("status", ["PUBLISHED", "DEPRECATED"])
def test_a_published_or_deprecated_version_changes_only_its_description_and_tags(iot, api, status):
    arn = package_version(iot, "fw", "2.4.1", status, attributes={"channel": "beta"})
    api.update_package_version(packageName="fw", versionName="2.4.1", description="notes")
    api.tag_resource(resourceArn=arn, tags=[{"Key": "state", "Value": "kept"}])
    assert api.get_package_version(packageName="fw", versionName="2.4.1")["description"] == "notes"
    assert api.list_tags_for_resource(resourceArn=arn)["tags"] == [{"Key": "state", "Value": "kept"}]
    for edit, named in ((dict(attributes={"channel": "ga"}), "attributes"), (dict(artifact=ARTIFACT), "artifact"),
                        (dict(recipe="r", attributes={}), "attributes, recipe")):
        assert refused(api.update_package_version, packageName="fw", versionName="2.4.1", **edit) == (
            "ValidationException", 400,
            "Package version fw/2.4.1 is {0}: only its description and tags can change, not {1}.".format(status, named))
    described = api.get_package_version(packageName="fw", versionName="2.4.1")
    assert described["attributes"] == {"channel": "beta"} and "artifact" not in described and "recipe" not in described


def test_the_default_version_is_a_published_or_deprecated_one_and_is_unset_explicitly(iot, api):
    package_version(iot, "fw", "draft", "DRAFT")
    package_version(iot, "fw", "published")
    package_version(iot, "fw", "deprecated", "DEPRECATED")
    assert refused(api.update_package, packageName="fw", defaultVersionName="draft") == (
        "ValidationException", 400,
        "Package version fw/draft is DRAFT: only a PUBLISHED or DEPRECATED version can be the default version.")
    assert refused(api.update_package, packageName="fw", defaultVersionName="missing") == (
        "ResourceNotFoundException", 404, "Package version fw/missing does not exist.")
    assert refused(api.update_package, packageName="fw", defaultVersionName="published", unsetDefaultVersion=True) == (
        "ValidationException", 400, "Give defaultVersionName or unsetDefaultVersion, not both.")
    assert "defaultVersionName" not in api.get_package(packageName="fw")
    for name in ("published", "deprecated"):
        api.update_package(packageName="fw", defaultVersionName=name, description="d")
        assert api.get_package(packageName="fw")["defaultVersionName"] == name
    assert api.list_packages()["packageSummaries"][0]["defaultVersionName"] == "deprecated"
    api.update_package(packageName="fw", unsetDefaultVersion=True)
    package = api.get_package(packageName="fw")
    assert "defaultVersionName" not in package and package["description"] == "d"


def test_deletion_waits_for_the_default_to_be_unset_and_the_versions_to_go(iot, api):
    arn = package_version(iot, "fw", "2.4.1")
    api.update_package(packageName="fw", defaultVersionName="2.4.1")
    assert refused(api.delete_package_version, packageName="fw", versionName="2.4.1") == (
        "ValidationException", 400, "Package version fw/2.4.1 is the default version of package fw: change or unset "
        "the default (UpdatePackage unsetDefaultVersion) before deleting it.")
    assert refused(api.delete_package, packageName="fw") == (
        "ValidationException", 400, "Package fw has versions: delete every version before the package.")
    api.update_package(packageName="fw", unsetDefaultVersion=True)
    api.delete_package_version(packageName="fw", versionName="2.4.1")
    assert refused(api.tag_resource, resourceArn=arn, tags=[{"Key": "k", "Value": "v"}])[:2] == (
        "ResourceNotFoundException", 404)
    api.delete_package(packageName="fw")
    assert api.list_packages()["packageSummaries"] == []
    assert refused(api.list_tags_for_resource, resourceArn=ARN) == (
        "ResourceNotFoundException", 404, "Resource {0} does not exist.".format(ARN))
    # DeletePackage and DeletePackageVersion document no ResourceNotFoundException.
    api.delete_package_version(packageName="fw", versionName="2.4.1")
    api.delete_package(packageName="fw")
    # A package created again under the name has none of the old one's tags.
    api.create_package(packageName="fw")
    assert api.list_tags_for_resource(resourceArn=ARN)["tags"] == []


def test_a_version_needs_its_package_and_missing_ones_are_not_found(api):
    assert refused(api.create_package_version, packageName="fw", versionName="2.4.1") == (
        "ResourceNotFoundException", 404, "Package fw does not exist.")
    assert refused(api.get_package, packageName="fw")[:2] == ("ResourceNotFoundException", 404)
    assert refused(api.list_package_versions, packageName="fw")[:2] == ("ResourceNotFoundException", 404)
    api.create_package(packageName="fw")
    assert refused(api.get_package_version, packageName="fw", versionName="2.4.1") == (
        "ResourceNotFoundException", 404, "Package version fw/2.4.1 does not exist.")
    assert refused(api.update_package_version, packageName="fw", versionName="2.4.1", action="PUBLISH")[:2] == (
        "ResourceNotFoundException", 404)
    assert refused(api.create_package, packageName="f w") == (
        "ValidationException", 400, "packageName 'f w' must match [a-zA-Z0-9_.-]{1,128}.")


def test_the_same_client_token_is_the_same_answer_and_another_is_a_conflict(api):
    first = api.create_package(packageName="fw", description="one", clientToken=TOKENS[0])
    again = api.create_package(packageName="fw", description="other", clientToken=TOKENS[0])
    assert {k: again[k] for k in ("packageName", "packageArn", "description")} == {
        k: first[k] for k in ("packageName", "packageArn", "description")}
    assert api.get_package(packageName="fw")["description"] == "one", "the repeat wrote nothing"
    assert refused(api.create_package, packageName="fw", clientToken=TOKENS[1]) == (
        "ConflictException", 409, "Package fw already exists.")

    created = api.create_package_version(packageName="fw", versionName="2.4.1", clientToken=TOKENS[2])
    assert api.create_package_version(packageName="fw", versionName="2.4.1", clientToken=TOKENS[2])["status"] == (
        created["status"])
    assert refused(api.create_package_version, packageName="fw", versionName="2.4.1") == (
        "ConflictException", 409, "Package version fw/2.4.1 already exists.")

    # A PUBLISH sent again with its token is answered as the first time; a new PUBLISH is refused.
    api.update_package_version(packageName="fw", versionName="2.4.1", action="PUBLISH", clientToken=TOKENS[3])
    api.update_package_version(packageName="fw", versionName="2.4.1", action="PUBLISH", clientToken=TOKENS[3])
    assert refused(api.update_package_version, packageName="fw", versionName="2.4.1", action="PUBLISH")[0] == (
        "ValidationException")
    assert len(api.list_package_versions(packageName="fw")["packageVersionSummaries"]) == 1


def test_both_lists_page_and_versions_filter_by_status(iot, api):
    for name in ("e", "c", "a", "d", "b"):
        api.create_package(packageName=name)
    pages = api.get_paginator("list_packages").paginate(PaginationConfig={"PageSize": 2})
    assert [[p["packageName"] for p in page["packageSummaries"]] for page in pages] == [["a", "b"], ["c", "d"], ["e"]]
    first = api.list_packages(maxResults=3)
    assert (len(first["packageSummaries"]), first["nextToken"]) == (3, "3")
    assert "nextToken" not in api.list_packages(maxResults=3, nextToken=first["nextToken"])
    assert refused(api.list_packages, maxResults=101)[:2] == ("ValidationException", 400)
    assert refused(api.list_packages, nextToken="not-a-token")[:2] == ("ValidationException", 400)

    for version, status in (("1", "DRAFT"), ("2", "PUBLISHED"), ("3", "DEPRECATED"), ("4", "PUBLISHED"),
                            ("5", "PUBLISHED")):
        package_version(iot, "a", version, status)
    pages = api.get_paginator("list_package_versions").paginate(packageName="a", status="PUBLISHED",
                                                                PaginationConfig={"PageSize": 2})
    assert [[v["versionName"] for v in page["packageVersionSummaries"]] for page in pages] == [["2", "4"], ["5"]]
    assert [v["versionName"] for v in api.list_package_versions(packageName="a", status="DEPRECATED")[
        "packageVersionSummaries"]] == ["3"]
    assert refused(api.list_package_versions, packageName="a", status="draft") == (
        "ValidationException", 400, "status must be one of DRAFT, PUBLISHED, DEPRECATED, not 'draft'.")


ROLE = "arn:aws:iam::123456789012:role/package-shadow"


def test_the_package_configuration_is_off_until_enabled(api):
    assert api.get_package_configuration()["versionUpdateByJobsConfig"] == {"enabled": False}
    api.update_package_configuration(versionUpdateByJobsConfig={"enabled": True, "roleArn": ROLE})
    assert api.get_package_configuration()["versionUpdateByJobsConfig"] == {"enabled": True, "roleArn": ROLE}
    api.update_package_configuration(versionUpdateByJobsConfig={"enabled": False})
    assert api.get_package_configuration()["versionUpdateByJobsConfig"] == {"enabled": False}
    api.update_package_configuration(versionUpdateByJobsConfig={"enabled": True})  # roleArn is optional
    assert api.get_package_configuration()["versionUpdateByJobsConfig"] == {"enabled": True}


def test_a_reset_empties_the_catalog(iot, api):
    package_version(iot, "fw", "2.4.1")
    iot.reset()
    assert api.list_packages()["packageSummaries"] == []


@pytest.mark.parametrize("status, message", [
    (None, "destinationPackageVersions: package version {arn} does not exist."),
    ("DRAFT", "destinationPackageVersions: package version {arn} is DRAFT; a job deploys only a PUBLISHED or "
              "DEPRECATED version."),
])
def test_create_job_refuses_a_package_version_that_is_missing_or_a_draft(iot, api, status, message):
    arn = package_version(iot, "fw", "2.4.1", status) if status else ARN + "/version/2.4.1"
    thing = iot.fleet.thing_arn("sensor-1")
    iot.fleet.ensure_things(["sensor-1"])
    assert refused(api.create_job, jobId="fw-1", targets=[thing], document="{}", destinationPackageVersions=[arn]) == (
        "InvalidRequestException", 400, message.format(arn=arn))
    assert api.list_jobs()["jobs"] == []


@pytest.mark.parametrize("status", ["PUBLISHED", "DEPRECATED"])
def test_create_job_deploys_a_published_or_deprecated_version(iot, api, status):
    arn = package_version(iot, "fw", "2.4.1", status)
    iot.fleet.ensure_things(["sensor-1"])
    api.create_job(jobId="fw-1", targets=[iot.fleet.thing_arn("sensor-1")], document="{}",
                   destinationPackageVersions=[arn])
    assert api.describe_job(jobId="fw-1")["job"]["destinationPackageVersions"] == [arn]


def test_a_throttled_create_package_version_writes_nothing(iot):
    iot.client().create_package(packageName="fw")
    iot.set_faults(throttle_rate=1.0, apis=["CreatePackageVersion"])
    with pytest.raises(ClientError) as raised:
        iot.client(attempts=2).create_package_version(packageName="fw", versionName="2.4.1")
    assert raised.value.response["Error"]["Code"] == "ThrottlingException"
    assert [call.fault for call in iot.calls("CreatePackageVersion")] == ["throttle", "throttle"]
    iot.faulty.clear()
    assert iot.client().list_package_versions(packageName="fw")["packageVersionSummaries"] == []


def test_a_create_whose_answer_was_lost_is_retried_with_its_token_into_one_version(iot):
    api = iot.client(attempts=3)
    api.create_package(packageName="fw")
    iot.set_faults(lose_answer_once=["CreatePackageVersion"])
    created = api.create_package_version(packageName="fw", versionName="2.4.1", description="build 7")
    assert created["status"] == "DRAFT" and created["description"] == "build 7"
    calls = iot.calls("CreatePackageVersion")
    assert [(call.attempt, call.fault) for call in calls] == [(1, "lose_answer"), (2, None)]
    assert calls[0].query == calls[1].query and "clientToken=" in calls[0].query, "botocore resent the same token"
    assert len(api.list_package_versions(packageName="fw")["packageVersionSummaries"]) == 1


def package_shadow(iot, thing):
    """The thing's reserved $package shadow's reported state, or None."""
    try:
        answer = iot.client("iot-data").get_thing_shadow(thingName=thing, shadowName="$package")
    except ClientError as failure:
        assert failure.response["Error"]["Code"] == "ResourceNotFoundException"
        return None
    return json.loads(answer["payload"].read())["state"]["reported"]


@pytest.mark.parametrize("config, reports", [
    ({"enabled": True, "roleArn": ROLE}, True),
    (None, False),
    ({"enabled": False, "roleArn": ROLE}, False),
    ({"enabled": True}, False),  # no role grants the jobs service the permission
], ids=["enabled", "default", "disabled", "no_role"])
def test_a_succeeded_execution_reports_the_versions_in_the_package_shadow_when_enabled(iot, api, config, reports):
    if config:
        api.update_package_configuration(versionUpdateByJobsConfig=config)
    versions = [package_version(iot, "fw", "2.4.1"), package_version(iot, "bootloader", "7", "DEPRECATED")]
    iot.fleet.ensure_things(["sensor-1", "sensor-2"])
    iot.fleet.set_devices(default=device("SUCCEEDED", start=0, finish=0),
                          devices={"sensor-2": device("FAILED", start=0, finish=0)})
    api.create_job(jobId="fw-1", targets=[iot.fleet.thing_arn("sensor-1"), iot.fleet.thing_arn("sensor-2")],
                   document="{}", destinationPackageVersions=versions)
    iot.fleet.settle("fw-1")
    expected = {"fw": {"version": "2.4.1"}, "bootloader": {"version": "7"}} if reports else None
    assert package_shadow(iot, "sensor-1") == expected
    assert package_shadow(iot, "sensor-2") is None, "a failed execution reports nothing"
