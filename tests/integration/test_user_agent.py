"""Every request of every plugin says who sent it: its User-Agent carries
``iotops.aws/<galaxy.yml's version>`` and ``ansible-core/<version>``, as the
endpoint's request log records it.

Each plugin, and each path of the wait (the action on the controller, the
module under ``async:``), runs in a play of its own, so that every request
logged is that plugin's.
"""

from __future__ import annotations

import pytest
import yaml
from ansible.module_utils.ansible_release import __version__ as ANSIBLE_CORE_VERSION

from helpers import ROOT, advance_until
from local_endpoint import device

JOB = "fw-ua"
VERSION = yaml.safe_load((ROOT / "galaxy.yml").read_text())["version"]
WAIT = dict(job_id=JOB, thing_names=["dev-2"], timeout=20, sleep=0.2)

PLUGINS = {
    "iot_job": {"iotops.aws.iot_job": dict(job_id="fw-ua-new", targets=["dev-1"], document={"version": "2"})},
    "iot_job_info": {"iotops.aws.iot_job_info": dict(job_id=JOB)},
    "iot_job_execution_info": {"iotops.aws.iot_job_execution_info": dict(job_id=JOB, thing_name="dev-2")},
    "iot_job_execution": {"iotops.aws.iot_job_execution": dict(job_id=JOB, thing_name="dev-1", state="canceled")},
    "iot_job_template": {"iotops.aws.iot_job_template": dict(job_template_id="fw-ua-template", description="UA", document={"version": "2"})},
    "iot_job_template_info": {"iotops.aws.iot_job_template_info": dict(managed=True)},
    "iot_package_version": {"iotops.aws.iot_package_version": dict(package="fw-ua", version="1.0", state="absent")},
    "iot_thing_group": {"iotops.aws.iot_thing_group": dict(name="fw-ua-group", things=["dev-1"])},
    "iot_thing_group_info": {"iotops.aws.iot_thing_group_info": {}},
    "iot_package": {"iotops.aws.iot_package": dict(name="fw-ua-package", description="UA")},
    "iot_package_configuration": {"iotops.aws.iot_package_configuration": dict(version_update_by_jobs={"enabled": False})},
    "iot_package_info": {"iotops.aws.iot_package_info": {}},
    "lookup": {"ansible.builtin.set_fact": {"found": "{{ query('iotops.aws.iot_job_execution', 'dev-2', job_id='" + JOB + "') }}"}},
    "wait, action": {"iotops.aws.iot_job_execution_wait": WAIT},
    "wait, module under async": {"iotops.aws.iot_job_execution_wait": WAIT, "async": 60, "poll": 1},
}


@pytest.mark.parametrize("plugin", PLUGINS)
def test_every_request_names_the_collection_and_ansible_core(iot, playbook, plugin):
    iot.fleet.create_job(JOB, things=["dev-1", "dev-2"], devices={"dev-2": device("SUCCEEDED", start=0, finish=0.01)})
    advance_until(iot, lambda: iot.fleet.execution(JOB, "dev-2").status == "SUCCEEDED")

    run = playbook([dict(PLUGINS[plugin], name=plugin)])

    assert run.status(plugin) == "ok", run.result(plugin)
    calls = iot.calls()
    assert calls, "{0} sent no request".format(plugin)
    words = ("iotops.aws/{0}".format(VERSION), "ansible-core/{0}".format(ANSIBLE_CORE_VERSION))
    for call in calls:
        assert all(word in (call.user_agent or "").split() for word in words), (call.api, call.user_agent)
