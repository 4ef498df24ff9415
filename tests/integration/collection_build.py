"""Build the collection as it ships, and install it as users and AWX do."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
BIN = os.path.dirname(sys.executable)


def version() -> str:
    return yaml.safe_load((ROOT / "galaxy.yml").read_text())["version"]


def galaxy(*args, cwd=None, collections_path=None) -> subprocess.CompletedProcess:
    """Run ansible-galaxy; fail with its output if it fails."""
    env = dict(os.environ)
    if collections_path:
        # Only to keep ansible-galaxy from warning that the path is unused.
        env["ANSIBLE_COLLECTIONS_PATH"] = str(collections_path)
    done = subprocess.run([os.path.join(BIN, "ansible-galaxy"), *map(str, args)], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    return done


def build_tarball(output_dir: Path, source: Path = ROOT) -> Path:
    """`ansible-galaxy collection build`, as `make build` runs it."""
    galaxy("collection", "build", "--force", "--output-path", output_dir, source)
    tarball = output_dir / "iotops-aws-{0}.tar.gz".format(version())
    assert tarball.is_file(), sorted(output_dir.iterdir())
    return tarball


def install_tarball(tarball: Path, collections_path: Path) -> Path:
    """Install into a collections path; return the installed collection's root."""
    galaxy("collection", "install", "--force", "-p", collections_path, tarball, collections_path=collections_path)
    return collections_path / "ansible_collections" / "iotops" / "aws"
