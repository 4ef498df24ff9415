"""examples/release.yml runs as written against the local endpoint: a good
build is published, rolled out stage by stage on one job made from the
template, and becomes the package's default; a bad build stops at its
stage's gate, its job canceled and its version deprecated, the package's
default left on the last good build.  Run again, neither writes anything.
The stage groups' devices come from the example itself; devices run on the
request-driven clock."""

from __future__ import annotations

import json

import pytest
import yaml

from helpers import ROOT, base_env, notified, package_shadow, package_version, run_playbook, writes
from interruption import Interruption, gate_polled, kill_when_stopped, stage_written
from local_endpoint.fleet import Device

EXAMPLE = ROOT / "examples" / "release.yml"
PLAY_VARS = yaml.safe_load(EXAMPLE.read_text())[0]["vars"]
GROUPS = PLAY_VARS["stage_devices"]
PACKAGE, FIRMWARE = PLAY_VARS["package"], PLAY_VARS["firmware"]
JOB = "sensor-firmware-2-5-0"
ROLE_ARN = "arn:aws:iam::123456789012:role/package-updates"
OK = Device.from_dict(dict(outcome="SUCCEEDED", start=0.5, finish=3))
BAD = Device.from_dict(dict(outcome="FAILED", start=0.5, finish=3, details={"reason": "flash write error"}))
# The writes of a first release, besides the things joining their groups.
RELEASE_WRITES = ["UpdatePackageConfiguration", "CreatePackage", "CreatePackageVersion",
                  "CreateThingGroup", "CreateThingGroup", "CreateThingGroup", "CreateJobTemplate",
                  "UpdatePackageVersion", "CreateJob", "AssociateTargetsWithJob", "AssociateTargetsWithJob"]


@pytest.fixture(autouse=True)
def devices(iot, request_clock):
    """The devices are registered and succeed; filling the groups is the example's job."""
    iot.fleet.ensure_things(sum(GROUPS.values(), []))
    iot.fleet.set_devices(default=OK)
    request_clock(0.25)


def example_args(tmp_path):
    extra = dict(gate_sleep=0.2, report_dir=str(tmp_path / "reports"), package_update_role_arn=ROLE_ARN)
    return ["-e", json.dumps(extra)]


def run_example(tmp_path, iot):
    return run_playbook(tmp_path, EXAMPLE, base_env(iot.url), args=example_args(tmp_path), timeout=240)


def written(api):
    """The play has sent ``api``."""
    return lambda requests: any(request.api == api for request in requests)


def catalog(iot):
    """The package's default version and the build's status, as AWS has them."""
    client = iot.client()
    default = client.get_package(packageName=PACKAGE).get("defaultVersionName")
    return default, client.get_package_version(packageName=PACKAGE, versionName=FIRMWARE)["status"]


def released_before(iot, version):
    """An earlier build, published and the package's default."""
    iot.client().create_package(packageName=PACKAGE, description="Firmware of the field sensors")
    package_version(iot, PACKAGE, version)
    iot.client().update_package(packageName=PACKAGE, defaultVersionName=version)
    iot.faulty.clear()


def test_a_good_build_reaches_every_stage_and_becomes_the_default(tmp_path, iot):
    run = run_example(tmp_path, iot)

    assert run.rc == 0, run.output
    done = writes(iot)
    assert [api for api in done if api != "AddThingToThingGroup"] == RELEASE_WRITES + ["UpdatePackage"]
    assert done.count("AddThingToThingGroup") == sum(len(things) for things in GROUPS.values())
    assert catalog(iot) == (FIRMWARE, "PUBLISHED")
    arn = run.result("Register the build as a draft version")["package_version"]["package_version_arn"]
    job = iot.client().describe_job(jobId=JOB)["job"]
    assert job["destinationPackageVersions"] == [arn] and job["jobTemplateArn"].endswith(":jobtemplate/sensor-firmware-update")
    assert notified(iot, JOB) == set(sum(GROUPS.values(), []))
    # The configuration the example set lets AWS record the build on each device.
    assert package_shadow(iot, GROUPS["sensor-rest"][-1]) == {PACKAGE: {"version": FIRMWARE}}
    assert iot.client().get_package_configuration()["versionUpdateByJobsConfig"] == {"enabled": True, "roleArn": ROLE_ARN}

    again = len(iot.calls())
    rerun = run_example(tmp_path, iot)
    assert rerun.rc == 0, rerun.output
    assert writes(iot, again) == []
    assert not any(result["changed"] for result in rerun.results if "changed" in result), rerun.output


def test_a_bad_build_is_stopped_deprecated_and_never_made_the_default(tmp_path, iot):
    released_before(iot, "2.4.1")
    # 1 of the early wave's 6 fails, its retry too: over the stage's 2 %.
    iot.fleet.set_devices(default=OK, devices={GROUPS["sensor-early-wave"][1]: BAD})

    run = run_example(tmp_path, iot)

    assert run.rc != 0
    message = run.result("Stop the release")["msg"]
    assert message.startswith("sensor-firmware 2.5.0 was not released: ") and "early wave" in message, message
    assert "\n" not in message
    done = [api for api in writes(iot) if api != "AddThingToThingGroup"]
    assert done == [api for api in RELEASE_WRITES if api not in ("CreatePackage", "AssociateTargetsWithJob")] + [
        "AssociateTargetsWithJob", "CancelJob", "UpdatePackageVersion"]
    assert catalog(iot) == ("2.4.1", "DEPRECATED")
    assert iot.client().describe_job(jobId=JOB)["job"]["status"] == "CANCELED"
    assert not notified(iot, JOB) & set(GROUPS["sensor-rest"])

    # Run again, it stops before any write: a deprecated build is not released again.
    again = len(iot.calls())
    rerun = run_example(tmp_path, iot)
    assert rerun.rc != 0
    assert rerun.status("Stop, the build was deprecated by a failed release") == "failed"
    assert writes(iot, again) == []
    assert catalog(iot) == ("2.4.1", "DEPRECATED")


@pytest.mark.parametrize("at, kind", [
    (written("UpdatePackageVersion"), "write"),
    (stage_written(1), "write"),
    (gate_polled("sensor-early-wave"), "gate"),
    (written("UpdatePackage"), "write"),
], ids=["after the publish", "after the job's creation", "during the second gate", "after the default was set"])
def test_a_rerun_after_a_kill_ends_released_with_no_write_twice(tmp_path, iot, monkeypatch, at, kind):
    interruption = Interruption(iot, at, kind)
    monkeypatch.setattr(iot.fleet, "clock", interruption)
    kill_when_stopped(tmp_path, iot, interruption, EXAMPLE, args=example_args(tmp_path))
    interruption.resume()

    run = run_example(tmp_path, iot)

    assert run.rc == 0, run.output
    assert [api for api in writes(iot) if api != "AddThingToThingGroup"] == RELEASE_WRITES + ["UpdatePackage"]
    assert catalog(iot) == (FIRMWARE, "PUBLISHED")
    assert notified(iot, JOB) == set(sum(GROUPS.values(), []))
