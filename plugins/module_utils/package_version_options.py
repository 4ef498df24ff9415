# -*- coding: utf-8 -*-
# Copyright: iotops.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""iot_package_version's options, their checks before any request, and
the CreatePackageVersion and UpdatePackageVersion members they become.

The limits are CreatePackageVersion's (botocore's model): a description
of at most 1,024 characters, attribute keys of [a-zA-Z0-9:_-] and values
of printable text (all of them at most 3 KB together, which AWS checks),
an artifact's S3 bucket and key, and a recipe of at most 3,072 characters.
"""

from __future__ import annotations

import re

from ansible_collections.iotops.aws.plugins.module_utils.job_options import TAGS, argument_spec, check_settings, pruned
from ansible_collections.iotops.aws.plugins.module_utils.validation import (
    InvalidOption,
    check_package_name,
    check_text,
    check_version_name,
    shown,
)
from ansible_collections.iotops.aws.plugins.module_utils.vocabulary import PACKAGE_VERSION_STATUSES

MAX_DESCRIPTION = 1024
MAX_RECIPE = 3072
# AWS's limit on all of a version's attributes together; no one value can be longer.
MAX_ATTRIBUTES = 3072
_ATTRIBUTE_KEY = re.compile(r"[a-zA-Z0-9:_-]+")
# CreatePackageVersion's members that came after the package catalog itself:
# botocore 1.34, the oldest the collection supports, has neither.
LATER_MEMBERS = ("artifact", "recipe")

# The status option's choices, each the PackageVersionStatus it names.
STATUS_CHOICES = dict((status.lower(), status) for status in PACKAGE_VERSION_STATUSES)

VERSION_ARGUMENT_SPEC = dict(
    package=dict(type="str", required=True),
    version=dict(type="str", required=True),
    state=dict(type="str", default="present", choices=["present", "absent"]),
    status=dict(type="str", choices=list(STATUS_CHOICES)),
    description=dict(type="str"),
    attributes=dict(type="dict"),
    purge_attributes=dict(type="bool", default=True),
    artifact=dict(type="dict", options=dict(
        bucket=dict(type="str", required=True),
        # An S3 object key, not a secret.
        key=dict(type="str", required=True, no_log=False),
        version=dict(type="str"),
    )),
    recipe=dict(type="str"),
    **argument_spec(TAGS)
)


def _check_attributes(attributes):
    for key, value in attributes.items():
        if not _ATTRIBUTE_KEY.fullmatch(key):
            raise InvalidOption("attributes", "key {0} must be 1 or more characters of a-z, A-Z, 0-9, :, _ and -".format(shown(key)))
        if not isinstance(value, str):
            raise InvalidOption("attributes.{0}".format(key), "must be a string, got {0} (quote it)".format(shown(value)))
        check_text("attributes.{0}".format(key), value, MAX_ATTRIBUTES)


def _check_artifact(artifact):
    for part in ("bucket", "key", "version"):
        check_text("artifact.{0}".format(part), artifact.get(part), 1024)


def check_version_options(params):
    """Check iot_package_version's options; raises InvalidOption."""
    check_package_name(params["package"], "package")
    check_version_name(params["version"], "version")
    check_text("description", params.get("description"), MAX_DESCRIPTION)
    _check_attributes(params.get("attributes") or {})
    if params.get("artifact") is not None:
        _check_artifact(params["artifact"])
    recipe = params.get("recipe")
    if recipe is not None and len(recipe) > MAX_RECIPE:
        raise InvalidOption("recipe", "must be at most {0} characters, got {1}".format(MAX_RECIPE, len(recipe)))
    check_settings(params, (TAGS,))


def check_botocore_knows(params, client):
    """Refuse, before any request, an option that this botocore's model of
    CreatePackageVersion lacks: botocore would refuse to send it."""
    known = client.meta.service_model.operation_model("CreatePackageVersion").input_shape.members
    for option in LATER_MEMBERS:
        if params.get(option) is not None and option not in known:
            raise InvalidOption(option, "the botocore installed cannot send a package version's {0}, which AWS added later: "
                                "upgrade boto3 and botocore".format(option))


def wanted_status(params):
    """The PackageVersionStatus the task asks for; None when it leaves it as it is."""
    return STATUS_CHOICES.get(params.get("status"))


def artifact_member(artifact):
    """The request's ``artifact`` for O(artifact): its S3 location, unset parts left out."""
    return {"s3Location": pruned(dict(artifact))}
