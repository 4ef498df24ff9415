"""How iot_job reads its targets: ARNs as given, names resolved without guessing."""

from __future__ import annotations

import pytest

from ansible_collections.iotops.aws.plugins.module_utils.job_targets import (
    GROUP,
    NAME,
    THING,
    Target,
    classify_target,
    resolve_target_name,
    target_name,
    unique_target_arns,
)
from ansible_collections.iotops.aws.plugins.module_utils.validation import InvalidOption

THING_ARN = "arn:aws:iot:eu-west-1:123456789012:thing/sensor-1"
GROUP_ARN = "arn:aws:iot:eu-west-1:123456789012:thinggroup/canaries"


@pytest.mark.parametrize(
    "value, expected",
    [
        (THING_ARN, Target(THING, THING_ARN)),
        (GROUP_ARN, Target(GROUP, GROUP_ARN)),
        ("arn:aws-cn:iot:cn-north-1:123456789012:thing/a:b_c-d", Target(THING, "arn:aws-cn:iot:cn-north-1:123456789012:thing/a:b_c-d")),
        ("arn:aws-us-gov:iot:us-gov-west-1:123456789012:thinggroup/g", Target(GROUP, "arn:aws-us-gov:iot:us-gov-west-1:123456789012:thinggroup/g")),
        ("sensor-1", Target(NAME, "sensor-1")),
        ("site:a_b-C9", Target(NAME, "site:a_b-C9")),
        ("x" * 128, Target(NAME, "x" * 128)),
    ],
)
def test_targets_are_classified(value, expected):
    assert classify_target(value) == expected


@pytest.mark.parametrize(
    "value, message",
    [
        ("arn:aws:iot:eu-west-1:123456789012:job/fw", "targets: 'arn:aws:iot:eu-west-1:123456789012:job/fw' is not a thing or thing group ARN"),
        ("arn:aws:iot:eu-west-1:1234:thing/x", "is not a thing or thing group ARN"),
        ("arn:aws:s3:::bucket", "is not a thing or thing group ARN"),
        ("arn:aws:iot:eu-west-1:123456789012:thing/", "is not a thing or thing group ARN"),
        ("", "targets: '' is not a thing or thing group name"),
        ("x" * 129, "is not a thing or thing group name"),
        ("sensor 1", "targets: 'sensor 1' is not a thing or thing group name"),
        ("sensor/1", "is not a thing or thing group name"),
        (42, "targets: 42 is not a thing or thing group name or ARN"),
    ],
)
def test_bad_targets_fail_naming_the_option(value, message):
    with pytest.raises(InvalidOption) as raised:
        classify_target(value)
    assert message in str(raised.value)
    assert str(raised.value).startswith("targets: ")


@pytest.mark.parametrize(
    "thing_arn, group_arn, expected",
    [
        (THING_ARN, None, THING_ARN),
        (None, GROUP_ARN, GROUP_ARN),
        (THING_ARN, GROUP_ARN, "targets: 'x' is both a thing and a thing group: give its ARN"),
        (None, None, "targets: no thing or thing group named 'x'"),
    ],
)
def test_a_name_resolves_to_exactly_one_arn_or_fails(thing_arn, group_arn, expected):
    if expected.startswith("arn:"):
        assert resolve_target_name("x", thing_arn, group_arn) == expected
        return
    with pytest.raises(InvalidOption) as raised:
        resolve_target_name("x", thing_arn, group_arn)
    assert str(raised.value) == expected


def test_a_name_and_its_arn_are_one_target():
    assert unique_target_arns([THING_ARN, GROUP_ARN]) == [THING_ARN, GROUP_ARN]
    with pytest.raises(InvalidOption, match="targets: .*thing/sensor-1 is given twice"):
        unique_target_arns([THING_ARN, GROUP_ARN, THING_ARN])


@pytest.mark.parametrize("arn, name", [(THING_ARN, "sensor-1"), (GROUP_ARN, "canaries"), ("other", "other")])
def test_messages_name_targets_by_name(arn, name):
    assert target_name(arn) == name
