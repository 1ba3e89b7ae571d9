"""
The code `make bench` runs inside the site (bench/lib.py), run against the current models: a
change to what it calls fails here, not minutes into a benchmark.
"""

import json

import pytest

from bench import lib

from .factories import make_category, make_comparison

pytestmark = pytest.mark.django_db


def test_the_corpus_description_lists_what_readers_can_reach(capsys):
    article = make_comparison(tags=("python", "web"), category=make_category(slug="backend"))
    make_comparison(tags=("draft-only",), status="draft")
    exec(lib.DESCRIBE, {})  # noqa: S102 (our own code, as `manage.py shell -c` runs it)
    described = json.loads(capsys.readouterr().out)
    assert described["articles"] == [[article.pk, article.slug]]
    assert sorted(described["tags"]) == ["python", "web"]
    assert described["categories"] == ["backend"]
    assert described["tools"] == sorted([article.tool_a.slug, article.tool_b.slug])
