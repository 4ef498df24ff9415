"""iot_package_configuration in real ansible-playbook runs against the
local endpoint: enable with a role, rerun, disable, check mode, diff, bad
input, and a lost UpdatePackageConfiguration answer.
"""

from __future__ import annotations

import pytest

from helpers import SECRET_KEY, module_task, one_line, writes

ROLE = "arn:aws:iam::123456789012:role/iot-package-shadow"
OFF = {"enabled": False, "role_arn": None}
ON = {"enabled": True, "role_arn": ROLE}


def configuration_task(task_name, ignore_errors=False, **version_update_by_jobs):
    return module_task("iot_package_configuration", task_name, ignore_errors, version_update_by_jobs=version_update_by_jobs)


def aws_configuration(iot):
    return iot.client().get_package_configuration()["versionUpdateByJobsConfig"]


@pytest.mark.smoke
def test_enable_then_rerun_then_disable_keeping_the_role_with_diff_and_no_secret(iot, playbook):
    run = playbook([
        configuration_task("enable", enabled=True, role_arn=ROLE),
        configuration_task("again", enabled=True, role_arn=ROLE),
        configuration_task("disable", enabled=False),
        configuration_task("disabled again", enabled=False),
    ], args=("--diff",))
    assert run.rc == 0, run.output
    assert [run.result(task)["changed"] for task in ("enable", "again", "disable", "disabled again")] == [
        True, False, True, False]
    assert run.result("enable")["package_configuration"] == {"version_update_by_jobs": ON}
    assert run.result("enable")["diff"] == {"before": {"version_update_by_jobs": OFF}, "after": {"version_update_by_jobs": ON}}
    assert run.result("again")["diff"] == {"before": {}, "after": {}}
    # role_arn unset: the module sends the current role again, as the request replaces the whole config.
    assert run.result("disable")["package_configuration"] == {"version_update_by_jobs": dict(ON, enabled=False)}
    assert writes(iot) == ["UpdatePackageConfiguration"] * 2
    assert aws_configuration(iot) == {"enabled": False, "roleArn": ROLE}
    assert SECRET_KEY not in run.output


def test_another_role_replaces_the_role(iot, playbook):
    iot.client().update_package_configuration(versionUpdateByJobsConfig={"enabled": True, "roleArn": ROLE})
    before = len(iot.calls())
    other = ROLE + "-v2"
    run = playbook([configuration_task("other role", enabled=True, role_arn=other)])
    assert run.rc == 0, run.output
    assert run.result("other role")["changed"] is True
    assert writes(iot, before) == ["UpdatePackageConfiguration"]
    assert aws_configuration(iot) == {"enabled": True, "roleArn": other}


def test_check_mode_predicts_the_change_and_sends_no_write(iot, playbook):
    run = playbook([configuration_task("enable", enabled=True, role_arn=ROLE),
                    configuration_task("unchanged", enabled=False)], check=True, args=("--diff",))
    assert run.rc == 0, run.output
    assert run.result("enable")["changed"] is True and run.result("unchanged")["changed"] is False
    assert run.result("enable")["diff"]["after"] == {"version_update_by_jobs": ON}
    assert run.result("enable")["package_configuration"] == {"version_update_by_jobs": OFF}
    assert writes(iot) == []
    assert aws_configuration(iot) == {"enabled": False}


BAD_INPUT = [
    (dict(enabled=True), "version_update_by_jobs.role_arn: is needed with enabled=true"),
    (dict(enabled=True, role_arn="iot-package-shadow"),
     "version_update_by_jobs.role_arn: 'iot-package-shadow' is not an IAM role ARN"),
    (dict(enabled=True, role_arn="arn:aws:iot:us-east-1:123456789012:thing/x"),
     "version_update_by_jobs.role_arn: 'arn:aws:iot:us-east-1"),
    (dict(enabled="sometimes", role_arn=ROLE), "version_update_by_jobs.enabled: must be a boolean"),
]


def test_bad_input_fails_in_one_line_naming_the_option_and_sends_nothing(iot, playbook):
    run = playbook([configuration_task("bad {0}".format(index), ignore_errors=True, **options)
                    for index, (options, expected) in enumerate(BAD_INPUT)]
                   + [module_task("iot_package_configuration", "no options", ignore_errors=True)], ignore_errors=True)
    for index, (options, message) in enumerate(BAD_INPUT):
        found = one_line(run, "bad {0}".format(index))
        assert found.startswith(message), (options, found)
    assert "version_update_by_jobs" in one_line(run, "no options")
    assert iot.calls() == []


def test_an_update_whose_answer_was_lost_is_sent_again_and_succeeds(iot, playbook):
    iot.set_faults(lose_answer_once=["UpdatePackageConfiguration"])
    run = playbook([configuration_task("enable", enabled=True, role_arn=ROLE)])
    assert run.rc == 0, run.output
    assert run.result("enable")["changed"] is True
    assert run.result("enable")["package_configuration"] == {"version_update_by_jobs": ON}
    updates = iot.calls("UpdatePackageConfiguration")
    assert [(c.attempt, c.fault, c.status) for c in updates] == [(1, "lose_answer", None), (2, None, 200)]
