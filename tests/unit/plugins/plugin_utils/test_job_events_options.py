"""The event source's arguments: defaults, the connection's environment variables, one-line errors."""

from __future__ import annotations

import pytest

from ansible_collections.iotops.aws.plugins.plugin_utils.job_events import FailureLimit
from ansible_collections.iotops.aws.plugins.plugin_utils.job_events_options import (
    SourceArgumentsError,
    source_options,
)


def test_defaults_and_environment(aws_environment):
    aws_environment(AWS_REGION="eu-west-1", AWS_ACCESS_KEY_ID="AKIDENV", AWS_SECRET_ACCESS_KEY="env-secret")
    options, settings = source_options({"eda_feedback_queue": object()})
    assert (options.interval, options.max_requests_per_second, options.limit) == (30, 5, None)
    assert options.selects("anything")
    assert (settings["region"], settings["access_key"], settings["secret_key"]) == ("eu-west-1", "AKIDENV",
                                                                                    "env-secret")


@pytest.mark.parametrize("args, selected, refused", [
    (dict(job_ids=["fw-1", "fw-2"]), "fw-2", "fw-3"),
    (dict(job_id_prefix="fw-"), "fw-9", "app-1"),
])
def test_filters_select(aws_environment, args, selected, refused):
    options, _settings = source_options(args)
    assert options.selects(selected) and not options.selects(refused)


def test_limit(aws_environment):
    options, _settings = source_options(dict(max_failure_percent="10", min_executions="20"))
    assert options.limit == FailureLimit(10.0, 20)


@pytest.mark.parametrize("args, expected", [
    (dict(interval=-1), "iotops.aws.iot_job_events: interval: must be more than 0 seconds, got -1"),
    (dict(job_ids=[]), "iotops.aws.iot_job_events: job_ids: must name at least one job"),
    (dict(job_id_prefix="fw/"), "job_id_prefix: 'fw/' cannot start a job ID"),
    (dict(min_executions=0), "min_executions: must be 1 or more, got 0"),
    (dict(failure_reasons_sample=-1), "failure_reasons_sample: must be 0 (no describes) or more"),
    (dict(job_ids=["a"], thing_group="g"), "mutually exclusive"),
])
def test_bad_arguments(aws_environment, args, expected):
    with pytest.raises(SourceArgumentsError) as caught:
        source_options(args)
    assert expected in str(caught.value) and "\n" not in str(caught.value)
