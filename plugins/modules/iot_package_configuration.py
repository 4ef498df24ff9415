#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: iotops.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: iot_package_configuration
short_description: Let AWS IoT jobs record the package versions they install on each device
version_added: 0.2.0
description:
  - Sets the account's software package configuration, idempotently. Run it again with the same options and it changes
    nothing.
  - With O(version_update_by_jobs.enabled=true), a job that names package versions
    (O(iotops.aws.iot_job#module:destination_package_versions)) writes them to each device's reserved named shadow
    V($package) when the device's execution succeeds. Without it, the shadow is not updated.
  - Reads the configuration (C(GetPackageConfiguration)) and sends C(UpdatePackageConfiguration) only when it differs.
  - Every option is checked before the first request. A bad value fails with one line that names the option, and
    nothing is sent.
author:
  - iotops.aws maintainers (@iotops)
extends_documentation_fragment:
  - iotops.aws.connection
options:
  version_update_by_jobs:
    description:
      - Whether jobs update the devices' V($package) shadow (C(versionUpdateByJobsConfig)).
    type: dict
    required: true
    suboptions:
      enabled:
        description:
          - V(true) lets jobs update the shadow; V(false) stops them.
        type: bool
        required: true
      role_arn:
        description:
          - The IAM role AWS IoT Jobs assumes to update the shadow, as an ARN (V(arn:aws:iam::<account>:role/<name>)).
          - Needed with O(version_update_by_jobs.enabled=true). Unset with V(false), the current role is kept.
          - The role must trust C(iot.amazonaws.com) and allow C(iot:UpdateThingShadow) and C(iot:GetThingShadow) on
            the things' V($package) shadows.
        type: str
attributes:
  check_mode:
    support: full
    description:
      - Sends no write request; reads the configuration and predicts RV(ignore:changed).
  diff_mode:
    support: full
    description:
      - Shows the configuration before and after.
notes:
  - "Needs the IAM actions C(iot:GetPackageConfiguration) and C(iot:UpdatePackageConfiguration), and C(iam:PassRole)
    on O(version_update_by_jobs.role_arn)."
  - The configuration is the account's, one a region. It is never created or deleted, so the module has no
    C(state).
seealso:
  - module: iotops.aws.iot_package
  - module: iotops.aws.iot_job
"""

EXAMPLES = r"""
- name: Let jobs record the installed firmware in each device's $package shadow
  iotops.aws.iot_package_configuration:
    version_update_by_jobs:
      enabled: true
      role_arn: arn:aws:iam::123456789012:role/iot-package-shadow

- name: Stop jobs from updating the shadow
  iotops.aws.iot_package_configuration:
    version_update_by_jobs:
      enabled: false
"""

RETURN = r"""
package_configuration:
  description:
    - The account's package configuration after the task; in check mode, as it is.
  returned: success
  type: dict
  contains:
    version_update_by_jobs:
      description: Whether jobs update the devices' V($package) shadow.
      type: dict
      returned: always
      contains:
        enabled:
          description: Whether jobs update the shadow.
          type: bool
          returned: always
          sample: true
        role_arn:
          description: The role jobs assume to update it, or V(null).
          type: str
          returned: always
          sample: arn:aws:iam::123456789012:role/iot-package-shadow
"""

from ansible_collections.iotops.aws.plugins.module_utils import jobs_write, packages_read
from ansible_collections.iotops.aws.plugins.module_utils.errors import aws_errors
from ansible_collections.iotops.aws.plugins.module_utils.modules import IotJobsModule
from ansible_collections.iotops.aws.plugins.module_utils.package_options import CONFIGURATION_ARGUMENT_SPEC, check_configuration_options
from ansible_collections.iotops.aws.plugins.module_utils.package_plan import plan_configuration


def main():
    module = IotJobsModule(argument_spec=CONFIGURATION_ARGUMENT_SPEC, supports_check_mode=True)
    module.checked(check_configuration_options)
    client = module.client()
    sent = []
    try:
        current = packages_read.get_package_configuration(client)
        plan = plan_configuration(module.params["version_update_by_jobs"], current)
        if plan.changed and not module.check_mode:
            jobs_write.send_all(client, plan.writes(), sent)
            current = packages_read.get_package_configuration(client)
    except aws_errors() as exc:
        module.fail_json_aws(exc, msg="{0} failed for the package configuration".format(getattr(exc, "operation_name", "A request")),
                             changed=bool(sent))
    module.exit_planned(plan, changed=plan.changed, package_configuration=dict(version_update_by_jobs=current))


if __name__ == "__main__":
    main()
