"""botocore's own endpoint variables, AWS_ENDPOINT_URL and
AWS_ENDPOINT_URL_IOT, reach every plugin when neither ``endpoint_url`` nor
AWS_URL is set: the modules, the wait on the controller and under ``async:``,
and the lookup.  Without them the requests would go to AWS, which this
machine cannot reach, so every task below depends on the variable."""

from __future__ import annotations

import pytest

from local_endpoint import Device

JOB = "fw-endpoint-env"
DONE = Device.from_dict({"outcome": "SUCCEEDED", "start": 0, "finish": 0})
WAIT = {"job_id": JOB, "thing_names": ["sensor-1"], "timeout": 30, "sleep": 0.5}


@pytest.mark.parametrize("variable", ["AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_IOT"])
def test_botocore_endpoint_variable_reaches_every_plugin(iot, playbook, variable):
    iot.fleet.create_job(JOB, things=["sensor-1"], default=DONE)
    iot.fleet.ensure_things(["sensor-2"])
    iot.fleet.set_devices(default=DONE)
    tasks = [
        {"name": "module", "iotops.aws.iot_job_info": {"job_id": JOB}, "register": "info"},
        {"name": "write module", "iotops.aws.iot_job": {"job_id": "fw-endpoint-env-2", "targets": ["sensor-2"],
                                                        "document": {"operation": "noop"}}},
        {"name": "wait on the controller", "iotops.aws.iot_job_execution_wait": WAIT},
        {"name": "wait under async", "iotops.aws.iot_job_execution_wait": WAIT, "async": 60, "poll": 1},
        {"name": "lookup", "ansible.builtin.assert": {
            "that": "query('iotops.aws.iot_job_execution', 'sensor-1', job_id='{0}')[0].status == 'SUCCEEDED'"
                    .format(JOB)}},
    ]

    run = playbook(tasks, env={"AWS_URL": None, variable: iot.url})

    assert run.rc == 0, run.output
    assert run.result("module")["jobs"][0]["job_id"] == JOB
    assert run.result("write module")["changed"] is True
    assert run.result("wait on the controller")["verdict"] == "succeeded"
    assert run.result("wait under async")["verdict"] == "succeeded"
    assert len(iot.calls("CreateJob")) == 1
    assert iot.calls("DescribeJobExecution"), "the lookup's request never reached the endpoint"
