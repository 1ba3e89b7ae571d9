"""
The comparison domain, one module per concern: the catalog (categories and tools), the
articles (comparisons with their factors and verdict), the workflow events, readers' feedback and
the outgoing notifications.
"""

from .articles import Comparison, ComparisonQuerySet, Factor, Side, TaggedComparison, Verdict
from .catalog import Category, Tool
from .events import WorkflowEvent
from .feedback import Feedback, FeedbackClient
from .history import ChangeNote
from .mail import OutgoingMail

__all__ = [
    "Category",
    "ChangeNote",
    "Comparison",
    "ComparisonQuerySet",
    "Factor",
    "Feedback",
    "FeedbackClient",
    "OutgoingMail",
    "Side",
    "TaggedComparison",
    "Tool",
    "Verdict",
    "WorkflowEvent",
]
