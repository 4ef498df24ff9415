"""Replacing moto's IoT response methods with the simulator's, once per process."""

from __future__ import annotations

from moto.iot.responses import IoTResponse


def install_patches(patches, originals: dict) -> None:
    """Put each function of ``patches`` in place of IoTResponse's method of
    its name, keeping the method it replaces in ``originals`` for it to call."""
    if originals:
        return
    for patch in patches:
        originals[patch.__name__] = getattr(IoTResponse, patch.__name__, None)
        setattr(IoTResponse, patch.__name__, patch)
