# -*- coding: utf-8 -*-
# Copyright: iotops.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""Event source iotops.aws.iot_job_events: one event per change of an AWS IoT job in progress."""

from __future__ import annotations

import asyncio
import os
import sys
import time

DOCUMENTATION = r"""
---
short_description: Events about the AWS IoT jobs in progress
description:
  - An ansible-rulebook event source that watches the AWS IoT jobs in progress in an account and region, and puts
    one event on the queue for each change of a job, never one per poll.
  - "Each interval costs one C(ListJobs) (status C(IN_PROGRESS), every page) and one C(DescribeJob) for each job in
    progress. A job that left the list is described once more, for its last event, then dropped."
  - "Every event is C({iot_job: {...}}) with C(type): C(job_started) (first seen in progress),
    C(job_progress) (its counts or status changed), C(executions_failed) (more executions failed since the last
    event), C(job_completed), C(job_canceled) or C(job_deleted)."
  - "An event has C(job_id), C(job_arn), C(status), C(target_selection), C(counts) (executions per status, lower
    case), C(executions), C(failures) (executions FAILED, TIMED_OUT, REJECTED, REMOVED or CANCELED, the default
    failure statuses of M(iotops.aws.iot_job_execution_wait)), C(failure_share) (failures over executions, 0 to 1),
    C(new_failures), C(failure_reasons) and C(failure_sample) (with O(include_failures)), C(over_limit) and
    C(limit) (with O(max_failure_percent)), C(tags) (with O(include_tags)), C(reason_code) and C(comment) (a
    canceled job's), C(at) (when it was read, ISO 8601)."
  - "C(changed) names the members that differ from the job's previous event, and C(previous) holds their values
    then, with its C(at); C(previous) is null in a job's first event."
  - Throttling and other faults are retried as the plugins retry them (botocore's standard retry mode; see
    O(aws_config)); a fault that outlasts the retries costs that round, or that job's turn in it, and is logged in
    one line. Errors that another round would only repeat (access denied, invalid credentials, a bad request) stop
    the source, in one line. Bad arguments stop it before any request.
  - No secret appears in an event or a log line.
version_added: 0.2.0
options:
  interval:
    description:
      - Seconds from the start of one round to the start of the next. A round that takes longer is followed at once.
    type: float
    default: 30
  job_ids:
    description:
      - Only these jobs. Mutually exclusive with O(job_id_prefix) and O(thing_group).
    type: list
    elements: str
  job_id_prefix:
    description:
      - Only the jobs whose ID starts with this. Mutually exclusive with O(job_ids) and O(thing_group).
    type: str
  thing_group:
    description:
      - Only the jobs that target this thing group (C(ListJobs)' C(thingGroupName) filter). Mutually exclusive with
        O(job_ids) and O(job_id_prefix).
    type: str
  include_failures:
    description:
      - "When a job's failures grow, list its new failed executions and describe a sample of at most
        O(failure_reasons_sample) of them, devices' own failures first, for their C(statusDetails): the event's
        C(failure_reasons) maps each C(detailsMap) key to its values and their counts, and C(failure_sample) says
        how many were read (C(sampled), C(failed), C(without_details)), as M(iotops.aws.iot_job_execution_wait)'s
        C(failure_reasons) does."
      - Costs one C(ListJobExecutionsForJob) page per 250 failed executions of each failure status that grew, plus
        the describes.
    type: bool
    default: false
  failure_reasons_sample:
    description:
      - With O(include_failures), how many new failed executions each event describes at most.
    type: int
    default: 10
  include_tags:
    description:
      - Read each job's tags (C(ListTagsForResource)) when it is first seen and again whenever its failures grow,
        and put them in the events' C(tags). One call per new job, plus one per event of new failures.
    type: bool
    default: false
  max_failure_percent:
    description:
      - A failure limit; every event then carries C(over_limit), true when more than this percentage of the job's
        executions are failures and the job has at least O(min_executions) executions (the rule of
        M(iotops.aws.iot_job_execution_wait)'s O(iotops.aws.iot_job_execution_wait#module:max_failure_percent) in
        fleet mode), and C(limit).
    type: float
  min_executions:
    description:
      - With O(max_failure_percent), the executions a job needs before C(over_limit) can be true.
    type: int
    default: 1
  max_requests_per_second:
    description:
      - The most requests the source sends in any second, every attempt counted, botocore's retries included.
      - A round of many jobs then takes longer than O(interval), and the next one starts at once.
    type: float
    default: 5
extends_documentation_fragment:
  - iotops.aws.connection.plugins
"""

EXAMPLES = r"""
- name: Watch the rollouts of one product line
  hosts: all
  sources:
    - iotops.aws.iot_job_events:
        region: eu-west-1
        job_id_prefix: sensor-fw-
        interval: 30
        include_failures: true
        max_failure_percent: 10
        min_executions: 20
  rules:
    - name: A rollout over its failure limit
      condition: event.iot_job.over_limit == true and event.iot_job.status == "IN_PROGRESS"
      action:
        debug:
          msg: "{{ event.iot_job.job_id }}: {{ event.iot_job.failures }} of {{ event.iot_job.executions }} failed"
"""


def _import_path():
    """ansible-rulebook runs this file with runpy, without Ansible's collection
    loader: the directory that holds ansible_collections/ goes on sys.path."""
    # .../ansible_collections/iotops/aws/extensions/eda/plugins/event_source/this.py,
    # not resolved: the collection may be a link.
    parts = os.path.abspath(__file__).split(os.sep)
    if len(parts) > 8 and parts[-8] == "ansible_collections":
        root = os.sep.join(parts[:-8]) or os.sep
        if root not in sys.path:
            sys.path.insert(0, root)


try:
    from ansible_collections.iotops.aws.plugins.plugin_utils.job_watch import JobWatch
except ImportError:
    _import_path()
    from ansible_collections.iotops.aws.plugins.plugin_utils.job_watch import JobWatch

from ansible_collections.iotops.aws.plugins.module_utils.connection import iot_client  # noqa: E402
from ansible_collections.iotops.aws.plugins.module_utils.errors import ConnectionSettingsError  # noqa: E402
from ansible_collections.iotops.aws.plugins.plugin_utils.job_events_options import (  # noqa: E402
    SOURCE_NAME,
    SourceArgumentsError,
    source_options,
)
from ansible_collections.iotops.aws.plugins.plugin_utils.request_budget import RequestBudget  # noqa: E402


async def main(queue, args):
    """Put one event on ``queue`` per change of a job in progress; runs until cancelled."""
    options, settings = source_options(args)
    try:
        client = iot_client(settings)
    except ConnectionSettingsError as exc:
        raise SourceArgumentsError("{0}: {1}".format(SOURCE_NAME, exc))
    RequestBudget(options.max_requests_per_second).attach(client)
    watch = JobWatch(client, options, settings)
    while True:
        started = time.monotonic()
        # botocore blocks: the round runs in a thread, its calls one at a time.
        for event in await asyncio.to_thread(watch.poll):
            await queue.put(event)
        await asyncio.sleep(max(0.0, options.interval - (time.monotonic() - started)))


if __name__ == "__main__":
    class _PrintQueue:
        async def put(self, event):
            print(event)  # noqa: T201

    asyncio.run(main(_PrintQueue(), dict(arg.split("=", 1) for arg in sys.argv[1:])))
