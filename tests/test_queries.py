"""Query budgets (DESIGN §8): a page costs the same number of queries whatever its size."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from comparisons.models import AuthorProfile

from .factories import make_author, make_category, make_comparison, make_tool

pytestmark = pytest.mark.django_db

ARTICLE_BUDGET = 8


@pytest.fixture(autouse=True)
def _render_every_time(settings):
    """Budgets are for rendering a page; the page cache is tested in test_pagecache.py."""
    settings.NICEPICK_PAGE_CACHE = False


@pytest.fixture(autouse=True)
def _site_looked_up():
    """
    Feeds and the sitemap ask django.contrib.sites for the current site (flatpages need the
    app), which each process looks up once and keeps: a budget is the cost of every request
    after that first one.
    """
    from django.contrib.sites.models import Site

    Site.objects.get_current()


LIST_BUDGET = 6


def count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def article_with(factors, tags, related):
    """An article with a public byline, and related articles by other authors."""
    flask = make_tool("Flask")
    comparison = make_comparison(
        flask,
        make_tool("Express"),
        factors=factors,
        tags=[f"tag-{n}" for n in range(tags)],
        author=make_author(bio="Writes about web frameworks."),
    )
    for _ in range(related):
        make_comparison(flask, make_tool(), tags=["tag-0", "tag-1"], author=make_author())
    return comparison


@pytest.mark.parametrize("factors, tags, related", [(3, 2, 1), (40, 15, 12)])
def test_article_page_stays_within_budget(client, factors, tags, related):
    """The article costs at most 8 queries, small or large."""
    comparison = article_with(factors, tags, related)
    assert count_queries(client, comparison.get_absolute_url()) <= ARTICLE_BUDGET


def test_article_page_query_count_does_not_grow(client):
    """3 factors and 2 tags cost exactly as many queries as 40 factors and 15 tags."""
    small = article_with(factors=3, tags=2, related=1)
    small_count = count_queries(client, small.get_absolute_url())
    large = make_comparison(
        make_tool("Big A"), make_tool("Big B"), factors=40, tags=[f"t{n}" for n in range(15)]
    )
    for _ in range(10):
        make_comparison(large.tool_a, make_tool(), tags=["t1", "t2"])
    assert count_queries(client, large.get_absolute_url()) == small_count


def test_an_article_costs_the_same_on_a_cache_miss_whatever_its_related_list(client, settings):
    """Working out what a page depends on, to cache it, reads nothing more from the database."""
    settings.NICEPICK_PAGE_CACHE = True
    small = article_with(factors=3, tags=2, related=1)
    small_count = count_queries(client, small.get_absolute_url())
    large = make_comparison(
        make_tool("Big A"), make_tool("Big B"), author=make_author("Ada Lovelace"), tags=["t1"]
    )
    for _ in range(5):
        make_comparison(large.tool_a, make_tool(), author=make_author(), tags=["t1"])
    assert count_queries(client, large.get_absolute_url()) == small_count


def test_home_page_query_count_does_not_grow(client):
    """The home page costs the same for 2 cards as for a full page of cards with many tags."""
    for _ in range(2):
        make_comparison(tags=["a", "b"])
    small_count = count_queries(client, "/")
    for n in range(20):
        make_comparison(tags=[f"tag-{n}-{m}" for m in range(6)])
    large_count = count_queries(client, "/")
    assert large_count == small_count
    assert large_count <= LIST_BUDGET


def add_comparisons(flask, category, count, prefix):
    """
    Published comparisons sharing a tool, the tag "python" and a category; 5 tags each; every
    other one by Ada (whose byline the cards show), the rest by an author each.
    """
    ada = AuthorProfile.objects.filter(slug="ada").first()
    ada = ada.user if ada else make_author("Ada", slug="ada")
    for n in range(count):
        make_comparison(
            flask,
            make_tool(),
            category=category,
            tags=["python", *[f"{prefix}-{n}-{m}" for m in range(4)]],
            summary="python frameworks compared",
            author=ada if n % 2 == 0 else make_author(),
        )


LIST_PAGES = [
    "/",
    "/tags/",
    "/tags/python/",
    "/categories/",
    "/categories/backend/",
    "/tools/flask/",
    "/search/?q=python",
    "/search/?q=python&category=backend&tag=python",
    "/search/?tag=python",
    "/feed/",
    "/tags/python/feed/",
    "/sitemap.xml",
    "/authors/ada/",
]


@pytest.mark.parametrize("url", LIST_PAGES)
def test_list_pages_cost_the_same_whatever_their_length(client, url):
    """2 items or 25 (more than a page), the same number of queries, within the budget."""
    flask, category = make_tool("Flask"), make_category(slug="backend")
    add_comparisons(flask, category, 2, "small")
    small = count_queries(client, url)
    add_comparisons(flask, category, 23, "large")
    large = count_queries(client, url)
    assert large == small, (url, small, large)
    assert large <= LIST_BUDGET, (url, large)
