"""Every rule of the pack with its metadata and its enforcement in each profile.

Each entry names the validator (``policies/rules/<group>.py``), the
catalogue id it implements (``ENC-01``: the table in docs/policies.md), the public
rule ids it matches (cdk-nag, Checkov, CIS), its severity, how to fix a
violation, the config keys it reads, and its level: ``M`` mandatory
everywhere, ``M(prod)`` mandatory in production and advisory in learning,
``M(non-prod)`` mandatory in learning and advisory in production, ``A``
advisory everywhere. ``policies(profile)`` builds the pulumi_policy objects.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Literal

from pulumi_policy import (
    EnforcementLevel,
    PolicyComplianceFramework,
    PolicyConfigSchema,
    ResourceValidationPolicy,
    Severity,
    StackValidationPolicy,
)

from policies.config import PROFILES, schema_for
from policies.rules import (
    cost, data_protection, encryption, federation, hygiene, iam, keys, logging, network, public_access, tags,
    transit,
)

PACK_NAME = "blueprint-guardrails"
Level = Literal["M", "M(prod)", "M(non-prod)", "A"]

LEVELS: dict[str, dict[str, EnforcementLevel]] = {
    "M": {"learning": EnforcementLevel.MANDATORY, "production": EnforcementLevel.MANDATORY},
    "M(prod)": {"learning": EnforcementLevel.ADVISORY, "production": EnforcementLevel.MANDATORY},
    "M(non-prod)": {"learning": EnforcementLevel.MANDATORY, "production": EnforcementLevel.ADVISORY},
    "A": {"learning": EnforcementLevel.ADVISORY, "production": EnforcementLevel.ADVISORY},
}

GROUPS: dict[str, str] = {
    "ENC": "encryption at rest", "KEY": "key management", "TLS": "encryption in transit",
    "PUB": "public access", "NET": "network zoning", "IAM": "least privilege", "LOG": "logging and audit",
    "COST": "cost guardrails", "TAG": "tagging", "DP": "data protection", "HYG": "provider hygiene",
}


@dataclass(frozen=True)
class Rule:
    name: str
    """Kebab-case policy name (unique in the pack)."""
    ref: str
    """The catalogue entry it implements (docs/policies.md), e.g. ENC-01."""
    description: str
    validate: Callable
    level: Level
    severity: Severity
    fix: str
    """Remediation steps shown with every violation."""
    equivalents: str = "custom"
    """Public rule ids (cdk-nag, Checkov, CIS, FSBP) covering the same ground."""
    stack: bool = False
    """A stack policy (relations between resources) rather than a resource policy."""
    settings: tuple[str, ...] = ()
    clouds: tuple[str, ...] = ("aws",)

    @property
    def group(self) -> str:
        return self.ref.split("-")[0]

    def enforcement(self, profile: str) -> EnforcementLevel:
        return LEVELS[self.level][profile]

    def policy(self, profile: str):
        common = dict(
            name=self.name,
            description=self.description,
            validate=self.validate,
            enforcement_level=self.enforcement(profile),
            config_schema=PolicyConfigSchema(schema_for(self.settings)),
            severity=self.severity,
            framework=PolicyComplianceFramework(
                name="blueprint-policy-catalogue", version="1", reference=self.ref, specification=self.equivalents
            ),
            tags=[GROUPS[self.group], *self.clouds],
            remediation_steps=self.fix,
        )
        return StackValidationPolicy(**common) if self.stack else ResourceValidationPolicy(**common)


H, C, M_, L = Severity.HIGH, Severity.CRITICAL, Severity.MEDIUM, Severity.LOW
AWS, AZ, GCP, ALL = ("aws",), ("azure",), ("gcp",), ("aws", "azure", "gcp")

RULES: tuple[Rule, ...] = (
    # A. Encryption at rest
    Rule("aws-s3-bucket-encryption-kms", "ENC-01", "S3 buckets encrypt by default with SSE-KMS and the bucket key "
         "(the stack's CMK in production); only access-log targets may use SSE-S3.", encryption.s3_bucket_encryption,
         "M", H, "Add aws.s3.BucketServerSideEncryptionConfiguration with sse_algorithm 'aws:kms', kms_master_key_id "
         "and bucket_key_enabled=True.", "NAG S3DefaultEncryptionKMS; CK CKV_AWS_19, CKV_AWS_145; FSBP S3.17",
         stack=True),
    Rule("aws-kinesis-stream-encrypted", "ENC-02", "Kinesis streams are encrypted with KMS.",
         encryption.kinesis_stream_encrypted, "M", H, "Set encryption_type='KMS' and kms_key_id.",
         "NAG AwsSolutions-KDS1; CK CKV_AWS_43, CKV_AWS_185; FSBP Kinesis.1"),
    Rule("aws-firehose-encrypted", "ENC-03", "Firehose streams are encrypted (or read an encrypted stream) and "
         "write to S3 with a KMS key.", encryption.firehose_encrypted, "M", H,
         "Set server_side_encryption (unless reading a Kinesis stream) and extended_s3_configuration.kms_key_arn.",
         "NAG AwsSolutions-KDF1; CK CKV_AWS_240, CKV_AWS_241"),
    Rule("aws-emr-encryption-at-rest", "ENC-04", "EMR clusters use a security configuration with S3 SSE-KMS and "
         "KMS local-disk/EBS encryption.", encryption.emr_encryption_at_rest, "M", H,
         "Create aws.emr.SecurityConfiguration with at-rest encryption and reference it from the cluster.",
         "NAG AwsSolutions-EMR4; CK CKV2_AWS_55, CKV_AWS_349, CKV_AWS_350, CKV_AWS_171"),
    Rule("aws-glue-encryption", "ENC-05", "Glue jobs and crawlers use a security configuration that encrypts S3, "
         "CloudWatch and bookmarks with KMS; the Data Catalog is encrypted.", encryption.glue_encryption, "M", M_,
         "Create aws.glue.SecurityConfiguration (SSE-KMS, SSE-KMS, CSE-KMS) and set security_configuration.",
         "NAG AwsSolutions-GL1, GL3; CK CKV_AWS_195, CKV_AWS_99, CKV_AWS_94"),
    Rule("aws-athena-encryption", "ENC-06", "Athena workgroups encrypt results with KMS and enforce the workgroup "
         "configuration; Athena databases are encrypted.", encryption.athena_encryption, "M", H,
         "Set result_configuration.encryption_configuration (SSE_KMS, kms_key_arn) and "
         "enforce_workgroup_configuration=True.",
         "CR aws-athena-workgroup-disallow-unencrypted-workgroup; CK CKV_AWS_159, CKV_AWS_82, CKV_AWS_77; FSBP Athena.1"),
    Rule("aws-sns-topic-encrypted", "ENC-07", "SNS topics are encrypted with KMS.", encryption.sns_topic_encrypted,
         "M", M_, "Set kms_master_key_id.", "NAG SNSEncryptedKMS; CK CKV_AWS_26; FSBP SNS.1"),
    Rule("aws-log-group-encrypted", "ENC-07", "CloudWatch log groups are encrypted with KMS.",
         encryption.log_group_encrypted, "M", M_, "Set kms_key_id; allow the logs service in the key policy.",
         "NAG CloudWatchLogGroupEncrypted; CK CKV_AWS_158"),
    Rule("azure-storage-eventhub-cmk", "ENC-08", "Azure Storage and Event Hubs namespaces on a tier that offers it "
         "(Premium, Dedicated) use a customer-managed key from Key Vault; Storage has infrastructure encryption.",
         encryption.azure_cmk, "M(prod)", M_,
         "Set encryption.key_source='Microsoft.Keyvault', key_vault_properties and a managed identity.",
         "CK CKV2_AZURE_1; CIS-Z 2.1.1.2.1", clouds=AZ),
    Rule("azure-eventhub-cmk-needs-premium", "ENC-08", "Production Event Hubs namespaces on Basic or Standard, where "
         "Azure offers no customer-managed key, are reported as Microsoft-managed-key only.",
         encryption.eventhub_cmk_tier, "A", L,
         "Accept Microsoft-managed keys with short retention, or move to Premium / a Dedicated cluster and set "
         "encryption.", "custom", clouds=AZ),
    Rule("azure-databricks-cmk", "ENC-09", "Databricks uses a CMK for managed services, managed disks and DBFS root.",
         encryption.databricks_cmk, "M(prod)", M_, "Set encryption.entities and parameters.prepare_encryption.",
         "CK CKV2_AZURE_48; CIS-Z 3.1.8", clouds=AZ),
    Rule("gcp-storage-bucket-cmek", "ENC-10", "GCS buckets use a Cloud KMS key by default.", encryption.gcs_cmek,
         "M(prod)", M_, "Set encryption.default_kms_key_name.", "custom (no Checkov id); CIS-G 5.x", clouds=GCP),
    Rule("gcp-bigquery-cmek", "ENC-10", "BigQuery datasets and tables use a Cloud KMS key.", encryption.bigquery_cmek,
         "M(prod)", M_, "Set default_encryption_configuration / encryption_configuration.kms_key_name.",
         "CK CKV_GCP_81, CKV_GCP_80; CIS-G 7.2, 7.3", clouds=GCP),
    Rule("gcp-pubsub-dataproc-cmek", "ENC-10", "Pub/Sub topics and Dataproc clusters use a Cloud KMS key.",
         encryption.pubsub_dataproc_cmek, "M(prod)", M_, "Set kms_key_name / cluster_config.encryption_config.",
         "CK CKV_GCP_83, CKV_GCP_91", clouds=GCP),
    # B. Key management
    Rule("aws-kms-key-rotation", "KEY-01", "KMS keys rotate, keep a deletion window (30 days in production) and "
         "never bypass the lockout safety check.", keys.kms_key_rotation, "M", H,
         "Set enable_key_rotation=True and deletion_window_in_days; drop bypass_policy_lockout_safety_check.",
         "AG cmk-backing-key-rotation-enabled; NAG AwsSolutions-KMS5; CK CKV_AWS_7; CIS-A 3.6; FSBP KMS.4",
         settings=("minKmsDeletionWindowDays",)),
    Rule("aws-kms-key-policy", "KEY-02", "Every KMS key has an explicit key policy with no unconditioned '*' "
         "principal.", keys.kms_key_policy, "M", H, "Set policy= on the key (or aws.kms.KeyPolicy); condition any "
         "'*' principal.", "CK CKV2_AWS_64, CKV_AWS_33; FSBP KMS.5", stack=True),
    Rule("gcp-kms-key-rotation", "KEY-03", "Cloud KMS keys rotate within 90 days and are protected in production.",
         keys.gcp_crypto_key_rotation, "M", H, "Set rotation_period <= '7776000s'; protect=True in production.",
         "CK CKV_GCP_43, CKV_GCP_82; CIS-G 1.10", clouds=GCP),
    Rule("gcp-kms-key-not-public", "KEY-03", "Cloud KMS keys and key rings are not granted to allUsers or "
         "allAuthenticatedUsers.", keys.gcp_crypto_key_not_public, "M", C, "Grant keys to named members only.",
         "CK CKV_GCP_112; CIS-G 1.9", clouds=GCP),
    Rule("azure-key-vault-access", "KEY-04", "Key Vaults keep soft delete (>= 7 days) and use RBAC authorization.",
         keys.key_vault_access, "M", H, "Set properties.enable_rbac_authorization=True; keep soft delete.",
         "CK CKV_AZURE_42, CKV_AZURE_110; CIS-Z 9.3.1-9.3.6", clouds=AZ),
    Rule("azure-key-vault-purge-protection", "KEY-04", "Key Vaults have purge protection (production; in learning it "
         "would block re-creating the vault name).", keys.key_vault_purge_protection, "M(prod)", H,
         "Set properties.enable_purge_protection=True.", "CK CKV_AZURE_110, CKV_AZURE_42; CIS-Z 9.3.6", clouds=AZ),
    Rule("azure-key-vault-expiry", "KEY-04", "Key Vault keys and secrets expire; keys have a rotation policy.",
         keys.key_vault_expiry, "M", M_, "Set properties.attributes.expires and properties.rotation_policy.",
         "CK CKV_AZURE_40, CKV_AZURE_41, CKV_AZURE_114; CIS-Z 9.3.1-9.3.4", clouds=AZ),
    # C. Encryption in transit
    Rule("aws-s3-bucket-tls-only", "TLS-01", "Every S3 bucket has a policy denying requests without TLS.",
         transit.s3_bucket_tls_only, "M", H, "Add a BucketPolicy with Deny s3:* when aws:SecureTransport is false.",
         "NAG AwsSolutions-S10, S3BucketSSLRequestsOnly; CK CKV_AWS_379; CIS-A 2.1.1; FSBP S3.5", stack=True),
    Rule("aws-sns-topic-tls-only", "TLS-02", "SNS topic policies deny publishing without TLS.",
         transit.sns_topic_tls_only, "A", L, "Add a Deny of sns:Publish when aws:SecureTransport is false.",
         "NAG AwsSolutions-SNS3"),
    Rule("aws-api-domain-tls12", "TLS-03", "API Gateway custom domains use TLS 1.2 or later.",
         transit.api_domain_tls12, "M", H, "Set security_policy='TLS_1_2'.",
         "CR aws-apigateway-domainname-configure-security-policy; CK CKV_AWS_206"),
    Rule("aws-emr-in-transit-encryption", "TLS-04", "EMR security configurations enable in-transit encryption.",
         transit.emr_in_transit, "M(prod)", M_, "Set EnableInTransitEncryption with a certificate provider.",
         "NAG AwsSolutions-EMR5; CK CKV_AWS_351"),
    Rule("azure-minimum-tls12", "TLS-05", "Azure Storage is HTTPS-only with TLS 1.2; Event Hubs requires TLS 1.2.",
         transit.azure_tls12, "M", H, "Set minimum_tls_version ('TLS1_2' / '1.2').",
         "CK CKV_AZURE_3, CKV_AZURE_44, CKV_AZURE_223; CIS-Z 10.3.4, 10.3.7", clouds=AZ),
    # D. Public access
    Rule("aws-s3-bucket-public-access-block", "PUB-01", "Every S3 bucket has a public access block with all four "
         "flags on.", public_access.s3_public_access_block, "M", C,
         "Add aws.s3.BucketPublicAccessBlock with the four flags True.",
         "NAG AwsSolutions-S2; CK CKV2_AWS_6, CKV_AWS_53-56; CIS-A 2.1.4; FSBP S3.8", stack=True),
    Rule("aws-s3-bucket-no-public-acl", "PUB-02", "No public ACLs; ACLs disabled with BucketOwnerEnforced on every "
         "bucket.", public_access.s3_no_public_acl, "M", C,
         "Add aws.s3.BucketOwnershipControls (BucketOwnerEnforced); remove public ACLs.",
         "CR aws-s3-bucket-disallow-public-read; CK CKV_AWS_20, CKV_AWS_57, CKV2_AWS_65; FSBP S3.2, S3.3, S3.12",
         stack=True),
    Rule("aws-resource-policy-not-public", "PUB-03", "Bucket, topic, queue, stream and endpoint policies grant no "
         "unconditioned '*' principal.", public_access.resource_policy_not_public, "M", C,
         "Name principals or add aws:SourceAccount / aws:SourceArn / aws:PrincipalOrgID conditions.",
         "CK CKV_AWS_70, CKV_AWS_169, CKV_AWS_385; FSBP S3.6, SNS.4"),
    Rule("aws-api-authorization", "PUB-04", "API Gateway methods and routes require authorization.",
         public_access.api_authorization, "M", H, "Use AWS_IAM, Cognito, a custom authorizer or an API key.",
         "NAG AwsSolutions-APIG4; CK CKV2_AWS_70, CKV_AWS_59, CKV_AWS_309; FSBP APIGateway.8",
         settings=("unauthenticatedRoutes",)),
    Rule("aws-api-exposure", "PUB-05", "REST APIs use an allowed endpoint type; internet-facing stages have a WAFv2 "
         "web ACL.", public_access.api_exposure, "M(prod)", H,
         "Use a REGIONAL or PRIVATE endpoint and associate a WAFv2 web ACL with each stage.",
         "AG apigateway-endpoint-type; NAG AwsSolutions-APIG3; CK CKV2_AWS_29; FSBP APIGateway.4", stack=True,
         settings=("allowedApiEndpointTypes",)),
    Rule("azure-storage-no-anonymous-access", "PUB-06", "Azure Storage disallows anonymous blob access; containers "
         "are private.", public_access.azure_no_anonymous_access, "M", C,
         "Set allow_blob_public_access=False and public_access='None'.",
         "CK CKV_AZURE_190, CKV2_AZURE_47, CKV_AZURE_34; CIS-Z 10.3.9", clouds=AZ),
    Rule("gcp-storage-public-access-prevention", "PUB-07", "GCS enforces public access prevention and uniform "
         "bucket-level access.", public_access.gcs_public_access_prevention, "M", C,
         "Set public_access_prevention='enforced' and uniform_bucket_level_access=True.",
         "CR gcp-storage-bucket-enforce-public-access-prevention; CK CKV_GCP_114, CKV_GCP_29; CIS-G 5.1, 5.2",
         clouds=GCP),
    Rule("gcp-no-public-members", "PUB-08", "No allUsers or allAuthenticatedUsers on GCP data resources.",
         public_access.gcp_no_public_members, "M", C, "Grant named groups or service accounts.",
         "CK CKV_GCP_28, CKV_GCP_15, CKV_GCP_100, CKV_GCP_99, CKV_GCP_98; CIS-G 5.1, 7.1", clouds=GCP),
    # E. Network zoning
    Rule("aws-security-group-no-public-ingress", "NET-01", "No security group ingress from 0.0.0.0/0 or ::/0 "
         "(allow-listed ports aside).", network.security_group_no_public_ingress, "M", H,
         "Allow the zone's source security group instead of an internet CIDR.",
         "CR aws-ec2-securitygroup-disallow-public-internet-ingress; NAG AwsSolutions-EC23; CK CKV_AWS_24, 25, 260, "
         "277; CIS-A 5.3, 5.4; FSBP EC2.13, 14, 18, 19", settings=("publicIngressPorts",)),
    Rule("aws-security-group-descriptions", "NET-02", "Security groups and their rules have descriptions.",
         network.security_group_descriptions, "A", L, "Describe which zone may connect and why.",
         "CR aws-ec2-securitygroup-missing-description; NAG AwsSolutions-EC27; CK CKV_AWS_23"),
    Rule("aws-vpc-default-security-group-closed", "NET-03", "Each VPC's default security group is adopted and "
         "closed; subnets assign no public IPs; no default VPC.", network.vpc_default_security_group_closed, "M", H,
         "Add aws.ec2.DefaultSecurityGroup(vpc_id=...) with no rules; map_public_ip_on_launch=False.",
         "NAG VPCDefaultSecurityGroupClosed; CK CKV2_AWS_12, CKV_AWS_130; CIS-A 5.5; FSBP EC2.2, EC2.15",
         stack=True),
    Rule("aws-emr-private-network", "NET-04", "EMR clusters and EMR Serverless run in private subnets with the "
         "processing security groups.", network.emr_private_network, "M", H,
         "Set the private subnets and processing security groups.", "CK CKV_AWS_390, CKV2_AWS_7; FSBP EMR.1, EMR.2"),
    Rule("aws-vpc-endpoints", "NET-05", "VPCs reach S3 through a gateway endpoint and, in production, the services in "
         "use through interface endpoints.", network.vpc_endpoints, "A", L,
         "Add the S3 gateway endpoint and the interface endpoints.", "FSBP EC2.10 (analogue); custom", stack=True),
    Rule("azure-private-network-access", "NET-06", "Storage, Key Vault and Event Hubs disable public network access, "
         "deny by default and have a private endpoint; an edge-zone ingest namespace is Entra-only with TLS 1.2 "
         "instead, and a Capture destination admits only trusted Azure services.", network.azure_private_access,
         "M(prod)", H,
         "Set public_network_access='Disabled', default_action='Deny', add a PrivateEndpoint.",
         "CK CKV_AZURE_59, CKV_AZURE_189, CKV_AZURE_35, CKV_AZURE_109, CKV2_AZURE_32, CKV2_AZURE_33; "
         "CIS-Z 2.2.1.1, 9.3.7, 10.3.2.1", stack=True, clouds=AZ),
    Rule("azure-databricks-network-isolation", "NET-07", "Databricks is VNet-injected with no public IP and no "
         "public network access.", network.databricks_network, "M(prod)", H,
         "Set enable_no_public_ip, the custom VNet and subnets, public_network_access='Disabled'.",
         "CK CKV_AZURE_158; CIS-Z 3.1.1, 3.1.2", clouds=AZ),
    Rule("azure-nsg-no-internet-ingress", "NET-08", "NSG rules allow no inbound internet traffic on 22, 3389, 80, "
         "UDP or all ports; every subnet has an NSG.", network.nsg_no_internet_ingress, "M", H,
         "Narrow the source to a service tag or the zone; attach an NSG to every subnet.",
         "CK CKV_AZURE_9, 10, 77, 160, CKV2_AZURE_31; CIS-Z 8.1-8.4", clouds=AZ),
    Rule("gcp-network-private", "NET-09", "Custom-mode networks, Private Google Access on subnets, internal-IP-only "
         "Dataproc.", network.gcp_network_private, "M", H,
         "Set auto_create_subnetworks=False, private_ip_google_access=True, internal_ip_only=True.",
         "CK CKV2_GCP_2, CKV_GCP_74, CKV_GCP_103; CIS-G 3.1, 3.2", clouds=GCP),
    Rule("gcp-firewall-no-public-ingress", "NET-09", "No firewall ingress from 0.0.0.0/0 on 22, 3389 or all ports.",
         network.gcp_firewall_no_public_ingress, "M", H, "Restrict source ranges; use IAP for admin access.",
         "CK CKV_GCP_2, CKV_GCP_3, CKV_GCP_88, CKV_GCP_106; CIS-G 3.6, 3.7", clouds=GCP),
    # F. Least privilege
    Rule("aws-iam-no-wildcards", "IAM-01", "IAM policies allow no '*' or 'service:*' actions and no Resource '*' "
         "on actions that can be narrowed.", iam.iam_no_wildcards, "M", H,
         "List exact actions and resource ARNs; allow-list actions without resource types.",
         "NAG AwsSolutions-IAM5; CK CKV_AWS_63, CKV_AWS_355, CKV_AWS_49, CKV_AWS_356; FSBP IAM.21",
         settings=("wildcardResourceActions",)),
    Rule("aws-iam-no-admin", "IAM-02", "No admin managed policies and no privilege-escalation actions.",
         iam.iam_no_admin, "M", C, "Use customer-managed least-privilege policies.",
         "NAG AwsSolutions-IAM4; CK CKV_AWS_62, CKV_AWS_274, CKV_AWS_286-290; CIS-A 1.15; FSBP IAM.1"),
    Rule("aws-iam-role-trust", "IAM-03", "Role trust policies name principals; cross-account trust is conditioned.",
         iam.iam_role_trust, "M", H, "Name service principals; require sts:ExternalId for accounts.",
         "CK CKV_AWS_60, CKV_AWS_61", stack=True, settings=("requirePermissionsBoundary",)),
    Rule("aws-iam-no-users", "IAM-04", "No IAM users or access keys in the stack.", iam.iam_no_users, "M", H,
         "Use roles, OIDC federation or IAM Identity Center.", "NAG IAMUserNoPolicies; CK CKV_AWS_273; CIS-A 1.14"),
    Rule("aws-iam-role-single-policy-management", "IAM-04", "No role is managed both inline and through standalone "
         "policy resources.", iam.iam_role_single_policy_management, "M", M_,
         "Manage a role's policies one way.", "AG iam-role-no-policy-management-conflicts", stack=True),
    Rule("azure-no-privileged-role-assignments", "IAM-05", "No Owner, Contributor or User Access Administrator at "
         "subscription scope; no '*' custom roles.", iam.azure_no_privileged_roles, "M(prod)", C,
         "Assign narrow data-plane roles on the resource.", "CK CKV_AZURE_39, CKV2_AZURE_40; CIS-Z 6.23", clouds=AZ),
    Rule("azure-local-auth-disabled", "IAM-05", "Storage shared keys and Event Hubs SAS are off; no Manage rights.",
         iam.azure_local_auth_disabled, "M(prod)", H,
         "Set allow_shared_key_access=False, disable_local_auth=True.", "CIS-Z 10.3.1.3, 9.3.6", clouds=AZ),
    Rule("gcp-no-basic-roles", "IAM-06", "No basic roles, no project-level service-account user/token creator or "
         "Dataproc Worker, no admin roles for service accounts.", iam.gcp_no_basic_roles, "M", C, "Grant predefined roles narrowly.",
         "CK CKV_GCP_117, CKV_GCP_41, CKV_GCP_42, CKV_GCP_49; CIS-G 1.5, 1.6", clouds=GCP),
    Rule("gcp-service-account-hygiene", "IAM-07", "No user-managed service-account keys; Dataproc uses a dedicated "
         "service account with the cloud-platform scope.", iam.gcp_service_account_hygiene, "M", H,
         "Use workload identity; set a dedicated service account.", "CK CKV2_GCP_3, CKV_GCP_30, CKV_GCP_31; "
         "CIS-G 1.4, 4.1, 4.2", clouds=GCP),
    Rule("aws-web-identity-trust-pinned", "IAM-08", "A role trusting a web identity provider pins the subject and "
         "the audience to literal values.", federation.aws_web_identity_trust_pinned, "M", C,
         "Add StringEquals on <issuer>:sub and <issuer>:aud (or accounts.google.com:oaud) with literal values.",
         "CK CKV_AWS_358 (GitHub OIDC sub)"),
    Rule("gcp-workload-identity-provider-pinned", "IAM-09", "Workload identity providers map google.subject and "
         "pin an attribute condition to the foreign identity (never 'true').",
         federation.gcp_workload_identity_provider_pinned, "M", C,
         "Set attribute_condition to the one role ARN or subject allowed.", clouds=GCP),
    Rule("gcp-no-pool-wide-grant", "IAM-09", "No IAM grant to every identity of a workload identity pool.",
         federation.gcp_no_pool_wide_grant, "M", C,
         "Grant principal://.../subject/S or principalSet://.../attribute.NAME/VALUE.", clouds=GCP),
    Rule("azure-federated-credential-pinned", "IAM-10", "Federated identity credentials pin issuer, subject and the "
         "api://AzureADTokenExchange audience.", federation.azure_federated_credential_pinned, "M", C,
         "Set issuer (https), one literal subject, audiences ['api://AzureADTokenExchange'].", clouds=AZ),
    Rule("no-long-lived-keys", "IAM-11", "No access keys, service-account keys, HMAC keys or client secrets in the "
         "stack.", federation.no_long_lived_keys, "M", C,
         "Federate: web identity on AWS, workload identity pools on GCP, federated credentials on Azure.",
         "CK CKV_AWS_273; CK CKV2_GCP_3", clouds=ALL),
    # G. Logging and audit
    Rule("aws-s3-bucket-access-logging", "LOG-01", "S3 buckets log access to a dedicated log bucket.",
         logging.s3_access_logging, "M(prod)", M_, "Add aws.s3.BucketLogging with target_bucket the log bucket.",
         "AG s3-bucket-logging-enabled; NAG AwsSolutions-S1; CK CKV_AWS_18; FSBP S3.9", stack=True),
    Rule("aws-api-stage-logging", "LOG-02", "API stages write JSON access logs, execution logs at ERROR/INFO without "
         "data trace, and X-Ray traces.", logging.api_stage_logging, "M", M_,
         "Set access_log_settings, method settings logging_level and xray_tracing_enabled.",
         "NAG AwsSolutions-APIG1, APIG6; CK CKV_AWS_76, CKV_AWS_73, CKV2_AWS_4; FSBP APIGateway.1, .3, .9"),
    Rule("aws-pipeline-logging", "LOG-03", "EMR has a log URI; Glue logs continuously; Firehose logs errors.",
         logging.pipeline_logging, "M", M_, "Set log_uri / --enable-continuous-cloudwatch-log / "
         "cloudwatch_logging_options.", "NAG AwsSolutions-EMR2"),
    Rule("aws-vpc-flow-logs", "LOG-04", "Every VPC has a flow log.", logging.vpc_flow_logs, "M", M_,
         "Add aws.ec2.FlowLog(vpc_id=..., traffic_type='ALL').",
         "NAG AwsSolutions-VPC7; CK CKV2_AWS_11; CIS-A 3.7; FSBP EC2.6", stack=True),
    Rule("aws-log-group-retention", "LOG-05", "Log groups have explicit retention (365 days in production).",
         logging.log_group_retention, "M", M_, "Set retention_in_days.",
         "NAG CloudWatchLogGroupRetentionPeriod; CK CKV_AWS_66, CKV_AWS_338", settings=("minLogRetentionDays",)),
    Rule("azure-diagnostic-settings", "LOG-06", "Storage, Key Vault, Event Hubs and Databricks send diagnostics to Log "
         "Analytics; flow logs are kept 90 days.", logging.azure_diagnostics, "M(prod)", M_,
         "Add monitor.DiagnosticSetting per resource; set flow-log retention.",
         "CK CKV_AZURE_12; CIS-Z 7.1.1.4, 7.1.4, 3.1.7, 8.5, 8.8", stack=True, clouds=AZ),
    Rule("gcp-network-logging", "LOG-07", "Subnets have VPC flow logs and firewall rules log.",
         logging.gcp_network_logging, "M(prod)", M_, "Set log_config on subnets and firewalls.",
         "CK CKV_GCP_26, CKV2_GCP_5; CIS-G 3.8", clouds=GCP),
    Rule("gcp-storage-access-logging", "LOG-07", "GCS buckets write usage logs to a dedicated log bucket.",
         logging.gcs_access_logging, "M(prod)", L, "Set logging.log_bucket.", "CK CKV_GCP_62", stack=True, clouds=GCP),
    # H. Cost guardrails
    Rule("budget-present", "COST-01", "Each cloud in the stack has a budget alerting at 80 % actual and 100 % "
         "forecast spend, of at least 1.5 x the stack's idle cost by the price table.", cost.budget_present, "M", H, "Create the foundation's budget with the alert e-mails.",
         "custom (clstokes/pulumi-policy-aws-cost budget-limit is the closest)", stack=True, clouds=ALL),
    Rule("aws-size-caps", "COST-02", "EMR instance types and counts, EMR Serverless capacity, Glue workers and "
         "Kinesis shards stay within the profile's caps.", cost.aws_size_caps, "M", M_,
         "Pick an allowed size or raise the cap in the pack config with a reason.", "custom",
         settings=("allowedInstanceTypes", "maxEmrInstances", "maxSparkVcpu", "allowedGlueWorkerTypes",
                   "maxGlueWorkers", "maxKinesisShards")),
    Rule("azure-size-caps", "COST-02", "Event Hubs SKU and throughput units stay within the profile's caps.",
         cost.azure_size_caps, "M", M_, "Pick an allowed SKU and capacity.", "custom",
         settings=("allowedEventHubSkus", "maxEventHubThroughputUnits"), clouds=AZ),
    Rule("gcp-size-caps", "COST-02", "Dataproc machine types and node counts stay within the profile's caps.",
         cost.gcp_size_caps, "M", M_, "Pick an allowed machine type and count.", "custom",
         settings=("allowedInstanceTypes", "maxEmrInstances"), clouds=GCP),
    Rule("idle-termination", "COST-03", "Spark engines stop when idle and jobs time out (learning).",
         cost.idle_termination, "M(non-prod)", M_, "Set auto-stop / idle timeouts / Glue timeout.", "custom",
         settings=("maxIdleMinutes", "maxGlueTimeoutMinutes"), clouds=("aws", "gcp")),
    Rule("ttl-tag", "COST-04", "Learning resources carry an expires-at tag no more than maxTtlDays ahead.",
         cost.ttl_tag, "M(non-prod)", M_, "Set blueprint:ttl; tags come from ctx.tags().", "custom",
         settings=("maxTtlDays",), clouds=ALL),
    Rule("query-and-throttle-caps", "COST-05", "Athena caps bytes scanned per query and publishes metrics; API "
         "stages throttle below the account default.", cost.query_and_throttle_caps, "A", L,
         "Set bytes_scanned_cutoff_per_query and throttling limits.", "NAG Serverless APIGWDefaultThrottling"),
    Rule("storage-lifecycle", "COST-06", "S3 buckets abort incomplete uploads and expire old versions; Azure accounts "
         "have a management policy; GCS buckets have lifecycle rules.", cost.storage_lifecycle, "A", L,
         "Add lifecycle configuration.", "CK CKV2_AWS_61, CKV_AWS_300; FSBP S3.10, S3.13", stack=True, clouds=ALL),
    Rule("approved-regions", "COST-06", "Providers deploy only to approved regions.", cost.approved_regions, "A", L,
         "Use an approved region or extend approvedRegions.", "Pulumi aws-ts-finops require-region", stack=True,
         settings=("approvedRegions",), clouds=ALL),
    # I. Tagging
    Rule("required-tags", "TAG-01", "Every taggable resource carries the common tags (labels on GCP), provider "
         "defaults included.", tags.required_tags, "M", M_, "Pass tags=ctx.tags(stage, zone) / "
         "labels=ctx.labels(stage, zone).", "custom (Pulumi 'require tags' packs)", clouds=ALL),
    Rule("tag-values", "TAG-02", "Tag values match the stack: stack, profile, managed-by, a known stage and zone.",
         tags.tag_values, "M", L, "Take tags from ctx.tags(); do not hand-write them.", "custom", clouds=ALL),
    # J. Data protection
    Rule("versioning", "DP-01", "S3 and GCS buckets are versioned; Azure blob versioning on flat-namespace accounts.",
         data_protection.versioning, "M(prod)", M_, "Enable versioning.",
         "NAG S3BucketVersioningEnabled; CK CKV_AWS_21, CKV_GCP_78; CIS-Z 10.2.2; FSBP S3.14", stack=True,
         clouds=ALL),
    Rule("soft-delete-retention", "DP-02", "Azure blob and container soft delete; GCS soft delete; S3 Object Lock "
         "when required.", data_protection.soft_delete, "M(prod)", M_, "Enable soft delete with enough days.",
         "CK CKV2_AZURE_38, CKV_AWS_143; CIS-Z 10.2.1, 10.3.6; FSBP S3.15", stack=True,
         settings=("minSoftDeleteDays", "requireObjectLock"), clouds=ALL),
    Rule("retention-floors", "DP-03", "Streams and topics keep messages at least the profile's floor.",
         data_protection.retention_floors, "M(prod)", M_, "Raise the retention.", "custom",
         settings=("minStreamRetentionHours", "minEventHubRetentionDays"), clouds=ALL),
    Rule("deletion-protection", "DP-04", "Production state is protected: protect=True, no force-destroy, BigQuery "
         "deletion protection, EMR termination protection, 30-day KMS window.", data_protection.deletion_protection,
         "M(prod)", H, "Set protect=ctx.protect and force_destroy=ctx.force_destroy.",
         "CK CKV_GCP_121, CKV_GCP_82", clouds=ALL),
    Rule("learning-destroyable", "DP-04", "Learning state is destroyable in one pulumi destroy: no protect, stores "
         "empty themselves.", data_protection.learning_destroyable, "M(non-prod)", M_,
         "Use ctx.protect and ctx.force_destroy.", "custom", clouds=ALL),
    Rule("azure-resource-locks", "DP-05", "Production Storage accounts and Key Vaults have a CanNotDelete lock.",
         data_protection.azure_resource_locks, "M(prod)", M_,
         "Add ManagementLockByScope(scope=<id>) or ManagementLockAtResourceLevel with level='CanNotDelete'.",
         "CIS-Z 7.2, 10.3.10", stack=True, clouds=AZ),
    Rule("redundancy", "DP-06", "Production data survives a zone: ZRS/GRS storage, zone-redundant Event Hubs, S3 "
         "replication.", data_protection.redundancy, "A", L, "Pick a redundant SKU or add replication.",
         "CR aws-s3-bucket-enable-replication-configuration; CK CKV_AWS_144, CKV_AZURE_206; FSBP S3.7",
         stack=True, clouds=ALL),
    Rule("azure-no-preview-api", "HYG-01", "azure-native resources do not pin preview API versions.",
         hygiene.azure_no_preview_api, "A", L, "Use the default (stable) module.",
         "compliance-policies disallow-preview-resource", clouds=AZ),
)

BY_NAME: dict[str, Rule] = {rule.name: rule for rule in RULES}


def policies(profile: str = "learning") -> list:
    """The pulumi_policy objects, with enforcement levels for ``profile``."""
    if profile not in PROFILES:
        raise ValueError(f"profile must be one of {', '.join(PROFILES)}, not {profile!r}")
    return [rule.policy(profile) for rule in RULES]


def pack_config(profile: str) -> dict:
    """The pack config file for ``profile``: each rule's enforcement level and ``profile`` property."""
    return {rule.name: {"enforcementLevel": rule.enforcement(profile).value, "profile": profile} for rule in RULES}


def pack_arguments(profile: str) -> dict:
    """Keyword arguments for ``PolicyPack`` (and for the analyzer servicer in tests)."""
    return {
        "name": PACK_NAME,
        "policies": policies(profile),
        "initial_config": {rule.name: {"profile": profile} for rule in RULES},
        "description": "Guardrails for the blueprint data platform on AWS, Azure and GCP "
                       f"({len(RULES)} rules; profile {profile}).",
        "display_name": "blueprint guardrails",
        "tags": ["aws", "azure", "gcp", "security", "cost"],
    }
