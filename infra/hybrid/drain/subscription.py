"""Subscription: pull, acknowledge and hand back messages of one Pub/Sub subscription over its REST API.

``projects.subscriptions.pull``, ``acknowledge`` and ``modifyAckDeadline``
(with a deadline of 0, Pub/Sub's negative acknowledgement: the message is
redelivered after the subscription's retry back-off and counts as a delivery
attempt towards the dead-letter topic). All three need only
``pubsub.subscriptions.consume`` on the subscription, which
``roles/pubsub.subscriber`` holds.

Requests go to ``https://pubsub.googleapis.com`` with the federated bearer
token. Plain HTTP is accepted only on the loopback interface, where the Pub/Sub
emulator listens; with no token (the emulator's no-auth mode) no
``Authorization`` header is sent.
"""

from __future__ import annotations

import base64
import json
import re
import socket
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from typing import Any, Callable, Optional, Sequence

PUBSUB_ENDPOINT = "https://pubsub.googleapis.com"
PULL_TIMEOUT_SECONDS = 10
"""A pull on an empty subscription may wait for messages; after this the run treats it as empty."""
CALL_TIMEOUT_SECONDS = 30
SUBSCRIPTION_PATH = re.compile(r"projects/[a-z][a-z0-9-]{4,28}[a-z0-9]/subscriptions/[a-zA-Z][a-zA-Z0-9._~%+-]{2,254}")
LOOPBACK = ("127.0.0.1", "localhost", "::1")


@dataclass(frozen=True)
class Received:
    """One pulled message: its body and the id to acknowledge it with."""

    ack_id: str
    data: bytes
    message_id: str
    delivery_attempt: int


class Subscription:
    def __init__(
        self,
        path: str,
        token: Callable[[], Optional[str]],
        *,
        endpoint: str = PUBSUB_ENDPOINT,
        opener: Callable[..., Any] = urllib.request.urlopen,
        pull_timeout: float = PULL_TIMEOUT_SECONDS,
    ) -> None:
        if not SUBSCRIPTION_PATH.fullmatch(path):
            raise ValueError(f"subscription {path!r}: expected projects/PROJECT/subscriptions/NAME")
        parts = urllib.parse.urlsplit(endpoint)
        if parts.scheme != "https" and not (parts.scheme == "http" and parts.hostname in LOOPBACK):
            raise ValueError(f"endpoint {endpoint!r}: Pub/Sub is reached over https (plain http only on loopback, "
                             "for the emulator)")
        self.path = path
        self.endpoint = endpoint.rstrip("/")
        self._token = token
        self._opener = opener
        self.pull_timeout = pull_timeout

    def _call(self, verb: str, body: dict, timeout: float) -> dict:
        headers = {"Content-Type": "application/json"}
        token = self._token()
        if token:
            headers["Authorization"] = f"Bearer {token}"
        request = urllib.request.Request(f"{self.endpoint}/v1/{self.path}:{verb}", data=json.dumps(body).encode(),
                                         method="POST", headers=headers)
        with self._opener(request, timeout=timeout) as response:
            text = response.read()
        return json.loads(text) if text.strip() else {}

    def pull(self, max_messages: int) -> list[Received]:
        """Up to ``max_messages`` messages; an empty list when none arrived within the pull timeout."""
        try:
            answer = self._call("pull", {"maxMessages": max_messages}, self.pull_timeout)
        except (TimeoutError, socket.timeout):
            return []
        except urllib.error.URLError as exc:
            if isinstance(exc.reason, (TimeoutError, socket.timeout)):
                return []
            raise
        return [
            Received(
                ack_id=item["ackId"],
                data=base64.b64decode(item.get("message", {}).get("data", "")),
                message_id=str(item.get("message", {}).get("messageId", "")),
                delivery_attempt=int(item.get("deliveryAttempt", 0)),
            )
            for item in answer.get("receivedMessages", [])
        ]

    def acknowledge(self, ack_ids: Sequence[str]) -> None:
        if ack_ids:
            self._call("acknowledge", {"ackIds": list(ack_ids)}, CALL_TIMEOUT_SECONDS)

    def hand_back(self, ack_ids: Sequence[str]) -> None:
        """Negative acknowledgement: the messages are redelivered after the retry back-off."""
        if ack_ids:
            self._call("modifyAckDeadline", {"ackIds": list(ack_ids), "ackDeadlineSeconds": 0}, CALL_TIMEOUT_SECONDS)
