"""errors.py: which failures are fatal, the one-line message, and the structured
fields error.code, error.message and response_metadata."""

from __future__ import annotations

import pytest
from botocore.exceptions import (
    ClientError,
    EndpointConnectionError,
    NoCredentialsError,
    PartialCredentialsError,
    ProfileNotFound,
    ReadTimeoutError,
)

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
        # No later poll finds credentials that are missing or refused.
        (NoCredentialsError(), True),
        (PartialCredentialsError(provider="env", cred_var="AWS_SECRET_ACCESS_KEY"), True),
        (ProfileNotFound(profile="ops"), True),
        (client_error("ExpiredTokenException", 403), True),
        (client_error("ExpiredToken", 400), True),
        (client_error("UnrecognizedClientException", 403), True),
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
         "Failed: InvalidSignatureException: Signature for ******** with ********: the request signature does not "
         "match: check secret_key (or AWS_SECRET_ACCESS_KEY) or the profile, and the clock of the host "
         "(request id 4f1c-req-id)"),
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


@pytest.mark.parametrize(
    "error, says",
    [
        (NoCredentialsError(), "no AWS credentials found: set access_key and secret_key (or AWS_ACCESS_KEY_ID and "
                               "AWS_SECRET_ACCESS_KEY), or profile (or AWS_PROFILE)"),
        (PartialCredentialsError(provider="env", cred_var="AWS_SECRET_ACCESS_KEY"), "missing: AWS_SECRET_ACCESS_KEY"),
        (client_error("ExpiredTokenException", 403, message="The security token included in the request is expired"),
         "the session token has expired: set fresh access_key, secret_key and session_token"),
        (client_error("UnrecognizedClientException", 403), "check access_key and session_token"),
    ],
    ids=lambda value: error_code(value) if isinstance(value, Exception) else "",
)
def test_describe_error_says_what_to_set_for_credentials(error, says):
    text = describe_error(error, "Failed to poll job fw")
    assert text.startswith("Failed to poll job fw: {0}: ".format(error_code(error)))
    assert says in text and "\n" not in text


@pytest.mark.parametrize("message, says", [
    ("<!doctype html>\n<html lang=en>\n<title>502 Bad\n Gateway</title>\n<h1>Bad Gateway</h1>",
     "DescribeJob answered HTTP 502 with an HTML page titled '502 Bad Gateway', not an AWS error"),
    ("<html><body><p>oops</p></body></html>", "DescribeJob answered HTTP 502 with an HTML page, not an AWS error"),
    ("upstream connect error\n", "DescribeJob answered HTTP 502 with the text 'upstream connect error', not an AWS error"),
    ("", "DescribeJob answered HTTP 502 with an empty body, not an AWS error"),
])
def test_an_error_body_that_is_not_json_is_one_line_without_markup(message, says):
    error = client_error("502", 502, message=message)
    assert describe_error(error, "Failed") == "Failed: 502: " + says
    assert error_fields(error)["error"] == {"code": "502", "message": says}


def test_an_aws_error_keeps_its_own_message():
    error = client_error("InvalidRequestException", 400, message="Job <fw> is odd")
    assert describe_error(error, "Failed") == "Failed: InvalidRequestException: Job <fw> is odd"
