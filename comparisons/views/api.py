"""
Read-only JSON for the ecosystem, published data only (README, “JSON”):

- `/api/tools/<slug>.json`: a tool readers can look up, its facts and its published comparisons;
- `/api/compare/<slug>.json`: a published article's structured data (tools and the versions
  compared, factors with their edges, the pick, the use-if texts, dates).

Cached like the pages (each response names its dependency tags); unknown or unpublished slugs
answer 404; the reversed pair of an article answers 301 to its canonical address.
"""

from django.conf import settings
from django.core.paginator import InvalidPage, Paginator
from django.http import Http404, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_GET

from .. import facts, invalidation
from ..models import Comparison, Criterion, Tool
from .articles import ComparisonDetailView

VERSION = 1
PAGE_SIZE = 100


def _absolute(path):
    return settings.SITE_URL + path


def _tool_summary(tool, version=""):
    data = {
        "slug": tool.slug,
        "name": tool.name,
        "url": _absolute(reverse("comparisons:tool", args=[tool.slug])),
        "api_url": _absolute(reverse("comparisons:api_tool", args=[tool.slug])),
    }
    if version is not None:
        data["version"] = version or None
    return data


def _date(value):
    return value.isoformat() if value else None


def _answer(data, deps):
    response = JsonResponse(
        {"api_version": VERSION, **data}, json_dumps_params={"ensure_ascii": False}
    )
    response["X-Robots-Tag"] = "noindex"  # data for programs; the pages are for search engines
    response.cache_deps = lambda: deps
    return response


def fact_data(fact):
    criterion = fact.criterion
    return {
        "criterion": {
            "slug": criterion.slug,
            "name": criterion.name,
            "kind": criterion.kind,
            **({"levels": criterion.level_list()} if criterion.kind == "scale" else {}),
        },
        "value": fact.value,
        "version": fact.version or None,
        "source_url": fact.source_url or None,
        "checked_on": _date(fact.checked_on),
    }


@require_GET
def tool_json(request, slug):
    """
    A public tool: what it is, its facts, and its published comparisons, newest first, a page
    of `PAGE_SIZE` at a time (`?page=2`; `comparisons_page` says how many pages and links the
    next), so a tool in 500 comparisons answers as fast as one in five.
    """
    tool = Tool.objects.with_record().filter(slug=slug).first()
    if tool is None or not (tool.compared or tool.considered):
        raise Http404("No such tool.")
    listed = (
        Comparison.objects.published()
        .with_tool(tool)
        .select_related("tool_a", "tool_b", "verdict")
        .only(
            "slug",
            "title",
            "published_at",
            "author",
            "tool_a__slug",
            "tool_b__slug",
            "verdict__pick",
        )
    )
    paginator = Paginator(listed, PAGE_SIZE, allow_empty_first_page=True)
    paginator.count = tool.compared  # counted with the tool: no second COUNT
    try:
        page = paginator.page(request.GET.get("page", 1))
    except InvalidPage as error:
        raise Http404("No such page.") from error
    comparisons = list(page.object_list)
    here = _absolute(reverse("comparisons:api_tool", args=[tool.slug]))
    data = {
        "tool": {
            **_tool_summary(tool, version=None),
            "summary": tool.summary,
            "website": tool.website or None,
        },
        "facts": [fact_data(fact) for fact in tool.facts.select_related("criterion")],
        "comparisons": [
            {
                "slug": comparison.slug,
                "title": comparison.title,
                "url": _absolute(comparison.get_absolute_url()),
                "api_url": _absolute(reverse("comparisons:api_compare", args=[comparison.slug])),
                "published_at": _date(comparison.published_at),
                "pick": _picked_slug(comparison),
            }
            for comparison in comparisons
        ],
        "comparisons_page": {
            "number": page.number,
            "pages": paginator.num_pages,
            "total": paginator.count,
            "next": f"{here}?page={page.next_page_number()}" if page.has_next() else None,
        },
    }
    deps = invalidation.for_cards(comparisons) | {
        invalidation.tool(tool.pk),
        invalidation.facts(tool.pk),
        invalidation.CRITERIA,
    }
    return _answer(data, deps)


def _picked_slug(comparison):
    verdict = getattr(comparison, "verdict", None)
    if verdict is None:
        return None
    tool = comparison.tool_a if verdict.pick == "a" else comparison.tool_b
    return tool.slug if tool else None


@require_GET
def compare_json(request, slug):
    """A published article's structured data; the reversed pair redirects."""
    comparison = (
        Comparison.objects.published().with_article_data().filter(slug=slug).order_by().first()
    )
    if comparison is None:
        canonical = ComparisonDetailView.find_canonical(slug)
        if canonical is None:
            raise Http404("No such comparison.")
        return redirect("comparisons:api_compare", slug=canonical.slug, permanent=True)
    from_facts = facts.fill_factor_values(comparison)
    criterion_slugs = (
        dict(
            Criterion.objects.filter(
                pk__in={factor.criterion_id for factor in comparison.factors.all()} - {None}
            ).values_list("pk", "slug")
        )
        if from_facts
        else {}
    )
    verdict = getattr(comparison, "verdict", None)
    tool_a, tool_b = comparison.tool_a, comparison.tool_b
    data = {
        "slug": comparison.slug,
        "url": _absolute(comparison.get_absolute_url()),
        "title": comparison.title,
        "subtitle": comparison.subtitle,
        "summary": comparison.summary,
        "category": {"slug": comparison.category.slug, "name": comparison.category.name},
        "tags": [tag.name for tag in comparison.tags.all()],
        "published_at": _date(comparison.published_at),
        "modified_at": _date(
            comparison.last_public_change or comparison.published_at or comparison.updated_at
        ),
        "last_reviewed": _date(comparison.last_reviewed),
        "tools": {
            "a": _tool_summary(tool_a, comparison.version_a) if tool_a else None,
            "b": _tool_summary(tool_b, comparison.version_b) if tool_b else None,
        },
        "factors": [
            {
                "name": factor.name,
                "criterion": criterion_slugs.get(factor.criterion_id),
                "a": factor.value_a,
                "b": factor.value_b,
                "edge": factor.edge or None,
            }
            for factor in comparison.factors.all()
        ],
        "verdict": None,
    }
    if verdict is not None:
        data["verdict"] = {
            "pick": verdict.pick,
            "picked_tool": _picked_slug(comparison),
            "headline": verdict.headline,
            "reason": verdict.reason,
            "use_a_if": verdict.use_a_if,
            "use_b_if": verdict.use_b_if,
            "consider": (
                {
                    "tool": (
                        _tool_summary(verdict.consider_tool, version=None)
                        if verdict.consider_tool
                        else None
                    ),
                    "note": verdict.consider_note,
                }
                if verdict.consider_tool or verdict.consider_note
                else None
            ),
            "bottom_line": verdict.bottom_line,
        }
    deps = invalidation.for_cards([comparison])
    if verdict is not None and verdict.consider_tool_id:
        deps.add(invalidation.tool(verdict.consider_tool_id))
    if from_facts:
        deps |= facts.deps_of_fact_rows(comparison)
    return _answer(data, deps)
