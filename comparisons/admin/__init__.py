"""
The editors' and writers' side of nicepick, one module per concern: the catalog, the
comparison page with its workflow buttons and actions, its revisions, and the outgoing mail.
"""

from . import catalog, comparison, feedback, mail

__all__ = ["catalog", "comparison", "feedback", "mail"]
