"""The GCP implementation of the five stages and the foundation.

Pub/Sub (Connect and Buffer), a Cloud Storage subscription and Dataproc
(Processing), GCS with Cloud KMS and a BigQuery catalog (Store), BigQuery
with a viewer account (Visualize), on a custom-mode VPC whose firewall
rules implement the zone matrix, with a billing budget. See
``docs/clouds/gcp.md`` for the real-cloud path, the idle cost and where GCP
behaves differently.
"""

from components.config import Cloud
from components.platform import CloudImplementation
from infra.gcp.names import names

from infra.gcp.buffer import GcpBuffer
from infra.gcp.connect import GcpConnect
from infra.gcp.foundation import GcpFoundation
from infra.gcp.processing import GcpProcessing
from infra.gcp.provider import gcp_provider
from infra.gcp.store import GcpStore
from infra.gcp.visualize import GcpVisualize

IMPLEMENTATION = CloudImplementation(
    cloud=Cloud.GCP,
    provider=gcp_provider,
    foundation=GcpFoundation,
    store=GcpStore,
    buffer=GcpBuffer,
    connect=GcpConnect,
    processing=GcpProcessing,
    names=names,
    visualize=GcpVisualize,
)

__all__ = ["IMPLEMENTATION", "GcpFoundation", "GcpStore", "GcpBuffer", "GcpConnect", "GcpProcessing", "GcpVisualize"]
