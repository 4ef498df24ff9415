"""iot_job's and iot_job_execution's option checks, and the job settings' requests."""

from __future__ import annotations

import datetime
import json

import pytest
from ansible.module_utils.common.arg_spec import ArgumentSpecValidator
from job_params import JOB_VALIDATOR, execution_params, job_params, validated

from ansible_collections.iotops.aws.plugins.module_utils.iot_job_execution_options import check_execution_options
from ansible_collections.iotops.aws.plugins.module_utils.iot_job_options import (
    JOB_ARGUMENT_SPEC,
    check_job_options,
    create_job_request,
    creation_needs,
    document_text,
    parse_document,
    update_job_request,
)
from ansible_collections.iotops.aws.plugins.module_utils import job_options
from ansible_collections.iotops.aws.plugins.module_utils.job_options import argument_spec, check_schedule_ahead, check_settings, request_members
from ansible_collections.iotops.aws.plugins.module_utils.validation import InvalidOption, option_type_error

RATE = dict(base_rate_per_minute=10, increment_factor=2, rate_increase_criteria=dict(number_of_notified_things=5))
ABORT = dict(failure_type="FAILED", threshold_percentage=10, min_number_of_executed_things=5)
WINDOW = dict(start_time="cron(0 2 ? * SUN *)", duration_in_minutes=60)
ROLE = "arn:aws:iam::123456789012:role/firmware"
PACKAGE = "arn:aws:iot:us-east-1:123456789012:package/fw/version/2.4.1"


def rollout_rate(**changes):
    rate = dict(RATE, **changes)
    return dict(rollout=dict(exponential_rate=rate))


BAD_JOB_OPTIONS = [
    (dict(targets=["t{0}".format(i) for i in range(101)]), "targets: give 1 to 100 targets, AWS's limit, got 101"),
    (dict(targets=["a", "b", "a"]), "targets: names a more than once"),
    (dict(document="{not json"), "document: is not valid JSON"),
    (dict(document="[1, 2]"), "document: must be a JSON object (a dict), got list"),
    (dict(document=["x"]), "document: must be a JSON object (a dict), got list"),
    (dict(document={"x": "y" * 32768}), "document: must be at most 32768 characters as JSON"),
    (dict(document_source="s3://bucket/doc.json"), "document_source: 's3://bucket/doc.json' is not an S3 object URL"),
    (dict(document_source="https://" + "x" * 1343), "document_source: must be 1 to 1350 characters, got 1351"),
    (dict(job_template_arn="template-1"), "job_template_arn: 'template-1' is not a job template ARN"),
    (dict(job_template_arn="arn:aws:iot:::jobtemplate/t", document_parameters={"bad key": "x"}), "document_parameters: key 'bad key'"),
    (dict(job_template_arn="arn:aws:iot:::jobtemplate/t", document_parameters={"version": 2.1}),
     "document_parameters.version: must be a string, got 2.1 (quote it)"),
    (dict(job_template_arn="arn:aws:iot:::jobtemplate/t", document_parameters={"version": ""}),
     "document_parameters.version: must be 1 to 30720 characters, got 0"),
    (dict(description=""), "description: must be 1 to 2028 characters, got 0"),
    (dict(description="x" * 2029), "description: must be 1 to 2028 characters, got 2029"),
    (dict(description="line\nbreak"), "description: must not contain control characters"),
    (dict(rollout=dict(maximum_per_minute=0)), "rollout.maximum_per_minute: must be 1 to 1000, got 0"),
    (dict(rollout=dict(maximum_per_minute=1001)), "rollout.maximum_per_minute: must be 1 to 1000, got 1001"),
    (rollout_rate(base_rate_per_minute=0), "rollout.exponential_rate.base_rate_per_minute: must be 1 to 1000, got 0"),
    (rollout_rate(base_rate_per_minute=1001), "rollout.exponential_rate.base_rate_per_minute: must be 1 to 1000, got 1001"),
    (rollout_rate(increment_factor=1.09), "rollout.exponential_rate.increment_factor: must be 1.1 to 5, got 1.09"),
    (rollout_rate(increment_factor=5.01), "rollout.exponential_rate.increment_factor: must be 1.1 to 5, got 5.01"),
    (rollout_rate(rate_increase_criteria=dict(number_of_succeeded_things=0)),
     "rollout.exponential_rate.rate_increase_criteria.number_of_succeeded_things: must be 1 to 1000000000, got 0"),
    (dict(abort=[]), "abort: give at least one criterion, or omit the option"),
    (dict(abort=[ABORT, ABORT]), "abort failure_type: names FAILED more than once"),
    (dict(abort=[dict(ABORT, threshold_percentage=0)]), "abort[0].threshold_percentage: must be more than 0 and at most 100, got 0"),
    (dict(abort=[dict(ABORT, threshold_percentage=100.5)]), "abort[0].threshold_percentage: must be more than 0 and at most 100"),
    (dict(abort=[dict(ABORT, threshold_percentage=10.999)]), "abort[0].threshold_percentage: AWS takes at most 2 decimals, got 10.999"),
    (dict(abort=[dict(ABORT, min_number_of_executed_things=0)]), "abort[0].min_number_of_executed_things: must be 1 to 1000000000, got 0"),
    (dict(in_progress_timeout_minutes=0), "in_progress_timeout_minutes: must be 1 to 10080 minutes, got 0"),
    (dict(in_progress_timeout_minutes=10081), "in_progress_timeout_minutes: must be 1 to 10080 minutes, got 10081"),
    (dict(retry=[]), "retry: give at least one criterion, or omit the option"),
    (dict(retry=[dict(failure_type="FAILED", number_of_retries=-1)]), "retry[0].number_of_retries: must be 0 to 10, got -1"),
    (dict(retry=[dict(failure_type="FAILED", number_of_retries=11)]), "retry[0].number_of_retries: must be 0 to 10, got 11"),
    (dict(retry=[dict(failure_type="FAILED", number_of_retries=1)] * 2), "retry failure_type: names FAILED more than once"),
    (dict(retry=[dict(failure_type=kind, number_of_retries=1) for kind in ("FAILED", "TIMED_OUT", "ALL")]),
     "retry: at most 2 criteria, got 3"),
    (dict(retry=[dict(failure_type="FAILED", number_of_retries=6), dict(failure_type="TIMED_OUT", number_of_retries=5)]),
     "retry: at most 10 retries in total, got 11"),
    (dict(presigned_url=dict(role_arn="arn:short")), "presigned_url.role_arn: must be 20 to 2048 characters, got 9"),
    (dict(presigned_url=dict(role_arn=ROLE, expires_in_sec=59)), "presigned_url.expires_in_sec: must be 60 to 3600 seconds, got 59"),
    (dict(presigned_url=dict(role_arn=ROLE, expires_in_sec=3601)), "presigned_url.expires_in_sec: must be 60 to 3600 seconds, got 3601"),
    (dict(scheduling=dict(start_time="next tuesday")), "scheduling.start_time: 'next tuesday' is not a date and time"),
    (dict(scheduling=dict(end_time="2030-13-01T00:00")), "scheduling.end_time: '2030-13-01T00:00' is not a date and time"),
    (dict(scheduling=dict(start_time="2030-01-01T00:00", end_time="2030-01-01T00:29")),
     "scheduling.end_time: must be at least 30 minutes after scheduling.start_time"),
    (dict(scheduling=dict(start_time="2030-01-01T00:00", end_time="2032-01-03T00:00")),
     "scheduling.end_time: must be at most 2 years after scheduling.start_time"),
    (dict(scheduling=dict(end_behavior="CANCEL")), "scheduling.end_behavior: applies at scheduling.end_time: set it too"),
    (dict(scheduling=dict(maintenance_windows=[dict(WINDOW, duration_in_minutes=0)])),
     "scheduling.maintenance_windows[0].duration_in_minutes: must be 1 to 1430, got 0"),
    (dict(scheduling=dict(maintenance_windows=[WINDOW, dict(WINDOW, duration_in_minutes=1431)])),
     "scheduling.maintenance_windows[1].duration_in_minutes: must be 1 to 1430, got 1431"),
    (dict(scheduling=dict(maintenance_windows=[dict(WINDOW, start_time="x" * 257)])),
     "scheduling.maintenance_windows[0].start_time: must be 1 to 256 characters, got 257"),
    (dict(destination_package_versions=[PACKAGE] * 26), "destination_package_versions: at most 25, got 26"),
    (dict(destination_package_versions=["fw-2.4.1"]), "destination_package_versions: 'fw-2.4.1' is not a package version ARN"),
    (dict(tags=dict(("k{0}".format(i), "v") for i in range(51))), "tags: at most 50 tags, got 51"),
    (dict(tags={"aws:owner": "me"}), "tags: key 'aws:owner' must be"),
    (dict(tags={"": "x"}), "tags: key '' must be"),
    (dict(tags={"k" * 129: "x"}), "tags: key 'kkkkk"),
    (dict(tags={"release": 2.4}), "tags.release: must be a string, got 2.4 (quote it)"),
    (dict(tags={"release": "x" * 257}), "tags.release: must be at most 256 characters, got 257"),
    (dict(state="canceled", reason_code="canary failed"), "reason_code: 'canary failed' must be 1 to 128 characters of A-Z, 0-9 and _"),
    (dict(state="canceled", reason_code="X" * 129), "reason_code: "),
    (dict(state="canceled", comment="x" * 2029), "comment: must be 1 to 2028 characters, got 2029"),
    (dict(state="absent", wait_timeout=0), "wait_timeout: must be 1 to 3600 seconds, got 0"),
    (dict(state="absent", wait_timeout=3601), "wait_timeout: must be 1 to 3600 seconds, got 3601"),
]


@pytest.mark.parametrize("given, message", BAD_JOB_OPTIONS)
def test_out_of_range_job_options_fail_in_one_line_naming_the_option(given, message):
    params = job_params(**given)
    with pytest.raises(InvalidOption) as raised:
        check_job_options(params)
    assert str(raised.value).startswith(message)
    assert "\n" not in str(raised.value)


GOOD_JOB_OPTIONS = [
    dict(targets=["t{0}".format(i) for i in range(100)]),
    dict(document='{"operation": "install"}'),
    dict(document={"x": "y" * 32000}),
    dict(document_source="https://s3.eu-west-1.amazonaws.com/firmware/doc.json"),
    dict(job_template_arn="arn:aws:iot:us-east-1::jobtemplate/AWS-Download:1.0", document_parameters={"downloadUrl": "https://x"}),
    dict(description="x" * 2028),
    dict(rollout=dict(maximum_per_minute=1)),
    dict(rollout=dict(maximum_per_minute=1000)),
    rollout_rate(base_rate_per_minute=1, increment_factor=1.1),
    rollout_rate(base_rate_per_minute=1000, increment_factor=5),
    dict(abort=[dict(ABORT, threshold_percentage=100), dict(ABORT, failure_type="TIMED_OUT", threshold_percentage=0.01)]),
    dict(abort=[dict(ABORT, threshold_percentage=10.99)]),
    dict(in_progress_timeout_minutes=1),
    dict(in_progress_timeout_minutes=10080),
    dict(retry=[dict(failure_type="FAILED", number_of_retries=0)]),
    dict(retry=[dict(failure_type="FAILED", number_of_retries=5), dict(failure_type="TIMED_OUT", number_of_retries=5)]),
    dict(presigned_url=dict(role_arn=ROLE, expires_in_sec=60)),
    dict(presigned_url=dict(role_arn=ROLE)),
    dict(scheduling=dict(start_time="2030-01-01T00:00", end_time="2030-01-01T00:30", end_behavior="STOP_ROLLOUT",
                         maintenance_windows=[dict(WINDOW, duration_in_minutes=1), dict(WINDOW, duration_in_minutes=1430)])),
    dict(scheduling=dict(start_time="2030-01-01T02:00+02:00")),
    dict(destination_package_versions=[PACKAGE] * 25),
    dict(tags=dict(("k{0}".format(i), "v") for i in range(50))),
    dict(tags={"Cost Centre": "", "team/name": "x" * 256, "é": "ok"}),
    dict(state="canceled", reason_code="CANARY_FAILED_2", comment="Canaries failed the gate"),
    dict(state="absent", wait_timeout=1),
    dict(state="absent", wait_timeout=3600),
]


@pytest.mark.parametrize("given", GOOD_JOB_OPTIONS)
def test_options_within_aws_ranges_pass(given):
    params = job_params(**given)
    assert check_job_options(params) is params


ARGUMENT_SPEC_ERRORS = [
    (dict(document={"a": 1}, document_source="https://s3/x"), "mutually exclusive"),
    (dict(document_source="https://s3/x", job_template_arn="arn:aws:iot:::jobtemplate/t"), "mutually exclusive"),
    (dict(document_parameters={"a": "b"}), "document_parameters"),
    (dict(rollout=dict(maximum_per_minute=5, exponential_rate=RATE)), "mutually exclusive"),
    (dict(rollout={}), "one of the following is required"),
    (dict(rollout=dict(exponential_rate=dict(RATE, rate_increase_criteria={}))), "one of the following is required"),
    (dict(rollout=dict(exponential_rate=dict(RATE, rate_increase_criteria=dict(number_of_notified_things=1, number_of_succeeded_things=1)))),
     "mutually exclusive"),
    (dict(abort=[dict(failure_type="FAILED")]), "missing required arguments"),
    (dict(retry=[dict(failure_type="REJECTED", number_of_retries=1)]), "value of failure_type must be one of"),
    (dict(target_selection="ALL"), "value of target_selection must be one of"),
]


@pytest.mark.parametrize("given, fragment", ARGUMENT_SPEC_ERRORS)
def test_argument_spec_rejects(given, fragment):
    with pytest.raises(ValueError, match=fragment):
        job_params(**given)


def test_state_present_leaves_targets_and_the_document_to_creation():
    # A job that exists keeps what the task leaves out; only creating one needs them.
    assert creation_needs(validated(JOB_VALIDATOR, dict(job_id="fw", description="d"))) == (
        "targets: job 'fw' does not exist, and creating it needs targets and one of document, document_source, job_template_arn")
    assert creation_needs(validated(JOB_VALIDATOR, dict(job_id="fw", document={}))) == (
        "targets: job 'fw' does not exist, and creating it needs targets")
    assert creation_needs(validated(JOB_VALIDATOR, dict(job_id="fw", targets=["t"]))) == (
        "document: job 'fw' does not exist, and creating it needs one of document, document_source, job_template_arn")
    assert creation_needs(validated(JOB_VALIDATOR, dict(job_id="fw", targets=["t"], document_source="https://s3/x"))) is None
    validated(JOB_VALIDATOR, dict(job_id="fw", state="absent"))  # neither is needed to delete


def test_documents_parse_from_strings_and_dicts_alike():
    assert parse_document('{"b": [1, 2], "a": {"x": null}}') == {"a": {"x": None}, "b": [1, 2]}
    assert parse_document({"a": 1}) == {"a": 1}
    assert document_text('{ "kept" : "as written" }') == '{ "kept" : "as written" }'
    assert json.loads(document_text({"b": 1, "a": 2})) == {"a": 2, "b": 1}


FULL = dict(
    job_id="fw-2-4-1",
    targets=["canaries"],
    target_selection="CONTINUOUS",
    document={"operation": "install", "firmwareURL": "${aws:iot:s3-presigned-url:https://s3/fw.bin}"},
    description="Firmware 2.4.1",
    presigned_url=dict(role_arn=ROLE),
    rollout=dict(exponential_rate=dict(base_rate_per_minute=10, increment_factor=1.5,
                                       rate_increase_criteria=dict(number_of_succeeded_things=20))),
    abort=[ABORT],
    in_progress_timeout_minutes=30,
    retry=[dict(failure_type="TIMED_OUT", number_of_retries=2)],
    scheduling=dict(start_time="2030-01-01T02:00+02:00", end_time="2030-01-02T00:00", end_behavior="CANCEL",
                    maintenance_windows=[WINDOW]),
    destination_package_versions=[PACKAGE],
    tags={"release_Version": "2.4.1", "Cost Centre": "ops"},
)
ARNS = ["arn:aws:iot:us-east-1:123456789012:thinggroup/canaries"]


def test_create_request_is_createjobs_camel_case_with_user_keys_kept():
    request = create_job_request(job_params(**FULL), ARNS)
    assert request == dict(
        jobId="fw-2-4-1",
        targets=ARNS,
        targetSelection="CONTINUOUS",
        document=document_text(FULL["document"]),
        description="Firmware 2.4.1",
        presignedUrlConfig=dict(roleArn=ROLE, expiresInSec=3600),
        jobExecutionsRolloutConfig=dict(exponentialRate=dict(baseRatePerMinute=10, incrementFactor=1.5,
                                                             rateIncreaseCriteria=dict(numberOfSucceededThings=20))),
        abortConfig=dict(criteriaList=[dict(failureType="FAILED", action="CANCEL", thresholdPercentage=10, minNumberOfExecutedThings=5)]),
        timeoutConfig=dict(inProgressTimeoutInMinutes=30),
        jobExecutionsRetryConfig=dict(criteriaList=[dict(failureType="TIMED_OUT", numberOfRetries=2)]),
        schedulingConfig=dict(startTime="2030-01-01T00:00", endTime="2030-01-02T00:00", endBehavior="CANCEL",
                              maintenanceWindows=[dict(startTime=WINDOW["start_time"], durationInMinutes=60)]),
        destinationPackageVersions=[PACKAGE],
        tags=[dict(Key="release_Version", Value="2.4.1"), dict(Key="Cost Centre", Value="ops")],
    )


def test_create_request_keeps_template_parameters_verbatim_and_leaves_out_unset_options():
    params = job_params(job_template_arn="arn:aws:iot:us-east-1::jobtemplate/AWS-Run-Command:1.0",
                        document_parameters={"command": "reboot", "pathTo_Handler": "/x"})
    request = create_job_request(params, ARNS)
    assert request == dict(jobId="fw", targets=ARNS, targetSelection="SNAPSHOT",
                           jobTemplateArn="arn:aws:iot:us-east-1::jobtemplate/AWS-Run-Command:1.0",
                           documentParameters={"command": "reboot", "pathTo_Handler": "/x"})


def test_update_request_names_the_updatejob_members():
    changes = dict(description="d", in_progress_timeout_minutes=5, rollout=dict(maximum_per_minute=9, exponential_rate=None))
    request = update_job_request("fw", changes)
    assert request == dict(jobId="fw", description="d", timeoutConfig=dict(inProgressTimeoutInMinutes=5),
                           jobExecutionsRolloutConfig=dict(maximumPerMinute=9))


NOW = datetime.datetime(2030, 1, 1, 0, 0, tzinfo=datetime.timezone.utc)


@pytest.mark.parametrize(
    "scheduling, message",
    [
        (dict(start_time="2030-01-01T00:29"), "scheduling.start_time: must be at least 30 minutes from now (2030-01-01T00:00 UTC)"),
        (dict(start_time="2030-01-01T02:29+02:00"), "scheduling.start_time: must be at least 30 minutes from now"),
        (dict(end_time="2029-12-31T23:00"), "scheduling.end_time: must be at least 30 minutes from now"),
        (dict(start_time="2031-01-03T00:00"), "scheduling.start_time: must be at most a year from now"),
        (dict(end_time="2032-01-03T00:00"), "scheduling.end_time: must be at most two years from now"),
        (dict(start_time="2030-01-01T00:30"), None),
        (dict(start_time="2030-06-01T00:00", end_time="2031-12-01T00:00"), None),
        (dict(maintenance_windows=[WINDOW]), None),
    ],
)
def test_a_created_jobs_schedule_must_lie_ahead(scheduling, message):
    if message is None:
        check_schedule_ahead(scheduling, NOW)
        return
    with pytest.raises(InvalidOption) as raised:
        check_schedule_ahead(scheduling, NOW)
    assert str(raised.value).startswith(message)


BAD_EXECUTION_OPTIONS = [
    (dict(expected_version=-1), "expected_version: must be 0 or more, got -1"),
    (dict(state="absent", execution_number=1, expected_version=3), "expected_version: is checked by CancelJobExecution"),
    (dict(status_details=dict(("k{0}".format(i), "v") for i in range(11))), "status_details: at most 10 pairs, got 11"),
    (dict(status_details={"bad key": "v"}), "status_details: key 'bad key'"),
    (dict(status_details={"k" * 129: "v"}), "status_details: key 'kkk"),
    (dict(status_details={"reason": 3}), "status_details.reason: must be a string, got 3 (quote it)"),
    (dict(status_details={"reason": ""}), "status_details.reason: must be 1 to 32768 characters, got 0"),
    (dict(state="absent", execution_number=1, status_details={"a": "b"}), "status_details: is recorded by CancelJobExecution"),
]


@pytest.mark.parametrize("given, message", BAD_EXECUTION_OPTIONS)
def test_bad_execution_options_fail_naming_the_option(given, message):
    with pytest.raises(InvalidOption) as raised:
        check_execution_options(execution_params(**given))
    assert str(raised.value).startswith(message)


@pytest.mark.parametrize(
    "given",
    [
        dict(expected_version=0, status_details=dict(("Key:{0}".format(i), "v") for i in range(10))),
        dict(state="absent", execution_number=0, force=True),
    ],
)
def test_good_execution_options_pass(given):
    check_execution_options(execution_params(**given))


def test_state_absent_needs_the_execution_number():
    with pytest.raises(ValueError, match="execution_number"):
        execution_params(state="absent")


def test_the_settings_compose_into_another_modules_spec_checks_and_request():
    # A job template takes the same members: a module composes the pieces it offers, copying nothing.
    settings = (job_options.PRESIGNED_URL, job_options.ROLLOUT, job_options.ABORT, job_options.TIMEOUT, job_options.RETRY)
    spec = dict(job_template_id=dict(type="str", required=True), **argument_spec(*settings))
    params = validated(ArgumentSpecValidator(spec), dict(job_template_id="fw", rollout=dict(maximum_per_minute=9), retry=[
        dict(failure_type="FAILED", number_of_retries=1)]))
    check_settings(params, settings)
    assert request_members(params, settings) == dict(jobExecutionsRolloutConfig=dict(maximumPerMinute=9),
                                                     jobExecutionsRetryConfig=dict(criteriaList=[dict(failureType="FAILED", numberOfRetries=1)]))
    with pytest.raises(InvalidOption, match="^in_progress_timeout_minutes: must be 1 to 10080 minutes, got 0$"):
        check_settings(dict(params, in_progress_timeout_minutes=0), settings)


@pytest.mark.parametrize("params, message", [
    (dict(rollout=100), "rollout: must be a dictionary, got an integer (100)"),
    (dict(rollout=dict(exponential_rate=dict(base_rate_per_minute="x"))),
     "rollout.exponential_rate.base_rate_per_minute: must be an integer, got a string ('x')"),
    (dict(abort=[dict(failure_type="FAILED"), "x"]), "abort[1]: must be a dictionary, got a string ('x')"),
    (dict(abort="FAILED"), "abort: must be a list of dictionaries, got a string ('FAILED')"),
    (dict(force="maybe"), "force: must be a boolean, got a string ('maybe')"),
    (dict(document=5, targets="a,b", rollout="maximum_per_minute=5", force="yes"), None),  # what Ansible converts passes
])
def test_a_value_ansible_cannot_convert_is_named_with_the_type_it_takes(params, message):
    assert option_type_error(JOB_ARGUMENT_SPEC, params) == message
