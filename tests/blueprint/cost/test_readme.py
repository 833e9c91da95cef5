"""The README's and the cloud pages' cost figures are the estimator's (generated blocks)."""

from __future__ import annotations

from pathlib import Path

from blueprint.cost.readme import FILES, stale


def test_generated_cost_blocks_agree_with_the_estimator():
    assert stale() == [], "run: python -m blueprint.cost.readme"


def test_every_page_has_its_blocks():
    text = {path.name: path.read_text() for path in FILES}
    assert "<!-- cost:idle-summary -->" in text["README.md"]
    assert "<!-- cost:bp-cost-aws-1m -->\n```\n$ ./bp cost aws --events-per-day 1000000\n" in text["README.md"]
    for cloud in ("aws", "azure", "gcp"):
        page = text[f"{cloud}.md"]
        for block in (f"idle-{cloud}", f"idle-{cloud}-prod", f"idle-prices-{cloud}"):
            assert f"<!-- cost:{block} -->\n|" in page, (cloud, block)


def test_a_hand_edited_figure_is_found(tmp_path: Path):
    readme = tmp_path / "README.md"
    readme.write_text(FILES[0].read_text().replace("**$0.633/day**", "**$0.63/day**", 1))
    assert stale([readme]) == [readme]
