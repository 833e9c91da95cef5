"""Azure job settings: the engine, where ``bp run`` uploads the code, each profile's raw format, the learning drain."""

from __future__ import annotations

from pathlib import Path

from blueprint.engine import synthesize

PROGRAM = Path(__file__).parent / "programs" / "job"


def test_learning_runs_on_synapse_over_the_drain_output_and_production_on_databricks_over_capture():
    exports = synthesize("azure", {}, program=PROGRAM).exports
    assert exports["learning"] == {
        "engine": "synapse-spark", "workspace": "ws", "pool": "spark", "raw_format": "drain-jsonl",
        "code_uri": "abfss://processed@lakeacct.dfs.core.windows.net/_jobs/sensor-pipeline",
        "drain": {"namespace": "ns1.servicebus.windows.net", "hub": "events1", "consumer_group": "sink",
                  "raw_uri": "abfss://raw@lakeacct.dfs.core.windows.net/", "format": "drain-jsonl",
                  "entry_point": "abfss://processed@lakeacct.dfs.core.windows.net/_jobs/sensor-pipeline/azure_drain.py"}}
    assert exports["production"]["engine"] == "databricks"
    assert exports["production"]["raw_format"] == "capture-avro"
    assert "drain" not in exports["production"]
