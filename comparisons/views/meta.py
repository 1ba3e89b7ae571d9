"""What every public page shares: its title and description for search engines and sharing."""

import functools

from django.conf import settings
from django.http import HttpResponse, HttpResponsePermanentRedirect, JsonResponse
from django.templatetags.static import static
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from .. import health, invalidation, pagecache

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


class KnownCountMixin:
    """
    A list whose length is already known (kept with the aggregates the lists share, or counted
    with the object the page is about) gives it to the paginator, which then skips its COUNT
    over every matching row.
    """

    def known_count(self):
        return None

    def get_paginator(self, *args, **kwargs):
        paginator = super().get_paginator(*args, **kwargs)
        count = self.known_count()
        if count is not None:
            paginator.count = count
        return paginator


def site_context(request):
    """Context processor: the site's address, the canonical URL of this page, the navigation."""

    page = request.GET.get("page", "")
    canonical = settings.SITE_URL + request.path
    if page.isascii() and page.isdigit() and int(page) > 1:  # "¹".isdigit(), but int() refuses
        canonical += f"?page={int(page)}"

    def navigation():
        # The same on every page: kept until the published set (or a category) changes.
        from .articles import category_index

        return pagecache.remember(
            "navigation",
            {invalidation.PUBLISHED},
            lambda: [
                {
                    "name": c.name,
                    "slug": c.slug,
                    "url": reverse("comparisons:category", args=[c.slug]),
                }
                for c in category_index()
            ],
        )

    return {
        "site_url": settings.SITE_URL,
        "site_name": SITE_NAME,
        "site_description": SITE_DESCRIPTION,
        "canonical_url": canonical,
        "nav_categories": navigation,
    }


@functools.cache
def site_links(script_prefix):
    """
    The addresses every page's header and footer link to, reversed once per process (the
    `site_link` template tag): twenty `{% url %}` a page were a fifth of a cold article.
    """
    names = {
        "home": "home",
        "about": "about",
        "contact": "contact",
        "feed": "comparisons:feed",
        "search": "comparisons:search",
        "changes": "comparisons:changes",
        "tag_index": "comparisons:tag_index",
        "category_index": "comparisons:category_index",
    }
    return {key: reverse(name) for key, name in names.items()}


@require_GET
def robots_txt(request):
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /markdownx/",
        "Disallow: /search/",
        "Disallow: /*/preview/",
        "Disallow: /preview/",
        "",
        f"Sitemap: {settings.SITE_URL}{reverse('sitemap')}",
        "",
    ]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")


@never_cache
def healthz(request):
    """
    Each part's state, one per line ("database: ok", "page cache: degraded (…)"), or JSON with
    `?format=json`. 200 while the database answers (a failing cache only makes pages slower),
    503 when it does not.
    """
    healthy, parts = health.report()
    status = 200 if healthy else 503
    if request.GET.get("format") == "json":
        return JsonResponse({"healthy": healthy, "parts": parts}, status=status)
    lines = ["ok" if healthy else "unhealthy"]
    for name, part in parts.items():
        detail = part.get("error") or part.get("detail")
        detail = f" ({detail})" if detail else ""
        lines.append(f"{name}: {part['state']}{detail}")
    return HttpResponse("\n".join(lines) + "\n", status=status, content_type="text/plain")


def bench_control(request):
    """The benchmark's control: the cheapest response Django can give."""
    return HttpResponse("ok\n", content_type="text/plain")


def favicon(request):
    """Browsers (and the admin) ask for /favicon.ico; point them at the site's icon."""
    return HttpResponsePermanentRedirect(static("comparisons/favicon.svg"))
