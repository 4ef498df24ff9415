# -*- coding: utf-8 -*-
# Copyright: iotops.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""What iot_package and iot_package_configuration must do to reach the
state asked of them: pure functions of the options and of what AWS said.

A package's description and default version change with UpdatePackage
(a default is set or unset, never both in one call), its tags with
TagResource and UntagResource.  Only a published or deprecated version
can be the default.  AWS deletes a package only once it has no
versions, and a version only once it is not the default: so deleting a
package with versions unsets the default, deletes each version, then
the package.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import List, Optional, Tuple

from ansible_collections.iotops.aws.plugins.module_utils.job_options import tag_changes, tag_requests
from ansible_collections.iotops.aws.plugins.module_utils.package_lifecycle import DEFAULTABLE
from ansible_collections.iotops.aws.plugins.module_utils.shaping import before_after
from ansible_collections.iotops.aws.plugins.module_utils.vocabulary import PACKAGE_DRAFT


def _no_change():
    return dict(before={}, after={})


@dataclass
class PackagePlan:
    """The requests that bring one package to the options, in the order of
    ``writes()``, and what to tell; no request when ``error`` is set."""

    package: str
    create: Optional[dict] = None
    update: Optional[dict] = None
    # TagResource and UntagResource, as job_options.tag_requests gives them.
    tagging: List[Tuple[str, Optional[dict]]] = field(default_factory=list)
    versions_to_delete: List[str] = field(default_factory=list)
    delete: Optional[dict] = None
    diff: dict = field(default_factory=_no_change)
    error: Optional[str] = None
    message: Optional[str] = None

    def writes(self):
        """(operation, its own arguments), in order.  A new package gets its
        tags with CreatePackage; the versions go before their package."""
        if self.error:
            return []
        requests = [("CreatePackage", self.create), ("UpdatePackage", self.update)] + self.tagging
        requests.extend(("DeletePackageVersion", dict(packageName=self.package, versionName=version))
                        for version in self.versions_to_delete)
        requests.append(("DeletePackage", self.delete))
        return [(operation, request) for operation, request in requests if request]

    @property
    def changed(self):
        return bool(self.writes())


def _default_problem(package, version_name, version):
    """Why ``version`` (GetPackageVersion's answer shaped, None: missing)
    cannot be the package's default; None when it can."""
    if version is None:
        return "default_version: package {0!r} has no version {1!r}: create it with iot_package_version first".format(
            package, version_name)
    status = version.get("status")
    if status in DEFAULTABLE:
        return None
    if status == PACKAGE_DRAFT:
        return ("default_version: version {0!r} of package {1!r} is a draft, and only a published or deprecated version "
                "can be the default: publish it first".format(version_name, package))
    return "default_version: version {0!r} of package {1!r} is {2}, and cannot be the default".format(
        version_name, package, status)


def _shown_package(package, tags):
    """The package as the diff shows it, in the module's option names."""
    shown = dict(description=package.get("description"), default_version=package.get("default_version_name"))
    shown["tags"] = dict(tags or {})
    return dict((key, value) for key, value in shown.items() if value not in (None, {}))


def _create(params):
    """The plan for a package that does not exist."""
    name = params["name"]
    if params.get("default_version") is not None:
        return PackagePlan(name, error=_default_problem(name, params["default_version"], None))
    request = dict(packageName=name)
    if params.get("description") is not None:
        request["description"] = params["description"]
    if params.get("tags"):
        request["tags"] = dict(params["tags"])  # CreatePackage takes a map, not TagResource's list
    after = _shown_package(dict(description=params.get("description")), params.get("tags"))
    return PackagePlan(name, create=request, diff=before_after({}, after))


def plan_present(params, package=None, tags=None, default_version=None):
    """The plan for state=present.

    ``package`` is GetPackage's answer shaped (None: no package), ``tags``
    its tags; ``default_version`` is GetPackageVersion's answer for
    O(default_version) when that differs from the package's default
    (None: no such version)."""
    if package is None:
        return _create(params)
    name = params["name"]
    plan = PackagePlan(name)
    current_default = package.get("default_version_name")
    changes = {}
    if params.get("description") is not None and params["description"] != (package.get("description") or ""):
        changes["description"] = params["description"]
    wanted_default = params.get("default_version")
    if wanted_default is not None and wanted_default != current_default:
        plan.error = _default_problem(name, wanted_default, default_version)
        if plan.error:
            return plan
        changes["defaultVersionName"] = wanted_default
    elif params.get("unset_default_version") and current_default is not None:
        changes["unsetDefaultVersion"] = True
    if changes:
        plan.update = dict(changes, packageName=name)
    wanted_tags = tags
    if params.get("tags") is not None:
        wanted_tags = dict(params["tags"]) if params.get("purge_tags", True) else dict(tags or {}, **params["tags"])
        plan.tagging = tag_requests(package.get("package_arn"), *tag_changes(tags, wanted_tags))
    default_after = None if changes.get("unsetDefaultVersion") else changes.get("defaultVersionName", current_default)
    after = dict(package, description=changes.get("description", package.get("description")),
                 default_version_name=default_after)
    plan.diff = before_after(_shown_package(package, tags), _shown_package(after, wanted_tags))
    return plan


def plan_absent(name, package=None, versions=(), force=False):
    """The plan for state=absent.  ``versions`` are the package's version
    names; deleting them too takes ``force``."""
    if package is None:
        return PackagePlan(name)
    versions = list(versions)
    if versions and not force:
        return PackagePlan(name, error="force: package {0!r} has {1} version{2} ({3}), and AWS deletes only a package "
                           "without versions: set force=true to delete them too, or delete them first".format(
                               name, len(versions), "" if len(versions) == 1 else "s", ", ".join(versions)))
    plan = PackagePlan(name, versions_to_delete=versions, delete=dict(packageName=name))
    if versions and package.get("default_version_name") is not None:
        plan.update = dict(packageName=name, unsetDefaultVersion=True)
    before = _shown_package(package, None)
    if versions:
        before["versions"] = versions
    plan.diff = dict(before=before, after={})
    return plan


@dataclass
class ConfigurationPlan:
    """The account's package configuration: one UpdatePackageConfiguration, or none."""

    update: Optional[dict] = None
    diff: dict = field(default_factory=_no_change)
    error: Optional[str] = None
    message: Optional[str] = None

    def writes(self):
        return [("UpdatePackageConfiguration", self.update)] if self.update else []

    @property
    def changed(self):
        return bool(self.update)


def plan_configuration(wanted, current):
    """The plan that brings ``current`` ({enabled, role_arn}, as
    packages_read reads it) to O(version_update_by_jobs) ``wanted``.  A
    role left unset is kept: the request sends the current one again."""
    after = dict(current, enabled=wanted["enabled"])
    if wanted.get("role_arn") is not None:
        after["role_arn"] = wanted["role_arn"]
    if after == current:
        return ConfigurationPlan()
    config = dict(enabled=after["enabled"])
    if after["role_arn"] is not None:
        config["roleArn"] = after["role_arn"]  # the request replaces the whole config, role included
    return ConfigurationPlan(update=dict(versionUpdateByJobsConfig=config),
                             diff=before_after(dict(version_update_by_jobs=current), dict(version_update_by_jobs=after)))
