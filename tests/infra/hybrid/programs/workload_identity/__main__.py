"""A GCP pool trusting one AWS role, built on the GCP learning stack's foundation, with and without impersonation."""

import pulumi
from pulumi.runtime.config import CONFIG

from components.config import Cloud, StageName, from_pulumi_config
from components.context import StageContext
from infra.gcp.identity import service_account
from infra.gcp.foundation import GcpFoundation
from infra.hybrid.workload_identity import AwsWorkloadIdentity

config = from_pulumi_config(CONFIG.get(), "gcp")
base = StageContext(Cloud.GCP, config, "gcp")
foundation = GcpFoundation("platform-gcp", {"context": base})
ctx = base.with_foundation(foundation)
direct = AwsWorkloadIdentity("direct", {
    "context": ctx, "role": "spark-aws", "aws_account_id": "123456789012", "aws_role_name": "bp-spark"})
account = service_account("reader", ctx, StageName.PROCESSING, "reads the lake from AWS", pulumi.ResourceOptions())
impersonated = AwsWorkloadIdentity("impersonated", {
    "context": ctx, "role": "lake-aws", "aws_account_id": "123456789012", "aws_role_name": "bp-reader",
    "service_account": account})
pulumi.export("direct", {"member": direct.member, "credentials": direct.credential_configuration})
pulumi.export("impersonated", {"member": impersonated.member, "credentials": impersonated.credential_configuration})
