"""The blueprint program: validate the stack config, then build the platform.

Run by ``pulumi up`` (with ``main: infra/``) and, in-process under the mock
runtime, by ``bp preview``. Configuration errors stop the program before any
resource is registered.
"""

import pulumi
from pulumi.runtime.config import CONFIG, get_config_env

from components.config import from_pulumi_config
from components.lease import LEASE_OUTPUT, format_instant
from components.platform import DataPlatform
from infra.lease import with_lease
from infra.registry import edge_implementations, implementations

stack = pulumi.get_stack()
config = with_lease(from_pulumi_config({**get_config_env(), **CONFIG.get()}, stack), stack)
platform = DataPlatform(
    "platform", config, implementations(config.clouds_in_use), stack=stack, project=pulumi.get_project(),
    edges=edge_implementations(config),
)
for key, value in platform.exports().items():
    pulumi.export(key, value)
pulumi.export("profile", config.profile.value)
pulumi.export("expires_at", config.expires_at())
if config.lease_start is not None:
    pulumi.export(LEASE_OUTPUT, format_instant(config.lease_start))
