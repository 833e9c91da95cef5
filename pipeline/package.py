"""The files a cloud runtime needs to run the job: the ``pipeline`` package (for ``--py-files``) and an entry point.

``library_zip`` packs an installed pure-Python library for ``--py-files`` too:
the drain needs ``azure-eventhub``, which the Synapse Spark 3.5 runtime does
not ship (its other needs, ``azure-core`` and ``typing-extensions``, it does).
"""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent
ENTRY = ROOT / "entry"


def files() -> dict[str, Path]:
    """``pipeline/...`` archive names to source files: the package's Python modules only, in a stable order."""
    return {f"pipeline/{path.relative_to(ROOT).as_posix()}": path
            for path in sorted(ROOT.rglob("*.py")) if "__pycache__" not in path.parts}


def entry_point(cloud: str) -> Path:
    """``entry/<cloud>.py``: the job's entry point for a cloud, or ``azure_drain`` (the Azure learning sink)."""
    path = ENTRY / f"{cloud}.py"
    if not path.exists():
        raise ValueError(f"no job entry point for cloud {cloud!r}; allowed: aws, azure, azure_drain, gcp")
    return path


def _zip(files: dict[str, Path]) -> bytes:
    import io
    import zipfile

    # Directory entries too: Python 3.11's zipimport finds a namespace package portion (``azure/``
    # next to the runtime's ``azure``) only through its entry.
    folders = sorted({"/".join(name.split("/")[:i]) + "/" for name in files for i in range(1, name.count("/") + 1)})
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as archive:
        for folder in folders:
            archive.writestr(folder, b"")
        for arcname, path in files.items():
            archive.write(path, arcname)
    return buf.getvalue()


def library_zip(distribution: str, package: str) -> bytes:
    """The installed ``distribution``'s modules under ``package/`` (e.g. ``azure/eventhub``) as a zip.

    Refuses a distribution with compiled extensions: a zip on ``--py-files`` can only carry Python.
    """
    from importlib import metadata

    dist = metadata.distribution(distribution)
    wanted = package.rstrip("/") + "/"
    files = {str(f): Path(dist.locate_file(f)) for f in sorted(dist.files or [], key=str)
             if str(f).startswith(wanted) and "__pycache__" not in str(f)}
    compiled = [name for name in files if name.endswith((".so", ".pyd"))]
    if not files or compiled:
        found = f"compiled modules {', '.join(compiled)}" if compiled else f"nothing under {wanted}"
        raise ValueError(f"{distribution} {dist.version} has {found}; only pure-Python packages can go on --py-files")
    return _zip(files)


def zip_bytes() -> bytes:
    """The package as a zip for ``--py-files`` (for runtimes where the submitter, not the stack, uploads it)."""
    return _zip(files())
