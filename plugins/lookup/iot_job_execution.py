# -*- coding: utf-8 -*-
# Copyright: iotops.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
name: iot_job_execution
short_description: Look up AWS IoT job executions by thing
version_added: 0.1.0
description:
  - Describes the execution of one AWS IoT job on each thing given as a term (C(DescribeJobExecution)), including
    the C(statusDetails) its device reported.
  - Each term gives one item, the same item that M(iotops.aws.iot_job_execution_info) returns when given both
    O(iotops.aws.iot_job_execution_info#module:job_id) and O(iotops.aws.iot_job_execution_info#module:thing_name).
  - With C(query) or C(lookup(..., wantlist=true)) the result is a list in the order of the terms; C(lookup) with one
    term returns the item itself.
  - One AWS client serves every term of a call, and each term is one C(DescribeJobExecution) request.
  - Every option and term is checked before the first request. A bad value fails with one line that names the option.
author:
  - iotops.aws maintainers (@iotops)
options:
  _terms:
    description:
      - The things, each 1 to 128 characters of V(a-z), V(A-Z), V(0-9), V(:), V(_) and V(-).
      - A thing ARN is accepted too, and reduced to the name it carries.
      - A list given as one term counts as its elements.
    type: list
    elements: str
    required: true
  job_id:
    description:
      - The job, 1 to 64 characters of V(a-z), V(A-Z), V(0-9), V(_) and V(-).
    type: str
    required: true
  execution_number:
    description:
      - Describe this execution of the job on each thing instead of the latest one.
      - An integer of 0 or more.
      - A retried execution may get a new number, so prefer the latest one unless you need an earlier attempt.
    type: int
  on_missing:
    description:
      - What to do when a thing has no execution of the job (or the job or thing does not exist).
      - V(error) fails the lookup, naming the job and the thing; or, when the job does not exist, saying so with
        the region looked in and the endpoint, when one is set.
      - V(skip) leaves the thing out of the result.
      - V(warn) leaves the thing out of the result and shows a warning.
      - With V(skip) and V(warn) the result can be shorter than the list of terms; each item names its thing in
        RV(_raw[].thing_name).
    type: str
    default: error
    choices: [error, skip, warn]
extends_documentation_fragment:
  - iotops.aws.connection.plugins
notes:
  - C(module_defaults) do not apply to lookups. Give the connection options as keyword arguments, or through
    the environment variables they read.
  - A keyword argument that is not an option of this lookup fails the lookup, so a misspelt option is not ignored.
  - "Needs the IAM action C(iot:DescribeJobExecution); with C(iot:DescribeJob) too, a missing job is told apart
    from a missing execution."
seealso:
  - module: iotops.aws.iot_job_execution_info
"""

EXAMPLES = r"""
- name: Stop the rollout unless every canary device reports SUCCEEDED
  ansible.builtin.assert:
    that: canaries | map(attribute='status') | unique == ['SUCCEEDED']
    fail_msg: >-
      Not done: {{ canaries | rejectattr('status', 'equalto', 'SUCCEEDED')
                  | map(attribute='thing_name') | join(', ') }}
  vars:
    canaries: "{{ query('iotops.aws.iot_job_execution', canary_things, job_id='fw-2-4-1', region='eu-west-1') }}"

- name: Reboot the device only once its firmware job succeeded
  ansible.builtin.debug:
    msg: "firmware {{ execution.status_details.details_map.firmware | default('unknown') }} installed"
  when: execution.status == 'SUCCEEDED'
  vars:
    execution: "{{ lookup('iotops.aws.iot_job_execution', inventory_hostname, job_id='fw-2-4-1') }}"

- name: Devices that have not received the job yet are left out instead of failing
  ansible.builtin.set_fact:
    reached: "{{ query('iotops.aws.iot_job_execution', 'sensor-0042', 'sensor-0043', job_id='fw-2-4-1', on_missing='skip')
                 | map(attribute='thing_name') }}"

- name: The first attempt of a retried execution, by thing ARN
  ansible.builtin.debug:
    msg: "{{ lookup('iotops.aws.iot_job_execution', 'arn:aws:iot:eu-west-1:123456789012:thing/sensor-0042',
                    job_id='fw-2-4-1', execution_number=1).status }}"
"""

RETURN = r"""
_raw:
  description:
    - One item per term that has an execution of the job, in the order of the terms.
    - Keys are snake_case, except the keys inside RV(_raw[].status_details.details_map), which are the device's own.
  type: list
  elements: dict
  contains:
    job_id:
      description: The job.
      type: str
      sample: fw-2-4-1
    thing_name:
      description: The thing, by name even when the term was an ARN.
      type: str
      sample: sensor-0042
    thing_arn:
      description: The thing's ARN.
      type: str
      sample: arn:aws:iot:eu-west-1:123456789012:thing/sensor-0042
    status:
      description: The execution's status.
      type: str
      sample: SUCCEEDED
    queued_at:
      description: When the execution was queued, ISO 8601 with offset.
      type: str
      sample: "2026-11-28T17:53:36.304000+00:00"
    started_at:
      description: When the device started the execution, ISO 8601 with offset; V(null) before that.
      type: str
    last_updated_at:
      description: When the execution last changed, ISO 8601 with offset.
      type: str
    execution_number:
      description: Identifies this execution among the thing's executions of the job.
      type: int
      sample: 1
    force_canceled:
      description: Whether the execution was canceled with force.
      type: bool
    status_details:
      description: What the device reported.
      type: dict
      contains:
        details_map:
          description: The device's name-value pairs, with keys exactly as sent; V({}) when it sent none.
          type: dict
          sample: {"progressPercent": "100", "firmware": "2.4.1"}
    version_number:
      description: The execution's version, increased on every update by the device.
      type: int
    approximate_seconds_before_timed_out:
      description: Seconds left before an in-progress execution times out; V(null) once it is terminal.
      type: int
"""

from ansible.errors import AnsibleError, AnsibleLookupError, AnsibleOptionsError
from ansible.plugins.lookup import LookupBase
from ansible.utils.display import Display

from ansible_collections.iotops.aws.plugins.module_utils.errors import aws_errors
from ansible_collections.iotops.aws.plugins.module_utils.jobs_read import describe_job, describe_job_execution, location_text
from ansible_collections.iotops.aws.plugins.module_utils.shaping import shape_execution
from ansible_collections.iotops.aws.plugins.module_utils.validation import InvalidOption, apply_option_checks, check_thing_name
from ansible_collections.iotops.aws.plugins.plugin_utils.controller import HAS_BOTO3, ControllerAws, missing_boto3

display = Display()


class LookupModule(LookupBase):
    def run(self, terms, variables=None, **kwargs):
        if not HAS_BOTO3:
            raise AnsibleLookupError(missing_boto3("iotops.aws.iot_job_execution"))
        try:
            things = self._checked_options(terms, variables, kwargs)
        except (AnsibleError, InvalidOption) as exc:
            # ansible-core 2.19 keeps the valid choices apart from the message;
            # ansible-core 2.16 reports a missing required option as a plain AnsibleError.
            text = " ".join(filter(None, [str(exc), getattr(exc, "_help_text", None)]))
            raise AnsibleLookupError(" ".join(text.split())) from None
        if not things:
            return []
        job_id, execution_number = self.get_option("job_id"), self.get_option("execution_number")
        aws = ControllerAws.from_options(self.get_option)

        items = []
        job_missing = None  # whether the job itself does not exist, asked after the first miss
        action = "Failed to create the AWS IoT client"
        try:
            client = aws.client()
            for thing in things:
                action = "Failed to describe the execution of job {0} on thing {1}".format(job_id, thing)
                execution = describe_job_execution(client, job_id, thing, execution_number)
                if execution is None:
                    if job_missing is None:
                        job_missing = self._job_missing(client, job_id)
                    self._missing(job_id, thing, execution_number, location_text(client) if job_missing else None)
                else:
                    items.append(shape_execution(execution))
        except aws_errors() as exc:
            raise AnsibleLookupError(aws.error_text(exc, action)) from None
        return items

    def _checked_options(self, terms, variables, kwargs):
        """Set and check every option; return the terms as thing names."""
        known = set()
        for name, definition in self.option_definitions.items():
            known.update([name] + list(definition.get("aliases") or []))
        unknown = sorted(set(kwargs) - known)
        if unknown:
            raise AnsibleOptionsError("{0}: not an option of this lookup".format(", ".join(unknown)))
        self.set_options(var_options=variables, direct=kwargs)
        apply_option_checks(self._options, self.option_definitions)
        return [check_thing_name(term, "_terms") for term in self._flatten(terms)]

    @staticmethod
    def _job_missing(client, job_id):
        """Whether the job does not exist; False when that cannot be told
        (no iot:DescribeJob, say): the message then names the thing."""
        try:
            return describe_job(client, job_id) is None
        except aws_errors():
            return False

    def _missing(self, job_id, thing, execution_number, missing_job_where=None):
        """``missing_job_where``: where the job itself was not found (jobs_read.location_text), or None."""
        if missing_job_where is not None:
            message = " ".join(filter(None, ["job {0} does not exist".format(job_id), missing_job_where]))
        else:
            message = "job {0} has no execution on thing {1}".format(job_id, thing)
            if execution_number is not None:
                message += " with execution number {0}".format(execution_number)
        on_missing = self.get_option("on_missing")
        if on_missing == "error":
            raise AnsibleLookupError(message)
        if on_missing == "warn":
            display.warning("Skipping {0}: {1}".format(thing, message))
