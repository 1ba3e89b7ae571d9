"""The home page, the article, and the staff preview of an article."""

from typing import NamedTuple

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.db.models import Count
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.views import View
from django.views.generic import DetailView, ListView
from django.views.generic.base import ContextMixin, TemplateResponseMixin
from taggit.models import Tag

from .. import facts, invalidation, latest, pagecache, pending, rendering, socialcards, workflow
from ..forms import FeedbackForm
from ..models import (
    Category,
    Comparison,
    Feedback,
    TaggedComparison,
    authors,
    earliest,
    goes_live,
    live,
    released,
)
from ..templatetags.nicepick import tool_name
from .card_lists import CardListMixin
from .meta import SITE_NAME, KnownCountMixin, PageMetaMixin


class HomeView(CardListMixin, pagecache.DependsMixin, KnownCountMixin, PageMetaMixin, ListView):
    """The latest published comparisons as cards, with the most used tags."""

    template_name = "comparisons/home.html"
    context_object_name = "comparisons"
    paginate_by = 12

    def get_card_queryset(self):
        return Comparison.objects.published()

    def known_count(self):
        return published_count()

    def get_meta_title(self):
        return f"{SITE_NAME} — opinionated technology comparisons"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["popular_tags"] = popular_tags()
        if context["page_obj"].number == 1:
            # Evaluates the page's own queryset, which the template then reuses: no query added.
            latest.remember(latest.as_items(list(context["comparisons"])[: latest.COUNT]))
        return context


def popular_tags(count=12):
    """The most used tags, kept until the published set changes."""
    return tag_index()[:count]


def tag_index():
    """
    Every tag in use with its count, most used first. A count over every tagged live article
    (400,000 rows at 100,000 articles): computed once per change to what is published, shared
    by every worker (pagecache.remember_live) and by the tag pages' paginators.
    """
    return pagecache.remember_live("tags-counted", {invalidation.PUBLISHED}, counted_tags)


class TagCount(NamedTuple):
    """
    A tag in use, how many live articles have it and its page's address: plain values, cheap
    to read back (the home page and the tag index link many).
    """

    pk: int
    name: str
    slug: str
    count: int
    url: str


def counted_tags():
    """
    Tags of published comparisons with how many each has, most used first, and when the
    first scheduled one among the tagged goes live (`pagecache.remember_live`). The tagged rows
    are counted by tag id alone, then the few tags named: grouping the join of every tagged
    row with its tag's name and address took a third as long again (89 → 119 ms at 100,000).
    """
    now = timezone.now()
    rows = list(
        TaggedComparison.objects.filter(released("content_object__"))
        .values_list("tag_id")
        .annotate(
            count=Count("pk", filter=live("content_object__", now)),
            due=goes_live(now, "content_object__"),
        )
        .order_by()
    )
    counts = {tag_id: count for tag_id, count, _due in rows if count}
    tags = Tag.objects.filter(pk__in=counts).values_list("pk", "name", "slug")
    counted = sorted(
        (
            TagCount(pk, name, slug, counts[pk], reverse("comparisons:tag", args=[slug]))
            for pk, name, slug in tags
        ),
        key=lambda tag: (-tag.count, tag.name),
    )
    return counted, earliest(due for _tag_id, _count, due in rows)


def article_parts(comparison):
    """
    What an article page shows the same to every reader — its head (social card, JSON-LD), the
    article, the related list, the invitation to disagree — as HTML, with the dependency tags
    of what it shows. `comparison` comes from `with_article_data()`.

    Readers' pages keep these parts (`pagecache.keep`) until one of those tags changes: a
    reader's note, which changes only the tally, costs the next reader a page built from the
    kept parts and one query; so does an article whose page is not in the page cache.
    """
    related = list(Comparison.objects.published().related_to(comparison))
    fact_rows = facts.fill_factor_values(comparison)
    context = {
        "comparison": comparison,
        "related": related,
        "jsonld": article_jsonld(comparison),
        "form": FeedbackForm(comparison=comparison),
        "facts_stale": comparison.facts_stale(),
        "stale_after_days": settings.NICEPICK_STALE_AFTER_DAYS,
        "toc": table_of_contents(comparison),
        "fact_rows": fact_rows,
        "matrix_url": article_matrix_url(comparison),
        "site_url": settings.SITE_URL,
    }
    if comparison.social_card:
        context["social_card_alt"] = socialcards.alt_text(comparison)
    parts = {
        "pk": comparison.pk,
        "title": article_title(comparison),
        "description": comparison.summary,
        "name_a": tool_name(comparison.tool_a, "a"),
        "name_b": tool_name(comparison.tool_b, "b"),
    }
    for name in ("head", "main", "invite"):
        parts[name] = render_to_string(f"comparisons/includes/article_{name}.html", context)
    tags = invalidation.for_cards([comparison])
    # The related list shows titles only; its rows carry no more (a deferred field read here
    # would cost a query per row).
    tags.update(invalidation.comparison(other.pk) for other in related)
    verdict = getattr(comparison, "verdict", None)
    if verdict is not None and verdict.consider_tool_id:
        tags.add(invalidation.tool(verdict.consider_tool_id))
    if fact_rows:
        tags |= facts.deps_of_fact_rows(comparison)
    return parts, tags


def article_title(comparison):
    if comparison.subtitle:
        return f"{comparison.title}: {comparison.subtitle}"
    return comparison.title


def find_article(slug):
    """The published article at this address, with everything its page shows; or 404."""
    # No ORDER BY for a single row: the slug's unique index finds it.
    found = Comparison.objects.published().with_article_data().order_by()
    return get_object_or_404(found, slug=slug)


# An article's parts change with the article, its tools, facts and byline and the articles it
# lists as related (all invalidated precisely), and with time only where a scheduled article
# joins a related list or facts pass the age at which they are flagged: an hour bounds those.
ARTICLE_PARTS_SECONDS = 60 * 60


def kept_article_parts(slug):
    """The parts of the published article at this address, kept until what they show changes."""
    return pagecache.keep(
        f"article:{slug}", lambda: article_parts(find_article(slug)), ARTICLE_PARTS_SECONDS
    )


def kept_tally(pk):
    """An article's readers' tally, kept until one of its notes is added, changed or removed."""
    tally, _tags = pagecache.keep(
        f"tally:{pk}", lambda: (Feedback.objects.tally(pk), {invalidation.tally(pk)})
    )
    return tally


class ArticlePageMixin(pagecache.DependsMixin, PageMetaMixin):
    """An article page built from its parts (`article_parts`) and the readers' tally."""

    og_type = "article"
    template_name = "comparisons/comparison_detail.html"

    def get_article_parts(self):
        """(parts, tags) of the article shown: rendered afresh unless a view keeps them."""
        return article_parts(self.object)

    def get_tally(self, pk):
        """The readers' tally: counted afresh unless a view keeps it."""
        return Feedback.objects.tally(pk)

    def get_meta_title(self):
        return self.parts["title"]

    def get_meta_description(self):
        return self.parts["description"]

    def get_context_data(self, **kwargs):
        self.parts, self.part_tags = self.get_article_parts()
        context = super().get_context_data(**kwargs)
        context["parts"] = self.parts  # the HTML parts are SafeStrings, kept as such
        context["tally"] = self.get_tally(self.parts["pk"])
        context["feedback_sent"] = self.request.GET.get("feedback") == "sent"
        return context

    def get_cache_deps(self, context):
        return set(self.part_tags) | {invalidation.tally(self.parts["pk"])}


def article_matrix_url(comparison):
    """The matrix of the article's two tools and the third option it suggests, if any."""
    if not (comparison.tool_a_id and comparison.tool_b_id):
        return None
    tools = [comparison.tool_a, comparison.tool_b]
    verdict = getattr(comparison, "verdict", None)
    if verdict is not None and verdict.consider_tool is not None:
        tools.append(verdict.consider_tool)
    return facts.matrix_url(tools)


# Articles with at least this many sections in their body get a table of contents.
TOC_MIN_SECTIONS = 3


def table_of_contents(comparison):
    """The body's sections (read from the stored HTML, never rendered here), if it is long."""
    sections = rendering.headings(comparison.body_html)
    return sections if len(sections) >= TOC_MIN_SECTIONS else []


def article_jsonld(comparison):
    """schema.org `Article` for search engines: dates, author and the two tools it is about."""
    url = settings.SITE_URL + comparison.get_absolute_url()
    data = {
        "@context": "https://schema.org",
        "@type": "Article",
        "headline": comparison.title[:110],
        "description": comparison.summary,
        "url": url,
        "mainEntityOfPage": url,
        # The last change readers were told about (minor fixes do not count).
        "dateModified": (
            comparison.last_public_change or comparison.published_at or comparison.updated_at
        ).isoformat(),
        "publisher": {"@type": "Organization", "name": SITE_NAME, "url": settings.SITE_URL},
        "keywords": [tag.name for tag in comparison.tags.all()],
        "about": [
            {
                "@type": "SoftwareApplication",
                "name": tool.name,
                **({"url": tool.website} if tool.website else {}),
            }
            for tool in (comparison.tool_a, comparison.tool_b)
            if tool is not None
        ],
    }
    if comparison.published_at:
        data["datePublished"] = comparison.published_at.isoformat()
    data["author"] = author_jsonld(comparison.author)
    return data


def author_jsonld(user):
    """The byline as schema.org: the author when their byline is public, else the editors."""
    byline = authors.byline(user)
    if byline.url:
        return {"@type": "Person", "name": byline.name, "url": settings.SITE_URL + byline.url}
    about = settings.SITE_URL + reverse("about")
    return {"@type": "Organization", "name": byline.name, "url": about}


class ComparisonDetailView(ArticlePageMixin, TemplateResponseMixin, ContextMixin, View):
    """
    One article. The reversed pair (“express-vs-flask” for “flask-vs-express”) and any other
    spelling of the pair answer 301 to the canonical address.

    Its parts are kept between changes under its slug and its tally until a note changes it, so
    an article whose parts and tally are kept costs no query however it was reached. Parts are
    only ever kept for a published article, and unpublishing, archiving or changing it changes
    the tags they depend on.
    """

    def get(self, request, *args, **kwargs):
        self.slug = kwargs["slug"]
        try:
            context = self.get_context_data()
        except Http404:
            canonical = self.find_canonical(self.slug)
            if canonical is None:
                raise
            return redirect(canonical, permanent=True)
        return self.render_to_response(context)

    def get_article_parts(self):
        if pagecache.is_staff_browser(self.request):
            # Editors see what is in the database now, as they do every page.
            return article_parts(find_article(self.slug))
        return kept_article_parts(self.slug)

    def get_tally(self, pk):
        if pagecache.is_staff_browser(self.request):
            return super().get_tally(pk)
        return kept_tally(pk)

    @staticmethod
    def find_canonical(slug):
        tool_slugs = slug.split("-vs-")
        if len(tool_slugs) != 2:
            return None
        return Comparison.objects.published().for_tool_slugs(*tool_slugs).only("slug").first()


class ComparisonPreviewView(ArticlePageMixin, DetailView):
    """
    Any state of an article, as readers would see it, for staff who may change it (and its
    author). Never indexed, never cached. Others get the login page, or a 404 that does not
    tell them the article exists.
    """

    context_object_name = "comparison"

    def dispatch(self, request, *args, **kwargs):
        if not (request.user.is_authenticated and request.user.is_staff):
            return redirect_to_login(request.get_full_path(), reverse("admin:login"))
        response = super().dispatch(request, *args, **kwargs)
        response["X-Robots-Tag"] = "noindex, nofollow"
        response["Cache-Control"] = "private, no-store"
        return response

    def get_queryset(self):
        return Comparison.objects.with_article_data()

    def get_object(self, queryset=None):
        comparison = super().get_object(queryset)
        copy = pending.copy_of(comparison)
        if copy is not None:
            # A live article with pending changes: the preview shows what would go live.
            comparison = self.get_queryset().get(pk=copy.pk)
            comparison.slug = copy.draft_of.slug
        if not workflow.can_preview(self.request.user, comparison):
            raise Http404("No comparison found.")
        return comparison

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["preview"] = True
        context["preview_state"] = workflow.state_label(self.object)
        return context


def category_index():
    """Every category in use with its count, in the navigation's order; kept like tag_index."""
    return pagecache.remember_live("category-index", {invalidation.PUBLISHED}, counted_categories)


def counted_categories():
    """Categories with live comparisons, each with its `count`, and when the counts change."""
    categories = list(Category.objects.counted(timezone.now()))
    due = earliest(category.due for category in categories)
    return [category for category in categories if category.count], due


def published_count():
    """How many articles readers can see; kept like tag_index."""
    return live_totals()["count"]


def live_totals():
    """
    {"count": how many comparisons readers can see, "due": when the first scheduled one goes
    live, or None}: one query per change to what is published, shared by every worker; the
    page cache reads "due" to know how long a page holds (`pagecache.page_seconds`).
    """

    def count():
        now = timezone.now()
        totals = Comparison.objects.filter(released()).aggregate(
            count=Count("pk", filter=live(now=now)), due=goes_live(now)
        )
        return totals, totals["due"]

    return pagecache.remember_live(pagecache.LIVE_TOTALS, {invalidation.PUBLISHED}, count)
