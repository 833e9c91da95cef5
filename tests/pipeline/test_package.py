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
