"""The files a cloud runtime needs to run the job: the ``pipeline`` package (for ``--py-files``) and an entry point."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent
ENTRY = ROOT / "entry"


def files() -> dict[str, Path]:
    """``pipeline/...`` archive names to source files: the package's Python modules only, in a stable order."""
    return {f"pipeline/{path.relative_to(ROOT).as_posix()}": path
            for path in sorted(ROOT.rglob("*.py")) if "__pycache__" not in path.parts}


def entry_point(cloud: str) -> Path:
    path = ENTRY / f"{cloud}.py"
    if not path.exists():
        raise ValueError(f"no job entry point for cloud {cloud!r}; allowed: aws, azure, gcp")
    return path


def zip_bytes() -> bytes:
    """The package as a zip for ``--py-files`` (for runtimes where the submitter, not the stack, uploads it)."""
    import io
    import zipfile

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as archive:
        for arcname, path in files().items():
            archive.write(path, arcname)
    return buf.getvalue()
