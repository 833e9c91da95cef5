"""Encryption in transit (catalogue group C): TLS-only bucket and topic policies, TLS 1.2
custom domains, EMR in-transit encryption, Azure minimum TLS."""

from __future__ import annotations

from policies.check import applies_to, companions, label, of_type
from policies.documents import denies_insecure_transport
from policies.props import as_json, get

S3_BUCKET = "aws:s3/bucket:Bucket"
S3_POLICY = "aws:s3/bucketPolicy:BucketPolicy"


def s3_bucket_tls_only(args, report) -> None:
    """Every bucket has a bucket policy that denies requests without TLS."""
    for bucket in of_type(args.resources, S3_BUCKET):
        policies = [p.props.get("policy") for p in companions(bucket, args.resources, [S3_POLICY], "bucket")]
        if bucket.props.get("policy"):
            policies.append(bucket.props.get("policy"))
        if not any(denies_insecure_transport(p) for p in policies):
            report(f"bucket {label(bucket)}: add an aws.s3.BucketPolicy with a Deny of s3:* for Principal '*' "
                   "when aws:SecureTransport is false", bucket.urn)


@applies_to("aws:sns/topicPolicy:TopicPolicy", "aws:sns/topic:Topic")
def sns_topic_tls_only(args, report) -> None:
    policy = args.props.get("policy")
    if args.resource_type.endswith(":Topic") and not policy:
        return  # judged on the TopicPolicy, if any
    if not denies_insecure_transport(policy, action="sns:Publish"):
        report("add a Deny of sns:Publish for Principal '*' when aws:SecureTransport is false")


@applies_to("aws:apigateway/domainName:DomainName", "aws:apigatewayv2/domainName:DomainName")
def api_domain_tls12(args, report) -> None:
    if args.resource_type.startswith("aws:apigatewayv2"):
        policy = get(args.props, "domainNameConfiguration.securityPolicy")
    else:
        policy = args.props.get("securityPolicy")
    if policy is None or not str(policy).startswith("TLS_1_2") and not str(policy).startswith("SecurityPolicy_TLS13"):
        report("set security_policy='TLS_1_2' (or a TLS 1.3 policy)")


@applies_to("aws:emr/securityConfiguration:SecurityConfiguration")
def emr_in_transit(args, report) -> None:
    doc = as_json(args.props.get("configuration"))
    if doc is None:
        return
    enc = doc.get("EncryptionConfiguration") or {}
    if enc.get("EnableInTransitEncryption") is not True or not enc.get("InTransitEncryptionConfiguration"):
        report("set EncryptionConfiguration.EnableInTransitEncryption true with an "
               "InTransitEncryptionConfiguration (TLS certificate provider)")


@applies_to("azure-native:storage:StorageAccount", "azure-native:eventhub:Namespace")
def azure_tls12(args, report) -> None:
    props = args.props
    if args.resource_type.endswith(":StorageAccount"):
        if props.get("enableHttpsTrafficOnly") is False:
            report("remove enable_https_traffic_only=False (HTTPS only)")
        if props.get("minimumTlsVersion") not in ("TLS1_2", "TLS1_3"):
            report("set minimum_tls_version='TLS1_2'")
    elif props.get("minimumTlsVersion") not in ("1.2", "1.3"):
        report("set minimum_tls_version='1.2'")
