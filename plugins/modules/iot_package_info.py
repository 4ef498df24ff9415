#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: iotops.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: iot_package_info
short_description: Describe AWS IoT software packages and their versions
version_added: 0.2.0
description:
  - Without O(name), lists the account's packages (C(ListPackages), every page).
  - With O(name), describes that package (C(GetPackage), with its tags) and lists its versions
    (C(ListPackageVersions), every page), optionally only those in O(version_status).
  - With O(version) too, describes that version (C(GetPackageVersion), with its tags).
  - A package or version that does not exist gives an empty RV(packages) or a V(null) RV(package_version), not a
    failure.
author:
  - iotops.aws maintainers (@iotops)
options:
  name:
    description:
      - The package to describe, 1 to 128 characters of V(a-z), V(A-Z), V(0-9), V(_), V(.) and V(-).
    type: str
  version:
    description:
      - With O(name), the version to describe, 1 to 64 characters of V(a-z), V(A-Z), V(0-9), V(_), V(.) and V(-).
    type: str
  version_status:
    description:
      - With O(name), list only the versions in this status.
    type: str
    choices: [draft, published, deprecated]
attributes:
  check_mode:
    support: full
    description: It sends no write in any mode.
notes:
  - "Needs the IAM actions C(iot:ListPackages), C(iot:GetPackage), C(iot:ListPackageVersions),
    C(iot:GetPackageVersion) and C(iot:ListTagsForResource)."
seealso:
  - module: iotops.aws.iot_package
extends_documentation_fragment:
  - iotops.aws.connection
"""

EXAMPLES = r"""
- name: List the account's packages
  iotops.aws.iot_package_info:
  register: catalog

- name: Read the firmware package and its published versions
  iotops.aws.iot_package_info:
    name: sensor-firmware
    version_status: published
  register: firmware

- name: Read one build
  iotops.aws.iot_package_info:
    name: sensor-firmware
    version: 2.4.1
  register: build

- name: Stop unless the build is published
  ansible.builtin.assert:
    that: build.package_version.status == 'PUBLISHED'
"""

RETURN = r"""
packages:
  description:
    - Without O(name), every package's summary; with it, the package described, or no item when it does not exist.
  returned: success
  type: list
  elements: dict
  contains:
    package_name: {type: str, description: The package., sample: sensor-firmware}
    package_arn:
      type: str
      returned: with O(name)
      description: Its ARN.
      sample: arn:aws:iot:eu-west-1:123456789012:package/sensor-firmware
    description: {type: str, returned: with O(name), description: "Its description, or V(null)."}
    default_version_name: {type: str, description: "Its default version, or V(null).", sample: 2.4.1}
    creation_date: {type: str, description: "When AWS created it, ISO 8601 in UTC."}
    last_modified_date: {type: str, description: "When it last changed, ISO 8601 in UTC."}
    tags: {type: dict, returned: with O(name), description: Its tags., sample: {team: firmware}}
versions:
  description:
    - The package's versions' summaries, every page; only those in O(version_status) when it is set. Empty when the
      package does not exist.
  returned: with O(name)
  type: list
  elements: dict
  contains:
    package_name: {type: str, description: The package.}
    version_name: {type: str, description: The version., sample: 2.4.1}
    status: {type: str, description: "V(DRAFT), V(PUBLISHED) or V(DEPRECATED).", sample: PUBLISHED}
    creation_date: {type: str, description: "When AWS created the version, ISO 8601 in UTC."}
    last_modified_date: {type: str, description: "When the version last changed, ISO 8601 in UTC."}
package_version:
  description:
    - The version O(version) described, with its tags; V(null) when it or its package does not exist.
  returned: with O(version)
  type: dict
  contains:
    package_version_arn:
      type: str
      description: The version's ARN, for the O(iotops.aws.iot_job#module:destination_package_versions) of a job.
      sample: arn:aws:iot:eu-west-1:123456789012:package/sensor-firmware/version/2.4.1
    package_name: {type: str, description: The package.}
    version_name: {type: str, description: The version., sample: 2.4.1}
    description: {type: str, description: "The version's description, or V(null)."}
    attributes: {type: dict, description: "The version's attributes; names are the version's own."}
    artifact:
      type: dict
      description: Where the build is in S3, C(s3_location) with C(bucket), C(key) and C(version); or V(null).
    recipe: {type: str, description: "The version's recipe, or V(null)."}
    status: {type: str, description: "V(DRAFT), V(PUBLISHED) or V(DEPRECATED).", sample: PUBLISHED}
    error_reason: {type: str, description: "Why AWS could not process the version, or V(null)."}
    sbom: {type: dict, description: "The version's software bill of materials, or V(null)."}
    sbom_validation_status: {type: str, description: "Whether AWS validated the bill of materials, or V(null)."}
    creation_date: {type: str, description: "When AWS created the version, ISO 8601 in UTC."}
    last_modified_date: {type: str, description: "When the version last changed, ISO 8601 in UTC."}
    tags: {type: dict, description: "The version's tags."}
"""

from ansible_collections.iotops.aws.plugins.module_utils import jobs_read, packages_read
from ansible_collections.iotops.aws.plugins.module_utils.errors import aws_errors
from ansible_collections.iotops.aws.plugins.module_utils.modules import IotJobsModule
from ansible_collections.iotops.aws.plugins.module_utils.package_options import INFO_ARGUMENT_SPEC, check_info_options


def _tagged(client, item, arn_key):
    """``item`` with its tags, or None when it is None."""
    if item is not None:
        item["tags"] = jobs_read.list_tags_for_resource(client, item[arn_key]) or {}
    return item


def _described(client, params):
    name, version = params["name"], params["version"]
    if name is None:
        return dict(packages=list(packages_read.list_packages(client)))
    package = _tagged(client, packages_read.get_package(client, name), "package_arn")
    status = params["version_status"].upper() if params["version_status"] else None
    found = dict(packages=[package] if package else [],
                 versions=list(packages_read.package_versions(client, name, status)) if package else [])
    if version is not None:
        described = packages_read.get_package_version(client, name, version) if package else None
        found["package_version"] = _tagged(client, described, "package_version_arn")
    return found


def main():
    module = IotJobsModule(argument_spec=INFO_ARGUMENT_SPEC, supports_check_mode=True)
    module.checked(check_info_options)
    client = module.client()
    try:
        found = _described(client, module.params)
    except aws_errors() as exc:
        module.fail_json_aws(exc, msg="{0} failed".format(getattr(exc, "operation_name", "Reading the package catalog")))
    module.exit_json(changed=False, **found)


if __name__ == "__main__":
    main()
