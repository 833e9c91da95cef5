"""The driver's federated AWS session: metadata token, STS exchange, renewal before expiry, atomic publication.

The metadata server and STS are fakes on localhost that check what a real one
would require (the ``Metadata-Flavor`` header, the audience, the STS form).
"""

from __future__ import annotations

import datetime as dt
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from pipeline.aws_federation import FederatedAwsSession, assume_role, attach, fetch_id_token, publish

ROLE = "arn:aws:iam::123456789012:role/blueprint-hybrid-processing-s3-18e31a"
T0 = dt.datetime(2026, 11, 30, 8, 0, tzinfo=dt.timezone.utc)


class Fakes:
    """A metadata server and an STS endpoint; each STS call returns a new session valid for one hour from ``now``."""

    def __init__(self):
        self.now = T0
        self.metadata_requests: list[dict] = []
        self.sts_requests: list[dict] = []
        self.sts_error = False
        fakes = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def _reply(self, status, body, kind="text/plain"):
                self.send_response(status)
                self.send_header("Content-Type", kind)
                self.end_headers()
                self.wfile.write(body.encode())

            def do_GET(self):
                url = urllib.parse.urlparse(self.path)
                fakes.metadata_requests.append({"path": url.path, "query": urllib.parse.parse_qs(url.query),
                                                "flavor": self.headers.get("Metadata-Flavor")})
                if self.headers.get("Metadata-Flavor") != "Google":
                    return self._reply(403, "Missing Metadata-Flavor:Google header")
                audience = urllib.parse.parse_qs(url.query)["audience"][0]
                self._reply(200, f"header.token-for-{audience}-{len(fakes.metadata_requests)}.signature\n")

            def do_POST(self):
                form = urllib.parse.parse_qs(self.rfile.read(int(self.headers["Content-Length"])).decode())
                fakes.sts_requests.append({k: v[0] for k, v in form.items()})
                if fakes.sts_error:
                    return self._reply(403, '<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">'
                                            "<Error><Type>Sender</Type><Code>AccessDenied</Code><Message>Not "
                                            "authorized to perform sts:AssumeRoleWithWebIdentity</Message></Error>"
                                            "</ErrorResponse>", "text/xml")
                n = len(fakes.sts_requests)
                expires = (fakes.now + dt.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
                self._reply(200, '<AssumeRoleWithWebIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">'
                                 "<AssumeRoleWithWebIdentityResult><Credentials>"
                                 f"<AccessKeyId>ASIAFAKE{n}</AccessKeyId><SecretAccessKey>secret-{n}</SecretAccessKey>"
                                 f"<SessionToken>session-{n}</SessionToken><Expiration>{expires}</Expiration>"
                                 "</Credentials></AssumeRoleWithWebIdentityResult>"
                                 "</AssumeRoleWithWebIdentityResponse>", "text/xml")

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def session(self) -> FederatedAwsSession:
        return FederatedAwsSession(ROLE, ROLE, "us-east-1", metadata_url=f"{self.base}/computeMetadata/v1/instance/"
                                   "service-accounts/default/identity", sts_endpoint=f"{self.base}/",
                                   clock=lambda: self.now)


@pytest.fixture
def fakes():
    f = Fakes()
    yield f
    f.server.shutdown()


def test_the_token_comes_from_the_metadata_server_with_the_flavor_header_and_the_pinned_audience(fakes):
    token = fetch_id_token(ROLE, f"{fakes.base}/computeMetadata/v1/instance/service-accounts/default/identity")
    assert token == f"header.token-for-{ROLE}-1.signature"
    assert fakes.metadata_requests == [{
        "path": "/computeMetadata/v1/instance/service-accounts/default/identity",
        "query": {"audience": [ROLE], "format": ["full"]}, "flavor": "Google",
    }]


def test_the_token_is_exchanged_for_a_one_hour_session_of_the_role(fakes):
    session = assume_role("the-token", ROLE, f"{fakes.base}/", "blueprint-spark")
    assert fakes.sts_requests == [{
        "Action": "AssumeRoleWithWebIdentity", "Version": "2011-06-15", "RoleArn": ROLE,
        "RoleSessionName": "blueprint-spark", "WebIdentityToken": "the-token", "DurationSeconds": "3600",
    }]
    assert session.hadoop_properties() == {"fs.s3a.access.key": "ASIAFAKE1", "fs.s3a.secret.key": "secret-1",
                                           "fs.s3a.session.token": "session-1"}
    assert session.expiration == dt.datetime(2026, 11, 30, 9, 0, tzinfo=dt.timezone.utc)
    assert "secret-1" not in repr(session) and "session-1" not in repr(session)


def test_a_refusal_names_the_role_and_the_sts_error_but_not_the_token(fakes):
    fakes.sts_error = True
    with pytest.raises(RuntimeError) as err:
        assume_role("the-secret-token", ROLE, f"{fakes.base}/", "blueprint-spark")
    assert str(err.value) == (f"STS refused AssumeRoleWithWebIdentity for {ROLE}: AccessDenied: "
                              "Not authorized to perform sts:AssumeRoleWithWebIdentity")


def test_the_session_is_renewed_only_when_less_than_15_minutes_are_left(fakes):
    federated = fakes.session()
    first, renewed = federated.current()
    assert (first.access_key_id, renewed) == ("ASIAFAKE1", True)
    fakes.now = T0 + dt.timedelta(minutes=44)  # 16 minutes left
    assert federated.current() == (first, False)
    fakes.now = T0 + dt.timedelta(minutes=46)  # 14 minutes left
    second, renewed = federated.current()
    assert (second.access_key_id, renewed) == ("ASIAFAKE2", True)
    assert len(fakes.metadata_requests) == 2 and len(fakes.sts_requests) == 2
    assert fakes.sts_requests[1]["WebIdentityToken"] == f"header.token-for-{ROLE}-2.signature"


def test_a_renewal_replaces_all_three_keys_and_keeps_the_batch_properties(spark, fakes):
    conf = spark.sparkContext._jsc.hadoopConfiguration()
    conf.set("fs.s3a.endpoint.region", "us-east-1")  # as spark.hadoop.* batch properties are set
    federated = fakes.session()
    publish(spark, federated.current()[0])
    fakes.now = T0 + dt.timedelta(minutes=50)
    publish(spark, federated.current()[0])
    copy = spark.sparkContext._jvm.org.apache.hadoop.conf.Configuration(conf)  # what a new job is planned with
    assert [copy.get(k) for k in ("fs.s3a.access.key", "fs.s3a.secret.key", "fs.s3a.session.token")] == \
        ["ASIAFAKE2", "secret-2", "session-2"]
    assert copy.get("fs.s3a.endpoint.region") == "us-east-1"


def test_a_batch_without_a_federated_role_attaches_nothing(spark):
    assert attach(spark) is None


def _within_5_s(condition) -> bool:
    deadline = time.monotonic() + 5
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.01)
    return True


def test_the_renewal_thread_publishes_each_new_session_once_and_survives_a_refusal(fakes, monkeypatch):
    import pipeline.aws_federation as module

    published = []
    monkeypatch.setattr(module, "publish", lambda spark, session: published.append(session.access_key_id))
    federated = fakes.session()
    federated.current()  # the session attach() publishes itself
    stop = threading.Event()
    thread = threading.Thread(target=module.keep_fresh, args=(None, federated, stop, 0.01), daemon=True)
    thread.start()
    fakes.sts_error = True
    fakes.now = T0 + dt.timedelta(minutes=50)  # due, but STS refuses: the thread keeps polling
    assert _within_5_s(lambda: len(fakes.sts_requests) >= 3)
    fakes.sts_error = False
    assert _within_5_s(lambda: published)
    stop.set()
    thread.join(timeout=5)
    assert not thread.is_alive()
    assert published == [f"ASIAFAKE{len(fakes.sts_requests)}"]
