"""Public access (catalogue group D): S3 public access blocks, ACLs and resource policies,
API Gateway authorization and exposure, Azure anonymous blob access, GCS and GCP IAM."""

from __future__ import annotations

from policies.check import applies_to, companions, label, of_type, refers_to
from policies.config import setting
from policies.documents import is_public, statements
from policies.props import as_list, get
from policies.rules.keys import public_members

S3_BUCKET = "aws:s3/bucket:Bucket"
S3_PAB = "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock"
S3_ACL = "aws:s3/bucketAcl:BucketAcl"
S3_OWNERSHIP = "aws:s3/bucketOwnershipControls:BucketOwnershipControls"
PAB_FLAGS = ("blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets")
PUBLIC_ACLS = ("public-read", "public-read-write", "authenticated-read")


def s3_public_access_block(args, report) -> None:
    for bucket in of_type(args.resources, S3_BUCKET):
        blocks = companions(bucket, args.resources, [S3_PAB], "bucket")
        if not blocks:
            report(f"bucket {label(bucket)} has no public access block: add an aws.s3.BucketPublicAccessBlock "
                   "with all four flags True", bucket.urn)
            continue
        for block in blocks:
            off = [flag for flag in PAB_FLAGS if block.props.get(flag) is not True]
            if off:
                report(f"public access block {label(block)} of bucket {bucket.name}: set {', '.join(off)} to True",
                       block.urn)


def s3_no_public_acl(args, report) -> None:
    """No public canned ACL or grant, and ACLs disabled with BucketOwnerEnforced on every bucket."""
    for resource in of_type(args.resources, S3_BUCKET, S3_ACL):
        acl = resource.props.get("acl")
        if acl in PUBLIC_ACLS:
            report(f"{label(resource)} sets acl={acl!r}: remove it (ACLs stay disabled)", resource.urn)
        for grant in as_list(get(resource.props, "accessControlPolicy.grants")):
            uri = get(grant, "grantee.uri", "")
            if uri.endswith("/global/AllUsers") or uri.endswith("/global/AuthenticatedUsers"):
                report(f"{label(resource)} grants {uri}: remove the grant", resource.urn)
    for bucket in of_type(args.resources, S3_BUCKET):
        controls = companions(bucket, args.resources, [S3_OWNERSHIP], "bucket")
        owners = [get(c.props, "rule.objectOwnership") for c in controls]
        if "BucketOwnerEnforced" not in owners:
            report(f"bucket {label(bucket)}: add aws.s3.BucketOwnershipControls with "
                   "rule.object_ownership='BucketOwnerEnforced' (disables ACLs)", bucket.urn)


@applies_to("aws:s3/bucketPolicy:BucketPolicy", "aws:sns/topicPolicy:TopicPolicy", "aws:sns/topic:Topic",
            "aws:ec2/vpcEndpoint:VpcEndpoint", "aws:sqs/queuePolicy:QueuePolicy",
            "aws:kinesis/resourcePolicy:ResourcePolicy")
def resource_policy_not_public(args, report) -> None:
    for statement in statements(args.props.get("policy")):
        if is_public(statement):
            report(f"statement {statement.get('Sid', '(no Sid)')!r} allows Principal '*' without a condition: "
                   "name the principals, or narrow with aws:SourceAccount / aws:SourceArn / aws:PrincipalOrgID")


@applies_to("aws:apigateway/method:Method", "aws:apigatewayv2/route:Route")
def api_authorization(args, report) -> None:
    allowed = set(setting(args.get_config(), "unauthenticatedRoutes"))
    if args.name in allowed:
        return
    if args.resource_type.startswith("aws:apigatewayv2"):
        if args.props.get("authorizationType", "NONE") == "NONE" and not args.props.get("apiKeyRequired"):
            report("set authorization_type to 'AWS_IAM', 'JWT' or 'CUSTOM' (or allow-list the route in "
                   "unauthenticatedRoutes with a reason)")
        return
    if args.props.get("authorization", "NONE") == "NONE" and args.props.get("apiKeyRequired") is not True:
        report("set authorization='AWS_IAM' (or COGNITO_USER_POOLS / CUSTOM, or api_key_required=True); "
               "allow-list the method in unauthenticatedRoutes only with a reason")


REST_API = "aws:apigateway/restApi:RestApi"
API_STAGE = "aws:apigateway/stage:Stage"
WAF_ASSOCIATION = "aws:wafv2/webAclAssociation:WebAclAssociation"


def api_exposure(args, report) -> None:
    """REST APIs use an allowed endpoint type; internet-facing ones have a WAFv2 web ACL on each stage."""
    allowed = setting(args.get_config(), "allowedApiEndpointTypes")
    associations = of_type(args.resources, WAF_ASSOCIATION)
    for api in of_type(args.resources, REST_API):
        types = as_list(get(api.props, "endpointConfiguration.types")) or ["EDGE"]
        bad = [t for t in types if t not in allowed]
        if bad:
            report(f"API {label(api)} uses endpoint type {', '.join(bad)}: set endpoint_configuration.types to "
                   f"one of {', '.join(allowed)}", api.urn)
        if "PRIVATE" in types:
            continue
        for stage in companions(api, args.resources, [API_STAGE], "restApi"):
            if not any(refers_to(a, "resourceArn", stage) for a in associations):
                report(f"stage {label(stage)} of internet-facing API {api.name} has no WAFv2 web ACL: add an "
                       "aws.wafv2.WebAclAssociation with resource_arn=stage.arn (managed rule groups, rate limit)",
                       stage.urn)


@applies_to("azure-native:storage:StorageAccount", "azure-native:storage:BlobContainer")
def azure_no_anonymous_access(args, report) -> None:
    if args.resource_type.endswith(":StorageAccount"):
        if args.props.get("allowBlobPublicAccess") is not False:
            report("set allow_blob_public_access=False")
    elif args.props.get("publicAccess", "None") != "None":
        report("set public_access='None' on the container")


@applies_to("gcp:storage/bucket:Bucket")
def gcs_public_access_prevention(args, report) -> None:
    if args.props.get("publicAccessPrevention") != "enforced":
        report("set public_access_prevention='enforced'")
    if args.props.get("uniformBucketLevelAccess") is not True:
        report("set uniform_bucket_level_access=True (no object ACLs)")


GCP_DATA_IAM = (
    "gcp:storage/bucketIAMMember:BucketIAMMember", "gcp:storage/bucketIAMBinding:BucketIAMBinding",
    "gcp:bigquery/datasetIamMember:DatasetIamMember", "gcp:bigquery/datasetIamBinding:DatasetIamBinding",
    "gcp:bigquery/datasetAccess:DatasetAccess", "gcp:bigquery/dataset:Dataset",
    "gcp:bigquery/iamMember:IamMember", "gcp:bigquery/iamBinding:IamBinding",
    "gcp:pubsub/topicIAMMember:TopicIAMMember", "gcp:pubsub/topicIAMBinding:TopicIAMBinding",
    "gcp:pubsub/subscriptionIAMMember:SubscriptionIAMMember",
    "gcp:pubsub/subscriptionIAMBinding:SubscriptionIAMBinding",
    "gcp:dataproc/clusterIAMMember:ClusterIAMMember", "gcp:dataproc/clusterIAMBinding:ClusterIAMBinding",
)


@applies_to(*GCP_DATA_IAM)
def gcp_no_public_members(args, report) -> None:
    props = args.props
    found = public_members(props)
    entries = as_list(props.get("accesses")) if args.resource_type.endswith(":Dataset") else [props]
    for entry in entries:
        if isinstance(entry, dict):
            if entry.get("specialGroup") in ("allAuthenticatedUsers", "allUsers"):
                found.append(entry["specialGroup"])
            if entry.get("iamMember") in ("allUsers", "allAuthenticatedUsers"):
                found.append(entry["iamMember"])
    for member in dict.fromkeys(found):
        report(f"remove the grant to {member}: grant named groups or service accounts")
