"""Pulumi.yaml, the example stacks and the packaging work for the toolchain in use.

The Pulumi project-file schema does not catch a missing runtime or a bad
toolchain, and the language host runs the program from ``main`` with that
folder first on ``sys.path``: these checks cover what would otherwise fail
only at ``pulumi up``.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
import yaml

from blueprint.engine import ROOT
from tests.conftest import EXAMPLE_STACKS

PROJECT = yaml.safe_load((ROOT / "Pulumi.yaml").read_text())


def test_project_name_and_python_runtime():
    assert PROJECT["name"] == "blueprint"
    runtime = PROJECT["runtime"]
    assert isinstance(runtime, dict) and runtime["name"] == "python"
    options = runtime.get("options", {})
    assert set(options) <= {"toolchain", "virtualenv", "typechecker"}
    assert options.get("toolchain", "pip") in {"pip", "poetry", "uv"}
    assert options.get("typechecker", "mypy") in {"mypy", "pyright"}


def test_main_folder_has_the_program():
    main = ROOT / PROJECT["main"]
    assert main.is_dir() and (main / "__main__.py").is_file()


def test_virtualenv_is_relative_to_the_project():
    venv = PROJECT["runtime"]["options"]["virtualenv"]
    assert not Path(venv).is_absolute() and ".." not in Path(venv).parts


def test_uv_toolchain_installs_the_locked_project():
    # With uv, the language host finds pyproject.toml and uv.lock by searching upward from
    # the program folder and installs the project itself, so `components` and `infra` import.
    assert PROJECT["runtime"]["options"]["toolchain"] == "uv"
    assert (ROOT / "uv.lock").is_file()
    assert not (ROOT / PROJECT["main"] / "requirements.txt").exists(), "uv ignores requirements.txt; a stale one misleads"
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text())
    deps = " ".join(pyproject["project"]["dependencies"])
    for package in ("pulumi", "pulumi-aws", "pulumi-azure-native", "pulumi-gcp", "pulumi-policy", "pydantic"):
        assert f"{package}>=" in deps, package
    packages = pyproject["tool"]["setuptools"]["packages"]["find"]["include"]
    assert {"components*", "infra*"} <= set(packages)


def test_lock_matches_pyproject():
    # `uv lock --check` fails when pyproject.toml changed without the lock.
    uv = shutil.which("uv") or str(ROOT / ".bp-tools" / "bin" / "uv")
    if not Path(uv).exists():
        pytest.skip("uv is not installed here (./bp installs it on first use)")
    out = subprocess.run([uv, "lock", "--check", "--project", str(ROOT)], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr


def test_program_imports_resolve_from_the_main_folder_like_the_language_host():
    # The host runs `python -m runpy`-style with cwd = main and main first on sys.path.
    code = "import sys; sys.path.insert(0, '.'); import components.config, infra.registry; print('ok')"
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT / PROJECT["main"], capture_output=True, text=True)
    assert out.stdout.strip() == "ok", out.stderr


@pytest.mark.parametrize("stack", EXAMPLE_STACKS)
def test_example_stack_files_hold_only_namespaced_config(stack):
    data = yaml.safe_load((ROOT / f"Pulumi.{stack}.yaml").read_text())
    assert set(data) == {"config"}
    assert all(key.startswith(("blueprint:", "pulumi:")) for key in data["config"]), data["config"].keys()


def test_there_are_learning_and_production_examples():
    assert {"aws", "aws-prod"} <= set(EXAMPLE_STACKS)
