"""The AWS implementation of the platform: provider, foundation and the five stages.

See ``docs/clouds/aws.md`` for the architecture, the idle cost per profile and
the real-cloud path.
"""

from components.config import Cloud
from components.platform import CloudImplementation
from infra.aws.names import names
from infra.aws.buffer import AwsBuffer
from infra.aws.connect import AwsConnect
from infra.aws.foundation import AwsFoundation
from infra.aws.processing import AwsProcessing
from infra.aws.provider import create_provider
from infra.aws.store import AwsStore
from infra.aws.visualize import AwsVisualize

IMPLEMENTATION = CloudImplementation(
    cloud=Cloud.AWS,
    provider=create_provider,
    foundation=AwsFoundation,
    store=AwsStore,
    buffer=AwsBuffer,
    connect=AwsConnect,
    processing=AwsProcessing,
    names=names,
    visualize=AwsVisualize,
)

__all__ = ["IMPLEMENTATION"]
