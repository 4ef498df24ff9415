from __future__ import annotations

import socket

import boto3
import pytest
from botocore.exceptions import (
    ClientError,
    ConnectionClosedError,
    ConnectTimeoutError,
    EndpointConnectionError,
    NoCredentialsError,
    PartialCredentialsError,
    ProfileNotFound,
    ReadTimeoutError,
)

from ansible_collections.iotops.aws.plugins.module_utils.connection import (
    DEFAULT_BOTOCORE_CONFIG,
    botocore_config,
    check_connection_settings,
    iot_client,
    token_for_key,
)
from ansible_collections.iotops.aws.plugins.module_utils.errors import (
    ConnectionSettingsError,
    RetryDeadlineReached,
    UnexpectedResponse,
    aws_errors,
    describe_error,
    error_code,
    error_fields,
    is_fatal,
    redact,
)
from ansible_collections.iotops.aws.plugins.module_utils.retries import MAX_UNANSWERED_ATTEMPTS, RetryBounds

SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKEY"
TOKEN = "FwoGZXIvYXdzEXAMPLETOKEN"
CREDENTIALS = dict(access_key="AKIDEXAMPLE", secret_key=SECRET)


pytestmark = pytest.mark.usefixtures("aws_environment")


def client_error(code, status, message="something went wrong", request_id="4f1c-req-id", retries=0):
    response = {
        "Error": {"Code": code, "Message": message},
        "ResponseMetadata": {"RequestId": request_id, "HTTPStatusCode": status, "RetryAttempts": retries},
    }
    return ClientError(response, "DescribeJobExecution")


def closed_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# -- connection settings ----------------------------------------------------

@pytest.mark.parametrize(
    "settings, named",
    [
        (dict(profile="ops", access_key="AKID", secret_key=SECRET), ["profile", "access_key", "secret_key"]),
        (dict(profile="ops", session_token=TOKEN), ["profile", "session_token"]),
        (dict(profile="ops", access_key="AKID"), ["profile", "access_key"]),
        (dict(access_key="AKID"), ["access_key", "secret_key"]),
        (dict(access_key="AKID", session_token=TOKEN), ["access_key", "secret_key"]),
        (dict(secret_key=SECRET), ["secret_key", "access_key"]),
    ],
)
def test_inconsistent_credentials_are_refused_by_option_name(settings, named):
    with pytest.raises(ConnectionSettingsError) as raised:
        check_connection_settings(settings)
    message = str(raised.value)
    for option in named:
        assert option in message
    assert SECRET not in message and TOKEN not in message
    assert "\n" not in message


def test_access_key_without_secret_key_says_which_is_missing():
    with pytest.raises(ConnectionSettingsError, match="^access_key is set but secret_key is not"):
        check_connection_settings(dict(access_key="AKID", secret_key=None))


@pytest.mark.parametrize(
    "settings",
    [{}, dict(profile="ops"), dict(access_key="AKID", secret_key=SECRET),
     dict(access_key="AKID", secret_key=SECRET, session_token=TOKEN), dict(profile="ops", access_key="", secret_key=None)],
)
def test_consistent_credentials_pass(settings):
    check_connection_settings(settings)


# -- botocore configuration ---------------------------------------------------

def test_botocore_config_defaults():
    config = botocore_config()
    assert config.retries == DEFAULT_BOTOCORE_CONFIG["retries"]
    assert (config.connect_timeout, config.read_timeout) == (5, 10)


@pytest.mark.parametrize(
    "aws_config, expected",
    [
        ({"read_timeout": 20}, dict(read_timeout=20, connect_timeout=5, retries={"mode": "standard", "total_max_attempts": 15})),
        ({"retries": {"mode": "adaptive", "total_max_attempts": 5}},
         dict(read_timeout=10, connect_timeout=5, retries={"mode": "adaptive", "total_max_attempts": 5})),
        ({"connect_timeout": 1, "user_agent_extra": "gate"},
         dict(read_timeout=10, connect_timeout=1, user_agent_extra="gate")),
    ],
)
def test_user_aws_config_overrides_the_defaults(aws_config, expected):
    config = botocore_config(aws_config)
    for name, value in expected.items():
        assert getattr(config, name) == value


@pytest.mark.parametrize(
    "aws_config",
    [
        {"no_such_setting": 1},
        {"retries": {"mode": "fastest"}},
        {"retries": {"total_max_attempts": 0}},
        {"retries": "standard"},
        {"read_timeout": "long"},
        {"connect_timeout": -1},
        {"read_timeout": None},
    ],
    ids=["unknown-key", "unknown-retry-mode", "zero-attempts", "retries-not-a-dict", "timeout-not-a-number",
         "negative-timeout", "no-read-timeout"],
)
def test_bad_aws_config_is_a_settings_error(aws_config):
    with pytest.raises(ConnectionSettingsError, match="^aws_config: "):
        botocore_config(aws_config)


@pytest.mark.parametrize("aws_config, message", [
    ({"retries": {"max_attempts": "x"}}, "aws_config: retries.max_attempts must be an integer, got 'x'"),
    ({"retries": {"total_max_attempts": None}}, "aws_config: retries.total_max_attempts must be an integer, got None"),
    ({"retries": {"total_max_attempts": True}}, "aws_config: retries.total_max_attempts must be an integer, got True"),
    ({"retries": {"mode": 5}}, "aws_config: retries.mode must be a string, got 5"),
    ({"retries": ["standard"]}, "aws_config: retries must be a dictionary, got ['standard']"),
    ({"max_pool_connections": "x"}, "aws_config: max_pool_connections must be an integer, got 'x'"),
    ({"read_timeout": [1]}, "aws_config: read_timeout must be a number, got [1]"),
    ({"tcp_keepalive": "yes"}, "aws_config: tcp_keepalive must be true or false, got 'yes'"),
    ({"user_agent_extra": 5}, "aws_config: user_agent_extra must be a string, got 5"),
    ({"proxies": "http://proxy"}, "aws_config: proxies must be a dictionary, got 'http://proxy'"),
    ({"client_cert": ["a.pem"]}, "aws_config: client_cert must be a path, or a list of the certificate's and the "
                                 "key's paths, got ['a.pem']"),
    ({"retry": {}, "zzz": 1}, "aws_config: retry, zzz is not a setting of botocore's Config"),
])
def test_a_wrong_type_in_aws_config_names_the_setting_and_its_type(aws_config, message):
    with pytest.raises(ConnectionSettingsError) as raised:
        botocore_config(aws_config)
    assert str(raised.value) == message


def test_right_types_in_aws_config_pass():
    config = botocore_config({"retries": {"mode": "adaptive", "max_attempts": 3}, "read_timeout": 2.5,
                              "tcp_keepalive": True, "client_cert": ["c.pem", "k.pem"], "user_agent_extra": "gate"})
    assert config.retries["mode"] == "adaptive" and config.tcp_keepalive is True


# -- the client ---------------------------------------------------------------

@pytest.mark.parametrize(
    "settings, option",
    [
        (dict(endpoint_url="not a url"), "endpoint_url"),
        (dict(endpoint_url="ftp://iot.example.com"), "endpoint_url"),
        (dict(endpoint_url="https://"), "endpoint_url"),
        (dict(region="us east 1"), "region"),
    ],
)
def test_a_bad_endpoint_or_region_is_a_settings_error(settings, option):
    with pytest.raises(ConnectionSettingsError, match="^{0}: ".format(option)):
        iot_client(dict(CREDENTIALS, **dict(dict(region="us-east-1"), **settings)))


def test_client_without_region_fails_before_any_client_exists(monkeypatch):
    made = []
    monkeypatch.setattr(boto3.session.Session, "client", lambda *args, **kwargs: made.append(args))
    with pytest.raises(ConnectionSettingsError, match="^region is not set"):
        iot_client(dict(CREDENTIALS, endpoint_url="http://127.0.0.1:9"))
    assert made == []


@pytest.mark.parametrize(
    "settings, option",
    [
        (dict(region="us-east-1", profile="no-such-profile"), "profile"),
        (dict(CREDENTIALS, region="us-east-1", aws_config={"retries": {"mode": "fastest"}}), "aws_config"),
        (dict(CREDENTIALS, region="us-east-1", profile="ops"), "profile"),
    ],
)
def test_client_settings_errors_name_the_option(settings, option):
    with pytest.raises(ConnectionSettingsError) as raised:
        iot_client(settings)
    assert option in str(raised.value)


def test_client_region_from_the_environment(monkeypatch):
    monkeypatch.setenv("AWS_DEFAULT_REGION", "eu-central-1")
    assert iot_client(dict(CREDENTIALS)).meta.region_name == "eu-central-1"


def test_client_uses_settings():
    client = iot_client(dict(CREDENTIALS, session_token=TOKEN, region="ap-south-1", endpoint_url="http://127.0.0.1:9",
                             aws_config={"read_timeout": 3}))
    assert client.meta.region_name == "ap-south-1"
    assert client.meta.endpoint_url == "http://127.0.0.1:9"
    assert client.meta.config.read_timeout == 3
    assert client.meta.config.retries["total_max_attempts"] == 15
    credentials = client._request_signer._credentials.get_frozen_credentials()
    assert (credentials.access_key, credentials.secret_key, credentials.token) == ("AKIDEXAMPLE", SECRET, TOKEN)


@pytest.mark.parametrize(
    "settings, verify",
    [
        ({}, None),
        (dict(validate_certs=True, aws_ca_bundle="/etc/ca.pem"), "/etc/ca.pem"),
        (dict(validate_certs=False, aws_ca_bundle="/etc/ca.pem"), False),
        (dict(validate_certs=False), False),
    ],
)
def test_certificate_checks(monkeypatch, settings, verify):
    seen = {}
    real_client = boto3.session.Session.client

    def client(self, *args, **kwargs):
        seen.update(kwargs)
        return real_client(self, *args, **kwargs)

    monkeypatch.setattr(boto3.session.Session, "client", client)
    iot_client(dict(CREDENTIALS, region="us-east-1", **settings))
    assert seen["verify"] == verify


def attempts_sent(client):
    attempts = []
    client.meta.events.register("before-send.iot", lambda request, **kwargs: attempts.append(request) and None)
    return attempts


def test_client_stops_after_the_unanswered_attempts_cap():
    client = iot_client(dict(CREDENTIALS, region="us-east-1", endpoint_url="http://127.0.0.1:{0}".format(closed_port())))
    attempts = attempts_sent(client)
    with pytest.raises(EndpointConnectionError):
        client.describe_job(jobId="fw")
    assert client.meta.config.retries["total_max_attempts"] > MAX_UNANSWERED_ATTEMPTS
    assert len(attempts) == MAX_UNANSWERED_ATTEMPTS


def test_client_sends_no_retry_after_the_deadline():
    now = [100.0]
    bounds = RetryBounds(clock=lambda: now[0])
    bounds.not_after = 99.0
    client = iot_client(dict(CREDENTIALS, region="us-east-1", endpoint_url="http://127.0.0.1:{0}".format(closed_port())),
                        retry_bounds=bounds)
    attempts = attempts_sent(client)
    with pytest.raises(RetryDeadlineReached):
        client.describe_job(jobId="fw")
    # The first attempt goes out whatever the time; only retries are held back.
    assert len(attempts) == 1


def test_client_without_credentials_fails_on_the_call():
    client = iot_client(dict(region="us-east-1", endpoint_url="http://127.0.0.1:{0}".format(closed_port())))
    with pytest.raises(NoCredentialsError):
        client.describe_job(jobId="fw")


# -- retry bounds, fed botocore's events --------------------------------------

def unanswered_errors():
    return [
        EndpointConnectionError(endpoint_url="http://iot"),
        ConnectTimeoutError(endpoint_url="http://iot"),
        ReadTimeoutError(endpoint_url="http://iot"),
    ]


@pytest.mark.parametrize("error", unanswered_errors(), ids=lambda e: type(e).__name__)
def test_unanswered_attempts_stop_at_the_cap(error):
    bounds = RetryBounds(max_unanswered=3)
    request = {"context": {}}
    assert bounds.on_needs_retry(caught_exception=error, request_dict=request) is None
    assert bounds.on_needs_retry(caught_exception=error, request_dict=request) is None
    with pytest.raises(type(error)) as raised:
        bounds.on_needs_retry(caught_exception=error, request_dict=request)
    assert raised.value is error


def test_mixed_unanswered_errors_count_together():
    bounds = RetryBounds(max_unanswered=3)
    request = {}
    first, second, third = unanswered_errors()
    bounds.on_needs_retry(caught_exception=first, request_dict=request)
    bounds.on_needs_retry(caught_exception=second, request_dict=request)
    with pytest.raises(ReadTimeoutError):
        bounds.on_needs_retry(caught_exception=third, request_dict=request)


def test_answered_faults_do_not_count():
    bounds = RetryBounds(max_unanswered=2)
    request = {"context": {}}
    for _attempt in range(5):
        assert bounds.on_needs_retry(caught_exception=None, request_dict=request, response=({}, {})) is None
        assert bounds.on_needs_retry(caught_exception=ConnectionClosedError(endpoint_url="http://iot"),
                                     request_dict=request) is None
    assert bounds.on_needs_retry(caught_exception=EndpointConnectionError(endpoint_url="x"), request_dict=request) is None
    with pytest.raises(EndpointConnectionError):
        bounds.on_needs_retry(caught_exception=EndpointConnectionError(endpoint_url="x"), request_dict=request)


def test_each_call_has_its_own_count():
    bounds = RetryBounds(max_unanswered=2)
    first_call, second_call = {"context": {}}, {"context": {}}
    error = EndpointConnectionError(endpoint_url="x")
    assert bounds.on_needs_retry(caught_exception=error, request_dict=first_call) is None
    assert bounds.on_needs_retry(caught_exception=error, request_dict=second_call) is None
    with pytest.raises(EndpointConnectionError):
        bounds.on_needs_retry(caught_exception=error, request_dict=first_call)


def answer(status, message, code=None):
    """A parsed error answer, as botocore gives it to needs-retry handlers."""
    return {"Error": {"Code": code or str(status), "Message": message},
            "ResponseMetadata": {"HTTPStatusCode": status}}


class FakeOperation:
    name = "DescribeJob"


@pytest.mark.parametrize("parsed", [
    answer(501, ""),
    answer(500, "The describe_job action has not been implemented"),
    answer(503, "nope", code="NotImplementedException"),
])
def test_an_operation_the_endpoint_lacks_is_not_retried(parsed):
    bounds = RetryBounds()
    with pytest.raises(ClientError) as raised:
        bounds.on_needs_retry(response=(None, parsed), request_dict={}, operation=FakeOperation())
    assert raised.value.response is parsed and raised.value.operation_name == "DescribeJob"
    assert is_fatal(raised.value)


@pytest.mark.parametrize("parsed", [answer(500, "<html><title>500 Internal Server Error</title></html>"),
                                    answer(503, "Service Unavailable", code="ServiceUnavailableException")])
def test_other_server_errors_are_left_to_botocore(parsed):
    assert RetryBounds().on_needs_retry(response=(None, parsed), request_dict={}, operation=FakeOperation()) is None


def test_no_request_dict_is_left_to_botocore():
    bounds = RetryBounds(max_unanswered=1)
    assert bounds.on_needs_retry(caught_exception=EndpointConnectionError(endpoint_url="x"), request_dict=None) is None


class FakeRequest:
    def __init__(self, header=None):
        self.headers = {} if header is None else {"amz-sdk-request": header}


@pytest.mark.parametrize(
    "not_after, now, header, held_back",
    [
        (None, 1000.0, "attempt=5; max=15", False),
        (50.0, 49.0, "attempt=5; max=15", False),
        (50.0, 50.0, "attempt=5; max=15", False),
        (50.0, 51.0, "attempt=1; max=15", False),
        (50.0, 51.0, None, False),
        (50.0, 51.0, "attempt=2; max=15", True),
        (50.0, 51.0, b"attempt=2; max=15", True),
        (50.0, 51.0, "ttl=20260101T000000Z; attempt=12; max=15", True),
    ],
)
def test_retries_after_the_deadline_are_held_back(not_after, now, header, held_back):
    bounds = RetryBounds(clock=lambda: now)
    bounds.not_after = not_after
    if held_back:
        with pytest.raises(RetryDeadlineReached):
            bounds.on_before_send(request=FakeRequest(header))
    else:
        assert bounds.on_before_send(request=FakeRequest(header)) is None


@pytest.mark.parametrize(
    "failure, cause",
    [
        (dict(caught_exception=ReadTimeoutError(endpoint_url="http://iot/jobs/fw")),
         'ReadTimeoutError: Read timeout on endpoint URL: "http://iot/jobs/fw"'),
        (dict(response=(None, {"Error": {"Code": "ThrottlingException", "Message": "Rate exceeded"}})),
         "ThrottlingException: Rate exceeded"),
    ],
)
def test_a_retry_held_back_names_the_failure_that_called_for_it(failure, cause):
    bounds = RetryBounds(clock=lambda: 51.0)
    bounds.not_after = 50.0
    bounds.on_needs_retry(request_dict={}, **failure)
    with pytest.raises(RetryDeadlineReached) as raised:
        bounds.on_before_send(request=FakeRequest("attempt=2; max=15"))
    assert str(raised.value).startswith(cause + " (retry 2 not sent")


# -- errors --------------------------------------------------------------------

@pytest.mark.parametrize(
    "error, fatal",
    [
        (client_error("AccessDeniedException", 403), True),
        (client_error("InvalidSignatureException", 403), True),
        (client_error("UnauthorizedException", 401), True),
        (client_error("ResourceNotFoundException", 404), True),
        (client_error("InvalidRequestException", 400), True),
        (client_error("ThrottlingException", 400), False),
        (client_error("Throttling", 400), False),
        (client_error("TooManyRequestsException", 429), False),
        (client_error("RequestLimitExceeded", 400), False),
        (client_error("ServiceUnavailableException", 503), False),
        (client_error("InternalFailureException", 500), False),
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
        (client_error("AccessDeniedException", 403), "AccessDeniedException"),
        (ClientError({"Error": {}}, "DescribeJob"), "ClientError"),
        (EndpointConnectionError(endpoint_url="http://iot"), "EndpointConnectionError"),
        (ValueError("x"), "ValueError"),
    ],
)
def test_error_code(error, code):
    assert error_code(error) == code


def test_describe_error_of_an_aws_error_is_one_line_with_code_and_request_id():
    error = client_error("AccessDeniedException", 403, message="User is not authorized\nto perform:\r\n  iot:DescribeJob",
                         request_id="6d1e-43b2")
    text = describe_error(error, "Failed to read job executions (job_id fw)")
    assert text == ("Failed to read job executions (job_id fw): AccessDeniedException: User is not authorized "
                    "to perform: iot:DescribeJob (request id 6d1e-43b2)")


def test_describe_error_counts_retries():
    text = describe_error(client_error("ThrottlingException", 400, message="Rate exceeded", retries=2), "Failed")
    assert text.startswith("Failed: ThrottlingException: Rate exceeded (after 2 retries) (request id ")


def test_describe_error_falls_back_to_the_request_id_header():
    error = ClientError({"Error": {"Code": "Boom", "Message": "m"},
                         "ResponseMetadata": {"HTTPStatusCode": 500, "HTTPHeaders": {"x-amzn-requestid": "hdr-1"}}}, "Op")
    assert describe_error(error, "Failed").endswith("(request id hdr-1)")


@pytest.mark.parametrize(
    "error, expected",
    [
        (client_error("InvalidSignatureException", 403, message="Signature for " + SECRET + " with " + TOKEN),
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
    error = ClientError(answer(502, message), "DescribeJob")
    assert describe_error(error, "Failed") == "Failed: 502: " + says
    assert error_fields(error)["error"] == {"code": "502", "message": says}


def test_an_aws_error_keeps_its_own_message():
    error = ClientError(answer(400, "Job <fw> is odd", code="InvalidRequestException"), "DescribeJob")
    assert describe_error(error, "Failed") == "Failed: InvalidRequestException: Job <fw> is odd"


def test_redact_ignores_unset_secrets():
    assert redact("a  b\n c", secrets=(None, "")) == "a b c"


def test_aws_errors_cover_what_a_call_raises():
    caught = aws_errors()
    for error in (client_error("X", 400), EndpointConnectionError(endpoint_url="x"), NoCredentialsError(),
                  ConnectionSettingsError("x"), RetryDeadlineReached("x"), UnexpectedResponse("x")):
        assert isinstance(error, caught)


def test_aws_config_retries_merge_key_by_key():
    config = botocore_config({"retries": {"mode": "adaptive"}})
    assert config.retries == {"mode": "adaptive", "total_max_attempts": 15}


TOKEN_PAIRING = [
    # (settings, environment, token that travels)
    ({"access_key": "AKENV", "session_token": "tok-env"}, {"AWS_ACCESS_KEY_ID": "AKENV", "AWS_SECURITY_TOKEN": "tok-env"}, "tok-env"),
    ({"access_key": "AKMINE", "session_token": "tok-env"}, {"AWS_ACCESS_KEY_ID": "AKENV", "AWS_SESSION_TOKEN": "tok-env"}, None),
    ({"access_key": "AKMINE", "session_token": "tok-mine"}, {"AWS_ACCESS_KEY_ID": "AKENV", "AWS_SESSION_TOKEN": "tok-env"}, "tok-mine"),
    ({"access_key": "AKMINE", "session_token": "tok-mine"}, {}, "tok-mine"),
]


@pytest.mark.parametrize("settings, environ, token", TOKEN_PAIRING)
def test_an_environment_token_travels_only_with_the_environment_key(settings, environ, token):
    assert token_for_key(settings, environ).get("session_token") == token
