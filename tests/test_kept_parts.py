"""
The parts of pages kept between changes (issue 16 item 4): an article's (a reader's note or a
page not in the page cache costs one query) and the cards of the lists; every change readers
should see still reaches them.
"""

import uuid

import pytest
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext

from comparisons import workflow
from comparisons.models import Comparison, Feedback

from .factories import (
    make_author,
    make_category,
    make_comparison,
    make_criterion,
    make_editor,
    make_fact,
    make_tool,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def article():
    flask = make_tool("Flask")
    article = make_comparison(
        flask,
        make_tool("Express"),
        title="Flask vs Express",
        tags=("python",),
        factors=3,
        author=make_author("Ada Lovelace", bio="Writes about web frameworks."),
    )
    make_comparison(flask, make_tool("Django"), title="Flask vs Django", tags=("python",))
    return article


def page(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def add_note(comparison):
    Feedback.objects.create(
        comparison=comparison, would_pick="b", message="m" * 20, token=uuid.uuid4().hex, ip_hash="h"
    )


def test_a_readers_note_costs_the_next_reader_one_query(client, article, django_assert_num_queries):
    """The note changes the tally alone: the article is rebuilt from its parts and the tally."""
    url = article.get_absolute_url()
    page(client, url)
    add_note(article)
    with django_assert_num_queries(1):
        assert "1 reader wrote in" in page(client, url)


def test_an_article_not_in_the_page_cache_is_built_from_its_parts(
    client, article, settings, django_assert_num_queries
):
    settings.NICEPICK_PAGE_CACHE = False
    url = article.get_absolute_url()
    first = page(client, url)
    with django_assert_num_queries(0):
        assert page(client, url) == first
    add_note(article)
    with django_assert_num_queries(1):
        assert "1 reader wrote in" in page(client, url), "the tally alone is counted again"


def test_kept_parts_give_the_page_a_fresh_render_gives(client, article):
    url = article.get_absolute_url()
    add_note(article)
    page(client, url)  # keeps the parts
    add_note(article)  # the page goes, the parts stay
    from_parts = page(client, url)
    caches["default"].clear()
    assert page(client, url) == from_parts


def setattr_save(obj, field, value):
    setattr(obj, field, value)
    obj.save()


def related_article(article):
    return article.tool_a.comparisons_as_a.exclude(pk=article.pk).get()


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (lambda c: setattr_save(c, "title", "Renamed title"), "Renamed title"),
        (
            lambda c: setattr_save(c.factors.first(), "value_a", "Brand new value"),
            "Brand new value",
        ),
        (lambda c: setattr_save(c.verdict, "headline", "A fresh headline"), "A fresh headline"),
        (lambda c: c.tags.add("freshtag"), "freshtag"),
        (lambda c: setattr_save(c.tool_b, "name", "Expresso"), "Expresso"),
        (lambda c: setattr_save(c.category, "name", "Renamed category"), "Renamed category"),
        (
            lambda c: setattr_save(c.author.author_profile, "display_name", "Ada King"),
            "Ada King",
        ),
        (lambda c: setattr_save(related_article(c), "title", "Flask or Django"), "Flask or Django"),
        (lambda c: make_comparison(c.tool_b, title="Express vs Koa"), "Express vs Koa"),
    ],
)
def test_every_change_an_article_shows_reaches_its_kept_parts(
    client, article, settings, change, expected
):
    """With the page cache off, the parts alone must follow every change."""
    settings.NICEPICK_PAGE_CACHE = False
    url = article.get_absolute_url()
    before = page(client, url)
    change(article)
    assert expected not in before
    assert expected in page(client, url)


def test_an_unpublished_article_is_gone_though_its_parts_were_kept(client, article, settings):
    settings.NICEPICK_PAGE_CACHE = False
    url = article.get_absolute_url()
    page(client, url)
    workflow.unpublish(article, make_editor())
    assert client.get(url).status_code == 404


CARD_LISTS = ["/", "/tags/python/", "/categories/backend/", "/authors/ada/"]


@pytest.fixture
def listed():
    category = make_category(slug="backend")
    ada = make_author("Ada", slug="ada")
    for n in range(14):  # more than a page
        make_comparison(
            title=f"Listed {n}", tags=("python", f"t{n}"), category=category, author=ada
        )


@pytest.mark.parametrize("url", CARD_LISTS)
def test_a_list_whose_cards_are_kept_reads_neither_the_articles_nor_their_tags(
    client, settings, listed, url
):
    settings.NICEPICK_PAGE_CACHE = False
    first_page = page(client, url)  # keeps the cards, and the counts lists share
    caches["default"].delete_many(
        [f"nicepick:card:{pk}" for pk in Comparison.objects.values_list("pk", flat=True)]
    )
    with CaptureQueriesContext(connection) as cards_missing:
        assert page(client, url) == first_page
    with CaptureQueriesContext(connection) as cards_kept:
        assert page(client, url) == first_page
    assert len(cards_kept) == len(cards_missing) - 2
    assert not any("_prefetch_related_val" in query["sql"] for query in cards_kept), "no tags read"


def test_a_card_follows_its_article(client, settings, listed):
    settings.NICEPICK_PAGE_CACHE = False
    page(client, "/")
    newest = Comparison.objects.order_by("-published_at").first()
    newest.title = "A card renamed"
    newest.save()
    newest.tags.add("freshtag")
    home = page(client, "/")
    assert "A card renamed" in home
    assert "freshtag" in home


def test_a_card_whose_article_went_between_two_reads_is_left_out(listed):
    """The list read its rows, then one was deleted before its card was drawn: no error."""
    from comparisons.views.card_lists import kept_cards

    rows = list(Comparison.objects.order_by("pk")[:3])
    Comparison.objects.filter(pk=rows[1].pk).delete()
    cards = kept_cards(rows)
    assert len(cards) == 2
    assert rows[0].title in cards[0] and rows[2].title in cards[1]


@pytest.fixture
def flask_page():
    """Flask in 14 comparisons (more than a page), picked in none; one suggests Bottle."""
    flask, bottle = make_tool("Flask"), make_tool("Bottle")
    for n in range(14):
        comparison = make_comparison(flask, make_tool(f"Rival {n}"), title=f"Flask vs Rival {n}")
        comparison.verdict.pick = "b"
        comparison.verdict.save()
    return flask, bottle


def test_a_tool_page_not_in_the_page_cache_is_built_from_its_parts(
    client, settings, flask_page, django_assert_num_queries
):
    """Kept part and rows: the page reads which comparisons it lists, and nothing else."""
    settings.NICEPICK_PAGE_CACHE = False
    first = page(client, "/tools/flask/")
    assert "Flask vs Rival 13" in first and "Rival 13 picked" in first
    with django_assert_num_queries(1):
        assert page(client, "/tools/flask/") == first
    caches["default"].clear()
    assert page(client, "/tools/flask/") == first, "the same page as a fresh render"


def oldest(flask):
    return flask.comparisons_as_a.order_by("published_at").first()


def repick(flask):
    """Flask wins its oldest comparison, listed on page 2 only."""
    verdict = oldest(flask).verdict
    verdict.pick = "a"
    verdict.save()


def suggest(flask_page):
    flask, bottle = flask_page
    verdict = oldest(flask).verdict
    verdict.consider_tool = bottle
    verdict.save()
    return bottle


@pytest.mark.parametrize("cache", [True, False], ids=["page cache", "parts only"])
@pytest.mark.parametrize(
    ("change", "url", "expected"),
    [
        (lambda f: repick(f[0]), "/tools/flask/", "<dt>Picked</dt><dd>1</dd>"),
        (
            lambda f: setattr_save(oldest(f[0]), "title", "Flask or Rival"),
            "/tools/flask/?page=2",
            "Flask or Rival",
        ),
        (
            lambda f: setattr_save(
                Comparison.objects.get(title="Flask vs Rival 13").tool_b, "name", "Vue"
            ),
            "/tools/flask/",
            "Vue picked",
        ),
        (
            lambda f: setattr_save(f[0], "summary", "A micro framework."),
            "/tools/flask/?page=2",
            "A micro framework.",
        ),
        (
            lambda f: make_fact(f[0], make_criterion("Licence"), "BSD-3-Clause"),
            "/tools/flask/",
            "BSD-3-Clause",
        ),
        (
            lambda f: make_comparison(f[0], make_tool("Quart"), title="Flask vs Quart"),
            "/tools/flask/",
            "Flask vs Quart",
        ),
        (suggest, "/tools/bottle/", "Flask vs Rival 0"),
    ],
    ids=["record", "row", "other tool", "tool", "fact", "new comparison", "third option"],
)
def test_every_change_a_tool_page_shows_reaches_it(
    client, settings, flask_page, cache, change, url, expected
):
    """A verdict changed on page 2 still changes the record page 1 shows, and so on."""
    settings.NICEPICK_PAGE_CACHE = cache
    for seen in ("/tools/flask/", "/tools/flask/?page=2", "/tools/bottle/"):
        client.get(seen)  # kept, and cached where the cache is on
    before = client.get(url).content.decode()
    change(flask_page)
    assert expected not in before
    assert expected in page(client, url)


def test_a_tool_whose_comparisons_are_all_unpublished_is_gone(client, settings, flask_page):
    settings.NICEPICK_PAGE_CACHE = False
    flask, _bottle = flask_page
    page(client, "/tools/flask/")
    editor = make_editor()
    for comparison in flask.comparisons_as_a.all():
        workflow.unpublish(comparison, editor)
    assert client.get("/tools/flask/").status_code == 404


@pytest.mark.parametrize("url", CARD_LISTS)
def test_a_list_whose_rows_and_cards_are_kept_costs_no_query(
    client, settings, listed, url, django_assert_num_queries
):
    """Which articles a page lists is kept until the published set changes."""
    settings.NICEPICK_PAGE_CACHE = False
    first_page = page(client, url)
    # An author's page reads their byline, and whether and how many articles they have.
    queries = 3 if url.startswith("/authors/") else 0
    with django_assert_num_queries(queries):
        assert page(client, url) == first_page


@pytest.mark.parametrize("url", CARD_LISTS)
def test_a_list_follows_what_is_published(client, settings, listed, url):
    settings.NICEPICK_PAGE_CACHE = False
    page(client, url)
    newest = Comparison.objects.order_by("-published_at").first()
    workflow.unpublish(newest, make_editor())
    assert newest.title not in page(client, url)
    fresh = make_comparison(
        title="Freshly published",
        tags=("python",),
        category=newest.category,
        author=newest.author,
    )
    assert fresh.title in page(client, url)
