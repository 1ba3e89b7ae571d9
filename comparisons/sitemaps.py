"""
`/sitemap.xml`: published comparisons and the tag, category, tool and author pages that list
them. Preview links are never in it.
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.db.models import Max
from django.urls import reverse
from taggit.models import Tag

from .models import AuthorProfile, Category, Comparison


class SiteSitemap(Sitemap):
    """Absolute addresses come from SITE_URL, not from whatever Host the request named."""

    @property
    def protocol(self):
        return urlsplit(settings.SITE_URL).scheme or "https"

    def get_domain(self, site=None):
        return urlsplit(settings.SITE_URL).netloc


class ComparisonSitemap(SiteSitemap):
    changefreq = "monthly"
    priority = 0.8

    def items(self):
        # A list, not a queryset: the paginator then needs no COUNT query.
        return list(Comparison.objects.published().only("slug", "updated_at").order_by("pk"))

    def lastmod(self, item):
        return item.updated_at


class ListingSitemap(SiteSitemap):
    """Pages that list comparisons: last modified when their newest comparison was published."""

    changefreq = "weekly"
    priority = 0.5

    def lastmod(self, item):
        return item.latest


class TagSitemap(ListingSitemap):
    def items(self):
        published = Comparison.objects.published()
        return list(
            Tag.objects.filter(comparisons_taggedcomparison_items__content_object__in=published)
            .annotate(latest=Max("comparisons_taggedcomparison_items__content_object__updated_at"))
            .order_by("slug")
        )

    def location(self, item):
        return reverse("comparisons:tag", args=[item.slug])


class CategorySitemap(ListingSitemap):
    def items(self):
        published = Comparison.objects.published()
        return list(
            Category.objects.filter(comparisons__in=published)
            .annotate(latest=Max("comparisons__updated_at"))
            .order_by("slug")
        )

    def location(self, item):
        return reverse("comparisons:category", args=[item.slug])


class ToolSitemap(ListingSitemap):
    def items(self):
        """Each tool in a live comparison, with the newest change among its comparisons."""
        latest = {}
        rows = Comparison.objects.published().values_list(
            "tool_a__slug", "tool_b__slug", "updated_at"
        )
        for slug_a, slug_b, updated_at in rows:
            for slug in (slug_a, slug_b):
                if slug is not None and (slug not in latest or latest[slug] < updated_at):
                    latest[slug] = updated_at
        return [{"slug": slug, "latest": latest[slug]} for slug in sorted(latest)]

    def lastmod(self, item):
        return item["latest"]

    def location(self, item):
        return reverse("comparisons:tool", args=[item["slug"]])


class AuthorSitemap(ListingSitemap):
    def items(self):
        """Authors with a public byline and a live comparison (those with a page)."""
        published = Comparison.objects.published()
        return list(
            AuthorProfile.objects.filter(is_public=True, user__comparisons__in=published)
            .annotate(latest=Max("user__comparisons__updated_at"))
            .order_by("slug")
        )


class HomeSitemap(SiteSitemap):
    changefreq = "daily"
    priority = 1.0

    def items(self):
        return ["home", "comparisons:tag_index", "comparisons:category_index", "about", "contact"]

    def location(self, item):
        return reverse(item)


SITEMAPS = {
    "home": HomeSitemap,
    "comparisons": ComparisonSitemap,
    "tags": TagSitemap,
    "categories": CategorySitemap,
    "tools": ToolSitemap,
    "authors": AuthorSitemap,
}
