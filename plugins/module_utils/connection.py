# -*- coding: utf-8 -*-
# Copyright: iotops.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""Connection options, and the boto3 client built from them.

The option names, aliases and environment fallbacks mirror amazon.aws, so
playbooks written for it work unchanged.  Modules and controller-side
plugins all build their client here; the doc fragment
``iotops.aws.connection`` documents the same options and a unit test keeps
the two in step.
"""

from __future__ import annotations

import os
from urllib.parse import urlparse

from ansible.module_utils.basic import env_fallback

from ansible_collections.iotops.aws.plugins.module_utils.errors import (
    ConnectionSettingsError,
    credentials_hint,
)
from ansible_collections.iotops.aws.plugins.module_utils.retries import RetryBounds
from ansible_collections.iotops.aws.plugins.module_utils.user_agent import user_agent_extra
from ansible_collections.iotops.aws.plugins.module_utils.validation import shown

try:
    import boto3
    from botocore.config import Config
    from botocore.exceptions import BotoCoreError, InvalidRegionError, ProfileNotFound
except ImportError:
    HAS_BOTO3 = False
else:
    HAS_BOTO3 = True


CONNECTION_ARGUMENT_SPEC = dict(
    access_key=dict(
        type="str",
        aliases=["aws_access_key_id", "aws_access_key"],
        fallback=(env_fallback, ["AWS_ACCESS_KEY_ID", "AWS_ACCESS_KEY"]),
        no_log=False,
    ),
    secret_key=dict(
        type="str",
        aliases=["aws_secret_access_key", "aws_secret_key"],
        fallback=(env_fallback, ["AWS_SECRET_ACCESS_KEY", "AWS_SECRET_KEY"]),
        no_log=True,
    ),
    session_token=dict(
        type="str",
        aliases=["aws_session_token", "security_token", "aws_security_token"],
        # AWX's AWS credential injects AWS_SECURITY_TOKEN, so a key taken from
        # the environment keeps the token that belongs to it.
        fallback=(env_fallback, ["AWS_SESSION_TOKEN", "AWS_SECURITY_TOKEN"]),
        no_log=True,
    ),
    profile=dict(
        type="str",
        aliases=["aws_profile"],
        fallback=(env_fallback, ["AWS_PROFILE", "AWS_DEFAULT_PROFILE"]),
    ),
    region=dict(
        type="str",
        aliases=["aws_region"],
        fallback=(env_fallback, ["AWS_REGION", "AWS_DEFAULT_REGION"]),
    ),
    endpoint_url=dict(
        type="str",
        aliases=["aws_endpoint_url"],
        fallback=(env_fallback, ["AWS_URL"]),
    ),
    validate_certs=dict(type="bool", default=True),
    aws_ca_bundle=dict(type="path"),
    aws_config=dict(type="dict"),
)

CONNECTION_OPTIONS = tuple(CONNECTION_ARGUMENT_SPEC)

# botocore's standard retry mode, with more attempts than its default of 3:
# a rollout gate polls for a long time and must ride out throttling storms.
# Throttles back off from 1 s, other transient faults from 50 ms (botocore's
# own schedule); RetryBounds below keeps a silent endpoint from using them all.
DEFAULT_BOTOCORE_CONFIG = dict(
    retries={"mode": "standard", "total_max_attempts": 15},
    connect_timeout=5,
    read_timeout=10,
)


def check_connection_settings(settings):
    """Refuse combinations of credentials that boto3 would silently resolve."""
    keys = [name for name in ("access_key", "secret_key", "session_token") if settings.get(name)]
    if settings.get("profile") and keys:
        raise ConnectionSettingsError(
            "profile cannot be combined with {0} (given as options or through the AWS_* environment "
            "variables); use one or the other".format(", ".join(keys))
        )
    if bool(settings.get("access_key")) != bool(settings.get("secret_key")):
        given, missing = ("access_key", "secret_key") if settings.get("access_key") else ("secret_key", "access_key")
        raise ConnectionSettingsError("{0} is set but {1} is not; give both or neither".format(given, missing))
    endpoint_url = settings.get("endpoint_url")
    if endpoint_url:
        parsed = urlparse(endpoint_url)
        # botocore would refuse some of these only when building the client,
        # and others (ftp://) on every call, which a wait took for a fault
        # worth polling through.
        if parsed.scheme not in ("http", "https") or not parsed.netloc:
            raise ConnectionSettingsError("endpoint_url: {0!r} is not an http:// or https:// URL".format(endpoint_url))


def token_for_key(settings, environ=None):
    """Drop an environment token from a key that did not come from there.

    The fallbacks pair AWS_SESSION_TOKEN or AWS_SECURITY_TOKEN with any key;
    when a task gives its own key while AWX's credential sits in the
    environment, that token belongs to another key and AWS would refuse it.
    """
    environ = os.environ if environ is None else environ
    key, token = settings.get("access_key"), settings.get("session_token")
    env_keys = set(environ.get(name) for name in ("AWS_ACCESS_KEY_ID", "AWS_ACCESS_KEY"))
    env_tokens = set(environ.get(name) for name in ("AWS_SESSION_TOKEN", "AWS_SECURITY_TOKEN"))
    if key and token and key not in env_keys and token in env_tokens:
        return dict(settings, session_token=None)
    return settings


# The type of each botocore Config setting a task may give, checked before
# botocore meets a wrong one with Python's own words ("'<' not supported
# between instances of 'str' and 'int'") or later, on the first call.
_NUMBER = "a number"
_AWS_CONFIG_TYPES = dict(
    region_name="a string", signature_version="a string", user_agent="a string", user_agent_extra="a string",
    user_agent_appid="a string", defaults_mode="a string", account_id_endpoint_mode="a string",
    request_checksum_calculation="a string", response_checksum_validation="a string",
    sigv4a_signing_region_set="a string", auth_scheme_preference="a string",
    connect_timeout=_NUMBER, read_timeout=_NUMBER, max_pool_connections="an integer",
    request_min_compression_size_bytes="an integer",
    parameter_validation="true or false", inject_host_prefix="true or false", use_dualstack_endpoint="true or false",
    use_fips_endpoint="true or false", ignore_configured_endpoint_urls="true or false", tcp_keepalive="true or false",
    disable_request_compression="true or false", s3_disable_express_session_auth="true or false",
    endpoint_discovery_enabled="true or false",
    proxies="a dictionary", proxies_config="a dictionary", s3="a dictionary", retries="a dictionary",
    client_context_params="a dictionary",
)
_RETRIES_TYPES = dict(max_attempts="an integer", total_max_attempts="an integer", mode="a string")


def _is_type(value, expected):
    if expected.startswith("a path"):
        return False  # checked by the caller
    if expected == "a string":
        return isinstance(value, str)
    if expected == "true or false":
        return isinstance(value, bool)
    if expected == "a dictionary":
        return isinstance(value, dict)
    if isinstance(value, bool):
        return False
    return isinstance(value, int) or (expected == _NUMBER and isinstance(value, float))


def check_aws_config(aws_config):
    """Each setting of ``aws_config`` has the type botocore takes; raises
    ConnectionSettingsError naming the first that does not."""
    unknown = sorted(str(name) for name in aws_config if name not in Config.OPTION_DEFAULTS)
    if unknown:
        raise ConnectionSettingsError("aws_config: {0} is not a setting of botocore's Config".format(", ".join(unknown)))
    checks = [(name, value, _AWS_CONFIG_TYPES.get(name)) for name, value in aws_config.items() if value is not None]
    if isinstance(aws_config.get("retries"), dict):
        checks += [("retries." + str(name), value, _RETRIES_TYPES.get(name))
                   for name, value in aws_config["retries"].items()]
    client_cert = aws_config.get("client_cert")
    if client_cert is not None and not (isinstance(client_cert, str) or (
            isinstance(client_cert, list) and len(client_cert) == 2 and all(isinstance(p, str) for p in client_cert))):
        checks.append(("client_cert", client_cert, "a path, or a list of the certificate's and the key's paths"))
    for name, value, expected in checks:
        if expected and not _is_type(value, expected):
            raise ConnectionSettingsError("aws_config: {0} must be {1}, got {2}".format(name, expected, shown(value)))


def botocore_config(aws_config=None):
    """Our retry, timeout and User-Agent defaults, with the user's ``aws_config`` on top
    (a ``user_agent_extra`` of the user's own replaces the collection's words)."""
    config = Config(user_agent_extra=user_agent_extra(), **DEFAULT_BOTOCORE_CONFIG)
    if aws_config:
        check_aws_config(aws_config)
        aws_config = dict(aws_config)
        if isinstance(aws_config.get("retries"), dict):
            # Config.merge replaces retries whole: {mode: adaptive} alone
            # would drop the attempt count back to botocore's 3.
            aws_config["retries"] = dict(DEFAULT_BOTOCORE_CONFIG["retries"], **aws_config["retries"])
        try:
            config = config.merge(Config(**aws_config))
        # botocore checks the retry settings here, with its own errors
        # (InvalidRetryModeError...) or an AttributeError for a non-dict.
        except (TypeError, ValueError, AttributeError, BotoCoreError) as exc:
            raise ConnectionSettingsError("aws_config: {0}".format(exc))
    # botocore takes any value here; urllib3 refuses a bad one only later,
    # and the wait's deadline needs both timeouts.
    for name in ("connect_timeout", "read_timeout"):
        value = getattr(config, name)
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not value > 0:
            raise ConnectionSettingsError("aws_config: {0} must be a number of seconds above 0, got {1!r}".format(
                name, value))
    return config


def iot_client(settings, retry_bounds=None):
    """Return a boto3 IoT client built from the connection options.

    Raises ConnectionSettingsError before any request when the options are
    inconsistent or invalid (a bad aws_config, a profile that does not exist)
    or no region can be found.
    """
    check_connection_settings(settings)
    settings = token_for_key(settings)
    try:
        session = boto3.session.Session(
            aws_access_key_id=settings.get("access_key"),
            aws_secret_access_key=settings.get("secret_key"),
            aws_session_token=settings.get("session_token"),
            profile_name=settings.get("profile"),
            region_name=settings.get("region"),
        )
    except ProfileNotFound as exc:
        raise ConnectionSettingsError("profile: {0}: {1}".format(exc, credentials_hint(exc)))
    if not session.region_name:
        raise ConnectionSettingsError(
            "region is not set: give the region option or set AWS_REGION (or a region in the AWS profile)"
        )
    verify = settings.get("aws_ca_bundle") or None
    if settings.get("validate_certs") is False:
        verify = False
    config = botocore_config(settings.get("aws_config"))
    try:
        client = session.client("iot", endpoint_url=settings.get("endpoint_url"), verify=verify, config=config)
    except InvalidRegionError as exc:
        raise ConnectionSettingsError("region: {0}".format(exc))
    except BotoCoreError as exc:
        # botocore resolves the credentials here: a profile with half a key,
        # or a credential process that fails.
        if not credentials_hint(exc):
            raise
        raise ConnectionSettingsError("{0}: {1}".format(exc, credentials_hint(exc)))
    (retry_bounds or RetryBounds()).attach(client)
    return client
