"""
The editors' and writers' side of nicepick, one module per concern: the catalog, the
comparison page with its workflow buttons and actions, and its revisions.
"""

from . import catalog, comparison, feedback

__all__ = ["catalog", "comparison", "feedback"]
