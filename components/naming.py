"""Physical names that fit each service's limits, stable across releases.

Logical names (the Pulumi URN part) come from the component name:
``f"{name}-{role}"``. Physical names, where a service needs one, are built
here and nowhere else: a prefix from project and stack, the role, and a short
stable hash of the three so that globally unique namespaces (S3, GCS, storage
accounts, Key Vault) do not collide between two stacks whose names only
differ after truncation. The hash is derived, never random, so a name is the
same on every preview.

A user can pin any physical name with ``blueprint:names`` (key
``"<stage>-<role>"`` as printed in errors). An override is checked against the
same rules; a generated name that cannot fit is an error naming that key.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from typing import Mapping


class NamingError(ValueError):
    """A physical name cannot be built or an override breaks the service's rules."""


@dataclass(frozen=True)
class NameRule:
    """The limits of one service's physical names."""

    min_len: int
    max_len: int
    pattern: str
    """A full-match regular expression for a valid name."""
    separator: str = "-"
    """The separator to join parts with ("" where the service allows none)."""
    lower: bool = True
    description: str = ""

    def check(self, value: str) -> str | None:
        """Return why ``value`` is invalid, or None."""
        if not self.min_len <= len(value) <= self.max_len:
            return f"length {len(value)} is outside {self.min_len}-{self.max_len}"
        if not re.fullmatch(self.pattern, value):
            return f"must match {self.description or self.pattern}"
        return None


_DNS_LABELS = r"[a-z0-9][a-z0-9-]*[a-z0-9]"

RULES: dict[str, NameRule] = {
    # AWS
    "s3-bucket": NameRule(3, 63, r"(?!xn--)(?!sthree-)[a-z0-9][a-z0-9-]*[a-z0-9](?<!-s3alias)(?<!--ol-s3)",
                          description="3-63 lower-case letters, digits and hyphens, starting and ending alphanumeric"),
    "kinesis-stream": NameRule(1, 128, r"[a-zA-Z0-9_.-]+", description="1-128 of a-z A-Z 0-9 _ . -"),
    "firehose-stream": NameRule(1, 64, r"[a-zA-Z0-9_.-]+", description="1-64 of a-z A-Z 0-9 _ . -"),
    "iam-role": NameRule(1, 64, r"[a-zA-Z0-9+=,.@_-]+", description="1-64 of a-z A-Z 0-9 +=,.@_-"),
    "glue-database": NameRule(1, 255, r"[a-z0-9_]+", separator="_", description="lower-case letters, digits and _"),
    "athena-workgroup": NameRule(1, 128, r"[a-zA-Z0-9._-]+", description="1-128 of a-z A-Z 0-9 . _ -"),
    "emr-serverless-application": NameRule(1, 64, r"[A-Za-z0-9][A-Za-z0-9._/#-]*",
                                           description="1-64, starting alphanumeric"),
    "api-gateway": NameRule(1, 1024, r"[A-Za-z0-9._-]+", description="letters, digits . _ -"),
    # WAFV2 CreateWebACL Name: 1-128 characters matching ^[\w\-]+$ (no dots, unlike API Gateway's names).
    "wafv2-web-acl": NameRule(1, 128, r"[A-Za-z0-9_-]+", description="1-128 of letters, digits _ -"),
    "log-group": NameRule(1, 512, r"[A-Za-z0-9_./#-]+", description="letters, digits _ . / # -"),
    "sns-topic": NameRule(1, 256, r"[A-Za-z0-9_-]+", description="letters, digits _ -"),
    "budget": NameRule(1, 100, r"[^:\\]+", description="1-100 characters without : or \\"),
    "kms-alias": NameRule(1, 250, r"alias/[a-zA-Z0-9/_-]+", description="alias/ then a-z A-Z 0-9 / _ -"),
    "kms-alias-name": NameRule(1, 244, r"(?!aws/)[a-zA-Z0-9/_-]+",
                               description="the part after alias/: 1-244 of a-z A-Z 0-9 / _ -, not aws/"),
    "emr-cluster": NameRule(1, 256, r"[A-Za-z0-9._-]+", description="1-256 of letters, digits . _ -"),
    "eventbridge-scheduler": NameRule(1, 64, r"[0-9a-zA-Z._-]+", description="1-64 of letters, digits . _ -"),
    "lambda-function": NameRule(1, 64, r"[a-zA-Z0-9_-]+", description="1-64 of letters, digits _ -"),
    # Azure
    "azure-resource-group": NameRule(1, 90, r"[a-zA-Z0-9._()-]*[a-zA-Z0-9_()-]",
                                     description="1-90 of letters, digits . _ ( ) -, not ending in ."),
    "azure-storage-account": NameRule(3, 24, r"[a-z0-9]+", separator="",
                                      description="3-24 lower-case letters and digits"),
    "azure-key-vault": NameRule(3, 24, r"[a-z](?!.*--)[a-z0-9-]*[a-z0-9]",
                                description="3-24 letters, digits and single hyphens, starting with a letter"),
    "azure-eventhubs-namespace": NameRule(6, 50, r"[a-z][a-z0-9-]*[a-z0-9]",
                                          description="6-50 letters, digits and hyphens, starting with a letter"),
    "azure-eventhub": NameRule(1, 256, r"[a-z0-9][a-z0-9._-]*", description="letters, digits . _ -"),
    "azure-databricks-workspace": NameRule(3, 64, r"[a-zA-Z0-9_-]+", description="3-64 of letters, digits _ -"),
    "azure-synapse-workspace": NameRule(1, 45, r"[a-z0-9](?!.*-ondemand$)[a-z0-9-]*[a-z0-9]",
                                        description="1-45 lower-case letters, digits and hyphens"),
    "azure-grafana": NameRule(2, 23, r"[a-zA-Z][a-zA-Z0-9-]*[a-zA-Z0-9]",
                              description="2-23 letters, digits and hyphens, starting with a letter"),
    "azure-managed-identity": NameRule(3, 128, r"[a-zA-Z0-9][a-zA-Z0-9_-]*", description="3-128 of letters, digits _ -"),
    # One rule for many resource types, so it holds the tightest of them: budgets 1-63
    # (Microsoft.Consumption), virtual networks and private endpoints 2-64, NSGs and subnets 1-80.
    "azure-generic": NameRule(1, 63, r"[a-zA-Z0-9][a-zA-Z0-9._-]*[a-zA-Z0-9_]",
                              description="1-63 of letters, digits . _ -"),
    "azure-action-group-short": NameRule(1, 12, r"[a-z0-9]+", separator="",
                                         description="1-12 lower-case letters and digits (action group short name)"),
    "azure-synapse-spark-pool": NameRule(1, 15, r"[a-z][a-z0-9]*", separator="",
                                         description="1-15 lower-case letters and digits, starting with a letter"),
    "azure-log-analytics-workspace": NameRule(4, 63, r"[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9]",
                                              description="4-63 letters, digits and hyphens"),
    # GCP
    "gcs-bucket": NameRule(3, 63, r"(?!goog)[a-z0-9][a-z0-9_-]*[a-z0-9]",
                           description="3-63 lower-case letters, digits, - and _, not starting with goog"),
    "gcp-service-account": NameRule(6, 30, r"[a-z][a-z0-9-]*[a-z0-9]",
                                    description="6-30 lower-case letters, digits and hyphens, starting with a letter"),
    "pubsub": NameRule(3, 255, r"[a-zA-Z][a-zA-Z0-9._~%+-]*",
                       description="3-255 characters, starting with a letter"),
    "bigquery-dataset": NameRule(1, 1024, r"[a-zA-Z0-9_]+", separator="_", description="letters, digits and _"),
    "gcp-kms": NameRule(1, 63, r"[a-zA-Z0-9_-]+", description="1-63 of letters, digits _ -"),
    "gcp-network": NameRule(1, 63, r"[a-z](?:[-a-z0-9]*[a-z0-9])?",
                            description="1-63 lower-case letters, digits and hyphens, starting with a letter"),
    "dataproc": NameRule(1, 51, r"[a-z](?:[-a-z0-9]*[a-z0-9])?",
                         description="1-51 lower-case letters, digits and hyphens, starting with a letter"),
    "dataproc-autoscaling-policy": NameRule(3, 50, r"[a-zA-Z][a-zA-Z0-9_-]*[a-zA-Z0-9]",
                                            description="3-50 letters, digits, _ and -, starting with a letter"),
    "cloud-scheduler-job": NameRule(1, 500, r"[A-Za-z0-9_-]+", description="1-500 of letters, digits _ -"),
    "gcp-budget": NameRule(1, 60, r"[^\x00-\x1f]+", description="1-60 printable characters"),
}

HASH_LEN = 6


def stable_hash(*parts: str, length: int = HASH_LEN) -> str:
    """A short, deterministic, lower-case alphanumeric digest of ``parts``."""
    digest = hashlib.sha256("\x1f".join(parts).encode()).hexdigest()
    return digest[:length]


def _squash(value: str, rule: NameRule) -> str:
    """Reduce ``value`` to the characters a generated name may contain."""
    text = value.lower() if rule.lower else value
    sep = rule.separator
    text = re.sub(r"[^a-z0-9]+" if rule.lower else r"[^A-Za-z0-9]+", sep or "", text)
    if sep:
        text = re.sub(re.escape(sep) + "+", sep, text).strip(sep)
    return text


@dataclass(frozen=True)
class Namer:
    """Builds physical names for one stack.

    >>> Namer("blueprint", "aws").name("s3-bucket", "store-raw")
    'blueprint-aws-store-raw-...'
    """

    project: str
    stack: str
    overrides: Mapping[str, str] = None  # type: ignore[assignment]

    def __post_init__(self) -> None:
        if self.overrides is None:
            object.__setattr__(self, "overrides", {})

    def name(self, service: str, role: str, *, salt: str = "") -> str:
        """The physical name of ``role`` (``"<stage>-<role>"``) for ``service``.

        ``salt`` changes the hash only; use it where a service keeps deleted
        names reserved (Key Vault soft delete) so that recreation gets a new one.
        """
        rule = RULES[service]
        override = self.overrides.get(role)
        if override is not None:
            problem = rule.check(override)
            if problem:
                raise NamingError(
                    f"blueprint:names.{role} = {override!r} is not a valid {service} name: {problem}"
                )
            return override
        sep = rule.separator
        digest = stable_hash(self.project, self.stack, service, role, salt)
        prefix = _squash(f"{self.project}{sep or '-'}{self.stack}", rule)
        role_part = _squash(role, rule)
        fixed = len(role_part) + len(digest) + 2 * len(sep)
        room = rule.max_len - fixed
        if room < 1 or not role_part:
            raise NamingError(
                f"cannot build a {service} name for {role!r} within {rule.max_len} characters "
                f"({rule.description}); set blueprint:names.{role} to a valid name"
            )
        if not prefix or not prefix[0].isalpha():
            # Many services want a leading letter; a stack like "42" must still work.
            prefix = "b" + prefix
        # Truncation may leave a trailing separator, which would double up when joined.
        prefix = prefix[:room].rstrip(sep) if sep else prefix[:room]
        candidate = sep.join(p for p in (prefix, role_part, digest) if p)
        problem = rule.check(candidate)
        if problem:
            raise NamingError(
                f"cannot build a {service} name for {role!r} ({candidate!r}: {problem}); "
                f"set blueprint:names.{role} to a valid name"
            )
        return candidate


def label_value(value: str) -> str:
    """A GCP label value: at most 63 lower-case letters, digits, ``_`` and ``-``."""
    text = re.sub(r"[^a-z0-9_-]+", "_", value.lower())
    return text[:63]


def label_key(value: str) -> str:
    """A GCP label key: starts with a letter, at most 63 lower-case characters."""
    text = label_value(value)
    if not text or not text[0].isalpha():
        text = ("k" + text)[:63]
    return text
