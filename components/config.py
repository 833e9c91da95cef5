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

from components import regions

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
        ttl_hours=72, budget_usd=35.0, buffer_retention_hours=24, raw_expiration_days=30,
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


def _real(value: str, problem) -> str:
    """``value`` when the cloud has it (``components.regions``), else the refusal naming the valid values."""
    message = problem(value)
    if message:
        raise ValueError(message)
    return value


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

    @field_validator("region")
    @classmethod
    def _real_region(cls, value: str) -> str:
        return _real(value, regions.aws_region_problem)


class AzureProducerFederation(_Model):
    issuer: str = Field(pattern=r"^https://[^\s/$.?#][^\s]*$", max_length=600)
    """The OIDC issuer URL of the producer's platform, e.g. https://token.actions.githubusercontent.com."""
    subject: str = Field(min_length=1, max_length=600)
    """The exact ``sub`` claim of the producer's token, e.g. repo:org/repo:environment:prod."""
    audience: str = Field("api://AzureADTokenExchange", min_length=1, max_length=600)
    """The ``aud`` claim; Microsoft Entra's recommended value by default."""


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
    it is granted the vault key for Databricks managed-services encryption. Default: looked up in
    Microsoft Entra ID by the application's fixed id."""
    producer_federation: Optional[AzureProducerFederation] = None
    """A producer outside Azure that signs in as the Connect identity with its own OIDC token
    (``stages.connect.auth: iam``): the federated identity credential's issuer, subject, audience."""

    @field_validator("location")
    @classmethod
    def _real_location(cls, value: str) -> str:
        return _real(value, regions.azure_location_problem)


class GcpProducerFederation(_Model):
    """Producers outside GCP that publish as the Connect service account, through workload identity federation."""

    issuer_uri: str = Field(pattern=r"^https://[^\s]+$", max_length=2048)
    """The OIDC issuer the producers' tokens come from, for example
    https://token.actions.githubusercontent.com or https://sts.windows.net/<tenant>/."""
    attribute_condition: str = Field(min_length=1, max_length=4096)
    """A CEL condition on the token (``assertion.sub == '...'``) that only the intended producers meet."""
    allowed_audiences: list[str] = Field(default_factory=list, max_length=10)
    """Accepted ``aud`` values; default: the provider's own resource name (Google's default)."""

    @property
    def admits_everyone(self) -> bool:
        """Whether the condition is trivially true (then every identity of the issuer could publish)."""
        trivial = self.attribute_condition.replace(" ", "").replace("(", "").replace(")", "").lower()
        return trivial in ("true", "1==1", "!false")


class GcpSettings(_Model):
    project: Optional[str] = Field(None, pattern=r"^[a-z][a-z0-9-]{4,28}[a-z0-9]$")
    """The GCP project id (required when GCP is used)."""
    region: str = Field("us-central1", pattern=r"^[a-z]+-[a-z]+\d$")
    """The GCP region, for example us-central1."""
    billing_account: Optional[str] = Field(None, pattern=r"^[0-9A-F]{6}-[0-9A-F]{6}-[0-9A-F]{6}$")
    """The billing account id (XXXXXX-XXXXXX-XXXXXX) the budget is created on (required when GCP is used)."""
    usage_logs: bool = True
    """GCS usage logs of the lake buckets into a log bucket; grants object create on that bucket to Google's
    ``group:cloud-storage-analytics@google.com`` (outside your domain: see docs/clouds/gcp.md for the
    organization-policy exception, or set false)."""
    budget_topic: bool = True
    """Budget notifications also go to a Pub/Sub topic; grants publish on it to
    ``billing-budget-alert@system.gserviceaccount.com`` (outside your domain: see docs/clouds/gcp.md, or set
    false to alert by e-mail only)."""
    producer_federation: Optional[GcpProducerFederation] = None
    """Producers outside GCP (OIDC issuer): a workload identity pool and provider that may impersonate the
    Connect service account; default none (only workloads inside GCP can publish)."""

    @field_validator("region")
    @classmethod
    def _real_region(cls, value: str) -> str:
        return _real(value, regions.gcp_region_problem)


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


SCHEDULE_OFF = "off"
SCHEDULE_EARLIEST = "00:30"
"""The earliest daily run: the sinks flush a day's last files within minutes after midnight UTC
(Firehose and the Cloud Storage subscription every 300 s), so an earlier run could miss them."""
PRODUCTION_SCHEDULE = "02:00"
"""The production default: the previous day is complete in raw well before, and the run ends before
a European working day starts."""
_DAILY_TIME = re.compile(r"([01]\d|2[0-3]):([0-5]\d)")


def _schedule(value: object) -> Optional[str]:
    """A daily time ``HH:MM`` (UTC) from ``SCHEDULE_EARLIEST``, or ``off``; null/absent means the profile's default."""
    allowed = (f"allowed: a daily time in UTC written 'HH:MM' in quotes, from '{SCHEDULE_EARLIEST}' to '23:59' "
               f"(the run processes the previous day, whose last files land shortly after midnight), "
               f"or '{SCHEDULE_OFF}'; not set: off in learning, '{PRODUCTION_SCHEDULE}' in production")
    if value is None:
        return None
    if value is False:  # YAML 1.1 readers turn an unquoted off into false
        return SCHEDULE_OFF
    if not isinstance(value, str):
        raise ValueError(f"not a daily time; {allowed}")
    text = value.strip().lower()
    if text == SCHEDULE_OFF:
        return SCHEDULE_OFF
    if not _DAILY_TIME.fullmatch(text):
        raise ValueError(f"not a daily time; {allowed}")
    if text < SCHEDULE_EARLIEST:
        raise ValueError(f"too soon after midnight; {allowed}")
    return text


class ProcessingSettings(_StageSettings):
    engine: Literal["serverless", "cluster"] = "serverless"
    """The Spark engine: ``serverless`` (no idle cost) or ``cluster`` (bills while it exists)."""
    accept_idle_cost: bool = False
    """Allow a Spark engine that bills while idle in the learning profile."""
    max_vcpu: int = Field(16, ge=1, le=400)
    """Cap on the Spark engine's total vCPUs."""
    schedule: Optional[str] = None
    """Run the sensor job every day at this UTC time (``'HH:MM'``, from ``'00:30'``) with the cloud's own
    scheduler, over the previous day's raw data; ``'off'`` for none. Default: off in learning, ``'02:00'``
    in production (serverless engine only)."""

    @field_validator("schedule", mode="before")
    @classmethod
    def _daily_time(cls, value: object) -> Optional[str]:
        return _schedule(value)


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
    """Monthly budget in USD per cloud; default 35 (learning) or 500 (production): at least 1.5 x idle cost."""
    ttl: Optional[str] = None
    """Learning only: lifetime such as ``72h`` or ``3d``, written as the ``expires-at`` tag."""
    lease_start: Optional[datetime] = None
    """Learning only: when the lease began (``bp lease STACK --renew`` writes it); default the
    first deploy's time, kept as the stack's ``lease_start`` output (``components.lease``)."""
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

        The lease starts at ``leaseStart``; the program fills it in from the
        stack's last deployment (``infra.lease``), so later deploys keep the tag.
        Without one (the offline preview) the start of the current UTC day
        stands in, so repeated previews on one day produce identical tags.
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

    @property
    def schedule_unavailable(self) -> Optional[str]:
        """Why the stack cannot schedule the daily run, or None when it can.

        The scheduled run is the serverless job of the cloud Processing runs on, over that cloud's own
        lake: Azure has no keyless scheduler the stack can create (docs/clouds/azure.md, Schedule), a
        cluster is not what the job runs on, and a store on another cloud needs the edge's credentials,
        which only ``bp run`` hands the batch.
        """
        cloud = self.stage_cloud(StageName.PROCESSING)
        if cloud is Cloud.AZURE:
            return ("Azure stacks cannot schedule the drain and the job: Synapse triggers and Synapse role "
                    "assignments are workspace data-plane objects Resource Manager cannot create, and the "
                    "workspace admits no scheduler without a firewall rule")
        if self.stages.processing.engine != "serverless":
            return "the daily run starts the job on the serverless engine, which engine: cluster replaces"
        if self.stage_cloud(StageName.STORE) is not cloud:
            return (f"the store runs on {self.stage_cloud(StageName.STORE).value}, and only `bp run` gives the "
                    f"job the cross-cloud edge's credentials")
        return None

    @property
    def processing_schedule(self) -> Optional[tuple[int, int]]:
        """(hour, minute) UTC of the daily job run, or None: no schedule.

        Not set, production runs daily at ``PRODUCTION_SCHEDULE`` on the serverless engine (the job the
        stack deploys runs there only) and learning has none.
        """
        processing = self.stages.processing
        value = processing.schedule
        if value is None:
            value = PRODUCTION_SCHEDULE if self.is_production and self.schedule_unavailable is None else SCHEDULE_OFF
        if value == SCHEDULE_OFF:
            return None
        hour, minute = value.split(":")
        return int(hour), int(minute)


# ---------------------------------------------------------------------------
# Errors


@dataclass(frozen=True)
class ConfigIssue:
    key: str
    """The full config key, for example ``blueprint:stages.buffer.retentionHours``."""
    value: Any
    allowed: str

    def __str__(self) -> str:
        return f"{self.key} = {as_written(self.value)}: {self.allowed}"


MISSING = object()


def as_written(value: Any) -> str:
    """A config value the way the user wrote it in YAML: ``null``, ``true``, ``'72:00'``, ``[a, b]``."""
    if value is MISSING:
        return "(not set)"
    if isinstance(value, str):
        return repr(value)
    return json.dumps(value, default=str)


# What each pattern a config field must match means, in the user's words (a
# raw regular expression tells a user nothing). A test fails when a field has
# a pattern that is missing here.
PATTERN_WORDS: dict[str, str] = {
    r"^[a-z]{2}(-gov)?-[a-z]+-\d$": "an AWS region name such as us-east-1",
    r"^[a-z][a-z0-9]+$": "an Azure location name such as eastus (lower-case letters and digits)",
    r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$":
        "a GUID in lower case, such as 00000000-1111-2222-3333-444444444444",
    r"^[a-z][a-z0-9-]{4,28}[a-z0-9]$":
        "a GCP project id: 6 to 30 lower-case letters, digits or hyphens, starting with a letter, "
        "not ending with a hyphen",
    r"^[a-z]+-[a-z]+\d$": "a GCP region name such as us-central1",
    r"^[0-9A-F]{6}-[0-9A-F]{6}-[0-9A-F]{6}$": "a billing account id such as 012345-6789AB-CDEF01 (upper case)",
    r"^[a-z][a-z0-9-]{0,62}$": "a lower-case handle: a letter, then up to 62 lower-case letters, digits or hyphens",
    r"^https://[^\s/$.?#][^\s]*$": "an https:// URL without spaces (the token issuer, as it appears in the tokens)",
    r"^https://[^\s]+$": "an https:// URL without spaces (the OIDC issuer)",
}


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
    if kind == "string_pattern_mismatch":
        pattern = str((error.get("ctx") or {}).get("pattern", ""))
        return ConfigIssue(key, error.get("input"), f"must be {PATTERN_WORDS.get(pattern, 'written differently')}")
    message = error["msg"].removeprefix("Value error, ")
    return ConfigIssue(key, error.get("input"), message)


def parse_raw(raw: Mapping[str, Any]) -> dict[str, Any]:
    """Turn Pulumi's string config values into JSON values where they are JSON."""
    parsed: dict[str, Any] = {}
    for key, value in raw.items():
        if value == "null":
            value = None
        elif isinstance(value, str) and value[:1] in "[{":
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


PROVIDER_KEYS: dict[str, str] = {
    "aws:region": "aws.region",
    "azure-native:location": "azure.location",
    "azure-native:subscriptionId": "azure.subscriptionId",
    "azure:location": "azure.location",
    "azure:subscriptionId": "azure.subscriptionId",
    "gcp:project": "gcp.project",
    "gcp:region": "gcp.region",
}
"""Pulumi provider settings and the ``blueprint`` key that takes their place."""

_PROVIDER_NAMESPACES = ("aws", "azure-native", "azure", "gcp", "google-native")


def provider_key_issues(all_config: Mapping[str, Any]) -> list[ConfigIssue]:
    """Provider-namespace keys (``aws:region``), refused: the program builds every provider explicitly from
    ``blueprint`` keys, and an explicit provider does not read its package's stack config, so such a key
    would be silently ignored."""
    issues = []
    for key in sorted(all_config):
        namespace = key.split(":", 1)[0]
        if namespace not in _PROVIDER_NAMESPACES:
            continue
        if key in PROVIDER_KEYS:
            allowed = f"not read by this program; set {NAMESPACE}:{PROVIDER_KEYS[key]} instead"
        else:
            allowed = (f"not read by this program (its {namespace} provider is configured from {NAMESPACE}: keys); "
                       "credentials come from the environment, settings from the blueprint keys "
                       f"({', '.join(sorted({NAMESPACE + ':' + v for v in PROVIDER_KEYS.values()}))})")
        issues.append(ConfigIssue(key, all_config[key], allowed))
    return issues


def from_pulumi_config(all_config: Mapping[str, Any], stack: str = "") -> PlatformConfig:
    """Pick the ``blueprint:`` keys out of Pulumi's whole config map and validate them.

    Provider keys (``aws:region``) are refused with the ``blueprint`` key to use.
    """
    prefix = f"{NAMESPACE}:"
    values = {k[len(prefix):]: v for k, v in all_config.items() if k.startswith(prefix)}
    foreign = provider_key_issues(all_config)
    try:
        cfg = load_config(values, stack)
    except ConfigError as exc:
        raise ConfigError(foreign + exc.issues, stack) from None
    if foreign:
        raise ConfigError(foreign, stack)
    return cfg
