"""The propagation wait: sleeps once on create, again only when a grant it waits for is replaced."""

from __future__ import annotations

import infra.azure.propagation as propagation


def test_create_sleeps_the_documented_ten_minutes(monkeypatch):
    slept: list[float] = []
    monkeypatch.setattr(propagation.time, "sleep", slept.append)
    result = propagation._Wait().create({"grants": ["/a/grant"], "seconds": propagation.PROPAGATION_SECONDS})
    assert slept == [600]
    assert result.outs == {"grants": ["/a/grant"], "seconds": 600}


def test_a_replaced_grant_replaces_the_wait_and_nothing_else_does():
    provider = propagation._Wait()
    same = provider.diff("w", {"grants": ["/a", "/b"], "seconds": 600}, {"grants": ["/b", "/a"], "seconds": 600})
    assert same.changes is False and same.replaces == []
    replaced = provider.diff("w", {"grants": ["/a"], "seconds": 600}, {"grants": ["/c"], "seconds": 600})
    assert replaced.changes is True and replaced.replaces == ["grants"]
