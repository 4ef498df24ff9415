# -*- coding: utf-8 -*-
# Copyright: iotops.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""The options of the settings a job shares with a job template
(module_utils/job_options.py), documented once for iot_job and
iot_job_template."""

from __future__ import annotations


class ModuleDocFragment:
    DOCUMENTATION = r"""
options:
  rollout:
    description:
      - How fast AWS notifies the targets (C(jobExecutionsRolloutConfig)). Give exactly one of
        O(rollout.maximum_per_minute) and O(rollout.exponential_rate).
    type: dict
    suboptions:
      maximum_per_minute:
        description:
          - At most this many things are notified per minute (C(maximumPerMinute)), 1 to 1,000.
        type: int
      exponential_rate:
        description:
          - A rate that starts low and grows (C(exponentialRate)).
        type: dict
        suboptions:
          base_rate_per_minute:
            description: Things notified per minute at the start (C(baseRatePerMinute)), 1 to 1,000.
            type: int
            required: true
          increment_factor:
            description: The factor the rate grows by each time the criterion is met (C(incrementFactor)), 1.1 to 5.
            type: float
            required: true
          rate_increase_criteria:
            description:
              - When the rate grows (C(rateIncreaseCriteria)). Give exactly one of the two suboptions.
            type: dict
            required: true
            suboptions:
              number_of_notified_things:
                description: After this many more things were notified (C(numberOfNotifiedThings)), 1 or more.
                type: int
              number_of_succeeded_things:
                description: After this many more things succeeded (C(numberOfSucceededThings)), 1 or more.
                type: int
  abort:
    description:
      - When AWS cancels the whole job on its own (C(abortConfig.criteriaList)); at least one criterion, at most one
        per failure type. A criterion is checked once O(abort[].min_number_of_executed_things) executions are done.
      - An abort sets the job's C(reasonCode) and C(comment), as O(state=canceled) does.
    type: list
    elements: dict
    suboptions:
      failure_type:
        description: The execution outcome counted (C(failureType)).
        type: str
        required: true
        choices: [FAILED, REJECTED, TIMED_OUT, ALL]
      action:
        description: What AWS does (C(action)); V(CANCEL) is the only action AWS has.
        type: str
        choices: [CANCEL]
        default: CANCEL
      threshold_percentage:
        description:
          - The share of done executions with that outcome that aborts the job (C(thresholdPercentage)), more than 0
            and at most 100, with at most two decimals.
        type: float
        required: true
      min_number_of_executed_things:
        description: How many executions must be done before the criterion is checked (C(minNumberOfExecutedThings)), 1 or more.
        type: int
        required: true
  in_progress_timeout_minutes:
    description:
      - An execution still V(IN_PROGRESS) after this many minutes becomes V(TIMED_OUT)
        (C(timeoutConfig.inProgressTimeoutInMinutes)); 1 to 10,080 (7 days).
    type: int
  retry:
    description:
      - How often AWS retries a device's failed execution (C(jobExecutionsRetryConfig.criteriaList)); 1 or 2
        criteria, at most one per failure type, at most 10 retries in total.
    type: list
    elements: dict
    suboptions:
      failure_type:
        description: The outcome that is retried (C(failureType)).
        type: str
        required: true
        choices: [FAILED, TIMED_OUT, ALL]
      number_of_retries:
        description: Retries per device (C(numberOfRetries)), 0 to 10.
        type: int
        required: true
  presigned_url:
    description:
      - The role AWS uses to presign the S3 URLs in the job document (C(presignedUrlConfig)).
    type: dict
    suboptions:
      role_arn:
        description: The IAM role that grants access to the S3 objects (C(roleArn)), 20 to 2,048 characters.
        type: str
        required: true
      expires_in_sec:
        description:
          - How long a presigned URL stays valid, in seconds (C(expiresInSec)), 60 to 3,600.
          - The default is AWS's own, so a job created without it compares equal.
        type: int
        default: 3600
"""
