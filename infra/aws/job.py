"""AwsJob: the sensor job's code in the lake, and what a submitter needs to start it on EMR Serverless.

Uploads, to the processed bucket under ``_jobs/sensor-pipeline/`` (encrypted
by the bucket's default SSE-KMS with the stack key, readable by the job role,
which already reads processed):
- ``pipeline.zip``: the ``pipeline`` package, for ``--py-files``;
- ``aws.py``: the entry point (``pipeline/entry/aws.py``).

``exports`` is the map ``bp run`` reads as the stack output ``processing.job``:
``engine_id`` (the EMR Serverless application), ``role`` (the job's execution
role), ``entry_point`` and ``py_files`` (``s3://`` URIs), ``raw_format``.
The objects change with the code, so ``pulumi up`` after an edit of
``pipeline/`` uploads the new version; learning buckets are ``force_destroy``,
so the objects go with the stack.
"""

from __future__ import annotations

import pulumi
import pulumi_aws as aws

from pipeline import package

JOB_PREFIX = "_jobs/sensor-pipeline"
RAW_FORMAT = "firehose-jsonl"


class AwsJob(pulumi.ComponentResource):
    exports: dict[str, pulumi.Input[str]]

    def __init__(self, name: str, *, bucket: pulumi.Input[str], engine_id: pulumi.Input[str],
                 role_arn: pulumi.Input[str], tags: dict[str, str] | None = None,
                 opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("blueprint:processing:AwsJob", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        code = aws.s3.BucketObject(
            f"{name}-code", bucket=bucket, key=f"{JOB_PREFIX}/pipeline.zip", content_type="application/zip",
            source=pulumi.AssetArchive({arcname: pulumi.FileAsset(str(path)) for arcname, path in package.files().items()}),
            tags=tags, opts=child,
        )
        entry = aws.s3.BucketObject(
            f"{name}-entry", bucket=bucket, key=f"{JOB_PREFIX}/aws.py", content_type="text/x-python",
            source=pulumi.FileAsset(str(package.entry_point("aws"))), tags=tags, opts=child,
        )
        self.exports = {
            "engine_id": engine_id,
            "role": role_arn,
            "entry_point": pulumi.Output.concat("s3://", entry.bucket, "/", entry.key),
            "py_files": pulumi.Output.concat("s3://", code.bucket, "/", code.key),
            "raw_format": RAW_FORMAT,
        }
        self.register_outputs(self.exports)
