"""Search: what it finds, in what order, and what it does with hostile queries."""

import pytest
from django.db import connection

from comparisons.models import Comparison, Factor

from .factories import make_comparison, make_tool

pytestmark = pytest.mark.django_db

Status = Comparison.Status
TABLE = Comparison._meta.db_table
needs_postgres = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="PostgreSQL full-text search (CI runs it with DATABASE_URL pointing at PostgreSQL)",
)


def titles(client, query):
    response = client.get("/search/", {"q": query})
    assert response.status_code == 200
    return [result.comparison.title for result in response.context["results"]]


@pytest.fixture
def corpus():
    make_comparison(
        make_tool("Flask"),
        make_tool("Express"),
        title="Flask vs Express",
        summary="Small frameworks for web servers.",
        tags=("python",),
    )
    make_comparison(
        make_tool("PostgreSQL"),
        make_tool("MySQL"),
        title="PostgreSQL vs MySQL",
        subtitle="Relational databases for a new project",
        summary="Pick the database.",
        body="## Replication\n\nBoth offer streaming replication.",
        tags=("sql",),
    )
    make_comparison(
        make_tool("Redis"),
        make_tool("Memcached"),
        title="Redis vs Memcached",
        summary="Caches in memory.",
        tags=("cache",),
    )
    make_comparison(
        make_tool("Django"),
        make_tool("Rails"),
        title="Django vs Rails",
        summary="Full-stack frameworks compared; Flask is mentioned here too.",
        tags=("web",),
    )
    make_comparison(
        make_tool("Hidden A"),
        make_tool("Hidden B"),
        title="Flask draft nobody sees",
        status=Status.DRAFT,
    )


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("Memcached", "Redis vs Memcached"),  # a tool's name
        ("relational", "PostgreSQL vs MySQL"),  # the subtitle
        ("replication", "PostgreSQL vs MySQL"),  # the body
        ("caches", "Redis vs Memcached"),  # the summary
        ("sql", "PostgreSQL vs MySQL"),  # a tag
    ],
)
def test_search_finds_words_in_every_field(client, corpus, query, expected):
    assert expected in titles(client, query)


def test_search_finds_factor_names(client):
    comparison = make_comparison(title="Vue vs React")
    Factor.objects.create(
        comparison=comparison, name="Hydration strategy", value_a="x", value_b="y"
    )
    assert titles(client, "hydration") == ["Vue vs React"]


def test_title_matches_come_first_and_drafts_never_appear(client, corpus):
    found = titles(client, "flask")
    assert found[0] == "Flask vs Express"
    assert "Django vs Rails" in found
    assert "Flask draft nobody sees" not in found


def test_results_show_a_snippet_with_the_words_marked(client, corpus):
    page = client.get("/search/", {"q": "replication"}).content.decode()
    assert "<mark>replication</mark>" in page


def snippet_of(client, query):
    response = client.get("/search/", {"q": query})
    [result] = response.context["results"]
    return str(result.snippet), response.content.decode()


def test_snippets_show_ampersands_and_angle_brackets_as_written(client):
    """`R&D` and `1 < 2` in a body read as such in the snippet, never as `R&amp;D`."""
    make_comparison(body="Budgets for R&D teams grow when 1 < 2 and 3 > 2; AT&amp;T agrees.")
    snippet, page = snippet_of(client, "budgets")
    assert snippet == (
        "<mark>Budgets</mark> for R&amp;D teams grow when 1 &lt; 2 and 3 &gt; 2; AT&amp;T agrees."
    )
    assert "R&amp;D teams" in page
    assert "&amp;amp;" not in page and "&amp;lt;" not in page


def test_snippets_cannot_carry_markup_from_the_body(client):
    """Markup written as text in a body (code, entities) stays text in the snippet: no XSS."""
    make_comparison(
        body=(
            "Sneaky `<img src=x onerror=alert(1)>` and &lt;script&gt;alert(2)&lt;/script&gt; "
            "and <b onclick=alert(3)>bold</b> words."
        )
    )
    snippet, page = snippet_of(client, "onerror")
    assert "&lt;img src=x <mark>onerror</mark>=alert(1)&gt;" in snippet
    assert "&lt;script&gt;alert(2)&lt;/script&gt;" in snippet
    for markup in ("<img", "<script", "onclick", "<b"):
        assert markup not in snippet
    assert "<img src=x" not in page and "<script>alert(2)" not in page


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("", "Type a word or two"),
        ("   ", "Type a word or two"),
        ("x" * 10_000, "please keep it under 200"),
        ("'\"!&|:*()", "punctuation alone finds nothing"),
    ],
)
def test_empty_long_and_punctuation_only_queries_answer_with_a_message(client, query, message):
    response = client.get("/search/", {"q": query})
    assert response.status_code == 200
    assert message in response.content.decode()


@pytest.mark.parametrize(
    "query",
    [
        "flask\x00express",
        "'flask",
        'c++ "unterminated',
        "flask & | ! :* <->",
        "<script>alert(1)</script>",
        "%_\\",
        "a:*b",
        "ünïcödé 数据库",
    ],
)
def test_hostile_queries_never_break_the_page(client, corpus, query):
    response = client.get("/search/", {"q": query})
    assert response.status_code == 200
    assert "<script>alert(1)</script>" not in response.content.decode()


def test_the_index_follows_edits_to_factors_tags_and_tools(client):
    comparison = make_comparison(title="Alpha vs Beta")
    assert titles(client, "zephyr") == []
    comparison.tags.add("zephyr")
    assert titles(client, "zephyr") == ["Alpha vs Beta"]
    Factor.objects.create(comparison=comparison, name="Quokka factor", value_a="1", value_b="2")
    assert titles(client, "quokka") == ["Alpha vs Beta"]
    tool = comparison.tool_a
    tool.name = "Renamedtool"
    tool.save()
    assert titles(client, "renamedtool") == ["Alpha vs Beta"]


@needs_postgres
def test_postgres_search_stems_and_matches_prefixes(client, corpus):
    assert "PostgreSQL vs MySQL" in titles(client, "databases")  # stemmed: database
    assert "PostgreSQL vs MySQL" in titles(client, "postgre")  # prefix


@needs_postgres
def test_postgres_search_uses_the_gin_index():
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE tablename = 'comparisons_comparison'")
        definitions = [row[0] for row in cursor.fetchall()]
    assert any("gin (search_vector)" in definition for definition in definitions)


@needs_postgres
def test_a_broad_word_ranks_the_newest_matches_and_every_title_match(client, monkeypatch):
    """Ranking every match of a word most articles use does not scale (2.3 s at 100,000): it
    looks at the newest matches and the title matches only, and says there were more."""
    from datetime import timedelta

    from django.utils import timezone

    from comparisons import search

    monkeypatch.setattr(search, "CANDIDATES", 3)
    now = timezone.now()
    old_title = make_comparison(
        title="Widget makers compared", published_at=now - timedelta(days=30)
    )
    old_bodies = [
        make_comparison(body="A widget here.", published_at=now - timedelta(days=20 + n))
        for n in range(3)
    ]
    newest = [
        make_comparison(body="A widget here.", published_at=now - timedelta(days=n))
        for n in range(3)
    ]
    response = client.get("/search/", {"q": "widget"})
    shown = [result.comparison for result in response.context["results"]]
    assert shown[0] == old_title  # titles first, however old
    assert set(shown[1:]) == set(newest)
    assert not set(shown) & set(old_bodies)
    text = response.content.decode()
    assert "At least 3 comparisons match" in text and "add a word to narrow" in text
    narrow = client.get("/search/", {"q": "makers"}).content.decode()
    assert "1 comparison match" in narrow and "At least" not in narrow


@needs_postgres
def test_postgres_titles_have_their_own_gin_index():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname FROM pg_indexes WHERE tablename = 'comparisons_comparison'"
        )
        names = [row[0] for row in cursor.fetchall()]
    assert "comparison_title_gin" in names


# Filters by category and tag ------------------------------------------------------------------


@pytest.fixture
def shelves():
    from .factories import make_category

    backend = make_category("Backend", slug="backend")
    databases = make_category("Databases", slug="databases")
    make_comparison(
        make_tool("Flask"), make_tool("Express"), category=backend, tags=("python", "web")
    )
    make_comparison(make_tool("Django"), make_tool("Rails"), category=backend, tags=("web",))
    make_comparison(
        make_tool("PostgreSQL"), make_tool("MySQL"), category=databases, tags=("python", "sql")
    )
    make_comparison(
        make_tool("Hidden A"), make_tool("Hidden B"), category=databases, status=Status.DRAFT
    )


def found(client, **params):
    response = client.get("/search/", params)
    assert response.status_code == 200
    return sorted(result.comparison.title for result in response.context["results"])


def test_filters_narrow_a_search_by_category_and_tag(client, shelves):
    """Words, a category and a tag combine; a filter alone lists what it holds."""
    assert found(client, q="python") == ["Flask vs Express", "PostgreSQL vs MySQL"]
    assert found(client, q="python", category="backend") == ["Flask vs Express"]
    assert found(client, category="backend") == ["Django vs Rails", "Flask vs Express"]
    assert found(client, tag="web", category="backend") == ["Django vs Rails", "Flask vs Express"]
    assert found(client, tag="SQL") == ["PostgreSQL vs MySQL"]
    assert found(client, q="", tag="python") == ["Flask vs Express", "PostgreSQL vs MySQL"]


def test_filters_offer_only_what_readers_can_see(client, shelves):
    html = client.get("/search/").content.decode()
    assert '<option value="backend">Backend</option>' in html
    assert '<option value="sql">sql</option>' in html
    assert "Hidden" not in html


def test_an_unknown_filter_says_so_beside_it_and_keeps_the_words(client, shelves):
    html = client.get("/search/", {"q": "flask", "category": "nope"}).content.decode()
    assert 'id="category-error"' in html
    assert "No published comparison has the category “nope”" in html
    assert 'value="flask"' in html


def test_no_results_show_a_clear_way_on(client, shelves):
    """The empty state says what was searched and offers to drop the filters or browse."""
    html = client.get("/search/", {"q": "python", "category": "backend", "tag": "sql"}).content
    html = html.decode()
    assert "No comparisons found" in html
    assert "Search again without the filters" in html
    assert 'href="/search/?q=python"' in html
    assert 'href="/categories/"' in html


def test_pages_of_results_keep_the_filters(client):
    from .factories import make_category

    backend = make_category("Backend", slug="backend")
    for _ in range(12):
        make_comparison(category=backend, tags=("web",))
    html = client.get("/search/", {"category": "backend", "tag": "web"}).content.decode()
    assert 'href="?category=backend&amp;tag=web&amp;page=2"' in html


def test_hostile_filters_never_break_the_page(client, shelves):
    for value in ("\x00", "<script>alert(1)</script>", "x" * 5000, "%", "../"):
        response = client.get("/search/", {"category": value, "tag": value, "q": value})
        assert response.status_code == 200
        assert "<script>alert(1)</script>" not in response.content.decode()
