"""Key management (catalogue group B): AWS KMS, GCP Cloud KMS, Azure Key Vault."""

from __future__ import annotations

from policies.check import companions, label, of_type
from policies.config import is_production, setting
from policies.documents import is_public, statements
from policies.check import applies_to
from policies.props import duration_seconds, get, number

KMS_KEY = "aws:kms/key:Key"
KMS_KEY_POLICY = "aws:kms/keyPolicy:KeyPolicy"
GCP_ROTATION_MAX_SECONDS = 90 * 24 * 3600


@applies_to(KMS_KEY)
def kms_key_rotation(args, report) -> None:
    props = args.props
    spec = props.get("customerMasterKeySpec") or props.get("keySpec") or "SYMMETRIC_DEFAULT"
    if spec == "SYMMETRIC_DEFAULT" and props.get("enableKeyRotation") is not True:
        report("set enable_key_rotation=True (yearly by default; rotation_period_in_days to shorten)")
    window = number(props.get("deletionWindowInDays"), 30.0)
    floor = setting(args.get_config(), "minKmsDeletionWindowDays")
    if window < floor:
        report(f"deletion_window_in_days is {window:g}; set at least {floor} in this profile")
    if props.get("bypassPolicyLockoutSafetyCheck") is True:
        report("remove bypass_policy_lockout_safety_check: it can lock every principal out of the key")


def kms_key_policy(args, report) -> None:
    """Each key has a policy (inline or a KeyPolicy), and no policy grants '*' without a condition."""
    key_policies = of_type(args.resources, KMS_KEY_POLICY)
    for key in of_type(args.resources, KMS_KEY):
        documents = [key.props.get("policy")] if key.props.get("policy") else []
        documents += [p.props.get("policy") for p in companions(key, args.resources, [KMS_KEY_POLICY], "keyId")]
        if not documents:
            report(f"key {label(key)} has no explicit key policy: set policy= (root account, key "
                   "administrators, and the services that use it)", key.urn)
    for resource in of_type(args.resources, KMS_KEY) + key_policies:
        for statement in statements(resource.props.get("policy")):
            if is_public(statement):
                report(f"{label(resource)}: statement {statement.get('Sid', '(no Sid)')!r} allows Principal '*' "
                       "without a condition; name the principals or add a condition such as "
                       "kms:CallerAccount / kms:ViaService", resource.urn)


@applies_to("gcp:kms/cryptoKey:CryptoKey")
def gcp_crypto_key_rotation(args, report) -> None:
    period = duration_seconds(args.props.get("rotationPeriod"))
    if period is None or period > GCP_ROTATION_MAX_SECONDS:
        report("set rotation_period to at most '7776000s' (90 days)")
    if is_production(args.get_config()) and not args.opts.protect:
        report("production crypto keys cannot be deleted once destroyed: create them with "
               "ResourceOptions(protect=True)")


PUBLIC_MEMBERS = ("allUsers", "allAuthenticatedUsers")


def public_members(props) -> list[str]:
    members = [props.get("member")] + list(props.get("members") or [])
    return [m for m in members if isinstance(m, str) and m in PUBLIC_MEMBERS]


@applies_to("gcp:kms/cryptoKeyIAMMember:CryptoKeyIAMMember", "gcp:kms/cryptoKeyIAMBinding:CryptoKeyIAMBinding",
            "gcp:kms/keyRingIAMMember:KeyRingIAMMember", "gcp:kms/keyRingIAMBinding:KeyRingIAMBinding")
def gcp_crypto_key_not_public(args, report) -> None:
    for member in public_members(args.props):
        report(f"remove {member}: grant the key only to named service accounts or service agents")


@applies_to("azure-native:keyvault:Vault")
def key_vault_access(args, report) -> None:
    props = args.props.get("properties") or {}
    if props.get("enableSoftDelete") is False:
        report("remove properties.enable_soft_delete=False (soft delete is always on for new vaults)")
    retention = number(props.get("softDeleteRetentionInDays"), 90.0)
    if retention < 7:
        report("set properties.soft_delete_retention_in_days to at least 7")
    if props.get("enableRbacAuthorization") is not True:
        report("set properties.enable_rbac_authorization=True and grant data-plane roles instead of access policies")


@applies_to("azure-native:keyvault:Vault")
def key_vault_purge_protection(args, report) -> None:
    if get(args.props, "properties.enablePurgeProtection") is not True:
        report("set properties.enable_purge_protection=True (it cannot be turned off again; a purge-protected "
               "vault keeps its name for the retention period after destroy)")


@applies_to("azure-native:keyvault:Key", "azure-native:keyvault:Secret")
def key_vault_expiry(args, report) -> None:
    props = args.props.get("properties") or {}
    kind = "key" if args.resource_type.endswith(":Key") else "secret"
    if get(props, "attributes.expires") is None:
        report(f"set properties.attributes.expires on the {kind} (seconds since epoch)")
    if kind == "key" and not props.get("rotationPolicy"):
        report("set properties.rotation_policy with a 'rotate' lifetime action and an expiry_time")
    if kind == "secret" and not props.get("contentType"):
        report("set properties.content_type so readers know what the secret holds")
