"""The endpoint a conformance test runs against, and its devices.

Tests marked ``conformance`` run unchanged on two emulators: the local
endpoint (moto and this project's fleet simulator), and MiniStack, an AWS
emulator written outside this project, when ``IOTOPS_ENDPOINT=ministack``
and ``IOTOPS_ENDPOINT_URL`` name a running server (``make conformance``).
A wrong belief about AWS written into the simulator then fails there.

Such a test creates its jobs with the plugins or ``CreateJob``, never with
``/_sim`` routes, and moves its devices through ``Devices``: the simulator
plays a script, MiniStack's devices report through the ``iot-jobs-data``
plane (StartNextPendingJobExecution, UpdateJobExecution) as real devices do.
"""

from __future__ import annotations

import os
import urllib.request

import boto3
import pytest

from helpers import advance_until
from local_endpoint import device

REGION = "us-east-1"
ENDPOINT = os.environ.get("IOTOPS_ENDPOINT", "local")
ON_MINISTACK = ENDPOINT == "ministack"
SIMULATOR_ONLY = "needs the simulator's scripted devices, faults or request log"


def xfail_on_ministack(reason: str):
    """A test MiniStack fails where AWS's documentation supports the local endpoint."""
    return pytest.mark.xfail(ON_MINISTACK, reason=reason, strict=True)


class Target:
    """An endpoint under test: its URL, boto3 clients, and its devices."""

    def __init__(self, url: str, access_key: str, secret_key: str):
        self.url = url
        self.credentials = dict(aws_access_key_id=access_key, aws_secret_access_key=secret_key)
        self.devices = self.make_devices()

    def make_devices(self) -> "Devices":
        raise NotImplementedError

    def client(self, service: str = "iot"):
        return boto3.client(service, endpoint_url=self.url, region_name=REGION, **self.credentials)

    def thing_arn(self, thing: str) -> str:
        return self.client().describe_thing(thingName=thing)["thingArn"]


class Devices:
    """How each thing ends its execution of a job.

    ``expect`` is called before the job exists, ``report`` once it does; a
    thing without an outcome stays ``QUEUED``.  An outcome is a status, or
    ``(status, statusDetails)``.
    """

    def __init__(self, target: Target):
        self.target = target
        self.outcomes: dict = {}

    def register(self, things) -> None:
        raise NotImplementedError

    def expect(self, outcomes: dict) -> None:
        self.outcomes = {thing: outcome if isinstance(outcome, tuple) else (outcome, {})
                         for thing, outcome in outcomes.items()}

    def report(self, job_id: str) -> None:
        raise NotImplementedError


class SimulatedDevices(Devices):
    """The fleet simulator plays each outcome as a device script."""

    def register(self, things) -> None:
        self.target.local.fleet.ensure_things(list(things))

    def expect(self, outcomes: dict) -> None:
        super().expect(outcomes)
        self.target.local.fleet.set_devices(devices={
            thing: device(None if status == "IN_PROGRESS" else status, start=0.0, finish=0.01, details=details or None)
            for thing, (status, details) in self.outcomes.items()})

    def report(self, job_id: str) -> None:
        fleet = self.target.local.fleet

        def reported():
            return all(getattr(fleet.execution(job_id, thing), "status", None) == status
                       for thing, (status, _details) in self.outcomes.items())

        advance_until(self.target.local, reported)


class JobsDataDevices(Devices):
    """Each thing reports as a real device does, through ``iot-jobs-data``."""

    def register(self, things) -> None:
        iot = self.target.client()
        for thing in things:
            iot.create_thing(thingName=thing)

    def report(self, job_id: str) -> None:
        jobs_data = self.target.client("iot-jobs-data")
        for thing, (status, details) in self.outcomes.items():
            started = jobs_data.start_next_pending_job_execution(thingName=thing)["execution"]
            assert started["jobId"] == job_id, started
            if status == "IN_PROGRESS":
                continue
            update = dict(thingName=thing, jobId=job_id, status=status,
                          expectedVersion=started["versionNumber"])
            if details:
                update["statusDetails"] = details
            jobs_data.update_job_execution(**update)


class LocalTarget(Target):
    def __init__(self, local, access_key: str, secret_key: str):
        self.local = local
        super().__init__(local.url, access_key, secret_key)

    def make_devices(self) -> Devices:
        return SimulatedDevices(self)

    def thing_arn(self, thing: str) -> str:
        return self.local.fleet.thing_arn(thing)


class MiniStackTarget(Target):
    def make_devices(self) -> Devices:
        return JobsDataDevices(self)

    def reset(self) -> None:
        request = urllib.request.Request(self.url + "/_ministack/reset", data=b"{}", method="POST",
                                         headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=30) as answer:  # noqa: S310 - a loopback URL the tests set
            answer.read()
