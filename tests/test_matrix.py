"""The readers' matrix: `/matrix/?tools=a,b[,c[,d]]`, 2–4 tools side by side, fact by fact."""

import pytest
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from comparisons.models import Comparison, Criterion

from .factories import make_comparison, make_criterion, make_fact, make_tool
from .test_hostile_input import BOUNDED, NASTY

pytestmark = pytest.mark.django_db


@pytest.fixture
def backend():
    """Flask, Express and FastAPI with facts; Flask vs Express and FastAPI vs Flask published."""
    flask, express, fastapi = make_tool("Flask"), make_tool("Express"), make_tool("FastAPI")
    language = make_criterion("Language", position=1)
    curve = make_criterion(
        "Learning curve", kind=Criterion.Kind.SCALE, levels="Gentle\nSteep", position=2
    )
    for tool, lang, level in (
        (flask, "Python", "Gentle"),
        (express, "JavaScript", "Gentle"),
        (fastapi, "Python", "Steep"),
    ):
        make_fact(tool, language, lang, version="3.1" if tool is flask else "")
        make_fact(tool, curve, level)
    make_comparison(flask, express, title="Flask vs Express")
    make_comparison(fastapi, flask, title="FastAPI vs Flask", verdict={"pick": "a"})
    return flask, express, fastapi


def get(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, (url, response.status_code)
    return response


def test_the_matrix_shows_criteria_as_rows_and_tools_as_columns(client, backend):
    """Each criterion a row, each tool a column, each fact in its cell (with its version)."""
    html = get(client, "/matrix/?tools=express,fastapi,flask").content.decode()
    header = html[html.index("<thead>") : html.index("</thead>")]
    assert header.index("Express") < header.index("FastAPI") < header.index("Flask")
    body = html[html.index("<tbody>") : html.index("</tbody>")]
    assert body.index("Language") < body.index("Learning curve")
    assert "JavaScript" in body and "Steep" in body
    assert "(3.1)" in body


def test_each_pair_links_its_published_verdict(client, backend):
    """“Flask vs Express — our pick: Flask”; a pair with no article says so."""
    html = " ".join(get(client, "/matrix/?tools=express,fastapi,flask").content.decode().split())
    assert "Flask vs Express</a> — our pick: <strong>Flask</strong>" in html
    assert "FastAPI vs Flask</a> — our pick: <strong>FastAPI</strong>" in html
    assert 'Express vs FastAPI — <span class="no-verdict">no verdict from us yet' in html
    assert "This table is facts, not a verdict" in html


def test_a_matrix_is_indexed_only_when_every_pair_has_a_verdict(client, backend, settings):
    """Three tools with one pair not compared: noindex. Two compared tools: indexable."""
    partial = get(client, "/matrix/?tools=express,fastapi,flask")
    assert '<meta name="robots" content="noindex">' in partial.content.decode()
    assert partial["X-Robots-Tag"] == "noindex"
    complete = get(client, "/matrix/?tools=express,flask")
    assert "noindex" not in complete.content.decode()
    assert "X-Robots-Tag" not in complete
    canonical = f'<link rel="canonical" href="{settings.SITE_URL}/matrix/?tools=express,flask">'
    assert canonical in complete.content.decode()


def test_an_unpublished_verdict_does_not_count(client, backend):
    """A pair whose article is only a draft shows no verdict, and the matrix stays noindex."""
    flask, express, fastapi = backend
    make_comparison(express, fastapi, title="Express vs FastAPI draft", status="draft")
    html = get(client, "/matrix/?tools=express,fastapi,flask").content.decode()
    assert "Express vs FastAPI draft" not in html
    assert "noindex" in html


@pytest.mark.parametrize(
    "query",
    [
        "flask,express",
        "flask,fastapi,express",
        "FLASK,Express",
        " flask , express ",
        "flask,express,flask",
    ],
)
def test_other_orders_redirect_to_the_canonical_address(client, backend, query):
    """Any order, case, spacing or repetition of the same tools: 301 to one address."""
    response = client.get("/matrix/", {"tools": query})
    assert response.status_code == 301
    tools = sorted({part.strip().lower() for part in query.split(",")})
    assert response["Location"] == "/matrix/?tools=" + ",".join(tools)


def test_the_chooser_form_leads_to_the_canonical_address(client, backend):
    """The page's checkboxes send ?tool=…&tool=…: a redirect to the one address."""
    response = client.get("/matrix/", {"tool": ["flask", "express"]})
    assert response.status_code == 302
    assert response["Location"] == "/matrix/?tools=express,flask"


def test_the_matrix_page_without_tools_offers_the_chooser(client, backend):
    """/matrix/ lists the tools readers can pick, as checkboxes."""
    html = get(client, "/matrix/").content.decode()
    assert 'name="tool" value="flask"' in html
    assert "Choose 2 to 4 tools" in html


@pytest.mark.parametrize(
    ("query", "status", "message"),
    [
        ("flask", 400, "Choose at least 2 tools to compare."),
        ("flask,express,fastapi,django,rails", 400, "A matrix compares 4 tools at most."),
        ("flask,nosuchtool", 404, "We have no tool called “nosuchtool”."),
        (",,,", 400, "Choose at least 2 tools to compare."),
    ],
)
def test_bad_tool_lists_get_a_clear_message(client, backend, query, status, message):
    """Too few, too many or unknown tools: the page with a message and the chooser; no 500."""
    response = client.get("/matrix/", {"tools": query})
    assert response.status_code == status
    html = response.content.decode()
    assert message in html
    assert 'name="tool"' in html
    assert "noindex" in html


def test_a_tool_only_drafts_use_is_unknown_to_readers(client, backend):
    """A tool in no published comparison cannot be looked up in a matrix (nor listed)."""
    flask, _, _ = backend
    bottle = make_tool("Bottle")
    make_comparison(flask, bottle, status=Comparison.Status.DRAFT)
    make_comparison(
        bottle, make_tool("Sanic"), published_at=timezone.now() + timezone.timedelta(days=1)
    )
    response = client.get("/matrix/", {"tools": "bottle,flask"})
    assert response.status_code == 404
    assert 'value="bottle"' not in get(client, "/matrix/").content.decode()


def test_a_tool_suggested_as_the_third_option_can_be_compared(client, backend):
    """The third option of a published verdict has a public page, so it has a matrix too."""
    flask, express, _ = backend
    django = make_tool("Django")
    make_comparison(flask, make_tool("Bottle"), verdict={"consider_tool": django})
    assert get(client, "/matrix/?tools=django,flask").status_code == 200


def test_tool_pages_and_articles_link_to_a_matrix_with_their_alternatives(client, backend):
    """The article links the matrix of its two tools and its third option; the tool page its
    most recent alternatives."""
    flask, express, fastapi = backend
    article = make_comparison(
        make_tool("Koa"), express, verdict={"consider_tool": fastapi}, title="Koa vs Express"
    )
    html = get(client, article.get_absolute_url()).content.decode()
    assert 'href="/matrix/?tools=express,fastapi,koa"' in html
    assert (
        'href="/matrix/?tools=express,fastapi,flask"'
        in get(client, "/tools/flask/").content.decode()
    )


def test_a_warm_matrix_costs_no_queries(client, backend, django_assert_num_queries):
    """Cached like the other public pages."""
    get(client, "/matrix/?tools=express,flask")
    with django_assert_num_queries(0):
        get(client, "/matrix/?tools=express,flask")


def test_publishing_a_verdict_refreshes_the_matrix(client, backend):
    """A new published article for a pair shows on the cached matrix at once."""
    flask, express, fastapi = backend
    html = get(client, "/matrix/?tools=express,fastapi").content.decode()
    assert "no verdict from us yet" in html
    make_comparison(express, fastapi, title="Express vs FastAPI")
    html = get(client, "/matrix/?tools=express,fastapi").content.decode()
    assert "Express vs FastAPI</a>" in html
    assert "noindex" not in html


HOSTILE_TOOLS = st.one_of(
    NASTY,
    st.text(max_size=200),
    st.lists(st.sampled_from(["flask", "express", "fastapi", "FLASK", "", " ", "nope"])).map(
        ",".join
    ),
)


@BOUNDED
@given(tools=HOSTILE_TOOLS, extra=st.lists(st.one_of(NASTY, st.text(max_size=40)), max_size=3))
def test_hostile_tool_lists_never_fail(client, backend, tools, extra):
    """Whatever `tools` and `tool` say: a page, a redirect or a clear 4xx; never a 500."""
    response = client.get("/matrix/", {"tools": tools, "tool": extra})
    assert response.status_code in (200, 301, 302, 400, 404)
    if response.status_code in (400, 404):
        assert 'class="form-notice matrix-error"' in response.content.decode()
