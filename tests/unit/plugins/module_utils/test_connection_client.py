"""connection.py: the connection settings' checks, the botocore configuration and the boto3 client."""

from __future__ import annotations

from pathlib import Path

import boto3
import pytest
import yaml
from ansible.module_utils import ansible_release
from botocore.exceptions import EndpointConnectionError, NoCredentialsError

from ansible_collections.iotops.aws.plugins.module_utils.connection import (
    DEFAULT_BOTOCORE_CONFIG,
    botocore_config,
    check_connection_settings,
    iot_client,
    token_for_key,
)
from ansible_collections.iotops.aws.plugins.module_utils.errors import ConnectionSettingsError, RetryDeadlineReached
from ansible_collections.iotops.aws.plugins.module_utils.retries import MAX_UNANSWERED_ATTEMPTS, RetryBounds
from ansible_collections.iotops.aws.plugins.module_utils.user_agent import COLLECTION_VERSION
from helpers import closed_port

SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKEY"
TOKEN = "FwoGZXIvYXdzEXAMPLETOKEN"
CREDENTIALS = dict(access_key="AKIDEXAMPLE", secret_key=SECRET)


pytestmark = pytest.mark.usefixtures("aws_environment")


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


# -- the client ---------------------------------------------------------------

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


# -- user agent ---------------------------------------------------------------

def test_the_collection_version_is_galaxy_yml_s():
    galaxy = yaml.safe_load((Path(__file__).resolve().parents[4] / "galaxy.yml").read_text())
    assert COLLECTION_VERSION == galaxy["version"]


def test_every_client_adds_the_collection_and_ansible_core_to_its_user_agent():
    client = iot_client(dict(region="us-east-1"))
    words = "ansible-core/{0} iotops.aws/{1}".format(ansible_release.__version__, COLLECTION_VERSION)
    assert client.meta.config.user_agent_extra == words
    assert botocore_config({"read_timeout": 20}).user_agent_extra == words
