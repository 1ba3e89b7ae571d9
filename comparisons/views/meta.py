"""What every public page shares: its title and description for search engines and sharing."""

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, connection
from django.http import HttpResponse, HttpResponsePermanentRedirect
from django.templatetags.static import static
from django.urls import reverse
from django.views.decorators.http import require_GET

SITE_NAME = "nicepick"
SITE_DESCRIPTION = (
    "Opinionated technology comparisons: every article makes a pick, shows the factors behind "
    "it and says who should choose the other one."
)


class PageMetaMixin:
    """Puts `meta` (title, description, type) in the context for base.html's head."""

    og_type = "website"

    def get_meta_title(self):
        return SITE_NAME

    def get_meta_description(self):
        return SITE_DESCRIPTION

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        title = self.get_meta_title()
        page = context.get("page_obj")
        if page is not None and page.number > 1:
            title = f"{title} (page {page.number})"
        context["meta"] = {
            "title": title,
            "document_title": title if SITE_NAME in title else f"{title} · {SITE_NAME}",
            "description": self.get_meta_description(),
            "type": self.og_type,
        }
        return context


def site_context(request):
    """Context processor: the site's address, the canonical URL of this page, the navigation."""
    from .. import pagecache
    from ..models import Category, Comparison

    page = request.GET.get("page", "")
    canonical = settings.SITE_URL + request.path
    if page.isdigit() and int(page) > 1:
        canonical += f"?page={int(page)}"

    def navigation():
        # The same on every page: kept with the content generation, so an edit refreshes it.
        key = f"nicepick:nav:{pagecache.generation()}"
        categories = cache.get(key)
        if categories is None:
            categories = list(
                Category.objects.filter(comparisons__in=Comparison.objects.published())
                .distinct()
                .values("name", "slug")
            )
            cache.set(key, categories, timeout=settings.NICEPICK_CACHE_SECONDS)
        return categories

    return {
        "site_url": settings.SITE_URL,
        "site_name": SITE_NAME,
        "site_description": SITE_DESCRIPTION,
        "canonical_url": canonical,
        "nav_categories": navigation,
    }


@require_GET
def robots_txt(request):
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /markdownx/",
        "Disallow: /search/",
        "Disallow: /*/preview/",
        "",
        f"Sitemap: {settings.SITE_URL}{reverse('sitemap')}",
        "",
    ]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")


def healthz(request):
    """200 when the database answers, 503 when it does not (for load balancers and monitors)."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        return HttpResponse("database unavailable\n", status=503, content_type="text/plain")
    return HttpResponse("ok\n", content_type="text/plain")


def bench_control(request):
    """The benchmark's control: the cheapest response Django can give."""
    return HttpResponse("ok\n", content_type="text/plain")


def favicon(request):
    """Browsers (and the admin) ask for /favicon.ico; point them at the site's icon."""
    return HttpResponsePermanentRedirect(static("comparisons/favicon.svg"))
