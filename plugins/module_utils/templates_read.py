# -*- coding: utf-8 -*-
# Copyright: iotops.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""Reads of job templates, the account's own and AWS's managed ones,
shaped for plugin results.  As in jobs_read, "not found" is None."""

from __future__ import annotations

from ansible_collections.iotops.aws.plugins.module_utils.errors import call_api
from ansible_collections.iotops.aws.plugins.module_utils.jobs_read import PAGE_SIZE, _paged, when_missing
from ansible_collections.iotops.aws.plugins.module_utils.shaping import snake_case

# Keys every template item has, whether or not AWS returned them.
TEMPLATE_KEYS = ("job_template_id", "job_template_arn", "description", "document", "document_source", "created_at",
                 "presigned_url_config", "job_executions_rollout_config", "abort_config", "timeout_config",
                 "job_executions_retry_config", "maintenance_windows", "destination_package_versions")


def _item(answer, keys=TEMPLATE_KEYS):
    item = dict.fromkeys(keys)
    item.update(snake_case(dict((key, value) for key, value in answer.items() if key != "ResponseMetadata")))
    return item


@when_missing()
def describe_job_template(client, template_id):
    """DescribeJobTemplate's answer shaped, or None when there is no such template."""
    return _item(call_api(client.describe_job_template, "DescribeJobTemplate", jobTemplateId=template_id))


def list_job_templates(client):
    """The account's templates' summaries, shaped, all pages."""
    for summary in _paged(client, "list_job_templates", "jobTemplates", PaginationConfig={"PageSize": PAGE_SIZE}):
        yield snake_case(summary)


@when_missing()
def describe_managed_job_template(client, name, version=None):
    """An AWS managed template, shaped (its ``document_parameters`` as AWS lists them), or None."""
    kwargs = dict(templateName=name)
    if version is not None:
        kwargs["templateVersion"] = version
    answer = call_api(client.describe_managed_job_template, "DescribeManagedJobTemplate", **kwargs)
    answer = dict(answer, documentParameters=[snake_case(parameter) for parameter in answer.get("documentParameters") or []])
    return _item(answer, ("template_name", "template_arn", "template_version", "description", "environments",
                          "document_parameters", "document"))


def list_managed_job_templates(client, name=None):
    """AWS's managed templates' summaries (of one name's versions, with ``name``), all pages."""
    kwargs = dict(PaginationConfig={"PageSize": PAGE_SIZE})
    if name is not None:
        kwargs["templateName"] = name
    for summary in _paged(client, "list_managed_job_templates", "managedJobTemplates", **kwargs):
        yield snake_case(summary)
