"""The README's sample comment is the real diff it claims to be."""

from __future__ import annotations

import re

from blueprint.diff.sample import sample_comment
from blueprint.engine import ROOT


def test_readme_sample_is_generated():
    readme = (ROOT / "README.md").read_text()
    shown = re.search(r"<!-- sample-comment:start -->\n(.*?)<!-- sample-comment:end -->", readme, re.S)
    assert shown, "README has no sample comment"
    assert shown[1] == sample_comment(), "README sample is stale: python -m blueprint.diff.sample"
    assert "**retention** `platform-buffer-stream`" in shown[1]
