"""Read-only JSON: `/api/tools/<slug>.json` and `/api/compare/<slug>.json`, published data only."""

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from comparisons.models import Comparison, ToolFact

from .factories import add_fact_row, make_comparison, make_criterion, make_fact, make_tool

pytestmark = pytest.mark.django_db

Status = Comparison.Status


def get_json(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, (url, response.status_code)
    if status != 200:
        return None
    assert response["Content-Type"] == "application/json"
    assert response["X-Robots-Tag"] == "noindex"
    return json.loads(response.content)


@pytest.fixture
def article():
    flask, express = make_tool("Flask"), make_tool("Express")
    license = make_criterion("License", slug="license")
    make_fact(flask, license, "BSD-3-Clause", version="3.x", source_url="https://flask.example/l")
    make_fact(express, license, "MIT")
    comparison = make_comparison(
        flask,
        express,
        title="Flask vs Express",
        factors=1,
        version_a="3.1",
        version_b="5.1",
        verdict={"consider_tool": make_tool("FastAPI"), "consider_note": "For typed APIs."},
    )
    add_fact_row(comparison, license, edge="tie")
    return comparison


def test_compare_json_has_the_articles_structured_data(client, article):
    """Tools with the versions compared, factors with edges (facts filled in), pick, use-ifs."""
    data = get_json(client, f"/api/compare/{article.slug}.json")
    assert data["title"] == "Flask vs Express"
    assert data["tools"]["a"]["slug"] == "flask" and data["tools"]["a"]["version"] == "3.1"
    assert data["tools"]["b"]["version"] == "5.1"
    assert data["factors"][0] == {
        "name": "Factor 1",
        "criterion": None,
        "a": "A value 1",
        "b": "B value 1",
        "edge": "a",
    }
    assert data["factors"][1] == {
        "name": "License",
        "criterion": "license",
        "a": "BSD-3-Clause",
        "b": "MIT",
        "edge": "tie",
    }
    verdict = data["verdict"]
    assert verdict["pick"] == "a" and verdict["picked_tool"] == "flask"
    assert verdict["use_a_if"] and verdict["use_b_if"]
    assert verdict["consider"]["tool"]["slug"] == "fastapi"
    assert data["published_at"].startswith(str(article.published_at.year))
    assert data["url"].endswith("/compare/flask-vs-express/")


def test_tool_json_lists_facts_and_published_comparisons(client, article):
    """A tool's facts with versions, sources and dates; its live comparisons with the pick."""
    make_comparison(article.tool_a, make_tool("Bottle"), status=Status.DRAFT, title="Hidden draft")
    data = get_json(client, "/api/tools/flask.json")
    assert data["tool"]["name"] == "Flask"
    assert data["facts"] == [
        {
            "criterion": {"slug": "license", "name": "License", "kind": "text"},
            "value": "BSD-3-Clause",
            "version": "3.x",
            "source_url": "https://flask.example/l",
            "checked_on": timezone.localdate().isoformat(),
        }
    ]
    assert [c["slug"] for c in data["comparisons"]] == ["flask-vs-express"]
    assert data["comparisons"][0]["pick"] == "flask"


def test_tool_json_lists_comparisons_a_page_at_a_time(client, monkeypatch):
    """A tool in hundreds of comparisons answers in pages that link the next one."""
    from comparisons.views import api

    monkeypatch.setattr(api, "PAGE_SIZE", 2)
    flask = make_tool("Flask")
    made = [make_comparison(flask, make_tool()).slug for _ in range(5)]
    first = get_json(client, "/api/tools/flask.json")
    assert first["comparisons_page"] == {
        "number": 1,
        "pages": 3,
        "total": 5,
        "next": "http://127.0.0.1:8000/api/tools/flask.json?page=2",
    }
    seen = [c["slug"] for c in first["comparisons"]]
    for page in (2, 3):
        data = get_json(client, f"/api/tools/flask.json?page={page}")
        seen += [c["slug"] for c in data["comparisons"]]
    assert data["comparisons_page"]["next"] is None
    assert sorted(seen) == sorted(made)
    get_json(client, "/api/tools/flask.json?page=4", status=404)
    get_json(client, "/api/tools/flask.json?page=x", status=404)


def test_a_scale_lists_its_levels(client, article):
    """Consumers of a scale learn its order."""
    curve = make_criterion("Curve", kind="scale", levels="Gentle\nSteep")
    make_fact(article.tool_a, curve, "gentle")
    facts = get_json(client, "/api/tools/flask.json")["facts"]
    scale = next(fact for fact in facts if fact["criterion"]["kind"] == "scale")
    assert scale["criterion"]["levels"] == ["Gentle", "Steep"]
    assert scale["value"] == "Gentle"


@pytest.mark.parametrize(
    "shape",
    [
        {"status": Status.DRAFT},
        {"status": Status.REVIEW},
        {"status": Status.ARCHIVED},
        {"published_at": timezone.now() + timedelta(days=2)},
    ],
)
def test_json_never_contains_draft_or_pending_data(client, shape):
    """An article readers cannot see is a 404, its tools too if nothing public shows them."""
    hidden = make_comparison(make_tool("Koa"), make_tool("Hapi"), title="Secret Sloth", **shape)
    get_json(client, f"/api/compare/{hidden.slug}.json", status=404)
    get_json(client, "/api/compare/hapi-vs-koa.json", status=404)
    get_json(client, "/api/tools/koa.json", status=404)
    live = make_comparison(hidden.tool_a, make_tool("Sanic"), title="Live Lemur")
    data = get_json(client, "/api/tools/koa.json")
    assert "Secret Sloth" not in json.dumps(data)
    assert [c["slug"] for c in data["comparisons"]] == [live.slug]


def test_the_reversed_pair_redirects_to_the_canonical_json(client, article):
    """/api/compare/express-vs-flask.json answers 301 to flask-vs-express.json."""
    response = client.get("/api/compare/express-vs-flask.json")
    assert response.status_code == 301
    assert response["Location"] == "/api/compare/flask-vs-express.json"


def test_unknown_slugs_are_404(client):
    """Nothing there: 404, never 500."""
    for url in ("/api/tools/nothing.json", "/api/compare/nothing.json", "/api/tools/a-b.json"):
        assert client.get(url).status_code == 404


def test_json_is_cached_and_follows_fact_changes(client, article, django_assert_num_queries):
    """A warm JSON answer costs no query; a fact change shows on the next request."""
    url = f"/api/compare/{article.slug}.json"
    get_json(client, url)
    with django_assert_num_queries(0):
        response = client.get(url)
    assert response["ETag"]
    fact = ToolFact.objects.get(tool=article.tool_b)
    fact.value = "ISC"
    fact.save()
    assert get_json(client, url)["factors"][1]["b"] == "ISC"
