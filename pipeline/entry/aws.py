"""EMR Serverless (or EMR on EC2) entry point: raw is Firehose's JSON Lines (GZIP) in S3.

    spark-submit --py-files pipeline.zip aws.py --raw s3://RAW --processed s3://PROCESSED --curated s3://CURATED
"""

from pipeline.main import main

if __name__ == "__main__":
    raise SystemExit(main(default_format="firehose-jsonl"))
