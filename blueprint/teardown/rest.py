"""A small JSON-over-HTTPS client for the Azure and GCP control planes, with a bearer token.

The sweep needs a handful of calls (one inventory query, deletes by id), so it
speaks REST with the standard library instead of adding the Azure and Google
SDKs (``azure-identity`` plus ``azure-mgmt-resourcegraph`` and
``google-cloud-asset`` bring tens of megabytes and their own HTTP stacks).
Tokens come from the environment (``AZURE_ACCESS_TOKEN``,
``GOOGLE_OAUTH_ACCESS_TOKEN``) or from the cloud's CLI, which is what
``azure/login`` and ``google-github-actions/auth`` set up in CI.
"""

from __future__ import annotations

import json
import os
import subprocess
import urllib.error
import urllib.parse
import urllib.request
from typing import Any, Callable, Optional


class RestError(RuntimeError):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(f"HTTP {status}: {message}")
        self.status = status


class NoCredentials(RuntimeError):
    """No token for the cloud: the caller skips it with this reason."""


def _cli_token(env: str, argv: list[str], cloud: str) -> str:
    if os.environ.get(env):
        return os.environ[env]
    try:
        done = subprocess.run(argv, capture_output=True, text=True, timeout=60, check=False)
    except FileNotFoundError:
        raise NoCredentials(f"{cloud}: set {env} or install and log in to `{argv[0]}`") from None
    if done.returncode != 0 or not done.stdout.strip():
        raise NoCredentials(f"{cloud}: `{' '.join(argv[:3])}` gave no token ({done.stderr.strip()[:200]})")
    return done.stdout.strip()


def azure_token() -> str:
    return _cli_token("AZURE_ACCESS_TOKEN", ["az", "account", "get-access-token", "--resource",
                                             "https://management.azure.com/", "--query", "accessToken",
                                             "-o", "tsv"], "Azure")


def gcp_token() -> str:
    return _cli_token("GOOGLE_OAUTH_ACCESS_TOKEN", ["gcloud", "auth", "print-access-token"], "GCP")


Transport = Callable[[str, str, Optional[dict], dict], tuple[int, bytes]]


def _urllib(method: str, url: str, body: Optional[dict], headers: dict) -> tuple[int, bytes]:
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, method=method, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310 (https URLs built here)
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


class Rest:
    """``call(method, url, body=None, params=None)`` returns the decoded JSON (or {})."""

    def __init__(self, token: Callable[[], str], transport: Transport = _urllib) -> None:
        self._token = token
        self._cached: Optional[str] = None
        self.transport = transport

    def call(self, method: str, url: str, body: Optional[dict] = None, params: Optional[dict] = None) -> Any:
        if params:
            url = f"{url}{'&' if '?' in url else '?'}{urllib.parse.urlencode(params)}"
        if self._cached is None:
            self._cached = self._token()
        headers = {"Authorization": f"Bearer {self._cached}", "Content-Type": "application/json"}
        status, payload = self.transport(method, url, body, headers)
        text = payload.decode() if payload else ""
        if status >= 300:
            raise RestError(status, text[:500])
        return json.loads(text) if text.strip() else {}
