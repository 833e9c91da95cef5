"""Stack configs for edges no example stack uses, synthesized once per test session.

Buffer on GCP feeding Processing on AWS: the AWS example stacks (learning and
production) with Connect and Buffer moved to GCP (Pub/Sub), so Processing,
Store and Visualize stay on AWS.
"""

from __future__ import annotations

import functools

from blueprint.engine import Synthesis
from tests.conftest import stack_config, synth

GCP = {"project": "blueprint-learning", "region": "us-central1", "billingAccount": "012345-6789AB-CDEF01"}
GCP_BUFFER_STAGES = {"connect": {"cloud": "gcp"}, "buffer": {"cloud": "gcp"}}


def gcp_buffer_config(base: str = "aws") -> dict:
    return stack_config(base, stages=GCP_BUFFER_STAGES, gcp=GCP)


@functools.lru_cache(maxsize=None)
def gcp_buffer(base: str = "aws") -> Synthesis:
    """``base`` (``aws`` or ``aws-prod``) with its buffer on GCP."""
    return synth(base, gcp_buffer_config(base))
