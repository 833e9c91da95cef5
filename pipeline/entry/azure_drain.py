"""Synapse Spark (learning) entry point of the drain: the hub's ``sink`` consumer group into raw.

    azure_drain.py --namespace NS.servicebus.windows.net --hub HUB --consumer-group sink
                   --raw abfss://raw@ACCOUNT.dfs.core.windows.net/

Submitted with ``pipeline.zip`` and ``eventhub.zip`` (azure-eventhub, which the
Synapse Spark 3.5 runtime does not ship) as ``pyFiles``.
"""

from pipeline.drain_main import main

if __name__ == "__main__":
    raise SystemExit(main())
