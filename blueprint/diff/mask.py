"""Keeping secrets out of a diff.

A value is secret when the plan marks it (the offline engine records a Pulumi
secret as ``{"secret": value}``), when its key is one the stack file keeps
encrypted (``secure:``), or when its key names a credential (``password``,
``connectionString``...). A secret's text is also removed wherever else it
shows up (an export or a string built from it), so it never reaches a
comment, a log or an artifact, whatever the format.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Iterable

import yaml

MASKED = "[secret]"
MIN_SCRUB = 4
"""Shorter secret texts are masked where they are marked, not searched for elsewhere (``"1"`` is everywhere)."""

CREDENTIAL_KEYS = frozenset({
    "password", "adminpassword", "administratorloginpassword", "sqladministratorloginpassword",
    "secret", "clientsecret", "secretstring", "secretvalue",
    "connectionstring", "primaryconnectionstring", "secondaryconnectionstring",
    "primarykey", "secondarykey", "accesskey", "secretkey", "privatekey", "privatekeypem",
    "sastoken", "token", "apikey", "masterpassword",
})
"""Leaf key names (lower-case) whose values are credentials whether or not anything marks them."""


def is_marked(value: Any) -> bool:
    return isinstance(value, dict) and set(value) == {"secret"}


def _texts(value: Any) -> Iterable[str]:
    if isinstance(value, dict):
        for item in value.values():
            yield from _texts(item)
    elif isinstance(value, list):
        for item in value:
            yield from _texts(item)
    elif value is not None and not isinstance(value, bool):
        yield str(value)


def _marked_texts(value: Any, key: str, secret_keys: frozenset[str]) -> Iterable[str]:
    if is_marked(value) or key.lower() in secret_keys:
        yield from _texts(value)
    elif isinstance(value, dict):
        for k, item in value.items():
            yield from _marked_texts(item, str(k), secret_keys)
    elif isinstance(value, list):
        for item in value:
            yield from _marked_texts(item, key, secret_keys)


class Mask:
    """Masks secret values and scrubs secret texts from anything rendered."""

    def __init__(self, texts: Iterable[str] = (), keys: Iterable[str] = ()) -> None:
        self.keys = frozenset(k.lower() for k in keys) | CREDENTIAL_KEYS
        self.texts = sorted({t for t in texts if len(t) >= MIN_SCRUB}, key=len, reverse=True)
        self._pattern = re.compile("|".join(re.escape(t) for t in self.texts)) if self.texts else None

    @classmethod
    def for_documents(cls, documents: Iterable[Any], config_keys: Iterable[str] = (),
                      config_texts: Iterable[str] = ()) -> "Mask":
        """A mask for every secret marked in ``documents`` (plan JSON), plus the config's secret keys."""
        keys = frozenset(k.lower() for k in config_keys) | CREDENTIAL_KEYS
        texts = set(config_texts)
        for document in documents:
            texts.update(_marked_texts(document, "", keys))
        return cls(texts, keys)

    def scrub(self, text: str) -> str:
        """``text`` with every known secret text replaced."""
        return self._pattern.sub(MASKED, text) if self._pattern else text

    def value(self, value: Any, key: str = "") -> Any:
        """``value`` with marked secrets, credential keys and secret texts masked (a copy)."""
        if is_marked(value) or (key and key.split(".")[-1].split("[")[0].lower() in self.keys
                                and value is not None):
            return MASKED
        if isinstance(value, dict):
            return {k: self.value(v, str(k)) for k, v in value.items()}
        if isinstance(value, list):
            return [self.value(v, key) for v in value]
        if isinstance(value, str):
            return self.scrub(value)
        return value


def secret_config(stack_file: Path) -> tuple[list[str], list[str]]:
    """The keys the stack file keeps encrypted (``key: {secure: ...}``, namespace dropped) and their ciphertexts."""
    try:
        data = yaml.safe_load(stack_file.read_text()) or {}
    except (OSError, yaml.YAMLError):
        return [], []
    keys, texts = [], []
    for key, value in (data.get("config") or {}).items():
        if isinstance(value, dict) and set(value) == {"secure"}:
            keys.append(str(key).split(":")[-1])
            texts.append(str(value["secure"]))
    return keys, texts
