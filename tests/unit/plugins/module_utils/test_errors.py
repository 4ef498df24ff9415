"""errors.py: which failures are fatal, the one-line message, and the structured
fields error.code, error.message and response_metadata."""

from __future__ import annotations

import pytest
from botocore.exceptions import ClientError, EndpointConnectionError, NoCredentialsError, ReadTimeoutError

from ansible_collections.iotops.aws.plugins.module_utils.errors import (
    ConnectionSettingsError,
    RetryDeadlineReached,
    UnexpectedResponse,
    aws_errors,
    describe_error,
    error_code,
    error_fields,
    failure,
    is_fatal,
    redact,
)
from helpers import client_error

SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKEY"
TOKEN = "FwoGZXIvYXdzEXAMPLETOKEN"


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
    fields = error_fields(client_error("AccessDeniedException", 403, **meta))
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
                       RequestId="req-1")
    result = failure(exc, "Failed to describe job fw", [SECRET])
    assert SECRET not in repr(result)
    assert result["failed"] is True and result["changed"] is False
    assert result["msg"] == ("Failed to describe job fw: InvalidSignatureException: signature of ******** is wrong "
                             "(request id req-1)")
    assert result["error"]["message"] == "signature of ******** is wrong"


def test_a_retry_held_back_reports_the_failure_that_called_for_it():
    throttled = {"Error": {"Code": "ThrottlingException", "Message": "Rate exceeded"},
                 "ResponseMetadata": {"RequestId": "req-9", "HTTPStatusCode": 400}}
    held = RetryDeadlineReached("ThrottlingException: Rate exceeded (retry 2 not sent)", throttled)
    assert error_fields(held) == {"error": {"code": "ThrottlingException", "message": "Rate exceeded"},
                                  "response_metadata": {"request_id": "req-9", "http_status_code": 400}}
    unanswered = RetryDeadlineReached("retry not sent", EndpointConnectionError(endpoint_url="http://127.0.0.1:9"))
    assert error_fields(unanswered)["error"]["code"] == "EndpointConnectionError"


def answered_error(code, status, message="something went wrong", request_id="4f1c-req-id", retries=0):
    """A ClientError as botocore raises it after ``retries`` retries."""
    return client_error(code, status, message, RequestId=request_id, RetryAttempts=retries)


# -- classification and the one-line message ----------------------------------

@pytest.mark.parametrize(
    "error, fatal",
    [
        (answered_error("AccessDeniedException", 403), True),
        (answered_error("InvalidSignatureException", 403), True),
        (answered_error("UnauthorizedException", 401), True),
        (answered_error("ResourceNotFoundException", 404), True),
        (answered_error("InvalidRequestException", 400), True),
        (answered_error("ThrottlingException", 400), False),
        (answered_error("Throttling", 400), False),
        (answered_error("TooManyRequestsException", 429), False),
        (answered_error("RequestLimitExceeded", 400), False),
        (answered_error("ServiceUnavailableException", 503), False),
        (answered_error("InternalFailureException", 500), False),
        (ClientError({"Error": {"Code": "Odd"}}, "DescribeJob"), False),
        (EndpointConnectionError(endpoint_url="http://iot"), False),
        (ReadTimeoutError(endpoint_url="http://iot"), False),
        (NoCredentialsError(), False),
        (RetryDeadlineReached("late"), False),
        (UnexpectedResponse("garbage"), False),
        (ConnectionSettingsError("region is not set"), True),
    ],
    ids=lambda value: value if isinstance(value, bool) else error_code(value),
)
def test_is_fatal(error, fatal):
    assert is_fatal(error) is fatal


@pytest.mark.parametrize(
    "error, code",
    [
        (answered_error("AccessDeniedException", 403), "AccessDeniedException"),
        (ClientError({"Error": {}}, "DescribeJob"), "ClientError"),
        (EndpointConnectionError(endpoint_url="http://iot"), "EndpointConnectionError"),
        (ValueError("x"), "ValueError"),
    ],
)
def test_error_code(error, code):
    assert error_code(error) == code


def test_describe_error_of_an_aws_error_is_one_line_with_code_and_request_id():
    error = answered_error("AccessDeniedException", 403, message="User is not authorized\nto perform:\r\n  iot:DescribeJob",
                           request_id="6d1e-43b2")
    text = describe_error(error, "Failed to read job executions (job_id fw)")
    assert text == ("Failed to read job executions (job_id fw): AccessDeniedException: User is not authorized "
                    "to perform: iot:DescribeJob (request id 6d1e-43b2)")


def test_describe_error_counts_retries():
    text = describe_error(answered_error("ThrottlingException", 400, message="Rate exceeded", retries=2), "Failed")
    assert text.startswith("Failed: ThrottlingException: Rate exceeded (after 2 retries) (request id ")


def test_describe_error_falls_back_to_the_request_id_header():
    error = ClientError({"Error": {"Code": "Boom", "Message": "m"},
                         "ResponseMetadata": {"HTTPStatusCode": 500, "HTTPHeaders": {"x-amzn-requestid": "hdr-1"}}}, "Op")
    assert describe_error(error, "Failed").endswith("(request id hdr-1)")


@pytest.mark.parametrize(
    "error, expected",
    [
        (answered_error("InvalidSignatureException", 403, message="Signature for " + SECRET + " with " + TOKEN),
         "Failed: InvalidSignatureException: Signature for ******** with ******** (request id 4f1c-req-id)"),
        (ValueError("bad\nvalue {0}".format(SECRET)), "Failed: ValueError: bad value ********"),
        (ConnectionSettingsError("region is not set"), "Failed: region is not set"),
        (EndpointConnectionError(endpoint_url="http://127.0.0.1:9/jobs/fw"),
         'Failed: EndpointConnectionError: Could not connect to the endpoint URL: "http://127.0.0.1:9/jobs/fw"'),
    ],
    ids=["client-error", "other-error", "settings-error", "connection-error"],
)
def test_describe_error_redacts_secrets(error, expected):
    assert describe_error(error, "Failed", secrets=[SECRET, TOKEN, None, ""]) == expected


def test_redact_ignores_unset_secrets():
    assert redact("a  b\n c", secrets=(None, "")) == "a b c"


def test_aws_errors_cover_what_a_call_raises():
    caught = aws_errors()
    for error in (answered_error("X", 400), EndpointConnectionError(endpoint_url="x"), NoCredentialsError(),
                  ConnectionSettingsError("x"), RetryDeadlineReached("x"), UnexpectedResponse("x")):
        assert isinstance(error, caught)
