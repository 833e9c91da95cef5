"""``bp preview gcp``: every stage printed, and the JSON plan lists what the platform promises on GCP."""

from __future__ import annotations

import json
from collections import Counter

from blueprint.cli import main
from components.config import STAGE_ORDER


def test_preview_prints_all_five_stages(capsys):
    assert main(["preview", "gcp"]) == 0
    out = capsys.readouterr().out
    for stage in STAGE_ORDER:
        assert stage.value in out


def test_preview_json_lists_the_gcp_platform(tmp_path, capsys):
    path = tmp_path / "plan.json"
    assert main(["preview", "gcp", "--json", str(path)]) == 0
    plan = json.loads(path.read_text())
    resources = [r for r in plan["resources"] if r["custom"] and not r["type"].startswith("pulumi:providers:")]
    by_type = Counter(r["type"] for r in resources)
    by_stage_type = Counter((r["stage"], r["type"]) for r in resources)
    assert by_stage_type[("buffer", "gcp:pubsub/topic:Topic")] == 2  # events and dead letters
    dead_letter = [r for r in resources if r["type"] == "gcp:pubsub/topic:Topic" and r["name"].endswith("dead-letter")]
    assert len(dead_letter) == 1
    assert by_stage_type[("buffer", "gcp:pubsub/subscription:Subscription")] == 1  # spark; the sink is below
    storage_subs = [r for r in resources if "cloudStorageConfig" in r["inputs"]]
    assert len(storage_subs) == 1 and storage_subs[0]["stage"] == "processing"
    assert by_stage_type[("store", "gcp:storage/bucket:Bucket")] == 4  # raw, processed, curated, logs
    assert by_type["gcp:bigquery/dataset:Dataset"] == 1
    assert by_type["gcp:kms/cryptoKey:CryptoKey"] == 1
    assert by_type["gcp:billing/budget:Budget"] == 1
    assert by_type["gcp:compute/network:Network"] == 1
    assert by_type["gcp:compute/subnetwork:Subnetwork"] == 4
    assert by_type["gcp:compute/firewall:Firewall"] >= 5
    accounts = sorted(r["stage"] for r in resources if r["type"] == "gcp:serviceaccount/account:Account")
    assert accounts == sorted(s.value for s in STAGE_ORDER)
    assert plan["counts"]["by_cloud"] == {"gcp": len(resources)}
