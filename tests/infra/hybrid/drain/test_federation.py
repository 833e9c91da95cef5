"""The AWS-to-Google token exchange: a signed GetCallerIdentity request for one provider, posted to Google's STS.

The signature is checked by an independent SigV4 verifier written here from
AWS's specification (canonical request, string to sign, signing key), which
is what AWS does when Google's STS replays the serialized request.
"""

from __future__ import annotations

import hashlib
import hmac
import io
import json
import urllib.error
import urllib.parse

import pytest
from botocore.credentials import Credentials

from infra.hybrid.drain.federation import FederationError, GoogleFederation, subject_token

AUDIENCE = ("//iam.googleapis.com/projects/123456789/locations/global/workloadIdentityPools/"
            "bluep-buffer-drain-pool-1a2b3c/providers/bluepr-buffer-drain-idp-4d5e6f")
SECRET = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
CREDENTIALS = Credentials("ASIAEXAMPLEKEYID0001", SECRET, "FwoGZXIvYXdzEXAMPLESESSIONTOKEN")
VERIFY_URL = "https://sts.{region}.amazonaws.com?Action=GetCallerIdentity&Version=2011-06-15"
CONFIG = {
    "type": "external_account",
    "audience": AUDIENCE,
    "subject_token_type": "urn:ietf:params:aws:token-type:aws4_request",
    "token_url": "https://sts.googleapis.com/v1/token",
    "credential_source": {"environment_id": "aws1", "regional_cred_verification_url": VERIFY_URL},
}


def decode(token: str) -> dict:
    return json.loads(urllib.parse.unquote(token))


def sigv4_valid(request: dict, secret: str) -> bool:
    """AWS Signature Version 4, from the specification, for a POST without a body."""
    headers = {h["key"].lower(): h["value"] for h in request["headers"]}
    auth = headers["authorization"]
    algorithm, rest = auth.split(" ", 1)
    fields = dict(part.strip().split("=", 1) for part in rest.split(","))
    access_key, date, region, service, terminal = fields["Credential"].split("/")
    signed = fields["SignedHeaders"].split(";")
    url = urllib.parse.urlsplit(request["url"])
    query = "&".join(f"{urllib.parse.quote(k, safe='-_.~')}={urllib.parse.quote(v, safe='-_.~')}"
                     for k, v in sorted(urllib.parse.parse_qsl(url.query)))
    canonical = "\n".join([
        request["method"], url.path or "/", query,
        "".join(f"{name}:{' '.join(headers[name].split())}\n" for name in signed),
        ";".join(signed), hashlib.sha256(b"").hexdigest(),
    ])
    scope = f"{date}/{region}/{service}/{terminal}"
    to_sign = "\n".join([algorithm, headers["x-amz-date"], scope, hashlib.sha256(canonical.encode()).hexdigest()])
    key = ("AWS4" + secret).encode()
    for part in (date, region, service, terminal):
        key = hmac.new(key, part.encode(), hashlib.sha256).digest()
    return hmac.compare_digest(hmac.new(key, to_sign.encode(), hashlib.sha256).hexdigest(), fields["Signature"])


def test_the_subject_token_is_a_signed_get_caller_identity_bound_to_the_provider():
    request = decode(subject_token(CREDENTIALS, "us-east-1", AUDIENCE, VERIFY_URL))
    assert request["url"] == "https://sts.us-east-1.amazonaws.com?Action=GetCallerIdentity&Version=2011-06-15"
    assert request["method"] == "POST"
    headers = {h["key"].lower(): h["value"] for h in request["headers"]}
    assert set(headers) == {"authorization", "host", "x-amz-date", "x-amz-security-token",
                            "x-goog-cloud-target-resource"}
    assert headers["host"] == "sts.us-east-1.amazonaws.com"
    assert headers["x-goog-cloud-target-resource"] == AUDIENCE
    assert headers["x-amz-security-token"] == "FwoGZXIvYXdzEXAMPLESESSIONTOKEN"
    credential = headers["authorization"].split("Credential=", 1)[1].split(",", 1)[0]
    assert credential.startswith("ASIAEXAMPLEKEYID0001/") and credential.endswith("/us-east-1/sts/aws4_request")
    assert "x-goog-cloud-target-resource" in headers["authorization"].split("SignedHeaders=", 1)[1].split(",")[0]
    assert sigv4_valid(request, SECRET)
    assert SECRET not in json.dumps(request)


def test_the_signature_covers_the_audience():
    request = decode(subject_token(CREDENTIALS, "us-east-1", AUDIENCE, VERIFY_URL))
    for header in request["headers"]:
        if header["key"].lower() == "x-goog-cloud-target-resource":
            header["value"] = AUDIENCE.replace("4d5e6f", "000000")
    assert not sigv4_valid(request, SECRET)


class FakeSts:
    def __init__(self, answers):
        self.answers = list(answers)
        self.requests = []

    def __call__(self, request, timeout):
        self.requests.append(request)
        answer = self.answers.pop(0)
        if isinstance(answer, Exception):
            raise answer
        return io.BytesIO(json.dumps(answer).encode())


def test_the_exchange_posts_the_subject_token_to_google_sts_for_a_pubsub_token():
    sts = FakeSts([{"access_token": "ya29.federated", "expires_in": 3600, "token_type": "Bearer"}])
    federation = GoogleFederation(CONFIG, lambda: CREDENTIALS, "eu-west-1", opener=sts)
    assert federation.token() == "ya29.federated"
    (request,) = sts.requests
    assert request.full_url == "https://sts.googleapis.com/v1/token"
    assert request.get_method() == "POST"
    assert request.get_header("Content-type") == "application/json"
    assert request.get_header("Authorization") is None
    body = json.loads(request.data)
    assert {k: v for k, v in body.items() if k != "subjectToken"} == {
        "audience": AUDIENCE,
        "grantType": "urn:ietf:params:oauth:grant-type:token-exchange",
        "requestedTokenType": "urn:ietf:params:oauth:token-type:access_token",
        "scope": "https://www.googleapis.com/auth/pubsub",
        "subjectTokenType": "urn:ietf:params:aws:token-type:aws4_request",
    }
    signed = decode(body["subjectToken"])
    assert signed["url"] == "https://sts.eu-west-1.amazonaws.com?Action=GetCallerIdentity&Version=2011-06-15"
    assert sigv4_valid(signed, SECRET)


def test_the_token_is_reused_until_five_minutes_before_it_expires():
    now = [1000.0]
    sts = FakeSts([{"access_token": "first", "expires_in": 3600}, {"access_token": "second", "expires_in": 3600}])
    federation = GoogleFederation(CONFIG, lambda: CREDENTIALS, "us-east-1", opener=sts, clock=lambda: now[0])
    assert federation.token() == "first"
    now[0] = 1000 + 3600 - 301
    assert federation.token() == "first"
    now[0] = 1000 + 3600 - 300
    assert federation.token() == "second"
    assert len(sts.requests) == 2


def test_a_refused_exchange_names_the_status():
    refusal = urllib.error.HTTPError("https://sts.googleapis.com/v1/token", 403, "Forbidden", {},
                                     io.BytesIO(b'{"error": "unauthorized_client"}'))
    federation = GoogleFederation(CONFIG, lambda: CREDENTIALS, "us-east-1", opener=FakeSts([refusal]))
    with pytest.raises(FederationError, match=r"refused the exchange \(403\).*unauthorized_client"):
        federation.token()


@pytest.mark.parametrize("change,message", [
    ({"type": "service_account"}, "expected 'external_account'"),
    ({"subject_token_type": "urn:ietf:params:oauth:token-type:jwt"}, "an AWS workload"),
    ({"service_account_impersonation_url": "https://iamcredentials.googleapis.com/v1/x:generateAccessToken"},
     "impersonates"),
    ({"token_url": "http://sts.googleapis.com/v1/token"}, "not https"),
    ({"audience": "//sts.example.com/provider"}, "workload identity pool provider"),
    ({"credential_source": {"regional_cred_verification_url": "http://sts.{region}.amazonaws.com"}}, "not https"),
])
def test_a_configuration_that_would_weaken_the_exchange_is_refused(change, message):
    with pytest.raises(FederationError, match=message):
        GoogleFederation({**CONFIG, **change}, lambda: CREDENTIALS, "us-east-1", opener=FakeSts([]))
