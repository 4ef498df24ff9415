# -*- coding: utf-8 -*-
# Copyright: iotops.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""The base of every module of the collection."""

from __future__ import annotations

from ansible.module_utils.basic import AnsibleModule, _load_params, missing_required_lib

from ansible_collections.iotops.aws.plugins.module_utils.connection import (
    CONNECTION_ARGUMENT_SPEC,
    HAS_BOTO3,
    iot_client,
)
from ansible_collections.iotops.aws.plugins.module_utils.errors import ConnectionSettingsError, failure, secrets_in
from ansible_collections.iotops.aws.plugins.module_utils.validation import InvalidOption, apply_option_checks, option_type_error


def _accepting_any_value(spec):
    """``spec`` with every option untyped and optional; aliases and no_log kept."""
    return dict((name, dict(type="raw", aliases=option.get("aliases") or [], no_log=option.get("no_log", False)))
                for name, option in spec.items())


class IotJobsModule(AnsibleModule):
    """Adds the connection options, fails cleanly without boto3, and runs
    the shared checks on the module's own options before any request.

    A value of the wrong type fails with one line that names the option and
    the type it takes: the raw values are checked against the spec's types
    before Ansible's validator, whose message would quote Python's error
    text.  The module is then set up to accept any value, only to fail."""

    def __init__(self, argument_spec, **kwargs):
        spec = dict(CONNECTION_ARGUMENT_SPEC)
        spec.update(argument_spec)
        # ansible-test's introspection of argument specs gives no parameters.
        wrong_type = option_type_error(spec, _load_params() or {})
        if wrong_type:
            super().__init__(argument_spec=_accepting_any_value(spec), supports_check_mode=True)
            self.fail_json(msg=wrong_type)
        super().__init__(argument_spec=spec, **kwargs)
        if not HAS_BOTO3:
            self.fail_json(msg=missing_required_lib("boto3 and botocore"))
        try:
            apply_option_checks(self.params, argument_spec)
        except InvalidOption as exc:
            self.fail_json(msg=str(exc))

    def client(self, retry_bounds=None):
        """The boto3 IoT client; bad connection options fail the task, naming the option."""
        try:
            return iot_client(self.params, retry_bounds)
        except ConnectionSettingsError as exc:
            self.fail_json(msg=str(exc))

    def checked(self, check):
        """Run ``check`` on the module's options before any request; its
        InvalidOption fails the task with that one line."""
        try:
            return check(self.params)
        except InvalidOption as exc:
            self.fail_json(msg=str(exc))

    @property
    def secrets(self):
        return secrets_in(self.params)

    def fail_json_aws(self, exc, msg, **result):
        """Fail with ``msg`` made one line with the AWS error code and request id,
        plus ``error`` and ``response_metadata`` as amazon.aws's modules return them."""
        fields = failure(exc, msg, self.secrets)
        fields.pop("failed")
        fields.update(result)
        self.fail_json(**fields)

    def exit_planned(self, plan, **result):
        """Exit a write-side module with ``result``, its plan's ``message`` as
        ``msg`` and, under --diff, the plan's before and after."""
        if plan.message:
            result["msg"] = plan.message
        if self._diff:
            result["diff"] = plan.diff
        self.exit_json(**result)

    def exit_with(self, result):
        """Exit with a result dict from shared code, failing when it says so."""
        result = dict(result)
        if result.pop("failed", False):
            self.fail_json(**result)
        self.exit_json(**result)
