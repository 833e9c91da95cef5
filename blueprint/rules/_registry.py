"""Imports every checker module so its ``@checker`` functions register."""
from blueprint.rules import lifecycle  # noqa: F401
from blueprint.rules import aws_models  # noqa: F401
from blueprint.rules import documented  # noqa: F401
from blueprint.rules import gcp_models  # noqa: F401
from blueprint.rules import azure_models  # noqa: F401
from blueprint.rules import aws_universal_targets  # noqa: F401
from blueprint.rules import gcp_scheduler_bodies  # noqa: F401
