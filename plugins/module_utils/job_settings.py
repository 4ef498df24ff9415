# -*- coding: utf-8 -*-
# Copyright: iotops.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""Options of iot_job and iot_job_execution: argument specs, range checks,
and their translation into CreateJob and UpdateJob requests.

The argument specs carry what Ansible can check (types, choices, required
and exclusive options); ``check_job_options`` and
``check_execution_options`` check the ranges AWS documents, before any
request, with one line that names the option.  Keys chosen by the user
(``document_parameters``, ``tags``, ``status_details``) are never renamed.
"""

from __future__ import annotations

import datetime
import json
import re
from collections import Counter

from ansible.module_utils.common.dict_transformations import snake_dict_to_camel_dict

from ansible_collections.iotops.aws.plugins.module_utils.validation import InvalidOption, _shown, check_cancel_reason, check_text
MAX_TARGETS = 100
MAX_DOCUMENT_CHARS = 32768
MAX_PACKAGE_VERSIONS = 25
MAX_TAGS = 50
MAX_STATUS_DETAILS = 10
MAX_RETRIES_IN_TOTAL = 10

_ROLLOUT_SPEC = dict(
    maximum_per_minute=dict(type="int"),
    exponential_rate=dict(
        type="dict",
        options=dict(
            base_rate_per_minute=dict(type="int", required=True),
            increment_factor=dict(type="float", required=True),
            rate_increase_criteria=dict(
                type="dict",
                required=True,
                options=dict(
                    number_of_notified_things=dict(type="int"),
                    number_of_succeeded_things=dict(type="int"),
                ),
                mutually_exclusive=[["number_of_notified_things", "number_of_succeeded_things"]],
                required_one_of=[["number_of_notified_things", "number_of_succeeded_things"]],
            ),
        ),
    ),
)

JOB_ARGUMENT_SPEC = dict(
    job_id=dict(type="str", required=True),
    state=dict(type="str", default="present", choices=["present", "canceled", "absent"]),
    targets=dict(type="list", elements="str"),
    target_selection=dict(type="str", default="SNAPSHOT", choices=["SNAPSHOT", "CONTINUOUS"]),
    document=dict(type="raw"),
    document_source=dict(type="str"),
    job_template_arn=dict(type="str"),
    document_parameters=dict(type="dict"),
    description=dict(type="str"),
    rollout=dict(
        type="dict",
        options=_ROLLOUT_SPEC,
        mutually_exclusive=[["maximum_per_minute", "exponential_rate"]],
        required_one_of=[["maximum_per_minute", "exponential_rate"]],
    ),
    abort=dict(
        type="list",
        elements="dict",
        options=dict(
            failure_type=dict(type="str", required=True, choices=["FAILED", "REJECTED", "TIMED_OUT", "ALL"]),
            action=dict(type="str", default="CANCEL", choices=["CANCEL"]),
            threshold_percentage=dict(type="float", required=True),
            min_number_of_executed_things=dict(type="int", required=True),
        ),
    ),
    in_progress_timeout_minutes=dict(type="int"),
    retry=dict(
        type="list",
        elements="dict",
        options=dict(
            failure_type=dict(type="str", required=True, choices=["FAILED", "TIMED_OUT", "ALL"]),
            number_of_retries=dict(type="int", required=True),
        ),
    ),
    presigned_url=dict(
        type="dict",
        options=dict(
            role_arn=dict(type="str", required=True),
            # AWS's default, so that a job created without it compares equal.
            expires_in_sec=dict(type="int", default=3600),
        ),
    ),
    scheduling=dict(
        type="dict",
        options=dict(
            start_time=dict(type="str"),
            end_time=dict(type="str"),
            end_behavior=dict(type="str", choices=["STOP_ROLLOUT", "CANCEL", "FORCE_CANCEL"]),
            maintenance_windows=dict(
                type="list",
                elements="dict",
                options=dict(
                    start_time=dict(type="str", required=True),
                    duration_in_minutes=dict(type="int", required=True),
                ),
            ),
        ),
    ),
    destination_package_versions=dict(type="list", elements="str"),
    tags=dict(type="dict"),
    purge_targets=dict(type="bool", default=False),
    purge_tags=dict(type="bool", default=True),
    reason_code=dict(type="str"),
    comment=dict(type="str"),
    force=dict(type="bool", default=False),
    wait=dict(type="bool", default=False),
    wait_timeout=dict(type="int", default=300),
)
JOB_MUTUALLY_EXCLUSIVE = [["document", "document_source", "job_template_arn"]]
JOB_REQUIRED_IF = [
    ["state", "present", ["targets"]],
    ["state", "present", ["document", "document_source", "job_template_arn"], True],
]
JOB_REQUIRED_BY = dict(document_parameters="job_template_arn")
JOB_MODULE_KWARGS = dict(
    mutually_exclusive=JOB_MUTUALLY_EXCLUSIVE,
    required_if=JOB_REQUIRED_IF,
    required_by=JOB_REQUIRED_BY,
    supports_check_mode=True,
)

EXECUTION_ARGUMENT_SPEC = dict(
    job_id=dict(type="str", required=True),
    thing_name=dict(type="str", required=True),
    state=dict(type="str", required=True, choices=["canceled", "absent"]),
    force=dict(type="bool", default=False),
    expected_version=dict(type="int"),
    status_details=dict(type="dict"),
    execution_number=dict(type="int"),
)
EXECUTION_MODULE_KWARGS = dict(
    required_if=[["state", "absent", ["execution_number"]]],
    supports_check_mode=True,
)

# Options that only state=present reads; the other states ignore them.
PRESENT_OPTIONS = ("targets", "target_selection", "document", "document_source", "job_template_arn",
                   "document_parameters", "description", "rollout", "abort", "in_progress_timeout_minutes",
                   "retry", "presigned_url", "scheduling", "destination_package_versions", "tags")

_NAME = re.compile(r"[a-zA-Z0-9:_-]{1,128}")
_PARAMETER_KEY = re.compile(r"[a-zA-Z0-9_-]{1,128}")
_TAG_KEY = re.compile(r"[\w\s.:/=+\-@]{1,128}")
_PACKAGE_ARN = re.compile(r"arn:[!-~]{1,1596}")
SCHEDULE_FORMAT = "%Y-%m-%dT%H:%M"
# AWS wants a scheduled time at least this far ahead when the job is created.
SCHEDULE_LEAD = datetime.timedelta(minutes=30)


def _in_range(option, value, low, high, unit=""):
    if value is not None and not low <= value <= high:
        raise InvalidOption(option, "must be {0} to {1}{2}, got {3:g}".format(low, high, unit, value))


def _no_duplicates(option, values):
    duplicates = sorted(value for value, count in Counter(values).items() if count > 1)
    if duplicates:
        raise InvalidOption(option, "names {0} more than once".format(", ".join(duplicates)))


def parse_document(value, option="document"):
    """The job document as a dict, from a dict or a JSON string."""
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError as exc:
            raise InvalidOption(option, "is not valid JSON: {0}".format(exc))
    if not isinstance(value, dict):
        raise InvalidOption(option, "must be a JSON object (a dict), got {0}".format(type(value).__name__))
    return value


def document_text(value):
    """The document as CreateJob sends it: a string is sent as written."""
    return value if isinstance(value, str) else json.dumps(value, separators=(",", ":"), sort_keys=True)


def parse_schedule_time(value, option):
    """A scheduling time as a UTC datetime; a time without offset is UTC."""
    try:
        parsed = datetime.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except (AttributeError, ValueError):
        raise InvalidOption(option, "{0} is not a date and time: use YYYY-MM-DDTHH:MM, in UTC".format(_shown(value)))
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=datetime.timezone.utc)
    return parsed.astimezone(datetime.timezone.utc)


def format_schedule_time(value, option):
    return parse_schedule_time(value, option).strftime(SCHEDULE_FORMAT)


def _check_document(params):
    document = params.get("document")
    if document is not None:
        parse_document(document)
        size = len(document_text(document))
        if size > MAX_DOCUMENT_CHARS:
            raise InvalidOption("document", "must be at most {0} characters as JSON, got {1}".format(MAX_DOCUMENT_CHARS, size))
    source = params.get("document_source")
    if source is not None:
        check_text("document_source", source, 1350)
        if not source.startswith("https://"):
            raise InvalidOption("document_source", "{0} is not an S3 object URL: use https://...".format(_shown(source)))
    template = params.get("job_template_arn")
    if template is not None and not re.fullmatch(r"arn:[!-~]{1,1596}", template):
        raise InvalidOption("job_template_arn", "{0} is not a job template ARN".format(_shown(template)))
    for key, value in (params.get("document_parameters") or {}).items():
        option = "document_parameters.{0}".format(key)
        if not _PARAMETER_KEY.fullmatch(key):
            raise InvalidOption("document_parameters", "key {0} must be 1 to 128 characters of a-z, A-Z, 0-9, _ and -".format(_shown(key)))
        if not isinstance(value, str):
            raise InvalidOption(option, "must be a string, got {0} (quote it)".format(_shown(value)))
        check_text(option, value, 30720)


def _check_rollout(rollout):
    if not rollout:
        return
    _in_range("rollout.maximum_per_minute", rollout.get("maximum_per_minute"), 1, 1000)
    rate = rollout.get("exponential_rate")
    if rate:
        _in_range("rollout.exponential_rate.base_rate_per_minute", rate["base_rate_per_minute"], 1, 1000)
        _in_range("rollout.exponential_rate.increment_factor", rate["increment_factor"], 1.1, 5)
        for key, value in rate["rate_increase_criteria"].items():
            _in_range("rollout.exponential_rate.rate_increase_criteria.{0}".format(key), value, 1, 1000000000)


def _check_criteria(option, criteria):
    if criteria is None:
        return
    if not criteria:
        raise InvalidOption(option, "give at least one criterion, or omit the option")
    _no_duplicates(option + " failure_type", [c["failure_type"] for c in criteria])
    for index, criterion in enumerate(criteria):
        if option == "abort":
            threshold = criterion["threshold_percentage"]
            if not 0 < threshold <= 100:
                raise InvalidOption("abort[{0}].threshold_percentage".format(index), "must be more than 0 and at most 100, got {0:g}".format(threshold))
            if round(threshold, 2) != threshold:
                raise InvalidOption("abort[{0}].threshold_percentage".format(index), "AWS takes at most 2 decimals, got {0!r}".format(threshold))
            _in_range("abort[{0}].min_number_of_executed_things".format(index), criterion["min_number_of_executed_things"], 1, 1000000000)
        else:
            _in_range("retry[{0}].number_of_retries".format(index), criterion["number_of_retries"], 0, 10)
    if option == "retry":
        if len(criteria) > 2:
            raise InvalidOption("retry", "at most 2 criteria, got {0}".format(len(criteria)))
        total = sum(c["number_of_retries"] for c in criteria)
        if total > MAX_RETRIES_IN_TOTAL:
            raise InvalidOption("retry", "at most {0} retries in total, got {1}".format(MAX_RETRIES_IN_TOTAL, total))


def _check_scheduling(scheduling):
    if not scheduling:
        return
    start, end = scheduling.get("start_time"), scheduling.get("end_time")
    start_at = parse_schedule_time(start, "scheduling.start_time") if start is not None else None
    end_at = parse_schedule_time(end, "scheduling.end_time") if end is not None else None
    if start_at and end_at and end_at - start_at < SCHEDULE_LEAD:
        raise InvalidOption("scheduling.end_time", "must be at least 30 minutes after scheduling.start_time")
    if start_at and end_at and end_at - start_at > datetime.timedelta(days=731):
        raise InvalidOption("scheduling.end_time", "must be at most 2 years after scheduling.start_time")
    if scheduling.get("end_behavior") and end is None:
        raise InvalidOption("scheduling.end_behavior", "applies at scheduling.end_time: set it too")
    for index, window in enumerate(scheduling.get("maintenance_windows") or []):
        check_text("scheduling.maintenance_windows[{0}].start_time".format(index), window["start_time"], 256)
        _in_range("scheduling.maintenance_windows[{0}].duration_in_minutes".format(index), window["duration_in_minutes"], 1, 1430)


def check_schedule_ahead(scheduling, now):
    """AWS's rule for a job being created: its times at least 30 minutes
    ahead; the start at most a year, the end at most two years ahead.
    An existing job's past times are fine, so only creation checks this."""
    for key, horizon in (("start_time", 366), ("end_time", 731)):
        value = (scheduling or {}).get(key)
        if value is None:
            continue
        option = "scheduling.{0}".format(key)
        at = parse_schedule_time(value, option)
        if at < now + SCHEDULE_LEAD:
            raise InvalidOption(option, "must be at least 30 minutes from now ({0} UTC), got {1}".format(
                now.strftime(SCHEDULE_FORMAT), at.strftime(SCHEDULE_FORMAT)))
        if at > now + datetime.timedelta(days=horizon):
            raise InvalidOption(option, "must be at most {0} from now, got {1}".format(
                "a year" if horizon == 366 else "two years", at.strftime(SCHEDULE_FORMAT)))


def _check_tags(tags):
    if tags is None:
        return
    if len(tags) > MAX_TAGS:
        raise InvalidOption("tags", "at most {0} tags, got {1}".format(MAX_TAGS, len(tags)))
    for key, value in tags.items():
        if not _TAG_KEY.fullmatch(key) or key.lower().startswith("aws:"):
            raise InvalidOption("tags", "key {0} must be 1 to 128 letters, digits, spaces or _.:/=+-@, not starting with aws:".format(_shown(key)))
        if not isinstance(value, str):
            raise InvalidOption("tags.{0}".format(key), "must be a string, got {0} (quote it)".format(_shown(value)))
        if len(value) > 256:
            raise InvalidOption("tags.{0}".format(key), "must be at most 256 characters, got {0}".format(len(value)))


def check_job_options(params):
    """Check iot_job's options against AWS's documented ranges; raises InvalidOption."""
    targets = params.get("targets")
    if targets is not None:
        if not 1 <= len(targets) <= MAX_TARGETS:
            raise InvalidOption("targets", "give 1 to {0} targets, AWS's limit, got {1}".format(MAX_TARGETS, len(targets)))
        _no_duplicates("targets", targets)
    _check_document(params)
    check_text("description", params.get("description"), 2028)
    _check_rollout(params.get("rollout"))
    _check_criteria("abort", params.get("abort"))
    _check_criteria("retry", params.get("retry"))
    _in_range("in_progress_timeout_minutes", params.get("in_progress_timeout_minutes"), 1, 10080, " minutes")
    presigned = params.get("presigned_url")
    if presigned:
        check_text("presigned_url.role_arn", presigned["role_arn"], 2048, low=20)
        _in_range("presigned_url.expires_in_sec", presigned["expires_in_sec"], 60, 3600, " seconds")
    _check_scheduling(params.get("scheduling"))
    packages = params.get("destination_package_versions")
    if packages is not None:
        if len(packages) > MAX_PACKAGE_VERSIONS:
            raise InvalidOption("destination_package_versions", "at most {0}, got {1}".format(MAX_PACKAGE_VERSIONS, len(packages)))
        for value in packages:
            if not _PACKAGE_ARN.fullmatch(value):
                raise InvalidOption("destination_package_versions", "{0} is not a package version ARN".format(_shown(value)))
    _check_tags(params.get("tags"))
    check_cancel_reason(params.get("reason_code"), params.get("comment"))
    _in_range("wait_timeout", params.get("wait_timeout"), 1, 3600, " seconds")
    return params


def check_execution_options(params):
    """Check iot_job_execution's options; raises InvalidOption."""
    version = params.get("expected_version")
    if version is not None and version < 0:
        raise InvalidOption("expected_version", "must be 0 or more, got {0}".format(version))
    details = params.get("status_details")
    if details is not None:
        if params.get("state") != "canceled":
            raise InvalidOption("status_details", "is recorded by CancelJobExecution, so it needs state=canceled")
        if len(details) > MAX_STATUS_DETAILS:
            raise InvalidOption("status_details", "at most {0} pairs, got {1}".format(MAX_STATUS_DETAILS, len(details)))
        for key, value in details.items():
            if not _NAME.fullmatch(key):
                raise InvalidOption("status_details", "key {0} must be 1 to 128 characters of a-z, A-Z, 0-9, :, _ and -".format(_shown(key)))
            if not isinstance(value, str):
                raise InvalidOption("status_details.{0}".format(key), "must be a string, got {0} (quote it)".format(_shown(value)))
            check_text("status_details.{0}".format(key), value, 32768)
    if params.get("expected_version") is not None and params.get("state") != "canceled":
        raise InvalidOption("expected_version", "is checked by CancelJobExecution, so it needs state=canceled")
    return params


def pruned(value):
    """Without unset suboptions, so that requests and comparisons skip them."""
    if isinstance(value, dict):
        return dict((key, pruned(item)) for key, item in value.items() if item is not None)
    if isinstance(value, list):
        return [pruned(item) for item in value]
    return value


# Each UpdateJob-able option, and the CreateJob/UpdateJob member it becomes.
UPDATABLE_MEMBERS = dict(
    description="description",
    presigned_url="presignedUrlConfig",
    rollout="jobExecutionsRolloutConfig",
    abort="abortConfig",
    in_progress_timeout_minutes="timeoutConfig",
    retry="jobExecutionsRetryConfig",
)


def request_member(option, value):
    """One option's value as its CreateJob/UpdateJob member (camelCase)."""
    value = pruned(value)
    if option == "description":
        return value
    if option in ("abort", "retry"):
        return {"criteriaList": [snake_dict_to_camel_dict(c) for c in value]}
    if option == "in_progress_timeout_minutes":
        return {"inProgressTimeoutInMinutes": value}
    if option == "scheduling":
        value = dict(value)
        for key in ("start_time", "end_time"):
            if key in value:
                value[key] = format_schedule_time(value[key], "scheduling." + key)
    return snake_dict_to_camel_dict(value)


def create_job_request(params, target_arns):
    """CreateJob's arguments from checked options and resolved target ARNs."""
    request = dict(jobId=params["job_id"], targets=list(target_arns), targetSelection=params["target_selection"])
    if params.get("document") is not None:
        request["document"] = document_text(params["document"])
    for option, member in (("document_source", "documentSource"), ("job_template_arn", "jobTemplateArn"),
                           ("destination_package_versions", "destinationPackageVersions")):
        if params.get(option) is not None:
            request[member] = params[option]
    if params.get("document_parameters") is not None:
        request["documentParameters"] = dict(params["document_parameters"])
    for option, member in UPDATABLE_MEMBERS.items():
        if params.get(option) is not None:
            request[member] = request_member(option, params[option])
    if params.get("scheduling") is not None:
        request["schedulingConfig"] = request_member("scheduling", params["scheduling"])
    if params.get("tags"):
        request["tags"] = [dict(Key=key, Value=value) for key, value in params["tags"].items()]
    return request


def update_job_request(job_id, changes):
    """UpdateJob's arguments for the options in ``changes`` (option -> value)."""
    request = dict(jobId=job_id)
    for option, value in changes.items():
        request[UPDATABLE_MEMBERS[option]] = request_member(option, value)
    return request
