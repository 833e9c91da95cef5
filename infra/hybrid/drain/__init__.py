"""The drain: an AWS Lambda function that moves a Pub/Sub subscription into a Firehose delivery stream.

Runs on the Lambda Python runtime with only the standard library and the
botocore it ships: no Google library, no key. Each run

1. exchanges the function's own AWS role credentials for a Google access
   token through a workload identity pool (``federation``): a SigV4-signed
   ``GetCallerIdentity`` request, serialized, is the subject token Google's
   STS verifies with AWS;
2. pulls the edge's subscription (``subscription``, Pub/Sub REST over TLS);
3. writes the message bodies to the delivery stream with ``PutRecordBatch``
   (``delivery``), which ends each record with a newline and lands GZIP JSON
   Lines in the raw bucket, exactly as when it reads a Kinesis stream;
4. acknowledges only the messages whose records Firehose accepted, and hands
   the others back at once (``drain``): delivery is at least once, and the job
   drops duplicates by ``event_id``.

The modules import each other relatively, so the package runs both as
``infra.hybrid.drain`` (tests) and as the top-level ``drain`` package the
stack uploads (handler ``drain.handler.handle``).
"""
