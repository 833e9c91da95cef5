"""Emulators for the local smoke tests: each started once per test session on a free port, stopped at the end."""

from __future__ import annotations

import pytest

from blueprint.dataflow import aws_local
from tests.pipeline.conftest import spark  # noqa: F401 (the one local SparkSession)


@pytest.fixture(scope="session")
def moto_endpoint():
    with aws_local.moto_server() as moto:
        yield f"http://127.0.0.1:{moto.port}"
