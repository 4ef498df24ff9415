# -*- coding: utf-8 -*-
# Copyright: iotops.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""Reads of the software package catalog (packages, their versions, the
account's package configuration), shaped for plugin results.  As in
jobs_read, "not found" is None (or no items)."""

from __future__ import annotations

from ansible_collections.iotops.aws.plugins.module_utils.errors import call_api
from ansible_collections.iotops.aws.plugins.module_utils.jobs_read import _paged, when_missing
from ansible_collections.iotops.aws.plugins.module_utils.shaping import snake_case

# Keys every described package and version has, whether or not AWS returned them.
PACKAGE_KEYS = ("package_name", "package_arn", "description", "default_version_name", "creation_date", "last_modified_date")
VERSION_KEYS = ("package_version_arn", "package_name", "version_name", "description", "attributes", "artifact", "recipe",
                "status", "error_reason", "sbom", "sbom_validation_status", "creation_date", "last_modified_date")
# ListPackages' and ListPackageVersions' largest page.
CATALOG_PAGE_SIZE = 100


def _item(answer, keys):
    item = dict.fromkeys(keys)
    item.update(snake_case(dict((key, value) for key, value in answer.items() if key != "ResponseMetadata")))
    return item


@when_missing()
def get_package(client, name):
    """GetPackage's answer shaped, or None when there is no such package."""
    return _item(call_api(client.get_package, "GetPackage", packageName=name), PACKAGE_KEYS)


@when_missing()
def get_package_version(client, package, version):
    """GetPackageVersion's answer shaped, or None when
    the package or the version does not exist."""
    answer = call_api(client.get_package_version, "GetPackageVersion", packageName=package, versionName=version)
    return _item(answer, VERSION_KEYS)


def list_packages(client):
    """Every package's summary, shaped, all pages."""
    for summary in _paged(client, "list_packages", "packageSummaries", PaginationConfig={"PageSize": CATALOG_PAGE_SIZE}):
        yield snake_case(summary)


@when_missing()
def package_versions(client, package, status=None):
    """The summaries of the package's versions, shaped, all pages; none when
    the package does not exist."""
    kwargs = dict(packageName=package, PaginationConfig={"PageSize": CATALOG_PAGE_SIZE})
    if status is not None:
        kwargs["status"] = status
    for summary in _paged(client, "list_package_versions", "packageVersionSummaries", **kwargs):
        yield snake_case(summary)


def get_package_configuration(client):
    """The account's versionUpdateByJobsConfig as {enabled, role_arn}."""
    answer = call_api(client.get_package_configuration, "GetPackageConfiguration")
    config = answer.get("versionUpdateByJobsConfig") or {}
    return dict(enabled=bool(config.get("enabled")), role_arn=config.get("roleArn"))
