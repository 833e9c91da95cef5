"""Emulators for the local smoke tests: each started once per test session on a free port, stopped at the end."""

from __future__ import annotations

import pytest

from blueprint.dataflow import aws_local
from tests.pipeline.conftest import spark  # noqa: F401 (the one local SparkSession)


def hybrid_outputs(raw: str = "gs://raw/") -> dict:
    """A deployed hybrid stack's outputs: Connect and Buffer on AWS, Processing and Store on GCP, the edge between."""
    return {
        "connect": {"endpoint": "https://abc123.execute-api.us-east-1.amazonaws.com/v1/events", "auth": "iam",
                    "producer_identity": "arn:aws:iam::111122223333:role/producer", "cloud": "aws"},
        "buffer": {"stream": "stream", "endpoint": "https://kinesis.us-east-1.amazonaws.com", "cloud": "aws"},
        "processing": {"sink": "projects/p/subscriptions/sink", "cloud": "gcp"},
        "store": {"raw": raw, "processed": "gs://processed/", "curated": "gs://curated/", "cloud": "gcp"},
        "edges": {"buffer-aws-to-processing-gcp": {"import_topic": "projects/p/topics/import"}},
    }


@pytest.fixture(scope="session")
def moto_endpoint():
    with aws_local.moto_server() as moto:
        yield f"http://127.0.0.1:{moto.port}"


@pytest.fixture(scope="session")
def gcp_endpoints():
    import shutil

    from blueprint.dataflow import gcp_local

    if shutil.which("gcloud") is None:
        pytest.skip("gcloud (with the Pub/Sub emulator) is not installed")
    with gcp_local.emulators("blueprint-learning") as endpoints:
        yield endpoints


@pytest.fixture(scope="session")
def azurite_connections(tmp_path_factory):
    """Azurite holding the lake accounts of both example Azure stacks, by stack."""
    from blueprint.dataflow import azure_local, stack_plan
    from blueprint.dataflow.unavailable import Unavailable

    try:
        azure_local.azurite_command()
    except Unavailable as exc:
        pytest.skip(str(exc))
    accounts = {stack: azure_local.account_of(stack_plan.read(stack)) for stack in ("azure", "azure-prod")}
    with azure_local.azurite(list(accounts.values()), tmp_path_factory.mktemp("azurite")) as connections:
        yield {stack: connections[account] for stack, account in accounts.items()}
