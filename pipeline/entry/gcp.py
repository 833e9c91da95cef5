"""Dataproc Serverless entry point: raw is the Pub/Sub Cloud Storage subscription's Avro (with metadata).

    gcloud dataproc batches submit pyspark gcp.py --py-files pipeline.zip -- --raw gs://RAW --processed gs://... --curated gs://...
"""

from pipeline.main import main

if __name__ == "__main__":
    raise SystemExit(main(default_format="pubsub-avro"))
