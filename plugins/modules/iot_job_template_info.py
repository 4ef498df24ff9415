#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: iotops.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: iot_job_template_info
short_description: Describe or list AWS IoT job templates, the account's own or AWS's managed ones
version_added: 0.2.0
description:
  - With O(job_template_id), describes one of the account's job templates (C(DescribeJobTemplate)); without it,
    lists them all (C(ListJobTemplates), every page).
  - With O(managed=true), does the same for AWS's managed templates, such as V(AWS-Download-File), with
    C(DescribeManagedJobTemplate) when O(template_name) is set and C(ListManagedJobTemplates) when it is not.
  - A template that does not exist gives an empty RV(job_templates), not a failure.
author:
  - iotops.aws maintainers (@iotops)
options:
  job_template_id:
    description:
      - One of the account's templates, 1 to 64 characters of V(a-z), V(A-Z), V(0-9), V(_) and V(-).
      - Not with O(managed=true).
    type: str
  managed:
    description:
      - Read AWS's managed templates instead of the account's own.
    type: bool
    default: false
  template_name:
    description:
      - With O(managed=true), the managed template to describe, for example V(AWS-Download-File). Without it, all
        managed templates are listed.
    type: str
  template_version:
    description:
      - With O(template_name), the version to describe, for example V(1.0); AWS's latest when unset.
    type: str
extends_documentation_fragment:
  - iotops.aws.connection
attributes:
  check_mode:
    support: full
    description: Only reads.
notes:
  - "Needs the IAM actions C(iot:DescribeJobTemplate) and C(iot:ListJobTemplates) for the account's templates, and
    C(iot:DescribeManagedJobTemplate) and C(iot:ListManagedJobTemplates) for AWS's."
seealso:
  - module: iotops.aws.iot_job_template
  - module: iotops.aws.iot_job
"""

EXAMPLES = r"""
- name: Read the firmware template
  iotops.aws.iot_job_template_info:
    job_template_id: firmware-install
  register: template

- name: List every job template of the account
  iotops.aws.iot_job_template_info:
  register: templates

- name: Read AWS's download template, to see the document parameters it takes
  iotops.aws.iot_job_template_info:
    managed: true
    template_name: AWS-Download-File
  register: download

- name: Download a file with it
  iotops.aws.iot_job:
    job_id: download-config-7
    targets: [canaries]
    job_template_arn: "{{ download.job_templates[0].template_arn }}"
    document_parameters:
      downloadUrl: https://example.com/config-7.json
      filePath: /etc/app/config.json
"""

RETURN = r"""
job_templates:
  description:
    - The templates, snake_case. Described templates have every key below; listed ones have only their summary's
      (the account's - RV(job_templates[].job_template_id), RV(job_templates[].job_template_arn),
      RV(job_templates[].description), RV(job_templates[].created_at); AWS's - RV(job_templates[].template_name),
      RV(job_templates[].template_arn), RV(job_templates[].template_version), RV(job_templates[].description),
      RV(job_templates[].environments)).
    - A described template of the account has the keys of M(iotops.aws.iot_job_template)'s
      RV(iotops.aws.iot_job_template#module:job_template), without its tags.
  returned: always
  type: list
  elements: dict
  contains:
    job_template_id:
      description: The account's template.
      type: str
      returned: for the account's templates
      sample: firmware-install
    job_template_arn:
      description: The account's template's ARN.
      type: str
      returned: for the account's templates
      sample: arn:aws:iot:eu-west-1:123456789012:jobtemplate/firmware-install
    created_at:
      description: When the template was created, ISO 8601 in UTC.
      type: str
      returned: for the account's templates
    description:
      description: The template's description.
      type: str
      returned: always
    template_name:
      description: The managed template's name.
      type: str
      returned: for managed templates
      sample: AWS-Download-File
    template_arn:
      description: The managed template's ARN, for M(iotops.aws.iot_job)'s O(iotops.aws.iot_job#module:job_template_arn).
      type: str
      returned: for managed templates
      sample: arn:aws:iot:eu-west-1::jobtemplate/AWS-Download-File:1.0
    template_version:
      description: The managed template's version.
      type: str
      returned: for managed templates
      sample: "1.0"
    environments:
      description: The device environments the managed template is for.
      type: list
      elements: str
      returned: for managed templates
      sample: [LINUX]
    document_parameters:
      description:
        - The managed template's parameters, for M(iotops.aws.iot_job)'s
          O(iotops.aws.iot_job#module:document_parameters); each with C(key), C(description), C(regex), C(example)
          and C(optional).
      type: list
      elements: dict
      returned: for a described managed template
    document:
      description: The job document, as JSON text.
      type: str
      returned: for a described template
"""

from ansible_collections.iotops.aws.plugins.module_utils import templates_read
from ansible_collections.iotops.aws.plugins.module_utils.errors import aws_errors
from ansible_collections.iotops.aws.plugins.module_utils.modules import IotJobsModule
from ansible_collections.iotops.aws.plugins.module_utils.validation import JOB_ID, shown


def _input_error(params):
    """The first option that cannot apply, as one line; None when all do."""
    template_id, managed = params["job_template_id"], params["managed"]
    if template_id is not None and not JOB_ID.fullmatch(template_id):
        return "job_template_id: {0} is not a job template ID: use 1 to 64 characters of a-z, A-Z, 0-9, _ and -".format(
            shown(template_id))
    if template_id is not None and managed:
        return "job_template_id: names one of the account's templates: use template_name with managed=true"
    if params["template_name"] is not None and not managed:
        return "template_name: names an AWS managed template, so it requires managed=true"
    if params["template_version"] is not None and params["template_name"] is None:
        return "template_version: is a version of template_name: set it too"
    return None


def _templates(client, params):
    if params["managed"] and params["template_name"] is not None:
        return [templates_read.describe_managed_job_template(client, params["template_name"], params["template_version"])]
    if params["managed"]:
        return list(templates_read.list_managed_job_templates(client))
    if params["job_template_id"] is not None:
        return [templates_read.describe_job_template(client, params["job_template_id"])]
    return list(templates_read.list_job_templates(client))


def main():
    module = IotJobsModule(
        argument_spec=dict(
            job_template_id=dict(type="str"),
            managed=dict(type="bool", default=False),
            template_name=dict(type="str"),
            template_version=dict(type="str"),
        ),
        supports_check_mode=True,
    )
    error = _input_error(module.params)
    if error:
        module.fail_json(msg=error)
    client = module.client()
    try:
        found = _templates(client, module.params)
    except aws_errors() as exc:
        module.fail_json_aws(exc, msg="Failed to read job templates")
    module.exit_json(changed=False, job_templates=[template for template in found if template is not None])


if __name__ == "__main__":
    main()
