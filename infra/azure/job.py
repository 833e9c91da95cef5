"""The sensor job on Azure: what a submitter needs, as the stack output ``processing.job``.

The stack does not upload the job code on Azure: the lake account has
shared-key access disabled, and the provider's ``storage.Blob`` writes with
the account key (pulumi-azure-native issue 2015, open), so ``bp run`` uploads
``pipeline.zip`` and the entry point with the operator's Entra identity
("Storage Blob Data Contributor" on the processed container) to
``code_uri`` just before it submits.

Learning runs the job as a Synapse Spark batch (Livy) on the stack's pool;
production's Databricks workspace is reached through its private endpoint
only, so a submitter there runs inside the network (not done by ``bp run``).
"""

from __future__ import annotations

import pulumi

JOB_PREFIX = "_jobs/sensor-pipeline"
RAW_FORMATS = {False: "drain-jsonl", True: "capture-avro"}
"""Learning raw is the drain job's JSON Lines, production raw is Event Hubs Capture's Avro."""


def job_exports(*, account: pulumi.Input[str], production: bool, workspace: pulumi.Input[str],
                pool: pulumi.Input[str] | None) -> dict[str, pulumi.Input[str]]:
    """``processing.job`` for the Azure stack: engine, where the code goes, and the raw format."""
    return {
        "engine": "databricks" if production else "synapse-spark",
        "workspace": workspace,
        "pool": pool or "",
        "code_uri": pulumi.Output.concat("abfss://processed@", account, ".dfs.core.windows.net/", JOB_PREFIX),
        "raw_format": RAW_FORMATS[production],
    }
