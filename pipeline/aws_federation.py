"""The AWS session of a Spark job on GCP that reads and writes an S3 lake, with no stored key.

When the batch carries ``spark.blueprint.aws.roleArn`` (the Processing on GCP
-> Store on AWS edge sets it), the driver:

1. asks the metadata server for a Google-signed ID token of the runtime
   service account (``Metadata-Flavor: Google``, ``format=full`` so that the
   token carries ``azp``), for the audience the AWS role's trust pins;
2. exchanges it at AWS STS (``AssumeRoleWithWebIdentity``, an unsigned HTTPS
   call: the token is the credential) for a one-hour session;
3. publishes the session to the Hadoop configuration that S3A's
   ``TemporaryAWSCredentialsProvider`` reads, in the driver and in every task.

A daemon thread renews the session when less than ``RENEW_BEFORE`` of it is
left. Each renewal is published as one new configuration resource, so a task
never sees an access key of one session with the secret of another.

Why not a web identity token file for the AWS SDK: Spark's executors run on
other hosts, which never see a file the driver writes.
"""

from __future__ import annotations

import datetime as dt
import threading
import urllib.error
import urllib.parse
import urllib.request
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from typing import Callable, Optional

METADATA_IDENTITY_URL = "http://metadata.google.internal/computeMetadata/v1/instance/service-accounts/default/identity"
STS_VERSION = "2011-06-15"
STS_NAMESPACE = "{https://sts.amazonaws.com/doc/2011-06-15/}"
SESSION_SECONDS = 3600
RENEW_BEFORE = dt.timedelta(minutes=15)
"""Renew a session with less than this left: longer than any single S3 request of the job takes to start."""
POLL_SECONDS = 60
ROLE_PROPERTY = "spark.blueprint.aws.roleArn"
AUDIENCE_PROPERTY = "spark.blueprint.aws.audience"
REGION_PROPERTY = "spark.blueprint.aws.region"


def sts_url(region: str) -> str:
    return f"https://sts.{region}.amazonaws.com/"


def _utcnow() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


@dataclass(frozen=True)
class AwsSession:
    access_key_id: str
    secret_access_key: str
    session_token: str
    expiration: dt.datetime

    def hadoop_properties(self) -> dict[str, str]:
        """What S3A's ``TemporaryAWSCredentialsProvider`` reads."""
        return {"fs.s3a.access.key": self.access_key_id, "fs.s3a.secret.key": self.secret_access_key,
                "fs.s3a.session.token": self.session_token}

    def __repr__(self) -> str:  # never print the secret or the token
        return f"AwsSession({self.access_key_id}, expires {self.expiration.isoformat()})"


def fetch_id_token(audience: str, url: str = METADATA_IDENTITY_URL, timeout: float = 10) -> str:
    """A Google-signed ID token of the VM's service account, minted for ``audience``."""
    query = urllib.parse.urlencode({"audience": audience, "format": "full"})
    request = urllib.request.Request(f"{url}?{query}", headers={"Metadata-Flavor": "Google"})
    with urllib.request.urlopen(request, timeout=timeout) as response:
        return response.read().decode("ascii").strip()


def assume_role(token: str, role_arn: str, url: str, session_name: str, timeout: float = 30) -> AwsSession:
    """Exchange a web identity token for a session of ``role_arn`` at the STS endpoint ``url``."""
    body = urllib.parse.urlencode({
        "Action": "AssumeRoleWithWebIdentity", "Version": STS_VERSION, "RoleArn": role_arn,
        "RoleSessionName": session_name, "WebIdentityToken": token, "DurationSeconds": str(SESSION_SECONDS),
    }).encode()
    request = urllib.request.Request(url, data=body, method="POST",
                                     headers={"Content-Type": "application/x-www-form-urlencoded"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            document = ET.fromstring(response.read())
    except urllib.error.HTTPError as exc:
        error = ET.fromstring(exc.read() or b"<e/>")
        code = error.findtext(f".//{STS_NAMESPACE}Code") or str(exc.code)
        message = error.findtext(f".//{STS_NAMESPACE}Message") or exc.reason
        raise RuntimeError(f"STS refused AssumeRoleWithWebIdentity for {role_arn}: {code}: {message}") from None
    credentials = document.find(f"{STS_NAMESPACE}AssumeRoleWithWebIdentityResult/{STS_NAMESPACE}Credentials")
    if credentials is None:
        raise RuntimeError(f"STS answered AssumeRoleWithWebIdentity for {role_arn} without credentials")
    expiration = dt.datetime.fromisoformat(credentials.findtext(f"{STS_NAMESPACE}Expiration").replace("Z", "+00:00"))
    return AwsSession(credentials.findtext(f"{STS_NAMESPACE}AccessKeyId"),
                      credentials.findtext(f"{STS_NAMESPACE}SecretAccessKey"),
                      credentials.findtext(f"{STS_NAMESPACE}SessionToken"), expiration)


class FederatedAwsSession:
    """The current session of one role, renewed when less than ``RENEW_BEFORE`` is left."""

    def __init__(self, role_arn: str, audience: str, region: str, *, metadata_url: str = METADATA_IDENTITY_URL,
                 sts_endpoint: Optional[str] = None, session_name: str = "blueprint-spark",
                 clock: Callable[[], dt.datetime] = _utcnow) -> None:
        self.role_arn, self.audience = role_arn, audience
        self.metadata_url = metadata_url
        self.sts_endpoint = sts_endpoint or sts_url(region)
        self.session_name = session_name
        self.clock = clock
        self._session: Optional[AwsSession] = None
        self._lock = threading.Lock()

    def due(self) -> bool:
        return self._session is None or self._session.expiration - self.clock() < RENEW_BEFORE

    def current(self) -> tuple[AwsSession, bool]:
        """The session, and whether it was renewed by this call."""
        with self._lock:
            renewed = self.due()
            if renewed:
                token = fetch_id_token(self.audience, self.metadata_url)
                self._session = assume_role(token, self.role_arn, self.sts_endpoint, self.session_name)
            return self._session, renewed


def publish(spark, session: AwsSession) -> None:
    """Put ``session`` into the job's Hadoop configuration as one resource (all three keys at once)."""
    fresh = spark.sparkContext._jvm.org.apache.hadoop.conf.Configuration(False)
    for key, value in session.hadoop_properties().items():
        fresh.set(key, value)
    spark.sparkContext._jsc.hadoopConfiguration().addResource(fresh)


def keep_fresh(spark, federated: FederatedAwsSession, stop: threading.Event, poll_seconds: float = POLL_SECONDS):
    """Renew and publish until ``stop`` is set (the body of the daemon thread)."""
    while not stop.wait(poll_seconds):
        try:
            session, renewed = federated.current()
        except (OSError, RuntimeError) as exc:  # retried at the next poll, while the current session still holds
            print(f"aws session renewal failed, retrying in {poll_seconds:.0f} s: {exc}")
            continue
        if renewed:
            publish(spark, session)


def attach(spark) -> Optional[threading.Event]:
    """Start the federated session if the batch carries a role; returns the renewal thread's stop event."""
    role_arn = spark.conf.get(ROLE_PROPERTY, None)
    if not role_arn:
        return None
    federated = FederatedAwsSession(role_arn, spark.conf.get(AUDIENCE_PROPERTY, role_arn),
                                    spark.conf.get(REGION_PROPERTY))
    session, _ = federated.current()
    publish(spark, session)
    stop = threading.Event()
    threading.Thread(target=keep_fresh, args=(spark, federated, stop), name="aws-session-renewal",
                     daemon=True).start()
    return stop
