#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: iotops.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: iot_job_execution_wait
short_description: Wait until AWS IoT job executions finish, and gate a rollout on how they did
version_added: 0.1.0
description:
  - Polls an AWS IoT job until the executions it waits on reach a terminal status, then passes or fails
    the task on how many of them failed. Use it between the stages of a firmware rollout.
  - With O(thing_names), waits on those things' executions of the job (thing mode). With O(thing_group), waits on the
    executions of that group's things, child groups included (stage mode). Without either, waits on every
    execution the job has or will get from its rollout (fleet mode).
  - Fails B(as soon as) the executions in a O(fail_on) status go over O(max_failures) or O(max_failure_percent),
    without waiting for the rest. Passes once every waited execution is terminal and the limit held.
  - A job that does not exist fails at once, and so does a job that is deleted while the task waits; the message
    tells the two apart. A thing whose execution does not exist yet is waited for, since rollouts create
    executions over minutes; at timeout the message names the things that never got one.
  - Before waiting, the things of O(thing_names) that have no execution at the first poll are looked up
    (C(DescribeThing), at most 50 of them), and a thing that does not exist fails the task at once, naming it.
  - "A job that has not run never passes. A V(SCHEDULED) job has not started, or waits between maintenance
    windows: the task keeps waiting until it rolls out, or until O(timeout), and failures seen so far still count.
    In fleet mode a job with fewer than O(min_executions) executions never passes: while it is V(IN_PROGRESS)
    or V(SCHEDULED) the task waits, and once it is V(COMPLETED) or V(CANCELED) the task fails at once."
  - "A V(CANCELED) job, canceled by an operator or by its C(abortConfig), fails the task in fleet mode whatever the
    limits, naming the job's C(reasonCode) and C(comment). In thing mode the named things are judged as usual (a
    V(CANCELED) execution is a failure under the default O(fail_on)), and the message says the job was canceled.
    With O(fail_on=[]) the task only reports, canceled or not."
  - "A C(CONTINUOUS) job never reaches V(COMPLETED). Fleet mode passes when every current execution is final, no
    targets are still being rolled out (C(processingTargets) is empty), the job is not V(SCHEDULED), and
    O(min_executions) is met."
  - "Retries: when the job has C(jobExecutionsRetryConfig), a V(FAILED) or V(TIMED_OUT) execution with retries
    left is not final, because AWS IoT will queue it again with a new execution number. It counts as a failure
    only once its retries are used up, or once the job stops retrying (the job is no longer C(IN_PROGRESS))."
  - "Polling is frugal: each round reads the job once (C(DescribeJob)). Fleet mode needs nothing more: the job's
    own counts answer, whatever the fleet's size. Thing mode lists the job's executions or describes the
    unfinished things, whichever costs fewer calls, and never makes more than ceil(N/250) + 2 calls a round for
    N things. Failed executions are described individually, once, for the message and RV(failure_reasons)."
  - Throttling and transient faults are retried by botocore; a round that still fails is skipped, and the next
    one tries again until the deadline. A throttle is never taken for a device failure. Access denied, invalid
    signatures and other client errors fail at once, and so do missing, expired or unknown credentials (the message
    says what to set) and an endpoint that answers that it lacks the operation (HTTP 501).
  - "Stopping the play does not stop the job: its queued devices, and those the rollout has not reached, still get
    the firmware. With O(cancel_on_failure=true) the task cancels the job (C(CancelJob)) as soon as the gate fails
    on its limit, in the same polling round, before it reads anything for the report; see O(cancel_on_failure)."
  - "When the gate fails, RV(failure_reasons) counts the C(statusDetails) values the failed devices reported, from
    at most O(failure_reasons_sample) C(DescribeJobExecution) calls, and the message names the top reasons."
author:
  - iotops.aws maintainers (@iotops)
options:
  job_id:
    description:
      - The job to wait on.
    type: str
    required: true
  thing_names:
    description:
      - The things whose executions to wait on, by name or thing ARN.
      - Omit to wait on the whole job (fleet mode).
    type: list
    elements: str
    aliases: [thing_name]
  thing_group:
    version_added: 0.2.0
    description:
      - "Gate one stage of a job that targets many thing groups: wait on the executions of the things in this thing
        group and in its child groups (stage mode), by the group's name or ARN. The failures of the job's other stages
        do not count."
      - O(max_failures), O(max_failure_percent), O(min_executions), O(cancel_on_failure) and RV(failure_reasons) mean
        what they mean in fleet mode, counted over the stage's executions. A member that has no execution is not
        counted, as in fleet mode the things the rollout has not reached are not; the task passes once every
        member's execution is final, the rollout has nothing left to create, and O(min_executions) is met.
        O(cancel_on_failure) cancels the whole job.
      - The group's members are read again at every poll (C(ListThingsInThingGroup) with C(recursive)); a thing
        that joins the group while the task waits is counted from the next poll.
      - A group that does not exist fails the task at once, naming the group and the region.
      - "Cost per poll: C(DescribeJob), ceil(M/250) calls for the M members, and at most ceil(M/250) + 1 calls
        to read executions. A member seen in a final status is not read again; the other executions are read
        by status (C(ListJobExecutionsForJob) with C(status)), only for the statuses the job's counts say have
        changed, or by describing the few members still unsettled. A status list longer than a poll's share is
        read over several polls."
      - RV(job_executions) lists the members' executions that did not succeed, as in fleet mode.
      - Mutually exclusive with O(thing_names). Needs the IAM action C(iot:ListThingsInThingGroup).
    type: str
  execution_number:
    description:
      - Wait on this execution number instead of the thing's latest execution. Needs exactly one thing in
        O(thing_names). A retry is another execution, so this execution's terminal status is final.
    type: int
  timeout:
    description:
      - Seconds to wait in all, O(delay) included. Must be more than 0.
      - The task returns within O(timeout) plus one bounded request (about 30 s), whatever the endpoint does.
    type: float
    default: 600
  sleep:
    description:
      - Seconds between polls. More than 0 and at most O(timeout).
      - When omitted, 5 seconds, or O(timeout) when that is shorter.
    type: float
  delay:
    description:
      - Seconds before the first poll. At least 0 and less than O(timeout).
    type: float
    default: 0
  fail_on:
    description:
      - Execution statuses that count as failures, among the terminal ones.
      - V([]) never fails on a status; the task only reports.
    type: list
    elements: str
    choices: [SUCCEEDED, FAILED, TIMED_OUT, REJECTED, REMOVED, CANCELED]
    default: [FAILED, TIMED_OUT, REJECTED, REMOVED, CANCELED]
  max_failures:
    description:
      - How many executions may end in a O(fail_on) status before the task fails. Mutually exclusive with
        O(max_failure_percent). When neither is given, no failure is allowed.
    type: int
  max_failure_percent:
    description:
      - Which share of the waited executions, 0 to 100, may end in a O(fail_on) status before the task fails.
      - In thing mode the share is of O(thing_names); in fleet mode, of the executions the job has so far, which
        grows while the rollout creates executions; in stage mode, of the stage's executions so far. Pair it with the job's C(abortConfig) and its
        C(minNumberOfExecutedThings) for early stages.
    type: float
  min_executions:
    version_added: 0.2.0
    description:
      - Fleet and stage mode (O(thing_group)). The task passes only when the job (or the stage) has at least this
        many executions, all final, so that a half-populated thing group cannot pass a stage that must cover, say,
        500 devices.
      - When the job is over (V(COMPLETED) or V(CANCELED)) with fewer executions, the task fails at once with the
        numbers; before that it waits.
      - When omitted, V(1) in fleet mode, so that a job with no executions never passes. Must be 1 or more.
    type: int
  cancel_on_failure:
    version_added: 0.2.0
    description:
      - Cancel the job when the gate fails because the executions in a O(fail_on) status went over
        O(max_failures) or O(max_failure_percent). The cancel is sent at once, in the polling round that decided,
        so that the rollout notifies as few more devices as possible; the failed executions are read for the
        report after it.
      - Only a failure on the limit cancels. A job that is already V(CANCELED) (by an operator, or by AWS IoT's
        own C(abortConfig)), V(COMPLETED) or being deleted is never canceled again, so its C(reasonCode) and
        C(comment) stay as they are; RV(canceled) is then V(false).
      - The task then returns RV(ignore:changed=true), RV(canceled=true) and RV(cancel); its message says the gate
        canceled the job. When C(CancelJob) fails, the task fails with a message that says both that the gate
        failed and that the cancel failed, with the AWS error code; RV(error) and RV(response_metadata) are the
        cancel's.
      - A throttled C(CancelJob) is retried by botocore even past O(timeout).
      - Without C(force) (O(cancel_force)), AWS cancels only the V(QUEUED) executions, and no new execution is
        created; devices already V(IN_PROGRESS) run to their end and report as usual.
      - In check mode the task sends no C(CancelJob), and says that it would cancel.
      - Needs the IAM action C(iot:CancelJob).
    type: bool
    default: false
  cancel_on_timeout:
    version_added: 0.2.0
    description:
      - "Also cancel the job when the task times out with executions unfinished, unless the job was last seen
        V(COMPLETED), V(CANCELED) or being deleted. Off by default: a timeout says the rollout is slow or
        devices are offline, not that the firmware is bad."
      - Works alone or with O(cancel_on_failure); the other cancel options apply to both.
    type: bool
    default: false
  cancel_reason_code:
    version_added: 0.2.0
    description:
      - The C(reasonCode) of the cancel, 1 to 128 characters of V(A-Z), V(0-9) and V(_).
      - Defaults to V(GATE_FAILED) when the gate failed, and V(GATE_TIMED_OUT) when it timed out.
      - Only with O(cancel_on_failure=true) or O(cancel_on_timeout=true).
    type: str
  cancel_comment:
    version_added: 0.2.0
    description:
      - The C(comment) of the cancel, 1 to 2,028 characters without control characters.
      - "Defaults to a comment that records the counts and the limit, for example
        V(Canceled by the rollout gate: 3 of 9 executions failed, over the limit (max_failures 2\\); executions:
        2 FAILED, 4 QUEUED, 1 REJECTED, 2 SUCCEEDED)."
      - Only with O(cancel_on_failure=true) or O(cancel_on_timeout=true).
    type: str
  cancel_force:
    version_added: 0.2.0
    description:
      - Cancel the executions that are V(IN_PROGRESS) too (C(force) of C(CancelJob)); they end V(CANCELED) with
        C(forceCanceled).
      - "Off by default, on purpose: a device that is writing firmware when its execution is canceled can no
        longer report its status for it, and may be left with a half-written image. Without force those devices
        finish and report, and only the devices that have not started are stopped. Use it only when every
        device can recover from an interrupted update on its own."
      - Only with O(cancel_on_failure=true) or O(cancel_on_timeout=true).
    type: bool
    default: false
  failure_reasons_sample:
    version_added: 0.2.0
    description:
      - How many failed executions, at most, are described (C(DescribeJobExecution)) for their
        C(statusDetails), to build RV(failure_reasons) and the message. V(0) describes none.
      - "Fleet mode lists the failed executions, and a list has no C(statusDetails): each one is a
        C(DescribeJobExecution) call. AWS allows about 10 of those a second per account (shared with every other
        client), so the default of 50 costs at least 5 seconds after the verdict, and after the cancel of
        O(cancel_on_failure). Thing mode counts the details it already read while polling, without describing
        them again."
      - The devices' own failures (V(FAILED), V(REJECTED), V(TIMED_OUT)) are described before V(CANCELED) and
        V(REMOVED) executions, which rarely carry details.
    type: int
    default: 50
extends_documentation_fragment:
  - iotops.aws.connection
attributes:
  check_mode:
    support: full
    description:
      - Polls once and reports what it sees, without blocking. Fails only on invalid input or AWS errors, never
        on an execution's status. RV(verdict) tells what the gate would have said so far.
      - With O(cancel_on_failure=true) and a gate that would fail, returns RV(ignore:changed=true) and RV(cancel),
        and sends no C(CancelJob).
notes:
  - Needs the IAM actions C(iot:DescribeJob), C(iot:ListJobExecutionsForJob), C(iot:DescribeJobExecution) and
    C(iot:ListJobExecutionsForThing); C(iot:DescribeThing) with O(thing_names); C(iot:ListThingsInThingGroup) with
    O(thing_group); and C(iot:CancelJob) with O(cancel_on_failure) or O(cancel_on_timeout).
  - "Run it once per rollout, not once per host in the inventory, with C(run_once) and C(delegate_to: localhost):
    every copy polls the same account-wide rate limit."
"""

EXAMPLES = r"""
- name: Canary stage - wait on three devices, no failure allowed
  iotops.aws.iot_job_execution_wait:
    job_id: fw-2-4-1
    thing_names: [sensor-0001, sensor-0002, sensor-0003]
    timeout: 900
    sleep: 10
  run_once: true
  delegate_to: localhost

- name: Fleet stage - wait on every execution of the job, allow 2 % failures
  iotops.aws.iot_job_execution_wait:
    job_id: fw-2-4-1
    max_failure_percent: 2
    timeout: 3600
    sleep: 30
  register: gate
  run_once: true
  delegate_to: localhost

- name: Show the failed devices and why
  ansible.builtin.debug:
    msg: "{{ item.thing_name }}: {{ item.status }} {{ item.status_details.details_map | default({}) }}"
  loop: "{{ gate.job_executions }}"

- name: Fleet stage that must reach at least 500 devices
  iotops.aws.iot_job_execution_wait:
    job_id: fw-2-4-1-rest
    min_executions: 500
    max_failure_percent: 2
    timeout: 14400
    sleep: 60
  run_once: true
  delegate_to: localhost

- name: Early wave - stop the rollout when more than 2 % fail
  iotops.aws.iot_job_execution_wait:
    job_id: fw-2-4-1-early
    max_failure_percent: 2
    cancel_on_failure: true
    cancel_reason_code: EARLY_WAVE_FAILED
    timeout: 7200
    sleep: 30
  register: early
  run_once: true
  delegate_to: localhost

- name: Show why the devices failed
  ansible.builtin.debug:
    msg: "{{ early.failure_reasons }} ({{ early.failure_sample.sampled }} of {{ early.failure_sample.failed }} read)"
  when: early is failed

- name: Gate the second stage of one continuous job, on the devices of its group only
  iotops.aws.iot_job_execution_wait:
    job_id: fw-2-4-1
    thing_group: fw-wave-2
    max_failure_percent: 2
    min_executions: 400
    cancel_on_failure: true
    timeout: 7200
    sleep: 30
  run_once: true
  delegate_to: localhost

- name: Report only, never fail on a status
  iotops.aws.iot_job_execution_wait:
    job_id: fw-2-4-1
    fail_on: []
    timeout: 600
  register: report
"""

RETURN = r"""
verdict:
  description:
    - V(succeeded), V(failed) or V(timed_out). In check mode V(waiting) when executions were still unfinished.
  returned: always
  type: str
  sample: succeeded
job_executions:
  description:
    - The final known state of each waited execution, in the shapes M(iotops.aws.iot_job_execution_info)
      returns. The failures that were described (at most O(failure_reasons_sample)) carry
      C(status_details.details_map) with the device's keys verbatim.
    - In thing mode, one per thing in O(thing_names) that has an execution. In fleet mode, only the executions
      that ended in a status other than V(SUCCEEDED); their number is in RV(status_counts) either way. In stage
      mode (O(thing_group)), the stage's executions that ended in a status other than V(SUCCEEDED).
  returned: always
  type: list
  elements: dict
status_counts:
  description:
    - Execution status to number of waited executions in it, at the last poll.
    - In stage mode (O(thing_group)), the members' executions the polls had read; a gate that fails on its limit
      may fail before it has read every member that succeeded.
  returned: always
  type: dict
  sample: {"SUCCEEDED": 997, "FAILED": 3}
elapsed:
  description: Seconds the task waited.
  returned: always
  type: float
  sample: 41.2
polls:
  description: Polling rounds made, failed rounds included.
  returned: always
  type: int
  sample: 9
timeline:
  description: Status counts at each successful poll, to plot the rollout afterwards.
  returned: always
  type: list
  elements: dict
  contains:
    at:
      description: Seconds since the task started.
      type: float
      returned: always
    job_status:
      description:
        - The job's status at that poll. A job with maintenance windows shows V(SCHEDULED) between them.
      type: str
      returned: always
    counts:
      description: Execution status to number of waited executions.
      type: dict
      returned: always
  sample: [{"at": 0.1, "job_status": "IN_PROGRESS", "counts": {"QUEUED": 10}},
           {"at": 5.1, "job_status": "COMPLETED", "counts": {"SUCCEEDED": 10}}]
job_status:
  version_added: 0.2.0
  description:
    - The job's status at the last poll, V(IN_PROGRESS), V(SCHEDULED), V(COMPLETED), V(CANCELED) or
      V(DELETION_IN_PROGRESS); V(null) without a successful poll.
  returned: always
  type: str
  sample: IN_PROGRESS
reason_code:
  version_added: 0.2.0
  description: The C(reasonCode) a canceled job was given by C(CancelJob) or by its C(abortConfig); V(null) when AWS gives none.
  returned: always
  type: str
  sample: GATE_FAILED
comment:
  version_added: 0.2.0
  description: The C(comment) a canceled job was given; V(null) when AWS gives none.
  returned: always
  type: str
  sample: Stopped by the rollout gate
scheduling_config:
  version_added: 0.2.0
  description:
    - The job's C(schedulingConfig) in snake_case (C(start_time), C(end_time), C(end_behavior),
      C(maintenance_windows)); V(null) when the job has none.
  returned: always
  type: dict
  sample: {"start_time": "2026-05-01T02:00", "end_behavior": "STOP_ROLLOUT"}
scheduled_job_rollouts:
  version_added: 0.2.0
  description: The next maintenance windows' start times, as C(start_time) items; V(null) when AWS gives none.
  returned: always
  type: list
  elements: dict
  sample: [{"start_time": "2026-05-02T02:00"}]
canceled:
  version_added: 0.2.0
  description:
    - Whether the task canceled the job (O(cancel_on_failure) or O(cancel_on_timeout)). V(false) in check mode, when
      C(CancelJob) failed, and when the job was already over.
    - After a cancel, RV(job_status) is V(CANCELED), and RV(reason_code) and RV(comment) are the cancel's.
  returned: always
  type: bool
  sample: true
cancel:
  version_added: 0.2.0
  description:
    - What the task sent with C(CancelJob), or would send in check mode, or tried to send when it failed.
  returned: when the outcome called for a cancel
  type: dict
  contains:
    reason_code:
      description: The cancel's C(reasonCode).
      type: str
      returned: always
      sample: GATE_FAILED
    comment:
      description: The cancel's C(comment).
      type: str
      returned: always
      sample: "Canceled by the rollout gate: 3 of 9 executions failed, over the limit (max_failures 2); executions: 2 FAILED, 6 QUEUED, 1 REJECTED"
    force:
      description: Whether executions in progress were canceled too.
      type: bool
      returned: always
      sample: false
failure_reasons:
  version_added: 0.2.0
  description:
    - For each C(statusDetails) key the failed devices reported, how many of the described failures reported
      each value, highest first. Keys and values are the devices' own.
    - Counts only the failed executions (in a O(fail_on) status) whose details were read, at most
      O(failure_reasons_sample) described ones; RV(failure_sample) says how many of how many.
  returned: always
  type: dict
  sample: {"reason": {"flash write error": 41, "battery below 20%": 7}}
failure_sample:
  version_added: 0.2.0
  description: How many failed executions RV(failure_reasons) comes from.
  returned: always
  type: dict
  contains:
    sampled:
      description: Failed executions whose C(statusDetails) were read.
      type: int
      returned: always
      sample: 50
    failed:
      description: Failed executions the task found, in a O(fail_on) status.
      type: int
      returned: always
      sample: 312
    without_details:
      description: Of those read, how many reported no C(statusDetails) at all.
      type: int
      returned: always
      sample: 2
error:
  version_added: 0.2.0
  description:
    - The AWS error, C(code) and C(message), when an AWS call failed the task; after a refused cancel, the
      cancel's.
  returned: on an AWS error
  type: dict
  sample: {"code": "AccessDeniedException", "message": "User is not authorized to perform: iot:CancelJob"}
response_metadata:
  version_added: 0.2.0
  description: The failed call's C(request_id), C(http_status_code) and C(retry_attempts), when AWS answered.
  returned: on an AWS error that AWS answered
  type: dict
  sample: {"request_id": "8d1f3d0e-1d3b-4c59-9f6b-0f4f2c1e9a77", "http_status_code": 403, "retry_attempts": 0}
msg:
  description:
    - One line. On failure it says what failed - which things, which statuses, the first C(statusDetails) - or
      that the wait timed out and what was still pending. It says when the job was canceled (with its
      C(reasonCode) and C(comment)), still scheduled, or between maintenance windows.
    - In check mode it says what the one poll found, also when it decided nothing yet.
    - A failure names the top RV(failure_reasons) with their counts, and ends with whether the gate canceled the
      job, or could not (with the AWS error code and request id).
  returned: always
  type: str
  sample: "Job fw-2-4-1: 1 of 3 executions failed, over the limit (max_failures 0): sensor-0002 FAILED (reason=checksum mismatch)"
"""

from ansible_collections.iotops.aws.plugins.module_utils.modules import IotJobsModule
from ansible_collections.iotops.aws.plugins.module_utils.wait_options import WAIT_ARGUMENT_SPEC, WAIT_MUTUALLY_EXCLUSIVE
from ansible_collections.iotops.aws.plugins.module_utils.wait_runner import run_wait


def main(observer=None):
    """``observer``: a waiter.WaitObserver, for code that times the wait's phases."""
    module = IotJobsModule(
        argument_spec=WAIT_ARGUMENT_SPEC,
        mutually_exclusive=WAIT_MUTUALLY_EXCLUSIVE,
        supports_check_mode=True,
    )
    module.exit_with(run_wait(module.params, module.check_mode, observer=observer))


if __name__ == "__main__":
    main()
