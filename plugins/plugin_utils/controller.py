# -*- coding: utf-8 -*-
# Copyright: iotops.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""What the collection's controller-side plugins (action, lookup) share.

Modules get these from IotJobsModule; code that runs in the controller
process has no AnsibleModule, so it takes the same steps here: check the
options with ansible-core's ArgumentSpecValidator and the collection's own
checks, build the client from the connection settings, and report AWS
errors in one line with the same structured fields as a module.
"""

from __future__ import annotations

import json

from ansible.module_utils.common.arg_spec import ArgumentSpecValidator
from ansible.module_utils.errors import UnsupportedError

from ansible_collections.iotops.aws.plugins.module_utils.connection import (
    CONNECTION_ARGUMENT_SPEC,
    CONNECTION_OPTIONS,
    HAS_BOTO3,
    iot_client,
)
from ansible_collections.iotops.aws.plugins.module_utils.errors import describe_error, secrets_in
from ansible_collections.iotops.aws.plugins.module_utils.validation import InvalidOption, apply_option_checks, option_type_error

__all__ = ["HAS_BOTO3", "ControllerAws", "TaskArgumentsError", "check_task_arg_types", "missing_boto3",
           "validate_task_args"]


class TaskArgumentsError(ValueError):
    """The task's arguments are invalid; no request was made."""


def missing_boto3(plugin_name):
    return "{0} needs the boto3 and botocore Python libraries on the controller".format(plugin_name)


def check_task_arg_types(argument_spec, args):
    """The task's arguments as plain JSON values, each of a type its option
    (or a connection option) takes; raises TaskArgumentsError naming it."""
    # Plain JSON values, as a module receives them: ansible-core's type
    # errors would otherwise name its internal string class.
    args = json.loads(json.dumps(args))
    wrong_type = option_type_error(dict(CONNECTION_ARGUMENT_SPEC, **argument_spec), args)
    if wrong_type:
        raise TaskArgumentsError(wrong_type)
    return args


def validate_task_args(plugin_name, argument_spec, args, **constraints):
    """The task's arguments checked as a module with the connection options
    and ``argument_spec`` would check them; raises TaskArgumentsError.

    ``constraints`` are ArgumentSpecValidator's (mutually_exclusive...).
    """
    args = check_task_arg_types(argument_spec, args)
    spec = dict(CONNECTION_ARGUMENT_SPEC, **argument_spec)
    validation = ArgumentSpecValidator(spec, **constraints).validate(args)
    if validation.error_messages:
        msg = validation.errors.msg
        if isinstance(validation.errors[0], UnsupportedError):
            # AnsibleModule's wording, so a task reads the same either way.
            msg = "Unsupported parameters for ({0}) module: {1}".format(plugin_name, msg)
        raise TaskArgumentsError(msg)
    params = validation.validated_parameters
    try:
        return apply_option_checks(params, argument_spec)
    except InvalidOption as exc:
        raise TaskArgumentsError(str(exc))


class ControllerAws:
    """Connection settings, to a client, to reported errors."""

    def __init__(self, settings):
        self.settings = settings
        self.secrets = secrets_in(settings)

    @classmethod
    def from_options(cls, get_option):
        """From a plugin's resolved options (``self.get_option``)."""
        return cls(dict((name, get_option(name)) for name in CONNECTION_OPTIONS))

    def client(self, retry_bounds=None):
        """The boto3 IoT client; raises ConnectionSettingsError, naming the option."""
        return iot_client(self.settings, retry_bounds)

    def error_text(self, exc, msg):
        """One line: ``msg``, the AWS error code and the request id."""
        return describe_error(exc, msg, self.secrets)
