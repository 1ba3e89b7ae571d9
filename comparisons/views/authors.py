"""An author's page: their byline and their published comparisons, newest first."""

from django.http import Http404
from django.views.generic import ListView

from .. import invalidation
from ..models import AuthorProfile, Comparison
from ..pagecache import DependsMixin
from .card_lists import CardListMixin
from .lists import PAGE_SIZE
from .meta import PageMetaMixin


class AuthorView(CardListMixin, DependsMixin, PageMetaMixin, ListView):
    """
    Only authors with a public byline and at least one published comparison have a page; for
    anyone else the address does not exist (404), so readers learn nothing about staff.
    """

    template_name = "comparisons/author_detail.html"
    context_object_name = "comparisons"
    paginate_by = PAGE_SIZE
    allow_empty = False

    def get(self, request, *args, **kwargs):
        self.author = AuthorProfile.objects.filter(slug=kwargs["slug"], is_public=True).first()
        if self.author is None:
            raise Http404("No such author.")
        return super().get(request, *args, **kwargs)

    def get_card_queryset(self):
        return Comparison.objects.published().filter(author=self.author.user_id)

    def get_meta_title(self):
        return f"{self.author.display_name}: comparisons"

    def get_meta_description(self):
        return self.author.bio or f"Technology comparisons by {self.author.display_name}."

    def get_context_data(self, **kwargs):
        return super().get_context_data(author=self.author, **kwargs)

    def get_cache_deps(self, context):
        tags = invalidation.for_cards(context["comparisons"])
        tags.add(invalidation.author(self.author.user_id))
        return tags
