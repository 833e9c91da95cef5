"""AwsFoundation: the key, the network and the budget every AWS stage shares.

Created before the stages, in this order: the KMS key (``Key``), the VPC with
its zones (``Network``, whose flow-log group the key encrypts), and the
budget with its alert topic (``Budget``). It also resolves the account id and
partition once (``getCallerIdentity``, ``getPartition``; the account id as a plain value) so that every ARN
and trust condition in the stages is built from them, never guessed.
"""

from __future__ import annotations

import pulumi
import pulumi_aws as aws

from components.billing import BudgetSpec
from components.config import NAMESPACE, ConfigError, ConfigIssue
from components.foundation import Foundation, FoundationArgs
from components.zones import Zone
from infra.aws.budget import Budget
from infra.aws.key import Key
from infra.aws.network import Network


def refuse_foreign_principals(principals: list[str], account: str, stack: str) -> None:
    """Trusted principals must belong to the deploying account.

    Trust of another account needs a condition (``sts:ExternalId`` or an organization id) that the
    stack does not set, so such a principal is refused here, right after the account id is known and
    before the key, the network or any stage is registered.
    """
    foreign = [p for p in principals if p.split(":")[4] != account]
    if foreign:
        raise ConfigError([ConfigIssue(
            f"{NAMESPACE}:aws.trustedPrincipals", principals,
            f"{', '.join(foreign)} not in the deploying account {account}; allowed: principals of this account "
            "(cross-account trust would need a condition this stack does not set)",
        )], stack)


class AwsFoundation(Foundation):
    key: Key
    network: Network
    budget: Budget
    account: str
    account_id: pulumi.Output[str]
    partition: pulumi.Output[str]
    region: str

    def __init__(self, name: str, args: FoundationArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__(name, opts)
        ctx = args["context"]
        self.context = ctx
        invoke = pulumi.InvokeOutputOptions(parent=self)
        # A plain value, resolved once through this stack's provider before any resource is named:
        # globally unique names (S3 buckets) are salted with it (``infra.aws.names.bucket_name``).
        self.account = aws.get_caller_identity(opts=pulumi.InvokeOptions(parent=self)).account_id
        self.account_id = pulumi.Output.from_input(self.account)
        refuse_foreign_principals(ctx.config.aws.trusted_principals, self.account, ctx.stack)
        self.partition = aws.get_partition_output(opts=invoke).partition
        self.region = ctx.config.aws.region

        self.key = Key(f"{name}-key", ctx, self.account_id, self.partition, pulumi.ResourceOptions(parent=self))
        self.network = Network(
            f"{name}-network", ctx, self.key.arn, self.account_id, self.partition,
            pulumi.ResourceOptions(parent=self),
        )
        self.budget = Budget(
            f"{name}-budget", ctx, BudgetSpec.from_config(ctx.config), self.key.arn, self.account_id,
            pulumi.ResourceOptions(parent=self),
        )
        self._publish(
            network_id=self.network.vpc.id,
            zone_subnets={zone.value: self.network.subnet_ids(zone) for zone in self.network.subnets},
            key_id=self.key.arn,
            budget_id=self.budget.budget.id,
            alert_channel=self.budget.topic.arn,
        )

    @property
    def key_arn(self) -> pulumi.Output[str]:
        return self.key.arn

    def arn(self, service: str, resource: str, *, regional: bool = True, account: bool = True) -> pulumi.Output[str]:
        """``arn:<partition>:<service>:<region>:<account>:<resource>``."""
        return pulumi.Output.concat(
            "arn:", self.partition, ":", service, ":", self.region if regional else "", ":",
            self.account_id if account else "", ":", resource,
        )

    def security_group(self, zone: Zone) -> aws.ec2.SecurityGroup:
        return self.network.security_groups[zone]
