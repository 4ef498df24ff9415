"""Invalid arguments fail before any request, with one line naming the option.

The cases are data: (plugin, arguments, the option the message must name).
Each plugin's cases run as tasks of one playbook, so the table grows
without slowing the suite.
"""

from __future__ import annotations

import pytest

INFO = "iotops.aws.iot_job_execution_info"
WAIT = "iotops.aws.iot_job_execution_wait"
LOOKUP = "iotops.aws.iot_job_execution"

LONG_JOB_ID = "j" * 65
LONG_THING = "t" * 129
KEYS = dict(access_key="AKIDEXAMPLE", secret_key="not-a-real-secret")
# For the lookup, "_terms" holds its positional terms.
ONE_THING = {"_terms": ["dev-1"]}

BAD_INPUT = [
    # iot_job_execution_info
    (INFO, dict(job_id=LONG_JOB_ID), "job_id"),
    (INFO, dict(job_id="fw 2.4.1"), "job_id"),
    (INFO, dict(job_id=""), "job_id"),
    (INFO, dict(thing_name=LONG_THING), "thing_name"),
    (INFO, dict(thing_name="dev/1"), "thing_name"),
    (INFO, dict(thing_name="arn:aws:iot:us-east-1:123456789012:thing/dev 1"), "thing_name"),
    (INFO, dict(job_id="fw", thing_name="dev-1", execution_number=-1), "execution_number"),
    (INFO, dict(job_id="fw", thing_name="dev-1", execution_number="two"), "execution_number"),
    (INFO, dict(job_id="fw", thing_name="dev-1", execution_number=1.5), "execution_number"),
    (INFO, dict(job_id="fw", execution_number=1), "execution_number"),
    (INFO, dict(job_id="fw", status="DONE"), "status"),
    (INFO, dict(status="FAILED"), "job_id"),
    (INFO, dict(job_id="fw", profile="ops", **KEYS), "profile"),
    (INFO, dict(job_id="fw", aws_config={"retries": {"mode": "eager"}}), "aws_config"),
    (INFO, dict(job_id="fw", jobid="fw"), "jobid"),
    (INFO, dict(job_id="fw", endpoint_url="not a url"), "endpoint_url"),
    (INFO, dict(job_id="fw", region="us east 1"), "region"),
    # iot_job_execution_wait
    (WAIT, dict(thing_names=["dev-1"]), "job_id"),
    (WAIT, dict(job_id="fw/1"), "job_id"),
    (WAIT, dict(job_id=LONG_JOB_ID), "job_id"),
    (WAIT, dict(job_id="fw", thing_names=["dev-1", "dev 2"]), "thing_names"),
    (WAIT, dict(job_id="fw", thing_names=[LONG_THING]), "thing_names"),
    (WAIT, dict(job_id="fw", thing_names=[]), "thing_names"),
    (WAIT, dict(job_id="fw", thing_names=["dev-1", "dev-1"]), "thing_names"),
    (WAIT, dict(job_id="fw", thing_names=["dev-1"], execution_number=-2), "execution_number"),
    (WAIT, dict(job_id="fw", thing_names=["dev-1"], execution_number="latest"), "execution_number"),
    (WAIT, dict(job_id="fw", thing_names=["dev-1", "dev-2"], execution_number=1), "execution_number"),
    (WAIT, dict(job_id="fw", execution_number=1), "execution_number"),
    (WAIT, dict(job_id="fw", timeout=0), "timeout"),
    (WAIT, dict(job_id="fw", timeout=-30), "timeout"),
    (WAIT, dict(job_id="fw", timeout="soon"), "timeout"),
    (WAIT, dict(job_id="fw", timeout=10, sleep=11), "sleep"),
    (WAIT, dict(job_id="fw", sleep=0), "sleep"),
    (WAIT, dict(job_id="fw", timeout=10, delay=10), "delay"),
    (WAIT, dict(job_id="fw", delay=-1), "delay"),
    (WAIT, dict(job_id="fw", fail_on=["FAILED", "IN_PROGRESS"]), "fail_on"),
    (WAIT, dict(job_id="fw", fail_on=["QUEUED"]), "fail_on"),
    (WAIT, dict(job_id="fw", fail_on=["BROKEN"]), "fail_on"),
    (WAIT, dict(job_id="fw", max_failure_percent=150), "max_failure_percent"),
    (WAIT, dict(job_id="fw", max_failure_percent=-1), "max_failure_percent"),
    (WAIT, dict(job_id="fw", max_failures=-1), "max_failures"),
    (WAIT, dict(job_id="fw", max_failures=1, max_failure_percent=5), "max_failure_percent"),
    (WAIT, dict(job_id="fw", profile="ops", **KEYS), "profile"),
    (WAIT, dict(job_id="fw", aws_config={"read_timeout": "long"}), "aws_config"),
    (WAIT, dict(job_id="fw", aws_config={"connect_timeout": -1}), "aws_config"),
    (WAIT, dict(job_id="fw", sleeps=5), "sleeps"),
    (WAIT, dict(job_id="fw", endpoint_url="ftp://iot.example.com"), "endpoint_url"),
    (WAIT, dict(job_id="fw", region="us east 1"), "region"),
    (WAIT, dict(job_id="fw", thing_group="stage a"), "thing_group"),
    (WAIT, dict(job_id="fw", thing_group="arn:aws:iot:us-east-1:123456789012:thing/stage-a"), "thing_group"),
    (WAIT, dict(job_id="fw", thing_group="stage-a", thing_names=["dev-1"]), "thing_group"),
    (WAIT, dict(job_id="fw", thing_group="stage-a", execution_number=1), "execution_number"),
    # the iot_job_execution lookup
    (LOOKUP, dict(ONE_THING), "job_id"),
    (LOOKUP, dict(ONE_THING, job_id=LONG_JOB_ID), "job_id"),
    (LOOKUP, dict(ONE_THING, job_id="fw.1"), "job_id"),
    (LOOKUP, dict(_terms=["dev 1"], job_id="fw"), "_terms"),
    (LOOKUP, dict(_terms=["dev-1", LONG_THING], job_id="fw"), "_terms"),
    (LOOKUP, dict(ONE_THING, job_id="fw", execution_number=-3), "execution_number"),
    (LOOKUP, dict(ONE_THING, job_id="fw", execution_number="first"), "execution_number"),
    (LOOKUP, dict(ONE_THING, job_id="fw", on_missing="ignore"), "on_missing"),
    (LOOKUP, dict(ONE_THING, job_id="fw", jobid="fw"), "jobid"),
    (LOOKUP, dict(ONE_THING, job_id="fw", profile="ops", **KEYS), "profile"),
    (LOOKUP, dict(ONE_THING, job_id="fw", aws_config={"read_timeout": "long"}), "aws_config"),
    (LOOKUP, dict(ONE_THING, job_id="fw", endpoint_url="iot.example.com"), "endpoint_url"),
    (LOOKUP, dict(ONE_THING, job_id="fw", region="us east 1"), "region"),
]


def bad_task(index, plugin, args):
    name = "case {0}".format(index)
    if plugin == LOOKUP:
        args = dict(args)
        terms = args.pop("_terms")
        return {"name": name, "ignore_errors": True, "vars": {"terms": terms, "options": args},
                "ansible.builtin.set_fact": {"found": "{{ query('" + LOOKUP + "', *terms, **options) }}"}}
    return {"name": name, "ignore_errors": True, plugin: args}


# One valid call at the end of each play: it proves the endpoint records
# what a task sends, so an empty record means no request was made.
VALID = {INFO: {"name": "valid", INFO: {"job_id": "no-such-job"}},
         WAIT: {"name": "valid", "ignore_errors": True, WAIT: {"job_id": "no-such-job"}},
         LOOKUP: {"name": "valid", "ignore_errors": True, "ansible.builtin.set_fact": {
             "found": "{{ query('" + LOOKUP + "', 'dev-1', job_id='no-such-job') }}"}}}
FIRST_CALL = {INFO: "ListJobExecutionsForJob", WAIT: "DescribeJob", LOOKUP: "DescribeJobExecution"}


def test_the_table_covers_every_plugin():
    plugins = [plugin for plugin, _args, _option in BAD_INPUT]
    assert len(BAD_INPUT) >= 25 and all(plugins.count(plugin) >= 8 for plugin in FIRST_CALL)


@pytest.mark.smoke
@pytest.mark.parametrize("plugin", [INFO, WAIT, LOOKUP])
def test_bad_input_fails_before_any_request(playbook, iot, plugin):
    cases = [(index, args, option) for index, (name, args, option) in enumerate(BAD_INPUT) if name == plugin]
    run = playbook([bad_task(index, plugin, args) for index, args, _option in cases] + [VALID[plugin]],
                   args=("-vvv",))

    wrong = []
    for index, args, option in cases:
        status, message = run.status("case {0}".format(index)), run.result("case {0}".format(index)).get("msg", "")
        if status != "failed" or option not in message or "\n" in message:
            wrong.append("{0} {1}: {2} {3!r}".format(index, args, status, message))
    assert not wrong, "\n".join(wrong)
    assert [call.api for call in iot.calls()] == [FIRST_CALL[plugin]], "only the valid task may send a request"
    assert "Traceback" not in run.output
