from __future__ import annotations

import re

from components.config import load_config
from components.context import StageContext
from components.tags import COMMON_TAG_KEYS, common_tags, labels, required_keys

BASE = {"cloud": "aws", "owner": "data-team", "alertEmails": ["t@example.com"], "leaseStart": "2026-05-01T00:00:00Z"}


def test_learning_tags_carry_every_common_key_with_expiry():
    ctx = StageContext(load_config(BASE).cloud, load_config(BASE), "dev")
    tags = ctx.tags("store")
    assert set(COMMON_TAG_KEYS) <= set(tags)
    assert tags["expires-at"] == "2026-05-04T00:00Z"
    assert (tags["stage"], tags["zone"], tags["managed-by"], tags["stack"]) == ("store", "data", "blueprint", "dev")


def test_production_tags_have_no_expiry():
    cfg = load_config({k: v for k, v in BASE.items() if k != "leaseStart"} | {"profile": "production"})
    tags = StageContext(cfg.cloud, cfg, "prod").tags("visualize")
    assert "expires-at" not in tags and tags["zone"] == "serving"
    assert set(required_keys("production")) <= set(tags)


def test_zone_override_and_extra_tags():
    cfg = load_config(BASE | {"tags": {"cost-center": "r-and-d"}})
    tags = StageContext(cfg.cloud, cfg, "dev").tags("processing", "data")
    assert tags["zone"] == "data" and tags["cost-center"] == "r-and-d"


def test_extra_tags_cannot_replace_common_ones():
    tags = common_tags(owner="o", stack="s", stage="store", zone="data", profile="learning",
                       expires_at=None, extra={"owner": "intruder"})
    assert tags["owner"] == "o"


def test_gcp_labels_are_lower_case_and_label_safe():
    cfg = load_config(BASE)
    for key, value in labels(StageContext(cfg.cloud, cfg, "Dev.Stack").tags("store")).items():
        assert re.fullmatch(r"[a-z][a-z0-9_-]{0,62}", key)
        assert re.fullmatch(r"[a-z0-9_-]{0,63}", value), value
