"""The execution environment's build, as far as it goes without a container
engine: ansible-builder writes the build context, then the image's galaxy and
introspection steps run here as the Containerfile runs them, and pip resolves
the Python the image would install."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import yaml

from collection_build import ROOT, build_tarball, galaxy


def run(*command, cwd=None) -> subprocess.CompletedProcess:
    done = subprocess.run([str(part) for part in command], cwd=cwd, capture_output=True, text=True, timeout=300,
                          check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    return done


def test_image_gets_the_collection_and_its_python_requirements(tmp_path):
    # The checkout after `make build`, without the rest of dist/.
    shutil.copy(ROOT / "execution-environment.yml", tmp_path)
    (tmp_path / "dist").mkdir()
    tarball = build_tarball(tmp_path / "dist")
    run(os.path.join(os.path.dirname(sys.executable), "ansible-builder"), "create", "-f",
        tmp_path / "execution-environment.yml", "-c", tmp_path / "context", "--output-filename", "Containerfile")
    build_dir = tmp_path / "context" / "_build"
    assert (build_dir / "collections" / tarball.name).is_file(), "additional_build_files missed the tarball"
    containerfile = (tmp_path / "context" / "Containerfile").read_text()
    assert "ansible-galaxy collection install $ANSIBLE_GALAXY_CLI_COLLECTION_OPTS -r requirements.yml" in containerfile

    # The galaxy stage, in the context the Containerfile copies to /build.
    collections = tmp_path / "usr-share-ansible" / "collections"
    galaxy("collection", "install", "-r", "requirements.yml", "--collections-path", collections, cwd=build_dir,
           collections_path=collections)
    # The builder stage's introspection, with the script ansible-builder ships.
    pip_file = tmp_path / "introspected-requirements.txt"
    run(sys.executable, build_dir / "scripts" / "introspect.py", "introspect", collections, "--write-pip", pip_file,
        "--write-bindep", tmp_path / "introspected-bindep.txt")
    introspected = [line.split("#")[0].strip() for line in pip_file.read_text().splitlines() if line.strip()]
    wanted = [line.strip() for line in (ROOT / "requirements.txt").read_text().splitlines() if line.strip()]
    assert introspected == wanted

    # Every Python requirement resolves, together with the image's ansible.
    dependencies = yaml.safe_load((ROOT / "execution-environment.yml").read_text())["dependencies"]
    report = tmp_path / "pip-report.json"
    run(sys.executable, "-m", "pip", "install", "--dry-run", "--ignore-installed", "--quiet", "--disable-pip-version-check",
        "--report", report, "-r", pip_file, dependencies["ansible_core"]["package_pip"],
        dependencies["ansible_runner"]["package_pip"])
    resolved = {item["metadata"]["name"].lower(): item["metadata"]["version"]
                for item in json.loads(report.read_text())["install"]}
    assert {"boto3", "botocore", "ansible-core", "ansible-runner"} <= set(resolved), resolved
    assert "ansible-core==" + resolved["ansible-core"] == dependencies["ansible_core"]["package_pip"]
