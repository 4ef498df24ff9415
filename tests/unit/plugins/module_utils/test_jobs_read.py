"""jobs_read.py: the one "does not exist" rule that every read follows."""

from __future__ import annotations

import pytest
from botocore.exceptions import ClientError

from ansible_collections.iotops.aws.plugins.module_utils.jobs_read import when_missing


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
