"""What the tests and the benchmark share: this checkout as the collection,
and the environment of an Ansible process that talks to the local endpoint."""

from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def collections_root() -> Path:
    """A directory that holds ansible_collections/iotops/aws -> this checkout."""
    base = ROOT / ".build" / "collections"
    link = base / "ansible_collections" / "iotops" / "aws"
    if not link.exists():
        link.parent.mkdir(parents=True, exist_ok=True)
        link.symlink_to(ROOT, target_is_directory=True)
    return base


def local_aws_env(endpoint_url: str | None, access_key: str, secret_key: str, region: str = "us-east-1",
                  **extra) -> dict:
    """A whole environment for a child process: this Python's tools, the
    collection, the local endpoint's credentials, and nothing of this
    machine's AWS set-up.  ``extra`` entries set to None are removed."""
    env = {
        "PATH": os.path.dirname(sys.executable) + os.pathsep + os.environ.get("PATH", ""),
        "HOME": os.environ.get("HOME", "/tmp"),
        "LANG": "C.UTF-8",
        "ANSIBLE_COLLECTIONS_PATH": str(collections_root()),
        "AWS_ACCESS_KEY_ID": access_key,
        "AWS_SECRET_ACCESS_KEY": secret_key,
        "AWS_REGION": region,
        # Never read this machine's AWS files or ask for instance metadata.
        "AWS_CONFIG_FILE": "/dev/null",
        "AWS_SHARED_CREDENTIALS_FILE": "/dev/null",
        "AWS_EC2_METADATA_DISABLED": "true",
    }
    if endpoint_url:
        env["AWS_URL"] = endpoint_url
    env.update(extra)
    return {key: value for key, value in env.items() if value is not None}
