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

Learning raw is written by the drain (``pipeline.drain``), another Synapse
Spark batch that ``bp run`` submits before the job: ``drain`` holds what it
needs (the namespace's host name, the hub, the consumer group it owns, raw's
ABFS URI, the format it writes, its entry point next to the job's code).
Production has no drain: Event Hubs Capture writes raw.
"""

from __future__ import annotations

import pulumi

JOB_PREFIX = "_jobs/sensor-pipeline"
RAW_FORMATS = {False: "drain-jsonl", True: "capture-avro"}
"""Learning raw is the drain job's JSON Lines, production raw is Event Hubs Capture's Avro."""


DRAIN_ENTRY = "azure_drain.py"


def job_exports(*, account: pulumi.Input[str], production: bool, workspace: pulumi.Input[str],
                pool: pulumi.Input[str] | None, namespace: pulumi.Input[str] | None = None,
                hub: pulumi.Input[str] | None = None, consumer_group: str | None = None) -> dict:
    """``processing.job`` for the Azure stack: engine, where the code goes, the raw format and, given the hub the
    drain reads (learning: no Capture), the drain's settings."""
    code_uri = pulumi.Output.concat("abfss://processed@", account, ".dfs.core.windows.net/", JOB_PREFIX)
    exports: dict = {
        "engine": "databricks" if production else "synapse-spark",
        "workspace": workspace,
        "pool": pool or "",
        "code_uri": code_uri,
        "raw_format": RAW_FORMATS[production],
    }
    if namespace is not None and hub is not None and consumer_group:
        exports["drain"] = {
            "namespace": pulumi.Output.concat(namespace, ".servicebus.windows.net"),
            "hub": hub,
            "consumer_group": consumer_group,
            "raw_uri": pulumi.Output.concat("abfss://raw@", account, ".dfs.core.windows.net/"),
            "format": RAW_FORMATS[False],
            "entry_point": pulumi.Output.concat(code_uri, "/", DRAIN_ENTRY),
        }
    return exports
