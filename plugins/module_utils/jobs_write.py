# -*- coding: utf-8 -*-
# Copyright: iotops.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""Writes to the AWS IoT Jobs control plane.

Unlike a read, a write to something that does not exist has failed:
every botocore error, ResourceNotFoundException included, reaches the
caller, which reports it with errors.failure (the code and request id).
An answer that is not the API's JSON raises UnexpectedResponse.
"""

from __future__ import annotations

from ansible_collections.iotops.aws.plugins.module_utils.errors import answer_member, call_api
from ansible_collections.iotops.aws.plugins.module_utils.shaping import snake_case


def _write(call, operation, **kwargs):
    kwargs = dict((key, value) for key, value in kwargs.items() if value is not None)
    return call_api(call, operation, **kwargs)


def cancel_job(client, job_id, reason_code=None, comment=None, force=False):
    """Cancel a job; returns its ``job_id``, ``job_arn`` and ``description``.

    Without ``force`` AWS cancels only the QUEUED executions; IN_PROGRESS
    ones run to their end.
    """
    response = _write(client.cancel_job, "CancelJob", jobId=job_id, reasonCode=reason_code, comment=comment,
                      force=bool(force))
    answer_member(response, "CancelJob", "jobId", str)
    return snake_case(dict((key, response.get(key)) for key in ("jobId", "jobArn", "description")))
