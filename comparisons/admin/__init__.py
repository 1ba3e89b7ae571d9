"""
The editors' and writers' side of nicepick, one module per concern: the catalog and its
facts, the comparison page with its workflow buttons and actions, its revisions, the outgoing
mail, and the About and Contact pages.
"""

from . import catalog, comparison, facts, feedback, mail, pages

__all__ = ["catalog", "comparison", "facts", "feedback", "mail", "pages"]
