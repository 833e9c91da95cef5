"""The Azure implementation of the platform: one resource group per stack.

``IMPLEMENTATION`` is what ``infra.registry`` loads for ``blueprint:cloud: azure``.
Each stage lives in its own module; shared pieces are ``foundation``
(resource group, zone network, Key Vault, budget), ``identity`` and
``roles`` (managed identities and data-plane role grants), ``choices``
(which service each profile uses) and ``private_endpoint``.
"""

from components.config import Cloud
from components.platform import CloudImplementation
from infra.azure.names import names
from infra.azure.buffer import AzureBuffer
from infra.azure.connect import AzureConnect
from infra.azure.foundation import AzureFoundation
from infra.azure.processing import AzureProcessing
from infra.azure.provider import azure_provider
from infra.azure.store import AzureStore
from infra.azure.visualize import AzureVisualize

IMPLEMENTATION = CloudImplementation(
    cloud=Cloud.AZURE,
    provider=azure_provider,
    foundation=AzureFoundation,
    store=AzureStore,
    buffer=AzureBuffer,
    connect=AzureConnect,
    processing=AzureProcessing,
    names=names,
    visualize=AzureVisualize,
)

__all__ = ["IMPLEMENTATION"]
