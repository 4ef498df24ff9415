"""Module parameters as Ansible would give them, for the job modules' unit tests."""

from __future__ import annotations

from ansible.module_utils.common.arg_spec import ArgumentSpecValidator

from ansible_collections.iotops.aws.plugins.module_utils.iot_job_execution_options import EXECUTION_ARGUMENT_SPEC, EXECUTION_MODULE_KWARGS
from ansible_collections.iotops.aws.plugins.module_utils.iot_job_options import JOB_ARGUMENT_SPEC, JOB_MODULE_KWARGS


def _validator(spec, kwargs):
    return ArgumentSpecValidator(spec, **dict((k, v) for k, v in kwargs.items() if k != "supports_check_mode"))


JOB_VALIDATOR = _validator(JOB_ARGUMENT_SPEC, JOB_MODULE_KWARGS)
EXECUTION_VALIDATOR = _validator(EXECUTION_ARGUMENT_SPEC, EXECUTION_MODULE_KWARGS)


def validated(validator, given):
    result = validator.validate(given)
    if result.error_messages:
        raise ValueError("; ".join(result.error_messages))
    return result.validated_parameters


def job_params(**given):
    """iot_job's parameters: a document and a target unless given otherwise."""
    given.setdefault("job_id", "fw")
    if given.get("state", "present") == "present":
        given.setdefault("targets", ["arn:aws:iot:us-east-1:123456789012:thinggroup/canaries"])
        if not any(key in given for key in ("document", "document_source", "job_template_arn")):
            given["document"] = {"operation": "install"}
    return validated(JOB_VALIDATOR, given)


def execution_params(**given):
    given.setdefault("job_id", "fw")
    given.setdefault("thing_name", "sensor-1")
    given.setdefault("state", "canceled")
    return validated(EXECUTION_VALIDATOR, given)
