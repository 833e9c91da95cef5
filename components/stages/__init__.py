"""The five stage contracts: args and outputs identical on every cloud."""

from components.stages.base import Stage
from components.stages.buffer import Buffer, BufferArgs
from components.stages.connect import Connect, ConnectArgs
from components.stages.processing import Processing, ProcessingArgs
from components.stages.store import Store, StoreArgs
from components.stages.visualize import Visualize, VisualizeArgs

__all__ = [
    "Stage", "Buffer", "BufferArgs", "Connect", "ConnectArgs", "Processing", "ProcessingArgs",
    "Store", "StoreArgs", "Visualize", "VisualizeArgs",
]
