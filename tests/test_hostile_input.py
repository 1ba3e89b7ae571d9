"""
Hostile and random input, property-based (hypothesis, bounded): no public parameter, slug or
form field produces a 500, and no Markdown yields script, event handlers or javascript: URLs.
"""

import re
import time
from urllib.parse import quote

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from comparisons import antispam
from comparisons.rendering import render_markdown

from .conftest import TEST_READER
from .factories import make_category, make_comparison, make_tool, make_user
from .test_admin import comparison_form_data

pytestmark = pytest.mark.django_db

BOUNDED = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
NASTY = st.sampled_from(
    [
        "\x00",
        "'",
        '"',
        "%",
        "%00",
        "../../etc/passwd",
        "<script>alert(1)</script>",
        "' OR 1=1 --",
        "\\",
        "☃" * 50,
        "a" * 10_000,
        "%2F",
        "&page=2",
        ":*",
        "!(",
    ]
)
TEXT = st.one_of(NASTY, st.text(max_size=300))

# Any script but our JSON-LD and our own static files.
SCRIPT = re.compile(r"<script(?![^>]*(application/ld\+json|src=\"/static/))", re.I)
HANDLER = re.compile(r"<[^>]*\son[a-z]+\s*=", re.I)
JS_URL = re.compile(
    r"""(href|src|action)\s*=\s*["']?\s*(javascript|vbscript|data:text/html)""", re.I
)


@pytest.fixture
def site():
    backend = make_category("Backend", slug="backend")
    make_comparison(make_tool("Flask"), make_tool("Express"), category=backend, tags=("python",))


@BOUNDED
@given(query=TEXT)
def test_search_never_fails(client, site, query):
    response = client.get("/search/", {"q": query})
    assert response.status_code == 200


@BOUNDED
@given(category=TEXT, tag=TEXT)
def test_search_filters_never_fail(client, site, category, tag):
    response = client.get("/search/", {"category": category, "tag": tag})
    assert response.status_code == 200


@BOUNDED
@given(page=TEXT)
def test_page_numbers_never_fail(client, site, page):
    for url in ("/", "/tags/python/", "/categories/backend/"):
        assert client.get(url, {"page": page}).status_code in (200, 404)


@BOUNDED
@given(slug=TEXT.filter(lambda s: s.strip("/") != ""))
def test_slugs_never_fail(client, site, slug):
    quoted = quote(slug, safe="")
    for prefix in ("compare", "tags", "tools", "categories"):
        response = client.get(f"/{prefix}/{quoted}/")
        assert response.status_code in (200, 301, 404), (prefix, slug)
    assert client.get(f"/compare/{quoted}/disagree/").status_code in (200, 404)


@BOUNDED
@given(would_pick=TEXT, message=TEXT, name=TEXT, email=TEXT)
def test_feedback_fields_never_fail(client, settings, would_pick, message, name, email):
    settings.NICEPICK_FEEDBACK_RATE_LIMIT = (10_000, 600)
    comparison = make_comparison()
    response = client.post(
        reverse("comparisons:disagree", args=[comparison.slug]),
        {
            "would_pick": would_pick,
            "message": message,
            "name": name,
            "email": email,
            "stamp": antispam.issue_stamp(
                time.time() - 10, article=comparison.slug, reader=TEST_READER
            ),
        },
    )
    assert response.status_code in (200, 302)


HOSTILE_MARKDOWN = st.sampled_from(
    [
        "<script>alert(1)</script>",
        "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
        '<img src=x onerror="alert(1)">',
        "<a href='javascript:alert(1)'>x</a>",
        "[click](javascript:alert(1))",
        "[click](JaVaScRiPt:alert(1))",
        "![x](javascript:alert(1))",
        '<svg onload="alert(1)"></svg>',
        "<iframe src='https://evil.example'></iframe>",
        '<a href="data:text/html,<script>alert(1)</script>">x</a>',
        "<div style=\"background:url('javascript:alert(1)')\">x</div>",
        '<p title="x" onclick="alert(1)">x</p>',
        "<scr<script>ipt>alert(1)</script>",
        '<form action="javascript:alert(1)"><button>x</button></form>',
        "```\n<script>alert(1)</script>\n```",
        "## Heading <b onmouseover=alert(1)>x</b>",
    ]
)


@BOUNDED
@given(parts=st.lists(st.one_of(HOSTILE_MARKDOWN, st.text(max_size=80)), max_size=6))
def test_markdown_never_yields_script_handlers_or_javascript_urls(parts):
    html = render_markdown("\n\n".join(parts))
    assert not SCRIPT.search(html), html
    assert not HANDLER.search(html), html
    assert not JS_URL.search(html), html


@settings(
    max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(parts=st.lists(HOSTILE_MARKDOWN, min_size=1, max_size=5))
def test_no_page_shows_hostile_markdown_as_html(client, parts):
    comparison = make_comparison(body="\n\n".join(parts))
    for url in (comparison.get_absolute_url(), "/"):
        html = client.get(url).content.decode()
        assert not SCRIPT.search(html)
        assert not HANDLER.search(html)
        assert not JS_URL.search(html)


def test_over_long_fields_are_refused_with_a_message(client):
    client.force_login(make_user("editor", superuser=True))
    data = comparison_form_data(
        make_tool("Flask"),
        make_tool("Express"),
        make_category(),
        title="t" * 201,
        subtitle="s" * 201,
    )
    response = client.post(reverse("admin:comparisons_comparison_add"), data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Ensure this value has at most 200 characters (it has 201)." in page
    assert "t" * 201 in page, "what the editor typed is kept"


@pytest.mark.parametrize("page", ["¹", "²", "٣"])
def test_page_numbers_in_other_digits_never_fail(client, site, page):
    """Characters Python calls digits but int() refuses (superscripts) are a 404, never a 500."""
    assert client.get("/", {"page": page}).status_code in (200, 404)
