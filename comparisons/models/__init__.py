"""
The comparison domain, one module per concern: the catalog (categories and tools), the facts
kept per tool (criteria and tool facts), the articles (comparisons with their factors and
verdict), the workflow events, readers' feedback and the outgoing notifications.
"""

from .articles import Comparison, ComparisonQuerySet, Factor, Side, TaggedComparison, Verdict
from .catalog import Category, Tool
from .events import WorkflowEvent
from .facts import Criterion, ToolFact
from .feedback import Feedback, FeedbackClient
from .mail import OutgoingMail

__all__ = [
    "Category",
    "Comparison",
    "ComparisonQuerySet",
    "Criterion",
    "Factor",
    "Feedback",
    "FeedbackClient",
    "OutgoingMail",
    "Side",
    "TaggedComparison",
    "Tool",
    "ToolFact",
    "Verdict",
    "WorkflowEvent",
]
