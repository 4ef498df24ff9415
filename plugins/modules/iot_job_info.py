#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: iotops.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: iot_job_info
short_description: Describe an AWS IoT job and, optionally, its executions
version_added: 0.1.0
description:
  - Describes one AWS IoT job (C(DescribeJob)), with its status, its configuration and how many of its things are
    in each execution status. Nothing is changed, so the module runs in check mode as well.
  - With O(include_executions=true), also lists the job's executions (C(ListJobExecutionsForJob), all pages).
  - A job that does not exist gives RV(jobs=[]); that is not a failure.
  - Every option is checked before the first request. A bad value fails with one line that names the option.
author:
  - iotops.aws maintainers (@iotops)
options:
  job_id:
    description:
      - The job, 1 to 64 characters of V(a-z), V(A-Z), V(0-9), V(_) and V(-).
    type: str
    required: true
  include_executions:
    description:
      - Also return the job's executions, in RV(jobs[].job_executions).
      - A large fleet means many list pages; the counts in RV(jobs[].job_process_details) come without them.
    type: bool
    default: false
  status:
    description:
      - Return only the executions in this status. Filters on the AWS side.
      - Requires O(include_executions=true).
    type: str
    choices: [QUEUED, IN_PROGRESS, SUCCEEDED, FAILED, TIMED_OUT, REJECTED, REMOVED, CANCELED]
extends_documentation_fragment:
  - iotops.aws.connection
attributes:
  check_mode:
    support: full
    description: Read-only; returns the same data in check mode, with RV(ignore:changed=false).
notes:
  - "Needs the IAM action C(iot:DescribeJob) and, with O(include_executions=true), C(iot:ListJobExecutionsForJob)."
seealso:
  - module: iotops.aws.iot_job_execution_info
  - plugin: iotops.aws.iot_job_execution
    plugin_type: lookup
"""

EXAMPLES = r"""
- name: Describe the firmware job
  iotops.aws.iot_job_info:
    job_id: fw-2-4-1
    region: eu-west-1
  register: fw

- name: Stop the rollout when more than two devices failed
  ansible.builtin.assert:
    that: fw.jobs[0].job_process_details.number_of_failed_things <= 2
  when: fw.jobs | length > 0

- name: The job's failed executions, to retry them by hand
  iotops.aws.iot_job_info:
    job_id: fw-2-4-1
    include_executions: true
    status: FAILED
  register: failed

- name: Show the devices that failed
  ansible.builtin.debug:
    msg: "{{ failed.jobs[0].job_executions | map(attribute='thing_name') | join(', ') }}"
  when: failed.jobs | length > 0
"""

RETURN = r"""
jobs:
  description:
    - The job, as a list of one item; V([]) when the job does not exist.
    - Keys are snake_case, except the keys inside RV(jobs[].document_parameters), which are the job's own.
    - The keys below are always present; one that AWS does not report for this job is V(null). Any other
      member of C(DescribeJob)'s C(job) is returned too, in snake_case.
  returned: success
  type: list
  elements: dict
  contains:
    job_id:
      description: The job.
      type: str
      returned: always
      sample: fw-2-4-1
    job_arn:
      description: The job's ARN.
      type: str
      returned: always
      sample: arn:aws:iot:eu-west-1:123456789012:job/fw-2-4-1
    status:
      description: V(IN_PROGRESS), V(CANCELED), V(COMPLETED), V(DELETION_IN_PROGRESS) or V(SCHEDULED).
      type: str
      returned: always
      sample: IN_PROGRESS
    target_selection:
      description: V(SNAPSHOT), or V(CONTINUOUS) for a job that also reaches things added to its groups later.
      type: str
      returned: always
      sample: SNAPSHOT
    targets:
      description: The ARNs of the things and thing groups the job targets.
      type: list
      elements: str
      returned: always
      sample: ["arn:aws:iot:eu-west-1:123456789012:thinggroup/canaries"]
    created_at:
      description: When the job was created, ISO 8601 with offset.
      type: str
      returned: always
      sample: "2026-11-28T17:53:36.304000+00:00"
    last_updated_at:
      description: When the job last changed, ISO 8601 with offset.
      type: str
      returned: always
    completed_at:
      description: When the job completed, ISO 8601 with offset; V(null) until then.
      type: str
      returned: always
    abort_config:
      description: When the job cancels itself, C(criteria_list) of C(failure_type), C(action), C(threshold_percentage)
        and C(min_number_of_executed_things).
      type: dict
      returned: always
    job_executions_retry_config:
      description: How often failed executions are retried, C(criteria_list) of C(failure_type) and C(number_of_retries).
      type: dict
      returned: always
      sample: {"criteria_list": [{"failure_type": "FAILED", "number_of_retries": 1}]}
    job_executions_rollout_config:
      description: How fast executions are created, C(maximum_per_minute) or C(exponential_rate).
      type: dict
      returned: always
    timeout_config:
      description: C(in_progress_timeout_in_minutes), after which an execution in progress times out.
      type: dict
      returned: always
    reason_code:
      version_added: 0.2.0
      description: The C(reasonCode) the job was canceled with, by C(CancelJob) or by its C(abortConfig); V(null) when none.
      type: str
      returned: always
      sample: GATE_FAILED
    comment:
      version_added: 0.2.0
      description: The C(comment) the job was canceled with; V(null) when none.
      type: str
      returned: always
      sample: Stopped by the rollout gate
    scheduling_config:
      version_added: 0.2.0
      description:
        - When the job rolls out, C(start_time), C(end_time), C(end_behavior) and C(maintenance_windows) (each a
          C(start_time) cron expression and C(duration_in_minutes)); V(null) for a job without one.
        - A job with a future C(start_time), or between maintenance windows, has RV(jobs[].status=SCHEDULED).
      type: dict
      returned: always
      sample: {"start_time": "2026-05-01T02:00", "end_behavior": "STOP_ROLLOUT"}
    scheduled_job_rollouts:
      version_added: 0.2.0
      description: The start times of the next maintenance windows, as C(start_time) items; V(null) when AWS gives none.
      type: list
      elements: dict
      returned: always
    document_parameters:
      description: The values the job document's placeholders were given, with keys exactly as given; V({}) when none.
      type: dict
      returned: always
      sample: {"firmwareVersion": "2.4.1"}
    job_process_details:
      description: How many of the job's things are in each execution status.
      type: dict
      returned: always
      contains:
        processing_targets:
          description: The targets whose executions are still being created; V([]) once the rollout is done.
          type: list
          elements: str
          returned: always
        number_of_queued_things:
          description: Executions in status V(QUEUED).
          type: int
          returned: always
        number_of_in_progress_things:
          description: Executions in status V(IN_PROGRESS).
          type: int
          returned: always
        number_of_succeeded_things:
          description: Executions in status V(SUCCEEDED).
          type: int
          returned: always
        number_of_failed_things:
          description: Executions in status V(FAILED).
          type: int
          returned: always
        number_of_rejected_things:
          description: Executions in status V(REJECTED).
          type: int
          returned: always
        number_of_removed_things:
          description: Executions in status V(REMOVED).
          type: int
          returned: always
        number_of_canceled_things:
          description: Executions in status V(CANCELED).
          type: int
          returned: always
        number_of_timed_out_things:
          description: Executions in status V(TIMED_OUT).
          type: int
          returned: always
    job_executions:
      description:
        - The job's executions, in O(status) when given; the same items as
          M(iotops.aws.iot_job_execution_info) returns for O(iotops.aws.iot_job_execution_info#module:job_id) alone.
      type: list
      elements: dict
      returned: when O(include_executions=true)
      contains:
        job_id:
          description: The job.
          type: str
          returned: always
        thing_name:
          description: The thing.
          type: str
          returned: always
          sample: sensor-0042
        thing_arn:
          description: The thing's ARN.
          type: str
          returned: always
        status:
          description: The execution's status.
          type: str
          returned: always
          sample: FAILED
        queued_at:
          description: When the execution was queued, ISO 8601 with offset.
          type: str
          returned: always
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
        retry_attempt:
          description: How many times the job's retry configuration has retried this execution.
          type: int
          returned: always
"""

from ansible_collections.iotops.aws.plugins.module_utils.errors import aws_errors
from ansible_collections.iotops.aws.plugins.module_utils.jobs_read import find_job, find_job_executions
from ansible_collections.iotops.aws.plugins.module_utils.modules import IotJobsModule
from ansible_collections.iotops.aws.plugins.module_utils.vocabulary import JOB_EXECUTION_STATUSES


def main():
    module = IotJobsModule(
        argument_spec=dict(
            job_id=dict(type="str", required=True),
            include_executions=dict(type="bool", default=False),
            status=dict(type="str", choices=list(JOB_EXECUTION_STATUSES)),
        ),
        supports_check_mode=True,
    )
    job_id, status = module.params["job_id"], module.params["status"]
    if status and not module.params["include_executions"]:
        module.fail_json(msg="status: filters the job's executions, so it requires include_executions=true")
    client = module.client()
    action = "Failed to describe job {0}".format(job_id)
    try:
        job = find_job(client, job_id)
        if job is not None and module.params["include_executions"]:
            action = "Failed to list the executions of job {0}".format(job_id)
            job["job_executions"] = list(find_job_executions(client, job_id=job_id, status=status))
    except aws_errors() as exc:
        module.fail_json_aws(exc, msg=action)
    module.exit_json(changed=False, jobs=[] if job is None else [job])


if __name__ == "__main__":
    main()
