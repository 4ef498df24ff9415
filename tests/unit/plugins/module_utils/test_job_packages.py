"""job_packages.py: a new job's destination package versions, read once each
and refused in one line unless a job may deploy them."""

from __future__ import annotations

import boto3
import pytest
from botocore.stub import Stubber

from ansible_collections.iotops.aws.plugins.module_utils.iot_job_options import check_package_versions
from ansible_collections.iotops.aws.plugins.module_utils.job_packages import refuse_undeployable
from ansible_collections.iotops.aws.plugins.module_utils.validation import InvalidOption

PREFIX = "arn:aws:iot:us-east-1:123456789012:package/fw/version/"


def stubbed(statuses):
    """A client whose GetPackageVersion answers each version's status in turn (None: no such version)."""
    client = boto3.client("iot", region_name="us-east-1", endpoint_url="http://127.0.0.1:1",
                          aws_access_key_id="AKID", aws_secret_access_key="secret")
    stubber = Stubber(client)
    for version, status in statuses:
        expected = dict(packageName="fw", versionName=version)
        if status is None:
            stubber.add_client_error("get_package_version", "ResourceNotFoundException", http_status_code=404,
                                     expected_params=expected)
        else:
            stubber.add_response("get_package_version", dict(packageName="fw", versionName=version, status=status), expected)
    stubber.activate()
    return client, stubber


def test_published_versions_pass_after_one_read_each():
    client, stubber = stubbed([("1.0", "PUBLISHED"), ("1.1", "PUBLISHED")])
    refuse_undeployable(client, [PREFIX + "1.0", PREFIX + "1.1", PREFIX + "1.0"])
    stubber.assert_no_pending_responses()


def test_no_versions_reads_nothing():
    client, stubber = stubbed([])
    refuse_undeployable(client, None)
    refuse_undeployable(client, [])


def test_each_version_a_job_must_not_deploy_is_named_in_one_line():
    client, stubber = stubbed([("1.0", "PUBLISHED"), ("2.0", None), ("3.0", "DRAFT"), ("0.9", "DEPRECATED")])
    with pytest.raises(InvalidOption) as raised:
        refuse_undeployable(client, [PREFIX + version for version in ("1.0", "2.0", "3.0", "0.9")])
    assert str(raised.value) == (
        "destination_package_versions: version '2.0' of package 'fw' does not exist in us-east-1 at http://127.0.0.1:1; "
        "version '3.0' of package 'fw' is a draft, and AWS deploys only published versions: publish it first; "
        "version '0.9' of package 'fw' is deprecated: publish it again to roll it out")
    stubber.assert_no_pending_responses()


@pytest.mark.parametrize("value", ["fw-2.4.1", "arn:aws:iot:us-east-1:123456789012:package/fw",
                                   "arn:aws:iot:us-east-1:123456789012:thing/fw", PREFIX + "a b"])
def test_an_arn_that_is_not_a_package_versions_is_an_option_error(value):
    with pytest.raises(InvalidOption) as raised:
        check_package_versions([value])
    assert str(raised.value).startswith("destination_package_versions: {0!r} is not a package version ARN".format(value))
