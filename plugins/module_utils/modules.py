# -*- coding: utf-8 -*-
# Copyright: iotops.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""AnsibleModule with the collection's connection options and input checks."""

from __future__ import annotations

from ansible.module_utils.basic import AnsibleModule, missing_required_lib

from ansible_collections.iotops.aws.plugins.module_utils.client import (
    CONNECTION_ARGUMENT_SPEC,
    HAS_BOTO3,
    describe_error,
    iot_client,
    secrets_in,
)
from ansible_collections.iotops.aws.plugins.module_utils.validation import InvalidOption, apply_option_checks


class IotJobsModule(AnsibleModule):
    """Adds the connection options, fails cleanly without boto3, and runs
    the shared checks on the module's own options before any request."""

    def __init__(self, argument_spec, **kwargs):
        spec = dict(CONNECTION_ARGUMENT_SPEC)
        spec.update(argument_spec)
        super().__init__(argument_spec=spec, **kwargs)
        if not HAS_BOTO3:
            self.fail_json(msg=missing_required_lib("boto3 and botocore"))
        try:
            apply_option_checks(self.params, argument_spec)
        except InvalidOption as exc:
            self.fail_json(msg=str(exc))

    def client(self, retry_bounds=None):
        try:
            return iot_client(self.params, retry_bounds)
        except ValueError as exc:
            self.fail_json(msg=str(exc))

    @property
    def secrets(self):
        return secrets_in(self.params)

    def fail_aws(self, exc, action, **result):
        self.fail_json(msg=describe_error(exc, action, self.secrets), **result)
