"""The home page, the article, and the staff preview of an article."""

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.db.models import Count
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.views.generic import DetailView, ListView
from taggit.models import Tag

from .. import facts, invalidation, latest, pagecache, pending, rendering, socialcards, workflow
from ..forms import FeedbackForm
from ..models import Category, Comparison, Feedback, authors, live
from .meta import SITE_NAME, KnownCountMixin, PageMetaMixin


class HomeView(pagecache.DependsMixin, KnownCountMixin, PageMetaMixin, ListView):
    """The latest published comparisons as cards, with the most used tags."""

    template_name = "comparisons/home.html"
    context_object_name = "comparisons"
    paginate_by = 12

    def get_queryset(self):
        return Comparison.objects.published().with_card_data()

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

    def get_cache_deps(self, context):
        return invalidation.for_cards(context["comparisons"])


def popular_tags(count=12):
    """The most used tags, kept until the published set changes."""
    return tag_index()[:count]


def tag_index():
    """
    Every tag in use with its count, most used first. A count over every tagged live article
    (400,000 rows at 100,000 articles): computed once per change to what is published, shared
    by every worker (pagecache.remember) and by the tag pages' paginators.
    """
    return pagecache.remember("tag-index", {invalidation.PUBLISHED}, lambda: list(tags_in_use()))


def tags_in_use():
    """Tags of published comparisons with how many each has, most used first."""
    return (
        Tag.objects.filter(live("comparisons_taggedcomparison_items__content_object__"))
        .annotate(count=Count("comparisons_taggedcomparison_items"))
        .order_by("-count", "name")
    )


class ArticleMetaMixin(pagecache.DependsMixin, PageMetaMixin):
    og_type = "article"

    def get_meta_title(self):
        comparison = self.object
        if comparison.subtitle:
            return f"{comparison.title}: {comparison.subtitle}"
        return comparison.title

    def get_meta_description(self):
        return self.object.summary

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["related"] = Comparison.objects.published().related_to(self.object)
        context["jsonld"] = article_jsonld(self.object)
        context["tally"] = Feedback.objects.tally(self.object)
        context["form"] = FeedbackForm(comparison=self.object)
        context["feedback_sent"] = self.request.GET.get("feedback") == "sent"
        context["facts_stale"] = self.object.facts_stale()
        context["stale_after_days"] = settings.NICEPICK_STALE_AFTER_DAYS
        context["toc"] = table_of_contents(self.object)
        context["fact_rows"] = facts.fill_factor_values(self.object)
        context["matrix_url"] = article_matrix_url(self.object)
        if self.object.social_card:
            context["social_card_alt"] = socialcards.alt_text(self.object)
        return context

    def get_cache_deps(self, context):
        comparison = self.object
        tags = invalidation.for_cards([comparison])
        # The related list shows titles only; its rows carry no more (a deferred field read
        # here would cost a query per row on every cache miss).
        tags.update(invalidation.comparison(other.pk) for other in context["related"])
        tags.add(invalidation.tally(comparison.pk))
        verdict = getattr(comparison, "verdict", None)
        if verdict is not None and verdict.consider_tool_id:
            tags.add(invalidation.tool(verdict.consider_tool_id))
        if context["fact_rows"]:
            tags |= facts.deps_of_fact_rows(comparison)
        return tags


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


class ComparisonDetailView(ArticleMetaMixin, DetailView):
    """
    One article. The reversed pair (“express-vs-flask” for “flask-vs-express”) and any other
    spelling of the pair answer 301 to the canonical address.
    """

    context_object_name = "comparison"

    def get_queryset(self):
        # No ORDER BY for a single row: the slug's unique index finds it.
        return Comparison.objects.published().with_article_data().order_by()

    def get(self, request, *args, **kwargs):
        try:
            return super().get(request, *args, **kwargs)
        except Http404:
            canonical = self.find_canonical(kwargs["slug"])
            if canonical is None:
                raise
            return redirect(canonical, permanent=True)

    @staticmethod
    def find_canonical(slug):
        tool_slugs = slug.split("-vs-")
        if len(tool_slugs) != 2:
            return None
        return Comparison.objects.published().for_tool_slugs(*tool_slugs).only("slug").first()


class ComparisonPreviewView(ArticleMetaMixin, DetailView):
    """
    Any state of an article, as readers would see it, for staff who may change it (and its
    author). Never indexed, never cached. Others get the login page, or a 404 that does not
    tell them the article exists.
    """

    context_object_name = "comparison"
    template_name = "comparisons/comparison_detail.html"

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
    return pagecache.remember(
        "category-index", {invalidation.PUBLISHED}, lambda: list(Category.objects.in_use())
    )


def published_count():
    """How many articles readers can see; kept like tag_index."""
    return pagecache.remember(
        "published-count", {invalidation.PUBLISHED}, Comparison.objects.published().count
    )
