"""
axe-core finds no serious or critical accessibility violations on the readers' pages, in the
light and the dark colour scheme (colour contrast included).
"""

import pytest
from axe_playwright_python.sync_playwright import Axe

from comparisons import socialcards
from comparisons.models import Comparison

from ..factories import (
    add_fact_row,
    make_category,
    make_comparison,
    make_criterion,
    make_fact,
    make_tool,
    restore_pages,
)

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def article():
    flask, express = make_tool("Flask"), make_tool("Express")
    comparison = make_comparison(
        flask,
        express,
        title="Flask vs Express",
        category=make_category("Backend", slug="backend"),
        tags=("python",),
        body=(
            "## Why\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n```python\nprint(1)\n```"
            "\n\n## How\n\n### In detail\n\nText.\n\n## When\n\nNow."
        ),
        version_a="3.1",
        version_b="5.1",
    )
    license = make_criterion("License", description="The license of its source code.")
    make_fact(flask, license, "BSD-3-Clause", version="3.x")
    make_fact(express, license, "MIT")
    add_fact_row(comparison, license, edge="tie")
    return comparison


def serious(page):
    violations = Axe().run(page).response["violations"]
    return [
        f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes']][:5]}"
        for v in violations
        if v["impact"] in ("serious", "critical")
    ]


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("width", [375, 1280])
def test_readers_pages_have_no_serious_violations(new_page, live_server, article, width, scheme):
    restore_pages()
    socialcards.refresh_card(article)
    page = new_page(width, 900, color_scheme=scheme)
    slug = Comparison.objects.get().slug
    for path in (
        "/",
        f"/compare/{slug}/",
        "/tags/python/",
        "/tools/flask/",
        "/matrix/?tools=express,flask",
        "/matrix/?tools=flask",
        "/matrix/",
        "/search/?q=flask",
        "/search/?q=nothing-matches&category=backend",
        "/search/",
        "/categories/",
        "/categories/backend/",
        "/about/",
        "/contact/",
        "/no-such-page/",
    ):
        page.goto(live_server.url + path)
        assert serious(page) == [], (path, scheme)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_feedback_form_with_errors_has_no_serious_violations(
    new_page, live_server, article, scheme
):
    page = new_page(color_scheme=scheme)
    page.goto(f"{live_server.url}/compare/{article.slug}/disagree/")
    page.fill("#id_message", "short")
    page.click("text=Send to the editors")
    page.wait_for_selector("#message-error")
    assert serious(page) == []
