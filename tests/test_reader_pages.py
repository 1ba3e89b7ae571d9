"""The readers' site beyond the article: tags, categories, tools, related lists, pagination."""

from datetime import timedelta

import pytest
from django.utils import timezone

from comparisons.models import Comparison, Verdict

from .factories import make_category, make_comparison, make_tool

pytestmark = pytest.mark.django_db

Status = Comparison.Status


def ago(days):
    return timezone.now() - timedelta(days=days)


def order_of(page, titles):
    positions = [page.index(title) for title in titles]
    return positions == sorted(positions)


# Tags -----------------------------------------------------------------------------------------


def test_tag_index_lists_tags_of_published_comparisons_with_counts(client):
    make_comparison(tags=("python", "web"))
    make_comparison(tags=("python",))
    make_comparison(tags=("secret-draft-tag",), status=Status.DRAFT)
    page = client.get("/tags/").content.decode()
    assert 'python <span class="count">2</span>' in page
    assert 'web <span class="count">1</span>' in page
    assert "secret-draft-tag" not in page


def test_tags_are_case_insensitive_for_readers(client):
    first = make_comparison(tags=("Django",), published_at=ago(2))
    second = make_comparison(tags=("django",), published_at=ago(1))
    assert list(first.tags.all()) == list(second.tags.all()), "one tag, not two"
    tag = first.tags.get()
    response = client.get(f"/tags/{tag.slug.upper()}/")
    assert response.status_code == 301
    assert response.url == f"/tags/{tag.slug}/"
    page = client.get(f"/tags/{tag.slug}/").content.decode()
    assert first.title in page and second.title in page


def test_tag_page_newest_first_and_paginated(client):
    for n in range(14):
        make_comparison(tags=("python",), published_at=ago(n + 1), title=f"Number {n:02d}")
    make_comparison(tags=("python",), status=Status.REVIEW, title="Hidden in review")
    first = client.get("/tags/python/").content.decode()
    assert order_of(first, ["Number 00", "Number 01", "Number 11"])
    assert "Number 12" not in first and "Hidden in review" not in first
    assert "14 comparisons" in first
    second = client.get("/tags/python/?page=2").content.decode()
    assert "Number 12" in second and "Number 13" in second


def test_a_tag_used_only_on_drafts_does_not_exist_for_readers(client):
    make_comparison(tags=("unannounced",), status=Status.DRAFT)
    assert client.get("/tags/unannounced/").status_code == 404
    assert client.get("/tags/unannounced/feed/").status_code == 404
    assert client.get("/tags/no-such-tag/").status_code == 404


@pytest.mark.parametrize("suffix", ["", "feed/"])
def test_a_draft_only_tag_in_another_letter_case_is_404_not_a_redirect(client, suffix):
    """/tags/<Slug>/ for a tag on no published comparison answers 404: no hint that it exists."""
    make_comparison(tags=("unannounced",), status=Status.DRAFT)
    make_comparison(tags=("scheduled-secret",), published_at=timezone.now() + timedelta(days=1))
    for slug in ("Unannounced", "UNANNOUNCED", "Scheduled-Secret"):
        response = client.get(f"/tags/{slug}/{suffix}")
        assert response.status_code == 404, (slug, response.status_code)


# Categories -----------------------------------------------------------------------------------


def test_category_page_lists_its_published_comparisons_and_is_in_the_navigation(client):
    backend = make_category("Backend", slug="backend")
    empty = make_category("Quantum", slug="quantum")
    make_comparison(category=backend, title="In backend")
    make_comparison(category=make_category("Frontend", slug="frontend"), title="Elsewhere")
    make_comparison(category=empty, status=Status.DRAFT, title="Draft in quantum")
    page = client.get("/categories/backend/").content.decode()
    assert "In backend" in page and "Elsewhere" not in page
    assert "<h1>Backend</h1>" in page
    home = client.get("/").content.decode()
    assert 'href="/categories/backend/"' in home and 'href="/categories/frontend/"' in home
    assert 'href="/categories/quantum/"' not in home, "no link to a category with nothing live"
    assert client.get("/categories/nope/").status_code == 404


# Tools ----------------------------------------------------------------------------------------


def test_tool_page_shows_record_alternatives_and_where_it_was_suggested(client):
    flask = make_tool("Flask", summary="A small Python web framework.", website="https://f.io/")
    express, django, fastapi = make_tool("Express"), make_tool("Django"), make_tool("FastAPI")
    won = make_comparison(flask, express, title="Flask wins this one")  # pick a (Flask)
    lost = make_comparison(django, flask, title="Django wins this one")  # pick a (Django)
    other = make_comparison(fastapi, make_tool("Sanic"), title="Flask suggested here")
    Verdict.objects.filter(comparison=other).update(consider_tool=flask)
    make_comparison(flask, make_tool("Bottle"), status=Status.DRAFT, title="Flask draft")
    page = client.get("/tools/flask/").content.decode()
    assert "A small Python web framework." in page and 'href="https://f.io/"' in page
    assert "<dt>Picked</dt><dd>1</dd>" in page
    assert "<dt>Not picked</dt><dd>1</dd>" in page
    assert "<dt>Suggested as a third option</dt><dd>1</dd>" in page
    for title in (won.title, lost.title, other.title):
        assert title in page
    assert "Flask draft" not in page and "Bottle" not in page
    alternatives = page[page.index("Alternatives to Flask") :]
    assert 'href="/tools/django/"' in alternatives and 'href="/tools/express/"' in alternatives


def test_a_tool_in_many_comparisons_lists_them_a_page_at_a_time_with_its_whole_record(client):
    """At 100,000 comparisons a tool is in hundreds: its page must not list them all at once."""
    flask = make_tool("Flask")
    titles = [make_comparison(flask, make_tool(), title=f"Flask vs T{n}").title for n in range(14)]
    for n in range(14):
        Verdict.objects.filter(comparison__title=f"Flask vs T{n}").update(
            pick="a" if n % 2 else "b"
        )
    for n in range(15):
        other = make_comparison(title=f"Third option {n}")
        Verdict.objects.filter(comparison=other).update(consider_tool=flask)
    first = client.get("/tools/flask/").content.decode()
    second = client.get("/tools/flask/?page=2").content.decode()
    assert "<dt>Picked</dt><dd>7</dd>" in first and "<dt>Not picked</dt><dd>7</dd>" in first
    assert "<dt>Suggested as a third option</dt><dd>15</dd>" in first
    assert "The latest 12 of 15." in first
    shown_first = [title for title in titles if f">{title}</a>" in first]
    shown_second = [title for title in titles if f">{title}</a>" in second]
    assert len(shown_first) == 12 and len(shown_second) == 2
    assert set(shown_first) | set(shown_second) == set(titles)
    assert 'href="?page=2"' in first and "Page 1 of 2" in first
    assert client.get("/tools/flask/?page=3").status_code == 404


def test_a_tool_only_in_drafts_has_no_public_page(client):
    secret = make_tool("Secret Product")
    make_comparison(secret, make_tool(), status=Status.DRAFT)
    assert client.get(f"/tools/{secret.slug}/").status_code == 404
    assert client.get("/tools/unknown/").status_code == 404


# Related comparisons --------------------------------------------------------------------------


def test_related_ranks_shared_tool_then_shared_tags_then_category(client):
    flask = make_tool("Flask")
    backend, frontend = make_category(), make_category()
    article = make_comparison(
        flask, make_tool("Express"), category=backend, tags=("python", "web", "api")
    )
    same_category = make_comparison(category=backend, tags=("x",), title="Same category")
    one_tag = make_comparison(category=frontend, tags=("web",), title="One shared tag")
    two_tags = make_comparison(category=frontend, tags=("web", "api"), title="Two shared tags")
    shares_tool = make_comparison(
        flask, make_tool(), category=frontend, tags=("z",), title="Shares a tool"
    )
    make_comparison(category=frontend, tags=("unrelated",), title="Unrelated")
    make_comparison(flask, make_tool(), status=Status.DRAFT, title="Draft sharing tool")
    related = list(Comparison.objects.published().related_to(article))
    assert related == [shares_tool, two_tags, one_tag, same_category]
    page = client.get(article.get_absolute_url()).content.decode()
    aside = page[page.index('id="related-heading"') :]
    assert order_of(aside, [c.title for c in related])
    assert "Unrelated" not in aside and "Draft sharing tool" not in aside


def test_related_ranks_only_the_newest_candidates_of_each_kind():
    """Scoring every published row does not scale; the newest few sharing a tool, a tag or the
    category are ranked (50 of each on the site; 2 here)."""
    from datetime import timedelta

    from django.utils import timezone

    flask, now = make_tool("Flask"), timezone.now()

    def near(days, tags):
        return make_comparison(
            flask,
            make_tool(),
            tags=tags,
            category=make_category(),
            published_at=now - timedelta(days=days),
        )

    article = near(0, ("web", "api"))
    oldest = near(9, ("web", "api"))
    newer = [near(1, ("web",)), near(2, ("web",))]
    related = list(Comparison.objects.published().related_to(article, candidates=2))
    assert oldest not in related  # it shares more tags, but is not among the newest 2 …
    assert set(newer) <= set(related)
    assert oldest in Comparison.objects.published().related_to(article, candidates=50)


def test_related_is_at_most_five_and_never_the_article(client):
    flask = make_tool("Flask")
    article = make_comparison(flask, make_tool())
    for _ in range(8):
        make_comparison(flask, make_tool())
    related = list(Comparison.objects.published().related_to(article))
    assert len(related) == 5
    assert article not in related


# Pagination -----------------------------------------------------------------------------------


@pytest.mark.parametrize("page", ["0", "-1", "abc", "99999", "1.5", "%00", "9" * 40])
@pytest.mark.parametrize("url", ["/", "/tags/python/", "/categories/backend/", "/search/?q=a"])
def test_bad_page_numbers_answer_a_friendly_404(client, url, page):
    backend = make_category("Backend", slug="backend")
    for _ in range(2):
        make_comparison(category=backend, tags=("python",), summary="a python thing")
    separator = "&" if "?" in url else "?"
    response = client.get(f"{url}{separator}page={page}")
    assert response.status_code == 404
    assert "We couldn't find that page" in response.content.decode()


@pytest.mark.parametrize("slug", ["%00", "py%00thon", "a%20b", "%E2%98%83" * 60])
def test_malformed_tag_slugs_answer_404(client, slug):
    make_comparison(tags=("python",))
    assert client.get(f"/tags/{slug}/").status_code == 404
    assert client.get(f"/tags/{slug}/feed/").status_code == 404
