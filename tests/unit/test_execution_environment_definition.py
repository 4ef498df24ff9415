"""The execution environment files, checked with ansible-builder's own code.

meta/execution-environment.yml is what ansible-builder reads from the
installed collection when it builds any execution environment that includes
iotops.aws; execution-environment.yml at the root builds one for AWX.
"""

from __future__ import annotations

import copy
import re
import sys
from pathlib import Path

import pytest
import yaml
from ansible_builder._target_scripts.introspect import process_collection
from ansible_builder.ee_schema import validate_schema
from ansible_builder.exceptions import DefinitionError
from ansible_builder.user_definition import UserDefinition
from bindep.depends import Depends

# Importing ansible_builder sets sys.tracebacklimit to 0 for the whole
# process, which would hide the tracebacks of every test after this module.
sys.__dict__.pop("tracebacklimit", None)

ROOT = Path(__file__).resolve().parents[2]
COLLECTION_METADATA = ROOT / "meta" / "execution-environment.yml"
IMAGE_DEFINITION = ROOT / "execution-environment.yml"


def load(path: Path) -> dict:
    return yaml.safe_load(path.read_text())


def requirement_lines(path: Path) -> list:
    lines = (line.split("#", 1)[0].strip() for line in path.read_text().splitlines())
    return [line for line in lines if line]


def pinned(name: str) -> str:
    """The version test-requirements.txt pins for a package."""
    found = re.search(r"^{0}==(\S+)$".format(re.escape(name)), (ROOT / "test-requirements.txt").read_text(), re.M)
    assert found, name
    return found.group(1)


def test_collection_metadata_is_a_valid_version_3_definition():
    raw = load(COLLECTION_METADATA)
    validate_schema(copy.deepcopy(raw))
    assert raw["version"] == 3


def test_ansible_builder_reads_the_collections_requirements_from_its_root():
    # The same function ansible-builder runs inside the image build.
    python, system = process_collection(str(ROOT))
    assert python == requirement_lines(ROOT / "requirements.txt")
    assert system == requirement_lines(ROOT / "bindep.txt")
    assert [line.split(">")[0] for line in python] == ["boto3", "botocore"]


def test_collection_metadata_paths_stay_inside_the_collection():
    # A path like ../requirements.txt would work for `ansible-builder build -f
    # meta/...`, but breaks every image build that installs the collection.
    dependencies = load(COLLECTION_METADATA)["dependencies"]
    for path in dependencies.values():
        assert not path.startswith(("/", "..")) and (ROOT / path).is_file(), path


def test_bindep_file_parses():
    Depends((ROOT / "bindep.txt").read_text())


def test_image_definition_validates():
    UserDefinition(str(IMAGE_DEFINITION)).validate()


def test_image_definition_rejects_what_ansible_builder_rejects(tmp_path):
    # The validation above is not a formality: an unknown key fails it.
    broken = load(IMAGE_DEFINITION)
    broken["dependencies"]["pyhton"] = "requirements.txt"
    path = tmp_path / "execution-environment.yml"
    path.write_text(yaml.safe_dump(broken))
    with pytest.raises(DefinitionError):
        UserDefinition(str(path)).validate()


def test_image_definition_installs_the_tested_ansible():
    definition = UserDefinition(str(IMAGE_DEFINITION))
    assert definition.ansible_core_ref == "ansible-core==" + pinned("ansible-core")
    assert definition.ansible_runner_ref == "ansible-runner==" + pinned("ansible-runner")


def test_image_definition_installs_the_tarball_make_build_writes():
    tarball = "iotops-aws-{0}.tar.gz".format(load(ROOT / "galaxy.yml")["version"])
    raw = load(IMAGE_DEFINITION)
    assert raw["additional_build_files"] == [{"src": "dist/" + tarball, "dest": "collections"}]
    assert raw["dependencies"]["galaxy"] == {"collections": [{"name": "collections/" + tarball, "type": "file"}]}
