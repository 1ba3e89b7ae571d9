"""The public pages are valid HTML, by the Nu HTML checker (vnu-jar from npm, run with Java)."""

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from django.template.loader import get_template
from django.utils.text import slugify

from comparisons import previews, socialcards
from comparisons.models import Comparison, Feedback

from .factories import (
    INCOMPLETE_DRAFTS,
    add_fact_row,
    make_author,
    make_category,
    make_comparison,
    make_criterion,
    make_draft,
    make_editor,
    make_fact,
    make_tool,
    restore_pages,
)

pytestmark = pytest.mark.django_db

VNU = Path(__file__).resolve().parent.parent / ".cache/vnu/node_modules/vnu-jar/build/dist/vnu.jar"


def checker():
    missing = []
    if shutil.which("java") is None:
        missing.append("Java")
    if not VNU.exists():
        missing.append("vnu.jar (`make vnu` installs it from npm)")
    if missing:
        reason = "Nu HTML checker needs " + " and ".join(missing)
        if os.environ.get("REQUIRE_BROWSER") == "1":
            pytest.fail(reason)
        pytest.skip(reason)
    return VNU


def test_public_pages_are_valid_html(client, tmp_path):
    jar = checker()
    flask = make_tool("Flask")
    article = make_comparison(
        flask,
        make_tool("Express"),
        category=make_category("Backend", slug="backend"),
        tags=("python",),
        author=make_author("Ada Lovelace", slug="ada", bio="Writes about <web> frameworks & more."),
        body=(
            "## Why\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n```python\nprint(1)\n```\n\n- one\n- two"
            "\n\n### Details\n\nMore.\n\n## How\n\nSo.\n\n## When\n\nNow."
        ),
    )
    license = make_criterion("License", description="The license of its source code.")
    make_fact(flask, license, "BSD-3-Clause", version="3.x")
    add_fact_row(article, license, edge="tie")  # Express has no fact: “Not recorded”
    Comparison.objects.filter(pk=article.pk).update(version_a="3.1", version_b="5.1")
    restore_pages()
    socialcards.refresh_card(article)
    Feedback.objects.create(
        comparison=article, would_pick="b", message="m" * 20, token="t", ip_hash="h"
    )
    pages = {
        "home": client.get("/"),
        "article": client.get(article.get_absolute_url()),
        "thanks": client.get(article.get_absolute_url() + "?feedback=sent"),
        "tags": client.get("/tags/"),
        "tag": client.get("/tags/python/"),
        "category": client.get("/categories/backend/"),
        "tool": client.get("/tools/flask/"),
        "matrix": client.get("/matrix/?tools=express,flask"),
        "matrix-chooser": client.get("/matrix/"),
        "matrix-error": client.get("/matrix/?tools=flask,nope"),
        "search": client.get("/search/", {"q": "flask"}),
        "search-error": client.get("/search/", {"q": ""}),
        "disagree-errors": client.post(
            f"/compare/{article.slug}/disagree/", {"message": "short", "stamp": "x"}
        ),
        "not-found": client.get("/compare/nothing-here/"),
        "categories": client.get("/categories/"),
        "about": client.get("/about/"),
        "contact": client.get("/contact/"),
        "search-start": client.get("/search/"),
        "search-filters": client.get("/search/", {"category": "backend", "tag": "python"}),
        "search-nothing": client.get("/search/", {"q": "zzz", "category": "nope"}),
        "author": client.get("/authors/ada/"),
    }
    # Preview links, as an outside reviewer sees them: working, then revoked.
    link = previews.create(make_draft(), make_editor())
    pages["preview-link"] = client.get(previews.url_for(link))
    previews.revoke(link, link.created_by)
    pages["preview-link-gone"] = client.get(previews.url_for(link))
    # Unfinished drafts, as their writer previews them.
    client.force_login(make_editor())
    for name, shape in INCOMPLETE_DRAFTS.items():
        draft = make_draft(**shape)
        pages[f"preview-{slugify(name)}"] = client.get(f"/compare/{draft.slug}/preview/")
    files = []
    unavailable = tmp_path / "unavailable.html"  # the 503 page, as the middleware renders it
    unavailable.write_text(get_template("503.html").render({}))
    files.append(str(unavailable))
    for name, response in pages.items():
        path = tmp_path / f"{name}.html"
        path.write_bytes(response.content)
        files.append(str(path))
    result = subprocess.run(  # noqa: S603 (our own files)
        ["java", "-jar", str(jar), "--errors-only", "--format", "json", *files],  # noqa: S607
        capture_output=True,
        text=True,
        timeout=180,
    )
    messages = json.loads(result.stderr or '{"messages": []}')["messages"]
    errors = [
        f"{Path(m.get('url', '')).name}:{m.get('lastLine')}: {m['message']}"
        for m in messages
        if m.get("type") == "error"
    ]
    assert not errors, "\n".join(errors)
