"""One local SparkSession for the whole test session (starting the JVM is the slow part)."""

from __future__ import annotations

import signal

import pytest


@pytest.fixture(scope="session")
def spark(tmp_path_factory):
    from pyspark.sql import SparkSession

    session = (SparkSession.builder.master("local[1]").appName("blueprint-pipeline-tests")
               .config("spark.sql.shuffle.partitions", "2")
               .config("spark.default.parallelism", "1")
               .config("spark.ui.enabled", "false")
               .config("spark.driver.memory", "1g")
               .config("spark.sql.warehouse.dir", str(tmp_path_factory.mktemp("warehouse")))
               .getOrCreate())
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()
    # PySpark's SIGINT handler outlives the stopped context and fails if a signal comes during shutdown.
    signal.signal(signal.SIGINT, signal.default_int_handler)
