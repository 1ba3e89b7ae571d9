"""Readers' pages from the cache: invalidation, validators, and a form that still works."""

from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from comparisons import invalidation, stores, workflow
from comparisons.models import Comparison, Feedback

from .factories import make_comparison, make_editor, make_tool
from .test_feedback import disagree_url, form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def article():
    return make_comparison(
        make_tool("Flask"), make_tool("Express"), title="Flask vs Express", tags=("python",)
    )


def page(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_a_warm_page_costs_no_queries(client, article, django_assert_num_queries):
    url = article.get_absolute_url()
    page(client, url)
    with django_assert_num_queries(0):
        assert "Flask vs Express" in page(client, url)


@pytest.mark.parametrize(
    ("change", "expected", "url"),
    [
        (lambda c: setattr_save(c, "title", "Renamed title"), "Renamed title", "detail"),
        (
            lambda c: setattr_save(c.factors.first(), "value_a", "Brand new value"),
            "Brand new value",
            "detail",
        ),
        (
            lambda c: setattr_save(c.verdict, "headline", "A fresh headline"),
            "A fresh headline",
            "detail",
        ),
        (lambda c: c.tags.add("freshtag"), "freshtag", "detail"),
        (lambda c: setattr_save(c.tool_a, "name", "Flaskier"), "Flaskier", "home"),
        (
            lambda c: setattr_save(c.category, "name", "Renamed category"),
            "Renamed category",
            "home",
        ),
    ],
)
def test_every_kind_of_edit_shows_on_the_next_request(client, article, change, expected, url):
    target = {"detail": article.get_absolute_url(), "home": "/"}[url]
    before = page(client, target)
    change(article)
    after = page(client, target)
    assert expected not in before
    assert expected in after


def setattr_save(obj, field, value):
    setattr(obj, field, value)
    obj.save()


def test_a_workflow_action_takes_the_article_off_at_once(client, article):
    assert "Flask vs Express" in page(client, "/")
    workflow.unpublish(article, make_editor())
    assert "Flask vs Express" not in page(client, "/")
    assert client.get(article.get_absolute_url()).status_code == 404


def test_new_feedback_updates_the_tally(client, article):
    url = article.get_absolute_url()
    assert "wrote in" not in page(client, url)
    Feedback.objects.create(
        comparison=article, would_pick="b", message="m" * 20, token="t", ip_hash="h"
    )
    assert "1 reader wrote in" in page(client, url)


def test_a_scheduled_comparison_appears_within_one_cache_lifetime(client, settings):
    settings.NICEPICK_CACHE_SECONDS = 60
    soon = timezone.now() + timedelta(seconds=30)
    make_comparison(published_at=soon, title="Coming soon")
    assert "Coming soon" not in page(client, "/")
    with time_machine.travel(soon + timedelta(seconds=61), tick=False):
        assert "Coming soon" in page(client, "/")


def test_pages_are_kept_past_a_minute_until_a_scheduled_comparison_goes_live(
    client, article, django_assert_num_queries
):
    """
    Pages change when what they show does (their tags), or by the clock when a scheduled
    comparison goes live: the server keeps them until then, not a minute (a CDN still is told
    60 s), so the long tail of articles read less than once a minute is still served kept.
    """
    due = timezone.now() + timedelta(minutes=20)
    make_comparison(published_at=due, title="Coming soon")
    home, url = page(client, "/"), article.get_absolute_url()
    first = client.get(url)
    assert first["Cache-Control"] == "public, max-age=60"
    with time_machine.travel(due - timedelta(seconds=5), tick=False), django_assert_num_queries(0):
        assert page(client, "/") == home
        assert client.get(url).content == first.content
    with time_machine.travel(due + timedelta(seconds=1), tick=False):
        assert "Coming soon" in page(client, "/")


def test_with_nothing_scheduled_pages_are_kept_an_hour(client, article, django_assert_num_queries):
    page(client, "/")
    url = article.get_absolute_url()
    page(client, url)
    later = timezone.now() + timedelta(minutes=50)
    with time_machine.travel(later, tick=False), django_assert_num_queries(0):
        page(client, "/")
        page(client, url)
    with time_machine.travel(later + timedelta(minutes=11), tick=False):
        with CaptureQueriesContext(connection) as queries:
            page(client, url)
        assert queries, "past an hour, the page is rendered again"


def test_cache_headers_validators_and_304(client, article):
    url = article.get_absolute_url()
    first = client.get(url)
    assert first["Cache-Control"] == "public, max-age=60", "the same for every reader"
    etag = first["ETag"]
    assert etag
    second = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert second.status_code == 304
    assert second.content == b""
    assert client.get(url, HTTP_IF_NONE_MATCH='W/"other"').status_code == 200
    listing = client.get("/tags/")
    assert listing["Cache-Control"].startswith("public") and listing["ETag"]
    assert client.get("/tags/", HTTP_IF_NONE_MATCH=listing["ETag"]).status_code == 304


def test_every_reader_gets_the_same_article_and_the_form_works_from_it(article):
    """No per-reader token or stamp in the HTML; each reader's form gets its stamp on use."""
    url = article.get_absolute_url()
    first_reader, second_reader = Client(), Client()
    first_page = first_reader.get(url)  # renders and fills the cache
    second_page = second_reader.get(url)  # served from the cache
    assert first_page.content == second_page.content
    assert "Set-Cookie" not in second_page.headers or not second_page.cookies
    for reader in (first_reader, second_reader):
        stamp = reader.get(reverse("comparisons:disagree_stamp", args=[article.slug])).json()
        with time_machine.travel(timezone.now() + timedelta(seconds=5)):
            data = form_data(article, stamp=stamp["stamp"])
            response = reader.post(disagree_url(article), data, REMOTE_ADDR="203.0.113.50")
        assert response.status_code == 302, response.content[:300]
    assert Feedback.objects.count() == 2


def test_pages_name_their_dependencies_for_a_cdn(client, article):
    response = client.get(article.get_absolute_url())
    tags = response["Cache-Tag"].split(",")
    assert f"c{article.pk}" in tags and f"f{article.pk}" in tags and "published" in tags
    assert response["Surrogate-Key"].split() == tags


def test_signed_in_staff_bypass_the_cache(client, article):
    """Staff who signed in to the admin see pages as they are now, not as cached."""
    url = article.get_absolute_url()
    page(client, url)
    client.force_login(make_editor())
    client.get("/admin/")  # the admin marks the browser as signed-in staff
    article.__class__.objects.filter(pk=article.pk).update(title="Changed behind the cache")
    assert "Changed behind the cache" in page(client, url)
    assert "no-cache" in client.get(url)["Cache-Control"]
    client.get("/admin/logout/")
    client.post("/admin/logout/")
    assert "Changed behind the cache" not in page(client, url), "signed out: cached again"


@pytest.mark.parametrize(
    "cookie", [("sessionid", "made-up-session"), ("nicepick_staff", "made-up:value:sig")]
)
def test_a_made_up_session_cookie_neither_bypasses_nor_fills_the_cache(
    client, article, cookie, django_assert_num_queries
):
    """Only a real signed-in session skips the cache: a forged cookie gets the cached page."""
    url = article.get_absolute_url()
    page(client, url)
    client.cookies[cookie[0]] = cookie[1]
    with django_assert_num_queries(0):
        assert "Flask vs Express" in page(client, url)


@pytest.mark.parametrize("query", ["?utm_source=x", "?feedback=yes", "?page=01", "?page=1&page=1"])
def test_made_up_query_strings_and_values_are_not_cached(
    client, article, query, django_assert_num_queries
):
    """Unknown parameters, or known ones with made-up values, render without filling the cache."""
    url = "/" + query
    client.get(url)
    response = client.get(url)
    assert "no-cache" in response["Cache-Control"]
    page(client, article.get_absolute_url())
    with django_assert_num_queries(0):
        page(client, article.get_absolute_url())


@pytest.mark.parametrize("url", ["/", "/tags/python/", "/categories/backend/"])
def test_list_lengths_kept_with_the_shared_counts_follow_publishing(client, url):
    """Home, tag and category pages take their length from counts kept between changes; a
    new article, or one taken off, changes the number of pages on the next request."""
    from .factories import make_category

    backend = make_category(slug="backend")
    made = [make_comparison(tags=("python",), category=backend) for _ in range(12)]
    assert "Page 1 of 2" not in client.get(url).content.decode()
    extra = make_comparison(tags=("python",), category=backend)
    assert "Page 1 of 2" in client.get(url).content.decode()
    assert client.get(f"{url}?page=2").status_code == 200
    workflow.apply("unpublish", extra, make_editor())
    workflow.apply("unpublish", made[0], make_editor())
    assert "Page 1 of 2" not in client.get(url).content.decode()
    assert client.get(f"{url}?page=2").status_code == 404


def test_a_process_serves_the_pages_it_served_last_without_the_shared_cache(
    client, article, monkeypatch, django_assert_num_queries
):
    """Its own copy skips the shared cache's read, and follows changes like the shared one."""
    from django.core.cache import caches

    url = article.get_absolute_url()
    page(client, url)

    def unreadable(*args, **kwargs):
        raise ConnectionError("the shared cache is not read for a page this process has")

    monkeypatch.setattr(caches["default"], "get", unreadable)
    with django_assert_num_queries(0):
        assert "Flask vs Express" in page(client, url)
    setattr_save(article, "title", "Flask or Express")
    assert "Flask or Express" in page(client, url)


def test_a_page_is_never_kept_newer_than_the_parts_it_was_built_from(client, article, settings):
    """
    Each process keeps tag versions about a second. A page rendered there after another
    process's edit, from parts that this process's versions still call fresh, is the old
    page: it must not be kept as if it were born after the edit (then no reader would see the
    edit until the page's tags change again). Found by `make chaos` (smtp-refusing): a note and
    an edit at once left the article stale for good.
    """
    settings.NICEPICK_VERSION_MEMO_SECONDS = 60
    url = article.get_absolute_url()
    page(client, url)
    page(client, url)  # a hit: this process now holds the article's tag versions
    # Another process publishes an edit: the database and the shared versions change, not ours.
    Comparison.objects.filter(pk=article.pk).update(summary="Edited in another process.")
    stores.state().bump([invalidation.comparison(article.pk), invalidation.CONTENT])
    # Here a reader's note changes the tally, so the page is rendered again.
    invalidation.touch(invalidation.tally(article.pk))
    page(client, url)  # within our versions' second: may still show the old parts
    settings.NICEPICK_VERSION_MEMO_SECONDS = 0  # that second has passed
    assert "Edited in another process." in page(client, url)
