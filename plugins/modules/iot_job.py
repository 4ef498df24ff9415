#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: iotops.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: iot_job
short_description: Create, update, extend, cancel or delete an AWS IoT job
version_added: 0.2.0
description:
  - Manages one AWS IoT job, idempotently. Run it again with the same options and it changes nothing.
  - With O(state=present), creates the job (C(CreateJob)) when it does not exist. When it exists, compares each
    option given with the job, and changes only what AWS lets change; see O(state).
  - With O(state=canceled), cancels the job (C(CancelJob)).
  - With O(state=absent), deletes the job (C(DeleteJob)) and, with O(wait=true), waits until it is gone.
  - Every option is checked against AWS's documented ranges before the first request. A bad value fails with one
    line that names the option, and nothing is sent.
  - The job is never deleted and created again to apply a change.
author:
  - iotops.aws maintainers (@iotops)
options:
  job_id:
    description:
      - The job, 1 to 64 characters of V(a-z), V(A-Z), V(0-9), V(_) and V(-).
    type: str
    required: true
  state:
    description:
      - V(present) creates the job, or brings an existing job to the options given. Only the options given are
        compared; an option left unset means the job may have any value for it. Within an option that has
        suboptions, only the suboptions given are compared, except where a default is documented.
      - On an existing job, a change to O(description), O(presigned_url), O(rollout), O(abort),
        O(in_progress_timeout_minutes) or O(retry) is made with C(UpdateJob). New O(targets) of a
        V(CONTINUOUS) job are added with C(AssociateTargetsWithJob). O(tags) are changed with C(TagResource) and
        C(UntagResource).
      - Any other difference, in O(document), O(document_source), O(job_template_arn), O(document_parameters),
        O(target_selection), O(scheduling), O(destination_package_versions) or the targets of a V(SNAPSHOT) job,
        cannot be made by AWS. The module then fails with one line that names every such setting, and sends no
        write request.
      - A job that is V(COMPLETED), V(CANCELED) or V(DELETION_IN_PROGRESS) is reported as it is; asking for any
        change to it fails.
      - V(canceled) cancels the job with O(reason_code), O(comment) and O(force). A job already canceled, or
        V(COMPLETED), is left alone with RV(ignore:changed=false); RV(msg) says which. A job that does not exist,
        or is being deleted, is a failure.
      - V(absent) deletes the job. A job that does not exist gives RV(ignore:changed=false). A job that is
        V(IN_PROGRESS) or V(SCHEDULED) needs O(force=true). A job already being deleted is not deleted again, but
        O(wait=true) still waits for it.
    type: str
    choices: [present, canceled, absent]
    default: present
  targets:
    description:
      - The things and thing groups the job runs on (C(targets)), as names or ARNs, 1 to 100 of them, AWS's limit.
      - A name is resolved to its ARN with C(DescribeThing) and C(DescribeThingGroup). A name that is both a thing
        and a thing group, or neither, fails; give the ARN instead.
      - For a V(CONTINUOUS) job, targets not yet in the job are added to it; this is how a staged rollout moves on
        to the next group. AWS adds targets only while the job is V(IN_PROGRESS), and cannot remove one. A target
        the job has but the list leaves out is left alone, unless O(purge_targets=true).
      - For a V(SNAPSHOT) job, the targets cannot change.
      - Required to create the job. A task for a job that exists may leave it out; the job keeps its targets.
    type: list
    elements: str
  target_selection:
    description:
      - V(SNAPSHOT) runs the job on the things in O(targets) when it is created, then completes.
      - V(CONTINUOUS) also runs it on things added to a target group later. Without an end time in O(scheduling),
        such a job never completes.
      - AWS's default is V(SNAPSHOT), so an existing V(CONTINUOUS) job needs O(target_selection=CONTINUOUS) in
        every task that manages it. Cannot change once the job exists.
    type: str
    choices: [SNAPSHOT, CONTINUOUS]
    default: SNAPSHOT
  document:
    description:
      - The job document (C(document)), as a dict or as a JSON string; at most 32,768 characters as JSON.
      - Compared with the job's document (C(GetJobDocument)) as parsed JSON, so formatting and key order do not
        matter. Cannot change once the job exists.
      - Creating the job needs exactly one of O(document), O(document_source) and O(job_template_arn). A task for a
        job that exists may leave all three out; the job keeps its document.
    type: raw
  document_source:
    description:
      - The job document's S3 object URL (C(documentSource)), for example
        V(https://s3.eu-west-1.amazonaws.com/firmware/fw-2.4.1.json); 1 to 1,350 characters.
      - Compared with the URL the job was created from. Cannot change once the job exists.
    type: str
  job_template_arn:
    description:
      - The ARN of the job template to create the job from (C(jobTemplateArn)). Cannot change once the job exists.
    type: str
  document_parameters:
    description:
      - Values for the placeholders of an AWS-managed job template (C(documentParameters)). AWS takes them only with
        an AWS-managed template in O(job_template_arn).
      - Keys are 1 to 128 characters of V(a-z), V(A-Z), V(0-9), V(_) and V(-), and kept exactly as written. Values
        are strings of 1 to 30,720 characters; quote numbers such as V("2.10").
      - Cannot change once the job exists.
    type: dict
  description:
    description:
      - A description of the job (C(description)), 1 to 2,028 characters without control characters.
    type: str
  scheduling:
    description:
      - When the rollout runs (C(schedulingConfig)). Cannot change once the job exists.
      - Times are V(YYYY-MM-DDTHH:MM) in UTC; an offset such as V(+02:00) is converted to UTC. When the job is
        created, each time must be at least 30 minutes ahead; O(scheduling.start_time) at most a year ahead, and
        O(scheduling.end_time) at most two years ahead. An existing job's times are compared, not checked.
    type: dict
    suboptions:
      start_time:
        description: When the rollout starts (C(startTime)).
        type: str
      end_time:
        description: When the rollout ends (C(endTime)), 30 minutes to two years after O(scheduling.start_time).
        type: str
      end_behavior:
        description:
          - What happens at O(scheduling.end_time) (C(endBehavior)). V(STOP_ROLLOUT) notifies no more things;
            V(CANCEL) also cancels the queued executions; V(FORCE_CANCEL) cancels those in progress as well.
          - Requires O(scheduling.end_time).
        type: str
        choices: [STOP_ROLLOUT, CANCEL, FORCE_CANCEL]
      maintenance_windows:
        description: Recurring windows within which the rollout runs (C(maintenanceWindows)).
        type: list
        elements: dict
        suboptions:
          start_time:
            description: When each window starts, as a cron expression such as V(cron(0 2 ? * SUN *)) (C(startTime)), 1 to 256 characters.
            type: str
            required: true
          duration_in_minutes:
            description: How long each window lasts (C(durationInMinutes)), 1 to 1,430 minutes.
            type: int
            required: true
  destination_package_versions:
    description:
      - The ARNs of the software package versions the devices should run after the job succeeds
        (C(destinationPackageVersions)), C(arn:aws:iot:<region>:<account>:package/<package>/version/<version>);
        at most 25. Cannot change once the job exists.
      - Before a job is created, each version is read (C(GetPackageVersion)). A version that does not exist, is a
        draft, or is deprecated fails the task in one line that names it, before C(CreateJob); AWS would deploy a
        deprecated version, but a build taken out of service is not rolled out again. Publish it with
        M(iotops.aws.iot_package_version) first.
    type: list
    elements: str
  purge_targets:
    description:
      - With V(false), O(targets) lists targets the job must have; those it lacks are added, and those it has
        but the list leaves out are left alone. A rerun of an earlier stage's task, with that stage's shorter
        list, is then RV(ignore:changed=false), so a staged rollout interrupted at any stage can be run again from
        the start.
      - With V(true), O(targets) is the job's whole set of targets. AWS cannot remove a target from a job, so a
        target the job has but the list leaves out fails in one line naming it, and nothing is sent.
    type: bool
    default: false
    version_added: 0.2.0
  reason_code:
    description:
      - With O(state=canceled), why the job was canceled (C(reasonCode)), 1 to 128 characters of V(A-Z), V(0-9) and
        V(_), for example V(CANARY_FAILED).
    type: str
  comment:
    description:
      - With O(state=canceled), a comment on the cancellation (C(comment)), at most 2,028 characters.
    type: str
  force:
    description:
      - With O(state=canceled), also cancel executions that are V(IN_PROGRESS). Without it, only V(QUEUED)
        executions are canceled and those in progress run to their end.
      - With O(state=absent), required to delete a job that is V(IN_PROGRESS) or V(SCHEDULED).
      - Either way, a device whose execution was in progress can no longer report its status for it, so it must be
        able to recover on its own.
    type: bool
    default: false
  wait:
    description:
      - With O(state=absent), wait until the job is gone. AWS deletes jobs asynchronously; the job is
        V(DELETION_IN_PROGRESS) meanwhile, and at most 10 deletions run at once in an account.
    type: bool
    default: false
  wait_timeout:
    description:
      - How long O(wait=true) waits, in seconds, 1 to 3,600. The module fails when the job is still there then.
    type: int
    default: 300
extends_documentation_fragment:
  - iotops.aws.connection
  - iotops.aws.job_settings
  - iotops.aws.tags
attributes:
  check_mode:
    support: full
    description:
      - Sends no write request at all; reads the job, its document and its tags, and predicts RV(ignore:changed).
        Names in O(targets) are still resolved, so a bad name fails in check mode too.
  diff_mode:
    support: full
    description:
      - Shows the job's settings before and after, in the options' names, limited to the settings that change.
notes:
  - "Needs the IAM actions C(iot:DescribeJob), C(iot:GetJobDocument) and C(iot:ListTagsForResource) to read the job;
    C(iot:DescribeThing) and C(iot:DescribeThingGroup) to resolve names in O(targets); C(iot:GetPackageVersion) to
    check O(destination_package_versions) before a job is created; and, for the changes they
    make, C(iot:CreateJob), C(iot:UpdateJob), C(iot:AssociateTargetsWithJob), C(iot:TagResource),
    C(iot:UntagResource), C(iot:CancelJob) and C(iot:DeleteJob). O(presigned_url) also needs C(iam:PassRole) on
    its role."
  - "C(CreateJob) has no idempotency token. When a create is retried after an attempt that got no answer, or when
    two plays create the same job at once, AWS answers that the job exists; the module then compares that job with
    the options, succeeds when it matches, and fails on any difference AWS cannot change."
  - "A job ID can be used again after the job is deleted, though AWS advises against it: devices may still act on
    the old job's executions."
seealso:
  - module: iotops.aws.iot_job_info
  - module: iotops.aws.iot_job_execution_wait
  - module: iotops.aws.iot_job_execution
"""

EXAMPLES = r"""
- name: Start the firmware rollout on the canaries, paced and self-aborting
  iotops.aws.iot_job:
    job_id: fw-2-4-1
    targets: [canaries]
    target_selection: CONTINUOUS
    document:
      operation: install
      firmware: "${aws:iot:s3-presigned-url:https://s3.eu-west-1.amazonaws.com/firmware/fw-2.4.1.bin}"
    description: Firmware 2.4.1
    presigned_url:
      role_arn: arn:aws:iam::123456789012:role/iot-firmware-download
    rollout:
      maximum_per_minute: 50
    abort:
      - failure_type: FAILED
        threshold_percentage: 10
        min_number_of_executed_things: 20
    retry:
      - failure_type: FAILED
        number_of_retries: 1
    in_progress_timeout_minutes: 30
    tags:
      release: "2.4.1"
    region: eu-west-1

- name: Wait for the canaries, failing the play when too many of them fail
  iotops.aws.iot_job_execution_wait:
    job_id: fw-2-4-1
    max_failures: 0

- name: The gate passed; add the next group to the same job
  iotops.aws.iot_job:
    job_id: fw-2-4-1
    targets: [canaries, europe-wave-1]
    target_selection: CONTINUOUS
    document:
      operation: install
      firmware: "${aws:iot:s3-presigned-url:https://s3.eu-west-1.amazonaws.com/firmware/fw-2.4.1.bin}"
    rollout:
      maximum_per_minute: 200

- name: Stop the rollout, and cancel the executions devices are running
  iotops.aws.iot_job:
    job_id: fw-2-4-1
    state: canceled
    reason_code: CANARY_FAILED
    comment: Canaries failed the gate
    force: true

- name: Delete an old job and wait until AWS has removed it
  iotops.aws.iot_job:
    job_id: fw-2-3-9
    state: absent
    force: true
    wait: true
    wait_timeout: 600

- name: Preview a change without making it
  iotops.aws.iot_job:
    job_id: fw-2-4-1
    targets: [canaries, europe-wave-1]
    target_selection: CONTINUOUS
    document_source: https://s3.eu-west-1.amazonaws.com/firmware/fw-2.4.1.json
    description: Firmware 2.4.1, wave 1
  check_mode: true
  diff: true
"""

RETURN = r"""
job:
  description:
    - The job as C(DescribeJob) reports it after the task, in the same shape as the items of
      M(iotops.aws.iot_job_info)'s RV(iotops.aws.iot_job_info#module:jobs); V(null) when the job does not exist.
    - In check mode, the job as it is, since nothing was changed.
    - Keys are snake_case, except the keys inside RV(job.document_parameters), which are the job's own.
  returned: success
  type: dict
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
      sample: CONTINUOUS
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
    document_parameters:
      description: The values the job document's placeholders were given, with keys exactly as given; V({}) when none.
      type: dict
      returned: always
      sample: {"firmwareVersion": "2.4.1"}
    job_process_details:
      description:
        - How many of the job's things are in each execution status, as in M(iotops.aws.iot_job_info), with
          C(processing_targets) and C(number_of_queued_things), C(number_of_in_progress_things),
          C(number_of_succeeded_things), C(number_of_failed_things), C(number_of_rejected_things),
          C(number_of_removed_things), C(number_of_canceled_things) and C(number_of_timed_out_things).
      type: dict
      returned: always
msg:
  description:
    - Why nothing was changed, when the job was already canceled, completed or being deleted.
  returned: when the job is in one of those statuses
  type: str
  sample: job 'fw-2-4-1' is COMPLETED
diff:
  description:
    - With C(--diff), the settings that change, in the options' names (C(before) as the job has them, C(after) as
      the task leaves them). A created job has an empty C(before); a deleted one, an empty C(after); a canceled one
      shows its C(status). Unchanged settings are left out, so an unchanged job shows two empty dicts.
  returned: when diff mode is on
  type: dict
  sample: {"before": {"targets": ["arn:aws:iot:eu-west-1:123456789012:thinggroup/canaries"]},
           "after": {"targets": ["arn:aws:iot:eu-west-1:123456789012:thinggroup/canaries",
                                 "arn:aws:iot:eu-west-1:123456789012:thinggroup/europe-wave-1"]}}
"""

import datetime

from ansible_collections.iotops.aws.plugins.module_utils import jobs_read, jobs_write
from ansible_collections.iotops.aws.plugins.module_utils.errors import aws_errors, error_code
from ansible_collections.iotops.aws.plugins.module_utils.iot_job_options import JOB_ARGUMENT_SPEC, JOB_MODULE_KWARGS, check_job_options
from ansible_collections.iotops.aws.plugins.module_utils.job_packages import refuse_undeployable
from ansible_collections.iotops.aws.plugins.module_utils.job_plan import (
    changed_after_conflict,
    plan_cancel,
    plan_delete,
    plan_present,
)
from ansible_collections.iotops.aws.plugins.module_utils.job_targets import NAME, classify_targets, resolve_target_name, unique_target_arns
from ansible_collections.iotops.aws.plugins.module_utils.modules import IotJobsModule
from ansible_collections.iotops.aws.plugins.module_utils.polling import Deadline, doubling, poll_until
from ansible_collections.iotops.aws.plugins.module_utils.shaping import shape_job
from ansible_collections.iotops.aws.plugins.module_utils.validation import InvalidOption

# The deletion wait's pause between DescribeJob calls starts at the first
# and doubles up to the second, in seconds.
FIRST_PAUSE_SECONDS = 0.5
MAX_POLL_SECONDS = 5.0


def _target_arns(client, targets):
    """The targets' ARNs; None when the task gives no targets."""
    if targets is None:
        return None
    # Both lookups, always: a name that is a thing and a group must fail, not be guessed.
    return unique_target_arns([target.value if target.kind != NAME else resolve_target_name(
        target.value, jobs_read.thing_arn(client, target.value), jobs_read.thing_group_arn(client, target.value))
        for target in targets])


def _plan_present(client, params, arns):
    """The job as it is, and the plan for it; the document and tags are read only when given.
    A job to create must name only package versions a job may deploy."""
    job, source = jobs_read.describe_job_and_source(client, params["job_id"])
    document = tags = None
    if job is not None and params["document"] is not None:
        document = jobs_read.get_job_document(client, params["job_id"])
    if job is not None and params["tags"] is not None:
        tags = jobs_read.list_tags_for_resource(client, job["jobArn"])
    plan = plan_present(params, arns, shape_job(job) if job else None, document, tags, source,
                        now=datetime.datetime.now(datetime.timezone.utc))
    if plan.create:
        refuse_undeployable(client, params["destination_package_versions"])
    return job, plan


def _change(client, plan, done):
    """The writes to an existing job, in the plan's order; ``done`` collects
    those that AWS accepted, so a failure halfway still reports a change."""
    for operation, request in plan.writes():
        try:
            jobs_write.send(client, operation, request)
        except aws_errors() as exc:
            if operation != "DeleteJob" or not _deleted_by_lost_attempt(client, plan.job_id, exc):
                raise
        done.append(operation)


def _deleted_by_lost_attempt(client, job_id, exc):
    """AWS refuses to delete a job already being deleted: when a retried
    DeleteJob is refused so and the job is being deleted (or gone), the
    attempt whose answer was lost started it."""
    if error_code(exc) != "InvalidStateTransitionException" or not jobs_write.was_retried(exc):
        return False
    job = jobs_read.describe_job(client, job_id)
    return job is None or job.get("status") == "DELETION_IN_PROGRESS"


def _create(module, client, params, arns, plan, done):
    """CreateJob; on ResourceAlreadyExistsException, the job found is compared
    and accepted when it matches.  Returns (plan applied, changed)."""
    try:
        jobs_write.create_job(client, plan.create)
        done.append("CreateJob")
        return plan, True
    except aws_errors() as exc:
        if error_code(exc) != "ResourceAlreadyExistsException":
            raise
        conflict = exc
    job, again = _plan_present(client, params, arns)
    if job is None:  # created, then deleted by someone else: report AWS's answer
        raise conflict
    if again.error:
        module.fail_json(msg="CreateJob: job {0!r} already exists: {1}".format(plan.job_id, again.error), job=shape_job(job))
    _change(client, again, done)
    retried = jobs_write.was_retried(conflict)
    # After a retried attempt the job is most likely this task's own creation: show it as created.
    return (plan if retried and not again.changed else again), changed_after_conflict(again, retried)


def _wait_until_gone(module, client, job_id, changed):
    """Poll DescribeJob until the job is gone, within wait_timeout."""
    timeout = module.params["wait_timeout"]
    job, gone = poll_until(lambda: jobs_read.describe_job(client, job_id), lambda job: job is None, Deadline(timeout),
                           doubling(FIRST_PAUSE_SECONDS, MAX_POLL_SECONDS))
    if not gone:
        module.fail_json(msg="wait_timeout: job {0!r} was still {1} after {2} s".format(job_id, job.get("status"), timeout),
                         changed=changed, job=shape_job(job))
    return None


def main():
    module = IotJobsModule(argument_spec=JOB_ARGUMENT_SPEC, **JOB_MODULE_KWARGS)
    params, job_id, state = module.params, module.params["job_id"], module.params["state"]
    try:
        check_job_options(params)
        targets = classify_targets(params["targets"]) if state == "present" and params["targets"] is not None else None
    except InvalidOption as exc:
        module.fail_json(msg=str(exc))
    client = module.client()
    done = []  # writes AWS accepted
    try:
        if state == "present":
            arns = _target_arns(client, targets)
            job, plan = _plan_present(client, params, arns)
        else:
            job = jobs_read.describe_job(client, job_id)
            shaped = shape_job(job) if job else None
            if state == "canceled":
                plan = plan_cancel(job_id, shaped, params["reason_code"], params["comment"], params["force"])
            else:
                plan = plan_delete(job_id, shaped, params["force"], params["wait"])
        if plan.error:
            module.fail_json(msg=plan.error, job=shape_job(job) if job else None)
        changed, created = plan.changed, bool(plan.create)
        if not module.check_mode:
            if created:
                plan, changed = _create(module, client, params, arns, plan, done)
            else:
                _change(client, plan, done)
            if changed or created:
                job = jobs_read.describe_job(client, job_id)
            if plan.wait_for_deletion and job is not None:
                job = _wait_until_gone(module, client, job_id, changed)
    except InvalidOption as exc:
        module.fail_json(msg=str(exc))
    except aws_errors() as exc:
        module.fail_json_aws(exc, msg="{0} failed for job {1!r}".format(getattr(exc, "operation_name", "A request"), job_id),
                             changed=bool(done))
    module.exit_planned(plan, changed=changed, job=shape_job(job) if job else None)


if __name__ == "__main__":
    main()
