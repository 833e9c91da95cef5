"""Synapse Spark (learning) or Azure Databricks (production) entry point.

Learning raw is the drain job's JSON Lines (``--format drain-jsonl``, the
default); production raw is Event Hubs Capture's Avro (``--format capture-avro``).

    azure.py --raw abfss://raw@ACCOUNT.dfs.core.windows.net/ --processed abfss://processed@... --curated abfss://curated@...
"""

from pipeline.main import main

if __name__ == "__main__":
    raise SystemExit(main(default_format="drain-jsonl"))
