# -*- coding: utf-8 -*-
# Copyright: iotops.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""iot_job_template's options: its own (id, document, replace...) composed
with the settings a job template shares with a job (job_options), their
checks, and the CreateJobTemplate request they become."""

from __future__ import annotations

from ansible_collections.iotops.aws.plugins.module_utils.iot_job_options import (
    check_document_options,
    check_package_versions,
    document_text,
)
from ansible_collections.iotops.aws.plugins.module_utils.job_options import (
    ABORT,
    DESCRIPTION,
    MAINTENANCE_WINDOWS,
    PRESIGNED_URL,
    RETRY,
    ROLLOUT,
    TAGS,
    TIMEOUT,
    argument_spec,
    check_settings,
    creation_needs,
    request_members,
)
from ansible_collections.iotops.aws.plugins.module_utils.validation import ARN, JOB_ID, InvalidOption, shown

# The settings a template offers, in the order they are checked and named in messages.
TEMPLATE_SETTINGS = (DESCRIPTION, PRESIGNED_URL, ROLLOUT, ABORT, TIMEOUT, RETRY, MAINTENANCE_WINDOWS, TAGS)
# Where a new template's job document comes from: exactly one of these.
TEMPLATE_SOURCES = ("document", "document_source", "job_arn")

TEMPLATE_ARGUMENT_SPEC = dict(
    job_template_id=dict(type="str", required=True),
    state=dict(type="str", default="present", choices=["present", "absent"]),
    document=dict(type="raw"),
    document_source=dict(type="str"),
    job_arn=dict(type="str"),
    destination_package_versions=dict(type="list", elements="str"),
    replace=dict(type="bool", default=False),
    **argument_spec(*TEMPLATE_SETTINGS)
)
TEMPLATE_MODULE_KWARGS = dict(mutually_exclusive=[list(TEMPLATE_SOURCES)], supports_check_mode=True)


def check_template_options(params):
    """Check iot_job_template's options against AWS's documented ranges; raises InvalidOption."""
    template_id = params["job_template_id"]
    if not JOB_ID.fullmatch(template_id):
        raise InvalidOption("job_template_id", "{0} is not a job template ID: use 1 to 64 characters of a-z, A-Z, 0-9, _ and -".format(
            shown(template_id)))
    check_document_options(params)
    job_arn = params.get("job_arn")
    if job_arn is not None and (":job/" not in job_arn or not ARN.fullmatch(job_arn)):
        raise InvalidOption("job_arn", "{0} is not a job ARN".format(shown(job_arn)))
    check_settings(params, TEMPLATE_SETTINGS)
    check_package_versions(params.get("destination_package_versions"))
    return params


def template_creation_needs(params):
    """What creating the template needs and ``params`` lacks, as one line; None when nothing."""
    return creation_needs(params, "job template {0!r}".format(params["job_template_id"]), ("description",), TEMPLATE_SOURCES)


def create_template_request(params, tags=None):
    """CreateJobTemplate's arguments from checked options; ``tags`` (a dict)
    replace O(tags) when given, as when a replaced template keeps its tags."""
    request = dict(jobTemplateId=params["job_template_id"])
    if params.get("document") is not None:
        request["document"] = document_text(params["document"])
    for option, member in (("document_source", "documentSource"), ("job_arn", "jobArn"),
                           ("destination_package_versions", "destinationPackageVersions")):
        if params.get(option) is not None:
            request[member] = list(params[option]) if option == "destination_package_versions" else params[option]
    members = dict(params, tags=tags) if tags is not None else params
    request.update(request_members(members, TEMPLATE_SETTINGS))
    return request
