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


class AwsError(JsonRESTError):
    """An AWS error moto has no class for, answered as moto's own: a
    subclass is named after the error code and sets the HTTP status."""

    code = 400

    def __init__(self, message: str):
        super().__init__(type(self).__name__, message)
