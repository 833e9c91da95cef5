"""A program with only the AWS job component, for its tests."""

import pulumi

from infra.aws.job import AwsJob

job = AwsJob("job", bucket="lake-processed", engine_id="00fabc123", role_arn="arn:aws:iam::111122223333:role/job",
             tags={"stage": "processing"})
pulumi.export("job", job.exports)
