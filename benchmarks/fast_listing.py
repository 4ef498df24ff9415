"""A faster ListJobExecutionsForJob for moto, so a 100,000-device fleet can be listed.

moto answers each page by building the whole filtered list again and then
searching it for the token's item with a string compare per item, so
listing N executions costs about N * N / 500 compares: 5 s for 10,000 on
this machine, minutes for 100,000, all of it under the simulator's lock.
This answers the same pages in the same order (moto's insertion order of
the executions; checked page by page against moto's own) but resumes from
a position carried in the token instead of searching.

Only the benchmark installs it; the tests keep moto's own pagination.
"""

from __future__ import annotations

import base64
import json

from moto.core.exceptions import InvalidToken
from moto.iot import models as iot_models

_DEFAULT_PAGE = 100  # moto's default when maxResults is absent


def _encode(job_id, status, position):
    text = json.dumps({"job": job_id, "status": status, "position": position})
    return base64.urlsafe_b64encode(text.encode()).decode()


def _decode(token, job_id, status):
    try:
        fields = json.loads(base64.urlsafe_b64decode(token.encode()))
        position = int(fields["position"])
    except (ValueError, KeyError, TypeError):
        raise InvalidToken("Invalid token")
    if fields.get("job") != job_id or fields.get("status") != status:
        raise InvalidToken("Input inconsistent with page token")
    return position


def list_job_executions_for_job(self, job_id, status=None, max_results=None, token=None):
    """Same signature and result as moto's paginated backend method."""
    limit = int(max_results or _DEFAULT_PAGE)
    executions = self.job_executions
    # Executions are only added or replaced in place, never removed, so a
    # position in this order stays valid between pages.
    keys = [key for key in executions if key[0] == job_id]
    position = _decode(token, job_id, status) if token else 0
    page = []
    while position < len(keys) and len(page) < limit:
        execution = executions[keys[position]]
        if not status or execution.status == status:
            page.append(execution)
        position += 1
    if status:
        # Skip to the next match, so the last page is never an empty one.
        while position < len(keys) and executions[keys[position]].status != status:
            position += 1
    next_token = _encode(job_id, status, position) if position < len(keys) else None
    return page, next_token


def install():
    iot_models.IoTBackend.list_job_executions_for_job = list_job_executions_for_job
