"""retries.py: the bounds on botocore's retries, fed botocore's own events."""

from __future__ import annotations

import pytest
from botocore.exceptions import (
    ClientError,
    ConnectionClosedError,
    ConnectTimeoutError,
    EndpointConnectionError,
    ReadTimeoutError,
)

from ansible_collections.iotops.aws.plugins.module_utils.errors import RetryDeadlineReached, is_fatal
from ansible_collections.iotops.aws.plugins.module_utils.retries import RetryBounds
from helpers import client_error


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


def answer(status, message, code=None):
    """A parsed error answer, as botocore gives it to needs-retry handlers."""
    return client_error(code or str(status), status, message=message).response


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
