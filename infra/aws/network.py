"""Network: the VPC that carries the security zones on AWS.

Creates a VPC with one private subnet per zone tier (processing, data,
serving) in each availability zone (one AZ in learning, two in production),
subnets only in availability zones every service of the platform supports
(``UNSUPPORTED_ZONE_IDS``), one route table with no route to the internet (there is no internet gateway
and no NAT gateway), the S3 gateway endpoint on that route table, one security
group per zone, and the security-group rules generated from
``components.zones.REACHABILITY`` and ``ZONE_PORTS``: for every declared
(source, destination) edge an ingress rule on the destination's group and an
egress rule on the source's group, and nothing else. The VPC's default
security group is adopted and stripped of every rule. Flow logs (all traffic)
go to a KMS-encrypted log group with retention (7 days learning, 365
production). Interface endpoints in the data tier: in production every AWS
API a workload inside the VPC calls, Glue's alone (one AZ) in learning. The
S3 gateway endpoint's policy admits only buckets of this account
(``aws:ResourceAccount``), plus, with ``engine: cluster``, the AWS-owned
buckets EMR nodes install from.

Where AWS differs:
- The edge zone has no subnet: Connect is API Gateway's managed regional
  endpoint, which lives outside the VPC. The edge security group exists for
  anything later placed at the edge (a load balancer for dashboards); it has no
  ingress at all, in particular none from 0.0.0.0/0. The internet reaches the
  edge only through the authenticated API.
- The data zone is mostly AWS-managed (S3, Kinesis, KMS, Glue): it is reached
  through the S3 gateway endpoint (free) and interface endpoints carrying the
  data security group. Each interface endpoint bills per AZ-hour, idle or not
  (``bp cost``), so learning keeps only Glue's (plus ``elasticmapreduce`` with
  ``engine: cluster``, whose nodes cannot start without it): there, Spark jobs in the private
  subnets reach S3 (SSE-KMS is decrypted by S3 itself) and the catalog, but
  not STS, CloudWatch Logs or Kinesis APIs. See docs/clouds/aws.md.
- Every interface endpoint serves the one stage with workloads inside the VPC,
  Processing (``INTERFACE_ENDPOINT_CALLERS``). A hybrid stack whose Processing
  runs on another cloud creates none on AWS: nothing here would call them.
- Security groups are stateful: return traffic is allowed implicitly.
  The provider deletes the all-traffic egress rule AWS adds to a new group,
  so a group without an egress rule here really has no egress.
"""

from __future__ import annotations

import ipaddress
import re

import pulumi
import pulumi_aws as aws

from components.config import Cloud, StageName
from components.context import StageContext
from components.zones import INTERNET, REACHABILITY, ZONE_PORTS, Zone
from infra.aws.names import iam_name

SUBNET_TIERS: tuple[Zone, ...] = (Zone.PROCESSING, Zone.DATA, Zone.SERVING)
"""Zones that have subnets on AWS (edge is API Gateway's managed endpoint)."""

SECURITY_GROUP_ZONES: tuple[Zone, ...] = (Zone.EDGE, Zone.PROCESSING, Zone.DATA, Zone.SERVING)

AZ_COUNT = {False: 1, True: 2}
"""Availability zones per profile (learning single-zone, production multi-zone)."""

INTERFACE_ENDPOINT_SERVICES: tuple[str, ...] = ("kinesis-streams", "glue", "kms", "sts", "logs")
"""AWS APIs that workloads inside the VPC call in production (service name suffixes): Spark reads the
stream (the ``spark`` consumer), the catalog, the key, its credentials and its logs. Firehose, Athena and
the EMR Serverless control plane are called from outside the VPC, so they get no endpoint (each would bill per AZ-hour; `bp cost`)."""

LEARNING_INTERFACE_ENDPOINT_SERVICES: tuple[str, ...] = ("glue",)
"""Learning keeps one endpoint (billed per AZ-hour): without it, Spark jobs in the private
subnets could read S3 but not the Glue catalog, so no table would work."""

CLUSTER_INTERFACE_ENDPOINT_SERVICES: tuple[str, ...] = ("elasticmapreduce", "kms")
"""With ``engine: cluster``: nodes in private subnets without NAT reach the EMR service only through
``elasticmapreduce``, and the key (local-disk and log encryption happen on the nodes) only through ``kms``."""

INTERFACE_ENDPOINT_CALLERS: dict[str, StageName] = {
    "kinesis-streams": StageName.PROCESSING, "glue": StageName.PROCESSING, "kms": StageName.PROCESSING,
    "sts": StageName.PROCESSING, "logs": StageName.PROCESSING, "elasticmapreduce": StageName.PROCESSING,
}
"""The stage whose workloads call each endpoint's API from inside the VPC (Spark on EMR Serverless or
EMR nodes). Connect (API Gateway), Buffer (Kinesis), Store (S3) and Visualize (Athena) run outside it, and
Athena reads the Glue catalog from AWS's side, so an endpoint stays only where its caller runs on AWS."""

UNSUPPORTED_ZONE_IDS: tuple[str, ...] = ("use1-az3",)
"""Zone ids never used for subnets: EMR Serverless runs in us-east-1 only in use1-az1, -az2, -az4, -az5
and -az6 (EMR Serverless User Guide, "Endpoints and quotas"), and which zone name maps to use1-az3
differs per account. Local and Wavelength zones (opt-in) are left out too."""

FLOW_LOG_RETENTION_DAYS = {False: 7, True: 365}


def subnet_plan(cidr: str, az_count: int) -> dict[tuple[Zone, int], str]:
    """(tier, az index) to CIDR: the network split into 16 equal blocks, four per tier.

    Pure and stable: adding an AZ never renumbers an existing subnet.
    """
    network = ipaddress.ip_network(cidr)
    blocks = list(network.subnets(new_prefix=network.prefixlen + 4))
    if az_count > 4:
        raise ValueError("at most four availability zones per tier")
    return {
        (tier, az): str(blocks[tier_index * 4 + az])
        for tier_index, tier in enumerate(SUBNET_TIERS)
        for az in range(az_count)
    }


DESCRIPTION_CHARACTERS = re.compile(r"[a-zA-Z0-9. _\-:/()#,@\[\]+=&;{}!$*]{0,255}")
"""What EC2 accepts in a security group's or a rule's description (EC2 API Reference,
``CreateSecurityGroup`` GroupDescription and ``IpRange``/``UserIdGroupPair`` Description)."""


def rule_description(text: str) -> str:
    """``text`` if EC2 accepts it as a description; refused here, before any resource is registered."""
    if not DESCRIPTION_CHARACTERS.fullmatch(text):
        raise ValueError(
            f"security group description {text!r} must be at most 255 of a-z A-Z 0-9 space ._-:/()#,@[]+=&;{{}}!$*")
    return text


S3_ENDPOINT_ACTIONS: tuple[str, ...] = (
    "s3:GetObject", "s3:PutObject", "s3:DeleteObject", "s3:AbortMultipartUpload", "s3:ListMultipartUploadParts",
    "s3:ListBucket", "s3:GetBucketLocation", "s3:ListBucketMultipartUploads",
)
"""Object and listing calls the workloads make; nothing that changes a bucket's settings."""


def emr_owned_buckets(region: str) -> list[str]:
    """AWS-owned buckets EMR cluster nodes read at boot (packages, EMR software): EMR Management Guide,
    "Minimum Amazon S3 policy for private subnet"."""
    return [f"arn:aws:s3:::{bucket}/*" for bucket in (
        f"{region}.elasticmapreduce", f"repo.{region}.emr.amazonaws.com", f"prod.{region}.appinfo.src",
        f"amazonlinux.{region}.amazonaws.com", f"amazonlinux-2-repos-{region}", f"al2023-repos-{region}-de612dc2",
    )]


def s3_endpoint_policy(account_id: pulumi.Input[str], region: str, *, cluster: bool) -> dict:
    """The S3 gateway endpoint's policy: this account's buckets only (no exfiltration to a bucket of
    another account through Spark's only egress), plus, with an EMR cluster, the AWS-owned buckets its
    nodes install from."""
    statements: list[dict] = [{
        "Sid": "BucketsOfThisAccount",
        "Effect": "Allow",
        "Principal": "*",
        "Action": list(S3_ENDPOINT_ACTIONS),
        "Resource": "*",
        "Condition": {"StringEquals": {"aws:ResourceAccount": account_id}},
    }]
    if cluster:
        statements.append({
            "Sid": "EmrSoftwareBuckets",
            "Effect": "Allow",
            "Principal": "*",
            "Action": ["s3:GetObject"],
            "Resource": emr_owned_buckets(region),
        })
    return {"Version": "2012-10-17", "Statement": statements}


def zone_rules() -> list[tuple[str, str, tuple[int, ...]]]:
    """(source zone, destination zone, ports) for every VPC-internal edge of the matrix."""
    rules = []
    for source, destination in sorted(REACHABILITY):
        if source == INTERNET:
            continue  # the internet reaches the edge through API Gateway only
        rules.append((source, destination, ZONE_PORTS[Zone(destination)]))
    return rules


class Network(pulumi.ComponentResource):
    """The VPC and its zones. Attributes are the native resources (escape hatch)."""

    vpc: aws.ec2.Vpc
    subnets: dict[Zone, list[aws.ec2.Subnet]]
    security_groups: dict[Zone, aws.ec2.SecurityGroup]
    route_table: aws.ec2.RouteTable
    s3_endpoint: aws.ec2.VpcEndpoint
    interface_endpoints: dict[str, aws.ec2.VpcEndpoint]
    flow_log_group: aws.cloudwatch.LogGroup

    def __init__(
        self,
        name: str,
        ctx: StageContext,
        key_arn: pulumi.Input[str],
        account_id: pulumi.Input[str],
        partition: pulumi.Input[str],
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        super().__init__("blueprint:aws:Network", name, None, opts)
        region = ctx.config.aws.region
        child = pulumi.ResourceOptions(parent=self)
        az_count = AZ_COUNT[ctx.is_production]

        self.vpc = aws.ec2.Vpc(
            f"{name}-vpc",
            cidr_block=ctx.config.network_cidr,
            enable_dns_support=True,
            enable_dns_hostnames=True,  # private DNS of interface endpoints needs both
            tags=ctx.foundation_tags(Zone.DATA),
            opts=child,
        )
        # Adopt the default security group and remove its rules (CIS 5.5, FSBP EC2.2).
        self.default_security_group = aws.ec2.DefaultSecurityGroup(
            f"{name}-default-sg",
            vpc_id=self.vpc.id,
            ingress=[],
            egress=[],
            tags=ctx.foundation_tags(Zone.DATA),
            opts=child,
        )

        zones = aws.get_availability_zones_output(
            state="available",
            exclude_zone_ids=list(UNSUPPORTED_ZONE_IDS),
            filters=[aws.GetAvailabilityZonesFilterArgs(name="opt-in-status", values=["opt-in-not-required"])],
            opts=pulumi.InvokeOutputOptions(parent=self),
        )
        self.route_table = aws.ec2.RouteTable(
            f"{name}-private-rt", vpc_id=self.vpc.id, tags=ctx.foundation_tags(Zone.DATA), opts=child
        )
        self.subnets = {tier: [] for tier in SUBNET_TIERS}
        for (tier, az), cidr in subnet_plan(ctx.config.network_cidr, az_count).items():
            subnet = aws.ec2.Subnet(
                f"{name}-{tier.value}-{az}",
                vpc_id=self.vpc.id,
                cidr_block=cidr,
                availability_zone=zones.names[az],
                map_public_ip_on_launch=False,
                tags={**ctx.foundation_tags(tier), "tier": tier.value, **self._emr_tag(ctx, tier)},
                opts=child,
            )
            aws.ec2.RouteTableAssociation(
                f"{name}-{tier.value}-{az}-rt", subnet_id=subnet.id, route_table_id=self.route_table.id, opts=child
            )
            self.subnets[tier].append(subnet)

        self.s3_endpoint = aws.ec2.VpcEndpoint(
            f"{name}-s3-endpoint",
            vpc_id=self.vpc.id,
            service_name=f"com.amazonaws.{region}.s3",
            vpc_endpoint_type="Gateway",
            route_table_ids=[self.route_table.id],
            policy=pulumi.Output.json_dumps(s3_endpoint_policy(
                account_id, region, cluster=ctx.config.stages.processing.engine == "cluster")),
            tags=ctx.foundation_tags(Zone.DATA),
            opts=child,
        )

        self.security_groups = {
            zone: aws.ec2.SecurityGroup(
                f"{name}-{zone.value}-sg",
                vpc_id=self.vpc.id,
                description=rule_description(
                    f"Zone {zone.value}: reachable only as components.zones.REACHABILITY declares"),
                revoke_rules_on_delete=True,
                tags={**ctx.foundation_tags(zone), **self._emr_tag(ctx, zone)},
                opts=child,
            )
            for zone in SECURITY_GROUP_ZONES
        }
        self.rules: list[pulumi.CustomResource] = []
        for source, destination, ports in zone_rules():
            src, dst = self.security_groups[Zone(source)], self.security_groups[Zone(destination)]
            port_args = (
                {"ip_protocol": "tcp", "from_port": ports[0], "to_port": ports[-1]}
                if ports else {"ip_protocol": "-1"}
            )
            shown = ",".join(map(str, ports)) or "all"
            self.rules.append(aws.vpc.SecurityGroupIngressRule(
                f"{name}-{source}-to-{destination}-in",
                security_group_id=dst.id,
                referenced_security_group_id=src.id,
                description=rule_description(f"{source} to {destination} on {shown}"),
                tags=ctx.foundation_tags(Zone(destination)),
                opts=child,
                **port_args,
            ))
            self.rules.append(aws.vpc.SecurityGroupEgressRule(
                f"{name}-{source}-to-{destination}-out",
                security_group_id=src.id,
                referenced_security_group_id=dst.id,
                description=rule_description(f"{source} to {destination} on {shown}"),
                tags=ctx.foundation_tags(Zone(source)),
                opts=child,
                **port_args,
            ))
            if destination == Zone.DATA.value:
                # S3 sits behind the gateway endpoint: reach it by its prefix list, HTTPS only.
                self.rules.append(aws.vpc.SecurityGroupEgressRule(
                    f"{name}-{source}-to-s3-out",
                    security_group_id=src.id,
                    prefix_list_id=self.s3_endpoint.prefix_list_id,
                    ip_protocol="tcp", from_port=443, to_port=443,
                    description=rule_description(f"{source} to data (S3 gateway endpoint) on 443"),
                    tags=ctx.foundation_tags(Zone(source)),
                    opts=child,
                ))

        self.interface_endpoints = {}
        services = INTERFACE_ENDPOINT_SERVICES if ctx.is_production else LEARNING_INTERFACE_ENDPOINT_SERVICES
        if ctx.config.stages.processing.engine == "cluster":
            services = (*services, *(s for s in CLUSTER_INTERFACE_ENDPOINT_SERVICES if s not in services))
        # Each endpoint bills per AZ-hour: none for a caller that runs on another cloud.
        services = tuple(s for s in services if ctx.config.stage_cloud(INTERFACE_ENDPOINT_CALLERS[s]) is Cloud.AWS)
        if services:
            for service in services:
                self.interface_endpoints[service] = aws.ec2.VpcEndpoint(
                    f"{name}-{service}-endpoint",
                    vpc_id=self.vpc.id,
                    service_name=f"com.amazonaws.{region}.{service}",
                    vpc_endpoint_type="Interface",
                    subnet_ids=[s.id for s in self.subnets[Zone.DATA]],
                    security_group_ids=[self.security_groups[Zone.DATA].id],
                    private_dns_enabled=True,
                    tags=ctx.foundation_tags(Zone.DATA),
                    opts=child,
                )

        self.flow_log_group = aws.cloudwatch.LogGroup(
            f"{name}-flow-logs",
            name=ctx.name("log-group", "foundation-flow-logs"),
            retention_in_days=FLOW_LOG_RETENTION_DAYS[ctx.is_production],
            kms_key_id=key_arn,
            tags=ctx.foundation_tags(Zone.DATA),
            opts=pulumi.ResourceOptions(parent=self, protect=ctx.protect, delete_before_replace=True),
        )
        log_group_arn = self.flow_log_group.arn
        fixed_name = pulumi.ResourceOptions(parent=self, delete_before_replace=True)
        flow_role = aws.iam.Role(
            f"{name}-flow-logs-role",
            name=iam_name(ctx, "foundation-flow-logs"),
            description="VPC flow logs deliver to the stack's flow-log group",
            assume_role_policy=pulumi.Output.json_dumps({
                "Version": "2012-10-17",
                "Statement": [{
                    "Sid": "TrustVpcFlowLogs",
                    "Effect": "Allow",
                    "Principal": {"Service": "vpc-flow-logs.amazonaws.com"},
                    "Action": "sts:AssumeRole",
                    "Condition": {"StringEquals": {"aws:SourceAccount": account_id}},
                }],
            }),
            tags=ctx.foundation_tags(Zone.DATA),
            opts=fixed_name,
        )
        flow_policy = aws.iam.Policy(
            f"{name}-flow-logs-policy",
            name=iam_name(ctx, "foundation-flow-logs-policy"),
            description="Write flow logs to one log group",
            policy=pulumi.Output.json_dumps({
                "Version": "2012-10-17",
                "Statement": [{
                    "Sid": "WriteFlowLogs",
                    "Effect": "Allow",
                    "Action": ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"],
                    "Resource": [log_group_arn, pulumi.Output.concat(log_group_arn, ":log-stream:*")],
                }],
            }),
            tags=ctx.foundation_tags(Zone.DATA),
            opts=fixed_name,
        )
        attachment = aws.iam.RolePolicyAttachment(
            f"{name}-flow-logs-attachment", role=flow_role.name, policy_arn=flow_policy.arn, opts=child
        )
        self.flow_log = aws.ec2.FlowLog(
            f"{name}-flow-log",
            vpc_id=self.vpc.id,
            traffic_type="ALL",
            log_destination_type="cloud-watch-logs",
            log_destination=log_group_arn,
            iam_role_arn=flow_role.arn,
            max_aggregation_interval=600,
            tags=ctx.foundation_tags(Zone.DATA),
            opts=pulumi.ResourceOptions(parent=self, depends_on=[attachment]),
        )
        self.register_outputs({"vpc_id": self.vpc.id})

    @staticmethod
    def _emr_tag(ctx: StageContext, tier: Zone) -> dict[str, str]:
        # The AWS-managed EMR service policy (v2) may only use subnets carrying this tag.
        if tier is Zone.PROCESSING and ctx.config.stages.processing.engine == "cluster":
            return {"for-use-with-amazon-emr-managed-policies": "true"}
        return {}

    def subnet_ids(self, zone: Zone) -> list[pulumi.Output[str]]:
        return [s.id for s in self.subnets.get(zone, [])]
