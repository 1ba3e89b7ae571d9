"""
`/search/?q=&category=&tag=`: full-text on PostgreSQL, a word match on SQLite (see
comparisons.search), narrowed by a category and a tag. With a filter and no words, it lists
the filtered comparisons, newest first.
"""

from urllib.parse import urlencode

from django.views.generic import ListView

from .. import search
from ..models import Comparison
from ..pagecache import DependsMixin
from .articles import category_index, tag_index
from .meta import PageMetaMixin


def filter_choices():
    """Categories and tags in use, for the filters (from the lists' shared counts)."""
    return {
        "categories": [{"name": c.name, "slug": c.slug} for c in category_index()],
        "tags": sorted(
            ({"name": t.name, "slug": t.slug} for t in tag_index()),
            key=lambda t: t["name"].lower(),
        ),
    }


def chosen(choices, slug, kind):
    """The choice with this slug (tags in any letter case), or None; a message if unknown."""
    if not slug:
        return None, None
    for choice in choices:
        if choice["slug"] == slug or (kind == "tag" and choice["slug"].lower() == slug.lower()):
            return choice, None
    shown = slug.replace("\x00", "")[:60]
    return None, f"No published comparison has the {kind} “{shown}”; choose one from the list."


class SearchView(DependsMixin, PageMetaMixin, ListView):
    template_name = "comparisons/search.html"
    context_object_name = "comparisons"
    paginate_by = 10

    def get(self, request, *args, **kwargs):
        self.raw_query = request.GET.get("q", "")
        self.choices = filter_choices()
        self.category, self.category_error = chosen(
            self.choices["categories"], request.GET.get("category", ""), "category"
        )
        self.tag, self.tag_error = chosen(self.choices["tags"], request.GET.get("tag", ""), "tag")
        self.filtered = bool(self.category or self.tag)
        self.error = None
        self.query = ""
        if self.raw_query.strip() or ("q" in request.GET and not self.filtered):
            try:
                self.query = search.clean_query(self.raw_query)
            except search.QueryError as error:
                self.error = str(error)
        return super().get(request, *args, **kwargs)

    @property
    def asked(self):
        """Whether there is anything to look for: words, or a valid filter."""
        return bool(self.query or (self.filtered and not self.error))

    def get_queryset(self):
        if not self.asked or self.category_error or self.tag_error:
            return Comparison.objects.none()
        found = Comparison.objects.published()
        if self.category:
            found = found.filter(category__slug=self.category["slug"])
        if self.tag:
            found = found.filter(tags__slug=self.tag["slug"])
        if self.query:
            found = search.search(found, self.query)
        return found.defer("body", "search_document", "search_vector").select_related(
            "category", "tool_a", "tool_b", "verdict"
        )

    def get_meta_title(self):
        return f"Search: {self.query}" if self.query else "Search"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        parameters = {
            name: value
            for name, value in (
                ("q", self.query),
                ("category", self.category and self.category["slug"]),
                ("tag", self.tag and self.tag["slug"]),
            )
            if value
        }
        context.update(
            query=self.query,
            asked=self.asked,
            # What the reader typed goes back in the box, cut to a sane size.
            typed=self.raw_query.replace("\x00", "")[: search.MAX_QUERY_LENGTH * 2],
            error=self.error,
            category=self.category,
            tag=self.tag,
            category_error=self.category_error,
            tag_error=self.tag_error,
            filter_categories=self.choices["categories"],
            filter_tags=self.choices["tags"],
            results=[
                search.Result(
                    comparison,
                    search.snippet(comparison, self.query) if self.query else comparison.summary,
                )
                for comparison in context["comparisons"]
            ],
            page_query=urlencode(parameters),
            # Ranking stops at search.CANDIDATES matches: say so rather than give a false total.
            many=bool(self.query) and context["paginator"].count >= search.CANDIDATES,
            candidates=search.CANDIDATES,
        )
        return context
