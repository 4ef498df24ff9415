from __future__ import annotations

import pytest

from ansible_collections.iotops.aws.plugins.module_utils.validation import (
    OPTION_CHECKS,
    InvalidOption,
    check_execution_number,
    check_job_id,
    check_thing_name,
    check_thing_names,
    option_type_error,
    thing_name_from_arn,
)
from ansible_collections.iotops.aws.plugins.module_utils.vocabulary import (
    JOB_EXECUTION_STATUSES,
    PENDING_STATUSES,
    RETRYABLE_STATUSES,
    TERMINAL_STATUSES,
)

ACCOUNT = "123456789012"


def thing_arn(name, partition="aws", region="us-east-1"):
    return "arn:{0}:iot:{1}:{2}:thing/{3}".format(partition, region, ACCOUNT, name)


@pytest.mark.parametrize("job_id", ["j", "x" * 64, "fw-2_4-1", "ABCxyz0189", "_", "-"])
def test_valid_job_ids_are_returned_unchanged(job_id):
    assert check_job_id(job_id) == job_id


@pytest.mark.parametrize(
    "job_id",
    [
        "",
        "x" * 65,
        "fw 2",
        "fw.2",
        "fw/2",
        "fw:2",  # a colon is fine in a thing name, not in a job ID
        "fw\n",
        "firmwäre",
        "fw\u0662",  # a non-ASCII digit
        None,
        123,
        ["fw"],
    ],
)
def test_invalid_job_ids_name_the_option(job_id):
    with pytest.raises(InvalidOption) as raised:
        check_job_id(job_id)
    assert raised.value.option == "job_id"
    assert str(raised.value).startswith("job_id: ")
    assert "\n" not in str(raised.value)


@pytest.mark.parametrize("name", ["t", "x" * 128, "sensor-0042", "site:a_b-c", "::", "arn:aws:iot"])
def test_valid_thing_names_are_returned_unchanged(name):
    assert check_thing_name(name) == name


@pytest.mark.parametrize(
    "name",
    ["", "x" * 129, "sensor 1", "sensor/1", "sensor.1", "sensor#1", "sensör", None, 42, ("t",)],
)
def test_invalid_thing_names_name_the_option(name):
    with pytest.raises(InvalidOption) as raised:
        check_thing_name(name)
    assert raised.value.option == "thing_name"
    assert str(raised.value).startswith("thing_name: ")


@pytest.mark.parametrize(
    "arn, name",
    [
        (thing_arn("sensor-1"), "sensor-1"),
        (thing_arn("a:b_c-d"), "a:b_c-d"),
        (thing_arn("x" * 128), "x" * 128),
        (thing_arn("s", partition="aws-cn", region="cn-north-1"), "s"),
        (thing_arn("s", partition="aws-us-gov", region="us-gov-west-1"), "s"),
        (thing_arn("s", partition="aws-iso-b", region="us-isob-east-1"), "s"),
    ],
)
def test_thing_arn_is_reduced_to_its_name(arn, name):
    assert check_thing_name(arn) == name
    assert thing_name_from_arn(arn) == name


@pytest.mark.parametrize(
    "value",
    [
        thing_arn("x" * 129),
        thing_arn("sensor.1"),
        thing_arn(""),
        "arn:aws:iot:us-east-1:{0}:thinggroup/fleet".format(ACCOUNT),
        "arn:aws:iot:us-east-1:12345:thing/sensor-1",  # not a 12-digit account, so not an ARN
        "arn:aws:s3:us-east-1:{0}:thing/sensor-1".format(ACCOUNT),
        thing_arn("sensor-1") + "/extra",
    ],
)
def test_malformed_thing_arns_are_rejected(value):
    with pytest.raises(InvalidOption, match="^thing_name: "):
        check_thing_name(value)


@pytest.mark.parametrize("value", [None, "", "sensor-1", "arn:aws:iot:us-east-1:{0}:thinggroup/g".format(ACCOUNT)])
def test_thing_name_from_arn_is_none_for_anything_but_a_thing_arn(value):
    assert thing_name_from_arn(value) is None


def test_errors_use_the_option_name_they_are_given():
    with pytest.raises(InvalidOption) as raised:
        check_thing_name("a/b", option="things[2]")
    assert raised.value.option == "things[2]"
    assert str(raised.value).startswith("things[2]: ")


def test_a_long_bad_value_is_shortened_in_the_message():
    value = "bad value " * 100
    with pytest.raises(InvalidOption) as raised:
        check_job_id(value)
    message = str(raised.value)
    assert value not in message
    assert len(message) < 160


@pytest.mark.parametrize("number", [0, 1, 2, 2 ** 40])
def test_valid_execution_numbers(number):
    assert check_execution_number(number) == number


@pytest.mark.parametrize("number", [-1, -(2 ** 40), True, False, 1.0, 1.5, "1", None, [1]])
def test_invalid_execution_numbers(number):
    with pytest.raises(InvalidOption, match="^execution_number: "):
        check_execution_number(number)


def test_check_thing_names_reduces_arns_and_keeps_order():
    assert check_thing_names(["b", thing_arn("a"), "c"]) == ["b", "a", "c"]


@pytest.mark.parametrize(
    "names, problem",
    [
        ([], "at least one"),
        (["a", "b", "a"], "names a more than once"),
        (["a", thing_arn("a")], "names a more than once"),  # the same thing, by name and by ARN
        (["b", "a", "b", "a"], "names a, b more than once"),
        (["a", "no/such"], "is not a thing name"),
    ],
)
def test_check_thing_names_rejects(names, problem):
    with pytest.raises(InvalidOption) as raised:
        check_thing_names(names)
    assert str(raised.value).startswith("thing_names: ")
    assert problem in str(raised.value)


def test_statuses_split_into_pending_and_terminal():
    assert PENDING_STATUSES | TERMINAL_STATUSES == set(JOB_EXECUTION_STATUSES)
    assert not PENDING_STATUSES & TERMINAL_STATUSES
    assert PENDING_STATUSES == {"QUEUED", "IN_PROGRESS"}
    assert RETRYABLE_STATUSES == {"FAILED", "TIMED_OUT"}
    assert RETRYABLE_STATUSES <= TERMINAL_STATUSES


def test_option_checks_cover_every_shared_identifier():
    assert OPTION_CHECKS == dict(
        job_id=check_job_id,
        thing_name=check_thing_name,
        thing_names=check_thing_names,
        execution_number=check_execution_number,
    )


@pytest.mark.parametrize("args, message", [
    (dict(timeout="soon"), "timeout: must be a number, got a string ('soon')"),
    (dict(count=1.5), "count: must be an integer, got a number (1.5)"),
    (dict(flag="maybe"), "flag: must be a boolean, got a string ('maybe')"),
    (dict(settings="fast"), "settings: must be a dictionary, got a string ('fast')"),
    (dict(names={"a": 1}), "names: must be a list of strings, got a dictionary ({'a': 1})"),
    (dict(alias_of_names={"a": 1}), "names: must be a list of strings, got a dictionary ({'a': 1})"),
])
def test_a_value_of_the_wrong_type_names_the_option_and_the_type(args, message):
    spec = dict(timeout=dict(type="float"), count=dict(type="int"), flag=dict(type="bool"),
                settings=dict(type="dict"), names=dict(type="list", elements="str", aliases=["alias_of_names"]),
                text=dict(type="str"))
    assert option_type_error(spec, args) == message


def test_values_ansible_core_converts_pass():
    spec = dict(timeout=dict(type="float"), count=dict(type="int"), flag=dict(type="bool"), names=dict(type="list"),
                settings=dict(type="dict"), text=dict(type="str"))
    assert option_type_error(spec, dict(timeout="2.5", count="3", flag="yes", names="a,b", settings="a=1", text=5,
                                        other=[])) is None
