"""Fixtures the unit tests share."""

from __future__ import annotations

import os

import pytest


@pytest.fixture
def aws_environment(monkeypatch):
    """No AWS_* variable of this machine, no AWS files, no instance metadata.

    Returns a function that sets the given variables for the test:
    ``aws_environment(AWS_REGION="eu-west-1")``.
    """
    for name in [name for name in os.environ if name.startswith("AWS_")]:
        monkeypatch.delenv(name)
    monkeypatch.setenv("AWS_CONFIG_FILE", "/dev/null")
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", "/dev/null")
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")

    def set_variables(**variables):
        for name, value in variables.items():
            monkeypatch.setenv(name, value)

    return set_variables
