"""
The comparison domain, one module per concern: the catalog (categories and tools), the
articles (comparisons with their factors and verdict) and the workflow events.
"""

from .articles import Comparison, ComparisonQuerySet, Factor, Side, TaggedComparison, Verdict
from .catalog import Category, Tool
from .events import WorkflowEvent

__all__ = [
    "Category",
    "Comparison",
    "ComparisonQuerySet",
    "Factor",
    "Side",
    "TaggedComparison",
    "Tool",
    "Verdict",
    "WorkflowEvent",
]
