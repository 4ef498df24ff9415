# -*- coding: utf-8 -*-
# Copyright: iotops.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""What an AWS failure is, and how the collection reports it.

Classification (another try may cure it, or not), the one-line message,
the structured ``error`` and ``response_metadata`` fields that playbooks
match on, and the redaction of secrets from all of them.
"""

from __future__ import annotations

import re

from ansible.module_utils.common.dict_transformations import camel_dict_to_snake_dict

try:
    from botocore.exceptions import (
        BotoCoreError,
        ClientError,
        ConnectTimeoutError,
        CredentialRetrievalError,
        EndpointConnectionError,
        NoCredentialsError,
        PartialCredentialsError,
        ProfileNotFound,
        ReadTimeoutError,
        TokenRetrievalError,
    )
except ImportError:
    HAS_BOTOCORE = False
else:
    HAS_BOTOCORE = True

# Secret connection options: never in a message or a field.
SECRET_OPTIONS = ("secret_key", "session_token")
# The members of botocore's ResponseMetadata a result may carry; HTTPHeaders
# stays out, as amazon.aws's does not, since a proxy may add anything there.
RESPONSE_METADATA_KEYS = ("RequestId", "HostId", "HTTPStatusCode", "RetryAttempts")
# What botocore raises, instead of one of its own errors, for some bodies
# that are not JSON: a truncated or garbled answer from a proxy, say.
PARSE_FAILURES = (ValueError, AttributeError, TypeError)

_WHITESPACE = re.compile(r"\s+")
# A tag, in an error body that should have been AWS's JSON; and a page's title.
_MARKUP = re.compile(r"<[!/a-zA-Z][^>]*>")
_TITLE = re.compile(r"<title[^>]*>(.*?)</title", re.IGNORECASE | re.DOTALL)
# An endpoint that lacks the API (an emulator, an old proxy): no retry helps.
_NOT_IMPLEMENTED = re.compile(r"not\s+(yet\s+|been\s+)?implemented|NotImplemented", re.IGNORECASE)

# What to set, for each way the credentials can be missing or refused.  No
# later poll can cure these, so they fail the first call.
_KEYS = "access_key and secret_key (or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY)"
_SET_KEYS = "set " + _KEYS + ", or profile (or AWS_PROFILE)"
_EXPIRED = ("the session token has expired: set fresh access_key, secret_key and session_token "
            "(or AWS_SESSION_TOKEN), or refresh the profile")
CREDENTIAL_HINTS = {
    "NoCredentialsError": "no AWS credentials found: " + _SET_KEYS,
    "PartialCredentialsError": "the AWS credentials are incomplete: " + _SET_KEYS,
    "CredentialRetrievalError": "the profile's credential source failed: fix the profile, or set " + _KEYS,
    "TokenRetrievalError": "the profile's login has expired: log in again (aws sso login), or set " + _KEYS,
    "ProfileNotFound": "name a profile of the AWS config files (AWS_CONFIG_FILE, AWS_SHARED_CREDENTIALS_FILE) "
                       "in profile (or AWS_PROFILE), or set " + _KEYS,
    "ExpiredToken": _EXPIRED,
    "ExpiredTokenException": _EXPIRED,
    "UnrecognizedClientException": "AWS does not know this access key or session token: check access_key and "
                                   "session_token (or AWS_ACCESS_KEY_ID and AWS_SESSION_TOKEN), or the profile",
    "InvalidClientTokenId": "AWS does not know this access key: check access_key (or AWS_ACCESS_KEY_ID), "
                            "or the profile",
    "InvalidSignatureException": "the request signature does not match: check secret_key (or "
                                 "AWS_SECRET_ACCESS_KEY) or the profile, and the clock of the host",
}


class ConnectionSettingsError(ValueError):
    """The connection options are inconsistent; no request was made."""


class RetryDeadlineReached(Exception):
    """A retry was due after the caller's deadline, so it was not sent.

    The message starts with the failure that called for the retry: "retry
    not sent" alone hides an endpoint that never answers.  ``cause`` is
    that failure's botocore error, or its parsed answer's ``Error`` and
    ``ResponseMetadata``, for the structured fields.
    """

    def __init__(self, msg, cause=None):
        super().__init__(msg)
        self.cause = cause


class UnexpectedResponse(Exception):
    """The endpoint answered with a body that is not the API's JSON.

    botocore turns some unreadable 200 bodies into an empty dict, which
    would read as "nothing found"; callers check the members they need.
    """


def call_api(call, operation, **kwargs):
    """``call(**kwargs)``, with an unreadable answer raised as UnexpectedResponse."""
    try:
        return call(**kwargs)
    except PARSE_FAILURES as exc:
        raise UnexpectedResponse("{0} answered with an unreadable body: {1}".format(operation, exc))


def answer_member(response, operation, member, kind):
    """``response[member]``, checked to be a ``kind``."""
    value = response.get(member) if isinstance(response, dict) else None
    if not isinstance(value, kind):
        raise UnexpectedResponse("{0} answered without a readable '{1}'".format(operation, member))
    return value


def aws_errors():
    """The exception classes a call through iot_client can raise."""
    if not HAS_BOTOCORE:
        return (ConnectionSettingsError, RetryDeadlineReached, UnexpectedResponse)
    return (BotoCoreError, ClientError, ConnectionSettingsError, RetryDeadlineReached, UnexpectedResponse)


def _is_client_error(exc):
    return HAS_BOTOCORE and isinstance(exc, ClientError)


def error_code(exc):
    """The AWS error code of an exception, or its botocore class name."""
    if _is_client_error(exc):
        return exc.response.get("Error", {}).get("Code") or "ClientError"
    return type(exc).__name__


def credentials_hint(exc):
    """What to set when ``exc`` says the credentials are missing or refused; else None."""
    if not HAS_BOTOCORE:
        return None
    if isinstance(exc, (NoCredentialsError, PartialCredentialsError, CredentialRetrievalError, ProfileNotFound,
                        TokenRetrievalError)) or _is_client_error(exc):
        return CREDENTIAL_HINTS.get(error_code(exc))
    return None


def _is_unreadable(error):
    """True when an error answer is not AWS's JSON: botocore found no error
    code and filled in the HTTP status, or the message is a page."""
    return str(error.get("Code") or "").isdigit() or _is_page(error.get("Message"))


def _is_page(message):
    return str(message or "").lstrip().startswith("<") and bool(_MARKUP.search(str(message)))


def _body_text(message):
    """What an unreadable error body held, in words, never markup."""
    message = str(message or "")
    if _is_page(message):
        title = _TITLE.search(message)
        title = _WHITESPACE.sub(" ", _MARKUP.sub("", title.group(1))).strip() if title else ""
        return "an HTML page" + (" titled '{0}'".format(title[:80]) if title else "")
    text = _WHITESPACE.sub(" ", message).strip()
    if not text:
        return "an empty body"
    return "the text '{0}'".format(text if len(text) <= 80 else text[:77] + "...")


def answer_error(response, operation=None):
    """``(code, message)`` of a parsed error answer, readable in one line.

    An answer that is not AWS's JSON (an HTML page from a proxy, or from an
    emulator that lacks the API) becomes its HTTP status and operation.
    """
    error = response.get("Error") or {}
    code = error.get("Code") or "ClientError"
    if not _is_unreadable(error):
        return code, error.get("Message") or ""
    status = (response.get("ResponseMetadata") or {}).get("HTTPStatusCode") or code
    return code, "{0} answered HTTP {1} with {2}, not an AWS error".format(
        operation or "the endpoint", status, _body_text(error.get("Message")))


def is_not_implemented(response):
    """True for an answer that says the endpoint lacks the operation: HTTP
    501, or a 5xx that says so.  No retry or later poll can cure it."""
    error = response.get("Error") or {}
    status = (response.get("ResponseMetadata") or {}).get("HTTPStatusCode") or 0
    said = "{0} {1}".format(error.get("Code") or "", error.get("Message") or "")
    return status == 501 or (status >= 500 and bool(_NOT_IMPLEMENTED.search(said)))


def is_unanswered(exc):
    """True when the endpoint never answered: another try costs a full timeout."""
    return HAS_BOTOCORE and isinstance(exc, (EndpointConnectionError, ConnectTimeoutError, ReadTimeoutError))


def is_fatal(exc):
    """True for errors that another poll would only repeat (denied, invalid,
    missing, no credentials)."""
    if credentials_hint(exc):
        return True
    if not _is_client_error(exc):
        return isinstance(exc, ConnectionSettingsError)
    if is_not_implemented(exc.response):
        return True
    status = exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode") or 0
    code = error_code(exc)
    throttled = "Throttl" in code or code in ("TooManyRequestsException", "RequestLimitExceeded")
    return 400 <= status < 500 and not throttled


def _request_id(meta):
    return meta.get("RequestId") or meta.get("HTTPHeaders", {}).get("x-amzn-requestid")


def describe_error(exc, action, secrets=()):
    """One line naming what failed, the AWS error code and the request id;
    for missing or refused credentials, what to set."""
    code = error_code(exc)
    hint = credentials_hint(exc)
    if _is_client_error(exc):
        meta = exc.response.get("ResponseMetadata", {})
        request_id = _request_id(meta)
        text = "{0}: {1}: {2}".format(action, code, answer_error(exc.response, exc.operation_name)[1] or "no message")
        if hint:
            text += ": " + hint
        if meta.get("RetryAttempts"):
            text += " (after {0} retries)".format(meta["RetryAttempts"])
        if request_id:
            text += " (request id {0})".format(request_id)
    elif isinstance(exc, ConnectionSettingsError):
        text = "{0}: {1}".format(action, exc)
    else:
        text = "{0}: {1}: {2}".format(action, code, exc)
        if hint:
            text += ": " + hint
        request_id = error_fields(exc).get("response_metadata", {}).get("request_id")
        if request_id:  # of the answer behind a held-back retry
            text += " (request id {0})".format(request_id)
    return redact(text, secrets)


def error_fields(exc, secrets=()):
    """``error`` and, for an answer from AWS, ``response_metadata``, as amazon.aws returns them.

    ``error.code`` is the AWS error code (or the botocore class name when
    nothing answered); playbooks match on it in ``failed_when`` or ``rescue``.
    A retry held back by the deadline reports the failure that called for it.
    """
    if isinstance(exc, RetryDeadlineReached) and isinstance(exc.cause, dict):
        return _answer_fields(exc.cause, secrets)
    if isinstance(exc, RetryDeadlineReached) and exc.cause is not None:
        return error_fields(exc.cause, secrets)
    if _is_client_error(exc):
        return _answer_fields(exc.response, secrets, exc.operation_name)
    return dict(error=dict(code=error_code(exc), message=redact(exc, secrets)))


def _answer_fields(response, secrets, operation=None):
    """From a parsed error answer: its ``Error`` and ``ResponseMetadata``."""
    code, message = answer_error(response, operation)
    meta = response.get("ResponseMetadata", {})
    kept = dict((key, meta[key]) for key in RESPONSE_METADATA_KEYS if meta.get(key) is not None)
    if _request_id(meta):
        kept["RequestId"] = _request_id(meta)
    return dict(
        error=dict(code=code, message=redact(message, secrets)),
        response_metadata=camel_dict_to_snake_dict(kept),
    )


def failure(exc, action, secrets=()):
    """A failed task's result for an AWS error: ``msg`` and the structured fields."""
    return dict(error_fields(exc, secrets), failed=True, changed=False, msg=describe_error(exc, action, secrets))


def secrets_in(settings):
    """The secret values among the connection settings, to keep out of messages."""
    return [settings.get(option) for option in SECRET_OPTIONS if settings.get(option)]


def redact(text, secrets=()):
    text = _WHITESPACE.sub(" ", str(text)).strip()
    for secret in secrets:
        if secret:
            text = text.replace(secret, "********")
    return text
