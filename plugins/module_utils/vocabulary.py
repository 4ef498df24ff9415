# -*- coding: utf-8 -*-
# Copyright: iotops.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""The AWS IoT Jobs words the collection uses: statuses and their groups.

Options' choices, the gate's rules, the plans and the result shaping all
take their statuses from here, so a status AWS adds is added once.
"""

from __future__ import annotations

# A job execution's status (JobExecutionStatus).
EXECUTION_QUEUED = "QUEUED"
EXECUTION_IN_PROGRESS = "IN_PROGRESS"
EXECUTION_SUCCEEDED = "SUCCEEDED"
EXECUTION_FAILED = "FAILED"
EXECUTION_TIMED_OUT = "TIMED_OUT"
EXECUTION_REJECTED = "REJECTED"
EXECUTION_REMOVED = "REMOVED"
EXECUTION_CANCELED = "CANCELED"

JOB_EXECUTION_STATUSES = (EXECUTION_QUEUED, EXECUTION_IN_PROGRESS, EXECUTION_SUCCEEDED, EXECUTION_FAILED,
                          EXECUTION_TIMED_OUT, EXECUTION_REJECTED, EXECUTION_REMOVED, EXECUTION_CANCELED)
PENDING_STATUSES = frozenset((EXECUTION_QUEUED, EXECUTION_IN_PROGRESS))
TERMINAL_STATUSES = frozenset(JOB_EXECUTION_STATUSES) - PENDING_STATUSES
# Every way an execution can end other than in success.
UNSUCCESSFUL_STATUSES = TERMINAL_STATUSES - {EXECUTION_SUCCEEDED}
# The failure types a job's jobExecutionsRetryConfig can retry.
RETRYABLE_STATUSES = frozenset((EXECUTION_FAILED, EXECUTION_TIMED_OUT))

# A job's status (JobStatus).
JOB_SCHEDULED = "SCHEDULED"
JOB_IN_PROGRESS = "IN_PROGRESS"
JOB_COMPLETED = "COMPLETED"
JOB_CANCELED = "CANCELED"
JOB_DELETION_IN_PROGRESS = "DELETION_IN_PROGRESS"

# Job statuses after which AWS neither creates nor retries executions.
# SCHEDULED is not one: the job has not started, or waits for its next
# maintenance window, and will roll out (and retry) again.
FINISHED_JOB_STATUSES = (JOB_COMPLETED, JOB_CANCELED, JOB_DELETION_IN_PROGRESS)
# Job statuses in which executions may still run.
RUNNING_JOB_STATUSES = (JOB_IN_PROGRESS, JOB_SCHEDULED)

# A software package version's status (PackageVersionStatus) and the
# UpdatePackageVersion actions that move it (PackageVersionAction).
PACKAGE_DRAFT = "DRAFT"
PACKAGE_PUBLISHED = "PUBLISHED"
PACKAGE_DEPRECATED = "DEPRECATED"
PACKAGE_VERSION_STATUSES = (PACKAGE_DRAFT, PACKAGE_PUBLISHED, PACKAGE_DEPRECATED)
PACKAGE_PUBLISH = "PUBLISH"
PACKAGE_DEPRECATE = "DEPRECATE"
