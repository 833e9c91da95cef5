"""The price table: every entry is complete and dated; regions without a price are None, not guessed."""

from __future__ import annotations

from pathlib import Path

import pytest

from blueprint.cost.table import PriceTable, table


def test_every_item_has_unit_period_source_date_and_confidence():
    prices = table()
    for cloud, items in prices.items.items():
        for name, entry in items.items():
            assert entry["per"] in ("hour", "month", "use"), (cloud, name)
            assert entry["source"] and entry["unit"], (cloud, name)
            assert str(entry["date"])[:2] == "20", (cloud, name)
            assert entry["confidence"] in ("H", "M", "L"), (cloud, name)


def test_list_prices_from_the_sources():
    prices = table()
    assert prices.price("aws", "kinesis-shard", "us-east-1").usd == 0.015
    assert prices.price("aws", "nat-gateway", "us-east-1").usd == 0.045
    assert prices.price("azure", "eventhubs-capture", "eastus").usd == 0.10
    assert prices.price("gcp", "kms-key-version", "us-central1").usd == 0.06
    assert prices.price("aws", "kms-key", "us-east-1").per_hour == pytest.approx(1 / 730)


def test_a_region_without_an_entry_has_no_price():
    prices = table()
    assert prices.price("aws", "kinesis-shard", "eu-west-1") is None
    assert prices.price("azure", "eventhubs-standard-tu", "westeurope") is None
    assert prices.price("aws", "ec2-m7g.large", "us-east-1") is None  # an instance type not in the table


def test_a_malformed_entry_is_refused(tmp_path: Path):
    bad = tmp_path / "prices.yaml"
    bad.write_text("regions: {aws: {us-east-1: [us-east-1]}}\nfree: {}\nitems:\n  aws:\n"
                   "    x: {unit: h, per: daily, us-east-1: 1, source: s, date: 2024-01-01, confidence: H}\n")
    with pytest.raises(ValueError, match=r"aws.x: .*per='daily' \(allowed: hour, month, use\)"):
        PriceTable.load(bad)
