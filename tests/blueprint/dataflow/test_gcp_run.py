"""``bp run`` on GCP submits batches on a runtime Google still supports: the stack's own pin."""

from __future__ import annotations

import datetime as dt

from blueprint.dataflow import gcp_cloud
from blueprint.rules.releases import DATAPROC_SERVERLESS


def test_batches_use_the_runtime_the_stack_pins_and_it_is_supported_today():
    from infra.gcp.engine import RUNTIME_VERSION

    assert gcp_cloud.RUNTIME_VERSION == RUNTIME_VERSION
    release = DATAPROC_SERVERLESS.find(gcp_cloud.RUNTIME_VERSION)
    assert release is not None and release.supported_until > dt.date(2026, 11, 30)
