# -*- coding: utf-8 -*-
# Copyright: iotops.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""iot_job's options: its own (targets, document, state...) composed with
the settings a job shares with a job template (job_options), their range
checks, and the CreateJob and UpdateJob requests they become.

The argument spec carries what Ansible can check (types, choices,
exclusive options); ``check_job_options`` checks the ranges AWS
documents, before any request, with one line that names the option.
Keys chosen by the user (``document_parameters``) are never renamed.
"""

from __future__ import annotations

import json
import re

from ansible_collections.iotops.aws.plugins.module_utils.job_options import (
    ABORT,
    DESCRIPTION,
    PRESIGNED_URL,
    RETRY,
    ROLLOUT,
    SCHEDULING,
    TAGS,
    TIMEOUT,
    argument_spec,
    check_settings,
    creation_needs as job_creation_needs,
    in_range,
    no_duplicates,
    request_members,
)
from ansible_collections.iotops.aws.plugins.module_utils.validation import (
    ARN,
    PACKAGE_VERSION_ARN,
    InvalidOption,
    check_cancel_reason,
    check_text,
    shown,
)

MAX_TARGETS = 100
MAX_DOCUMENT_CHARS = 32768
MAX_PACKAGE_VERSIONS = 25
_PARAMETER_KEY = re.compile(r"[a-zA-Z0-9_-]{1,128}")

# The settings iot_job offers, in the order they are checked and named in messages.
JOB_SETTINGS = (DESCRIPTION, PRESIGNED_URL, ROLLOUT, ABORT, TIMEOUT, RETRY, SCHEDULING, TAGS)
UPDATABLE_SETTINGS = tuple(setting for setting in JOB_SETTINGS if setting.updatable)
# What creating a job needs besides its targets: exactly one of these.
DOCUMENT_OPTIONS = ("document", "document_source", "job_template_arn")

JOB_ARGUMENT_SPEC = dict(
    job_id=dict(type="str", required=True),
    state=dict(type="str", default="present", choices=["present", "canceled", "absent"]),
    targets=dict(type="list", elements="str"),
    purge_targets=dict(type="bool", default=False),
    target_selection=dict(type="str", default="SNAPSHOT", choices=["SNAPSHOT", "CONTINUOUS"]),
    document=dict(type="raw"),
    document_source=dict(type="str"),
    job_template_arn=dict(type="str"),
    document_parameters=dict(type="dict"),
    destination_package_versions=dict(type="list", elements="str"),
    reason_code=dict(type="str"),
    comment=dict(type="str"),
    force=dict(type="bool", default=False),
    wait=dict(type="bool", default=False),
    wait_timeout=dict(type="int", default=300),
    **argument_spec(*JOB_SETTINGS)
)
JOB_MODULE_KWARGS = dict(
    mutually_exclusive=[list(DOCUMENT_OPTIONS)],
    required_by=dict(document_parameters="job_template_arn"),
    supports_check_mode=True,
)


def parse_document(value, option="document"):
    """The job document as a dict, from a dict or a JSON string."""
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError as exc:
            raise InvalidOption(option, "is not valid JSON: {0}".format(exc))
    if not isinstance(value, dict):
        raise InvalidOption(option, "must be a JSON object (a dict), got {0}".format(type(value).__name__))
    return value


def document_text(value):
    """The document as CreateJob sends it: a string is sent as written."""
    return value if isinstance(value, str) else json.dumps(value, separators=(",", ":"), sort_keys=True)


def check_document_options(params):
    """Check the document options ``params`` sets (a job's or a job template's); raises InvalidOption."""
    document = params.get("document")
    if document is not None:
        parse_document(document)
        size = len(document_text(document))
        if size > MAX_DOCUMENT_CHARS:
            raise InvalidOption("document", "must be at most {0} characters as JSON, got {1}".format(MAX_DOCUMENT_CHARS, size))
    source = params.get("document_source")
    if source is not None:
        check_text("document_source", source, 1350)
        if not source.startswith("https://"):
            raise InvalidOption("document_source", "{0} is not an S3 object URL: use https://...".format(shown(source)))
    template = params.get("job_template_arn")
    if template is not None and not ARN.fullmatch(template):
        raise InvalidOption("job_template_arn", "{0} is not a job template ARN".format(shown(template)))
    for key, value in (params.get("document_parameters") or {}).items():
        option = "document_parameters.{0}".format(key)
        if not _PARAMETER_KEY.fullmatch(key):
            raise InvalidOption("document_parameters", "key {0} must be 1 to 128 characters of a-z, A-Z, 0-9, _ and -".format(shown(key)))
        if not isinstance(value, str):
            raise InvalidOption(option, "must be a string, got {0} (quote it)".format(shown(value)))
        check_text(option, value, 30720)


def check_package_versions(packages):
    if packages is None:
        return
    if len(packages) > MAX_PACKAGE_VERSIONS:
        raise InvalidOption("destination_package_versions", "at most {0}, got {1}".format(MAX_PACKAGE_VERSIONS, len(packages)))
    for value in packages:
        if not PACKAGE_VERSION_ARN.fullmatch(value):
            raise InvalidOption("destination_package_versions", "{0} is not a package version ARN (arn:aws:iot:<region>:<account>:"
                                "package/<package>/version/<version>)".format(shown(value, 200)))


def check_job_options(params):
    """Check iot_job's options against AWS's documented ranges; raises InvalidOption."""
    targets = params.get("targets")
    if targets is not None:
        if not 1 <= len(targets) <= MAX_TARGETS:
            raise InvalidOption("targets", "give 1 to {0} targets, AWS's limit, got {1}".format(MAX_TARGETS, len(targets)))
        no_duplicates("targets", targets)
    check_document_options(params)
    check_settings(params, JOB_SETTINGS)
    check_package_versions(params.get("destination_package_versions"))
    check_cancel_reason(params.get("reason_code"), params.get("comment"))
    in_range("wait_timeout", params.get("wait_timeout"), 1, 3600, " seconds")
    return params


def creation_needs(params):
    """What creating the job needs and ``params`` lacks, as one line; None when nothing."""
    return job_creation_needs(params, "job {0!r}".format(params["job_id"]), ("targets",), DOCUMENT_OPTIONS)


def create_job_request(params, target_arns):
    """CreateJob's arguments from checked options and resolved target ARNs."""
    request = dict(jobId=params["job_id"], targets=list(target_arns), targetSelection=params["target_selection"])
    if params.get("document") is not None:
        request["document"] = document_text(params["document"])
    for option, member in (("document_source", "documentSource"), ("job_template_arn", "jobTemplateArn"),
                           ("destination_package_versions", "destinationPackageVersions")):
        if params.get(option) is not None:
            request[member] = params[option]
    if params.get("document_parameters") is not None:
        request["documentParameters"] = dict(params["document_parameters"])
    request.update(request_members(params, JOB_SETTINGS))
    return request


def update_job_request(job_id, changes):
    """UpdateJob's arguments for the options in ``changes`` (option -> value)."""
    request = dict(jobId=job_id)
    request.update(request_members(changes, UPDATABLE_SETTINGS))
    return request
