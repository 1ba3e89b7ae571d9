"""Markdown rendering: what survives sanitising, and what never does."""

import pytest

from comparisons.rendering import reading_minutes, render_markdown


@pytest.mark.parametrize(
    "markdown, forbidden",
    [
        ("<script>alert(1)</script>", "<script"),
        ("<script>alert(1)</script>", "alert(1)"),
        ('<img src="x.png" onerror="alert(1)">', "onerror"),
        ('<a href="#" onclick="steal()">x</a>', "onclick"),
        ("[click](javascript:alert(1))", "javascript:"),
        ('<a href="JaVaScRiPt:alert(1)">x</a>', "javascript:"),
        ('<a href="&#106;avascript:alert(1)">x</a>', "alert(1)"),
        ("![x](javascript:alert(1))", "javascript:"),
        ('<iframe src="https://evil.example"></iframe>', "<iframe"),
        ("<style>body{display:none}</style>", "<style"),
        ('<p style="position:fixed">x</p>', "style="),
        ('<form action="/steal"><input name="p"></form>', "<form"),
        ("<svg><script>alert(1)</script></svg>", "<svg"),
        ('## Title {onmouseover="alert(1)"}', "onmouseover"),
    ],
)
def test_dangerous_markup_is_removed(markdown, forbidden):
    """Script, event handlers, javascript: links and embedding tags never reach readers."""
    assert forbidden not in render_markdown(markdown).lower()


def test_headings_get_ids():
    """Headings carry ids, so sections can be linked to."""
    assert (
        render_markdown("## Where Flask wins") == '<h2 id="where-flask-wins">Where Flask wins</h2>'
    )


def test_tables_lists_code_links_and_images_survive():
    """The constructs writers use come through intact."""
    html = render_markdown(
        "| Factor | A |\n|---|---|\n| Speed | fast |\n\n"
        "- one\n- two\n\n1. first\n\n"
        "```\nprint('hi')\n```\n\n"
        'Use `pip`. See [docs](https://example.org/docs "Docs").\n\n'
        "![Logo](https://example.org/logo.png)"
    )
    assert "<table>" in html and "<td>fast</td>" in html
    assert "<ul>" in html and "<ol>" in html and "<li>one</li>" in html
    assert "<pre><code>print('hi')" in html
    assert "<code>pip</code>" in html
    assert (
        '<a href="https://example.org/docs" title="Docs" rel="noopener noreferrer">docs</a>' in html
    )
    assert '<img alt="Logo" src="https://example.org/logo.png">' in html


def test_text_is_escaped_not_interpreted():
    """Angle brackets in code stay text."""
    assert "&lt;script&gt;" in render_markdown("`<script>`")


def test_reading_minutes_counts_words():
    """200 words a minute, rounded up, and never less than a minute."""
    assert reading_minutes("") == 1
    assert reading_minutes("word " * 200) == 1
    assert reading_minutes("word " * 201) == 2
    assert reading_minutes("word " * 300, "word " * 300) == 3
