"""`/changes/`: significant changes to our verdicts, newest first, site-wide (and its feed)."""

from django.views.generic import ListView

from .. import invalidation
from ..models import ChangeNote
from ..pagecache import DependsMixin
from .meta import PageMetaMixin


def significant_changes():
    """What /changes/ and its feed list: notes of live articles whose pick or an edge changed."""
    return (
        ChangeNote.objects.public()
        .significant()
        .select_related("comparison", "comparison__category")
        .defer("comparison__body", "comparison__search_document", "comparison__search_vector")
    )


class ChangesView(DependsMixin, PageMetaMixin, ListView):
    template_name = "comparisons/changes.html"
    context_object_name = "notes"
    paginate_by = 20

    def get_queryset(self):
        return significant_changes()

    def get_meta_title(self):
        return "Changed verdicts"

    def get_meta_description(self):
        return (
            "Every time one of our picks or a factor's edge changed, with the reason: "
            "verdicts kept up to date in the open."
        )

    def get_cache_deps(self, context):
        return invalidation.for_cards(note.comparison for note in context["notes"]) | {
            invalidation.CONTENT
        }
