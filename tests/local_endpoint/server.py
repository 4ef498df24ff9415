"""The local AWS IoT Jobs endpoint: moto's server, the fleet, faults, control.

Layers, outside in:
  control  /_sim/... JSON routes that script the fleet and the faults;
  faults   FaultyEndpoint logs each request and may answer it badly;
  fleet    advances the simulation, then lets moto answer, under one lock.
"""

from __future__ import annotations

import json
import logging
import threading

from moto.server import DomainDispatcherApplication, create_backend_app
from moto.moto_server.werkzeug_app import MotoRequestHandler
from werkzeug.serving import make_server

from local_endpoint.faults import ConnectionReset, Faults, FaultyEndpoint, reset_connection
from local_endpoint.fleet import Device, Fleet, ScaledClock


class _FleetApp:
    def __init__(self, fleet: Fleet):
        self.fleet = fleet
        self.moto = DomainDispatcherApplication(create_backend_app)

    def __call__(self, environ, start_response):
        with self.fleet.lock:
            self.fleet.advance()
            # moto builds the whole answer inside the call; the body is bytes.
            return list(self.moto(environ, start_response))


class _RequestHandler(MotoRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - werkzeug's signature
        return

    def run_wsgi(self):
        try:
            super().run_wsgi()
        except ConnectionReset:
            self.close_connection = True
            reset_connection(self.connection)
            # Release the stream's references so closing sends the RST.
            self.rfile.close()
            self.wfile.close()
            self.connection.close()

    def handle_one_request(self):
        try:
            super().handle_one_request()
        except ValueError:
            # http.server flushes the stream a reset has already closed.
            if not self.wfile.closed:
                raise


def _json(start_response, status, payload):
    body = json.dumps(payload, default=str).encode()
    start_response(status, [("Content-Type", "application/json"), ("Content-Length", str(len(body)))])
    return [body]


class LocalEndpoint:
    """Serve the simulated fleet on 127.0.0.1 in a background thread."""

    def __init__(self, port: int = 0, region: str = "us-east-1", host: str = "127.0.0.1", time_scale: float = 1.0):
        self.fleet = Fleet(region=region, clock=ScaledClock(time_scale))
        self.faulty = FaultyEndpoint(_FleetApp(self.fleet))
        logging.getLogger("werkzeug").setLevel(logging.ERROR)
        self._server = make_server(host, port, self._control, threaded=True, request_handler=_RequestHandler)
        self._server.daemon_threads = True
        self.url = "http://{0}:{1}".format(host, self._server.server_port)
        self._thread = threading.Thread(target=self._server.serve_forever, name="local-iot-endpoint", daemon=True)

    def start(self) -> "LocalEndpoint":
        self._thread.start()
        return self

    def stop(self) -> None:
        self.faulty.close()
        self._server.shutdown()
        self._server.server_close()

    def reset(self) -> None:
        self.faulty.clear()
        self.fleet.reset()

    def set_faults(self, **settings) -> None:
        self.faulty.set_faults(Faults.from_dict(settings))

    def calls(self, api: str | None = None):
        return self.faulty.calls(api)

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()

    # -- /_sim control routes --------------------------------------------
    def _control(self, environ, start_response):
        path = environ.get("PATH_INFO", "")
        if not path.startswith("/_sim/"):
            return self.faulty(environ, start_response)
        method = environ["REQUEST_METHOD"]
        length = int(environ.get("CONTENT_LENGTH") or 0)
        try:
            body = json.loads(environ["wsgi.input"].read(length) or b"{}")
            route = (method, path.rstrip("/"))
            if route == ("POST", "/_sim/reset"):
                self.reset()
                return _json(start_response, "200 OK", {"reset": True})
            if route == ("POST", "/_sim/jobs"):
                self.create_job_from_spec(body)
                return _json(start_response, "201 Created", {"job_id": body["job_id"]})
            if route == ("POST", "/_sim/faults"):
                self.set_faults(**body)
                return _json(start_response, "200 OK", {"faults": body})
            if route == ("POST", "/_sim/devices"):
                self.fleet.set_devices(**_device_spec(body))
                return _json(start_response, "200 OK", {"devices": body})
            if route == ("POST", "/_sim/things"):
                parents = body.get("parents") or {}
                for group, members in (body.get("groups") or {}).items():
                    self.fleet.ensure_group(group, members, parents.get(group))
                self.fleet.ensure_things(body.get("things") or [])
                return _json(start_response, "200 OK", {"things": True})
            if route == ("POST", "/_sim/settings"):
                self.fleet.deletion_delay = float(body.get("deletion_delay", self.fleet.deletion_delay))
                return _json(start_response, "200 OK", {"settings": body})
            if method == "POST" and path.startswith("/_sim/jobs/") and path.endswith("/schedule"):
                self.fleet.trigger(path[len("/_sim/jobs/"):-len("/schedule")], body["event"])
                return _json(start_response, "200 OK", {"event": body["event"]})
            if method == "GET" and path.startswith("/_sim/jobs/") and path.endswith("/timeline"):
                job_id = path[len("/_sim/jobs/"):-len("/timeline")]
                with self.fleet.lock:
                    self.fleet.advance()
                    return _json(start_response, "200 OK", {
                        "now": self.fleet.elapsed(job_id), "queued": self.fleet.timeline(job_id)})
            if route == ("GET", "/_sim/requests"):
                return _json(start_response, "200 OK", {"requests": [r.as_dict() for r in self.calls()]})
        except (KeyError, TypeError, ValueError) as exc:
            return _json(start_response, "400 Bad Request", {"error": str(exc)})
        return _json(start_response, "404 Not Found", {"error": "no route {0} {1}".format(method, path)})

    def create_job_from_spec(self, spec: dict) -> None:
        """Create a job from JSON: devices, default and failing are Device specs."""
        spec = _device_spec(spec)
        self.fleet.create_job(spec.pop("job_id"), **spec)


def _device_spec(spec: dict) -> dict:
    """Turn the Device specs of a JSON body (devices, default, failing) into Devices."""
    spec = dict(spec)
    spec["devices"] = {name: Device.from_dict(d) for name, d in (spec.pop("devices", None) or {}).items()}
    for key in ("default", "failing"):
        if spec.get(key) is not None:
            spec[key] = Device.from_dict(spec[key])
    return spec
