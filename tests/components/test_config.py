"""The configuration model: defaults, derived values, and refusal of bad input.

Every bad configuration below goes through the real program under the
offline engine and must (1) raise one ConfigError that names the key and the
value given, and (2) leave no resource registered.
"""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from blueprint.engine import synthesize
from blueprint.mocks import PlatformMocks
from components.config import Cloud, ConfigError, Profile, load_config
from tests.conftest import stack_config

VALID = {"cloud": "aws", "owner": "data-team", "alertEmails": ["team@example.com"]}


class CountingMocks(PlatformMocks):
    def __init__(self) -> None:
        super().__init__()
        self.created: list[str] = []

    def new_resource(self, args):
        self.created.append(f"{args.typ}::{args.name}")
        return super().new_resource(args)


def test_minimal_config_gets_learning_defaults():
    cfg = load_config(VALID)
    assert cfg.profile is Profile.LEARNING
    assert cfg.ttl_hours == 72
    assert cfg.budget_usd == 35
    assert cfg.buffer_retention_hours == 24
    assert cfg.raw_expiration_days == 30
    assert cfg.defaults.force_destroy and not cfg.defaults.protect
    assert cfg.clouds_in_use == [Cloud.AWS]


def test_production_defaults_have_no_expiry_and_protect():
    cfg = load_config({**VALID, "profile": "production"})
    assert cfg.expires_at() is None
    assert cfg.defaults.protect and not cfg.defaults.force_destroy
    assert cfg.buffer_retention_hours == 168
    assert cfg.raw_expiration_days is None


def test_ttl_becomes_expires_at_from_the_lease_start():
    cfg = load_config({**VALID, "ttl": "3d", "leaseStart": "2026-01-02T10:30:00Z"})
    assert cfg.expires_at() == "2026-01-05T10:30Z"


def test_expires_at_is_stable_within_a_day():
    cfg = load_config({**VALID, "ttl": "48h"})
    morning = datetime(2026, 3, 1, 6, 0, tzinfo=timezone.utc)
    evening = datetime(2026, 3, 1, 23, 59, tzinfo=timezone.utc)
    assert cfg.expires_at(morning) == cfg.expires_at(evening) == "2026-03-03T00:00Z"


def test_overrides_win_over_profile_defaults():
    cfg = load_config({**VALID, "budget": "25", "stages": '{"buffer": {"retentionHours": 48}, '
                       '"store": {"rawExpirationDays": 7}, "visualize": {"scanLimitGb": 3}}'})
    assert (cfg.budget_usd, cfg.buffer_retention_hours, cfg.raw_expiration_days, cfg.scan_limit_gb) == (25, 48, 7, 3)


def test_cluster_engine_allowed_in_learning_with_explicit_opt_in():
    cfg = load_config({**VALID, "stages": {"processing": {"engine": "cluster", "acceptIdleCost": True}}})
    assert cfg.stages.processing.engine == "cluster"


def test_one_error_lists_every_wrong_key():
    with pytest.raises(ConfigError) as err:
        load_config({**VALID, "profile": "prod", "owner": "Data Team", "regoin": "x", "networkCidr": "8.8.8.0/24"})
    assert set(err.value.keys) == {"blueprint:profile", "blueprint:owner", "blueprint:regoin", "blueprint:networkCidr"}
    assert str(err.value).count("\n  - ") == 4


def test_cross_key_problems_are_reported_together_with_field_problems():
    with pytest.raises(ConfigError) as err:
        load_config({**VALID, "ttl": "3w", "stages": {"buffer": {"cloud": "azure"}}})
    assert err.value.keys == ["blueprint:ttl", "blueprint:stages.buffer.cloud", "blueprint:stages.processing.cloud"]


BAD_CONFIGS = [
    # (id, overrides on the aws example stack, key that must be named, text the message must contain)
    ("cloud-missing", {"cloud": None}, "blueprint:cloud", "required"),
    ("cloud-unknown", {"cloud": "oracle"}, "blueprint:cloud", "'aws', 'azure' or 'gcp'"),
    ("profile-unknown", {"profile": "prod"}, "blueprint:profile", "'learning' or 'production'"),
    ("owner-missing", {"owner": None}, "blueprint:owner", "required"),
    ("owner-not-a-handle", {"owner": "Data Team"}, "blueprint:owner", "lower-case handle"),
    ("emails-missing", {"alertEmails": None}, "blueprint:alertEmails", "required"),
    ("emails-empty", {"alertEmails": []}, "blueprint:alertEmails", "at least 1"),
    ("email-invalid", {"alertEmails": ["nobody"]}, "blueprint:alertEmails", "not e-mail addresses: nobody"),
    ("budget-negative", {"budget": -5}, "blueprint:budget", "greater than 0"),
    ("budget-not-a-number", {"budget": "lots"}, "blueprint:budget", "number"),
    ("ttl-unit", {"ttl": "5 weeks"}, "blueprint:ttl", "72h or 3d"),
    ("ttl-zero", {"ttl": "0h"}, "blueprint:ttl", "between 1h and 30d"),
    ("ttl-in-production", {"profile": "production"}, "blueprint:ttl", "production stacks have no expiry"),
    ("cidr-public", {"networkCidr": "8.8.8.0/24"}, "blueprint:networkCidr", "RFC 1918"),
    ("cidr-too-large", {"networkCidr": "10.0.0.0/8"}, "blueprint:networkCidr", "/16 and /22"),
    ("cidr-too-small", {"networkCidr": "10.0.0.0/26"}, "blueprint:networkCidr", "/16 and /22"),
    ("cidr-host-bits", {"networkCidr": "10.40.0.1/16"}, "blueprint:networkCidr", "CIDR"),
    ("cidr-garbage", {"networkCidr": "ten-dot-forty"}, "blueprint:networkCidr", "CIDR"),
    ("cidr-ipv6", {"networkCidr": "fd00::/48"}, "blueprint:networkCidr", "RFC 1918"),
    ("unknown-key", {"regoin": "us-east-1"}, "blueprint:regoin", "unknown key"),
    ("aws-region", {"aws": {"region": "mars-1"}}, "blueprint:aws.region", "AWS region"),
    ("aws-unknown-key", {"aws": {"region": "us-east-1", "zone": "a"}}, "blueprint:aws.zone", "unknown key"),
    ("stage-unknown", {"stages": {"ingest": {}}}, "blueprint:stages.ingest", "allowed keys here: buffer, connect"),
    ("retention-too-short", {"stages": {"buffer": {"retentionHours": 1}}},
     "blueprint:stages.buffer.retentionHours", "greater than or equal to 24"),
    ("consumer-name", {"stages": {"buffer": {"consumers": ["Spark"]}}},
     "blueprint:stages.buffer.consumers", "lower-case"),
    ("consumer-duplicate", {"stages": {"buffer": {"consumers": ["a", "a"]}}},
     "blueprint:stages.buffer.consumers", "unique"),
    ("auth-none", {"stages": {"connect": {"auth": "none"}}}, "blueprint:stages.connect.auth", "'iam' or 'api-key'"),
    ("cluster-idle-cost", {"stages": {"processing": {"engine": "cluster"}}},
     "blueprint:stages.processing.engine", "acceptIdleCost"),
    ("hybrid-edge", {"stages": {"buffer": {"cloud": "azure"}}}, "blueprint:stages.buffer.cloud", "no keyless connector"),
    ("gcp-billing-missing", {"cloud": "gcp", "gcp": {"project": "my-project-123"}},
     "blueprint:gcp.billingAccount", "required when a stage runs on GCP"),
    ("gcp-project-missing", {"cloud": "gcp", "gcp": {"billingAccount": "012345-6789AB-CDEF01"}},
     "blueprint:gcp.project", "required when a stage runs on GCP"),
    ("tag-clash", {"tags": {"owner": "someone-else"}}, "blueprint:tags", "cannot replace the common tags owner"),
    ("tag-charset", {"tags": {"Cost Center": "x"}}, "blueprint:tags", "lower-case"),
    ("scan-limit-zero", {"stages": {"visualize": {"scanLimitGb": 0}}},
     "blueprint:stages.visualize.scanLimitGb", "greater than or equal to 1"),
    ("schedule-too-soon-after-midnight", {"stages": {"processing": {"schedule": "00:29"}}},
     "blueprint:stages.processing.schedule", "from '00:30' to '23:59'"),
    ("schedule-hour-24", {"stages": {"processing": {"schedule": "24:00"}}},
     "blueprint:stages.processing.schedule", "not a daily time"),
    ("schedule-cron", {"stages": {"processing": {"schedule": "0 2 * * *"}}},
     "blueprint:stages.processing.schedule", "'HH:MM'"),
    ("schedule-unquoted-yaml-time", {"stages": {"processing": {"schedule": 120}}},
     "blueprint:stages.processing.schedule", "in quotes"),
    ("schedule-with-cluster", {"stages": {"processing": {"engine": "cluster", "acceptIdleCost": True,
                                                          "schedule": "03:00"}}},
     "blueprint:stages.processing.schedule", "serverless engine"),
    ("name-override-unknown-role", {"names": {"no-such-role": "x"}}, "blueprint:names.no-such-role", "no resource"),
    ("name-override-invalid", {"names": {"store-raw": "Bad_Bucket"}}, "blueprint:names.store-raw",
     "not a valid s3-bucket name"),
]


@pytest.mark.parametrize("overrides,key,text", [c[1:] for c in BAD_CONFIGS], ids=[c[0] for c in BAD_CONFIGS])
def test_bad_config_is_refused_naming_the_key_and_registers_nothing(overrides, key, text):
    config = stack_config("aws", **overrides)
    mocks = CountingMocks()
    with pytest.raises(ConfigError) as err:
        synthesize("aws", config, mocks=mocks)
    message = str(err.value)
    assert key in err.value.keys, message
    line = next(line for line in message.splitlines() if f"- {key} " in line)
    assert text in line, message
    given = overrides.get(key.split(":")[1].split(".")[0])
    if isinstance(given, str):
        assert repr(given) in line, "the message must show the value given"
    assert mocks.created == [], f"resources registered before the error: {mocks.created}"


def test_at_least_twenty_bad_configurations_are_covered():
    assert len(BAD_CONFIGS) >= 20


@pytest.mark.parametrize("profile, schedule, expected", [
    ("learning", None, None),
    ("production", None, (2, 0)),
    ("production", "off", None),
    ("production", "OFF", None),
    ("production", False, None),
    ("learning", "00:30", (0, 30)),
    ("learning", "23:59", (23, 59)),
    ("production", "06:15", (6, 15)),
])
def test_the_daily_run_is_off_in_learning_and_at_two_in_production_unless_set(profile, schedule, expected):
    stages = {} if schedule is None else {"stages": {"processing": {"schedule": schedule}}}
    cfg = load_config({**VALID, "profile": profile, **stages})
    assert cfg.processing_schedule == expected


def test_production_on_a_cluster_engine_has_no_daily_run_by_default():
    cfg = load_config({**VALID, "profile": "production", "stages": {"processing": {"engine": "cluster"}}})
    assert cfg.processing_schedule is None


def test_a_schedule_refusal_names_key_value_and_what_is_allowed():
    with pytest.raises(ConfigError) as err:
        load_config({**VALID, "stages": {"processing": {"schedule": "00:29"}}})
    assert str(err.value).splitlines()[1] == (
        "  - blueprint:stages.processing.schedule = '00:29': too soon after midnight; allowed: a daily time in "
        "UTC written 'HH:MM' in quotes, from '00:30' to '23:59' (the run processes the previous day, whose last "
        "files land shortly after midnight), or 'off'; not set: off in learning, '02:00' in production")


def _schedule_config(cloud: str, profile: str, schedule: str | None, stages: dict | None = None) -> dict:
    base = {**VALID, "cloud": cloud, "profile": profile,
            "gcp": {"project": "blueprint-test-1", "billingAccount": "012345-6789AB-CDEF01"}}
    processing = {} if schedule is None else {"schedule": schedule}
    return {**base, "stages": {**(stages or {}), "processing": processing}}


STORE_ON_AWS = {"store": {"cloud": "aws"}, "visualize": {"cloud": "aws"}, "buffer": {"consumers": ["spark"]}}


@pytest.mark.parametrize(("cloud", "stages"), [("azure", None), ("gcp", STORE_ON_AWS)])
def test_production_without_a_scheduler_it_can_create_has_no_daily_run_by_default(cloud, stages):
    assert load_config(_schedule_config(cloud, "production", None, stages)).processing_schedule is None


def test_a_schedule_on_azure_is_refused_with_the_reason_and_what_to_do_instead():
    with pytest.raises(ConfigError) as err:
        load_config(_schedule_config("azure", "learning", "03:00"))
    assert str(err.value).splitlines()[1] == (
        "  - blueprint:stages.processing.schedule = '03:00': Azure stacks cannot schedule the drain and the job: "
        "Synapse triggers and Synapse role assignments are workspace data-plane objects Resource Manager cannot "
        "create, and the workspace admits no scheduler without a firewall rule; allowed here: 'off' or unset. "
        "Start the job with `bp run STACK` from your own scheduler")


def test_a_schedule_over_a_store_on_another_cloud_is_refused():
    with pytest.raises(ConfigError) as err:
        load_config(_schedule_config("gcp", "production", "03:00", STORE_ON_AWS))
    assert "the store runs on aws, and only `bp run` gives the job the cross-cloud edge's credentials" in str(err.value)
    assert load_config(_schedule_config("gcp", "production", "off", STORE_ON_AWS)).processing_schedule is None


def test_profile_defaults_cannot_be_changed_by_one_stack_for_the_next():
    # One process synthesizes many stacks (tests, bp preview of several stacks): the shared defaults are read-only.
    from dataclasses import FrozenInstanceError

    from components.config import PROFILE_DEFAULTS

    with pytest.raises(FrozenInstanceError):
        PROFILE_DEFAULTS[Profile.LEARNING].protect = True
    assert load_config(VALID).defaults.protect is False


def test_a_loaded_config_cannot_be_changed_by_the_code_that_reads_it():
    cfg = load_config(VALID)
    with pytest.raises(ValueError):
        cfg.owner = "someone-else"
    with pytest.raises(ValueError):
        cfg.stages.connect.auth = "api-key"
    assert (cfg.owner, cfg.stages.connect.auth) == ("data-team", "iam")
