"""Replacing moto's IoT response methods with the simulator's, once per process."""

from __future__ import annotations

from moto.core.exceptions import JsonRESTError
from moto.iot.responses import IoTResponse


def install_patches(patches, originals: dict) -> None:
    """Put each function of ``patches`` in place of IoTResponse's method of
    its name, keeping the method it replaces in ``originals`` for it to call."""
    if originals:
        return
    for patch in patches:
        originals[patch.__name__] = getattr(IoTResponse, patch.__name__, None)
        setattr(IoTResponse, patch.__name__, patch)


def aws_error(name: str, status: int) -> type:
    """An AWS error moto has no class for, raised and answered as moto's own:
    ``aws_error("ConflictException", 409)("Package fw already exists.")``."""
    def __init__(self, message: str):
        JsonRESTError.__init__(self, name, message)
    return type(name, (JsonRESTError,), dict(code=status, __init__=__init__))
