"""A secret value never appears in any format of the diff."""

from __future__ import annotations

import json

import pytest

from blueprint.diff import build_report, document, markdown, text
from blueprint.diff.mask import Mask, secret_config
from tests.blueprint.diff.conftest import plant

PLANTED = "PLANTED-s3cr3t-9f7c2e"
OLD_SECRET = "OLD-s3cr3t-41aa07"


def render_all(report) -> list[str]:
    return [markdown(report), markdown(report, limit=2000), text(report), json.dumps(document(report))]


@pytest.fixture
def planted_pair(example_plan):
    base = plant(example_plan("azure"), "platform-buffer-namespace", "tags.token", {"secret": OLD_SECRET})
    head = plant(example_plan("azure"), "platform-buffer-namespace", "tags.token", {"secret": PLANTED})
    # The secret's text also reaches a plain input and an export built from it.
    head = plant(head, "platform-store-account", "tags.note", f"built from {PLANTED} here")
    head.exports["connect_secret_copy"] = f"Endpoint=sb://x;SharedAccessKey={PLANTED}"
    return base, head


def test_a_marked_secret_never_appears_in_any_format(planted_pair):
    report = build_report(*planted_pair, estimator="off")
    for out in render_all(report):
        assert PLANTED not in out and OLD_SECRET not in out
    assert "`tags.token`: `[secret]` → `[secret]`" in markdown(report)
    assert "`tags.note`: *(none)* → `built from [secret] here`" in markdown(report)


def test_credential_named_keys_and_secure_config_are_masked(example_plan, tmp_path):
    head = plant(example_plan("gcp"), "platform-store-dataset", "labels.password", "hunter2-plain-text")
    head = plant(head, "platform-store-dataset", "description", "uses db-pass-from-config-77")
    stack_file = tmp_path / "Pulumi.gcp.yaml"
    stack_file.write_text("config:\n  blueprint:dbPass:\n    secure: v1:CIPHERTEXT-abc123\n")
    keys, texts = secret_config(stack_file)
    assert (keys, texts) == (["dbPass"], ["v1:CIPHERTEXT-abc123"])
    head = plant(head, "platform-store-dataset", "labels.dbPass", "db-pass-from-config-77")
    mask = Mask.for_documents([head.to_json()], keys, texts)
    report = build_report(example_plan("gcp"), head, estimator="off", mask=mask)
    for out in render_all(report):
        assert "hunter2-plain-text" not in out
        assert "db-pass-from-config-77" not in out
