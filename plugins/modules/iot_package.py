#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: iotops.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: iot_package
short_description: Create, update or delete an AWS IoT software package
version_added: 0.2.0
description:
  - Manages one package of AWS IoT's software package catalog, idempotently. Run it again with the same options and it
    changes nothing.
  - With O(state=present), creates the package (C(CreatePackage)) when it does not exist. When it exists, changes its
    O(description) and default version (O(default_version), O(unset_default_version)) with one C(UpdatePackage), and
    its O(tags) with C(TagResource) and C(UntagResource).
  - With O(state=absent), deletes the package (C(DeletePackage)). AWS deletes only a package without versions; with
    O(force=true) the module first unsets the default version, then deletes each version (C(DeletePackageVersion)),
    then the package.
  - Its versions are managed with M(iotops.aws.iot_package_version).
  - Every option is checked before the first request, and O(default_version) is checked to name a published or
    deprecated version before the first write. A bad value fails with one line that names the option, and nothing is
    sent.
author:
  - iotops.aws maintainers (@iotops)
extends_documentation_fragment:
  - iotops.aws.connection
  - iotops.aws.tags
attributes:
  check_mode:
    support: full
    description:
      - Sends no write request at all; reads the package, its tags and, as needed, its versions, and predicts
        RV(ignore:changed).
  diff_mode:
    support: full
    description:
      - Shows the package's description, default version and tags before and after, limited to what changes; a deleted
        package's versions are listed before.
options:
  name:
    description:
      - The package, 1 to 128 characters of V(a-z), V(A-Z), V(0-9), V(_), V(.) and V(-).
    type: str
    required: true
  state:
    description:
      - V(present) creates the package, or brings an existing package to the options given. Options left unset are
        left as the package has them.
      - V(absent) deletes the package. A package that does not exist gives RV(ignore:changed=false). A package that
        has versions fails the task in one line, before any write, unless O(force=true).
    type: str
    choices: [present, absent]
    default: present
  description:
    description:
      - The package's description, at most 1,024 characters.
    type: str
  default_version:
    description:
      - The version that is the package's default (C(defaultVersionName)), the one a device is meant to run.
      - It must exist and be published or deprecated; a draft, or a version that does not exist, fails the task in one
        line before any write. A new package has no versions yet, so create it first, then its versions with
        M(iotops.aws.iot_package_version), then set its default.
      - Not with O(unset_default_version=true).
    type: str
  unset_default_version:
    description:
      - Leave the package without a default version (C(unsetDefaultVersion)), for example before deleting the version
        that was the default.
    type: bool
    default: false
  force:
    description:
      - With O(state=absent), delete the package's versions too. The default version is unset first, as AWS does not
        delete a package's default version, then each version is deleted, then the package.
    type: bool
    default: false
notes:
  - "Needs the IAM actions C(iot:GetPackage) and C(iot:ListTagsForResource) to read the package,
    C(iot:GetPackageVersion) to check O(default_version), C(iot:ListPackageVersions) to delete a package; and, for the
    changes they make, C(iot:CreatePackage), C(iot:UpdatePackage), C(iot:DeletePackage), C(iot:DeletePackageVersion),
    C(iot:TagResource) and C(iot:UntagResource)."
  - Each write carries a client token, which botocore keeps on its retries, so a retry after a lost answer does not
    write twice.
seealso:
  - module: iotops.aws.iot_package_info
  - module: iotops.aws.iot_package_configuration
"""

EXAMPLES = r"""
- name: Keep the firmware package in the catalog
  iotops.aws.iot_package:
    name: sensor-firmware
    description: Firmware of the field sensors
    tags:
      team: firmware

- name: Make the build that passed its rollout the default
  iotops.aws.iot_package:
    name: sensor-firmware
    default_version: 2.4.1
  register: firmware

- name: Remove the package and every version of it
  iotops.aws.iot_package:
    name: sensor-firmware
    force: true
    state: absent
"""

RETURN = r"""
package:
  description:
    - What AWS says of the package once the task is done, tags included; V(null) once it is gone or when it never
      was. Check mode returns it unchanged.
  returned: success
  type: dict
  contains:
    package_name:
      type: str
      description: The package.
      sample: sensor-firmware
    package_arn:
      type: str
      description: Its ARN.
      sample: arn:aws:iot:eu-west-1:123456789012:package/sensor-firmware
    description:
      type: str
      description: Its description, or V(null).
      sample: Firmware of the field sensors
    default_version_name:
      type: str
      description: Its default version, or V(null).
      sample: 2.4.1
    creation_date:
      type: str
      description: When AWS created it, ISO 8601 in UTC.
      sample: "2026-11-30T05:00:00+00:00"
    last_modified_date:
      type: str
      description: When it last changed, ISO 8601 in UTC.
      sample: "2026-11-30T05:10:00+00:00"
    tags:
      type: dict
      description: Its tags, keys as written.
      sample: {team: firmware}
"""

from ansible_collections.iotops.aws.plugins.module_utils import jobs_read, jobs_write, packages_read
from ansible_collections.iotops.aws.plugins.module_utils.errors import aws_errors
from ansible_collections.iotops.aws.plugins.module_utils.modules import IotJobsModule
from ansible_collections.iotops.aws.plugins.module_utils.package_options import PACKAGE_ARGUMENT_SPEC, check_package_options
from ansible_collections.iotops.aws.plugins.module_utils.package_plan import plan_absent, plan_present


def _package_with_tags(client, name):
    """GetPackage's answer shaped, with the package's tags; None when there is no package."""
    package = packages_read.get_package(client, name)
    if package is not None:
        package["tags"] = jobs_read.list_tags_for_resource(client, package["package_arn"]) or {}
    return package


def _plan(client, params, package):
    name = params["name"]
    if params["state"] == "absent":
        versions = [summary["version_name"] for summary in packages_read.package_versions(client, name)] if package else []
        return plan_absent(name, package, versions, params["force"])
    wanted = params["default_version"]
    version = None
    if package is not None and wanted is not None and wanted != package.get("default_version_name"):
        version = packages_read.get_package_version(client, name, wanted)
    return plan_present(params, package, package and package["tags"], version)


def main():
    module = IotJobsModule(argument_spec=PACKAGE_ARGUMENT_SPEC, supports_check_mode=True)
    name = module.params["name"]
    module.checked(check_package_options)
    client = module.client()
    sent = []
    try:
        package = _package_with_tags(client, name)
        plan = _plan(client, module.params, package)
        if plan.error:
            module.fail_json(msg=plan.error, package=package)
        if plan.changed and not module.check_mode:
            jobs_write.send_all(client, plan.writes(), sent)
            package = _package_with_tags(client, name)
    except aws_errors() as exc:
        module.fail_json_aws(exc, msg="{0} failed for package {1!r}".format(getattr(exc, "operation_name", "A request"), name),
                             changed=bool(sent))
    module.exit_planned(plan, changed=plan.changed, package=package)


if __name__ == "__main__":
    main()
