"""
The editors' and writers' side of nicepick, one module per concern: the catalog and its
facts, the comparison page with its workflow buttons and actions, its revisions and preview
links, the outgoing mail, the About and Contact pages, and authors' bylines.
"""

from . import authors, catalog, comparison, facts, feedback, mail, pages

__all__ = ["authors", "catalog", "comparison", "facts", "feedback", "mail", "pages"]
