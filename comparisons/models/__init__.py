"""
The comparison domain, one module per concern: the catalog (categories and tools), the facts
kept per tool (criteria and tool facts), the articles (comparisons with their factors and
verdict), the workflow events, readers' feedback, the public history, the outgoing
notifications, authors' bylines and the preview links shared with outside reviewers.
"""

from .articles import (
    Comparison,
    ComparisonQuerySet,
    Factor,
    Side,
    TaggedComparison,
    Verdict,
    earliest,
    goes_live,
    live,
    released,
)
from .authors import AuthorProfile
from .catalog import Category, Tool
from .events import WorkflowEvent
from .facts import Criterion, ToolFact
from .feedback import Feedback, FeedbackClient
from .history import ChangeNote, ScheduledChanges
from .mail import OutgoingMail
from .previews import PreviewLink

__all__ = [
    "AuthorProfile",
    "earliest",
    "goes_live",
    "live",
    "released",
    "Category",
    "ChangeNote",
    "Comparison",
    "ComparisonQuerySet",
    "Criterion",
    "Factor",
    "Feedback",
    "FeedbackClient",
    "OutgoingMail",
    "PreviewLink",
    "ScheduledChanges",
    "Side",
    "TaggedComparison",
    "Tool",
    "ToolFact",
    "Verdict",
    "WorkflowEvent",
]
