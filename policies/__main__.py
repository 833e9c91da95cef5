"""Entry point the Pulumi CLI runs: build the pack for the stack's profile, then serve.

The profile comes from ``BLUEPRINT_POLICY_PROFILE`` or the stack's
``blueprint:profile``; a ``--policy-pack-config`` file may override it per
rule. Rules live in importable modules; this file only builds the pack.
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # the repo, when not pip-installed

from pulumi_policy import PolicyPack  # noqa: E402

from policies.catalogue import pack_arguments  # noqa: E402
from policies.config import stack_profile  # noqa: E402

PolicyPack(**pack_arguments(stack_profile() or "learning"))
