"""The steps a plain ``pulumi destroy`` misses, per cloud, in pipeline order.

Each step stops something that would make the destroy fail or hang:

- AWS, processing: cancel the EMR Serverless job runs and stop the stack's
  applications (``DeleteApplication`` accepts only CREATED or STOPPED ones).
- AWS, network: wait for the network interfaces that managed services put in
  the stack's VPCs (requester-managed, not VPC endpoints, which the destroy
  removes itself) to go; a subnet or security group with one attached fails
  with ``DependencyViolation``.
- GCP, processing: cancel the stack's running Dataproc Serverless batches
  (a running batch holds its subnet and service account).
- Azure, processing: end the Livy sessions and batch jobs on the stack's
  Synapse Spark pools (a pool with running sessions refuses deletion).
- Azure, network: wait for the network interfaces that services put in the
  stack's virtual networks (untagged by the stack, not a private endpoint's,
  which the destroy removes) to go; a subnet in use fails with
  ``InUseSubnetCannotBeDeleted``.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any, Callable, Optional

from blueprint.teardown.inventory import DELETE_ORDER

Progress = Callable[[str], None]


@dataclass(frozen=True)
class Step:
    cloud: str
    stage: str
    what: str
    run: Callable[[Progress], None]

    @property
    def rank(self) -> int:
        return DELETE_ORDER.index(self.stage) if self.stage in DELETE_ORDER else len(DELETE_ORDER)


def in_pipeline_order(steps: list[Step]) -> list[Step]:
    """Producers first, then Spark, then waits on the network (stage ``foundation``)."""
    return sorted(steps, key=lambda s: s.rank)


def _wait_until_gone(left_now: Callable[[], list[str]], what: str, where: str, wait_seconds: float,
                     poll_seconds: float, progress: Progress, sleep: Callable[[float], None]) -> None:
    """Poll ``left_now`` until it is empty; a ``TimeoutError`` naming what is left after ``wait_seconds``."""
    deadline = time.monotonic() + wait_seconds
    while True:
        left = left_now()
        if not left:
            return
        if time.monotonic() > deadline:
            raise TimeoutError(f"{len(left)} {what} still {where} after {wait_seconds:.0f}s: {', '.join(left)}")
        progress(f"waiting for {len(left)} {what} to go: {', '.join(left)}")
        sleep(poll_seconds)


ACTIVE_JOB_STATES = ["SUBMITTED", "PENDING", "SCHEDULED", "RUNNING", "QUEUED"]


def aws_steps(aws: Any, stack: str, *, wait_seconds: float = 900.0, poll_seconds: float = 15.0,
              sleep: Callable[[float], None] = time.sleep) -> list[Step]:
    """``aws`` is a ``blueprint.teardown.aws.AwsCloud``."""

    def stop_spark(progress: Progress) -> None:
        emr = aws.client("emr-serverless")
        for app in aws.inventory(stack):
            if app.type != "emr-serverless:applications":
                continue
            for run in _active_runs(emr, app.name):
                emr.cancel_job_run(applicationId=app.name, jobRunId=run["id"])
                progress(f"cancelled EMR Serverless job run {run['id']}")
            state = aws.stop_application(app.name, progress)
            progress(f"EMR Serverless application {app.name} is {state}")

    def wait_for_interfaces(progress: Progress) -> None:
        ec2 = aws.client("ec2")
        vpcs = [v["VpcId"] for v in ec2.describe_vpcs(Filters=[{"Name": "tag:stack", "Values": [stack]}])["Vpcs"]]
        if not vpcs:
            return
        _wait_until_gone(lambda: managed_interfaces(ec2, vpcs), "managed network interfaces",
                         f"in {', '.join(vpcs)}", wait_seconds, poll_seconds, progress, sleep)

    return [
        Step("aws", "processing", "stop EMR Serverless applications", stop_spark),
        Step("aws", "foundation", "wait for managed network interfaces", wait_for_interfaces),
    ]


def _active_runs(emr: Any, application_id: str) -> list[dict]:
    try:
        pages = emr.get_paginator("list_job_runs").paginate(applicationId=application_id, states=ACTIVE_JOB_STATES)
        return [run for page in pages for run in page.get("jobRuns", [])]
    except emr.exceptions.ResourceNotFoundException:
        return []  # an application that never ran a job (some emulators answer so)


def managed_interfaces(ec2: Any, vpcs: list[str]) -> list[str]:
    """Requester-managed interfaces in ``vpcs`` other than VPC endpoints (those go with the destroy)."""
    found = ec2.describe_network_interfaces(Filters=[{"Name": "vpc-id", "Values": vpcs},
                                                     {"Name": "requester-managed", "Values": ["true"]}])
    return [n["NetworkInterfaceId"] for n in found["NetworkInterfaces"]
            if n.get("InterfaceType") not in ("vpc_endpoint", "gateway_load_balancer_endpoint")]


def gcp_steps(rest: Any, project: str, region: str, stack: str) -> list[Step]:
    def cancel_batches(progress: Progress) -> None:
        from components.naming import label_value

        url = f"https://dataproc.googleapis.com/v1/projects/{project}/locations/{region}/batches"
        page = rest.call("GET", url, params={"filter": f'labels.stack = "{label_value(stack)}" AND state = RUNNING'})
        for batch in page.get("batches", []):
            rest.call("POST", f"https://dataproc.googleapis.com/v1/{batch['operation']}:cancel")
            progress(f"cancelled Dataproc batch {batch['name']}")

    return [Step("gcp", "processing", "cancel Dataproc Serverless batches", cancel_batches)]


def azure_interfaces_query(vnet_ids: list[str], stack: str) -> str:
    """Resource Graph: service-made NICs with an address in one of ``vnet_ids`` (lower-cased ids)."""
    from blueprint.teardown.azure import kql_string

    prefixes = ", ".join(kql_string(v.lower() + "/subnets/") for v in vnet_ids)
    return ("resources | where type =~ 'microsoft.network/networkinterfaces' "
            "| where isnull(properties.privateEndpoint) "
            f"| where tostring(tags['stack']) != {kql_string(stack)} "
            "| mv-expand ipc = properties.ipConfigurations "
            "| extend subnet = tolower(tostring(ipc.properties.subnet.id)) "
            f"| where subnet has_any ({prefixes}) | distinct id")


def azure_steps(azure: Any, synapse_rest: Optional[Any], stack: str, *, wait_seconds: float = 900.0,
                poll_seconds: float = 15.0, sleep: Callable[[float], None] = time.sleep) -> list[Step]:
    """``azure`` is an ``AzureCloud``; ``synapse_rest`` a ``Rest`` with a Synapse data-plane token."""

    def end_sessions(progress: Progress) -> None:
        pools = [f for f in azure.inventory(stack) if f.type == "microsoft.synapse/workspaces/bigdatapools"]
        for pool in pools:
            workspace, name = pool.name.split("/", 1) if "/" in pool.name else (pool.id.split("/")[-3], pool.name)
            base = f"https://{workspace}.dev.azuresynapse.net/livyApi/versions/2019-11-01-preview/sparkPools/{name}"
            for kind in ("sessions", "batches"):
                listing = synapse_rest.call("GET", f"{base}/{kind}")
                for job in listing.get(kind, []):
                    if job.get("state") not in ("dead", "killed", "success", "error"):
                        synapse_rest.call("DELETE", f"{base}/{kind}/{job['id']}")
                        progress(f"ended Synapse {kind[:-1]} {job['id']} on {workspace}/{name}")

    def wait_for_interfaces(progress: Progress) -> None:
        vnets = [f.id for f in azure.inventory(stack) if f.type == "microsoft.network/virtualnetworks"]
        if not vnets:
            return
        _wait_until_gone(lambda: [row["id"] for row in azure.query(azure_interfaces_query(vnets, stack))],
                         "service network interfaces", "in the stack's virtual networks", wait_seconds,
                         poll_seconds, progress, sleep)

    return [Step("azure", "processing", "end Synapse Spark sessions and batch jobs", end_sessions),
            Step("azure", "foundation", "wait for service network interfaces", wait_for_interfaces)]
