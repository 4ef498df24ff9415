# -*- coding: utf-8 -*-
# Copyright: iotops.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""What iot_package_version must send to bring one package version to the
state asked: a pure function of the options and of what AWS said about
the package, the version and its tags.

The lifecycle decides (package_lifecycle): a new version is a draft, so
the task's status is reached from there; settings are changed while the
version still has the status that allows it, and the move comes after.
Everything the lifecycle forbids is one error before any request.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import List, Optional, Tuple

from ansible_collections.iotops.aws.plugins.module_utils.job_options import projected, tag_changes, tag_requests
from ansible_collections.iotops.aws.plugins.module_utils.package_lifecycle import CREATED_AS, ForbiddenMove, action_for, frozen
from ansible_collections.iotops.aws.plugins.module_utils.package_version_options import artifact_member, wanted_status
from ansible_collections.iotops.aws.plugins.module_utils.shaping import before_after

# The settings UpdatePackageVersion changes, in the options' names.
SETTINGS = ("description", "attributes", "artifact", "recipe")


@dataclass
class VersionPlan:
    """The requests to send, in order, as (operation, its arguments); none
    when ``error`` says why the task cannot be done."""

    requests: List[Tuple[str, dict]] = field(default_factory=list)
    error: Optional[str] = None
    diff: dict = field(default_factory=lambda: dict(before={}, after={}))
    message: Optional[str] = None

    def writes(self):
        """(operation, its own arguments), in order; none when there is an error."""
        return [] if self.error else list(self.requests)

    @property
    def changed(self):
        return bool(self.writes())


def _label(params):
    return "version {0!r} of package {1!r}".format(params["version"], params["package"])


def _named(params, **members):
    return dict(packageName=params["package"], versionName=params["version"], **members)


def _as_options(version):
    """A shaped version in the options' names and forms, unset ones left out."""
    found = dict(description=version.get("description"), attributes=version.get("attributes") or None,
                 artifact=(version.get("artifact") or {}).get("s3_location"), recipe=version.get("recipe"),
                 status=(version.get("status") or "").lower() or None)
    return dict((option, value) for option, value in found.items() if value is not None)


def _members(settings):
    """UpdatePackageVersion's (or CreatePackageVersion's) members for these settings."""
    members = dict(settings)
    if "artifact" in members:
        members["artifact"] = artifact_member(members["artifact"])
    return members


def _given(params, current_attributes=None):
    """The settings the task sets, in the options' forms; attributes not
    purged keep the version's others."""
    given = dict((option, params[option]) for option in SETTINGS if params.get(option) is not None)
    if "attributes" in given and not params.get("purge_attributes", True):
        given["attributes"] = dict(current_attributes or {}, **given["attributes"])
    if "artifact" in given:
        given["artifact"] = dict((part, value) for part, value in given["artifact"].items() if value is not None)
    return given


def _differs(option, have, want):
    if option == "attributes":
        return (have or {}) != want
    # An artifact's unset S3 version means "any", not "none".
    return (projected(have, want) if option == "artifact" else have) != want


def _plan_create(params):
    status = wanted_status(params) or CREATED_AS
    try:
        action = action_for(CREATED_AS, status)
    except ForbiddenMove as exc:
        return VersionPlan(error="status: {0} does not exist, and a new version is a {1}: {2}".format(
            _label(params), CREATED_AS.lower(), exc))
    given = _given(params)
    create = _named(params, **_members(given))
    if params.get("tags"):
        create["tags"] = dict(params["tags"])
    requests = [("CreatePackageVersion", create)]
    if action:
        requests.append(("UpdatePackageVersion", _named(params, action=action)))
    after = dict(given, status=status.lower())
    if params.get("tags"):
        after["tags"] = dict(params["tags"])
    return VersionPlan(requests, diff=before_after({}, after))


def _plan_update(params, version, tags):
    have = _as_options(version)
    status = version.get("status")
    wanted = _given(params, version.get("attributes"))
    changes = dict((option, value) for option, value in wanted.items() if _differs(option, have.get(option), value))
    problems = [frozen(status, list(changes), _label(params))]
    target = wanted_status(params)
    action = None
    try:
        action = action_for(status, target) if target else None
    except ForbiddenMove as exc:
        problems.append("status: {0}: {1}".format(_label(params), exc))
    error = "; ".join(problem for problem in problems if problem)
    if error:
        return VersionPlan(error=error)
    requests = [("UpdatePackageVersion", _named(params, **_members(changes)))] if changes else []
    if action:
        requests.append(("UpdatePackageVersion", _named(params, action=action)))
    before, after = dict(have), dict(have, **changes)
    if action:
        after["status"] = target.lower()
    if params.get("tags") is not None:
        wanted_tags = dict(params["tags"]) if params.get("purge_tags", True) else dict(tags, **params["tags"])
        tag, untag = tag_changes(tags, wanted_tags)
        requests += [request for request in tag_requests(version.get("package_version_arn"), tag, untag) if request[1]]
        before["tags"], after["tags"] = dict(tags), wanted_tags
    return VersionPlan(requests, diff=before_after(before, after))


def plan_present(params, package, version=None, tags=None, location=""):
    """The plan for state=present.  ``package`` and ``version`` are GetPackage's
    and GetPackageVersion's answers shaped (None: there is none), ``tags``
    the version's; ``location`` says where the package was looked for."""
    if package is None:
        return VersionPlan(error="package: {0!r} does not exist{1}: create it with iot_package first".format(
            params["package"], " " + location if location else ""))
    if version is None:
        return _plan_create(params)
    return _plan_update(params, version, tags or {})


def plan_absent(params, package=None, version=None):
    """The plan for state=absent: delete the version, unless it is its package's default."""
    if version is None:
        return VersionPlan()
    if (package or {}).get("default_version_name") == params["version"]:
        return VersionPlan(error="state: {0} is the package's default version, which AWS does not delete: set another "
                                 "default_version, or unset_default_version, with iot_package first".format(_label(params)))
    return VersionPlan([("DeletePackageVersion", _named(params))], diff=before_after(_as_options(version), {}))
