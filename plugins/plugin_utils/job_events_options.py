# -*- coding: utf-8 -*-
# Copyright: iotops.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""The arguments of the event source ``iotops.aws.iot_job_events``, checked before any request.

The connection arguments and their environment variables are the plugins'
(connection.CONNECTION_ARGUMENT_SPEC, checked by controller.validate_task_args).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Optional

from ansible_collections.iotops.aws.plugins.module_utils.connection import CONNECTION_OPTIONS
from ansible_collections.iotops.aws.plugins.module_utils.validation import check_job_id
from ansible_collections.iotops.aws.plugins.plugin_utils.controller import TaskArgumentsError, validate_task_args
from ansible_collections.iotops.aws.plugins.plugin_utils.job_events import FailureLimit

SOURCE_NAME = "iotops.aws.iot_job_events"
DEFAULT_INTERVAL = 30
DEFAULT_MAX_REQUESTS_PER_SECOND = 5
DEFAULT_FAILURE_REASONS_SAMPLE = 10
_THING_GROUP = re.compile(r"[a-zA-Z0-9:_-]{1,128}")
_JOB_ID_PREFIX = re.compile(r"[a-zA-Z0-9_-]{1,64}")

SOURCE_ARGUMENT_SPEC = dict(
    interval=dict(type="float", default=DEFAULT_INTERVAL),
    job_ids=dict(type="list", elements="str"),
    job_id_prefix=dict(type="str"),
    thing_group=dict(type="str"),
    include_failures=dict(type="bool", default=False),
    failure_reasons_sample=dict(type="int", default=DEFAULT_FAILURE_REASONS_SAMPLE),
    include_tags=dict(type="bool", default=False),
    max_failure_percent=dict(type="float"),
    min_executions=dict(type="int", default=1),
    max_requests_per_second=dict(type="float", default=DEFAULT_MAX_REQUESTS_PER_SECOND),
)
SOURCE_MUTUALLY_EXCLUSIVE = [["job_ids", "job_id_prefix", "thing_group"]]


class SourceArgumentsError(ValueError):
    """The source's arguments are invalid; no request was made.  One line."""


@dataclass(frozen=True)
class SourceOptions:
    interval: float = DEFAULT_INTERVAL
    job_ids: Optional[frozenset] = None
    job_id_prefix: Optional[str] = None
    thing_group: Optional[str] = None
    include_failures: bool = False
    failure_reasons_sample: int = DEFAULT_FAILURE_REASONS_SAMPLE
    include_tags: bool = False
    limit: Optional[FailureLimit] = None
    max_requests_per_second: float = DEFAULT_MAX_REQUESTS_PER_SECOND

    def selects(self, job_id):
        if self.job_ids is not None:
            return job_id in self.job_ids
        if self.job_id_prefix is not None:
            return job_id.startswith(self.job_id_prefix)
        return True


def _fail(option, problem):
    raise SourceArgumentsError("{0}: {1}: {2}".format(SOURCE_NAME, option, problem))


def source_options(args):
    """(SourceOptions, connection settings) from the rulebook's arguments.

    ansible-rulebook adds arguments of its own (``eda_feedback_queue``);
    they are not the source's and are left out.
    """
    args = dict((key, value) for key, value in (args or {}).items() if not key.startswith("eda_"))
    try:
        params = validate_task_args(SOURCE_NAME, SOURCE_ARGUMENT_SPEC, args,
                                    mutually_exclusive=SOURCE_MUTUALLY_EXCLUSIVE)
    except TaskArgumentsError as exc:
        raise SourceArgumentsError("{0}: {1}".format(SOURCE_NAME, exc))
    if not params["interval"] > 0:
        _fail("interval", "must be more than 0 seconds, got {0:g}".format(params["interval"]))
    if not params["max_requests_per_second"] >= 1:
        _fail("max_requests_per_second", "must be 1 or more, got {0:g}".format(params["max_requests_per_second"]))
    if params["failure_reasons_sample"] < 0:
        _fail("failure_reasons_sample", "must be 0 (no describes) or more, got {0}".format(params["failure_reasons_sample"]))
    if params["min_executions"] < 1:
        _fail("min_executions", "must be 1 or more, got {0}".format(params["min_executions"]))
    percent = params["max_failure_percent"]
    if percent is not None and not 0 <= percent < 100:
        _fail("max_failure_percent", "must be at least 0 and below 100, got {0:g}".format(percent))
    job_ids = params["job_ids"]
    if job_ids is not None:
        if not job_ids:
            _fail("job_ids", "must name at least one job")
        for job_id in job_ids:
            try:
                check_job_id(job_id, "job_ids")
            except ValueError as exc:
                raise SourceArgumentsError("{0}: {1}".format(SOURCE_NAME, exc))
    prefix, group = params["job_id_prefix"], params["thing_group"]
    if prefix is not None and not _JOB_ID_PREFIX.fullmatch(prefix):
        _fail("job_id_prefix", "{0!r} cannot start a job ID: use 1 to 64 characters of a-z, A-Z, 0-9, _ and -".format(prefix))
    if group is not None and not _THING_GROUP.fullmatch(group):
        _fail("thing_group", "{0!r} is not a thing group name: use 1 to 128 characters of a-z, A-Z, 0-9, :, _ and -".format(
            group))
    options = SourceOptions(
        interval=params["interval"],
        job_ids=frozenset(job_ids) if job_ids is not None else None,
        job_id_prefix=prefix,
        thing_group=group,
        include_failures=params["include_failures"],
        failure_reasons_sample=params["failure_reasons_sample"],
        include_tags=params["include_tags"],
        limit=FailureLimit(percent, params["min_executions"]) if percent is not None else None,
        max_requests_per_second=params["max_requests_per_second"],
    )
    settings = dict((name, params.get(name)) for name in CONNECTION_OPTIONS)
    return options, settings
