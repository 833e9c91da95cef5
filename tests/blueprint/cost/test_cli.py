"""``bp cost``: text, Markdown and JSON, usage options, and refused input."""

from __future__ import annotations

import json
from pathlib import Path

from blueprint.cli import EXIT_INPUT, main


def test_text_report_itemises_idle_and_usage(capsys):
    assert main(["cost", "aws"]) == 0
    out = capsys.readouterr().out
    assert "Cost of stack aws (aws us-east-1), USD" in out
    assert "kinesis-shard: 1 shard" in out and "$0.360" in out
    assert "idle total" in out and "$0.633" in out and "$19.25" in out
    assert "usage: 200,000 events/day of 5 KB, 10 Spark min/day, 1 GB scanned/day" in out
    assert "free-tier allowances, commitments and discounts, and taxes are out of scope" in out


def test_json_and_file(tmp_path: Path, capsys):
    target = tmp_path / "cost.json"
    assert main(["cost", "gcp", "--format", "json", "--json", str(target), "--events-per-day", "0",
                 "--spark-minutes-per-day", "0", "--query-gb-per-day", "0"]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert printed == json.loads(target.read_text())
    assert printed["regions"] == {"gcp": "us-central1"}
    assert printed["idle"]["per_month"] == 0.06
    assert printed["usage_per_day"] == 0


def test_markdown_for_a_pull_request(capsys):
    assert main(["cost", "azure-prod", "--format", "markdown"]) == 0
    out = capsys.readouterr().out
    assert "| stage | resource | item | per day | per month |" in out
    # 0.72 + 2.40 + 1.08 + 0.12 + 8 x 0.24 a day (the list prices in blueprint/cost/prices.yaml, with their sources); a month is 365/12 days
    assert "| **idle** | | | **$6.240** | **$189.80** |" in out
    assert "No price entry (not included above):" in out and "private-dns-zone" in out


def test_negative_usage_is_refused(capsys):
    assert main(["cost", "aws", "--event-kb", "-1"]) == EXIT_INPUT
    assert "--event-kb = -1.0: must be zero or more" in capsys.readouterr().err
