"""
The comparison domain, one module per concern: the catalog (categories and tools), the
articles (comparisons with their factors and verdict), the workflow events, readers' feedback,
the outgoing notifications and authors' bylines.
"""

from .articles import Comparison, ComparisonQuerySet, Factor, Side, TaggedComparison, Verdict
from .authors import AuthorProfile
from .catalog import Category, Tool
from .events import WorkflowEvent
from .feedback import Feedback, FeedbackClient
from .mail import OutgoingMail

__all__ = [
    "AuthorProfile",
    "Category",
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
