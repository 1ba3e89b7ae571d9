"""
A tool's page, built from parts kept between changes.

- The tool's *part* (`tool_part`): its header, record (picks won and lost, times suggested as
  the third option), facts and the newest comparisons suggesting it, rendered once and kept
  until the tool, its facts, the criteria, the published set or a verdict changes.
- Its comparisons, newest first a page at a time: the page reads which ones (one narrow query)
  and takes each row's HTML — the comparison's title and summary, won or lost from this
  tool's side — from rows kept per tool and comparison (`pagecache.keep_many`), like a list's
  cards. The alternatives are the other tools of the rows on the page.

So a tool page that is not in the page cache costs one query and little template work, and an
edit of one comparison re-renders one row. A tool in 500 comparisons costs what one in five does.
"""

from typing import NamedTuple

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.urls import reverse
from django.views.generic import ListView

from .. import facts, invalidation, pagecache
from ..models import Comparison, Side, Tool
from ..pagecache import DependsMixin
from .lists import PAGE_SIZE
from .meta import KnownCountMixin, PageMetaMixin

# How many of the comparisons suggesting the tool as the third option its page lists.
CONSIDERED_SHOWN = PAGE_SIZE

# A row shows nothing that time alone changes: kept until its comparison or tools change, or a
# day. The tool's part counts live comparisons, which a scheduled one joins when its time comes
# (no change marks that): it lives a page's lifetime, like the page.
ROW_SECONDS = 24 * 60 * 60


class Alternative(NamedTuple):
    """Another tool a row compares this one with, and the comparison that does."""

    pk: int
    name: str
    slug: str
    url: str
    comparison_title: str
    comparison_url: str


def tool_part(slug):
    """
    (part, tags): what a tool's page shows whatever its page number — its pk, name, slug,
    summary and record, and the HTML of its header (`head`) and of the comparisons suggesting
    it as the third option (`considered`). Raises Http404 for unknown tools and tools no
    published comparison involves.
    """
    tool = get_object_or_404(Tool.objects.with_record(), slug=slug)
    if not tool.compared and not tool.considered:
        raise Http404("No published comparison involves this tool.")
    record = {
        "won": tool.won,
        "lost": tool.judged - tool.won,
        "considered": tool.considered,
        "compared": tool.compared,
    }
    considered = []
    if record["considered"]:
        considered = list(
            Comparison.objects.published()
            .filter(verdict__consider_tool=tool)
            .select_related("verdict")
            .only("slug", "title", "tool_a_id", "tool_b_id", "author_id", "verdict__consider_note")[
                :CONSIDERED_SHOWN
            ]
        )
    context = {
        "tool": tool,
        "record": record,
        "tool_facts": list(tool.facts.select_related("criterion")),
        "considered": considered,
    }
    part = {
        "pk": tool.pk,
        "name": tool.name,
        "slug": tool.slug,
        "summary": tool.summary,
        "record": record,
        "head": render_to_string("comparisons/includes/tool_head.html", context),
        "considered": render_to_string("comparisons/includes/tool_considered.html", context),
    }
    tags = invalidation.for_cards(considered) | {
        invalidation.tool(tool.pk),
        invalidation.facts(tool.pk),
        invalidation.CRITERIA,
        invalidation.VERDICTS,
    }
    return part, tags


def kept_tool_part(slug):
    return pagecache.keep(f"tool:{slug}", lambda: tool_part(slug))


# What the page reads of each of its comparisons: enough to find its row and name its tags.
ROW_KEYS = ("pk", "tool_a_id", "tool_b_id", "author_id")

# What a row shows.
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


def kept_rows(tool_pk, rows):
    """{comparison pk: (html, Alternative or None)} of these rows of this tool's list."""
    keys = {f"outcome:{tool_pk}:{row.pk}": row.pk for row in rows}

    def render(missing):
        pks = [keys[key] for key in missing]
        found = (
            Comparison.objects.filter(pk__in=pks)
            .select_related("tool_a", "tool_b", "verdict")
            .only(*OUTCOME_FIELDS)
        )
        return {
            f"outcome:{tool_pk}:{comparison.pk}": (
                render_row(tool_pk, comparison),
                invalidation.for_comparison(comparison),
            )
            for comparison in found
        }

    kept = pagecache.keep_many(list(keys), render, ROW_SECONDS)
    return {pk: kept[key][0] for key, pk in keys.items() if key in kept}


def render_row(tool_pk, comparison):
    """A row of a tool's list: (HTML, the other tool as an `Alternative`, or None)."""
    side = Side.A if comparison.tool_a_id == tool_pk else Side.B
    other = comparison.tool_b if side == Side.A else comparison.tool_a
    verdict = getattr(comparison, "verdict", None)
    outcome = None
    if verdict is not None:
        outcome = "won" if verdict.pick == side else "lost"
    html = render_to_string(
        "comparisons/includes/tool_outcome.html",
        {"comparison": comparison, "outcome": outcome, "verdict": verdict},
    )
    alternative = None
    if other is not None:
        alternative = Alternative(
            other.pk,
            other.name,
            other.slug,
            reverse("comparisons:tool", args=[other.slug]),
            comparison.title,
            comparison.get_absolute_url(),
        )
    return html, alternative


class ToolView(DependsMixin, KnownCountMixin, PageMetaMixin, ListView):
    """
    A tool's page: its kept part (header, record, facts, where it was the third option), its
    published comparisons newest first a page at a time from kept rows, and the tools it has
    been compared with on that page.
    """

    template_name = "comparisons/tool_detail.html"
    context_object_name = "comparisons"
    paginate_by = PAGE_SIZE

    def get(self, request, *args, **kwargs):
        self.part, self.part_tags = kept_tool_part(kwargs["slug"])
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        return Comparison.objects.published().with_tool(self.part["pk"]).only(*ROW_KEYS)

    def known_count(self):
        return self.part["record"]["compared"]  # counted with the tool

    def get_context_data(self, **kwargs):
        context = super().get_context_data(part=self.part, **kwargs)
        tool_pk = self.part["pk"]
        kept = kept_rows(tool_pk, context["comparisons"])
        rows = [kept[row.pk] for row in context["comparisons"] if row.pk in kept]
        alternatives = {}
        for _html, other in rows:  # newest first: each tool with its latest comparison
            if other is not None:
                alternatives.setdefault(other.pk, other)
        # The matrix with its most recent alternatives.
        slugs = [self.part["slug"], *[a.slug for a in alternatives.values()]]
        slugs = slugs[: facts.MAX_TOOLS]
        context.update(
            rows=[html for html, _other in rows],
            alternatives=sorted(alternatives.values(), key=lambda a: a.name.lower()),
            matrix_url=facts.matrix_url_of_slugs(slugs) if len(slugs) > 1 else None,
        )
        return context

    def get_cache_deps(self, context):
        return set(self.part_tags) | invalidation.for_cards(context["comparisons"])

    def get_meta_title(self):
        return f"{self.part['name']}: comparisons and alternatives"

    def get_meta_description(self):
        return self.part["summary"] or f"How {self.part['name']} fares against the alternatives."
