"""Browsing: the tag index, a tag's comparisons, a category's comparisons, a tool's page."""

import re

from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.views.generic import ListView

from .. import facts, invalidation
from ..models import Category, Comparison, Side, Tool
from ..pagecache import DependsMixin
from .articles import category_index, tag_index
from .card_lists import CardListMixin
from .meta import KnownCountMixin, PageMetaMixin

PAGE_SIZE = 12


TAG_SLUG = re.compile(r"[-\w]+")


def find_tag(slug):
    """
    The tag with this slug in any letter case, if a published comparison uses it (a
    `TagCount`, from the kept tag index: no query); None for unknown or malformed slugs and for
    tags used only on unpublished ones (which readers must not learn exist, not even through a
    redirect to the canonical letter case).
    """
    if len(slug) > 100 or not TAG_SLUG.fullmatch(slug):
        return None
    wanted = slug.lower()
    found = [tag for tag in tag_index() if tag.slug.lower() == wanted]
    return min(found, key=lambda tag: tag.pk, default=None)


class TagIndexView(DependsMixin, PageMetaMixin, ListView):
    """Every tag in use on a published comparison, with its count."""

    template_name = "comparisons/tag_index.html"
    context_object_name = "tags"

    def get_queryset(self):
        return sorted(tag_index(), key=lambda tag: tag.name.casefold())

    def get_meta_title(self):
        return "All tags"

    def get_meta_description(self):
        return "Every topic our technology comparisons cover, with how many each has."


class TagView(CardListMixin, DependsMixin, KnownCountMixin, PageMetaMixin, ListView):
    """A tag's published comparisons, newest first. “Django” and “django” are one tag."""

    template_name = "comparisons/tag_detail.html"
    context_object_name = "comparisons"
    paginate_by = PAGE_SIZE
    allow_empty = False  # a tag used only on drafts does not exist for readers

    def get(self, request, *args, **kwargs):
        self.tag = find_tag(kwargs["slug"])
        if self.tag is None:
            raise Http404("No such tag.")
        if self.tag.slug != kwargs["slug"]:
            return redirect("comparisons:tag", slug=self.tag.slug, permanent=True)
        return super().get(request, *args, **kwargs)

    def get_card_queryset(self):
        return Comparison.objects.published().filter(tags=self.tag.pk)

    def known_count(self):
        return self.tag.count

    def get_meta_title(self):
        return f"Comparisons tagged “{self.tag.name}”"

    def get_meta_description(self):
        return f"Technology comparisons about {self.tag.name}, newest first, each with a pick."

    def get_context_data(self, **kwargs):
        return super().get_context_data(tag=self.tag, **kwargs)


class CategoryIndexView(DependsMixin, PageMetaMixin, ListView):
    """Every category with published comparisons, in the navigation's order, with its count."""

    template_name = "comparisons/category_index.html"
    context_object_name = "categories"

    def get_queryset(self):
        return category_index()

    def get_meta_title(self):
        return "All categories"

    def get_meta_description(self):
        return "Every field our technology comparisons cover, with how many each has."


class CategoryView(CardListMixin, DependsMixin, KnownCountMixin, PageMetaMixin, ListView):
    template_name = "comparisons/category_detail.html"
    context_object_name = "comparisons"
    paginate_by = PAGE_SIZE

    def get(self, request, *args, **kwargs):
        self.category = get_object_or_404(Category, slug=kwargs["slug"])
        return super().get(request, *args, **kwargs)

    def get_card_queryset(self):
        return Comparison.objects.published().filter(category=self.category)

    def known_count(self):
        listed = category_index()
        return next((category.count for category in listed if category.pk == self.category.pk), 0)

    def get_meta_title(self):
        return f"{self.category.name} comparisons"

    def get_meta_description(self):
        return self.category.description or f"Technology comparisons in {self.category.name}."

    def get_context_data(self, **kwargs):
        return super().get_context_data(category=self.category, **kwargs)


OUTCOME_FIELDS = (
    "slug",
    "title",
    "summary",
    "author_id",
    "tool_a__name",
    "tool_a__slug",
    "tool_b__name",
    "tool_b__slug",
    "verdict__pick",
)


class ToolView(DependsMixin, KnownCountMixin, PageMetaMixin, ListView):
    """
    A tool's page: what it is, its record (picks won and lost, times suggested as the third
    option, counted in the database), its published comparisons newest first a page at a time,
    the tools it has been compared with on that page and where it was the third option (the
    newest few). A tool in 500 comparisons costs what a tool in five does.
    """

    template_name = "comparisons/tool_detail.html"
    context_object_name = "comparisons"
    paginate_by = PAGE_SIZE
    considered_shown = PAGE_SIZE

    def get(self, request, *args, **kwargs):
        self.tool = get_object_or_404(Tool.objects.with_record(), slug=kwargs["slug"])
        if not self.tool.compared and not self.tool.considered:
            raise Http404("No published comparison involves this tool.")
        tool = self.tool
        self.record = {
            "won": tool.won,
            "lost": tool.judged - tool.won,
            "considered": tool.considered,
            "compared": tool.compared,
        }
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        # Only what the list of outcomes and the alternatives show (not a card's tags, author
        # and category): the query and the rows it builds are most of a cold tool page.
        return (
            Comparison.objects.published()
            .with_tool(self.tool)
            .select_related("tool_a", "tool_b", "verdict")
            .only(*OUTCOME_FIELDS)
        )

    def known_count(self):
        return self.record["compared"]  # counted with the tool

    def get_context_data(self, **kwargs):
        tool, record = self.tool, self.record
        considered = []
        if record["considered"]:
            considered = list(
                Comparison.objects.published()
                .filter(verdict__consider_tool=tool)
                .select_related("tool_a", "tool_b", "verdict")[: self.considered_shown]
            )
        context = super().get_context_data(
            tool=tool, considered=considered, record=record, **kwargs
        )
        alternatives = {}
        for comparison in context["comparisons"]:
            side = Side.A if comparison.tool_a_id == tool.pk else Side.B
            other = comparison.tool_b if side == Side.A else comparison.tool_a
            verdict = getattr(comparison, "verdict", None)
            comparison.outcome = None
            if verdict is not None:
                comparison.outcome = "won" if verdict.pick == side else "lost"
            if other is not None:
                alternatives.setdefault(other.pk, {"tool": other, "comparison": comparison})
        # The matrix with its most recent alternatives (comparisons come newest first).
        matrix_tools = [tool, *[a["tool"] for a in alternatives.values()][: facts.MAX_TOOLS - 1]]
        context.update(
            alternatives=sorted(alternatives.values(), key=lambda a: a["tool"].name.lower()),
            tool_facts=list(tool.facts.select_related("criterion")),
            matrix_url=facts.matrix_url(matrix_tools) if len(matrix_tools) > 1 else None,
        )
        return context

    def get_cache_deps(self, context):
        tags = invalidation.for_cards([*context["comparisons"], *context["considered"]])
        tags |= {
            invalidation.tool(self.tool.pk),
            invalidation.facts(self.tool.pk),
            invalidation.CRITERIA,
        }
        return tags

    def get_meta_title(self):
        return f"{self.tool.name}: comparisons and alternatives"

    def get_meta_description(self):
        return self.tool.summary or f"How {self.tool.name} fares against the alternatives."
