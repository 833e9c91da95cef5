"""Key: the stack's customer-managed KMS key and its alias.

Creates one symmetric ``aws.kms.Key`` (rotation on, deletion window 7 days in
learning and 30 in production, ``protect`` in production) with an explicit
key policy, and an ``aws.kms.Alias``. Every encrypted resource of the stack
(S3 buckets with bucket keys, the Kinesis stream, log groups, the SNS alert
topic, Athena results, EMR) uses this key.

The key policy has no unconditioned ``*`` principal:
- this account's root may administer and use the key, so that IAM policies
  (the stage roles) can grant use of it and the key can never be locked out;
- CloudWatch Logs (``logs.<region>.amazonaws.com``) may use it only for log
  groups of this account (encryption-context condition);
- AWS Budgets may encrypt messages to the alert topic, only for this account.

AWS difference: each key is billed monthly whether used or not (prorated per
hour); S3 bucket keys keep the request count (and cost) low.
"""

from __future__ import annotations

import pulumi
import pulumi_aws as aws

from components.context import StageContext

KEY_ADMIN_ACTIONS: tuple[str, ...] = (
    "kms:CreateAlias", "kms:DeleteAlias", "kms:UpdateAlias", "kms:DescribeKey", "kms:EnableKey",
    "kms:DisableKey", "kms:GetKeyPolicy", "kms:PutKeyPolicy", "kms:GetKeyRotationStatus",
    "kms:EnableKeyRotation", "kms:DisableKeyRotation", "kms:RotateKeyOnDemand", "kms:ListKeyRotations",
    "kms:ListAliases", "kms:ListGrants", "kms:ListKeyPolicies", "kms:ListResourceTags", "kms:TagResource",
    "kms:UntagResource", "kms:UpdateKeyDescription", "kms:ScheduleKeyDeletion", "kms:CancelKeyDeletion",
    "kms:CreateGrant", "kms:RevokeGrant", "kms:RetireGrant",
)
"""What the account may do to the key (explicit; ``kms:*`` is never written)."""

KEY_USE_ACTIONS: tuple[str, ...] = (
    "kms:Encrypt", "kms:Decrypt", "kms:ReEncryptFrom", "kms:ReEncryptTo", "kms:GenerateDataKey",
    "kms:GenerateDataKeyWithoutPlaintext",
)

DELETION_WINDOW_DAYS = {False: 7, True: 30}
"""Days between ``pulumi destroy`` and the key's deletion: learning 7 (the minimum), production 30."""


def key_policy(account_id: pulumi.Input[str], partition: pulumi.Input[str], region: str) -> dict:
    root = pulumi.Output.concat("arn:", partition, ":iam::", account_id, ":root")
    return {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "AccountAdministersKey",
                "Effect": "Allow",
                "Principal": {"AWS": root},
                "Action": list(KEY_ADMIN_ACTIONS),
                "Resource": "*",
            },
            {
                "Sid": "AccountIamPoliciesGrantUse",
                "Effect": "Allow",
                "Principal": {"AWS": root},
                "Action": list(KEY_USE_ACTIONS),
                "Resource": "*",
            },
            {
                "Sid": "CloudWatchLogsOfThisAccount",
                "Effect": "Allow",
                "Principal": {"Service": f"logs.{region}.amazonaws.com"},
                "Action": ["kms:Encrypt", "kms:Decrypt", "kms:ReEncryptFrom", "kms:ReEncryptTo",
                           "kms:GenerateDataKey", "kms:DescribeKey"],
                "Resource": "*",
                "Condition": {"ArnLike": {"kms:EncryptionContext:aws:logs:arn": pulumi.Output.concat(
                    "arn:", partition, ":logs:", region, ":", account_id, ":log-group:*")}},
            },
            {
                "Sid": "BudgetsPublishToEncryptedTopic",
                "Effect": "Allow",
                "Principal": {"Service": "budgets.amazonaws.com"},
                "Action": ["kms:GenerateDataKey", "kms:Decrypt"],
                "Resource": "*",
                "Condition": {"StringEquals": {"aws:SourceAccount": account_id}},
            },
        ],
    }


class Key(pulumi.ComponentResource):
    """The stack's CMK. Children: ``{name}-cmk`` (Key) and ``{name}-alias`` (Alias)."""

    key: aws.kms.Key
    alias: aws.kms.Alias
    arn: pulumi.Output[str]

    def __init__(
        self,
        name: str,
        ctx: StageContext,
        account_id: pulumi.Input[str],
        partition: pulumi.Input[str],
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        super().__init__("blueprint:aws:Key", name, None, opts)
        region = ctx.config.aws.region
        self.key = aws.kms.Key(
            f"{name}-cmk",
            description=f"{ctx.project}/{ctx.stack}: encrypts the lake, stream, logs and alerts",
            key_usage="ENCRYPT_DECRYPT",
            customer_master_key_spec="SYMMETRIC_DEFAULT",
            enable_key_rotation=True,
            rotation_period_in_days=365,
            deletion_window_in_days=DELETION_WINDOW_DAYS[ctx.is_production],
            bypass_policy_lockout_safety_check=False,
            policy=pulumi.Output.json_dumps(key_policy(account_id, partition, region)),
            tags=ctx.foundation_tags(),
            opts=pulumi.ResourceOptions(parent=self, protect=ctx.protect),
        )
        self.alias = aws.kms.Alias(
            f"{name}-alias",
            name="alias/" + ctx.name("kms-alias-name", "foundation-key"),
            target_key_id=self.key.key_id,
            opts=pulumi.ResourceOptions(parent=self, delete_before_replace=True),
        )
        self.arn = self.key.arn
        self.register_outputs({"arn": self.key.arn})
