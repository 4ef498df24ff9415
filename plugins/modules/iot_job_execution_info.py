#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: iotops.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: iot_job_execution_info
short_description: Describe or list AWS IoT job executions
version_added: 0.1.0
description:
  - Reads AWS IoT job executions. Nothing is changed, so the module runs in check mode as well.
  - With O(job_id) and O(thing_name), describes one execution (C(DescribeJobExecution)), including the
    C(statusDetails) its device reported.
  - With O(job_id) alone, lists every execution of the job (C(ListJobExecutionsForJob), all pages).
  - With O(thing_name) alone, lists every execution of the thing (C(ListJobExecutionsForThing), all pages).
  - A job, thing or execution that does not exist gives RV(job_executions=[]); that is not a failure.
  - Every option is checked before the first request. A bad value fails with one line that names the option.
author:
  - iotops.aws maintainers (@iotops)
options:
  job_id:
    description:
      - The job, 1 to 64 characters of V(a-z), V(A-Z), V(0-9), V(_) and V(-).
      - At least one of O(job_id) and O(thing_name) is required.
    type: str
  thing_name:
    description:
      - The thing, 1 to 128 characters of V(a-z), V(A-Z), V(0-9), V(:), V(_) and V(-).
      - A thing ARN is accepted too, and reduced to the name it carries.
    type: str
  execution_number:
    description:
      - Describe this execution of the thing's job instead of the latest one.
      - An integer of 0 or more. Requires both O(job_id) and O(thing_name).
    type: int
  status:
    description:
      - Return only executions in this status.
      - Filters the list modes on the AWS side; in the describe mode, an execution in another status is left out.
    type: str
    choices: [QUEUED, IN_PROGRESS, SUCCEEDED, FAILED, TIMED_OUT, REJECTED, REMOVED, CANCELED]
extends_documentation_fragment:
  - iotops.aws.connection
attributes:
  check_mode:
    support: full
    description: Read-only; returns the same data in check mode, with RV(ignore:changed=false).
notes:
  - "Needs the IAM actions C(iot:DescribeJobExecution), C(iot:ListJobExecutionsForJob), C(iot:ListJobExecutionsForThing)
    and, when only O(thing_name) is given, C(iot:DescribeThing) to return the thing's ARN."
"""

EXAMPLES = r"""
- name: Describe the firmware job's execution on one device
  iotops.aws.iot_job_execution_info:
    job_id: fw-2-4-1
    thing_name: sensor-0042
    region: eu-west-1
  register: execution

- name: Show what the device reported
  ansible.builtin.debug:
    msg: "{{ execution.job_executions[0].status }}: {{ execution.job_executions[0].status_details.details_map }}"
  when: execution.job_executions | length > 0

- name: List the job's failed executions
  iotops.aws.iot_job_execution_info:
    job_id: fw-2-4-1
    status: FAILED
  register: failed

- name: Stop the rollout when any canary device failed
  ansible.builtin.assert:
    that: failed.job_executions | length == 0
    fail_msg: "Failed on {{ failed.job_executions | map(attribute='thing_name') | join(', ') }}"

- name: Every job execution a device has had, by ARN
  iotops.aws.iot_job_execution_info:
    thing_name: arn:aws:iot:eu-west-1:123456789012:thing/sensor-0042
  register: history
"""

RETURN = r"""
job_executions:
  description:
    - The job executions found, V([]) when nothing matches.
    - Keys are snake_case, except the keys inside RV(job_executions[].status_details.details_map), which are
      the device's own.
  returned: success
  type: list
  elements: dict
  contains:
    job_id:
      description: The job.
      type: str
      returned: always
      sample: fw-2-4-1
    thing_name:
      description: The thing.
      type: str
      returned: always
      sample: sensor-0042
    thing_arn:
      description: The thing's ARN.
      type: str
      returned: always
      sample: arn:aws:iot:eu-west-1:123456789012:thing/sensor-0042
    status:
      description: The execution's status.
      type: str
      returned: always
      sample: SUCCEEDED
    queued_at:
      description: When the execution was queued, ISO 8601 with offset.
      type: str
      returned: always
      sample: "2026-11-28T17:53:36.304000+00:00"
    started_at:
      description: When the device started the execution, ISO 8601 with offset; V(null) before that.
      type: str
      returned: always
    last_updated_at:
      description: When the execution last changed, ISO 8601 with offset.
      type: str
      returned: always
    execution_number:
      description: Identifies this execution among the thing's executions of the job.
      type: int
      returned: always
      sample: 1
    force_canceled:
      description: Whether the execution was canceled with force.
      type: bool
      returned: when both O(job_id) and O(thing_name) are given
    status_details:
      description: What the device reported.
      type: dict
      returned: when both O(job_id) and O(thing_name) are given
      contains:
        details_map:
          description: The device's name-value pairs, with keys exactly as sent.
          type: dict
          returned: always
          sample: {"progressPercent": "100", "firmware": "2.4.1"}
    version_number:
      description: The execution's version, increased on every update by the device.
      type: int
      returned: when both O(job_id) and O(thing_name) are given
    approximate_seconds_before_timed_out:
      description: Seconds left before an in-progress execution times out; V(null) once it is terminal.
      type: int
      returned: when both O(job_id) and O(thing_name) are given
    retry_attempt:
      description: How many times the job's retry configuration has retried this execution.
      type: int
      returned: when only one of O(job_id) and O(thing_name) is given
      sample: 0
"""

from ansible_collections.iotops.aws.plugins.module_utils.errors import aws_errors
from ansible_collections.iotops.aws.plugins.module_utils.jobs_read import find_job_executions
from ansible_collections.iotops.aws.plugins.module_utils.modules import IotJobsModule
from ansible_collections.iotops.aws.plugins.module_utils.vocabulary import JOB_EXECUTION_STATUSES


def identifiers_text(params):
    parts = ["{0} {1}".format(key, params[key]) for key in ("job_id", "thing_name", "execution_number") if params[key] is not None]
    return ", ".join(parts)


def main():
    module = IotJobsModule(
        argument_spec=dict(
            job_id=dict(type="str"),
            thing_name=dict(type="str"),
            execution_number=dict(type="int"),
            status=dict(type="str", choices=list(JOB_EXECUTION_STATUSES)),
        ),
        required_one_of=[["job_id", "thing_name"]],
        required_by=dict(execution_number=["job_id", "thing_name"]),
        supports_check_mode=True,
    )
    params = module.params
    client = module.client()
    try:
        executions = list(
            find_job_executions(
                client,
                job_id=params["job_id"],
                thing_name=params["thing_name"],
                execution_number=params["execution_number"],
                status=params["status"],
            )
        )
    except aws_errors() as exc:
        module.fail_json_aws(exc, msg="Failed to read job executions ({0})".format(identifiers_text(params)))
    module.exit_json(changed=False, job_executions=executions)


if __name__ == "__main__":
    main()
