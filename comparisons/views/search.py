"""`/search/?q=`: full-text on PostgreSQL, a word match on SQLite (see comparisons.search)."""

from django.views.generic import ListView

from .. import search
from ..models import Comparison
from ..pagecache import DependsMixin
from .meta import PageMetaMixin


class SearchView(DependsMixin, PageMetaMixin, ListView):
    template_name = "comparisons/search.html"
    context_object_name = "comparisons"
    paginate_by = 10

    def get(self, request, *args, **kwargs):
        self.raw_query = request.GET.get("q", "")
        self.error = None
        self.query = ""
        if "q" in request.GET:
            try:
                self.query = search.clean_query(self.raw_query)
            except search.QueryError as error:
                self.error = str(error)
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        if not self.query:
            return Comparison.objects.none()
        found = search.search(Comparison.objects.published(), self.query)
        return found.defer("body", "search_document", "search_vector").select_related(
            "category", "tool_a", "tool_b", "verdict"
        )

    def get_meta_title(self):
        return f"Search: {self.query}" if self.query else "Search"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            query=self.query,
            # What the reader typed goes back in the box, cut to a sane size.
            typed=self.raw_query.replace("\x00", "")[: search.MAX_QUERY_LENGTH * 2],
            error=self.error,
            results=[
                search.Result(comparison, search.snippet(comparison, self.query))
                for comparison in context["comparisons"]
            ],
            page_query=f"q={self.query}" if self.query else "",
        )
        return context
