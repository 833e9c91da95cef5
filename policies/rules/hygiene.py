"""Provider hygiene: resources pinned to preview APIs (compliance-policies' disallow-preview pattern)."""

from __future__ import annotations

from policies.tokens import is_preview_api


def azure_no_preview_api(args, report) -> None:
    if is_preview_api(args.resource_type):
        report(f"{args.resource_type} pins a preview API version: use the default module (stable API) or a "
               "GA version")
