"""The collection as it ships: what the tarball holds, and that an install of
it, not this checkout, runs every plugin."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import tarfile
from pathlib import Path

import pytest

from collection_build import ROOT, build_tarball, install_tarball
from helpers import base_env, run_playbook

PLAYBOOK = Path(__file__).resolve().parent / "playbooks" / "every_plugin.yml"
# Local state, tooling output, tests and developer configuration: never shipped.
LOCAL_DIRS = [".venv", ".build", "tests/output", "dist", "benchmarks", "tests", ".ci", "changelogs/fragments"]
LOCAL_FILES = ["test-requirements.txt", ".ansible-lint", "Makefile", "pytest.ini", ".gitignore", "CONTRIBUTING.md",
               "execution-environment.yml", "changelogs/.plugin-cache.yaml",
               # The demo's wrapper and its simulator-only set-up need the local endpoint, which stays in tests/.
               "examples/demo.sh", "examples/demo_local_endpoint.yml"]
# What users and ansible-builder read from an installed collection.
SHIPPED = [
    "meta/runtime.yml",
    "meta/execution-environment.yml",
    "requirements.txt",
    "bindep.txt",
    "plugins/action/iot_job_execution_wait.py",
    "plugins/modules/iot_job_execution_wait.py",
    "plugins/modules/iot_job_execution_info.py",
    "plugins/modules/iot_job_info.py",
    "plugins/lookup/iot_job_execution.py",
    "plugins/doc_fragments/connection.py",
    "COPYING",
    "CHANGELOG.rst",
    "changelogs/changelog.yaml",
    "README.md",
]


def members(tarball: Path) -> list:
    with tarfile.open(tarball) as archive:
        return archive.getnames()


def local_files_in(names) -> list:
    return [name for name in names
            if name in LOCAL_FILES or any(name == top or name.startswith(top + "/") for top in LOCAL_DIRS)]


@pytest.fixture(scope="module")
def tarball(tmp_path_factory):
    return build_tarball(tmp_path_factory.mktemp("dist"))


def test_tarball_ships_the_plugins_and_not_local_files(tarball):
    names = members(tarball)
    assert local_files_in(names) == []
    assert [path for path in SHIPPED if path not in names] == []


def test_tarball_is_the_release_with_its_license_and_changelog(tarball):
    assert tarball.name == "iotops-aws-0.2.0.tar.gz"
    with tarfile.open(tarball) as archive:
        manifest = json.load(archive.extractfile("MANIFEST.json"))["collection_info"]
        license_text = archive.extractfile("COPYING").read().decode()
        changelog = archive.extractfile("CHANGELOG.rst").read().decode()
    assert manifest["version"] == "0.2.0"
    assert manifest["license"] == ["GPL-3.0-or-later"]
    assert license_text.startswith(" " * 20 + "GNU GENERAL PUBLIC LICENSE\n" + " " * 23 + "Version 3, 29 June 2007")
    assert "END OF TERMS AND CONDITIONS" in license_text and len(license_text.splitlines()) == 674
    assert "\nv0.2.0\n======\n" in changelog


def test_every_relative_link_in_the_shipped_readme_ships(tarball):
    names = set(members(tarball))
    with tarfile.open(tarball) as archive:
        readme = archive.extractfile("README.md").read().decode()
    links = [target.split("#")[0] for target in re.findall(r"\]\(([^)\s]+)\)", readme)
             if not re.match(r"[a-z]+:", target) and not target.startswith("#")]
    assert len(links) > 5, links
    # A link to a directory resolves when a file under it ships.
    missing = [link for link in links
               if link.rstrip("/") not in names and not any(name.startswith(link.rstrip("/") + "/") for name in names)]
    assert missing == []


def test_build_leaves_out_local_dirs_even_when_they_exist(tmp_path):
    # A clean clone may lack some of them; put a file in each so the
    # build_ignore rules are tested whatever this checkout holds.
    source = tmp_path / "source"
    listed = subprocess.run(["git", "ls-files", "-co", "--exclude-standard", "-z"], cwd=ROOT, capture_output=True,
                            check=True).stdout.decode().split("\0")
    for name in filter(None, listed):
        if (ROOT / name).is_file():
            (source / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, source / name)
    for top in LOCAL_DIRS:
        (source / top).mkdir(parents=True, exist_ok=True)
        (source / top / "left-behind.py").write_text("# must not ship\n")
    for name in LOCAL_FILES:
        if not (source / name).exists():
            (source / name).write_text("# must not ship\n")
    (tmp_path / "dist").mkdir()
    names = members(build_tarball(tmp_path / "dist", source=source))
    assert local_files_in(names) == []
    assert "plugins/modules/iot_job_info.py" in names


@pytest.mark.smoke
def test_installed_collection_runs_every_plugin_by_fqcn(tarball, tmp_path, iot):
    installed = install_tarball(tarball, tmp_path / "collections")
    env = base_env(iot.url, ANSIBLE_COLLECTIONS_PATH=str(tmp_path / "collections"),
                   ANSIBLE_COLLECTIONS_SCAN_SYS_PATH="false")
    run = run_playbook(tmp_path, PLAYBOOK, env, args=("-vvv",))
    assert run.rc == 0, run.output
    assert [r["task"] for r in run.results if r["status"] != "ok"] == []
    assert run.result("Check what each plugin returned")["msg"] == "All assertions passed"
    # The modules came from the install, not from this checkout.
    for module in ("iot_job_execution_info", "iot_job_info"):
        assert "Using module file {0}/plugins/modules/{1}.py".format(installed, module) in run.stdout
    assert str(ROOT / "plugins") not in run.stdout
