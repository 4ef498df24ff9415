# -*- coding: utf-8 -*-
# Copyright: iotops.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""What iot_job_template must do to reach the state asked of it: a pure
function of the options and of what AWS said about the template.

AWS has no UpdateJobTemplate: a template whose settings differ from the
options can only be deleted and created again, which the module does
only when asked (``replace``).  Its tags are the exception: TagResource
and UntagResource change them in place.  Only the options the user gave
are compared; within a dict option, only the suboptions given.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import List, Mapping, Optional

from ansible_collections.iotops.aws.plugins.module_utils.iot_job_options import parse_document
from ansible_collections.iotops.aws.plugins.module_utils.job_options import projected, pruned, tag_changes, tag_requests
from ansible_collections.iotops.aws.plugins.module_utils.job_template_options import (
    TEMPLATE_SETTINGS,
    create_template_request,
    template_creation_needs,
)
from ansible_collections.iotops.aws.plugins.module_utils.shaping import before_after
from ansible_collections.iotops.aws.plugins.module_utils.validation import InvalidOption

_SETTINGS = dict((setting.name, setting) for setting in TEMPLATE_SETTINGS if setting.name != "tags")
# The options compared with the template, in the order errors name them.  job_arn
# is not: AWS copies the job into the template and does not say which job it was.
COMPARED_OPTIONS = ("description", "document", "document_source", "destination_package_versions") + tuple(
    name for name in _SETTINGS if name != "description")


@dataclass
class TemplatePlan:
    """What to tell (``error``, ``message``, ``diff``) and the requests to
    send, in the order of ``writes()``; no request when ``error`` is set."""

    template_id: str
    template_arn: Optional[str] = None
    error: Optional[str] = None
    message: Optional[str] = None
    diff: dict = field(default_factory=lambda: dict(before={}, after={}))
    drift: List[str] = field(default_factory=list)
    delete: Optional[dict] = None
    create: Optional[dict] = None
    tag: Mapping[str, str] = field(default_factory=dict)
    untag: List[str] = field(default_factory=list)

    @property
    def changed(self):
        return bool(self.writes())

    def writes(self):
        """(operation, its own arguments), in order."""
        if self.error:
            return []
        requests = [("DeleteJobTemplate", self.delete), ("CreateJobTemplate", self.create)]
        return [(operation, request) for operation, request in requests + tag_requests(self.template_arn, self.tag, self.untag)
                if request]


def _comparable(option, value):
    if option == "document":
        try:
            return parse_document(value)
        except InvalidOption:
            return value  # not JSON: compared as text
    if option == "destination_package_versions":
        return sorted(value)
    if option in _SETTINGS:
        return _SETTINGS[option].comparable(value)
    return pruned(value)


def current_settings(template):
    """The template's settings in iot_job_template's option names, those it has.

    ``template`` is DescribeJobTemplate's answer shaped (templates_read)."""
    settings = dict(document=template.get("document"), document_source=template.get("document_source"),
                    destination_package_versions=template.get("destination_package_versions") or None)
    for name, setting in _SETTINGS.items():
        settings[name] = setting.from_job(template)
    return dict((option, _comparable(option, value)) for option, value in settings.items() if value is not None)


def desired_settings(params):
    """The settings the options ask for, in option names; unset options are left out."""
    return dict((option, _comparable(option, params[option])) for option in COMPARED_OPTIONS if params.get(option) is not None)


def _differs(option, current, desired):
    if option == "document" or current is None:
        return current != desired
    return projected(current, desired) != desired


def _wanted_tags(params, have):
    """The tags the template should end with; None when O(tags) is not given."""
    if params.get("tags") is None:
        return None
    if params.get("purge_tags", True):
        return dict(params["tags"])
    return dict(have or {}, **params["tags"])


def plan_present(params, template=None, tags=None):
    """The plan for state=present.

    ``template`` is DescribeJobTemplate's answer shaped, None when there is
    no such template; ``tags`` its ListTagsForResource dict.
    """
    template_id = params["job_template_id"]
    desired = desired_settings(params)
    wanted_tags = _wanted_tags(params, tags)
    if template is None:
        needs = template_creation_needs(params)
        if needs:
            return TemplatePlan(template_id, error=needs)
        after = dict(desired, tags=wanted_tags) if wanted_tags else desired
        return TemplatePlan(template_id, create=create_template_request(params), diff=before_after({}, after))

    current = current_settings(template)
    plan = TemplatePlan(template_id, template_arn=template.get("job_template_arn"))
    plan.drift = [option for option in COMPARED_OPTIONS if option in desired and _differs(option, current.get(option), desired[option])]
    if plan.drift and params.get("replace"):
        kept_tags = wanted_tags if wanted_tags is not None else tags
        plan.delete = dict(jobTemplateId=template_id)
        plan.create = create_template_request(params, tags=kept_tags)
        plan.message = "job template {0!r} replaced: its {1} differed".format(template_id, ", ".join(plan.drift))
        before, after = dict(current), dict(desired)
        if tags:
            before["tags"] = dict(tags)
        if kept_tags:
            after["tags"] = dict(kept_tags)
        plan.diff = dict(before=before, after=after)  # both templates whole: the new one is made anew
        return plan
    if plan.drift:
        plan.error = ("job template {0!r} exists with a different {1}, and AWS cannot update a template: "
                      "set replace=true to delete and recreate it (jobs created from it keep their settings)".format(
                          template_id, ", ".join(plan.drift)))
        return plan

    before = dict((option, projected(current.get(option), value) if option != "document" else current.get(option))
                  for option, value in desired.items())
    after = dict(desired)
    if wanted_tags is not None:
        plan.tag, plan.untag = tag_changes(tags, wanted_tags)
        before["tags"], after["tags"] = dict(tags or {}), wanted_tags
    plan.diff = before_after(before, after)
    return plan


def plan_absent(template_id, template=None, tags=None):
    """The plan for state=absent: delete the template when there is one."""
    if template is None:
        return TemplatePlan(template_id)
    before = current_settings(template)
    if tags:
        before["tags"] = dict(tags)
    return TemplatePlan(template_id, template_arn=template.get("job_template_arn"), delete=dict(jobTemplateId=template_id),
                        diff=before_after(before, {}))
