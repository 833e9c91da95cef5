"""``bp diff``: what a change does to a stack, for a reviewer.

``plan_file`` reads the two plans, ``comparison`` pairs their resources,
``stateful`` and ``data_loss`` flag what endangers data, ``policy_delta`` and
``cost_delta`` add the pack's and the estimator's view, ``mask`` keeps
secrets out, and ``markdown``, ``text`` and ``document`` render the report.
"""

from blueprint.diff.comparison import compare
from blueprint.diff.document import document
from blueprint.diff.markdown import markdown
from blueprint.diff.plan_file import NOTHING, DiffInputError, read_plan
from blueprint.diff.report import Report, build_report
from blueprint.diff.text import text

__all__ = ["NOTHING", "DiffInputError", "Report", "build_report", "compare", "document", "markdown", "read_plan",
           "text"]
