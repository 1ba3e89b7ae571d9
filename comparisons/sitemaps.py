"""
`/sitemap.xml`: a sitemap index naming one sitemap per section (`/sitemap-<section>.xml`, long
ones in pages of `limit` addresses, `?p=2`…): published comparisons and the tag, category, tool
and author pages that list them. Preview links are never in it.

Search engines accept up to 50,000 addresses a file; pages of 500 keep one render short
and its memory small at any corpus size (a queryset is sliced per page, never listed whole).
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.db.models import Count, Max
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from taggit.models import Tag

from . import invalidation
from .models import AuthorProfile, Category, Comparison, earliest, goes_live, live, released
from .pagecache import remember_live


class SiteSitemap(Sitemap):
    """Absolute addresses come from SITE_URL, not from whatever Host the request named."""

    limit = 500

    @property
    def protocol(self):
        return urlsplit(settings.SITE_URL).scheme or "https"

    def get_domain(self, site=None):
        return urlsplit(settings.SITE_URL).netloc


class ComparisonSitemap(SiteSitemap):
    changefreq = "monthly"
    priority = 0.8

    def items(self):
        # A queryset: each page of the sitemap loads its own slice, never the whole corpus.
        return Comparison.objects.published().only("slug", "updated_at").order_by("pk")

    @cached_property
    def address(self):
        return reverse("comparisons:detail", args=["SLUG"])

    def location(self, item):
        return self.address.replace("SLUG", item.slug)  # one reverse() a page, not one an address

    def lastmod(self, item):
        return item.updated_at

    @cached_property
    def totals(self):
        def count():
            now = timezone.now()
            totals = Comparison.objects.filter(released()).aggregate(
                latest=Max("updated_at", filter=live(now=now)),
                count=Count("pk", filter=live(now=now)),
                due=goes_live(now),
            )
            return totals, totals["due"]

        return remember_live(
            "sitemap:comparisons", {invalidation.PUBLISHED, invalidation.CONTENT}, count
        )

    def get_latest_lastmod(self):
        return self.totals["latest"]

    @property
    def paginator(self):
        paginator = super().paginator
        paginator.count = self.totals["count"]  # counted with the latest change: one query
        return paginator


class ListingSitemap(SiteSitemap):
    """
    Pages that list comparisons: last modified when their newest comparison was published.
    Each listing joins the released comparisons once, as the counts per tag do.
    """

    changefreq = "weekly"
    priority = 0.5

    def items(self):
        # Each listing groups every live article (400,000 tag rows at 100,000 articles): kept
        # between changes to what is published or said, shared by every worker.
        name = type(self).__name__
        deps = {invalidation.PUBLISHED, invalidation.CONTENT}
        return remember_live(f"sitemap:{name}", deps, self.listing)

    def listing(self):
        """(items, due): `grouped()` rows over released comparisons, those with live ones."""
        now = timezone.now()
        rows = list(
            self.grouped(
                latest=Max(f"{self.through}updated_at", filter=live(self.through, now)),
                due=goes_live(now, self.through),
            )
        )
        return [row for row in rows if row.latest], earliest(row.due for row in rows)

    def grouped(self, **aggregates):
        """The listed objects, `filter(released(self.through))` and annotated with `aggregates`."""
        raise NotImplementedError

    def lastmod(self, item):
        return item.latest


class TagSitemap(ListingSitemap):
    through = "comparisons_taggedcomparison_items__content_object__"

    def grouped(self, **aggregates):
        return Tag.objects.filter(released(self.through)).annotate(**aggregates).order_by("slug")

    def location(self, item):
        return reverse("comparisons:tag", args=[item.slug])


class CategorySitemap(ListingSitemap):
    through = "comparisons__"

    def grouped(self, **aggregates):
        return (
            Category.objects.filter(released(self.through)).annotate(**aggregates).order_by("slug")
        )

    def location(self, item):
        return reverse("comparisons:category", args=[item.slug])


class ToolSitemap(ListingSitemap):
    def listing(self):
        """Each tool in a live comparison, with the newest change among its comparisons."""
        now = timezone.now()
        latest, dues = {}, []
        for side in ("tool_a", "tool_b"):  # two GROUP BYs in the database, not a row each here
            rows = (
                Comparison.objects.filter(released(), **{f"{side}__isnull": False})
                .values_list(f"{side}__slug")
                .annotate(latest=Max("updated_at", filter=live(now=now)), due=goes_live(now))
                .order_by()
            )
            for slug, updated_at, due in rows:
                dues.append(due)
                if updated_at and (slug not in latest or latest[slug] < updated_at):
                    latest[slug] = updated_at
        listing = [{"slug": slug, "latest": latest[slug]} for slug in sorted(latest)]
        return listing, earliest(dues)

    def lastmod(self, item):
        return item["latest"]

    def location(self, item):
        return reverse("comparisons:tool", args=[item["slug"]])


class AuthorSitemap(ListingSitemap):
    """Authors with a public byline and a live comparison (those with a page)."""

    through = "user__comparisons__"

    def grouped(self, **aggregates):
        return (
            AuthorProfile.objects.filter(released(self.through), is_public=True)
            .annotate(**aggregates)
            .order_by("slug")
        )


class HomeSitemap(SiteSitemap):
    changefreq = "daily"
    priority = 1.0

    def items(self):
        return ["home", "comparisons:tag_index", "comparisons:category_index", "about", "contact"]

    def location(self, item):
        return reverse(item)


def sitemap_index(request):
    """`/sitemap.xml`: every section's sitemap and each of its pages, addressed from SITE_URL."""
    entries = []
    for section, sitemap_class in SITEMAPS.items():
        sitemap = sitemap_class()
        location = f"{sitemap.protocol}://{sitemap.get_domain()}" + reverse(
            "sitemap_section", kwargs={"section": section}
        )
        lastmod = sitemap.get_latest_lastmod()
        entries.append({"location": location, "last_mod": lastmod})
        for page in range(2, sitemap.paginator.num_pages + 1):
            entries.append({"location": f"{location}?p={page}", "last_mod": lastmod})
    return TemplateResponse(
        request, "sitemap_index.xml", {"sitemaps": entries}, content_type="application/xml"
    )


SITEMAPS = {
    "home": HomeSitemap,
    "comparisons": ComparisonSitemap,
    "tags": TagSitemap,
    "categories": CategorySitemap,
    "tools": ToolSitemap,
    "authors": AuthorSitemap,
}
