"""jobs_read.py: the one "does not exist" rule that every read follows, and where it looked."""

from __future__ import annotations

import boto3
import pytest
from botocore.exceptions import ClientError

from ansible_collections.iotops.aws.plugins.module_utils.jobs_read import location_text, when_missing


def aws_error(code):
    return ClientError({"Error": {"Code": code, "Message": "m"}, "ResponseMetadata": {"HTTPStatusCode": 404}}, "DescribeJob")


def raising(error):
    raise error


def test_a_missing_resource_reads_as_the_default():
    assert when_missing()(raising)(aws_error("ResourceNotFoundException")) is None
    assert when_missing((None, None))(raising)(aws_error("ResourceNotFoundException")) == (None, None)


@pytest.mark.parametrize("code", ["AccessDeniedException", "ThrottlingException", "InvalidRequestException"])
def test_every_other_error_passes(code):
    with pytest.raises(ClientError):
        when_missing()(raising)(aws_error(code))


def test_a_list_stops_at_a_missing_resource_with_what_it_had():
    @when_missing()
    def pages(code):
        yield 1
        yield 2
        raise aws_error(code)

    assert list(pages("ResourceNotFoundException")) == [1, 2]
    with pytest.raises(ClientError):
        list(pages("AccessDeniedException"))


@pytest.mark.parametrize("settings, where", [
    (dict(region_name="us-west-2"), "in us-west-2"),
    (dict(region_name="cn-north-1"), "in cn-north-1"),
    (dict(region_name="us-east-1", endpoint_url="http://127.0.0.1:5000"), "in us-east-1 at http://127.0.0.1:5000"),
    (dict(region_name="eu-west-1", endpoint_url="https://iot.us-east-1.amazonaws.com"),
     "in eu-west-1 at https://iot.us-east-1.amazonaws.com"),
])
def test_a_missing_resource_is_placed_by_region_and_any_endpoint_of_ones_own(settings, where):
    client = boto3.client("iot", aws_access_key_id="AKID", aws_secret_access_key="secret", **settings)
    assert location_text(client) == where


def test_a_client_without_a_region_is_placed_nowhere():
    assert location_text(object()) == ""
