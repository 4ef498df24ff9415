#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: iotops.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: iot_package_version
short_description: Register, publish, deprecate or delete a version of an AWS IoT software package
version_added: 0.2.0
description:
  - Manages one version of a package of AWS IoT's software package catalog, idempotently. Run it again with the same
    options and it changes nothing.
  - With O(state=present), creates the version (C(CreatePackageVersion)) when it does not exist; AWS creates every
    version as a draft. When it exists, changes its O(description), O(attributes), O(artifact) and O(recipe) with
    C(UpdatePackageVersion), and its O(tags) with C(TagResource) and C(UntagResource).
  - O(status) moves the version along AWS's package version lifecycle with C(UpdatePackageVersion)'s actions,
    V(PUBLISH) (from draft or deprecated to published) and V(DEPRECATE) (from published to deprecated). Settings are
    changed first, while the version is still a draft, then it is moved.
  - With O(state=absent), deletes the version (C(DeletePackageVersion)).
  - Every option is checked before the first request, and everything the lifecycle forbids is refused before the
    first write, in one line that names the options; nothing is sent then.
author:
  - iotops.aws maintainers (@iotops)
options:
  package:
    description:
      - The package, 1 to 128 characters of V(a-z), V(A-Z), V(0-9), V(_), V(.) and V(-). It must exist (see
        M(iotops.aws.iot_package)); a package that does not exist fails the task in one line, before any write.
    type: str
    required: true
  version:
    description:
      - The version's name, 1 to 64 characters of V(a-z), V(A-Z), V(0-9), V(_), V(.) and V(-), for example V(2.4.1).
    type: str
    required: true
  state:
    description:
      - V(present) creates the version, or brings an existing version to the options given. Options left unset are
        left as the version has them.
      - V(absent) deletes the version; a version that does not exist (or whose package does not exist) gives
        RV(ignore:changed=false). The package's default version is refused in one line, as AWS deletes it only once
        M(iotops.aws.iot_package) has set another C(default_version) or C(unset_default_version=true).
    type: str
    choices: [present, absent]
    default: present
  status:
    description:
      - The version's place in AWS's lifecycle. Unset, the version keeps its status, and a new one is a draft.
      - V(draft) versions can change their description, attributes, artifact, recipe and tags; jobs cannot deploy
        them.
      - V(published) versions can be deployed by jobs and be their package's default version; they change only their
        description and tags. A draft or a deprecated version is published with C(PUBLISH).
      - V(deprecated) versions change only their description and tags; a published version is deprecated with
        C(DEPRECATE). AWS still deploys them, M(iotops.aws.iot_job) does not.
      - Nothing goes back to V(draft), and a draft cannot be deprecated without being published; those moves fail the
        task in one line before any write. So does V(deprecated) for a version that does not exist yet, since it
        would be created as a draft; publish it first, in a task of its own, if that is what is meant.
    type: str
    choices: [draft, published, deprecated]
  description:
    description:
      - The version's description, 1 to 1,024 characters without control characters. Any status can change it.
    type: str
  attributes:
    description:
      - The version's attributes, for example the build's settings that devices read. Keys are 1 or more characters of
        V(a-z), V(A-Z), V(0-9), V(:), V(_) and V(-); values are non-empty strings (quote numbers). AWS limits all of
        them together to 3 KB.
      - Only a draft version can change them; on a published or deprecated version, attributes that differ fail the
        task in one line.
    type: dict
  purge_attributes:
    description:
      - With O(attributes) set, remove the version's attributes that O(attributes) does not name. With V(false), only
        add and change.
    type: bool
    default: true
  artifact:
    description:
      - The S3 object that holds the build. Only a draft version can change it.
      - An unset O(artifact.version) matches any version of the object.
    type: dict
    suboptions:
      bucket:
        description: The S3 bucket.
        type: str
        required: true
      key:
        description: The object's key.
        type: str
        required: true
      version:
        description: The object's S3 version ID.
        type: str
  recipe:
    description:
      - The inline job document that deploys the version, at most 3,072 characters. Only a draft version can change it.
    type: str
attributes:
  check_mode:
    support: full
    description:
      - Sends no write request at all; reads the package, the version and its tags, and predicts RV(ignore:changed).
  diff_mode:
    support: full
    description:
      - Shows the version's settings, status and tags before and after, limited to what changes.
notes:
  - "Needs the IAM actions C(iot:GetPackage), C(iot:GetPackageVersion) and C(iot:ListTagsForResource) to read; and,
    for the changes it makes, C(iot:CreatePackageVersion), C(iot:UpdatePackageVersion),
    C(iot:DeletePackageVersion), C(iot:TagResource) and C(iot:UntagResource). AWS's API reference adds
    C(iot:GetIndexingConfiguration) to C(CreatePackageVersion) and C(UpdatePackageVersion)."
  - O(artifact) and O(recipe) need a botocore that knows them (later than 1.34.0, the oldest the collection
    supports); with an older one they fail the task in one line, before any request.
  - C(CreatePackageVersion) carries a client token, the same on each of botocore's retries, so a create whose answer
    was lost makes one version, not two.
seealso:
  - module: iotops.aws.iot_package
    description: The package, and which of its versions is the default.
  - module: iotops.aws.iot_package_info
    description: The package's versions and their statuses.
  - module: iotops.aws.iot_job
    description: Jobs deploy published versions with O(iotops.aws.iot_job#module:destination_package_versions).
  - name: Package version lifecycle
    description: The statuses and the moves between them, in the AWS IoT developer guide.
    link: https://docs.aws.amazon.com/iot/latest/developerguide/preparing-to-use-software-package-catalog.html#package-version-lifecycle
extends_documentation_fragment:
  - iotops.aws.connection
  - iotops.aws.tags
"""

EXAMPLES = r"""
- name: Register the build as a draft
  iotops.aws.iot_package_version:
    package: sensor-firmware
    version: 2.4.1
    description: Sensor firmware 2.4.1
    attributes:
      channel: beta
      min_hardware: rev-b
    artifact:
      bucket: firmware-builds
      key: sensor/2.4.1/firmware.bin
    tags:
      team: firmware
  register: build

- name: Publish it once the rollout passed
  iotops.aws.iot_package_version:
    package: sensor-firmware
    version: 2.4.1
    status: published

- name: Take the previous build out of service
  iotops.aws.iot_package_version:
    package: sensor-firmware
    version: 2.4.0
    status: deprecated

- name: Delete a draft that failed its tests
  iotops.aws.iot_package_version:
    package: sensor-firmware
    version: 2.4.2
    state: absent
"""

RETURN = r"""
package_version:
  description:
    - The version after the task, with its tags; V(null) when there is none. In check mode, the version as it is.
  returned: success
  type: dict
  contains:
    package_version_arn:
      description: The version's ARN, for M(iotops.aws.iot_job)'s O(iotops.aws.iot_job#module:destination_package_versions).
      type: str
      returned: always
      sample: arn:aws:iot:eu-west-1:123456789012:package/sensor-firmware/version/2.4.1
    package_name:
      description: The package.
      type: str
      returned: always
      sample: sensor-firmware
    version_name:
      description: The version.
      type: str
      returned: always
      sample: 2.4.1
    description:
      description: The version's description, or V(null).
      type: str
      returned: always
    attributes:
      description: The version's attributes, keys exactly as given; V(null) or V({}) when none.
      type: dict
      returned: always
      sample: {channel: beta}
    artifact:
      description: Where the build is, C(s3_location) with C(bucket), C(key) and C(version); V(null) when unset.
      type: dict
      returned: always
      sample: {s3_location: {bucket: firmware-builds, key: sensor/2.4.1/firmware.bin}}
    recipe:
      description: The version's inline job document, or V(null).
      type: str
      returned: always
    tags:
      description: The version's tags.
      type: dict
      returned: always
      sample: {team: firmware, build: "2041"}
    status:
      description: The version's status.
      type: str
      returned: always
      sample: PUBLISHED
    error_reason:
      description: Why AWS could not create or update the version, or V(null).
      type: str
      returned: always
    sbom:
      description: The version's software bill of materials, C(s3_location); V(null) when none.
      type: dict
      returned: always
    sbom_validation_status:
      description: How AWS's check of the bill of materials went, or V(null).
      type: str
      returned: always
    creation_date:
      description: When the version was created, ISO 8601 in UTC.
      type: str
      returned: always
    last_modified_date:
      description: When the version last changed, ISO 8601 in UTC.
      type: str
      returned: always
"""

from ansible_collections.iotops.aws.plugins.module_utils import jobs_read, jobs_write, packages_read
from ansible_collections.iotops.aws.plugins.module_utils.errors import aws_errors
from ansible_collections.iotops.aws.plugins.module_utils.modules import IotJobsModule
from ansible_collections.iotops.aws.plugins.module_utils.package_version_options import (
    VERSION_ARGUMENT_SPEC,
    check_botocore_knows,
    check_version_options,
)
from ansible_collections.iotops.aws.plugins.module_utils.package_version_plan import plan_absent, plan_present
from ansible_collections.iotops.aws.plugins.module_utils.validation import InvalidOption


def _version_with_tags(client, package, version):
    """GetPackageVersion's answer shaped, with its tags; None when there is none."""
    found = packages_read.get_package_version(client, package, version)
    if found is not None:
        found["tags"] = jobs_read.list_tags_for_resource(client, found["package_version_arn"]) or {}
    return found


def _plan(client, params):
    package = packages_read.get_package(client, params["package"])
    version = _version_with_tags(client, params["package"], params["version"]) if package else None
    if params["state"] == "absent":
        return version, plan_absent(params, package, version)
    tags = (version or {}).get("tags")
    return version, plan_present(params, package, version, tags, jobs_read.location_text(client))


def main():
    module = IotJobsModule(argument_spec=VERSION_ARGUMENT_SPEC, supports_check_mode=True)
    params = module.params
    client = module.client()
    try:
        check_version_options(params)
        check_botocore_knows(params, client)
    except InvalidOption as exc:
        module.fail_json(msg=str(exc))
    sent = []
    try:
        version, plan = _plan(client, params)
        if plan.error:
            module.fail_json(msg=plan.error, package_version=version)
        if not module.check_mode and plan.changed:
            jobs_write.send_all(client, plan.writes(), sent)
            version = _version_with_tags(client, params["package"], params["version"])
    except aws_errors() as exc:
        module.fail_json_aws(exc, changed=bool(sent), msg="{0} failed for version {1!r} of package {2!r}".format(
            getattr(exc, "operation_name", "A request"), params["version"], params["package"]))
    module.exit_planned(plan, changed=plan.changed, package_version=version)


if __name__ == "__main__":
    main()
