# -*- coding: utf-8 -*-
# Copyright: iotops.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""The package version lifecycle, as AWS IoT's developer guide documents it.

A version is created as a draft.  PUBLISH moves a draft or a deprecated
version to published; DEPRECATE moves a published version to deprecated.
Nothing moves a version back to draft.  A draft can change its
description, attributes, artifact, recipe and tags; a published or
deprecated version only its description and tags.  Jobs deploy published
and deprecated versions, never drafts; the collection refuses deprecated
ones too, so that a build taken out of service is not rolled out again.
Pure functions: no request is made here.
"""

from __future__ import annotations

from ansible_collections.iotops.aws.plugins.module_utils.vocabulary import (
    PACKAGE_DEPRECATE,
    PACKAGE_DEPRECATED,
    PACKAGE_DRAFT,
    PACKAGE_PUBLISH,
    PACKAGE_PUBLISHED,
)

# CreatePackageVersion's status for every new version.
CREATED_AS = PACKAGE_DRAFT
# (from, to): the UpdatePackageVersion action that makes the move.
_ACTIONS = {
    (PACKAGE_DRAFT, PACKAGE_PUBLISHED): PACKAGE_PUBLISH,
    (PACKAGE_DEPRECATED, PACKAGE_PUBLISHED): PACKAGE_PUBLISH,
    (PACKAGE_PUBLISHED, PACKAGE_DEPRECATED): PACKAGE_DEPRECATE,
}
# The version's settings each status lets UpdatePackageVersion (or tagging) change.
EDITABLE = {
    PACKAGE_DRAFT: ("description", "attributes", "artifact", "recipe", "tags"),
    PACKAGE_PUBLISHED: ("description", "tags"),
    PACKAGE_DEPRECATED: ("description", "tags"),
}
# What a job's destinationPackageVersions may name: AWS deploys PUBLISHED and
# DEPRECATED versions; the collection also refuses DEPRECATED.
DEPLOYABLE = (PACKAGE_PUBLISHED,)
# Versions UpdatePackage can make the package's default.
DEFAULTABLE = (PACKAGE_PUBLISHED, PACKAGE_DEPRECATED)


class ForbiddenMove(ValueError):
    """The lifecycle has no move between two statuses."""


def action_for(current, wanted):
    """The UpdatePackageVersion action that moves a version from ``current``
    to ``wanted``: None when they are the same; ForbiddenMove, saying why,
    when the lifecycle has no such move."""
    if current == wanted:
        return None
    action = _ACTIONS.get((current, wanted))
    if action:
        return action
    if wanted == PACKAGE_DRAFT:
        raise ForbiddenMove("a {0} version cannot go back to draft: AWS has no such move; create another version instead".format(
            current.lower()))
    raise ForbiddenMove("a draft version cannot be deprecated: publish it first, or delete it")


def editable(status, setting):
    """Whether a version in ``status`` can still change ``setting``."""
    return setting in EDITABLE.get(status, ())


def frozen(status, settings, label):
    """Why ``label`` (a version in ``status``) cannot change those of
    ``settings`` that its status keeps as they are; None when it can
    change them all."""
    kept = [setting for setting in settings if not editable(status, setting)]
    if not kept:
        return None
    return "{0}: {1} is {2}, and AWS changes only the {3} of a {2} version: create another version instead".format(
        ", ".join(kept), label, status.lower(), " and ".join(EDITABLE.get(status, ())))


def not_deployable(version, label):
    """Why a job must not name this version (GetPackageVersion's answer
    shaped, None when missing), as a phrase after ``label``; None when it may."""
    if version is None:
        return "{0} does not exist".format(label)
    status = version.get("status")
    if status in DEPLOYABLE:
        return None
    if status == PACKAGE_DRAFT:
        return "{0} is a draft, and AWS deploys only published versions: publish it first".format(label)
    return "{0} is {1}: publish it again to roll it out".format(label, (status or "in no status").lower())
