"""Readers' pages: the article and the home page, and what they refuse to show."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from comparisons.models import Comparison, Verdict

from .factories import make_comparison, make_tool

pytestmark = pytest.mark.django_db


@pytest.fixture
def flask_vs_express():
    comparison = make_comparison(
        make_tool("Flask"),
        make_tool("Express"),
        slug="flask-vs-express",
        subtitle="Small Python core or the Node default",
        summary="Express wins for most web back ends.",
        body="## Framing the fight\n\nTwo small cores.\n\n<script>alert('x')</script>",
        tags=("python", "javascript"),
        factors=0,
        verdict=False,
    )
    comparison.factors.create(name="Language", value_a="Python", value_b="JavaScript", position=2)
    comparison.factors.create(
        name="Async", value_a="Bolted on", value_b="Native", edge="b", position=1
    )
    Verdict.objects.create(
        comparison=comparison,
        pick="b",
        headline="The ecosystem decides it",
        reason="npm has a package for everything.",
        use_a_if="Your team lives in Python.",
        use_b_if="You ship JavaScript end to end.",
        consider_tool=make_tool("FastAPI"),
        consider_note="Typed Python APIs with async built in.",
        bottom_line="Pick by language, then by ecosystem.",
    )
    return comparison


def test_article_shows_its_parts_in_order(client, flask_vs_express):
    """Meta, title, summary, pick, body, table, verdict, bottom line, tags, disagree: in order."""
    response = client.get("/compare/flask-vs-express/")
    assert response.status_code == 200
    html = response.content.decode()
    html = html[html.index("<main") :]
    landmarks = [
        "min read",
        "<h1>Flask vs Express</h1>",
        "Small Python core or the Node default",
        "Express wins for most web back ends.",
        "Our pick",
        "The ecosystem decides it",
        '<h2 id="framing-the-fight">Framing the fight</h2>',
        "Quick comparison",
        "The verdict",
        "Use Flask if",
        "Use Express if",
        "Consider: FastAPI",
        "Bottom line",
        "Pick by language, then by ecosystem.",
        "javascript</a></li>",
        "Disagree?",
    ]
    positions = [html.find(landmark) for landmark in landmarks]
    assert -1 not in positions, [m for m, p in zip(landmarks, positions, strict=True) if p == -1]
    assert positions == sorted(positions)
    assert "<script>alert" not in html


def test_article_table_lists_factors_by_position_and_marks_the_edge(client, flask_vs_express):
    """Rows follow their position; the favoured side is marked, the other is not."""
    html = client.get("/compare/flask-vs-express/").content.decode()
    assert html.index(">Async") < html.index(">Language")
    row = re.search(r'<tr class="edge-b">.*?</tr>', html, re.S).group(0)
    assert re.search(
        r'<td data-label="Express" class="favoured">Native <span class="edge-mark"', row
    )
    assert 'data-label="Flask" class="favoured"' not in row


def test_article_pick_names_the_winning_tool(client, flask_vs_express):
    """The pick box names tool B when the verdict picks b."""
    response = client.get("/compare/flask-vs-express/")
    assert (
        '<p class="pick-tool"><a href="/tools/express/">Express</a></p>'
        in response.content.decode()
    )


def test_reversed_pair_redirects_permanently_to_the_article(client, flask_vs_express):
    """/compare/express-vs-flask/ answers 301 to the canonical address."""
    response = client.get("/compare/express-vs-flask/")
    assert response.status_code == 301
    assert response["Location"] == "/compare/flask-vs-express/"


def test_pair_spelling_redirects_to_a_custom_slug(client):
    """Any spelling of the pair finds an article published under another slug."""
    make_comparison(make_tool("Vue"), make_tool("React"), slug="vue-or-react-2026")
    response = client.get("/compare/react-vs-vue/")
    assert response.status_code == 301
    assert response["Location"] == "/compare/vue-or-react-2026/"


def test_unknown_slug_is_404(client):
    """An address no article has answers 404 with the site's page."""
    response = client.get("/compare/nothing-here/")
    assert response.status_code == 404
    assert "couldn't find that page" in response.content.decode()


@pytest.mark.parametrize(
    "status, published_at",
    [
        (Comparison.Status.DRAFT, None),
        (Comparison.Status.REVIEW, None),
        (Comparison.Status.ARCHIVED, timezone.now() - timedelta(days=1)),
        (Comparison.Status.PUBLISHED, timezone.now() + timedelta(days=1)),
    ],
)
def test_unpublished_article_is_404_even_by_its_reversed_pair(client, status, published_at):
    """Drafts, reviews, archived and future articles are not found, by slug or by pair."""
    make_comparison(
        make_tool("Flask"),
        make_tool("Express"),
        slug="flask-vs-express",
        status=status,
        published_at=published_at,
    )
    assert client.get("/compare/flask-vs-express/").status_code == 404
    assert client.get("/compare/express-vs-flask/").status_code == 404


def test_related_lists_shared_tool_first_then_shared_tags(client, flask_vs_express):
    """Related: articles sharing a tool, then by tags shared; only published; never itself."""
    flask = flask_vs_express.tool_a
    shares_tool = make_comparison(flask, make_tool("Django"), tags=())
    two_tags = make_comparison(tags=("python", "javascript"))
    one_tag = make_comparison(tags=("python",))
    make_comparison(tags=("go",))  # unrelated
    make_comparison(flask, make_tool("Bottle"), status=Comparison.Status.DRAFT)
    response = client.get("/compare/flask-vs-express/")
    assert [c.pk for c in response.context["related"]] == [shares_tool.pk, two_tags.pk, one_tag.pk]


def test_home_lists_only_live_comparisons_newest_first(client):
    """The home page shows published cards, newest first, and nothing unpublished."""
    older = make_comparison(title="Older one", published_at=timezone.now() - timedelta(days=2))
    newer = make_comparison(title="Newer one", published_at=timezone.now() - timedelta(days=1))
    make_comparison(title="Secret draft", status=Comparison.Status.DRAFT)
    make_comparison(title="Not yet", published_at=timezone.now() + timedelta(hours=1))
    response = client.get("/")
    assert response.status_code == 200
    assert [row.pk for row in response.context["comparisons"]] == [newer.pk, older.pk]
    html = response.content.decode()
    assert "Secret draft" not in html and "Not yet" not in html
    assert f'href="{newer.get_absolute_url()}"' in html


@pytest.mark.parametrize("page", ["0", "-1", "abc", "99999"])
def test_home_bad_page_numbers_are_404(client, page):
    """Bad page numbers answer 404, not 500."""
    make_comparison()
    assert client.get("/", {"page": page}).status_code == 404


def test_pages_are_readable_on_a_phone(client, flask_vs_express):
    """Every page declares a device-width viewport and loads the site's own stylesheet."""
    for url in ("/", "/compare/flask-vs-express/"):
        html = client.get(url).content.decode()
        assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in html
        assert "/static/comparisons/site.css" in html
