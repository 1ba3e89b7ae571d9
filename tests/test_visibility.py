"""
Readers see only live comparisons, on every public surface (DESIGN §5).

The walk below discovers the site's URL patterns itself, so a public page added later is
checked too; a pattern it does not know how to fill makes it fail and ask to be taught.
"""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core.signing import Signer
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone
from taggit.models import Tag

from comparisons import previews
from comparisons.models import AuthorProfile, Category, Comparison, PreviewLink, Tool
from comparisons.sitemaps import SITEMAPS

from .factories import make_author, make_category, make_comparison, make_editor, make_tool

pytestmark = pytest.mark.django_db

Status = Comparison.Status
NOT_PUBLIC = ("admin/", "markdownx/", "media/", "static/")
NOT_PUBLIC_NAMES = {"preview"}


def sign(value, salt):
    """A token signed like a preview link's, with any value and salt."""
    return Signer(salt=salt).sign_object(value)


def public_patterns(resolver=None, prefix=""):
    """(route, pattern) for every URL pattern readers can reach."""
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        route = prefix + str(entry.pattern).removeprefix("^")
        if route.startswith(NOT_PUBLIC):
            continue
        if isinstance(entry, URLResolver):
            yield from public_patterns(entry, route)
        elif isinstance(entry, URLPattern) and entry.name not in NOT_PUBLIC_NAMES:
            yield route, entry


def urls_to_visit(route):
    """Concrete URLs for a route, filled with every object of the kind it takes."""
    if "<" not in route:
        return ["/" + route]
    kinds = {
        "compare/": Comparison.objects.values_list("slug", flat=True),
        "tags/": Tag.objects.values_list("slug", flat=True),
        "categories/": Category.objects.values_list("slug", flat=True),
        "tools/": Tool.objects.values_list("slug", flat=True),
        "authors/": AuthorProfile.objects.values_list("slug", flat=True),
        # Every link that no longer works, and made-up tokens. A working link shows its draft
        # by design: that is the one public page that may (tests/test_preview_links.py).
        "preview/": [
            *(
                previews.token_for(link)
                for link in PreviewLink.objects.all()
                if not link.is_active()
            ),
            "made-up-token",
            sign([1, "guessed"], previews.SALT),
        ],
        "api/compare/": Comparison.objects.values_list("slug", flat=True),
        "api/tools/": Tool.objects.values_list("slug", flat=True),
        "sitemap-": list(SITEMAPS),
    }
    for start, slugs in kinds.items():
        if route.startswith(start) and route.count("<") == 1:
            head, _, rest = route.partition("<")
            tail = rest.partition(">")[2]
            return [f"/{head}{slug}{tail}" for slug in slugs]
    raise AssertionError(f"Teach test_visibility how to fill the URL pattern {route!r}.")


@pytest.fixture
def site():
    """One live comparison and one of every hidden kind, sharing tools, tags and category."""
    flask, express, fastapi = make_tool("Flask"), make_tool("Express"), make_tool("FastAPI")
    hapi, koa, bottle = make_tool("Hapi"), make_tool("Koa"), make_tool("Bottle")
    category = make_category("Backend", slug="backend")
    tags = ("python", "web")
    lou = make_author("Lively Lou")
    hidden_author = make_author("Hilda Hidden")  # public byline, but nothing published
    private_author = make_author("Private Pat", is_public=False)
    live = make_comparison(
        flask, express, category=category, tags=tags, title="Live Lemur", author=private_author
    )
    now = timezone.now()
    hidden = [
        make_comparison(
            flask,
            fastapi,
            category=category,
            tags=tags,
            status=Status.DRAFT,
            title="Draft Dodo",
            summary="Secret summary dodo",
            author=lou,
        ),
        make_comparison(
            express,
            hapi,
            category=category,
            tags=tags,
            status=Status.REVIEW,
            title="Review Raven",
            summary="Secret summary raven",
            author=hidden_author,
        ),
        make_comparison(
            flask,
            koa,
            category=category,
            tags=tags,
            status=Status.ARCHIVED,
            published_at=now - timedelta(days=3),
            title="Archived Aardvark",
            summary="Secret summary aardvark",
        ),
        make_comparison(
            express,
            bottle,
            category=category,
            tags=tags,
            status=Status.PUBLISHED,
            published_at=now + timedelta(days=2),
            title="Scheduled Sloth",
            summary="Secret summary sloth",
            author=lou,
        ),
    ]
    make_comparison(make_tool("Litestar"), make_tool("Quart"), category=category, author=lou)
    # Preview links to hidden comparisons that no longer work: expired, revoked.
    editor = make_editor()
    expired = previews.create(hidden[0], editor, days=1)
    PreviewLink.objects.filter(pk=expired.pk).update(expires_at=now - timedelta(minutes=1))
    previews.revoke(previews.create(hidden[1], editor), editor)
    return live, hidden


def leaks(content, hidden):
    return [
        text
        for comparison in hidden
        for text in (comparison.title, comparison.summary)
        if text in content
    ] + [name for name in ("Private Pat", "Hilda Hidden") if name in content]


def test_no_hidden_comparison_leaks_on_any_public_url(client, site):
    live, hidden = site
    visited = []
    for route, _ in public_patterns():
        for url in urls_to_visit(route):
            for query in ("", "?page=1", "?q=secret", "?q=Dodo"):
                response = client.get(url + query)
                assert response.status_code in (200, 301, 302, 404, 410), (url + query, response)
                body = response.content.decode(errors="replace")
                assert not leaks(body, hidden), (url + query, leaks(body, hidden))
                visited.append((url + query, response.status_code))
    # The walk reached the live article and refused every hidden one.
    assert (live.get_absolute_url(), 200) in visited
    for comparison in hidden:
        assert (comparison.get_absolute_url(), 404) in visited
    # Authors: a page for the one with a public byline and a live article, none for the others.
    assert ("/authors/lively-lou/", 200) in visited
    assert ("/authors/hilda-hidden/", 404) in visited
    assert ("/authors/private-pat/", 404) in visited
    # Preview links that stopped working say so; made-up ones do not exist.
    assert [code for url, code in visited if url.startswith("/preview/")].count(410) == 2 * 4
    assert ("/preview/made-up-token/", 404) in visited
    assert len({url for url, _ in visited}) >= 4 * (len(hidden) + 2)


def test_the_reversed_pair_of_a_hidden_comparison_does_not_redirect(client, site):
    _, hidden = site
    for comparison in hidden:
        reversed_slug = f"{comparison.tool_b.slug}-vs-{comparison.tool_a.slug}"
        assert client.get(f"/compare/{reversed_slug}/").status_code == 404


def test_a_scheduled_comparison_appears_by_itself_when_its_time_comes(client):
    when = datetime(2026, 12, 3, 9, 0, tzinfo=UTC)
    comparison = make_comparison(published_at=when, title="Right on time")
    with time_machine.travel(when - timedelta(minutes=1), tick=False):
        assert "Right on time" not in client.get("/").content.decode()
        assert client.get(comparison.get_absolute_url()).status_code == 404
    with time_machine.travel(when, tick=False):
        assert "Right on time" in client.get("/").content.decode()
        assert client.get(comparison.get_absolute_url()).status_code == 200


def test_related_lists_show_only_live_comparisons(client, site):
    live, hidden = site
    also_live = make_comparison(live.tool_a, make_tool("Sanic"), tags=("python",))
    page = client.get(live.get_absolute_url()).content.decode()
    assert also_live.title in page
    assert not leaks(page, hidden)
