"""The offline engine: the real Pulumi program, run in-process under the mock runtime.

``synthesize(stack)`` behaves like ``pulumi preview`` would up to the point
where providers are called: it reads ``Pulumi.<stack>.yaml``, sets the
config before the program runs, gives the run a fresh event loop and a fresh
root stack, runs ``infra/`` with ``runpy`` exactly as the language host does,
waits for every registration, and returns every resource with its inputs and
options, sorted by URN. An invoke the mocks do not know is an error, never a
silent ``None``.

The same function backs the ``preview`` and ``policy`` commands and the
tests, so what the tests prove is what a user previews.
"""

from __future__ import annotations

import asyncio
import hashlib
import os
import runpy
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Optional

import yaml
from pulumi import asset
from pulumi.runtime import mocks as pulumi_mocks
from pulumi.runtime import rpc, settings
from pulumi.runtime.config import set_all_config
from pulumi.runtime.stack import run_in_stack

from blueprint import stack_yaml
from blueprint.mocks import PlatformMocks

ROOT = Path(__file__).resolve().parent.parent
PROJECT = "blueprint"

# Provider settings fall back to these when a resource does not set them; an
# offline run must not depend on the machine it runs on.
_AMBIENT_ENV = (
    "PULUMI_CONFIG", "PULUMI_CONFIG_SECRET_KEYS", "AWS_REGION", "AWS_DEFAULT_REGION", "AWS_PROFILE",
    "GOOGLE_CLOUD_PROJECT", "GOOGLE_PROJECT", "GOOGLE_REGION", "CLOUDSDK_CORE_PROJECT",
    "ARM_SUBSCRIPTION_ID", "ARM_TENANT_ID", "ARM_LOCATION",
)

UNKNOWN = "<computed>"


@dataclass
class RecordedResource:
    urn: str
    type: str
    name: str
    parent: str
    custom: bool
    inputs: dict[str, Any]
    protect: bool
    retain_on_delete: bool
    provider: str
    dependencies: list[str]
    property_dependencies: dict[str, list[str]]
    ignore_changes: list[str]
    delete_before_replace: bool
    outputs: dict[str, Any] = field(default_factory=dict)
    """Registered outputs (components and the stack)."""
    deleted_with: str = ""
    """URN of the resource whose deletion removes this one (``deleted_with``), or empty."""


@dataclass
class Synthesis:
    """Everything a program registered, sorted by URN."""

    stack: str
    project: str
    config: dict[str, Any]
    resources: list[RecordedResource]

    @property
    def by_urn(self) -> dict[str, RecordedResource]:
        return {r.urn: r for r in self.resources}

    @property
    def exports(self) -> dict[str, Any]:
        for r in self.resources:
            if r.type == "pulumi:pulumi:Stack":
                return r.outputs
        return {}

    def of_type(self, *tokens: str) -> list[RecordedResource]:
        return [r for r in self.resources if r.type in tokens]

    def custom(self) -> list[RecordedResource]:
        return [r for r in self.resources if r.custom and not r.type.startswith("pulumi:providers:")]


def _asset(value: Any) -> dict[str, Any]:
    """An asset or archive as a plan records it: what it holds and a digest of its content.

    Never the object's repr (which carries a memory address): two previews of
    the same code must give the same plan, and a change of content must show.
    """
    if isinstance(value, asset.FileAsset):
        path = Path(value.path)
        digest = hashlib.sha256(path.read_bytes()).hexdigest()[:16] if path.is_file() else UNKNOWN
        shown = path.resolve().relative_to(ROOT) if path.resolve().is_relative_to(ROOT) else path
        return {"file": str(shown), "sha256": digest}
    if isinstance(value, asset.StringAsset):
        return {"text_sha256": hashlib.sha256(value.text.encode()).hexdigest()[:16]}
    if isinstance(value, (asset.RemoteAsset, asset.RemoteArchive)):
        return {"uri": value.uri}
    if isinstance(value, asset.AssetArchive):
        return {"archive": {name: _asset(item) for name, item in sorted(value.assets.items())}}
    if isinstance(value, asset.FileArchive):
        return {"archive_file": str(value.path)}
    return {"asset": type(value).__name__}


def _plain(value: Any) -> Any:
    """Deserialized RPC values, made JSON-friendly (unknowns become a marker)."""
    from pulumi.output import Unknown

    if isinstance(value, Unknown) or value == rpc.UNKNOWN:
        return UNKNOWN
    if isinstance(value, (asset.Asset, asset.Archive)):
        return _asset(value)
    if isinstance(value, dict):
        if rpc._special_sig_key in value:  # secrets keep their value offline, marked
            if value[rpc._special_sig_key] == rpc._special_secret_sig:
                return {"secret": _plain(value.get("value"))}
            return {k: _plain(v) for k, v in value.items() if k != rpc._special_sig_key}
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, float) and value.is_integer():
        return int(value)  # the wire carries every number as a double
    return value


class RecordingMonitor(pulumi_mocks.MockMonitor):
    """A mock monitor that keeps every registration and its options."""

    def __init__(self, mocks: pulumi_mocks.Mocks) -> None:
        super().__init__(mocks)
        self._lock = threading.Lock()
        self.records: dict[str, RecordedResource] = {}
        self.duplicates: list[str] = []

    def RegisterResource(self, request):  # noqa: N802 (gRPC name)
        response = super().RegisterResource(request)
        props = rpc.deserialize_properties(request.object, keep_unknowns=True)
        record = RecordedResource(
            urn=response.urn,
            type=request.type,
            name=request.name,
            parent=request.parent,
            custom=bool(request.custom),
            inputs=_plain(props),
            protect=bool(request.protect),
            retain_on_delete=bool(request.retainOnDelete),
            provider=request.provider,
            dependencies=sorted(request.dependencies),
            property_dependencies={k: sorted(v.urns) for k, v in request.propertyDependencies.items()},
            ignore_changes=list(request.ignoreChanges),
            delete_before_replace=bool(request.deleteBeforeReplace),
            deleted_with=request.deletedWith,
        )
        with self._lock:
            if response.urn in self.records:
                self.duplicates.append(response.urn)
            self.records[response.urn] = record
        return response

    def RegisterResourceOutputs(self, request):  # noqa: N802
        outputs = _plain(rpc.deserialize_properties(request.outputs, keep_unknowns=True))
        with self._lock:
            if request.urn in self.records:
                self.records[request.urn].outputs = outputs
        return super().RegisterResourceOutputs(request)


class SynthesisError(RuntimeError):
    """The program failed; the message is the program's own error."""


def stack_file(stack: str, root: Path = ROOT) -> Path:
    """``Pulumi.<stack>.yaml`` in ``root``, or ``stack`` itself when it is a path to such a file."""
    if stack.endswith((".yaml", ".yml")):
        return Path(stack)
    return root / f"Pulumi.{stack}.yaml"


def stack_name(stack: str) -> str:
    """The stack name of ``stack`` (a name, or a path to ``Pulumi.<name>.yaml``)."""
    if stack.endswith((".yaml", ".yml")):
        return Path(stack).name.removeprefix("Pulumi.").rsplit(".", 1)[0]
    return stack


class StackFileError(SynthesisError):
    """The stack file cannot be read as Pulumi reads it; the message names the file, line and column."""


class _StackFileLoader(stack_yaml.StackLoader):
    """YAML as the Pulumi CLI reads a stack file: YAML 1.2 scalars, and a key twice in one mapping is an
    error, not "last wins"."""

    def construct_mapping(self, node, deep=False):
        seen: dict[Any, int] = {}
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=True)
            line = key_node.start_mark.line + 1
            if key in seen:
                raise yaml.constructor.ConstructorError(
                    None, None,
                    f"duplicate key {key!r} (first on line {seen[key]}); Pulumi refuses a key given twice",
                    key_node.start_mark,
                )
            seen[key] = line
        return super().construct_mapping(node, deep=deep)


def _where(path: Path, mark: Any) -> str:
    return f"{path}, line {mark.line + 1}, column {mark.column + 1}" if mark is not None else str(path)


def read_stack_config(stack: str, root: Path = ROOT) -> dict[str, Any]:
    """The ``config:`` map of the stack file, as Pulumi would pass it (strings or JSON).

    Read as the Pulumi CLI reads it: a duplicate key and a YAML syntax error
    are refused with the file, line and column; a key without a namespace
    belongs to the project (``ttl`` is ``blueprint:ttl``).
    """
    path = stack_file(stack, root)
    if not path.exists():
        known = sorted(p.name[len("Pulumi."):-len(".yaml")] for p in root.glob("Pulumi.*.yaml"))
        raise SynthesisError(f"no stack file {path.name}; known stacks: {', '.join(known) or 'none'}")
    try:
        data = yaml.load(path.read_text(), Loader=_StackFileLoader) or {}
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = " ".join(p for p in (exc.context, exc.problem) if p)
        raise StackFileError(f"{_where(path, mark)}: {problem}") from None
    except yaml.YAMLError as exc:
        raise StackFileError(f"{path}: {exc}") from None
    if not isinstance(data, dict):
        raise StackFileError(f"{path}: a stack file is a mapping with a `config:` key, not {type(data).__name__}")
    config = data.get("config") or {}
    if not isinstance(config, dict):
        raise StackFileError(f"{path}: `config:` must be a mapping of keys to values")
    return {str(k) if ":" in str(k) else f"{PROJECT}:{k}": v for k, v in config.items()}


def _wire_config(config: dict[str, Any]) -> dict[str, str]:
    """Pulumi hands config to programs as strings; objects and lists as JSON."""
    import json

    wired: dict[str, str] = {}
    for key, value in config.items():
        if isinstance(value, dict) and "secure" in value and len(value) == 1:
            raise SynthesisError(f"{key} is an encrypted secret; the offline engine cannot decrypt it")
        if isinstance(value, (dict, list)):
            wired[key] = json.dumps(value)
        elif isinstance(value, bool) or value is None:
            wired[key] = json.dumps(value)  # true, false, null: as the user wrote them
        else:
            wired[key] = str(value)
    return wired


def synthesize(
    stack: str,
    config: Optional[dict[str, Any]] = None,
    *,
    program: Path = ROOT / "infra",
    root: Path = ROOT,
    mocks: Optional[pulumi_mocks.Mocks] = None,
) -> Synthesis:
    """Run the program for ``stack`` offline and return what it registered.

    ``config`` replaces the stack file's config when given (tests use it to
    try variations). Raises the program's own exception on failure.
    """
    raw = read_stack_config(stack, root) if config is None else dict(config)
    stack = stack_name(stack)
    wired = _wire_config(raw)
    saved_env = {k: os.environ.pop(k) for k in _AMBIENT_ENV if k in os.environ}
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    mocks = mocks or PlatformMocks()
    monitor = RecordingMonitor(mocks)
    try:
        settings.ROOT.set(None)
        settings.configure(
            pulumi_mocks.MockSettings(
                monitor=monitor,
                monitor_features=set(monitor.GetDeploymentInfo(None).supportedFeatures),
                engine=pulumi_mocks.MockEngine(None),
                project=PROJECT,
                stack=stack,
                dry_run=True,
                organization="organization",
                callbacks=None,
            )
        )
        set_all_config(wired)
        with settings.SETTINGS.lock:
            settings.SETTINGS.outputs.clear()

        def program_main() -> None:
            runpy.run_path(str(program), run_name="__main__")

        loop.run_until_complete(run_in_stack(program_main))
    finally:
        settings.ROOT.set(None)
        set_all_config({})
        loop.close()
        asyncio.set_event_loop(None)
        os.environ.update(saved_env)
    if monitor.duplicates:
        raise SynthesisError(f"duplicate resource URNs: {', '.join(sorted(set(monitor.duplicates)))}")
    resources = sorted(monitor.records.values(), key=lambda r: r.urn)
    return Synthesis(stack=stack, project=PROJECT, config=raw, resources=resources)
