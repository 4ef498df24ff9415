# -*- coding: utf-8 -*-
# Copyright: iotops.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""The AWS IoT Jobs words the collection uses: statuses and their groups.

Options' choices, the gate's rules and the result shaping all take their
statuses from here, so a status AWS adds is added once.
"""

from __future__ import annotations

JOB_EXECUTION_STATUSES = ("QUEUED", "IN_PROGRESS", "SUCCEEDED", "FAILED", "TIMED_OUT", "REJECTED", "REMOVED", "CANCELED")
PENDING_STATUSES = frozenset(("QUEUED", "IN_PROGRESS"))
TERMINAL_STATUSES = frozenset(JOB_EXECUTION_STATUSES) - PENDING_STATUSES
# The failure types a job's jobExecutionsRetryConfig can retry.
RETRYABLE_STATUSES = frozenset(("FAILED", "TIMED_OUT"))
