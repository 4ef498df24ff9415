#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: iotops.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: rollout_report
short_description: Write a rollout's report, charts and failed devices, as one HTML page and a Markdown summary
version_added: 0.2.0
description:
  - From the results of the gates of a staged rollout (M(iotops.aws.iot_job_execution_wait)), writes one
    self-contained HTML page for the people who decide on the next stage.
  - "For each stage: the verdict, the limit and how long the gate waited; a chart of the succeeded, failed,
    in-progress and queued devices over time, drawn from the gate's RV(iotops.aws.iot_job_execution_wait#module:timeline);
    the failure reasons the devices reported, as a bar chart and a table; and a table of the failed devices with what
    each one reported."
  - The page has no script and fetches nothing (charts are inline SVG, styles are inline), so it can be archived,
    attached to a mail or to an AWX job, and printed. Every value is escaped, since device names and reasons come
    from the devices.
  - With O(markdown_path), also writes a short Markdown summary, for chat and pull-request comments; the same text
    is returned as RV(markdown) either way.
  - A file is rewritten only when its content changes, and the content depends only on the input (no generation
    time), so a rerun with the same results is C(ok). Check mode writes nothing and reports what would change.
  - Runs on the controller, whatever the host; paths are on the controller. In a play over many hosts, use
    C(run_once=true).
  - "It is in the C(group/iotops.aws.aws) action group, so C(module_defaults) for that group apply to it: the
    connection options they set (O(iotops.aws.iot_job_execution_wait#module:region) and the others) are accepted and
    ignored, since the report sends no request."
author:
  - iotops.aws maintainers (@iotops)
options:
  stages:
    description:
      - The stages in rollout order, each a dict with C(name) and C(result), the gate's registered result.
      - "A stage may add C(max_failures) or C(max_failure_percent): the gate's result does not repeat its limit,
        and the report shows it when given."
      - A C(result) without C(verdict) or C(timeline) is an error naming the stage.
      - A skipped gate (a later stage's, after an earlier one failed) is reported as a stage that did not run,
        with the verdict V(skipped).
      - Exactly one of O(stages) and O(staged_rollout) is required.
    type: list
    elements: dict
  staged_rollout:
    description:
      - The result of the C(iotops.aws.staged_rollout) role, C(staged_rollout), instead of O(stages). Its C(job_id),
        C(verdict) and C(canceled) head the report, and each of its C(stages) is read as a gate's result (with
        C(name)); a stage without C(timeline) is reported without its chart.
    type: dict
  path:
    description:
      - The HTML file to write, on the controller. Its directory must exist.
    type: path
    required: true
  markdown_path:
    description:
      - A Markdown file to write as well, on the controller. Its directory must exist.
    type: path
  title:
    description:
      - The report's title.
      - Defaults to C(Rollout of job JOB_ID) with O(job_id), and C(Rollout report) without.
    type: str
  job_id:
    description:
      - The job the stages gated, shown in the headline. With O(staged_rollout), defaults to its C(job_id).
    type: str
notes:
  - "Device counts per series: C(succeeded) is V(SUCCEEDED); C(failed) is every other final status (V(FAILED),
    V(TIMED_OUT), V(REJECTED), V(REMOVED), V(CANCELED)), whatever the gate's O(iotops.aws.iot_job_execution_wait#module:fail_on);
    C(in progress) is V(IN_PROGRESS) and C(queued) is V(QUEUED). The exact statuses are in each stage's table."
  - The failed-device table shows at most 200 devices per stage, and says how many it leaves out.
  - This is an action plugin; it cannot run under C(async) or on a managed host.
attributes:
  check_mode:
    support: full
    description: Writes nothing, and reports RV(ignore:changed) as a real run would.
  diff_mode:
    support: full
    description: The before and after of each file that changes; a file over 100 KiB is shown by its size.
"""

EXAMPLES = r"""
- name: Gate the canaries
  iotops.aws.iot_job_execution_wait:
    job_id: fw-2-4-1
    thing_names: "{{ canaries }}"
    max_failures: 0
  register: canary_gate
  ignore_errors: true

- name: Gate the fleet
  iotops.aws.iot_job_execution_wait:
    job_id: fw-2-4-1
    max_failure_percent: 2
    min_executions: 100
  register: fleet_gate
  when: canary_gate is succeeded
  ignore_errors: true

- name: Write the report, whatever the gates decided
  iotops.aws.rollout_report:
    job_id: fw-2-4-1
    path: "reports/fw-2-4-1.html"
    markdown_path: "reports/fw-2-4-1.md"
    stages:
      - name: canaries
        result: "{{ canary_gate }}"
        max_failures: 0
      - name: fleet
        result: "{{ fleet_gate }}"
        max_failure_percent: 2
  run_once: true

- name: The report of a rollout run by the staged_rollout role
  iotops.aws.rollout_report:
    staged_rollout: "{{ staged_rollout }}"
    path: "reports/{{ staged_rollout.job_id }}.html"
"""

RETURN = r"""
path:
  description: The HTML file.
  returned: success
  type: str
  sample: reports/fw-2-4-1.html
markdown_path:
  description: The Markdown file; V(null) without O(markdown_path).
  returned: success
  type: str
  sample: reports/fw-2-4-1.md
markdown:
  description: The Markdown summary, to post without reading the file back.
  returned: success
  type: str
  sample: "## Rollout of job fw-2-4-1\n\n**Verdict: succeeded** ..."
verdict:
  description:
    - The rollout's verdict. With O(stages), the first stage's verdict that is not V(succeeded) or V(skipped), else
      V(succeeded);
      with O(staged_rollout), its own.
  returned: success
  type: str
  sample: failed
stages:
  description: The figures the report shows for each stage, in order.
  returned: success
  type: list
  elements: dict
  contains:
    name:
      description: The stage's name.
      type: str
      returned: always
    verdict:
      description: The gate's verdict.
      type: str
      returned: always
    limit:
      description: The stage's limit, as C(max_failures N) or C(max_failure_percent P); V(null) when not given.
      type: str
      returned: always
    seconds:
      description: How long the gate waited; V(null) when the result does not say.
      type: float
      returned: always
    total:
      description: The stage's devices at the gate's last poll.
      type: int
      returned: always
    succeeded:
      description: Devices in V(SUCCEEDED) at the last poll.
      type: int
      returned: always
    failed:
      description: Devices in another final status at the last poll.
      type: int
      returned: always
    in_progress:
      description: Devices in V(IN_PROGRESS) at the last poll.
      type: int
      returned: always
    queued:
      description: Devices in V(QUEUED) at the last poll.
      type: int
      returned: always
  sample: [{"name": "canaries", "verdict": "succeeded", "limit": "max_failures 0", "seconds": 41.2, "total": 10,
            "succeeded": 10, "failed": 0, "in_progress": 0, "queued": 0}]
msg:
  description: What was written, or would be in check mode, or which option is wrong.
  returned: always
  type: str
  sample: "wrote: reports/fw-2-4-1.html, reports/fw-2-4-1.md (2 stages)"
"""

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.iotops.aws.plugins.module_utils.report_options import (
    REPORT_ARGUMENT_SPEC,
    REPORT_MUTUALLY_EXCLUSIVE,
    REPORT_REQUIRED_ONE_OF,
)


def main():
    module = AnsibleModule(argument_spec=REPORT_ARGUMENT_SPEC, mutually_exclusive=REPORT_MUTUALLY_EXCLUSIVE,
                           required_one_of=REPORT_REQUIRED_ONE_OF, supports_check_mode=True)
    module.fail_json(msg="iotops.aws.rollout_report runs on the controller as an action plugin; "
                         "it cannot run as a module (under async, or on a managed host)")


if __name__ == "__main__":
    main()
