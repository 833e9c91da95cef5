"""The zip a submitter uploads for ``--py-files`` imports as the ``pipeline`` package, with nothing else on the path."""

from __future__ import annotations

import subprocess
import sys

from pipeline import package


def test_the_zip_imports_the_job_from_inside_itself(tmp_path):
    archive = tmp_path / "pipeline.zip"
    archive.write_bytes(package.zip_bytes())
    code = "import sys; sys.path.insert(0, sys.argv[1]); import pipeline.job, pipeline.raw; print(pipeline.job.__file__)"
    done = subprocess.run([sys.executable, "-I", "-c", code, str(archive)], capture_output=True, text=True, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == f"{archive}/pipeline/job.py"


def _runtime_without_eventhub(tmp_path, regular_azure: bool):
    """A folder with azure-core, typing-extensions and certifi only (the Synapse runtime ships them, not azure-eventhub)."""
    import shutil
    import typing_extensions
    from pathlib import Path

    import azure.core
    import certifi

    site = tmp_path / "site"
    shutil.copytree(Path(azure.core.__file__).parent, site / "azure" / "core",
                    ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(Path(certifi.__file__).parent, site / "certifi", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(typing_extensions.__file__, site / "typing_extensions.py")
    if regular_azure:  # some distributions install azure as a regular package
        (site / "azure" / "__init__.py").write_text("")
    return site


def test_the_eventhub_zip_holds_pure_python_azure_eventhub_and_imports_next_to_the_runtimes_azure_core(tmp_path):
    import zipfile

    archive = tmp_path / "eventhub.zip"
    archive.write_bytes(package.library_zip("azure-eventhub", "azure/eventhub"))
    names = zipfile.ZipFile(archive).namelist()
    assert "azure/eventhub/__init__.py" in names and "azure/eventhub/_pyamqp/__init__.py" in names
    assert not [n for n in names if not n.startswith("azure/") or n.endswith((".so", ".pyd"))]
    site = _runtime_without_eventhub(tmp_path, regular_azure=False)
    code = ("import sys; sys.path[:0] = sys.argv[1:]; import azure.eventhub as h; print(h.__file__); "
            "print(h.EventHubConsumerClient.__name__)")
    done = subprocess.run([sys.executable, "-I", "-S", "-c", code, str(site), str(archive)], capture_output=True,
                          text=True, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == [f"{archive}/azure/eventhub/__init__.py", "EventHubConsumerClient"]


def test_the_drain_finds_azure_eventhub_in_its_zip_even_when_azure_is_a_regular_package(tmp_path):
    archive = tmp_path / "eventhub.zip"
    archive.write_bytes(package.library_zip("azure-eventhub", "azure/eventhub"))
    job = tmp_path / "pipeline.zip"
    job.write_bytes(package.zip_bytes())
    site = _runtime_without_eventhub(tmp_path, regular_azure=True)
    code = ("import sys; sys.path[:0] = sys.argv[1:]; from pipeline import drain_main; "
            "drain_main._eventhub_importable(); import azure.eventhub as h; print(h.__file__)")
    done = subprocess.run([sys.executable, "-I", "-S", "-c", code, str(site), str(job), str(archive)],
                          capture_output=True, text=True, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == f"{archive}/azure/eventhub/__init__.py"


def test_a_library_with_compiled_modules_is_refused():
    import pytest

    with pytest.raises(ValueError, match=r"has compiled modules .*only pure-Python packages can go on --py-files"):
        package.library_zip("pyyaml", "yaml")
