# -*- coding: utf-8 -*-
# Copyright: iotops.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""A new job's destination package versions, checked before CreateJob.

Each must be a version a job may deploy (package_lifecycle.not_deployable
decides): one GetPackageVersion a version, at most 25, and no write.
"""

from __future__ import annotations

from ansible_collections.iotops.aws.plugins.module_utils.jobs_read import location_text
from ansible_collections.iotops.aws.plugins.module_utils.package_lifecycle import not_deployable
from ansible_collections.iotops.aws.plugins.module_utils.packages_read import get_package_version
from ansible_collections.iotops.aws.plugins.module_utils.validation import PACKAGE_VERSION_ARN, InvalidOption


def refuse_undeployable(client, arns, option="destination_package_versions"):
    """Raise InvalidOption, in one line naming each version a job must not
    deploy and why, when any of ``arns`` (checked package version ARNs) is one."""
    problems = []
    for arn in dict.fromkeys(arns or ()):
        names = PACKAGE_VERSION_ARN.fullmatch(arn)
        version = get_package_version(client, names.group("package"), names.group("version"))
        problem = not_deployable(version, "version {0!r} of package {1!r}".format(names.group("version"), names.group("package")))
        if problem and version is None and location_text(client):
            problem += " " + location_text(client)
        if problem:
            problems.append(problem)
    if problems:
        raise InvalidOption(option, "; ".join(problems))
