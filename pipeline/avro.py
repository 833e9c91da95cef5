"""A reader for Avro object container files, in plain Python.

Event Hubs Capture and the Pub/Sub Cloud Storage subscription write Avro.
Spark reads Avro only through the separate ``spark-avro`` package, which not
every runtime ships and which a job cannot download from a private subnet;
the files are small and their schemas flat, so the job decodes them itself
(spec: Avro 1.11, "Object Container Files" and "Binary Encoding").
Codecs: ``null`` and ``deflate`` (the two every Avro writer supports).
"""

from __future__ import annotations

import io
import json
import struct
import zlib
from collections.abc import Iterator
from typing import Any

MAGIC = b"Obj\x01"
SYNC_SIZE = 16


class AvroError(ValueError):
    pass


class _Reader:
    def __init__(self, data: bytes) -> None:
        self.buf = io.BytesIO(data)

    def read(self, n: int) -> bytes:
        b = self.buf.read(n)
        if len(b) != n:
            raise AvroError("truncated Avro data")
        return b

    def long(self) -> int:
        shift = result = 0
        while True:
            byte = self.read(1)[0]
            result |= (byte & 0x7F) << shift
            if not byte & 0x80:
                return (result >> 1) ^ -(result & 1)
            shift += 7

    def bytes_(self) -> bytes:
        return self.read(self.long())

    def at_end(self) -> bool:
        pos = self.buf.tell()
        end = not self.buf.read(1)
        self.buf.seek(pos)
        return end


def _named(schema: Any, names: dict[str, Any]) -> Any:
    if isinstance(schema, str) and schema in names:
        return names[schema]
    if isinstance(schema, dict) and schema.get("type") in ("record", "enum", "fixed"):
        names[schema["name"]] = schema
        if "namespace" in schema:
            names[f"{schema['namespace']}.{schema['name']}"] = schema
    return schema


def _decode(r: _Reader, schema: Any, names: dict[str, Any]) -> Any:
    schema = _named(schema, names)
    if isinstance(schema, list):
        return _decode(r, schema[r.long()], names)
    kind = schema["type"] if isinstance(schema, dict) else schema
    if isinstance(kind, (dict, list)):
        return _decode(r, kind, names)
    if kind == "null":
        return None
    if kind == "boolean":
        return r.read(1) != b"\x00"
    if kind in ("int", "long"):
        return r.long()
    if kind == "float":
        return struct.unpack("<f", r.read(4))[0]
    if kind == "double":
        return struct.unpack("<d", r.read(8))[0]
    if kind == "bytes":
        return r.bytes_()
    if kind == "string":
        return r.bytes_().decode("utf-8")
    if kind == "fixed":
        return r.read(schema["size"])
    if kind == "enum":
        return schema["symbols"][r.long()]
    if kind == "record":
        return {f["name"]: _decode(r, f["type"], names) for f in schema["fields"]}
    if kind in ("array", "map"):
        out: Any = [] if kind == "array" else {}
        while True:
            count = r.long()
            if count == 0:
                return out
            if count < 0:  # a negative count is followed by the block's size in bytes
                count = -count
                r.long()
            for _ in range(count):
                if kind == "array":
                    out.append(_decode(r, schema["items"], names))
                else:
                    key = r.bytes_().decode("utf-8")
                    out[key] = _decode(r, schema["values"], names)
    raise AvroError(f"unsupported Avro type {kind!r}")


def records(data: bytes) -> Iterator[dict[str, Any]]:
    """Every record of one Avro object container file."""
    r = _Reader(data)
    if r.read(4) != MAGIC:
        raise AvroError("not an Avro object container file")
    meta = _decode(r, {"type": "map", "values": "bytes"}, {})
    sync = r.read(SYNC_SIZE)
    schema = json.loads(meta["avro.schema"].decode("utf-8"))
    codec = meta.get("avro.codec", b"null").decode("ascii")
    if codec not in ("null", "deflate"):
        raise AvroError(f"unsupported Avro codec {codec!r}")
    names: dict[str, Any] = {}
    while not r.at_end():
        count = r.long()
        block = r.bytes_()
        if codec == "deflate":
            block = zlib.decompress(block, -15)
        br = _Reader(block)
        for _ in range(count):
            yield _decode(br, schema, names)
        if r.read(SYNC_SIZE) != sync:
            raise AvroError("Avro sync marker mismatch (corrupt file)")
