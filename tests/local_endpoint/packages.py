"""AWS IoT's software package catalog, which moto 5.2 lacks.

Packages, their versions along AWS's package version lifecycle, and the
account's package configuration, kept per backend (account and region) so
that a reset drops them.  moto routes every IoT operation of botocore's
model to the IoTResponse method of its snake_case name: these functions
(installed by writes.install) are those methods.

Every write honours ``clientToken`` as AWS documents: the same token again
is answered as the first time, and writes nothing.

Where AWS documents a rule but not the error's message, the message here is
the simulator's; the codes are those of the API reference.
"""

from __future__ import annotations

import json
import re

from moto.core.responses import ActionResult, EmptyResult
from moto.core.utils import utcnow
from moto.iot.exceptions import InvalidRequestException, ResourceNotFoundException
from moto.iot.responses import IoTResponse

from local_endpoint.patching import AwsError, install_patches

DRAFT, PUBLISHED, DEPRECATED = "DRAFT", "PUBLISHED", "DEPRECATED"
STATUSES = (DRAFT, PUBLISHED, DEPRECATED)
# UpdatePackageVersion's action: the statuses it moves from, and to.
MOVES = {"PUBLISH": ((DRAFT, DEPRECATED), PUBLISHED), "DEPRECATE": ((PUBLISHED,), DEPRECATED)}
# What a published or deprecated version keeps: only description and tags change.
FROZEN_FIELDS = ("attributes", "artifact", "recipe")
DEPLOYABLE = (PUBLISHED, DEPRECATED)
PACKAGE_NAME = re.compile(r"[a-zA-Z0-9_.-]{1,128}")
VERSION_NAME = re.compile(r"[a-zA-Z0-9_.-]{1,64}")
VERSION_ARN = re.compile(r"arn:aws[a-z-]*:iot:([a-z0-9-]+):(\d{12}):package/([^/]+)/version/([^/]+)")
MAX_PAGE = 100


class ValidationException(AwsError):
    code = 400


class ConflictException(AwsError):
    code = 409


# -- state kept beside moto's -------------------------------------------------
class Catalog:
    """One account's and region's packages, versions and configuration."""

    def __init__(self):
        self.packages: dict[str, dict] = {}
        self.versions: dict[tuple[str, str], dict] = {}
        self.configuration: dict = {"enabled": False}
        # (operation, resource, clientToken) -> the first answer
        self.answers: dict[tuple, dict] = {}

    def versions_of(self, package: str) -> list[dict]:
        return [version for key, version in self.versions.items() if key[0] == package]


def catalog_of(backend) -> Catalog:
    """The backend's catalog; kept on the backend so that a reset drops it."""
    return backend.__dict__.setdefault("_iotops_packages", Catalog())


def package_arn(region: str, account: str, package: str) -> str:
    return "arn:aws:iot:{0}:{1}:package/{2}".format(region, account, package)


def version_arn(region: str, account: str, package: str, version: str) -> str:
    return "{0}/version/{1}".format(package_arn(region, account, package), version)


def _missing_package(name: str) -> ResourceNotFoundException:
    return ResourceNotFoundException("Package {0} does not exist.".format(name))


def _missing_version(package: str, version: str) -> ResourceNotFoundException:
    return ResourceNotFoundException("Package version {0}/{1} does not exist.".format(package, version))


def _package(catalog: Catalog, name: str) -> dict:
    package = catalog.packages.get(name)
    if package is None:
        raise _missing_package(name)
    return package


def _version(catalog: Catalog, package: str, version: str) -> dict:
    _package(catalog, package)
    found = catalog.versions.get((package, version))
    if found is None:
        raise _missing_version(package, version)
    return found


def require_package_resource(backend, arn: str) -> None:
    """For tagging: a package or package version ARN must name one that exists."""
    if ":package/" not in arn:
        return
    catalog = catalog_of(backend)
    path = arn.split(":package/", 1)[1]
    package, version = path.partition("/version/")[::2]
    exists = package in catalog.packages and (not version or (package, version) in catalog.versions)
    if not exists or not arn.startswith(package_arn(backend.region_name, backend.account_id, "")):
        raise ResourceNotFoundException("Resource {0} does not exist.".format(arn))


def check_deployable(backend, arns) -> None:
    """CreateJob's destinationPackageVersions: AWS deploys only versions
    that exist and are PUBLISHED or DEPRECATED."""
    catalog = catalog_of(backend)
    for arn in arns or []:
        match = VERSION_ARN.fullmatch(arn)
        if match is None:
            raise InvalidRequestException("destinationPackageVersions: {0} is not a package version ARN.".format(arn))
        region, account, package, version = match.groups()
        found = catalog.versions.get((package, version))
        if found is None or (region, account) != (backend.region_name, backend.account_id):
            raise InvalidRequestException(
                "destinationPackageVersions: package version {0} does not exist.".format(arn))
        if found["status"] not in DEPLOYABLE:
            raise InvalidRequestException(
                "destinationPackageVersions: package version {0} is {1}; a job deploys only a PUBLISHED or "
                "DEPRECATED version.".format(arn, found["status"]))


def deployed_versions(arns) -> dict[str, str]:
    """{package: version} of a job's destinationPackageVersions."""
    named = (VERSION_ARN.fullmatch(arn) for arn in arns or [])
    return {match.group(3): match.group(4) for match in named if match}


def updates_shadows(backend) -> bool:
    """Whether the account lets jobs update each thing's $package shadow:
    enabled, with the role that grants the jobs service the permission."""
    config = catalog_of(backend).configuration
    return bool(config.get("enabled") and config.get("roleArn"))


# -- request helpers ------------------------------------------------------------
def _check_name(value: str, pattern: re.Pattern, what: str) -> str:
    if not isinstance(value, str) or not pattern.fullmatch(value):
        raise ValidationException("{0} {1!r} must match {2}.".format(what, value, pattern.pattern))
    return value


def _package_name(response: IoTResponse) -> str:
    return _check_name(response._get_param("packageName"), PACKAGE_NAME, "packageName")


def _names(response: IoTResponse):
    """The request's package and version names."""
    return _package_name(response), _check_name(response._get_param("versionName"), VERSION_NAME, "versionName")


def _idempotent(response: IoTResponse, operation: str, resource: tuple, write):
    """Answer a write once per clientToken: the same token again gets the
    first answer and changes nothing.  Refusals are not remembered."""
    catalog = catalog_of(response.iot_backend)
    token = response._get_param("clientToken")
    key = (operation, resource, token)
    if token and key in catalog.answers:
        return ActionResult(dict(catalog.answers[key])) if catalog.answers[key] else EmptyResult()
    answer = write(catalog)
    if token:
        catalog.answers[key] = answer
    return ActionResult(dict(answer)) if answer else EmptyResult()


def _page(response: IoTResponse, items: list, key: str) -> ActionResult:
    size = response._get_int_param("maxResults", MAX_PAGE)
    if not 1 <= size <= MAX_PAGE:
        raise ValidationException("maxResults must be between 1 and {0}.".format(MAX_PAGE))
    token = response._get_param("nextToken") or "0"
    if not token.isdigit() or int(token) > len(items):
        raise ValidationException("nextToken {0!r} is not valid.".format(token))
    start = int(token)
    result = {key: items[start:start + size]}
    if start + size < len(items):
        result["nextToken"] = str(start + size)
    return ActionResult(result)


def _present(item: dict, keys) -> dict:
    return {key: item[key] for key in keys if item.get(key) is not None}


def _file_tags(response: IoTResponse, arn: str) -> None:
    from local_endpoint.writes import tags_of

    tags = response._get_param("tags") or {}
    tags_of(response.iot_backend)[arn] = dict(tags)


def _drop_tags(response: IoTResponse, arn: str) -> None:
    from local_endpoint.writes import tags_of

    tags_of(response.iot_backend).pop(arn, None)


# -- packages -------------------------------------------------------------------
PACKAGE_FIELDS = ("packageName", "packageArn", "description", "defaultVersionName", "creationDate", "lastModifiedDate")
PACKAGE_SUMMARY = ("packageName", "defaultVersionName", "creationDate", "lastModifiedDate")


def create_package(self: IoTResponse):
    name = _package_name(self)

    def write(catalog: Catalog) -> dict:
        if name in catalog.packages:
            raise ConflictException("Package {0} already exists.".format(name))
        now = utcnow()
        package = {"packageName": name, "packageArn": package_arn(self.region, self.current_account, name),
                   "description": self._get_param("description"), "creationDate": now, "lastModifiedDate": now}
        catalog.packages[name] = package
        _file_tags(self, package["packageArn"])
        return _present(package, ("packageName", "packageArn", "description"))

    return _idempotent(self, "CreatePackage", (name,), write)


def get_package(self: IoTResponse):
    name = _package_name(self)
    return ActionResult(_present(_package(catalog_of(self.iot_backend), name), PACKAGE_FIELDS))


def update_package(self: IoTResponse):
    name = _package_name(self)
    default = self._get_param("defaultVersionName")
    unset = self._get_param("unsetDefaultVersion") is True
    if default is not None and unset:
        raise ValidationException("Give defaultVersionName or unsetDefaultVersion, not both.")

    def write(catalog: Catalog) -> dict:
        package = _package(catalog, name)
        if default is not None:
            version = catalog.versions.get((name, default))
            if version is None:
                raise _missing_version(name, default)
            if version["status"] not in DEPLOYABLE:
                raise ValidationException(
                    "Package version {0}/{1} is {2}: only a PUBLISHED or DEPRECATED version can be the default "
                    "version.".format(name, default, version["status"]))
            package["defaultVersionName"] = default
        if unset:
            package.pop("defaultVersionName", None)
        if self._get_param("description") is not None:
            package["description"] = self._get_param("description")
        package["lastModifiedDate"] = utcnow()
        return {}

    return _idempotent(self, "UpdatePackage", (name,), write)


def delete_package(self: IoTResponse):
    name = _package_name(self)

    def write(catalog: Catalog) -> dict:
        package = catalog.packages.get(name)
        if package is None:
            return {}  # DeletePackage documents no ResourceNotFoundException
        if catalog.versions_of(name):
            raise ValidationException(
                "Package {0} has versions: delete every version before the package.".format(name))
        del catalog.packages[name]
        _drop_tags(self, package["packageArn"])
        return {}

    return _idempotent(self, "DeletePackage", (name,), write)


def list_packages(self: IoTResponse):
    catalog = catalog_of(self.iot_backend)
    summaries = [_present(catalog.packages[name], PACKAGE_SUMMARY) for name in sorted(catalog.packages)]
    return _page(self, summaries, "packageSummaries")


# -- versions -------------------------------------------------------------------
VERSION_FIELDS = ("packageVersionArn", "packageName", "versionName", "description", "attributes", "artifact", "status",
                  "errorReason", "creationDate", "lastModifiedDate", "sbom", "sbomValidationStatus", "recipe")
CREATED_FIELDS = ("packageVersionArn", "packageName", "versionName", "description", "attributes", "status",
                  "errorReason")
VERSION_SUMMARY = ("packageName", "versionName", "status", "creationDate", "lastModifiedDate")


def create_package_version(self: IoTResponse):
    package, name = _names(self)

    def write(catalog: Catalog) -> dict:
        _package(catalog, package)
        if (package, name) in catalog.versions:
            raise ConflictException("Package version {0}/{1} already exists.".format(package, name))
        now = utcnow()
        version = {"packageVersionArn": version_arn(self.region, self.current_account, package, name),
                   "packageName": package, "versionName": name, "status": DRAFT,
                   "creationDate": now, "lastModifiedDate": now}
        version.update({field: self._get_param(field) for field in ("description", "attributes", "artifact", "recipe")
                        if self._get_param(field) is not None})
        catalog.versions[(package, name)] = version
        _file_tags(self, version["packageVersionArn"])
        return _present(version, CREATED_FIELDS)

    return _idempotent(self, "CreatePackageVersion", (package, name), write)


def get_package_version(self: IoTResponse):
    package, name = _names(self)
    return ActionResult(_present(_version(catalog_of(self.iot_backend), package, name), VERSION_FIELDS))


def update_package_version(self: IoTResponse):
    package, name = _names(self)
    action = self._get_param("action")
    if action is not None and action not in MOVES:
        raise ValidationException("action must be one of {0}, not {1!r}.".format(", ".join(MOVES), action))
    edits = {field: self._get_param(field) for field in ("description",) + FROZEN_FIELDS
             if self._get_param(field) is not None}

    def write(catalog: Catalog) -> dict:
        version = _version(catalog, package, name)
        status = version["status"]
        frozen = [field for field in FROZEN_FIELDS if field in edits]
        if frozen and status != DRAFT:
            raise ValidationException(
                "Package version {0}/{1} is {2}: only its description and tags can change, not {3}.".format(
                    package, name, status, ", ".join(frozen)))
        if action is not None and status not in MOVES[action][0]:
            raise ValidationException(
                "Package version {0}/{1} is {2}: {3} applies only to a {4} version.".format(
                    package, name, status, action, " or ".join(MOVES[action][0])))
        version.update(edits)
        if action is not None:
            version["status"] = MOVES[action][1]
        version["lastModifiedDate"] = utcnow()
        return {}

    return _idempotent(self, "UpdatePackageVersion", (package, name), write)


def delete_package_version(self: IoTResponse):
    package, name = _names(self)

    def write(catalog: Catalog) -> dict:
        version = catalog.versions.get((package, name))
        if version is None:
            return {}  # DeletePackageVersion documents no ResourceNotFoundException
        if catalog.packages[package].get("defaultVersionName") == name:
            raise ValidationException(
                "Package version {0}/{1} is the default version of package {0}: change or unset the default "
                "(UpdatePackage unsetDefaultVersion) before deleting it.".format(package, name))
        del catalog.versions[(package, name)]
        _drop_tags(self, version["packageVersionArn"])
        return {}

    return _idempotent(self, "DeletePackageVersion", (package, name), write)


def list_package_versions(self: IoTResponse):
    package = _package_name(self)
    status = self._get_param("status")
    if status is not None and status not in STATUSES:
        raise ValidationException("status must be one of {0}, not {1!r}.".format(", ".join(STATUSES), status))
    catalog = catalog_of(self.iot_backend)
    _package(catalog, package)
    versions = sorted(catalog.versions_of(package), key=lambda version: version["versionName"])
    summaries = [_present(version, VERSION_SUMMARY) for version in versions if status in (None, version["status"])]
    return _page(self, summaries, "packageVersionSummaries")


# -- the account's package configuration ------------------------------------------
def get_package_configuration(self: IoTResponse):
    config = catalog_of(self.iot_backend).configuration
    return ActionResult({"versionUpdateByJobsConfig": _present(config, ("enabled", "roleArn"))})


def update_package_configuration(self: IoTResponse):
    wanted = self._get_param("versionUpdateByJobsConfig")

    def write(catalog: Catalog) -> dict:
        if wanted is None:
            return {}
        # The API reference makes roleArn optional; without one, no shadow is updated (updates_shadows).
        config = {"enabled": bool(wanted.get("enabled")), "roleArn": wanted.get("roleArn")}
        catalog.configuration = _present(config, ("enabled", "roleArn"))
        return {}

    return _idempotent(self, "UpdatePackageConfiguration", (), write)


PATCHES = (create_package, get_package, update_package, delete_package, list_packages, create_package_version,
           get_package_version, update_package_version, delete_package_version, list_package_versions,
           get_package_configuration, update_package_configuration)
_ORIGINAL: dict = {}


def install() -> None:
    install_patches(PATCHES, _ORIGINAL)


# -- the $package shadow ----------------------------------------------------------
PACKAGE_SHADOW = "$package"


def record_deployment(backend, job, thing_arn: str) -> None:
    """An execution of ``job`` succeeded on the thing: with the account's
    versionUpdateByJobsConfig enabled, AWS reports each of the job's
    destinationPackageVersions in the thing's reserved named shadow
    $package, as {package: {"version": version}}."""
    versions = deployed_versions((getattr(job, "iotops_extra", None) or {}).get("destinationPackageVersions"))
    if not versions or not updates_shadows(backend):
        return
    from moto.iotdata.models import iotdata_backends

    thing = thing_arn.split(":thing/", 1)[-1]
    reported = {package: {"version": version} for package, version in versions.items()}
    try:
        iotdata_backends[backend.account_id][backend.region_name].update_thing_shadow(
            thing, json.dumps({"state": {"reported": reported}}), PACKAGE_SHADOW)
    except ResourceNotFoundException:
        pass  # a target the fleet runs without registering it as a thing has no shadow
