"""Writes: what they send, and that "not found" is a failure, not None."""

from __future__ import annotations

import pytest
from botocore.exceptions import ClientError

from ansible_collections.iotops.aws.plugins.module_utils.errors import UnexpectedResponse, error_code, error_fields
from ansible_collections.iotops.aws.plugins.module_utils.job_plan import cancel_job_request
from ansible_collections.iotops.aws.plugins.module_utils.jobs_write import cancel_job

ARN = "arn:aws:iot:us-east-1:123456789012:job/fw"


class FakeClient:
    """Records each call's arguments and answers from ``answer`` (raised when an exception)."""

    def __init__(self, answer):
        self.answer = answer
        self.calls = []

    def cancel_job(self, **kwargs):
        self.calls.append(kwargs)
        if isinstance(self.answer, Exception):
            raise self.answer
        return self.answer


@pytest.mark.parametrize("kwargs, sent", [
    ({}, {"jobId": "fw", "force": False}),
    ({"reason_code": "BAD_FIRMWARE", "comment": "rolled back", "force": True},
     {"jobId": "fw", "reasonCode": "BAD_FIRMWARE", "comment": "rolled back", "force": True}),
])
def test_cancel_job_sends_only_what_is_given(kwargs, sent):
    client = FakeClient({"jobId": "fw", "jobArn": ARN, "description": "firmware 2.4.1"})
    assert cancel_job(client, cancel_job_request("fw", **kwargs)) == {"job_id": "fw", "job_arn": ARN, "description": "firmware 2.4.1"}
    assert client.calls == [sent]


def test_cancelling_a_missing_job_is_an_error_with_its_code_and_request_id():
    missing = ClientError({"Error": {"Code": "ResourceNotFoundException", "Message": "Job fw not found"},
                           "ResponseMetadata": {"RequestId": "req-404", "HTTPStatusCode": 404}}, "CancelJob")
    with pytest.raises(ClientError) as raised:
        cancel_job(FakeClient(missing), cancel_job_request("fw"))
    assert error_code(raised.value) == "ResourceNotFoundException"
    assert error_fields(raised.value)["response_metadata"]["request_id"] == "req-404"


@pytest.mark.parametrize("answer", [{}, {"jobId": None}, ValueError("Expecting value: line 1 column 1")])
def test_an_unreadable_answer_is_unexpected(answer):
    with pytest.raises(UnexpectedResponse, match="CancelJob answered"):
        cancel_job(FakeClient(answer), cancel_job_request("fw"))
