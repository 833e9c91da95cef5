"""GoogleFederation: the function's own AWS role credentials exchanged for a short-lived Google access token.

The standard AWS-to-Google flow of workload identity federation, written
with botocore's SigV4 signer and ``urllib`` (the Lambda runtime has no Google
library):

1. sign ``POST https://sts.<region>.amazonaws.com?Action=GetCallerIdentity&Version=2011-06-15``
   with the role's temporary credentials, the pool provider's resource name
   in the signed header ``x-goog-cloud-target-resource`` (so the signature
   is valid for that one audience);
2. serialize the signed request (``url``, ``method``, ``headers`` as
   ``{"key", "value"}`` pairs) as JSON, URL-encoded: the subject token. It
   holds no secret key, only a signature AWS verifies when Google's STS
   replays the request;
3. ``POST`` it to Google's STS (``token_url``) as a token exchange; the
   answer is a federated access token for the principal
   ``principalSet://…/attribute.aws_role/arn:aws:sts::ACCOUNT:assumed-role/ROLE``,
   which holds only the grants made to it (here: subscriber on one
   subscription).

The token is scoped to Pub/Sub only and cached until five minutes before it
expires. Everything the exchange needs is read from the ``external_account``
credential configuration the stack exports, so the function and any Google
client library read the same file.
"""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.parse
import urllib.request
from typing import Any, Callable, Mapping, Optional

from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest

SUBJECT_TOKEN_TYPE = "urn:ietf:params:aws:token-type:aws4_request"
GRANT_TYPE = "urn:ietf:params:oauth:grant-type:token-exchange"
REQUESTED_TOKEN_TYPE = "urn:ietf:params:oauth:token-type:access_token"
PUBSUB_SCOPE = "https://www.googleapis.com/auth/pubsub"
"""Narrower than ``cloud-platform``: the token can call Pub/Sub and nothing else."""
TARGET_RESOURCE_HEADER = "x-goog-cloud-target-resource"
REFRESH_MARGIN_SECONDS = 300
HTTP_TIMEOUT_SECONDS = 20


class FederationError(RuntimeError):
    """The credential configuration is unusable, or Google's STS refused the exchange."""


def _https(url: str, what: str) -> str:
    if urllib.parse.urlsplit(url).scheme != "https":
        raise FederationError(f"{what} {url!r} is not https: the exchange crosses the internet and needs TLS")
    return url


def subject_token(credentials: Any, region: str, audience: str, verification_url: str) -> str:
    """The URL-encoded JSON of a SigV4-signed ``GetCallerIdentity`` request, bound to ``audience``."""
    url = _https(verification_url.replace("{region}", region), "regional_cred_verification_url")
    host = urllib.parse.urlsplit(url).netloc
    request = AWSRequest(method="POST", url=url, headers={"host": host, TARGET_RESOURCE_HEADER: audience})
    SigV4Auth(credentials, "sts", region).add_auth(request)
    headers = [{"key": key, "value": value} for key, value in sorted(request.headers.items(), key=lambda kv: kv[0].lower())]
    serialized = json.dumps({"url": url, "method": "POST", "headers": headers}, separators=(",", ":"), sort_keys=True)
    return urllib.parse.quote(serialized, safe="")


class GoogleFederation:
    """``token()``: a Google access token for this function's AWS role, refreshed before it expires."""

    def __init__(
        self,
        configuration: Mapping[str, Any],
        credentials: Callable[[], Any],
        region: str,
        *,
        opener: Callable[..., Any] = urllib.request.urlopen,
        clock: Callable[[], float] = time.time,
    ) -> None:
        if configuration.get("type") != "external_account":
            raise FederationError(f"credential configuration type {configuration.get('type')!r}: expected "
                                  "'external_account'")
        if configuration.get("subject_token_type") != SUBJECT_TOKEN_TYPE:
            raise FederationError(f"subject_token_type {configuration.get('subject_token_type')!r}: expected "
                                  f"{SUBJECT_TOKEN_TYPE!r} (an AWS workload)")
        if configuration.get("service_account_impersonation_url"):
            raise FederationError("the drain uses the federated token directly; a configuration that impersonates "
                                  "a service account is not supported")
        source = configuration.get("credential_source") or {}
        self.audience = str(configuration.get("audience") or "")
        if not self.audience.startswith("//iam.googleapis.com/"):
            raise FederationError(f"audience {self.audience!r}: expected a workload identity pool provider "
                                  "(//iam.googleapis.com/projects/…/providers/…)")
        self.token_url = _https(str(configuration.get("token_url") or ""), "token_url")
        self.verification_url = str(source.get("regional_cred_verification_url") or "")
        _https(self.verification_url.replace("{region}", region), "regional_cred_verification_url")
        self.region = region
        self._credentials = credentials
        self._opener = opener
        self._clock = clock
        self._token: Optional[str] = None
        self._expires_at = 0.0

    def exchange_request(self) -> urllib.request.Request:
        """The STS token-exchange request, signed afresh with the role's current credentials."""
        body = {
            "audience": self.audience,
            "grantType": GRANT_TYPE,
            "requestedTokenType": REQUESTED_TOKEN_TYPE,
            "scope": PUBSUB_SCOPE,
            "subjectToken": subject_token(self._credentials(), self.region, self.audience, self.verification_url),
            "subjectTokenType": SUBJECT_TOKEN_TYPE,
        }
        return urllib.request.Request(self.token_url, data=json.dumps(body).encode(), method="POST",
                                      headers={"Content-Type": "application/json"})

    def token(self) -> str:
        now = self._clock()
        if self._token is None or now >= self._expires_at - REFRESH_MARGIN_SECONDS:
            try:
                with self._opener(self.exchange_request(), timeout=HTTP_TIMEOUT_SECONDS) as response:
                    answer = json.load(response)
            except urllib.error.HTTPError as exc:
                detail = exc.read()[:500].decode("utf-8", errors="replace")
                raise FederationError(f"Google STS refused the exchange ({exc.code}): {detail}") from None
            if not answer.get("access_token"):
                raise FederationError(f"Google STS answered without an access token: {sorted(answer)}")
            self._token = answer["access_token"]
            self._expires_at = now + int(answer.get("expires_in", 0))
        return self._token
