"""GcpJob: the sensor job's code in the processing staging bucket, and the Dataproc Serverless batch settings.

Uploads, under ``_jobs/sensor-pipeline/`` of the staging bucket (which the
processing service account administers, encrypted with the stack key):
- ``pipeline.zip``: the ``pipeline`` package, for ``--py-files``
  (``pysparkBatch.pythonFileUris``);
- ``gcp.py``: the entry point (``pysparkBatch.mainPythonFileUri``).

``exports`` is the map a submitter reads as ``processing.job``: the code URIs,
``raw_format``, and the batch's ``environmentConfig`` inputs: ``subnet``,
``service_account``, ``kms_key`` and ``staging_bucket`` (Dataproc Serverless
batches do not take a session template, so each batch carries them).
``batch`` is the ``batches.create`` body built from them, the one ``bp run``
sends and the daily schedule (``infra.gcp.daily_run``) replays.
"""

from __future__ import annotations

from typing import Mapping, Sequence

import pulumi
import pulumi_gcp as gcp

from components.zones import Zone
from infra.gcp.engine import RUNTIME_VERSION
from infra.gcp.network import zone_tag
from pipeline import package

JOB_PREFIX = "_jobs/sensor-pipeline"
RAW_FORMAT = "pubsub-avro"


def batch(job: Mapping[str, str], arguments: Sequence[str], properties: Mapping[str, str] | None = None) -> dict:
    """The Dataproc ``Batch`` (REST ``batches.create`` body) running the job ``exports`` describe.

    It carries the processing zone's network tag, as the session template does: the firewall admits
    traffic between Spark's driver and executors by that tag only. ``properties`` are Spark
    properties a cross-cloud edge adds (``edges.*.spark_properties``).
    """
    return {
        "pysparkBatch": {"mainPythonFileUri": job["entry_point"], "pythonFileUris": [job["py_files"]],
                         "args": list(arguments)},
        "runtimeConfig": {"version": RUNTIME_VERSION, **({"properties": dict(properties)} if properties else {})},
        "environmentConfig": {"executionConfig": {
            "serviceAccount": job["service_account"], "subnetworkUri": job["subnet"],
            "networkTags": [zone_tag(Zone.PROCESSING)], "kmsKey": job["kms_key"],
            "stagingBucket": job["staging_bucket"],
        }},
    }


class GcpJob(pulumi.ComponentResource):
    exports: dict[str, pulumi.Input[str]]

    def __init__(self, name: str, *, staging_bucket: pulumi.Input[str], subnet: pulumi.Input[str],
                 service_account: pulumi.Input[str], kms_key: pulumi.Input[str],
                 opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("blueprint:processing:GcpJob", name, None, opts)
        # A component's depends_on does not reach its children: hand it down (the project's APIs, the key grants).
        child = pulumi.ResourceOptions(parent=self, depends_on=opts.depends_on if opts else None)
        code = gcp.storage.BucketObject(
            f"{name}-code", bucket=staging_bucket, name=f"{JOB_PREFIX}/pipeline.zip", content_type="application/zip",
            source=pulumi.AssetArchive({arcname: pulumi.FileAsset(str(path)) for arcname, path in package.files().items()}),
            opts=child,
        )
        entry = gcp.storage.BucketObject(
            f"{name}-entry", bucket=staging_bucket, name=f"{JOB_PREFIX}/gcp.py", content_type="text/x-python",
            source=pulumi.FileAsset(str(package.entry_point("gcp"))), opts=child,
        )
        self.exports = {
            "entry_point": pulumi.Output.concat("gs://", entry.bucket, "/", entry.name),
            "py_files": pulumi.Output.concat("gs://", code.bucket, "/", code.name),
            "raw_format": RAW_FORMAT,
            "subnet": subnet,
            "service_account": service_account,
            "kms_key": kms_key,
            "staging_bucket": staging_bucket,
        }
        self.register_outputs(self.exports)
