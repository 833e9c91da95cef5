"""The stack configuration: one typed, validated model for the whole platform.

It is built from the Pulumi stack config in the ``blueprint`` namespace
(``blueprint:cloud``, ``blueprint:stages``, ...). Bad input is refused before a
single resource is registered, with one ``ConfigError`` that lists every wrong
key, the value given and what is allowed. Unknown keys are errors: a typo must
not fall back to a default silently.

Defaults that depend on the profile (learning or production) live in
``PROFILE_DEFAULTS`` and nowhere else.
"""

from __future__ import annotations

import ipaddress
import json
import re
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from enum import StrEnum
from typing import Any, Literal, Mapping, Optional

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator
from pydantic.alias_generators import to_camel

NAMESPACE = "blueprint"


class Cloud(StrEnum):
    AWS = "aws"
    AZURE = "azure"
    GCP = "gcp"


class Profile(StrEnum):
    LEARNING = "learning"
    PRODUCTION = "production"


class StageName(StrEnum):
    CONNECT = "connect"
    BUFFER = "buffer"
    PROCESSING = "processing"
    STORE = "store"
    VISUALIZE = "visualize"


STAGE_ORDER: tuple[StageName, ...] = (
    StageName.CONNECT,
    StageName.BUFFER,
    StageName.PROCESSING,
    StageName.STORE,
    StageName.VISUALIZE,
)
"""The data flow, ingest to dashboards."""

DATA_FLOW_EDGES: tuple[tuple[StageName, StageName], ...] = (
    (StageName.CONNECT, StageName.BUFFER),
    (StageName.BUFFER, StageName.PROCESSING),
    (StageName.PROCESSING, StageName.STORE),
    (StageName.STORE, StageName.VISUALIZE),
)
"""Neighbouring stages that exchange data or identities."""


@dataclass(frozen=True)
class ProfileDefaults:
    ttl_hours: Optional[int]
    budget_usd: float
    buffer_retention_hours: int
    raw_expiration_days: Optional[int]
    protect: bool
    force_destroy: bool
    scan_limit_gb: int


PROFILE_DEFAULTS: dict[Profile, ProfileDefaults] = {
    Profile.LEARNING: ProfileDefaults(
        ttl_hours=72, budget_usd=10.0, buffer_retention_hours=24, raw_expiration_days=30,
        protect=False, force_destroy=True, scan_limit_gb=10,
    ),
    Profile.PRODUCTION: ProfileDefaults(
        ttl_hours=None, budget_usd=500.0, buffer_retention_hours=168, raw_expiration_days=None,
        protect=True, force_destroy=False, scan_limit_gb=100,
    ),
}

BUDGET_THRESHOLDS: tuple[tuple[str, int], ...] = (
    ("actual", 50),
    ("actual", 80),
    ("actual", 100),
    ("forecast", 100),
)
"""Budget alert thresholds (kind, percent of the monthly amount) on every cloud."""

_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[A-Za-z]{2,}")
_TTL = re.compile(r"(\d+)\s*([hd])")
_PRINCIPAL_ARN = re.compile(r"arn:aws(-cn|-us-gov)?:iam::\d{12}:(root|(role|user)/([\w+=,.@-]+/)*[\w+=,.@-]{1,64})")


class _Model(BaseModel):
    model_config = ConfigDict(
        extra="forbid", alias_generator=to_camel, populate_by_name=True, frozen=True
    )


class AwsSettings(_Model):
    region: str = Field("us-east-1", pattern=r"^[a-z]{2}(-gov)?-[a-z]+-\d$")
    """The AWS region, for example us-east-1."""
    api_gateway_logging_role: Optional[Literal["create", "existing"]] = None
    """``create``: the stack sets the region's API Gateway CloudWatch role (reset on destroy);
    ``existing``: the account already has one and the stack leaves the setting alone.
    Unset: ``existing`` in learning, ``create`` in production (see ``api_gateway_logging``)."""
    trusted_principals: list[str] = Field(default_factory=list)
    """IAM principal ARNs (account root, role or user) that may assume the producer, consumer,
    steward and reader roles; empty: this account's root (its IAM policies decide)."""

    @field_validator("trusted_principals")
    @classmethod
    def _principals(cls, value: list[str]) -> list[str]:
        bad = [v for v in value if not _PRINCIPAL_ARN.fullmatch(v)]
        if bad:
            raise ValueError(
                f"not IAM principal ARNs: {', '.join(bad)}; allowed: arn:<partition>:iam::<12-digit account>:root, "
                ":role/<path/name> or :user/<path/name>"
            )
        if len(set(value)) != len(value):
            raise ValueError("lists a principal twice")
        return value

    def api_gateway_logging(self, production: bool) -> str:
        """The API Gateway account-setting mode for a profile.

        The setting is one per account and region: learning stacks default to leaving it alone, so
        that destroying one never resets the role another stack (production) relies on.
        """
        if self.api_gateway_logging_role is not None:
            return self.api_gateway_logging_role
        return "create" if production else "existing"


class AzureSettings(_Model):
    location: str = Field("eastus", pattern=r"^[a-z][a-z0-9]+$")
    """The Azure location, for example eastus."""
    subscription_id: Optional[str] = Field(
        None, pattern=r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"
    )
    """The subscription to deploy to; default: the one the Azure CLI or environment selects."""
    databricks_principal_id: Optional[str] = Field(
        None, pattern=r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"
    )
    """Object id of the AzureDatabricks enterprise application in the tenant (production on Azure):
    it is granted the vault key for Databricks managed-services encryption."""


class GcpSettings(_Model):
    project: Optional[str] = Field(None, pattern=r"^[a-z][a-z0-9-]{4,28}[a-z0-9]$")
    """The GCP project id (required when GCP is used)."""
    region: str = Field("us-central1", pattern=r"^[a-z]+-[a-z]+\d$")
    """The GCP region, for example us-central1."""
    billing_account: Optional[str] = Field(None, pattern=r"^[0-9A-F]{6}-[0-9A-F]{6}-[0-9A-F]{6}$")
    """The billing account id (XXXXXX-XXXXXX-XXXXXX) the budget is created on (required when GCP is used)."""


class _StageSettings(_Model):
    cloud: Optional[Cloud] = None
    """Run this stage on another cloud than ``blueprint:cloud``."""


class ConnectSettings(_StageSettings):
    auth: Literal["iam", "api-key"] = "iam"
    """How producers authenticate: ``iam`` (signed requests, the default) or ``api-key``."""
    throttle_rate: float = Field(100.0, gt=0, le=10000)
    """Steady-state requests per second the ingest endpoint accepts."""
    throttle_burst: int = Field(200, gt=0, le=5000)
    """Burst of requests the ingest endpoint accepts."""


class BufferSettings(_StageSettings):
    retention_hours: Optional[int] = Field(None, ge=24, le=8760)
    """How long events stay in the buffer; default 24 (learning) or 168 (production)."""
    consumers: list[str] = Field(default_factory=lambda: ["sink", "spark"], min_length=1, max_length=10)
    """Named consumers; each gets its own subscription or consumer group."""

    @field_validator("consumers")
    @classmethod
    def _consumer_names(cls, value: list[str]) -> list[str]:
        for item in value:
            if not re.fullmatch(r"[a-z][a-z0-9-]{0,23}", item):
                raise ValueError(f"consumer {item!r} must be 1-24 lower-case letters, digits and hyphens")
        if len(set(value)) != len(value):
            raise ValueError("consumer names must be unique")
        return value


class ProcessingSettings(_StageSettings):
    engine: Literal["serverless", "cluster"] = "serverless"
    """The Spark engine: ``serverless`` (no idle cost) or ``cluster`` (bills while it exists)."""
    accept_idle_cost: bool = False
    """Allow a Spark engine that bills while idle in the learning profile."""
    max_vcpu: int = Field(16, ge=1, le=400)
    """Cap on the Spark engine's total vCPUs."""


class StoreSettings(_StageSettings):
    raw_expiration_days: Optional[int] = Field(None, ge=1, le=3650)
    """Delete raw objects after this many days; default 30 (learning) or never (production)."""


class VisualizeSettings(_StageSettings):
    scan_limit_gb: Optional[int] = Field(None, ge=1, le=10000)
    """Per-query scan cap in GB; default 10 (learning) or 100 (production)."""


class StagesSettings(_Model):
    connect: ConnectSettings = ConnectSettings()
    buffer: BufferSettings = BufferSettings()
    processing: ProcessingSettings = ProcessingSettings()
    store: StoreSettings = StoreSettings()
    visualize: VisualizeSettings = VisualizeSettings()


class PlatformConfig(_Model):
    """Everything a stack can set, with its default."""

    cloud: Cloud
    """The default cloud for every stage."""
    profile: Profile = Profile.LEARNING
    """``learning`` (cheap, destroyable) or ``production`` (durable, protected)."""
    owner: str = Field(pattern=r"^[a-z][a-z0-9-]{0,62}$")
    """Who owns the stack: a lower-case handle (it becomes a tag and a GCP label)."""
    alert_emails: list[str] = Field(min_length=1, max_length=10)
    """Who receives the budget alerts (at least one address)."""
    budget: Optional[float] = Field(None, gt=0, le=1_000_000)
    """Monthly budget in USD per cloud; default 10 (learning) or 500 (production)."""
    ttl: Optional[str] = None
    """Learning only: lifetime such as ``72h`` or ``3d``, written as the ``expires-at`` tag."""
    lease_start: Optional[datetime] = None
    """Learning only: when the lease began; default the start of the current UTC day."""
    network_cidr: str = "10.40.0.0/16"
    """The private address space split into zone subnets (RFC 1918, /16 to /22)."""
    tags: dict[str, str] = Field(default_factory=dict)
    """Extra tags for every resource (cannot replace the common ones)."""
    names: dict[str, str] = Field(default_factory=dict)
    """Physical-name overrides keyed ``"<stage>-<role>"``."""
    aws: AwsSettings = AwsSettings()
    azure: AzureSettings = AzureSettings()
    gcp: GcpSettings = GcpSettings()
    stages: StagesSettings = StagesSettings()

    @field_validator("alert_emails")
    @classmethod
    def _emails(cls, value: list[str]) -> list[str]:
        bad = [v for v in value if not _EMAIL.fullmatch(v)]
        if bad:
            raise ValueError(f"not e-mail addresses: {', '.join(bad)}")
        return value

    @field_validator("ttl")
    @classmethod
    def _ttl(cls, value: Optional[str]) -> Optional[str]:
        if value is None:
            return value
        match = _TTL.fullmatch(value.strip())
        if not match:
            raise ValueError("must look like 72h or 3d")
        hours = int(match[1]) * (24 if match[2] == "d" else 1)
        if not 1 <= hours <= 24 * 30:
            raise ValueError("must be between 1h and 30d")
        return value

    @field_validator("network_cidr")
    @classmethod
    def _cidr(cls, value: str) -> str:
        try:
            net = ipaddress.ip_network(value, strict=True)
        except ValueError as exc:
            raise ValueError(f"not a network address in CIDR form ({exc})") from None
        if net.version != 4 or not any(
            net.subnet_of(ipaddress.ip_network(p)) for p in ("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16")
        ):
            raise ValueError("must be a private RFC 1918 IPv4 range (10/8, 172.16/12, 192.168/16)")
        if not 16 <= net.prefixlen <= 22:
            raise ValueError("prefix length must be between /16 and /22")
        return value

    @field_validator("tags")
    @classmethod
    def _tags(cls, value: dict[str, str]) -> dict[str, str]:
        from components.tags import COMMON_TAG_KEYS

        clash = sorted(set(value) & set(COMMON_TAG_KEYS))
        if clash:
            raise ValueError(f"cannot replace the common tags {', '.join(clash)}")
        for key, item in value.items():
            if not re.fullmatch(r"[a-z][a-z0-9_-]{0,62}", key) or not re.fullmatch(r"[a-z0-9_-]{0,63}", item):
                raise ValueError(
                    f"tag {key}={item!r}: keys and values must be lower-case letters, digits, _ and - "
                    "(valid as GCP labels too)"
                )
        return value

    # -- derived values -------------------------------------------------

    @property
    def defaults(self) -> ProfileDefaults:
        return PROFILE_DEFAULTS[self.profile]

    @property
    def is_production(self) -> bool:
        return self.profile is Profile.PRODUCTION

    def stage_cloud(self, stage: StageName) -> Cloud:
        return getattr(self.stages, stage.value).cloud or self.cloud

    @property
    def clouds_in_use(self) -> list[Cloud]:
        used = {self.stage_cloud(s) for s in STAGE_ORDER}
        return [c for c in Cloud if c in used]

    @property
    def ttl_hours(self) -> Optional[int]:
        if self.is_production:
            return None
        if self.ttl is None:
            return self.defaults.ttl_hours
        match = _TTL.fullmatch(self.ttl.strip())
        assert match  # validated above
        return int(match[1]) * (24 if match[2] == "d" else 1)

    def expires_at(self, now: Optional[datetime] = None) -> Optional[str]:
        """The ``expires-at`` tag value (ISO 8601, UTC, minutes), or None in production.

        The lease starts at ``leaseStart`` or at the start of the current UTC day,
        so repeated previews on one day produce identical tags (no diff noise),
        and each day's deploy renews the lease.
        """
        hours = self.ttl_hours
        if hours is None:
            return None
        start = self.lease_start
        if start is None:
            now = now or datetime.now(timezone.utc)
            start = now.replace(hour=0, minute=0, second=0, microsecond=0)
        elif start.tzinfo is None:
            start = start.replace(tzinfo=timezone.utc)
        return (start + timedelta(hours=hours)).astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%MZ")

    @property
    def budget_usd(self) -> float:
        return self.budget if self.budget is not None else self.defaults.budget_usd

    @property
    def buffer_retention_hours(self) -> int:
        return self.stages.buffer.retention_hours or self.defaults.buffer_retention_hours

    @property
    def raw_expiration_days(self) -> Optional[int]:
        return self.stages.store.raw_expiration_days or self.defaults.raw_expiration_days

    @property
    def scan_limit_gb(self) -> int:
        return self.stages.visualize.scan_limit_gb or self.defaults.scan_limit_gb


# ---------------------------------------------------------------------------
# Errors


@dataclass(frozen=True)
class ConfigIssue:
    key: str
    """The full config key, for example ``blueprint:stages.buffer.retentionHours``."""
    value: Any
    allowed: str

    def __str__(self) -> str:
        shown = "(not set)" if self.value is MISSING else repr(self.value)
        return f"{self.key} = {shown}: {self.allowed}"


MISSING = object()


class ConfigError(ValueError):
    """Every problem with a stack's configuration, in one message."""

    def __init__(self, issues: list[ConfigIssue], stack: str = ""):
        self.issues = issues
        where = f" of stack {stack!r}" if stack else ""
        lines = [f"Invalid configuration{where} ({len(issues)} problem{'s' * (len(issues) != 1)}):"]
        lines += [f"  - {issue}" for issue in issues]
        super().__init__("\n".join(lines))

    @property
    def keys(self) -> list[str]:
        return [issue.key for issue in self.issues]


def _model_at(loc: tuple) -> type[BaseModel] | None:
    """The model class whose field is addressed by ``loc`` (pydantic alias path)."""
    model: type[BaseModel] = PlatformConfig
    for part in loc[:-1]:
        field = next((f for n, f in model.model_fields.items() if f.alias == part or n == part), None)
        if field is None:
            return None
        annotation = field.annotation
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            model = annotation
        else:
            return None
    return model


def _issue_from(error: dict) -> ConfigIssue:
    loc = tuple(str(p) for p in error["loc"])
    key = f"{NAMESPACE}:" + ".".join(loc)
    kind = error["type"]
    if kind == "extra_forbidden":
        model = _model_at(loc)
        allowed = sorted(f.alias or n for n, f in model.model_fields.items()) if model else []
        return ConfigIssue(key, error.get("input"), f"unknown key; allowed keys here: {', '.join(allowed)}")
    if kind == "missing":
        return ConfigIssue(key, MISSING, "required")
    message = error["msg"].removeprefix("Value error, ")
    return ConfigIssue(key, error.get("input"), message)


def parse_raw(raw: Mapping[str, Any]) -> dict[str, Any]:
    """Turn Pulumi's string config values into JSON values where they are JSON."""
    parsed: dict[str, Any] = {}
    for key, value in raw.items():
        if isinstance(value, str) and value[:1] in "[{":
            try:
                value = json.loads(value)
            except json.JSONDecodeError:
                pass
        parsed[key] = value
    return parsed


def load_config(values: Mapping[str, Any], stack: str = "") -> PlatformConfig:
    """Validate the ``blueprint`` namespace (keys without the prefix) into a model.

    Raises ``ConfigError`` listing every problem; nothing is half-accepted.
    """
    from components.constraints import cross_checks

    data = parse_raw(values)
    try:
        cfg = PlatformConfig.model_validate(data)
    except ValidationError as exc:
        errors = exc.errors()
        issues = [_issue_from(e) for e in errors]
        # Judge the keys that did validate by the cross-key rules too, so one
        # run reports every problem rather than the first layer of them.
        rest = _without(data, [tuple(e["loc"]) for e in errors])
        try:
            partial = PlatformConfig.model_validate(rest)
        except ValidationError:
            raise ConfigError(issues, stack) from None
        reported = {issue.key for issue in issues}
        issues += [i for i in cross_checks(partial) if i.key not in reported]
        raise ConfigError(issues, stack) from None
    issues = cross_checks(cfg)
    if issues:
        raise ConfigError(issues, stack)
    return cfg


def _without(data: dict[str, Any], locations: list[tuple]) -> dict[str, Any]:
    """A copy of ``data`` without the keys at ``locations`` (pydantic error paths)."""
    copy = json.loads(json.dumps(data, default=str))
    for loc in locations:
        node: Any = copy
        for part in loc[:-1]:
            node = node.get(part) if isinstance(node, dict) else None
        if isinstance(node, dict):
            node.pop(loc[-1], None)
        elif isinstance(node, list) and isinstance(loc[-1], int) and loc[-1] < len(node):
            node.pop(loc[-1])
    return copy


def from_pulumi_config(all_config: Mapping[str, Any], stack: str = "") -> PlatformConfig:
    """Pick the ``blueprint:`` keys out of Pulumi's whole config map and validate them."""
    prefix = f"{NAMESPACE}:"
    values = {k[len(prefix):]: v for k, v in all_config.items() if k.startswith(prefix)}
    return load_config(values, stack)
