#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: iotops.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: iot_job_execution
short_description: Cancel or delete one thing's execution of an AWS IoT job
version_added: 0.2.0
description:
  - Cancels (C(CancelJobExecution)) or deletes (C(DeleteJobExecution)) the execution of one job on one thing,
    idempotently.
  - Use it when one device's execution is stuck, or must be cleared before the device is targeted again.
  - The execution is described first (C(DescribeJobExecution)), so that a run that has nothing to do sends no write
    request, and check mode predicts RV(ignore:changed) from what AWS reports.
  - Every option is checked before the first request. A bad value fails with one line that names the option.
author:
  - iotops.aws maintainers (@iotops)
options:
  job_id:
    description:
      - The job, 1 to 64 characters of V(a-z), V(A-Z), V(0-9), V(_) and V(-).
    type: str
    required: true
  thing_name:
    description:
      - The thing, 1 to 128 characters of V(a-z), V(A-Z), V(0-9), V(:), V(_) and V(-).
      - A thing ARN is accepted too, and reduced to the name it carries.
    type: str
    required: true
  state:
    description:
      - V(canceled) cancels the thing's latest execution of the job. One already V(CANCELED) gives
        RV(ignore:changed=false). One that ended otherwise (V(SUCCEEDED), V(FAILED), V(TIMED_OUT), V(REJECTED) or
        V(REMOVED)) cannot be canceled, and the module fails saying so; so does a missing execution. An
        V(IN_PROGRESS) execution needs O(force=true).
      - V(absent) deletes the execution numbered O(execution_number). A missing one gives
        RV(ignore:changed=false). One that is V(QUEUED) or V(IN_PROGRESS) needs O(force=true).
    type: str
    required: true
    choices: [canceled, absent]
  force:
    description:
      - Act on an execution that has not finished. Its device can no longer report the execution's status, and must
        be able to recover on its own.
    type: bool
    default: false
  expected_version:
    description:
      - With O(state=canceled), cancel only when the execution is at this version (C(expectedVersion)), 0 or more.
        The module fails, naming the current version, when it is not; AWS answers C(VersionConflictException) when
        the version changes between the check and the cancel.
    type: int
  status_details:
    description:
      - With O(state=canceled), pairs recorded in the execution's C(statusDetails); at most 10.
      - Keys are 1 to 128 characters of V(a-z), V(A-Z), V(0-9), V(:), V(_) and V(-), kept exactly as written.
        Values are non-empty strings.
    type: dict
  execution_number:
    description:
      - Which of the thing's executions of the job, an integer of 0 or more.
      - Required with O(state=absent), as AWS requires it.
      - Optional with O(state=canceled). AWS cancels only the latest execution, so the module fails when this is
        another one.
    type: int
extends_documentation_fragment:
  - iotops.aws.connection
attributes:
  check_mode:
    support: full
    description: Sends no write request; describes the execution and predicts RV(ignore:changed).
  diff_mode:
    support: full
    description: Shows the execution's C(status) before and after.
notes:
  - "Needs the IAM actions C(iot:DescribeJobExecution), and C(iot:CancelJobExecution) or C(iot:DeleteJobExecution)."
seealso:
  - module: iotops.aws.iot_job
  - module: iotops.aws.iot_job_execution_info
"""

EXAMPLES = r"""
- name: Cancel a stuck execution, even though the device reported it in progress
  iotops.aws.iot_job_execution:
    job_id: fw-2-4-1
    thing_name: sensor-0042
    state: canceled
    force: true
    status_details:
      canceledBy: ops
      ticket: OPS-1234
    region: eu-west-1

- name: Find the execution to clear before the device is targeted again
  iotops.aws.iot_job_execution_info:
    job_id: fw-2-4-1
    thing_name: sensor-0042
  register: stuck

- name: Delete that execution
  iotops.aws.iot_job_execution:
    job_id: fw-2-4-1
    thing_name: sensor-0042
    state: absent
    execution_number: "{{ stuck.job_executions[0].execution_number }}"
    force: true
  when: stuck.job_executions | length > 0
"""

RETURN = r"""
execution:
  description:
    - The execution as C(DescribeJobExecution) reports it after the task, in the same shape as the items of
      M(iotops.aws.iot_job_execution_info)'s RV(iotops.aws.iot_job_execution_info#module:job_executions);
      V(null) when it does not exist, as after O(state=absent).
    - In check mode, the execution as it is, since nothing was changed.
  returned: success
  type: dict
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
      sample: CANCELED
    execution_number:
      description: Identifies this execution among the thing's executions of the job.
      type: int
      returned: always
    version_number:
      description: The execution's version, for O(expected_version).
      type: int
      returned: always
    status_details:
      description: C(details_map), the pairs the device (or O(status_details)) recorded, with keys exactly as given.
      type: dict
      returned: always
msg:
  description: Why nothing was changed, when the execution was already canceled.
  returned: when the execution was already canceled
  type: str
diff:
  description: With C(--diff), the execution's C(status) before and after; two empty dicts when nothing changes.
  returned: when diff mode is on
  type: dict
  sample: {"before": {"status": "IN_PROGRESS"}, "after": {"status": "CANCELED"}}
"""

from ansible_collections.iotops.aws.plugins.module_utils import jobs_read, jobs_write
from ansible_collections.iotops.aws.plugins.module_utils.errors import aws_errors
from ansible_collections.iotops.aws.plugins.module_utils.iot_job_execution_options import (
    EXECUTION_ARGUMENT_SPEC,
    EXECUTION_MODULE_KWARGS,
    check_execution_options,
)
from ansible_collections.iotops.aws.plugins.module_utils.job_execution_plan import plan_execution
from ansible_collections.iotops.aws.plugins.module_utils.modules import IotJobsModule
from ansible_collections.iotops.aws.plugins.module_utils.shaping import shape_execution
from ansible_collections.iotops.aws.plugins.module_utils.validation import InvalidOption


def main():
    module = IotJobsModule(argument_spec=EXECUTION_ARGUMENT_SPEC, **EXECUTION_MODULE_KWARGS)
    params = module.params
    job_id, thing = params["job_id"], params["thing_name"]
    try:
        check_execution_options(params)
    except InvalidOption as exc:
        module.fail_json(msg=str(exc))
    client = module.client()
    # CancelJobExecution acts on the latest execution; DeleteJobExecution on the numbered one.
    number = params["execution_number"] if params["state"] == "absent" else None
    try:
        execution = jobs_read.describe_job_execution(client, job_id, thing, number)
        plan = plan_execution(params, shape_execution(execution) if execution else None, check_version=module.check_mode,
                              where=jobs_read.location_text(client))
        if plan.error:
            module.fail_json(msg=plan.error, execution=shape_execution(execution) if execution else None)
        if plan.changed and not module.check_mode:
            if plan.cancel:
                jobs_write.cancel_job_execution(client, plan.cancel)
            else:
                jobs_write.delete_job_execution(client, plan.delete)
            execution = jobs_read.describe_job_execution(client, job_id, thing, number)
    except aws_errors() as exc:
        module.fail_json_aws(exc, msg="{0} failed for job {1!r} on {2!r}".format(
            getattr(exc, "operation_name", "A request"), job_id, thing))
    module.exit_planned(plan, changed=plan.changed, execution=shape_execution(execution) if execution else None)


if __name__ == "__main__":
    main()
