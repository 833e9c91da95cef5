"""Where the drain reads and writes small objects: a folder, a blob container, or Spark's Hadoop file system.

Every store has the same two operations on names relative to its root
(``events/year=.../x.jsonl.gz``, ``_drain/checkpoints/...``):

- ``read(name)``: the object's bytes, or None when there is none;
- ``write(name, data, overwrite)``: create it (``overwrite=False`` refuses to
  replace an existing object, which the drain's data objects never do).

``HadoopStore`` is the one used in Synapse Spark: it goes through the
runtime's ABFS driver, so it reaches the lake the way the sensor job does
(the workspace's managed private endpoint is for the ``dfs`` endpoint only,
and ABFS authenticates the way the runtime is set up for the primary lake).
``BlobStore`` (azure-storage-blob) serves everything outside Spark (Azurite,
an operator's machine); ``DirectoryStore`` a local folder.
"""

from __future__ import annotations

from pathlib import Path
from typing import Protocol


class Store(Protocol):
    def read(self, name: str) -> bytes | None: ...

    def write(self, name: str, data: bytes, overwrite: bool) -> None: ...


class ObjectExists(Exception):
    """``write(..., overwrite=False)`` found the name taken."""


class DirectoryStore:
    def __init__(self, root: Path | str) -> None:
        self.root = Path(root)

    def read(self, name: str) -> bytes | None:
        path = self.root / name
        return path.read_bytes() if path.is_file() else None

    def write(self, name: str, data: bytes, overwrite: bool) -> None:
        path = self.root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            with open(path, "wb" if overwrite else "xb") as out:
                out.write(data)
        except FileExistsError:
            raise ObjectExists(name) from None


class BlobStore:
    """A blob container (``azure.storage.blob.ContainerClient``), optionally under a prefix."""

    def __init__(self, container, prefix: str = "") -> None:
        self.container = container
        self.prefix = prefix.strip("/") + "/" if prefix.strip("/") else ""

    def read(self, name: str) -> bytes | None:
        from azure.core.exceptions import ResourceNotFoundError

        try:
            return self.container.download_blob(self.prefix + name).readall()
        except ResourceNotFoundError:
            return None

    def write(self, name: str, data: bytes, overwrite: bool) -> None:
        from azure.core.exceptions import ResourceExistsError

        try:
            self.container.upload_blob(self.prefix + name, data, overwrite=overwrite)
        except ResourceExistsError:
            raise ObjectExists(name) from None


class HadoopStore:
    """Objects under a Hadoop file system URI (``abfss://raw@ACCOUNT.dfs.core.windows.net/``, ``file:///...``)."""

    def __init__(self, spark, root_uri: str) -> None:
        jvm = spark._jvm
        self._jvm = jvm
        self._root = root_uri.rstrip("/")
        self._fs = jvm.org.apache.hadoop.fs.Path(self._root + "/").getFileSystem(spark._jsc.hadoopConfiguration())

    def _path(self, name: str):
        return self._jvm.org.apache.hadoop.fs.Path(f"{self._root}/{name}")

    def read(self, name: str) -> bytes | None:
        path = self._path(name)
        if not self._fs.exists(path):
            return None
        stream = self._fs.open(path)
        try:
            return bytes(self._jvm.org.apache.commons.io.IOUtils.toByteArray(stream))
        finally:
            stream.close()

    def write(self, name: str, data: bytes, overwrite: bool) -> None:
        path = self._path(name)
        if not overwrite and self._fs.exists(path):
            raise ObjectExists(name)
        stream = self._fs.create(path, overwrite)
        try:
            stream.write(bytearray(data))
        finally:
            stream.close()
