#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: iotops.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: iot_job_template
short_description: Create, replace or delete an AWS IoT job template
version_added: 0.2.0
description:
  - Manages one AWS IoT job template, idempotently. Run it again with the same options and it changes nothing.
  - With O(state=present), creates the template (C(CreateJobTemplate)) when it does not exist. When it exists,
    compares each option given with the template (C(DescribeJobTemplate)).
  - AWS cannot update a job template. A template that differs from the options fails the task with one line that
    names every setting that differs, and nothing is sent; with O(replace=true) the module deletes the template and
    creates it again instead. Jobs already created from the template keep their own settings.
  - Its O(tags) are the exception, changed in place with C(TagResource) and C(UntagResource).
  - With O(state=absent), deletes the template (C(DeleteJobTemplate)).
  - Every option is checked against AWS's documented ranges before the first request. A bad value fails with one
    line that names the option, and nothing is sent.
author:
  - iotops.aws maintainers (@iotops)
options:
  job_template_id:
    description:
      - The template, 1 to 64 characters of V(a-z), V(A-Z), V(0-9), V(_) and V(-).
    type: str
    required: true
  state:
    description:
      - V(present) creates the template, or checks an existing one against the options given. Only the options
        given are compared; within an option that has suboptions, only the suboptions given, except where a default
        is documented.
      - V(absent) deletes the template. A template that does not exist gives RV(ignore:changed=false).
    type: str
    choices: [present, absent]
    default: present
  replace:
    description:
      - With O(state=present), delete a template that differs from the options and create it again from the
        options given, since AWS cannot update a template. The new template has only the settings the task gives;
        it keeps the old template's tags unless O(tags) is set.
      - Jobs already created from the template are not affected.
      - With V(false), a template that differs fails the task, naming each setting that differs.
    type: bool
    default: false
  description:
    description:
      - A description of the template (C(description)), 1 to 2,028 characters without control characters.
      - Required to create the template, as AWS requires it.
    type: str
  document:
    description:
      - The job document of the jobs created from the template (C(document)), as a dict or as a JSON string; at
        most 32,768 characters as JSON. Compared as parsed JSON, so formatting and key order do not matter.
      - Creating the template needs exactly one of O(document), O(document_source) and O(job_arn).
    type: raw
  document_source:
    description:
      - The job document's S3 object URL (C(documentSource)), 1 to 1,350 characters starting with V(https://).
    type: str
  job_arn:
    description:
      - The ARN of a job whose document and settings the new template copies (C(jobArn)).
      - Used only to create the template. AWS does not report which job a template was copied from, so an existing
        template is not compared with it.
    type: str
  maintenance_windows:
    description:
      - Recurring windows within which the rollout of a job created from the template runs (C(maintenanceWindows)).
    type: list
    elements: dict
    suboptions:
      start_time:
        description:
          - The cron expression that opens each window (C(startTime)), for example V(cron(0 2 ? * SUN *)); 1 to 256
            characters.
        type: str
        required: true
      duration_in_minutes:
        description:
          - The length of each window in minutes (C(durationInMinutes)), 1 to 1,430.
        type: int
        required: true
  destination_package_versions:
    description:
      - The ARNs of the software package versions the devices should run after a job created from the template
        succeeds (C(destinationPackageVersions)); at most 25. Compared in any order.
    type: list
    elements: str
attributes:
  check_mode:
    support: full
    description:
      - Sends no write request at all; reads the template and its tags, and predicts RV(ignore:changed).
  diff_mode:
    support: full
    description:
      - Shows the template's settings before and after, in the options' names, limited to the settings that
        change. A replaced template shows the old template's settings and the new one's.
notes:
  - "Needs the IAM actions C(iot:DescribeJobTemplate) and C(iot:ListTagsForResource) to read the template; and, for
    the changes they make, C(iot:CreateJobTemplate), C(iot:DeleteJobTemplate), C(iot:TagResource) and
    C(iot:UntagResource). O(job_arn) also needs C(iot:DescribeJob) on that job, and O(presigned_url)
    C(iam:PassRole) on its role."
  - "C(CreateJobTemplate) has no idempotency token. When a create is retried after an attempt that got no answer,
    or when two plays create the same template at once, AWS answers C(ConflictException); the module then compares
    the template found with the options, and succeeds when it matches."
seealso:
  - module: iotops.aws.iot_job_template_info
  - module: iotops.aws.iot_job
extends_documentation_fragment:
  - iotops.aws.connection
  - iotops.aws.job_settings
  - iotops.aws.tags
"""

EXAMPLES = r"""
- name: Keep the firmware rollout template, paced and self-aborting
  iotops.aws.iot_job_template:
    job_template_id: firmware-install
    description: Install a firmware build
    document:
      operation: install
      firmware: "${aws:iot:s3-presigned-url:https://s3.eu-west-1.amazonaws.com/firmware/fw-2.4.1.bin}"
    presigned_url:
      role_arn: arn:aws:iam::123456789012:role/iot-firmware-download
      expires_in_sec: 1800
    rollout:
      exponential_rate:
        base_rate_per_minute: 10
        increment_factor: 2
        rate_increase_criteria:
          number_of_succeeded_things: 50
    abort:
      - failure_type: ALL
        threshold_percentage: 5
        min_number_of_executed_things: 100
    in_progress_timeout_minutes: 60
    retry:
      - failure_type: TIMED_OUT
        number_of_retries: 2
    maintenance_windows:
      - start_time: cron(0 2 ? * SUN *)
        duration_in_minutes: 120
    tags:
      team: firmware

- name: Move the template to the next build, replacing it (jobs created from it keep their settings)
  iotops.aws.iot_job_template:
    job_template_id: firmware-install
    description: Install a firmware build
    document:
      operation: install
      firmware: "${aws:iot:s3-presigned-url:https://s3.eu-west-1.amazonaws.com/firmware/fw-2.5.0.bin}"
    replace: true

- name: Create a job from the template
  iotops.aws.iot_job:
    job_id: fw-2-5-0
    targets: [canaries]
    job_template_arn: arn:aws:iot:eu-west-1:123456789012:jobtemplate/firmware-install

- name: Delete the template
  iotops.aws.iot_job_template:
    job_template_id: firmware-install
    state: absent
"""

RETURN = r"""
job_template:
  description:
    - The template as C(DescribeJobTemplate) reports it after the task, with its tags; V(null) when there is no
      template. In check mode, the template as it is, since nothing was changed.
    - Keys are snake_case, except the tags' keys, which are the template's own.
  returned: success
  type: dict
  contains:
    job_template_id:
      description: The template.
      type: str
      returned: always
      sample: firmware-install
    job_template_arn:
      description: The template's ARN, for M(iotops.aws.iot_job)'s O(iotops.aws.iot_job#module:job_template_arn).
      type: str
      returned: always
      sample: arn:aws:iot:eu-west-1:123456789012:jobtemplate/firmware-install
    description:
      description: The template's description.
      type: str
      returned: always
      sample: Install a firmware build
    document:
      description: The job document, as the JSON text AWS keeps; V(null) for a template made from an S3 document.
      type: str
      returned: always
      sample: '{"operation":"install"}'
    document_source:
      description: The job document's S3 URL, or V(null).
      type: str
      returned: always
    created_at:
      description: When the template was created, ISO 8601 in UTC.
      type: str
      returned: always
      sample: "2026-11-30T02:00:00+00:00"
    presigned_url_config:
      description: C(presignedUrlConfig) in snake_case, or V(null).
      type: dict
      returned: always
    job_executions_rollout_config:
      description: C(jobExecutionsRolloutConfig) in snake_case, or V(null).
      type: dict
      returned: always
      sample: {maximum_per_minute: 50}
    abort_config:
      description: C(abortConfig) in snake_case, or V(null).
      type: dict
      returned: always
    timeout_config:
      description: C(timeoutConfig) in snake_case, or V(null).
      type: dict
      returned: always
      sample: {in_progress_timeout_in_minutes: 60}
    job_executions_retry_config:
      description: C(jobExecutionsRetryConfig) in snake_case, or V(null).
      type: dict
      returned: always
    maintenance_windows:
      description: C(maintenanceWindows) in snake_case, or V(null).
      type: list
      elements: dict
      returned: always
      sample: [{start_time: "cron(0 2 ? * SUN *)", duration_in_minutes: 120}]
    destination_package_versions:
      description: The package version ARNs, or V(null).
      type: list
      elements: str
      returned: always
    tags:
      description: The template's tags (C(ListTagsForResource)).
      type: dict
      returned: always
      sample: {team: firmware}
"""

from ansible_collections.iotops.aws.plugins.module_utils import jobs_read, jobs_write, templates_read
from ansible_collections.iotops.aws.plugins.module_utils.errors import aws_errors, error_code
from ansible_collections.iotops.aws.plugins.module_utils.job_plan import changed_after_conflict
from ansible_collections.iotops.aws.plugins.module_utils.job_template_options import (
    TEMPLATE_ARGUMENT_SPEC,
    TEMPLATE_MODULE_KWARGS,
    check_template_options,
)
from ansible_collections.iotops.aws.plugins.module_utils.job_template_plan import plan_absent, plan_present
from ansible_collections.iotops.aws.plugins.module_utils.modules import IotJobsModule
from ansible_collections.iotops.aws.plugins.module_utils.validation import InvalidOption


class _Conflict(Exception):
    """The template another create left differs from the options."""


def _read(client, template_id):
    """The template shaped and its tags; (None, None) when there is none."""
    template = templates_read.describe_job_template(client, template_id)
    if template is None:
        return None, None
    return template, jobs_read.list_tags_for_resource(client, template["job_template_arn"]) or {}


def _result_item(template, tags):
    return None if template is None else dict(template, tags=tags or {})


def _apply(client, params, plan, done):
    """Send the plan.  A create that AWS answers with ConflictException (an
    earlier attempt whose answer was lost, or another play) is accepted when
    the template found matches the options.  Returns (plan applied, changed)."""
    try:
        jobs_write.send_all(client, plan.writes(), done)
        return plan, True
    except aws_errors() as exc:
        if "CreateJobTemplate" in done or not plan.create or error_code(exc) != "ConflictException":
            raise
        conflict = exc
    template, tags = _read(client, params["job_template_id"])
    if template is None:  # created, then deleted by someone else: report AWS's answer
        raise conflict
    again = plan_present(dict(params, replace=False), template, tags)
    if again.error:
        raise _Conflict("CreateJobTemplate: job template {0!r} already exists: {1}".format(params["job_template_id"], again.error))
    jobs_write.send_all(client, again.writes(), done)
    retried = jobs_write.was_retried(conflict)
    # After a retried attempt the template is most likely this task's own creation: show it as created.
    return (plan if retried and not again.changed else again), bool(done) or changed_after_conflict(again, retried)


def main():
    module = IotJobsModule(argument_spec=TEMPLATE_ARGUMENT_SPEC, **TEMPLATE_MODULE_KWARGS)
    params, template_id = module.params, module.params["job_template_id"]
    try:
        check_template_options(params)
    except InvalidOption as exc:
        module.fail_json(msg=str(exc))
    client = module.client()
    done = []  # writes AWS accepted
    try:
        template, tags = _read(client, template_id)
        if params["state"] == "absent":
            plan = plan_absent(template_id, template, tags)
        else:
            plan = plan_present(params, template, tags)
        if plan.error:
            module.fail_json(msg=plan.error, job_template=_result_item(template, tags))
        changed = plan.changed
        if changed and not module.check_mode:
            plan, changed = _apply(client, params, plan, done)
            template, tags = _read(client, template_id)
    except _Conflict as exc:
        module.fail_json(msg=str(exc), changed=bool(done))
    except aws_errors() as exc:
        module.fail_json_aws(exc, msg="{0} failed for job template {1!r}".format(getattr(exc, "operation_name", "A request"), template_id),
                             changed=bool(done))
    module.exit_planned(plan, changed=changed, job_template=_result_item(template, tags))


if __name__ == "__main__":
    main()
