"""What an EventBridge Scheduler universal target will send, checked against the target API's botocore model.

A schedule whose target is ``arn:<partition>:scheduler:::aws-sdk:<service>:<action>`` sends its ``Input``
(a JSON string) as the request of ``<action>``, member names in PascalCase. The CreateSchedule model sees
only a string, so a missing required member or a client token the API refuses would fail every night, not
at ``pulumi up``. This checker parses the input and validates it like any other request (enums, lengths,
patterns, required members), after putting the documented example value in place of each context
attribute the scheduler fills in at invocation
(https://docs.aws.amazon.com/scheduler/latest/UserGuide/managing-schedule-context-attributes.html, read
2026-11-30). An action missing from ``UNIVERSAL_TARGETS`` is a finding too: its input would go unchecked.
"""

from __future__ import annotations

import json
import re
from typing import Any, Iterator

from blueprint.engine import RecordedResource, Synthesis
from blueprint.rules import Context, Finding, Severity, checker
from blueprint.rules.aws_models import _operation, _validate, _version
from blueprint.rules.aws_requests import UNIVERSAL_TARGETS
from blueprint.rules.values import is_unknown

SCHEDULE = "aws:scheduler/schedule:Schedule"
_UNIVERSAL = re.compile(r"^arn:[a-z-]+:scheduler:::aws-sdk:([a-z0-9]+):([a-zA-Z0-9]+)$")
CONTEXT_EXAMPLES: dict[str, str] = {
    "<aws.scheduler.schedule-arn>": "arn:aws:scheduler:us-east-1:123456789012:schedule/default/example",
    "<aws.scheduler.scheduled-time>": "2022-03-22T18:59:43Z",
    "<aws.scheduler.execution-id>": "d32c5kddcf5bb8c3",
    "<aws.scheduler.attempt-number>": "1",
}
"""Each context attribute with the example value the EventBridge Scheduler guide gives for it."""


def _filled(value: Any) -> Any:
    if isinstance(value, str):
        for attribute, example in CONTEXT_EXAMPLES.items():
            value = value.replace(attribute, example)
        return value
    if isinstance(value, dict):
        return {key: _filled(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_filled(item) for item in value]
    return value


def _findings(resource: RecordedResource) -> Iterator[Finding]:
    target = resource.inputs.get("target") or {}
    arn, text = target.get("arn"), target.get("input")
    if not isinstance(arn, str) or is_unknown(arn):
        return
    match = _UNIVERSAL.match(arn)
    if match is None:
        return
    action = f"{match[1]}:{match[2]}"
    if action not in UNIVERSAL_TARGETS:
        yield Finding(Severity.ERROR, resource.urn, "target.arn", arn,
                      "a universal target whose request is not checked; add the action to "
                      "blueprint.rules.aws_requests.UNIVERSAL_TARGETS", "blueprint cloud rules")
        return
    service, operation = UNIVERSAL_TARGETS[action]
    source = f"botocore {_version()} {service} {operation} (universal target input)"
    if not isinstance(text, str):
        return
    try:
        request = json.loads(text)
    except ValueError:
        if not is_unknown(text):
            yield Finding(Severity.ERROR, resource.urn, "target.input", text,
                          "a universal target's input must be well-formed JSON", source)
        return
    if not isinstance(request, dict):
        yield Finding(Severity.ERROR, resource.urn, "target.input", text,
                      "a universal target's input must be a JSON object (the request's members)", source)
        return
    for path, bad, rule in _validate(_filled(request), _operation(service, operation).input_shape, "target.input"):
        yield Finding(Severity.ERROR, resource.urn, path, bad, rule, source)


@checker
def aws_universal_targets(synthesis: Synthesis, context: Context) -> Iterator[Finding]:
    for resource in synthesis.custom():
        if resource.type == SCHEDULE:
            yield from _findings(resource)
