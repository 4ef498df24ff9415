"""iot_job_template's options and plans: checks, what differs from the
template AWS has, and what to send."""

from __future__ import annotations

import json

import pytest
from ansible.module_utils.common.arg_spec import ArgumentSpecValidator

from ansible_collections.iotops.aws.plugins.module_utils.job_template_options import (
    TEMPLATE_ARGUMENT_SPEC,
    TEMPLATE_MODULE_KWARGS,
    check_template_options,
    create_template_request,
)
from ansible_collections.iotops.aws.plugins.module_utils.job_template_plan import current_settings, plan_absent, plan_present
from ansible_collections.iotops.aws.plugins.module_utils.shaping import snake_case
from ansible_collections.iotops.aws.plugins.module_utils.validation import InvalidOption

ARN = "arn:aws:iot:us-east-1:123456789012:jobtemplate/fw"
ROLE = "arn:aws:iam::123456789012:role/firmware"
PACKAGE = "arn:aws:iot:us-east-1:123456789012:package/fw/version/2.4.1"
DOCUMENT = {"operation": "install", "version": "2.4.1"}
VALIDATOR = ArgumentSpecValidator(TEMPLATE_ARGUMENT_SPEC, mutually_exclusive=TEMPLATE_MODULE_KWARGS["mutually_exclusive"])
OPTIONS = dict(
    job_template_id="fw",
    description="Firmware",
    document=DOCUMENT,
    presigned_url=dict(role_arn=ROLE),
    rollout=dict(maximum_per_minute=50),
    abort=[dict(failure_type="FAILED", threshold_percentage=10, min_number_of_executed_things=20)],
    in_progress_timeout_minutes=60,
    retry=[dict(failure_type="TIMED_OUT", number_of_retries=2)],
    maintenance_windows=[dict(start_time="cron(0 2 ? * SUN *)", duration_in_minutes=120)],
    destination_package_versions=[PACKAGE],
)
# DescribeJobTemplate's answer for the template OPTIONS created: AWS echoes defaults (expiresInSec, action).
DESCRIBED = dict(
    jobTemplateId="fw", jobTemplateArn=ARN, description="Firmware", document=json.dumps(DOCUMENT),
    presignedUrlConfig=dict(roleArn=ROLE, expiresInSec=3600),
    jobExecutionsRolloutConfig=dict(maximumPerMinute=50),
    abortConfig=dict(criteriaList=[dict(failureType="FAILED", action="CANCEL", thresholdPercentage=10.0,
                                        minNumberOfExecutedThings=20)]),
    timeoutConfig=dict(inProgressTimeoutInMinutes=60),
    jobExecutionsRetryConfig=dict(criteriaList=[dict(failureType="TIMED_OUT", numberOfRetries=2)]),
    maintenanceWindows=[dict(startTime="cron(0 2 ? * SUN *)", durationInMinutes=120)],
    destinationPackageVersions=[PACKAGE],
)


def params(**given):
    given = dict(OPTIONS, **given)
    result = VALIDATOR.validate(dict((key, value) for key, value in given.items() if value is not None))
    if result.error_messages:
        raise ValueError("; ".join(result.error_messages))
    return check_template_options(result.validated_parameters)


def described(**changes):
    return snake_case(dict(DESCRIBED, **changes))


def test_a_new_template_is_created_with_every_setting_in_aws_names():
    plan = plan_present(params(tags={"team": "fw"}))
    assert plan.changed and plan.writes() == [("CreateJobTemplate", plan.create)]
    request = plan.create
    assert request["jobTemplateId"] == "fw" and json.loads(request["document"]) == DOCUMENT
    assert request["presignedUrlConfig"] == {"roleArn": ROLE, "expiresInSec": 3600}
    assert request["abortConfig"]["criteriaList"][0] == {"failureType": "FAILED", "action": "CANCEL",
                                                         "thresholdPercentage": 10, "minNumberOfExecutedThings": 20}
    assert request["maintenanceWindows"] == [{"startTime": "cron(0 2 ? * SUN *)", "durationInMinutes": 120}]
    assert request["destinationPackageVersions"] == [PACKAGE]
    assert request["tags"] == [{"Key": "team", "Value": "fw"}]
    assert plan.diff["before"] == {} and plan.diff["after"]["tags"] == {"team": "fw"}


def test_the_template_it_created_compares_equal_though_aws_echoes_defaults():
    plan = plan_present(params(), described(), {})
    assert not plan.changed and plan.error is None and plan.writes() == []
    assert plan.diff == {"before": {}, "after": {}}


def test_the_document_compares_as_json_and_packages_in_any_order():
    other = PACKAGE.replace("2.4.1", "2.4.2")
    template = described(document='{ "version": "2.4.1",  "operation": "install" }', destinationPackageVersions=[other, PACKAGE])
    assert not plan_present(params(destination_package_versions=[PACKAGE, other]), template, {}).changed


@pytest.mark.parametrize("given, named", [
    (dict(description="Other"), "description"),
    (dict(document={"v": 2}), "document"),
    (dict(presigned_url=dict(role_arn=ROLE, expires_in_sec=60)), "presigned_url"),
    (dict(rollout=dict(maximum_per_minute=5)), "rollout"),
    (dict(in_progress_timeout_minutes=5), "in_progress_timeout_minutes"),
    (dict(retry=[dict(failure_type="FAILED", number_of_retries=2)]), "retry"),
    (dict(maintenance_windows=[dict(start_time="cron(0 3 ? * SUN *)", duration_in_minutes=120)]), "maintenance_windows"),
    (dict(destination_package_versions=[]), "destination_package_versions"),
])
def test_a_difference_is_an_error_naming_the_setting_and_sends_nothing(given, named):
    plan = plan_present(params(**given), described(), {})
    assert plan.error.startswith("job template 'fw' exists with a different {0}, and AWS cannot update".format(named))
    assert plan.writes() == [] and not plan.changed


def test_a_setting_the_template_lacks_is_a_difference_and_one_it_has_but_the_task_omits_is_not():
    template = described()
    del template["timeout_config"]
    assert plan_present(params(), template, {}).drift == ["in_progress_timeout_minutes"]
    assert not plan_present(params(in_progress_timeout_minutes=None, rollout=None), described(), {}).changed


def test_replace_deletes_then_creates_and_keeps_the_tags_unless_given():
    plan = plan_present(params(description="Other", rollout=None, replace=True), described(), {"team": "fw"})
    assert [write[0] for write in plan.writes()] == ["DeleteJobTemplate", "CreateJobTemplate"]
    assert plan.delete == {"jobTemplateId": "fw"}
    assert plan.create["description"] == "Other" and "jobExecutionsRolloutConfig" not in plan.create
    assert plan.create["tags"] == [{"Key": "team", "Value": "fw"}]
    assert plan.diff["before"]["rollout"] == {"maximum_per_minute": 50} and "rollout" not in plan.diff["after"]
    assert plan.diff["before"]["tags"] == plan.diff["after"]["tags"] == {"team": "fw"}
    assert plan.message == "job template 'fw' replaced: its description differed"
    retagged = plan_present(params(description="Other", replace=True, tags={"new": "1"}), described(), {"team": "fw"})
    assert retagged.create["tags"] == [{"Key": "new", "Value": "1"}]


def test_replace_of_a_template_that_matches_changes_nothing():
    assert plan_present(params(replace=True), described(), {}).writes() == []


def test_tags_change_in_place_and_are_purged_only_when_asked():
    plan = plan_present(params(tags={"team": "ops", "new": "1"}), described(), {"team": "fw", "old": "x"})
    assert plan.tag == {"team": "ops", "new": "1"} and plan.untag == ["old"]
    assert [write[0] for write in plan.writes()] == ["TagResource", "UntagResource"]
    assert plan.writes()[0][1] == {"resourceArn": ARN, "tags": [{"Key": "team", "Value": "ops"}, {"Key": "new", "Value": "1"}]}
    kept = plan_present(params(tags={"new": "1"}, purge_tags=False), described(), {"old": "x"})
    assert kept.tag == {"new": "1"} and kept.untag == []


def test_creating_needs_a_description_and_a_document():
    assert plan_present(params(description=None)).error.startswith(
        "description: job template 'fw' does not exist, and creating it needs description")
    assert plan_present(params(document=None)).error == (
        "document: job template 'fw' does not exist, and creating it needs one of document, document_source, job_arn")
    assert plan_present(params(document=None, job_arn="arn:aws:iot:us-east-1:123456789012:job/fw-1")).create["jobArn"] == (
        "arn:aws:iot:us-east-1:123456789012:job/fw-1")


def test_absent_deletes_an_existing_template_only():
    assert plan_absent("fw").writes() == []
    plan = plan_absent("fw", described(), {"team": "fw"})
    assert plan.writes() == [("DeleteJobTemplate", {"jobTemplateId": "fw"})]
    assert plan.diff["before"]["tags"] == {"team": "fw"} and plan.diff["after"] == {}


def test_current_settings_are_in_option_names():
    settings = current_settings(described())
    assert settings["rollout"] == {"maximum_per_minute": 50}
    assert settings["maintenance_windows"] == [{"start_time": "cron(0 2 ? * SUN *)", "duration_in_minutes": 120}]
    assert settings["document"] == DOCUMENT


@pytest.mark.parametrize("given, message", [
    (dict(job_template_id="fw 1"), "job_template_id: 'fw 1' is not a job template ID"),
    (dict(job_arn="arn:aws:iot:us-east-1:123456789012:thing/x", document=None), "job_arn: "),
    (dict(maintenance_windows=[dict(start_time="", duration_in_minutes=5)]), "maintenance_windows[0].start_time: must be 1 to 256"),
    (dict(destination_package_versions=["x"] * 26), "destination_package_versions: at most 25, got 26"),
    (dict(document_source="s3://bucket/doc.json", document=None), "document_source: 's3://bucket/doc.json' is not an S3 object URL"),
])
def test_bad_options_name_the_option(given, message):
    with pytest.raises(InvalidOption) as raised:
        params(**given)
    assert str(raised.value).startswith(message)


def test_the_request_keeps_a_string_document_as_written():
    request = create_template_request(params(document='{"b": 1, "a": 2}'))
    assert request["document"] == '{"b": 1, "a": 2}'
