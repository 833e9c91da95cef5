"""The drain's command line (``pipeline/entry/azure_drain.py``).

    azure_drain.py --namespace NS.servicebus.windows.net --hub HUB --consumer-group sink
                   --raw abfss://raw@ACCOUNT.dfs.core.windows.net/ [--wait SECONDS]

Authentication is a token credential only (``pipeline.synapse_credential``):
the Synapse runtime's token service, else ``DefaultAzureCredential``. Raw is
written through Spark's Hadoop file system when started by ``spark-submit``
(Synapse: ABFS), else with azure-storage-blob and the same credential, or to
a local folder.
"""

from __future__ import annotations

import argparse
import os
import sys

from pipeline import drain


def positive_seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not 1 <= value <= 3600:
        raise argparse.ArgumentTypeError(f"--wait {text!r} is not allowed; allowed: 1 to 3600 seconds")
    return value


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(description="Drain an Event Hub's consumer group into raw (GZIP JSON Lines), "
                                            "from each partition's checkpoint until caught up.")
    p.add_argument("--namespace", required=True, help="the Event Hubs namespace's host name (NS.servicebus.windows.net)")
    p.add_argument("--hub", required=True, help="the event hub")
    p.add_argument("--consumer-group", required=True, help="the consumer group the drain owns (the stack's `sink`)")
    p.add_argument("--raw", required=True, help="the raw zone: abfss://raw@ACCOUNT.dfs.core.windows.net/ or a folder")
    p.add_argument("--wait", type=positive_seconds, default=drain.WAIT_SECONDS,
                   help=f"the longest one partition is read (default: {drain.WAIT_SECONDS:.0f} s)")
    return p


def _eventhub_importable() -> None:
    """Make ``azure.eventhub`` importable from a zip on ``sys.path`` (``--py-files``) even if ``azure`` is a
    regular package in the runtime (then Python does not merge the zip's ``azure/`` into it by itself)."""
    try:
        import azure.eventhub  # noqa: F401
        return
    except ImportError:
        pass
    import zipfile

    import azure

    for entry in sys.path:
        if entry.endswith(".zip") and zipfile.is_zipfile(entry):
            with zipfile.ZipFile(entry) as archive:
                if "azure/eventhub/__init__.py" in archive.namelist():
                    azure.__path__.append(f"{entry}/azure")
                    return


def store_for(raw: str, credential):
    from pipeline import lake

    if "://" not in raw:
        return lake.DirectoryStore(raw)
    if os.environ.get("PYSPARK_GATEWAY_PORT"):  # started by spark-submit (a Synapse batch): the runtime's ABFS
        from pyspark.sql import SparkSession

        return lake.HadoopStore(SparkSession.builder.appName("blueprint-drain").getOrCreate(), raw)
    if not raw.startswith("abfss://"):
        raise ValueError(f"--raw {raw!r}: allowed without Spark: abfss://CONTAINER@ACCOUNT.dfs.core.windows.net/ "
                         "or a folder")
    from azure.storage.blob import ContainerClient

    container, rest = raw.removeprefix("abfss://").split("@", 1)
    account, _, prefix = rest.partition("/")
    return lake.BlobStore(ContainerClient(f"https://{account.split('.', 1)[0]}.blob.core.windows.net", container,
                                          credential=credential), prefix)


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    _eventhub_importable()
    from azure.eventhub import EventHubConsumerClient

    from pipeline.synapse_credential import credential

    token = credential()
    store = store_for(args.raw, token)

    def connect():
        return EventHubConsumerClient(fully_qualified_namespace=args.namespace, eventhub_name=args.hub,
                                      consumer_group=args.consumer_group, credential=token)

    result = drain.run(connect, store, hub=args.hub, consumer_group=args.consumer_group, wait_seconds=args.wait)
    for line in result.lines():
        print(line, flush=True)
    return 0 if result.ok else 1
