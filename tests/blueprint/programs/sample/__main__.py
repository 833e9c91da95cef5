"""A small program exercising what the engine must record."""
import json

import pulumi
import pulumi_aws as aws

config = pulumi.Config()
provider = aws.Provider("sample-provider", region="us-east-1")


class Lake(pulumi.ComponentResource):
    def __init__(self, name, opts=None):
        super().__init__("blueprint:stage:Store", name, None, opts)
        bucket = aws.s3.Bucket(f"{name}-raw", force_destroy=True, tags={"zone": "data"},
                               opts=pulumi.ResourceOptions(parent=self, protect=config.get_bool("protect") or False))
        account = aws.get_caller_identity_output()
        policy = pulumi.Output.all(bucket.arn, account.account_id).apply(
            lambda a: json.dumps({"Resource": a[0], "Account": a[1]}))
        aws.s3.BucketPolicy(f"{name}-policy", bucket=bucket.id, policy=policy,
                            opts=pulumi.ResourceOptions(parent=self))
        self.raw = bucket.bucket
        self.register_outputs({"raw": bucket.bucket})


lake = Lake("lake", opts=pulumi.ResourceOptions(providers=[provider]))
pulumi.export("raw", lake.raw)
pulumi.export("greeting", config.require("greeting"))
