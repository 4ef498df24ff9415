"""The package version lifecycle: every move between two statuses, what
each status lets change, and what a job may deploy."""

from __future__ import annotations

import pytest

from ansible_collections.iotops.aws.plugins.module_utils.package_lifecycle import (
    CREATED_AS,
    ForbiddenMove,
    action_for,
    editable,
    frozen,
    not_deployable,
)

# Every (from, to) pair: the action that moves it (None: already there), or the start of the refusal.
MOVES = [
    ("DRAFT", "DRAFT", None),
    ("DRAFT", "PUBLISHED", "PUBLISH"),
    ("DRAFT", "DEPRECATED", ForbiddenMove("a draft version cannot be deprecated: publish it first")),
    ("PUBLISHED", "DRAFT", ForbiddenMove("a published version cannot go back to draft")),
    ("PUBLISHED", "PUBLISHED", None),
    ("PUBLISHED", "DEPRECATED", "DEPRECATE"),
    ("DEPRECATED", "DRAFT", ForbiddenMove("a deprecated version cannot go back to draft")),
    ("DEPRECATED", "PUBLISHED", "PUBLISH"),
    ("DEPRECATED", "DEPRECATED", None),
]


@pytest.mark.parametrize("current, wanted, expected", MOVES)
def test_every_move_has_its_action_or_its_refusal(current, wanted, expected):
    if isinstance(expected, ForbiddenMove):
        with pytest.raises(ForbiddenMove) as raised:
            action_for(current, wanted)
        assert str(raised.value).startswith(str(expected)) and "\n" not in str(raised.value)
    else:
        assert action_for(current, wanted) == expected


def test_a_new_version_is_a_draft():
    assert CREATED_AS == "DRAFT"


SETTINGS = ("description", "attributes", "artifact", "recipe", "tags")
# What each status lets change: a draft everything, the others only the description and tags.
EDITABLE = [
    ("DRAFT", SETTINGS),
    ("PUBLISHED", ("description", "tags")),
    ("DEPRECATED", ("description", "tags")),
]


@pytest.mark.parametrize("status, changeable", EDITABLE)
def test_each_status_changes_only_its_settings(status, changeable):
    assert [setting for setting in SETTINGS if editable(status, setting)] == list(changeable)


def test_frozen_names_every_setting_the_status_keeps():
    label = "version '1.0' of package 'fw'"
    assert frozen("DRAFT", ["attributes", "recipe"], label) is None
    assert frozen("PUBLISHED", ["description", "tags"], label) is None
    assert frozen("PUBLISHED", ["description", "attributes", "artifact", "recipe"], label) == (
        "attributes, artifact, recipe: version '1.0' of package 'fw' is published, and AWS changes only the "
        "description and tags of a published version: create another version instead")
    assert frozen("DEPRECATED", ["artifact"], label).startswith("artifact: version '1.0' of package 'fw' is deprecated")


@pytest.mark.parametrize("version, reason", [
    (None, "fw/1.0 does not exist"),
    (dict(status="DRAFT"), "fw/1.0 is a draft, and AWS deploys only published versions: publish it first"),
    (dict(status="DEPRECATED"), "fw/1.0 is deprecated: publish it again to roll it out"),
    (dict(status="PUBLISHED"), None),
])
def test_jobs_deploy_only_published_versions(version, reason):
    assert not_deployable(version, "fw/1.0") == reason
