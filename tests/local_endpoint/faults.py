"""Faults and a request log in front of the local IoT Jobs endpoint.

Faults travel over real HTTP in the shape AWS IoT sends them, so botocore
parses, retries and reports them exactly as it would against AWS.
"""

from __future__ import annotations

import dataclasses
import http
import io
import json
import random
import re
import socket
import struct
import threading
import time
import uuid

import botocore.session

_ROUTES: list | None = None


def _routes() -> list:
    """(method, pattern, operation) for every AWS IoT operation, from
    botocore's model of the API, the routes with most literal text first so
    that /jobs/{jobId}/things wins over a {placeholder} that would match it."""
    global _ROUTES
    if _ROUTES is None:
        model = botocore.session.get_session().get_service_model("iot")
        routes = []
        for name in model.operation_names:
            http = model.operation_model(name).http
            uri = http["requestUri"].split("?")[0]
            literal = len(re.sub(r"\{[^}]+\}", "", uri))
            pattern = re.sub(r"\\\{[^}]+?\\\+\\\}", ".+", re.escape(uri))
            pattern = re.sub(r"\\\{[^}]+?\\\}", "[^/]+", pattern)
            routes.append((-literal, http["method"], re.compile(pattern + "$"), name))
        _ROUTES = [route[1:] for route in sorted(routes, key=lambda route: route[0])]
    return _ROUTES


def api_name(method: str, path: str) -> str:
    for route_method, pattern, name in _routes():
        if method == route_method and pattern.match(path):
            return name
    return "{0} {1}".format(method, path)


@dataclasses.dataclass
class Faults:
    """What the endpoint does wrong.  Rates are shares of requests, 0 to 1.

    ``apis`` limits the faults to those API names; None means every API.
    """

    rate_limit_tps: float | None = None   # per API, as AWS IoT's control plane does
    # Requests per second other clients of the account make to each API.
    # They share rate_limit_tps, leaving only the rest to the plugin, and
    # have just spent the burst: each API's bucket starts empty.
    neighbour_tps: float = 0.0
    throttle_rate: float = 0.0
    error_rate: float = 0.0               # HTTP 500 and 503, half each
    unavailable_rate: float = 0.0         # HTTP 503 ServiceUnavailableException only
    reset_rate: float = 0.0
    garbage_rate: float = 0.0
    garbage_kind: str | None = None       # "truncated" JSON or "binary"; None: either, at random
    latency: float = 0.0
    black_hole: bool = False
    # AccessDeniedException, or refused credentials: InvalidSignatureException,
    # ExpiredTokenException, UnrecognizedClientException
    deny: str | None = None
    # Every answer has this HTTP status and a body that is not AWS's JSON, as
    # a proxy or an emulator that lacks the API sends: "html" (a page) or "text".
    page_status: int | None = None
    page_kind: str = "html"
    apis: tuple | None = None
    # The first request to each of these APIs is applied, then the connection
    # is reset instead of answering: the client cannot tell it succeeded.
    lose_answer_once: tuple = ()
    # Another client's request, sent just before the first request to each
    # of these APIs is answered: {"CreateJob": {"method": "PUT", "path":
    # "/jobs/fw", "query": "", "body": {...}}}.  Races between two clients
    # (both read, then both write) made deterministic.
    before_once: dict = dataclasses.field(default_factory=dict)
    seed: int | None = None

    @classmethod
    def from_dict(cls, spec: dict) -> "Faults":
        names = {field.name for field in dataclasses.fields(cls)}
        unknown = set(spec) - names
        if unknown:
            raise ValueError("unknown fault settings: {0}".format(", ".join(sorted(unknown))))
        spec = dict(spec)
        if spec.get("apis") is not None:
            spec["apis"] = tuple(spec["apis"])
        spec["lose_answer_once"] = tuple(spec.get("lose_answer_once") or ())
        spec["before_once"] = dict(spec.get("before_once") or {})
        return cls(**spec)


@dataclasses.dataclass
class RecordedRequest:
    at: float
    api: str
    method: str
    path: str
    query: str
    status: int | None
    access_key: str | None
    security_token: str | None
    attempt: int
    fault: str | None
    user_agent: str | None = None

    def as_dict(self) -> dict:
        return dataclasses.asdict(self)


class _TokenBucket:
    """Holds up to ``rate`` tokens (a second's burst) and refills at
    ``refill`` tokens a second, the share that others leave."""

    def __init__(self, rate: float, refill: float, tokens: float):
        self.rate = rate
        self.refill = refill
        self.tokens = tokens
        self.stamp = time.monotonic()

    def take(self) -> bool:
        now = time.monotonic()
        self.tokens = min(self.rate, self.tokens + (now - self.stamp) * self.refill)
        self.stamp = now
        if self.tokens >= 1:
            self.tokens -= 1
            return True
        return False


# AWS's messages for refused credentials, all HTTP 403; any other ``deny``
# code gets AccessDeniedException's message.
_REFUSALS = {
    "InvalidSignatureException": "The request signature we calculated does not match the signature you provided.",
    "ExpiredTokenException": "The security token included in the request is expired",
    "UnrecognizedClientException": "The security token included in the request is invalid.",
}


def _error(start_response, status: str, code: str, message: str):
    body = json.dumps({"message": message}).encode()
    start_response(status, [
        ("Content-Type", "application/json"),
        ("Content-Length", str(len(body))),
        ("x-amzn-ErrorType", "{0}:http://internal.amazon.com/coral/com.amazonaws.iot/".format(code)),
        ("x-amzn-RequestId", str(uuid.uuid4())),
    ])
    return [body]


def _page(start_response, status: int, kind: str, api: str):
    phrase = http.HTTPStatus(status).phrase
    said = "The {0} action has not been implemented".format(api) if status == 501 else "Try again later."
    if kind == "html":
        body = ("<!doctype html>\n<html lang=en>\n<title>{0} {1}</title>\n<h1>{1}</h1>\n<p>{2}</p>\n".format(
            status, phrase, said)).encode()
        content_type = "text/html; charset=utf-8"
    else:
        body = "{0} {1}: {2}\n".format(status, phrase, said).encode()
        content_type = "text/plain; charset=utf-8"
    start_response("{0} {1}".format(status, phrase), [("Content-Type", content_type), ("Content-Length", str(len(body)))])
    return [body]


class FaultyEndpoint:
    """WSGI middleware: logs every request, then applies the current faults."""

    def __init__(self, app):
        self.app = app
        self.requests: list[RecordedRequest] = []
        self._lock = threading.Lock()
        self._released = threading.Event()
        self.set_faults(Faults())

    def set_faults(self, faults: Faults) -> None:
        with self._lock:
            # Wake requests held by a previous black hole before changing it.
            self._released.set()
            self._released = threading.Event()
            self.faults = faults
            self._random = random.Random(faults.seed)
            self._buckets: dict[str, _TokenBucket] = {}
            self._answers_to_lose = set(faults.lose_answer_once)
            self._requests_before = dict(faults.before_once)

    def clear(self) -> None:
        self.set_faults(Faults())
        with self._lock:
            self.requests = []

    def close(self) -> None:
        self._released.set()

    def calls(self, api: str | None = None) -> list[RecordedRequest]:
        with self._lock:
            return [r for r in self.requests if api is None or r.api == api]

    def _choose(self, api: str) -> str | None:
        faults = self.faults
        if api in self._answers_to_lose:
            self._answers_to_lose.discard(api)
            return "lose_answer"
        if faults.apis is not None and api not in faults.apis:
            return None
        if faults.black_hole:
            return "black_hole"
        if faults.deny:
            return "deny"
        if faults.page_status:
            return "page"
        if faults.rate_limit_tps:
            if api not in self._buckets:
                refill = max(0.0, faults.rate_limit_tps - faults.neighbour_tps)
                tokens = 0.0 if faults.neighbour_tps else faults.rate_limit_tps
                self._buckets[api] = _TokenBucket(faults.rate_limit_tps, refill, tokens)
            bucket = self._buckets[api]
            if not bucket.take():
                return "throttle"
        roll = self._random.random()
        for name, rate in (("throttle", faults.throttle_rate), ("error", faults.error_rate),
                           ("unavailable", faults.unavailable_rate), ("reset", faults.reset_rate),
                           ("garbage", faults.garbage_rate)):
            if roll < rate:
                return name
            roll -= rate
        return None

    def __call__(self, environ, start_response):
        method = environ.get("REQUEST_METHOD", "GET")
        path = environ.get("PATH_INFO", "")
        api = api_name(method, path)
        attempt = re.search(r"attempt=(\d+)", environ.get("HTTP_AMZ_SDK_REQUEST", ""))
        credential = re.search(r"Credential=([^/]+)/", environ.get("HTTP_AUTHORIZATION", ""))
        with self._lock:
            fault = self._choose(api)
            released = self._released
            latency = self.faults.latency
            coin = self._random.random()
            other = self._requests_before.pop(api, None)
            if other is not None:  # applied first, so logged first
                self.requests.append(RecordedRequest(
                    at=time.time(), api=api_name(other["method"], other["path"]), method=other["method"],
                    path=other["path"], query=other.get("query", ""), status=None, access_key=None,
                    security_token=None, attempt=1, fault="other_client"))
            record = RecordedRequest(
                at=time.time(), api=api, method=method, path=path, query=environ.get("QUERY_STRING", ""),
                status=None, access_key=credential.group(1) if credential else None,
                security_token=environ.get("HTTP_X_AMZ_SECURITY_TOKEN"),
                attempt=int(attempt.group(1)) if attempt else 1, fault=fault,
                user_agent=environ.get("HTTP_USER_AGENT"),
            )
            self.requests.append(record)

        def recording_start_response(status, headers, exc_info=None):
            record.status = int(status.split()[0])
            return start_response(status, headers, exc_info)

        if other is not None:
            self._send_other(environ, other)
        if latency:
            released.wait(latency)
        if fault == "black_hole":
            # Accept the request and never answer, until the fault is lifted.
            released.wait(600)
            return _reset(environ)
        if fault == "deny":
            message = _REFUSALS.get(self.faults.deny, "User is not authorized to perform: iot:{0}".format(api))
            return _error(recording_start_response, "403 Forbidden", self.faults.deny, message)
        if fault == "page":
            return _page(recording_start_response, self.faults.page_status, self.faults.page_kind, api)
        if fault == "throttle":
            return _error(recording_start_response, "400 Bad Request", "ThrottlingException", "Rate exceeded")
        if fault == "error" and coin < 0.5:
            return _error(recording_start_response, "500 Internal Server Error", "InternalFailureException",
                          "An internal error occurred.")
        if fault in ("error", "unavailable"):
            return _error(recording_start_response, "503 Service Unavailable", "ServiceUnavailableException",
                          "Service Unavailable")
        if fault == "reset":
            return _reset(environ)
        if fault == "lose_answer":
            self.app(environ, lambda status, headers, exc_info=None: None)
            return _reset(environ)
        if fault == "garbage":
            kind = self.faults.garbage_kind or ("truncated" if coin < 0.5 else "binary")
            body = b'{"execution": {"jobId": "tru' if kind == "truncated" else b"\x00\xffnot json at all<html>"
            headers = [("Content-Type", "application/json"), ("Content-Length", str(len(body)))]
            recording_start_response("200 OK", headers)
            return [body]
        return self.app(environ, recording_start_response)

    def _send_other(self, environ, spec: dict) -> None:
        """Apply another client's request (same credentials), discarding its answer."""
        body = json.dumps(spec["body"]).encode() if spec.get("body") is not None else b""
        other = dict(environ, REQUEST_METHOD=spec["method"], PATH_INFO=spec["path"], QUERY_STRING=spec.get("query", ""),
                     CONTENT_LENGTH=str(len(body)), CONTENT_TYPE="application/json")
        # werkzeug builds the URL from these when present.
        uri = spec["path"] + ("?" + spec["query"] if spec.get("query") else "")
        other["REQUEST_URI"] = other["RAW_URI"] = uri
        other["wsgi.input"] = io.BytesIO(body)
        list(self.app(other, lambda status, headers, exc_info=None: None))


class ConnectionReset(BaseException):
    """Asks the request handler to reset the connection instead of answering.

    A BaseException, so werkzeug's handler does not turn it into a 500.
    """


def _reset(environ):
    raise ConnectionReset()


def reset_connection(sock) -> None:
    """Close with SO_LINGER 0, so the peer gets a TCP RST, not an answer."""
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    except OSError:
        pass
