"""AWS IoT's job templates, where moto 5.2 lacks them or leaves fields out.

moto keeps a template's document and job settings, but drops its
maintenanceWindows, destinationPackageVersions and tags, ignores jobArn,
and has no AWS managed templates.  These patches of moto's response class
(installed by writes.install) keep every field, copy a job given by ARN,
tag templates as TagResource does, and serve a small catalog of managed
templates in AWS's documented shapes.
"""

from __future__ import annotations

import json
import re

from moto.core.responses import ActionResult, EmptyResult
from moto.iot.exceptions import InvalidRequestException, ResourceNotFoundException
from moto.iot.responses import IoTResponse

from local_endpoint.patching import install_patches

# CreateJobTemplate fields moto drops, returned by DescribeJobTemplate.
EXTRA_TEMPLATE_FIELDS = ("maintenanceWindows", "destinationPackageVersions")
# What jobArn copies from the job into the template, and a job from its
# template: moto's attributes, named alike on jobs and templates.
COPIED_ATTRIBUTES = ("document", "document_source", "presigned_url_config", "job_executions_rollout_config",
                     "abort_config", "timeout_config", "job_execution_retry_config")
# AWS-Download-File as the AWS IoT developer guide documents it (managed templates, version 1.0).
MANAGED_TEMPLATES = {
    "AWS-Download-File": {
        "templateVersion": "1.0",
        "description": "Downloads a file to the device",
        "environments": ["LINUX"],
        "documentParameters": [
            {"key": "downloadUrl", "description": "URL of the file to download", "regex": "^.{1,1024}$",
             "example": "https://example.com/file.zip", "optional": False},
            {"key": "filePath", "description": "Where the file is written on the device", "regex": "^.{1,4096}$",
             "example": "/tmp/file.zip", "optional": False},
            {"key": "runAsUser", "description": "The user the handler runs as", "regex": "^.{0,256}$",
             "example": "root", "optional": True},
            {"key": "pathToHandler", "description": "The directory of the handler", "regex": "^.{0,4096}$",
             "example": "/opt/handlers", "optional": True},
        ],
        "document": json.dumps({"version": "1.0", "steps": [{"action": {
            "name": "Download-File", "type": "runHandler",
            "input": {"handler": "download-file.sh",
                      "args": ["${aws:iot:parameter:downloadUrl}", "${aws:iot:parameter:filePath}"],
                      "path": "${aws:iot:parameter:pathToHandler}"},
            "runAsUser": "${aws:iot:parameter:runAsUser}"}}]}),
    },
    "AWS-Reboot": {
        "templateVersion": "1.0",
        "description": "Reboots the device",
        "environments": ["LINUX"],
        "documentParameters": [
            {"key": "runAsUser", "description": "The user the handler runs as", "regex": "^.{0,256}$",
             "example": "root", "optional": True},
            {"key": "pathToHandler", "description": "The directory of the handler", "regex": "^.{0,4096}$",
             "example": "/opt/handlers", "optional": True},
        ],
        "document": json.dumps({"version": "1.0", "steps": [{"action": {
            "name": "Reboot", "type": "runHandler",
            "input": {"handler": "reboot.sh", "path": "${aws:iot:parameter:pathToHandler}"},
            "runAsUser": "${aws:iot:parameter:runAsUser}"}}]}),
    },
}
_PARAMETER = re.compile(r"\$\{aws:iot:parameter:([a-zA-Z0-9_-]+)\}")


def managed_arn(region: str, name: str, version: str) -> str:
    """A managed template's ARN: AWS's own, with no account."""
    return "arn:aws:iot:{0}::jobtemplate/{1}:{2}".format(region, name, version)


def managed_template_of(arn: str | None) -> dict | None:
    """The managed template an ARN names, or None."""
    match = re.fullmatch(r"arn:aws[a-z-]*:iot:[a-z0-9-]+::jobtemplate/([^:]+):(.+)", arn or "")
    template = MANAGED_TEMPLATES.get(match.group(1)) if match else None
    return template if template and template["templateVersion"] == match.group(2) else None


def template_exists(backend, arn: str) -> bool:
    """Whether ``arn`` names one of the account's templates or a managed one."""
    return managed_template_of(arn) is not None or any(t.job_template_arn == arn for t in backend.jobs_templates.values())


def inherit_settings(backend, job, template_arn: str | None, parameters: dict | None) -> None:
    """A job created from a template takes, at creation, the template's
    document (a managed one's with its parameters filled in, an omitted
    optional one left empty) and the settings CreateJob left out, as AWS
    documents: a template replaced later does not change the job."""
    managed = managed_template_of(template_arn)
    if managed is not None:
        values = parameters or {}
        job.document = _PARAMETER.sub(lambda match: values.get(match.group(1), ""), managed["document"])
        return
    template = next((t for t in backend.jobs_templates.values() if t.job_template_arn == template_arn), None)
    if template is None:
        return
    for attribute in COPIED_ATTRIBUTES:
        if not getattr(job, attribute, None):
            setattr(job, attribute, getattr(template, attribute, None))


def check_document_parameters(template_arn: str | None, parameters: dict | None) -> None:
    """AWS takes documentParameters only with a managed template, and needs its required ones."""
    managed = managed_template_of(template_arn)
    if managed is None:
        if parameters:
            raise InvalidRequestException("documentParameters can only be used with AWS managed templates.")
        return
    parameters = parameters or {}
    known = {parameter["key"]: parameter for parameter in managed["documentParameters"]}
    unknown = sorted(set(parameters) - set(known))
    if unknown:
        raise InvalidRequestException("Unknown document parameters: {0}".format(", ".join(unknown)))
    missing = sorted(key for key, parameter in known.items() if not parameter["optional"] and key not in parameters)
    if missing:
        raise InvalidRequestException("Missing required document parameters: {0}".format(", ".join(missing)))


def _extra(template) -> dict:
    return template.__dict__.setdefault("iotops_extra", {})


def _template(backend, template_id: str):
    template = backend.jobs_templates.get(template_id)
    if template is None:
        raise ResourceNotFoundException("Job template {0} not found".format(template_id))
    return template


_ORIGINAL: dict = {}


def create_job_template(self: IoTResponse):
    from local_endpoint.writes import tags_of

    backend = self.iot_backend
    job_arn = self._get_param("jobArn")
    job = None
    if job_arn:
        job = next((job for job in backend.jobs.values() if job.job_arn == job_arn), None)
        if job is None:
            raise ResourceNotFoundException("Job {0} does not exist.".format(job_arn))
    answer = _ORIGINAL["create_job_template"](self)
    template = backend.jobs_templates[self._get_param("jobTemplateId")]
    if job is not None:
        # AWS copies the job's document and settings; the request's own settings win.
        for attribute in COPIED_ATTRIBUTES:
            if getattr(template, attribute, None) is None and getattr(job, attribute, None):
                setattr(template, attribute, getattr(job, attribute))
    _extra(template).update({name: self._get_param(name) for name in EXTRA_TEMPLATE_FIELDS if self._get_param(name)})
    tags = self._get_param("tags")
    tags_of(backend)[template.job_template_arn] = {tag["Key"]: tag.get("Value", "") for tag in tags or []}
    return answer


def describe_job_template(self: IoTResponse):
    answer = _ORIGINAL["describe_job_template"](self)
    template = _template(self.iot_backend, self._get_param("jobTemplateId"))
    # AWS leaves out what the template was created without; moto answers null.
    result = {key: value for key, value in answer.result.items() if value is not None}
    result.update(_extra(template))
    return ActionResult(result)


def delete_job_template(self: IoTResponse):
    from local_endpoint.writes import tags_of

    backend = self.iot_backend
    template = _template(backend, self._get_param("jobTemplateId"))
    del backend.jobs_templates[template.job_template_id]
    tags_of(backend).pop(template.job_template_arn, None)
    return EmptyResult()


def _managed_summaries(region: str, name: str | None) -> list:
    return [{"templateArn": managed_arn(region, key, template["templateVersion"]), "templateName": key,
             "description": template["description"], "environments": template["environments"],
             "templateVersion": template["templateVersion"]}
            for key, template in sorted(MANAGED_TEMPLATES.items()) if name in (None, key)]


def list_managed_job_templates(self: IoTResponse):
    summaries = _managed_summaries(self.region, self._get_param("templateName"))
    size = int(self._get_param("maxResults") or 50)
    start = int(self._get_param("nextToken") or 0)
    result = {"managedJobTemplates": summaries[start:start + size]}
    if start + size < len(summaries):
        result["nextToken"] = str(start + size)
    return ActionResult(result)


def describe_managed_job_template(self: IoTResponse):
    name = self._get_param("templateName")
    template = MANAGED_TEMPLATES.get(name)
    version = self._get_param("templateVersion")
    if template is None or version not in (None, template["templateVersion"]):
        raise ResourceNotFoundException("Managed template {0} not found".format(name))
    return ActionResult({"templateName": name, "templateArn": managed_arn(self.region, name, template["templateVersion"]),
                         "description": template["description"], "templateVersion": template["templateVersion"],
                         "environments": template["environments"], "documentParameters": template["documentParameters"],
                         "document": template["document"]})


PATCHES = (create_job_template, describe_job_template, delete_job_template, list_managed_job_templates,
           describe_managed_job_template)


def install() -> None:
    install_patches(PATCHES, _ORIGINAL)
