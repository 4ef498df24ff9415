# -*- coding: utf-8 -*-
# Copyright: iotops.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""The options of iot_package, iot_package_configuration and
iot_package_info, and their checks before any request.  A package's
tags are the shared TAGS setting."""

from __future__ import annotations

from dataclasses import replace

from ansible_collections.iotops.aws.plugins.module_utils.job_options import DESCRIPTION, TAGS, argument_spec, check_settings
from ansible_collections.iotops.aws.plugins.module_utils.validation import (
    IAM_ROLE_ARN,
    InvalidOption,
    check_package_name,
    check_text,
    check_version_name,
    shown,
)
from ansible_collections.iotops.aws.plugins.module_utils.vocabulary import PACKAGE_VERSION_STATUSES

# The description of a package or a package version: a job's, but shorter (AWS's ResourceDescription).
CATALOG_DESCRIPTION = replace(DESCRIPTION, check=lambda value: check_text("description", value, 1024))

PACKAGE_ARGUMENT_SPEC = dict(
    name=dict(type="str", required=True),
    state=dict(type="str", default="present", choices=["present", "absent"]),
    default_version=dict(type="str"),
    unset_default_version=dict(type="bool", default=False),
    force=dict(type="bool", default=False),
    **argument_spec(CATALOG_DESCRIPTION, TAGS)
)

CONFIGURATION_ARGUMENT_SPEC = dict(
    version_update_by_jobs=dict(
        type="dict",
        required=True,
        options=dict(
            enabled=dict(type="bool", required=True),
            role_arn=dict(type="str"),
        ),
    ),
)

# Statuses as the modules spell them: draft, published, deprecated.
STATUS_CHOICES = [status.lower() for status in PACKAGE_VERSION_STATUSES]

INFO_ARGUMENT_SPEC = dict(
    name=dict(type="str"),
    version=dict(type="str"),
    version_status=dict(type="str", choices=STATUS_CHOICES),
)


def check_package_options(params):
    """Check iot_package's options; raises InvalidOption."""
    check_package_name(params["name"], "name")
    check_settings(params, (CATALOG_DESCRIPTION, TAGS))
    if params.get("default_version") is not None:
        check_version_name(params["default_version"], "default_version")
        if params.get("unset_default_version"):
            raise InvalidOption("unset_default_version", "cannot be true together with default_version: AWS takes one or the other")


def check_role_arn(value, option):
    if not IAM_ROLE_ARN.fullmatch(value):
        raise InvalidOption(option, "{0} is not an IAM role ARN: use arn:aws:iam::<account>:role/<name>".format(shown(value)))


def check_configuration_options(params):
    """Check iot_package_configuration's options; raises InvalidOption.  AWS
    needs a role to update the devices' $package shadow, so enabling takes one."""
    wanted = params["version_update_by_jobs"]
    if wanted.get("role_arn") is not None:
        check_role_arn(wanted["role_arn"], "version_update_by_jobs.role_arn")
    elif wanted["enabled"]:
        raise InvalidOption("version_update_by_jobs.role_arn", "is needed with enabled=true: the role that lets jobs update "
                            "each device's $package shadow")


def check_info_options(params):
    """Check iot_package_info's options; raises InvalidOption."""
    if params.get("name") is not None:
        check_package_name(params["name"], "name")
    if params.get("version") is not None:
        if params.get("name") is None:
            raise InvalidOption("version", "needs name, the package the version belongs to")
        check_version_name(params["version"], "version")
    if params.get("version_status") is not None and params.get("name") is None:
        raise InvalidOption("version_status", "needs name: it filters the versions of one package")
