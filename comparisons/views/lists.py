"""Browsing: the tag index, a tag's comparisons, a category's comparisons, a tool's page."""

import re

from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.views.generic import DetailView, ListView
from taggit.models import Tag

from .. import facts, invalidation
from ..models import Category, Comparison, Side, Tool
from ..pagecache import DependsMixin
from .articles import tags_in_use
from .meta import PageMetaMixin

PAGE_SIZE = 12


TAG_SLUG = re.compile(r"[-\w]+")


def find_tag(slug):
    """
    The tag with this slug in any letter case, if a published comparison uses it; None for
    unknown or malformed slugs and for tags used only on unpublished ones (which readers must
    not learn exist, not even through a redirect to the canonical letter case).
    """
    if len(slug) > 100 or not TAG_SLUG.fullmatch(slug):
        return None
    return (
        Tag.objects.filter(
            slug__iexact=slug,
            comparisons_taggedcomparison_items__content_object__in=Comparison.objects.published(),
        )
        .order_by("pk")
        .first()
    )


class TagIndexView(DependsMixin, PageMetaMixin, ListView):
    """Every tag in use on a published comparison, with its count."""

    template_name = "comparisons/tag_index.html"
    context_object_name = "tags"

    def get_queryset(self):
        return tags_in_use().order_by("name")

    def get_meta_title(self):
        return "All tags"

    def get_meta_description(self):
        return "Every topic our technology comparisons cover, with how many each has."


class TagView(DependsMixin, PageMetaMixin, ListView):
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

    def get_queryset(self):
        return Comparison.objects.published().filter(tags=self.tag).with_card_data()

    def get_meta_title(self):
        return f"Comparisons tagged “{self.tag.name}”"

    def get_meta_description(self):
        return f"Technology comparisons about {self.tag.name}, newest first, each with a pick."

    def get_context_data(self, **kwargs):
        return super().get_context_data(tag=self.tag, **kwargs)

    def get_cache_deps(self, context):
        return invalidation.for_cards(context["comparisons"])


class CategoryIndexView(DependsMixin, PageMetaMixin, ListView):
    """Every category with published comparisons, in the navigation's order, with its count."""

    template_name = "comparisons/category_index.html"
    context_object_name = "categories"

    def get_queryset(self):
        return Category.objects.in_use()

    def get_meta_title(self):
        return "All categories"

    def get_meta_description(self):
        return "Every field our technology comparisons cover, with how many each has."


class CategoryView(DependsMixin, PageMetaMixin, ListView):
    template_name = "comparisons/category_detail.html"
    context_object_name = "comparisons"
    paginate_by = PAGE_SIZE

    def get(self, request, *args, **kwargs):
        self.category = get_object_or_404(Category, slug=kwargs["slug"])
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        return Comparison.objects.published().filter(category=self.category).with_card_data()

    def get_meta_title(self):
        return f"{self.category.name} comparisons"

    def get_meta_description(self):
        return self.category.description or f"Technology comparisons in {self.category.name}."

    def get_context_data(self, **kwargs):
        return super().get_context_data(category=self.category, **kwargs)

    def get_cache_deps(self, context):
        return invalidation.for_cards(context["comparisons"])


class ToolView(DependsMixin, PageMetaMixin, DetailView):
    """
    A tool's page: what it is, every published comparison it is in, its record (picks won and
    lost, times suggested as the third option) and the tools it has been compared with.
    """

    model = Tool
    template_name = "comparisons/tool_detail.html"
    context_object_name = "tool"

    def get_context_data(self, **kwargs):
        tool = self.object
        published = Comparison.objects.published()
        comparisons = list(published.filter(Q(tool_a=tool) | Q(tool_b=tool)).with_card_data())
        considered = list(
            published.filter(verdict__consider_tool=tool).select_related(
                "tool_a", "tool_b", "verdict"
            )
        )
        if not comparisons and not considered:
            raise Http404("No published comparison involves this tool.")
        record = {"won": 0, "lost": 0, "considered": len(considered)}
        alternatives = {}
        for comparison in comparisons:
            side = Side.A if comparison.tool_a_id == tool.pk else Side.B
            other = comparison.tool_b if side == Side.A else comparison.tool_a
            verdict = getattr(comparison, "verdict", None)
            outcome = None
            if verdict is not None:
                outcome = "won" if verdict.pick == side else "lost"
                record[outcome] += 1
            comparison.outcome = outcome
            if other is not None:
                alternatives.setdefault(other.pk, {"tool": other, "comparison": comparison})
        # The matrix with its most recent alternatives (comparisons come newest first).
        matrix_tools = [tool, *[a["tool"] for a in alternatives.values()][: facts.MAX_TOOLS - 1]]
        return super().get_context_data(
            comparisons=comparisons,
            considered=considered,
            record=record,
            alternatives=sorted(alternatives.values(), key=lambda a: a["tool"].name.lower()),
            tool_facts=list(tool.facts.select_related("criterion")),
            matrix_url=facts.matrix_url(matrix_tools) if len(matrix_tools) > 1 else None,
            **kwargs,
        )

    def get_cache_deps(self, context):
        tags = invalidation.for_cards([*context["comparisons"], *context["considered"]])
        tags |= {
            invalidation.tool(self.object.pk),
            invalidation.facts(self.object.pk),
            invalidation.CRITERIA,
        }
        return tags

    def get_meta_title(self):
        return f"{self.object.name}: comparisons and alternatives"

    def get_meta_description(self):
        return self.object.summary or f"How {self.object.name} fares against the alternatives."
