"""AwsJob: the sensor job's code in the lake, and what a submitter needs to start it on EMR Serverless.

Uploads, to the processed bucket under ``_jobs/sensor-pipeline/`` (encrypted
by the bucket's default SSE-KMS with the stack key, readable by the job role,
which already reads processed):
- ``pipeline.zip``: the ``pipeline`` package, for ``--py-files``;
- ``aws.py``: the entry point (``pipeline/entry/aws.py``).

``exports`` is the map ``bp run`` reads as the stack output ``processing.job``:
``engine_id`` (the EMR Serverless application), ``role`` (the job's execution
role), ``entry_point`` and ``py_files`` (``s3://`` URIs), ``raw_format``. ``start_job_run`` is the request that starts the job with
them, the one ``bp run`` sends and the daily schedule (``infra.aws.daily_run``)
replays.
The objects change with the code, so ``pulumi up`` after an edit of
``pipeline/`` uploads the new version; learning buckets are ``force_destroy``,
so the objects go with the stack.
"""

from __future__ import annotations

from typing import Mapping, Sequence

import pulumi
import pulumi_aws as aws

from pipeline import package

JOB_PREFIX = "_jobs/sensor-pipeline"
RAW_FORMAT = "firehose-jsonl"
JOB_RUN_NAME = "blueprint-sensor-pipeline"
GLUE_METASTORE_FACTORY = "com.amazonaws.glue.catalog.metastore.AWSGlueDataCatalogHiveClientFactory"
GLUE_CATALOG = f"spark.hadoop.hive.metastore.client.factory.class={GLUE_METASTORE_FACTORY}"
"""Spark's metastore is the Glue Data Catalog, so ``--database`` registers the curated tables for Athena."""


def start_job_run(job: Mapping[str, str], arguments: Sequence[str]) -> dict:
    """The EMR Serverless ``StartJobRun`` request (botocore member names) running the job ``exports`` describe.

    Without ``clientToken``: boto3 fills it in, the schedule passes its own.
    """
    return {
        "applicationId": job["engine_id"],
        "executionRoleArn": job["role"],
        "name": JOB_RUN_NAME,
        "jobDriver": {"sparkSubmit": {
            "entryPoint": job["entry_point"],
            "entryPointArguments": list(arguments),
            "sparkSubmitParameters": f"--py-files {job['py_files']} --conf {GLUE_CATALOG}",
        }},
    }


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
