"""DataPlatform: names are checked before anything is registered; overrides win; nothing undeclared."""

from __future__ import annotations

import pytest

from components.config import load_config
from components.context import StageContext
from components.naming import NamingError
from tests.conftest import stack_config, synth


def test_a_valid_name_override_wins():
    s = synth("aws", stack_config("aws", names={"store-raw": "my-team-raw-events"}))
    buckets = {r.name: r.inputs["bucket"] for r in s.of_type("aws:s3/bucket:Bucket")}
    assert buckets["platform-store-raw"] == "my-team-raw-events"
    assert s.exports["store"]["raw"] == "s3://my-team-raw-events/"


def test_an_undeclared_physical_name_is_refused():
    cfg = load_config({"cloud": "aws", "owner": "o", "alertEmails": ["o@example.com"]})
    ctx = StageContext(cfg.cloud, cfg, "dev", declared_names=frozenset({("s3-bucket", "store-raw")}))
    assert ctx.name("s3-bucket", "store-raw").startswith("blueprint-dev-store-raw-")
    with pytest.raises(NamingError, match=r"\('s3-bucket', 'store-other'\) is not declared"):
        ctx.name("s3-bucket", "store-other")
