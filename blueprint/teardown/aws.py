"""The AWS side of the sweep: inventory by tag, and deletion per resource type.

Inventory: the Resource Groups Tagging API (``GetResources`` filtered on the
``stack`` tag, so that resources of the stack missing ``managed-by`` are seen
and refused), joined with EMR Serverless applications and Kinesis streams
listed through their own APIs: the stop step needs the application's state,
and both are the costliest things to leave behind, so they must not depend on
the Tagging API's coverage. Results are merged by ARN.

Deletion covers the types this project creates and that cost or block a
re-create (stores, streams, Spark, logs, topics, queues, Glue databases,
Firehose, Athena work groups, KMS keys by scheduled deletion, EventBridge
Scheduler groups with their schedules); any other type
is listed as "delete by hand" with its ARN.
"""

from __future__ import annotations

import time
from typing import Any, Callable, Optional

from blueprint.teardown.inventory import Found

RUNNING_APPLICATION_STATES = ("STARTING", "STARTED", "STOPPING")
KMS_PENDING_DAYS = 7
"""The shortest wait AWS KMS allows before a key is deleted (7 to 30 days)."""


def _tags(pairs: list[dict[str, str]]) -> dict[str, str]:
    return {p["Key"]: p["Value"] for p in pairs}


def _name_of(arn: str) -> str:
    resource = arn.split(":", 5)[5] if arn.count(":") >= 5 else arn
    for prefix in ("log-group:", "stream/", "/applications/", "deliverystream/", "workgroup/", "database/", "key/"):
        if resource.startswith(prefix):
            return resource[len(prefix):].rstrip("*").rstrip(":")
    return resource.rsplit("/", 1)[-1].rsplit(":", 1)[-1]


def _type_of(arn: str) -> str:
    service, resource = arn.split(":")[2], arn.split(":", 5)[5]
    kind = resource.lstrip("/").split("/")[0].split(":")[0] if ("/" in resource or ":" in resource) else ""
    return f"{service}:{kind}" if kind else service


class AwsCloud:
    """Lists and deletes through boto3 clients made by ``client(service)``."""

    def __init__(self, client: Callable[[str], Any], *, poll_seconds: float = 2.0, wait_seconds: float = 300.0,
                 sleep: Callable[[float], None] = time.sleep) -> None:
        self.client = client
        self.poll_seconds = poll_seconds
        self.wait_seconds = wait_seconds
        self.sleep = sleep

    # -- inventory -------------------------------------------------------
    def inventory(self, stack: str) -> list[Found]:
        found: dict[str, Found] = {}
        pages = self.client("resourcegroupstaggingapi").get_paginator("get_resources").paginate(
            TagFilters=[{"Key": "stack", "Values": [stack]}]
        )
        for page in pages:
            for item in page["ResourceTagMappingList"]:
                arn = item["ResourceARN"]
                found[arn] = Found("aws", arn, _type_of(arn), _name_of(arn), _tags(item.get("Tags", [])))
        for item in self._applications() + self._streams():
            if item.tags.get("stack") == stack:
                found[item.id] = item
        return list(found.values())

    def _applications(self) -> list[Found]:
        emr = self.client("emr-serverless")
        out = []
        for page in emr.get_paginator("list_applications").paginate():
            for app in page["applications"]:
                detail = emr.get_application(applicationId=app["id"])["application"]
                out.append(Found("aws", app["arn"], "emr-serverless:applications", app["id"],
                                 dict(detail.get("tags") or {}), app["state"]))
        return out

    def _streams(self) -> list[Found]:
        kinesis = self.client("kinesis")
        out = []
        for page in kinesis.get_paginator("list_streams").paginate():
            for summary in page.get("StreamSummaries", []):
                tags = kinesis.list_tags_for_stream(StreamName=summary["StreamName"])["Tags"]
                out.append(Found("aws", summary["StreamARN"], "kinesis:stream", summary["StreamName"], _tags(tags),
                                 summary.get("StreamStatus", "")))
        return out

    # -- stop and delete -------------------------------------------------
    def stop_application(self, application_id: str, progress: Callable[[str], None] = print) -> str:
        """Stop an EMR Serverless application and wait (bounded) until it is STOPPED or CREATED."""
        emr = self.client("emr-serverless")
        state = emr.get_application(applicationId=application_id)["application"]["state"]
        if state in ("STARTING", "STARTED"):
            emr.stop_application(applicationId=application_id)
            progress(f"stopping EMR Serverless application {application_id}")
        deadline = time.monotonic() + self.wait_seconds
        while state in RUNNING_APPLICATION_STATES:
            state = emr.get_application(applicationId=application_id)["application"]["state"]
            if state not in RUNNING_APPLICATION_STATES:
                break
            if time.monotonic() > deadline:
                raise TimeoutError(f"EMR Serverless application {application_id} still {state} "
                                   f"after {self.wait_seconds:.0f}s")
            self.sleep(self.poll_seconds)
        return state

    def delete(self, item: Found, progress: Callable[[str], None] = print) -> Optional[str]:
        """Delete ``item``; returns None when done, else why it was left (unknown type)."""
        name = item.name
        kind = item.type
        if kind == "emr-serverless:applications":
            self.stop_application(name, progress)
            self.client("emr-serverless").delete_application(applicationId=name)
        elif kind == "kinesis:stream":
            self.client("kinesis").delete_stream(StreamARN=item.id, EnforceConsumerDeletion=True)
        elif kind == "s3":
            self._empty_bucket(name)
            self.client("s3").delete_bucket(Bucket=name)
        elif kind == "logs:log-group":
            self.client("logs").delete_log_group(logGroupName=name)
        elif kind == "sns":
            self.client("sns").delete_topic(TopicArn=item.id)
        elif kind == "sqs":
            sqs = self.client("sqs")
            sqs.delete_queue(QueueUrl=sqs.get_queue_url(QueueName=name)["QueueUrl"])
        elif kind == "scheduler:schedule-group":
            # Schedules take no tags; their group does, and deleting it deletes them.
            self.client("scheduler").delete_schedule_group(Name=name)
        elif kind == "firehose:deliverystream":
            self.client("firehose").delete_delivery_stream(DeliveryStreamName=name)
        elif kind == "glue:database":
            self.client("glue").delete_database(Name=name)
        elif kind == "athena:workgroup":
            self.client("athena").delete_work_group(WorkGroup=name, RecursiveDeleteOption=True)
        elif kind == "kms:key":
            self.client("kms").schedule_key_deletion(KeyId=name, PendingWindowInDays=KMS_PENDING_DAYS)
        else:
            return f"no automatic delete for {kind}: delete by hand ({item.id})"
        return None

    def _empty_bucket(self, bucket: str) -> None:
        s3 = self.client("s3")
        for page in s3.get_paginator("list_object_versions").paginate(Bucket=bucket):
            doomed = [{"Key": v["Key"], "VersionId": v["VersionId"]}
                      for v in page.get("Versions", []) + page.get("DeleteMarkers", [])]
            if doomed:
                s3.delete_objects(Bucket=bucket, Delete={"Objects": doomed, "Quiet": True})
