# -*- coding: utf-8 -*-
# Copyright: iotops.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""The settings a job shares with a job template, one piece each.

A piece holds everything about one setting: its options' argument spec
(plain dicts, for Ansible's validator), the ranges AWS documents, the
CreateJob/UpdateJob member it becomes, how to read it back from a shaped
job, and the form in which a wanted and a current value are compared.
A module composes the pieces it offers with ``argument_spec``,
``check_settings`` and ``request_members``; CreateJobTemplate takes the
same members.  Keys chosen by the user (``tags``) are never renamed.
"""

from __future__ import annotations

import datetime
import re
from collections import Counter
from dataclasses import dataclass
from typing import Callable, Mapping

from ansible.module_utils.common.dict_transformations import snake_dict_to_camel_dict

from ansible_collections.iotops.aws.plugins.module_utils.validation import InvalidOption, check_text, shown

MAX_TAGS = 50
MAX_RETRIES_IN_TOTAL = 10
SCHEDULE_FORMAT = "%Y-%m-%dT%H:%M"
# AWS wants a scheduled time at least this far ahead when the job is created.
SCHEDULE_LEAD = datetime.timedelta(minutes=30)
_TAG_KEY = re.compile(r"[\w\s.:/=+\-@]{1,128}")


def pruned(value):
    """Without unset suboptions, so that requests and comparisons skip them."""
    if isinstance(value, dict):
        return dict((key, pruned(item)) for key, item in value.items() if item is not None)
    if isinstance(value, list):
        return [pruned(item) for item in value]
    return value


def projected(current, desired):
    """``current`` cut down to the keys ``desired`` sets, so that what AWS
    fills in on its own does not count as a difference."""
    if isinstance(desired, dict) and isinstance(current, dict):
        return dict((key, projected(current.get(key), value)) for key, value in desired.items() if key in current)
    if isinstance(desired, list) and isinstance(current, list) and len(desired) == len(current):
        return [projected(have, want) for have, want in zip(current, desired)]
    return current


def in_range(option, value, low, high, unit=""):
    if value is not None and not low <= value <= high:
        raise InvalidOption(option, "must be {0} to {1}{2}, got {3:g}".format(low, high, unit, value))


def no_duplicates(option, values):
    duplicates = sorted(value for value, count in Counter(values).items() if count > 1)
    if duplicates:
        raise InvalidOption(option, "names {0} more than once".format(", ".join(duplicates)))


@dataclass(frozen=True)
class Setting:
    """One setting: ``name`` is its option, ``spec`` the argument spec of
    that option and its companions, ``member`` its CreateJob member.

    ``check(value)`` raises InvalidOption; ``to_request(value)`` gives the
    member's value (None: send nothing); ``from_job(job)`` reads it back
    from a shaped job (None when the job has none, or when another call
    reads it); ``comparable(value)`` is the form both sides are compared
    in.  ``updatable`` says whether UpdateJob can change it."""

    name: str
    spec: Mapping[str, dict]
    member: str
    check: Callable
    to_request: Callable
    from_job: Callable = lambda job: None
    comparable: Callable = pruned
    updatable: bool = True

    def request(self, value):
        return self.to_request(pruned(value))


def argument_spec(*settings):
    """The argument spec of ``settings``' options, to merge into a module's."""
    spec = {}
    for setting in settings:
        spec.update(setting.spec)
    return spec


def check_settings(params, settings):
    """Check each of ``settings`` that ``params`` sets; raises InvalidOption."""
    for setting in settings:
        if params.get(setting.name) is not None:
            setting.check(params[setting.name])


def request_members(params, settings):
    """CreateJob's (or CreateJobTemplate's) members for the settings ``params`` sets."""
    members = {}
    for setting in settings:
        if params.get(setting.name) is not None:
            value = setting.request(params[setting.name])
            if value is not None:
                members[setting.member] = value
    return members


DESCRIPTION = Setting(
    name="description",
    spec=dict(description=dict(type="str")),
    member="description",
    check=lambda value: check_text("description", value, 2028),
    to_request=lambda value: value,
    from_job=lambda job: job.get("description"),
)


def _check_rollout(rollout):
    in_range("rollout.maximum_per_minute", rollout.get("maximum_per_minute"), 1, 1000)
    rate = rollout.get("exponential_rate")
    if rate:
        in_range("rollout.exponential_rate.base_rate_per_minute", rate["base_rate_per_minute"], 1, 1000)
        in_range("rollout.exponential_rate.increment_factor", rate["increment_factor"], 1.1, 5)
        for key, value in rate["rate_increase_criteria"].items():
            in_range("rollout.exponential_rate.rate_increase_criteria.{0}".format(key), value, 1, 1000000000)


ROLLOUT = Setting(
    name="rollout",
    spec=dict(rollout=dict(
        type="dict",
        options=dict(
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
        ),
        mutually_exclusive=[["maximum_per_minute", "exponential_rate"]],
        required_one_of=[["maximum_per_minute", "exponential_rate"]],
    )),
    member="jobExecutionsRolloutConfig",
    check=_check_rollout,
    to_request=snake_dict_to_camel_dict,
    from_job=lambda job: job.get("job_executions_rollout_config") or None,
)


def _check_criteria_list(option, criteria):
    if not criteria:
        raise InvalidOption(option, "give at least one criterion, or omit the option")
    no_duplicates(option + " failure_type", [criterion["failure_type"] for criterion in criteria])


def _check_abort(criteria):
    _check_criteria_list("abort", criteria)
    for index, criterion in enumerate(criteria):
        option = "abort[{0}].".format(index)
        threshold = criterion["threshold_percentage"]
        if not 0 < threshold <= 100:
            raise InvalidOption(option + "threshold_percentage", "must be more than 0 and at most 100, got {0:g}".format(threshold))
        if round(threshold, 2) != threshold:
            raise InvalidOption(option + "threshold_percentage", "AWS takes at most 2 decimals, got {0!r}".format(threshold))
        in_range(option + "min_number_of_executed_things", criterion["min_number_of_executed_things"], 1, 1000000000)


def _check_retry(criteria):
    _check_criteria_list("retry", criteria)
    for index, criterion in enumerate(criteria):
        in_range("retry[{0}].number_of_retries".format(index), criterion["number_of_retries"], 0, 10)
    if len(criteria) > 2:
        raise InvalidOption("retry", "at most 2 criteria, got {0}".format(len(criteria)))
    total = sum(criterion["number_of_retries"] for criterion in criteria)
    if total > MAX_RETRIES_IN_TOTAL:
        raise InvalidOption("retry", "at most {0} retries in total, got {1}".format(MAX_RETRIES_IN_TOTAL, total))


def _criteria_setting(name, member, shaped_member, failure_types, suboptions, check):
    """A setting that is a list of criteria, one per failure type: CreateJob's
    ``criteriaList`` in ``member``, read back from the shaped job's ``shaped_member``."""
    options = dict(failure_type=dict(type="str", required=True, choices=list(failure_types)))
    options.update(suboptions)
    return Setting(
        name=name,
        spec={name: dict(type="list", elements="dict", options=options)},
        member=member,
        check=check,
        to_request=lambda criteria: {"criteriaList": [snake_dict_to_camel_dict(criterion) for criterion in criteria]},
        from_job=lambda job: (job.get(shaped_member) or {}).get("criteria_list") or None,
        comparable=lambda criteria: sorted(pruned(criteria), key=lambda criterion: str(criterion.get("failure_type"))),
    )


ABORT = _criteria_setting("abort", "abortConfig", "abort_config", ("FAILED", "REJECTED", "TIMED_OUT", "ALL"), dict(
    action=dict(type="str", default="CANCEL", choices=["CANCEL"]),
    threshold_percentage=dict(type="float", required=True),
    min_number_of_executed_things=dict(type="int", required=True),
), _check_abort)
RETRY = _criteria_setting("retry", "jobExecutionsRetryConfig", "job_executions_retry_config", ("FAILED", "TIMED_OUT", "ALL"),
                          dict(number_of_retries=dict(type="int", required=True)), _check_retry)

TIMEOUT = Setting(
    name="in_progress_timeout_minutes",
    spec=dict(in_progress_timeout_minutes=dict(type="int")),
    member="timeoutConfig",
    check=lambda value: in_range("in_progress_timeout_minutes", value, 1, 10080, " minutes"),
    to_request=lambda value: {"inProgressTimeoutInMinutes": value},
    from_job=lambda job: (job.get("timeout_config") or {}).get("in_progress_timeout_in_minutes"),
)


def _check_presigned_url(presigned):
    check_text("presigned_url.role_arn", presigned["role_arn"], 2048, low=20)
    in_range("presigned_url.expires_in_sec", presigned["expires_in_sec"], 60, 3600, " seconds")


PRESIGNED_URL = Setting(
    name="presigned_url",
    spec=dict(presigned_url=dict(
        type="dict",
        options=dict(
            role_arn=dict(type="str", required=True),
            # AWS's default, so that a job created without it compares equal.
            expires_in_sec=dict(type="int", default=3600),
        ),
    )),
    member="presignedUrlConfig",
    check=_check_presigned_url,
    to_request=snake_dict_to_camel_dict,
    from_job=lambda job: job.get("presigned_url_config") or None,
)


def parse_schedule_time(value, option):
    """A scheduling time as a UTC datetime; a time without offset is UTC."""
    try:
        parsed = datetime.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except (AttributeError, ValueError):
        raise InvalidOption(option, "{0} is not a date and time: use YYYY-MM-DDTHH:MM, in UTC".format(shown(value)))
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=datetime.timezone.utc)
    return parsed.astimezone(datetime.timezone.utc)


def format_schedule_time(value, option):
    return parse_schedule_time(value, option).strftime(SCHEDULE_FORMAT)


def _check_scheduling(scheduling):
    start, end = scheduling.get("start_time"), scheduling.get("end_time")
    start_at = parse_schedule_time(start, "scheduling.start_time") if start is not None else None
    end_at = parse_schedule_time(end, "scheduling.end_time") if end is not None else None
    if start_at and end_at and end_at - start_at < SCHEDULE_LEAD:
        raise InvalidOption("scheduling.end_time", "must be at least 30 minutes after scheduling.start_time")
    if start_at and end_at and end_at - start_at > datetime.timedelta(days=731):
        raise InvalidOption("scheduling.end_time", "must be at most 2 years after scheduling.start_time")
    if scheduling.get("end_behavior") and end is None:
        raise InvalidOption("scheduling.end_behavior", "applies at scheduling.end_time: set it too")
    check_maintenance_windows(scheduling.get("maintenance_windows") or [], "scheduling.maintenance_windows")


def check_maintenance_windows(windows, option="maintenance_windows"):
    for index, window in enumerate(windows):
        check_text("{0}[{1}].start_time".format(option, index), window["start_time"], 256)
        in_range("{0}[{1}].duration_in_minutes".format(option, index), window["duration_in_minutes"], 1, 1430)


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


def _in_aws_minutes(scheduling, strict):
    """The schedule with its times in AWS's UTC minutes; a time that does not
    parse fails when ``strict``, else is kept as given (compared as text)."""
    scheduling = dict(scheduling)
    for key in ("start_time", "end_time"):
        if scheduling.get(key) is not None:
            try:
                scheduling[key] = format_schedule_time(scheduling[key], "scheduling." + key)
            except InvalidOption:
                if strict:
                    raise
    return scheduling


# A cron start and a duration each; a job's schedule and a job template hold them.
_MAINTENANCE_WINDOWS_SPEC = dict(
    type="list",
    elements="dict",
    options=dict(
        start_time=dict(type="str", required=True),
        duration_in_minutes=dict(type="int", required=True),
    ),
)


SCHEDULING = Setting(
    name="scheduling",
    spec=dict(scheduling=dict(
        type="dict",
        options=dict(
            start_time=dict(type="str"),
            end_time=dict(type="str"),
            end_behavior=dict(type="str", choices=["STOP_ROLLOUT", "CANCEL", "FORCE_CANCEL"]),
            maintenance_windows=_MAINTENANCE_WINDOWS_SPEC,
        ),
    )),
    member="schedulingConfig",
    check=_check_scheduling,
    to_request=lambda scheduling: snake_dict_to_camel_dict(_in_aws_minutes(scheduling, strict=True)),
    from_job=lambda job: job.get("scheduling_config") or None,
    comparable=lambda scheduling: _in_aws_minutes(pruned(scheduling), strict=False),
    updatable=False,
)


# CreateJobTemplate takes the windows on their own, outside a schedule.
MAINTENANCE_WINDOWS = Setting(
    name="maintenance_windows",
    spec=dict(maintenance_windows=_MAINTENANCE_WINDOWS_SPEC),
    member="maintenanceWindows",
    check=check_maintenance_windows,
    to_request=lambda windows: [snake_dict_to_camel_dict(window) for window in windows],
    from_job=lambda job: job.get("maintenance_windows") or None,
    updatable=False,
)


def _check_tags(tags):
    if len(tags) > MAX_TAGS:
        raise InvalidOption("tags", "at most {0} tags, got {1}".format(MAX_TAGS, len(tags)))
    for key, value in tags.items():
        if not _TAG_KEY.fullmatch(key) or key.lower().startswith("aws:"):
            raise InvalidOption("tags", "key {0} must be 1 to 128 letters, digits, spaces or _.:/=+-@, not starting with aws:".format(shown(key)))
        if not isinstance(value, str):
            raise InvalidOption("tags.{0}".format(key), "must be a string, got {0} (quote it)".format(shown(value)))
        if len(value) > 256:
            raise InvalidOption("tags.{0}".format(key), "must be at most 256 characters, got {0}".format(len(value)))


def tag_list(tags):
    """A dict of tags as AWS's [{Key, Value}] list; keys are sent exactly as given."""
    return [dict(Key=key, Value=value) for key, value in tags.items()]


def tag_changes(have, wanted):
    """(tags to set, keys to remove) to bring a resource's tags ``have`` to ``wanted``."""
    have = have or {}
    return (dict((key, value) for key, value in wanted.items() if have.get(key) != value),
            [key for key in have if key not in wanted])


def tag_requests(arn, tag, untag):
    """TagResource and UntagResource's arguments, each None when there is nothing to send."""
    return [("TagResource", dict(resourceArn=arn, tags=tag_list(tag)) if tag else None),
            ("UntagResource", dict(resourceArn=arn, tagKeys=list(untag)) if untag else None)]


def creation_needs(params, resource, required, sources):
    """What creating ``resource`` (its name in messages) needs and ``params``
    lacks: each of ``required``, and one of ``sources`` (the document options).
    One line that starts with the first missing option; None when nothing is."""
    missing = [option for option in required if params.get(option) is None]
    lacks_source = all(params.get(option) is None for option in sources)
    if not missing and not lacks_source:
        return None
    option = missing[0] if missing else "document"
    needs = missing + ["one of {0}".format(", ".join(sources))] * lacks_source
    return "{0}: {1} does not exist, and creating it needs {2}".format(option, resource, " and ".join(needs))


# Tags are read with ListTagsForResource and changed with TagResource and
# UntagResource, never with UpdateJob.
TAGS = Setting(
    name="tags",
    spec=dict(tags=dict(type="dict"), purge_tags=dict(type="bool", default=True)),
    member="tags",
    check=_check_tags,
    to_request=lambda tags: tag_list(tags) or None,
    comparable=dict,
    updatable=False,
)
