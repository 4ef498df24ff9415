"""The structured failure fields: error.code, error.message and response_metadata."""

from __future__ import annotations

import pytest
from botocore.exceptions import ClientError, EndpointConnectionError

from ansible_collections.iotops.aws.plugins.module_utils.errors import (
    ConnectionSettingsError,
    RetryDeadlineReached,
    error_fields,
    failure,
)

SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKEY"


def client_error(code, status, message="denied", meta=None):
    response = {"Error": {"Code": code, "Message": message},
                "ResponseMetadata": dict({"HTTPStatusCode": status}, **(meta or {}))}
    return ClientError(response, "DescribeJob")


@pytest.mark.parametrize("meta, expected", [
    ({"RequestId": "req-1", "RetryAttempts": 0},
     {"request_id": "req-1", "http_status_code": 403, "retry_attempts": 0}),
    ({"RequestId": "req-2", "HostId": "host-9", "RetryAttempts": 14},
     {"request_id": "req-2", "host_id": "host-9", "http_status_code": 403, "retry_attempts": 14}),
    # The request id from the header when the body had none; the headers themselves stay out.
    ({"HTTPHeaders": {"x-amzn-requestid": "req-3", "set-cookie": "session=1"}},
     {"request_id": "req-3", "http_status_code": 403}),
])
def test_an_aws_answer_gives_code_message_and_metadata(meta, expected):
    fields = error_fields(client_error("AccessDeniedException", 403, meta=meta))
    assert fields == {"error": {"code": "AccessDeniedException", "message": "denied"}, "response_metadata": expected}


@pytest.mark.parametrize("exc, code", [
    (EndpointConnectionError(endpoint_url="http://127.0.0.1:9"), "EndpointConnectionError"),
    (ConnectionSettingsError("region is not set"), "ConnectionSettingsError"),
])
def test_no_answer_gives_the_class_as_code_and_no_metadata(exc, code):
    fields = error_fields(exc)
    assert fields["error"]["code"] == code and "response_metadata" not in fields


def test_secrets_are_redacted_from_every_field():
    exc = client_error("InvalidSignatureException", 403, message="signature of {0} is wrong".format(SECRET),
                       meta={"RequestId": "req-1"})
    result = failure(exc, "Failed to describe job fw", [SECRET])
    assert SECRET not in repr(result)
    assert result["failed"] is True and result["changed"] is False
    assert result["msg"].startswith("Failed to describe job fw: InvalidSignatureException: signature of ******** is "
                                    "wrong: the request signature does not match: check secret_key")
    assert result["msg"].endswith("(request id req-1)")
    assert result["error"]["message"] == "signature of ******** is wrong"


def test_a_retry_held_back_reports_the_failure_that_called_for_it():
    throttled = {"Error": {"Code": "ThrottlingException", "Message": "Rate exceeded"},
                 "ResponseMetadata": {"RequestId": "req-9", "HTTPStatusCode": 400}}
    held = RetryDeadlineReached("ThrottlingException: Rate exceeded (retry 2 not sent)", throttled)
    assert error_fields(held) == {"error": {"code": "ThrottlingException", "message": "Rate exceeded"},
                                  "response_metadata": {"request_id": "req-9", "http_status_code": 400}}
    unanswered = RetryDeadlineReached("retry not sent", EndpointConnectionError(endpoint_url="http://127.0.0.1:9"))
    assert error_fields(unanswered)["error"]["code"] == "EndpointConnectionError"
