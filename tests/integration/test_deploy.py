"""Deploy an example stack for real with the Automation API, check it, smoke it, destroy it.

The smoke (``bp smoke STACK`` with the deployed outputs) sends probe events
through Connect and finds them in raw; for ``hybrid`` that crosses the edge
from Kinesis on AWS to the GCP raw bucket.

This creates billable resources, so it runs only when all of these hold:
the Pulumi CLI is on PATH, credentials for the stack's cloud are present,
and ``BLUEPRINT_INTEGRATION=1`` is set. Otherwise each case is skipped with
the reason. ``BLUEPRINT_INTEGRATION_STACKS`` (comma-separated, default
``aws``) picks the stacks.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from blueprint.cli import main
from blueprint.engine import ROOT, read_stack_config
from components.config import from_pulumi_config

STACKS = [s for s in os.environ.get("BLUEPRINT_INTEGRATION_STACKS", "aws").split(",") if s]


def _has_credentials(cloud: str) -> bool:
    env = os.environ
    home = Path.home()
    if cloud == "aws":
        return bool(env.get("AWS_ACCESS_KEY_ID") or env.get("AWS_PROFILE") or env.get("AWS_WEB_IDENTITY_TOKEN_FILE")
                    or (home / ".aws" / "credentials").exists())
    if cloud == "azure":
        return bool(env.get("ARM_CLIENT_ID") or (home / ".azure" / "azureProfile.json").exists())
    if cloud == "gcp":
        return bool(env.get("GOOGLE_APPLICATION_CREDENTIALS")
                    or (home / ".config" / "gcloud" / "application_default_credentials.json").exists())
    return False


def _skip_reason(stack: str) -> str | None:
    if os.environ.get("BLUEPRINT_INTEGRATION") != "1":
        return "set BLUEPRINT_INTEGRATION=1 to deploy real (billable) resources"
    if shutil.which("pulumi") is None:
        return "the Pulumi CLI is not on PATH"
    # A hybrid stack deploys to every cloud a stage names: each needs credentials.
    for cloud in from_pulumi_config(read_stack_config(stack), stack).clouds_in_use:
        if not _has_credentials(cloud.value):
            return f"no {cloud.value} credentials in the environment"
    return None


@pytest.mark.parametrize("stack", STACKS)
def test_deploy_check_and_destroy(stack, tmp_path):
    reason = _skip_reason(stack)
    if reason:
        pytest.skip(reason)
    from pulumi import automation as auto

    workspace = auto.create_or_select_stack(stack_name=stack, work_dir=str(ROOT))
    try:
        preview = workspace.preview(on_output=print)
        assert preview.change_summary.get("create", 0) > 0
        result = workspace.up(on_output=print)
        outputs = {k: v.value for k, v in result.outputs.items()}
        for stage in ("connect", "buffer", "processing", "store", "visualize"):
            assert stage in outputs, f"missing export {stage}"
        assert outputs["connect"]["endpoint"].startswith("https://") or outputs["connect"]["endpoint"]
        assert outputs["buffer"]["delivery"] == "at-least-once"
        # Probe events through the deployed stack to raw; a hybrid stack's cross its edge on the way.
        exported = tmp_path / "outputs.json"
        exported.write_text(json.dumps(outputs))
        assert main(["smoke", stack, "--outputs", str(exported)]) == 0
    finally:
        workspace.destroy(on_output=print)
    # A learning stack must be gone in one destroy: nothing left in the state.
    state = workspace.export_stack().deployment.get("resources", [])
    assert [r for r in state if r.get("type") not in ("pulumi:pulumi:Stack",)] == []
