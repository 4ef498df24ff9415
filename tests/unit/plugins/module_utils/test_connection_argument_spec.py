"""Credentials taken from the environment through the argument spec reach boto3 whole."""

from __future__ import annotations

import pytest
from ansible.module_utils.common.arg_spec import ArgumentSpecValidator

from ansible_collections.iotops.aws.plugins.module_utils.connection import CONNECTION_ARGUMENT_SPEC, iot_client
from ansible_collections.iotops.aws.plugins.module_utils.errors import ConnectionSettingsError

DUMMY_ENDPOINT = "http://127.0.0.1:9"


def validated(parameters=None):
    result = ArgumentSpecValidator(CONNECTION_ARGUMENT_SPEC).validate(dict(parameters or {}))
    assert not result.error_messages
    return result


def signing_credentials(client):
    return client._request_signer._credentials.get_frozen_credentials()


@pytest.mark.parametrize(
    "variables, token",
    [
        # What AWX's Amazon Web Services credential injects.
        (dict(AWS_ACCESS_KEY_ID="AKIDAWX", AWS_SECRET_ACCESS_KEY="awx-secret", AWS_SECURITY_TOKEN="awx-token"), "awx-token"),
        (dict(AWS_ACCESS_KEY_ID="AKIDAWX", AWS_SECRET_ACCESS_KEY="awx-secret", AWS_SESSION_TOKEN="sts-token"), "sts-token"),
        (dict(AWS_ACCESS_KEY_ID="AKIDAWX", AWS_SECRET_ACCESS_KEY="awx-secret", AWS_SESSION_TOKEN="sts-token",
              AWS_SECURITY_TOKEN="awx-token"), "sts-token"),
        (dict(AWS_ACCESS_KEY="AKIDAWX", AWS_SECRET_KEY="awx-secret", AWS_SECURITY_TOKEN="awx-token"), "awx-token"),
        (dict(AWS_ACCESS_KEY_ID="AKIDAWX", AWS_SECRET_ACCESS_KEY="awx-secret"), None),
    ],
    ids=["awx", "session-token", "session-token-first", "short-names", "no-token"],
)
def test_environment_credentials_are_signed_with_their_token(aws_environment, variables, token):
    aws_environment(AWS_REGION="us-east-1", **variables)
    result = validated()
    params = result.validated_parameters
    assert (params["access_key"], params["secret_key"], params["session_token"]) == ("AKIDAWX", "awx-secret", token)
    client = iot_client(dict(params, endpoint_url=DUMMY_ENDPOINT))
    credentials = signing_credentials(client)
    assert (credentials.access_key, credentials.secret_key, credentials.token) == ("AKIDAWX", "awx-secret", token)


def test_environment_secrets_are_no_log_values(aws_environment):
    aws_environment(AWS_ACCESS_KEY_ID="AKIDAWX", AWS_SECRET_ACCESS_KEY="awx-secret", AWS_SECURITY_TOKEN="awx-token")
    assert {"awx-secret", "awx-token"} <= validated()._no_log_values


def test_options_win_over_the_environment(aws_environment):
    aws_environment(AWS_ACCESS_KEY_ID="AKIDENV", AWS_SECRET_ACCESS_KEY="env-secret", AWS_REGION="eu-west-1")
    params = validated(dict(aws_access_key_id="AKIDOPT", aws_secret_access_key="opt-secret", aws_region="us-west-2",
                            aws_endpoint_url=DUMMY_ENDPOINT)).validated_parameters
    client = iot_client(params)
    assert client.meta.region_name == "us-west-2"
    assert client.meta.endpoint_url == DUMMY_ENDPOINT
    assert signing_credentials(client).access_key == "AKIDOPT"


@pytest.mark.parametrize(
    "variables, region",
    [
        (dict(AWS_REGION="eu-west-1"), "eu-west-1"),
        (dict(AWS_DEFAULT_REGION="eu-west-2"), "eu-west-2"),
        (dict(AWS_REGION="eu-west-1", AWS_DEFAULT_REGION="eu-west-2"), "eu-west-1"),
    ],
)
def test_region_from_the_environment(aws_environment, variables, region):
    aws_environment(AWS_ACCESS_KEY_ID="AKIDAWX", AWS_SECRET_ACCESS_KEY="awx-secret", **variables)
    params = validated().validated_parameters
    assert params["region"] == region
    assert iot_client(params).meta.region_name == region


def test_endpoint_url_from_aws_url(aws_environment):
    aws_environment(AWS_ACCESS_KEY_ID="AKIDAWX", AWS_SECRET_ACCESS_KEY="awx-secret", AWS_REGION="us-east-1",
                    AWS_URL=DUMMY_ENDPOINT)
    assert iot_client(validated().validated_parameters).meta.endpoint_url == DUMMY_ENDPOINT


def test_profile_from_the_environment_conflicts_with_environment_keys(aws_environment):
    aws_environment(AWS_ACCESS_KEY_ID="AKIDAWX", AWS_SECRET_ACCESS_KEY="awx-secret", AWS_PROFILE="ops", AWS_REGION="us-east-1")
    with pytest.raises(ConnectionSettingsError, match="^profile cannot be combined with access_key, secret_key"):
        iot_client(validated().validated_parameters)
