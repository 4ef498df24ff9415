"""Where the tests and the benchmark find this checkout as the collection."""

from __future__ import annotations

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
