"""The body a Cloud Scheduler job will POST to a Google API, checked against that API's discovery schema.

A job's ``httpTarget.body`` is base64 bytes to the Cloud Scheduler schema, so a batch the Dataproc API would
refuse (an unknown runtime field, a bad enum) would fail every night, not at ``pulumi up``. For a URI in
``gcp_schemas.HTTP_BODIES`` the body is decoded and each value checked against the schema of the request
body, like any resource input; a body that is not JSON is a finding.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from typing import Iterator

from blueprint.engine import RecordedResource, Synthesis
from blueprint.rules import Context, Finding, Severity, checker
from blueprint.rules.constraint import violations
from blueprint.rules.gcp_models import _constraint, _document, _leaves, _walk
from blueprint.rules.gcp_schemas import HTTP_BODIES
from blueprint.rules.values import is_unknown

JOB = "gcp:cloudscheduler/job:Job"


def _findings(resource: RecordedResource) -> Iterator[Finding]:
    target = resource.inputs.get("httpTarget") or {}
    uri, body = target.get("uri"), target.get("body")
    if not isinstance(uri, str) or not isinstance(body, str) or is_unknown(uri) or is_unknown(body):
        return
    row = next((row for pattern, row in HTTP_BODIES.items() if re.match(pattern, uri)), None)
    if row is None:
        return
    document_name, schema = row
    source = f"Google discovery {document_name} {schema} (Cloud Scheduler body)"
    try:
        request = json.loads(base64.b64decode(body, validate=True))
    except (binascii.Error, ValueError):
        yield Finding(Severity.ERROR, resource.urn, "httpTarget.body", body,
                      "the body must be base64 of a JSON request", source)
        return
    document = _document(document_name)
    root = document["schemas"][schema]
    for at, value in _leaves(request):
        prop = re.sub(r"\[\d+\]", "[]", at)
        node = _walk(document, root, prop)
        if node is None:
            yield Finding(Severity.ERROR, resource.urn, f"httpTarget.body.{at}", value,
                          f"not a field of {schema}", source)
            continue
        for rule in violations(value, _constraint(node, value)):
            yield Finding(Severity.ERROR, resource.urn, f"httpTarget.body.{at}", value, rule, f"{source}.{prop}")


@checker
def gcp_scheduler_bodies(synthesis: Synthesis, context: Context) -> Iterator[Finding]:
    for resource in synthesis.custom():
        if resource.type == JOB:
            yield from _findings(resource)
