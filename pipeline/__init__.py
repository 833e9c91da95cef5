"""The sensor pipeline: one PySpark code base for every cloud (see ``pipeline.job``)."""
