"""A Mermaid picture of the pipeline with the stages a change touches marked."""

from __future__ import annotations

from blueprint.diff.comparison import SIGNS
from blueprint.diff.report import Report
from blueprint.render import SECTION_ORDER

PIPELINE = ("connect", "buffer", "processing", "store", "visualize")


def mermaid(report: Report) -> str:
    changed = report.changed_stages()
    warned = {w.stage for w in report.warnings}
    lines = ["flowchart LR"]
    stages = [s for s in SECTION_ORDER if s in PIPELINE or s in changed] + sorted(set(changed) - set(SECTION_ORDER))
    for stage in stages:
        counts = changed.get(stage)
        label = stage
        if counts:
            label += "<br/>" + " ".join(f"{SIGNS[a]}{n}" for a, n in counts.items() if n)
        lines.append(f'  {stage}["{label}"]')
    lines += ["  " + " --> ".join(s for s in PIPELINE if s in stages)]
    lines += ["  classDef changed fill:#fff3cd,stroke:#b58900", "  classDef danger fill:#f8d7da,stroke:#c0392b"]
    for stage in stages:
        if stage in warned:
            lines.append(f"  class {stage} danger")
        elif stage in changed:
            lines.append(f"  class {stage} changed")
    return "\n".join(lines) + "\n"
