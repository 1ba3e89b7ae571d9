"""
The comparison domain, one module per concern: the catalog (categories and tools), the
articles (comparisons with their factors and verdict), the workflow events and readers' feedback.
"""

from .articles import Comparison, ComparisonQuerySet, Factor, Side, TaggedComparison, Verdict
from .catalog import Category, Tool
from .events import WorkflowEvent
from .feedback import Feedback, FeedbackClient

__all__ = [
    "Category",
    "Comparison",
    "ComparisonQuerySet",
    "Factor",
    "Feedback",
    "FeedbackClient",
    "Side",
    "TaggedComparison",
    "Tool",
    "Verdict",
    "WorkflowEvent",
]
