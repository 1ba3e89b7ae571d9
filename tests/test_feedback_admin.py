"""
The editors' feedback inbox: each note reads as the reader wrote it (escaped once), names the
article and the tools rather than "Tool A", can be answered by e-mail, and is one click away
from its article's change page.
"""

import html
import re

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from comparisons.models import Feedback

from .factories import make_comparison, make_editor, make_tool

pytestmark = pytest.mark.django_db


@pytest.fixture
def article():
    """Flask vs Express, which picks Flask."""
    return make_comparison(make_tool("Flask"), make_tool("Express"), title="Flask vs Express")


@pytest.fixture
def editor_client(client):
    client.force_login(make_editor())
    return client


def add_feedback(comparison, would_pick="b", message="Express has more middleware.", **fields):
    number = Feedback.objects.count() + 1
    return Feedback.objects.create(
        comparison=comparison,
        would_pick=would_pick,
        message=message,
        ip_hash="h",
        token=f"token-{number}",
        **fields,
    )


def change_url(feedback):
    return reverse("admin:comparisons_feedback_change", args=[feedback.pk])


CHANGELIST = reverse("admin:comparisons_feedback_changelist")


def filter_choices(response, title):
    """The link texts of one list filter on a changelist, in order."""
    page = response.content.decode()
    block = re.search(rf'<details data-filter-title="{title}".*?</details>', page, re.S)
    assert block, f"no {title!r} filter"
    return [
        html.unescape(re.sub(r"\s+", " ", text).strip())
        for text in re.findall(r"<a [^>]*>(.*?)</a>", block.group(0), re.S)
    ]


def test_a_message_reads_as_written_escaped_once_in_paragraphs(editor_client, article):
    """Apostrophes, tags and blank lines show as the reader typed them, not as entities."""
    feedback = add_feedback(article, message="It's quicker to start.\n\nAnd <b>bold</b> claims.")
    response = editor_client.get(change_url(feedback))
    assertContains(
        response,
        '<div class="feedback-message"><p>It\'s quicker to start.</p>'
        "<p>And &lt;b&gt;bold&lt;/b&gt; claims.</p></div>",
        html=True,
    )
    assertNotContains(response, "&amp;#x27;")
    assertNotContains(response, "&lt;p&gt;")


def test_the_change_page_heading_names_the_article_and_the_tool(editor_client, article):
    """The heading says which article and which tool, not "Tool B on 16"."""
    feedback = add_feedback(article, would_pick="b", message="Express has more middleware.")
    response = editor_client.get(change_url(feedback))
    assertContains(
        response,
        "<h2>On “Flask vs Express”, would pick Express: Express has more middleware.</h2>",
        html=True,
    )
    assertNotContains(response, "Tool B")
    assert str(add_feedback(article, would_pick="other")).startswith(
        "On “Flask vs Express”, would pick something else:"
    )


def test_the_would_pick_filter_speaks_of_the_articles_pick(editor_client, article):
    """Across articles: the article’s pick, the other tool, something else — and each works."""
    agrees = add_feedback(article, would_pick="a", message="Flask, as you said, is simpler.")
    other_tool = add_feedback(article, would_pick="b", message="Express has more middleware.")
    elsewhere = add_feedback(article, would_pick="other", message="Neither: try FastAPI.")
    response = editor_client.get(CHANGELIST)
    assert filter_choices(response, "would pick") == [
        "All",
        "The article’s pick",
        "The other tool",
        "Something else",
    ]
    assertNotContains(response, "Tool A")
    for value, expected in (("pick", agrees), ("other_tool", other_tool), ("else", elsewhere)):
        listed = editor_client.get(CHANGELIST, {"would_pick": value}).context["cl"].result_list
        assert list(listed) == [expected], value


def test_the_would_pick_filter_follows_each_articles_own_pick(editor_client, article):
    """An article that picks its tool B: readers choosing B are on the article's side."""
    picks_b = make_comparison(verdict={"pick": "b"})
    agrees = add_feedback(picks_b, would_pick="b")
    disagrees = add_feedback(picks_b, would_pick="a")
    add_feedback(article, would_pick="b")
    query = {"comparison__id__exact": picks_b.pk}
    for value, expected in (("pick", agrees), ("other_tool", disagrees)):
        listed = editor_client.get(CHANGELIST, {**query, "would_pick": value}).context["cl"]
        assert list(listed.result_list) == [expected], value


def test_one_click_from_the_article_lists_its_feedback_with_its_tool_names(editor_client, article):
    """The change page links to the article's feedback, whose filter names Flask and Express."""
    add_feedback(article, message="Express has more middleware.")
    add_feedback(make_comparison(), message="A note on another article.")
    change = editor_client.get(reverse("admin:comparisons_comparison_change", args=[article.pk]))
    link = re.search(r'<a href="([^"]+)">Reader feedback \(1, 1 new\)</a>', change.content.decode())
    assert link, "no link to the article's feedback"
    inbox = editor_client.get(link.group(1).replace("&amp;", "&"))
    assertContains(inbox, "Express has more middleware.")
    assertNotContains(inbox, "A note on another article.")
    assert filter_choices(inbox, "would pick") == [
        "All",
        "Flask (the article’s pick)",
        "Express (the other tool)",
        "Something else",
    ]


def test_reply_by_email_opens_a_mail_to_the_reader_about_the_article(editor_client):
    """A mailto link with the article's title as subject, URL-encoded."""
    article = make_comparison(title="Flask & Django: “which?”")
    feedback = add_feedback(article, name="Grace", email="grace+np@example.com")
    response = editor_client.get(change_url(feedback))
    assertContains(
        response,
        '<a href="mailto:grace+np@example.com?subject=Re%3A%20Flask%20%26%20Django%3A%20'
        '%E2%80%9Cwhich%3F%E2%80%9D">Reply by e-mail</a>',
        html=True,
    )


def test_no_reply_link_when_the_reader_left_no_address(editor_client, article):
    """Without an address there is nothing to click, and the page says why."""
    feedback = add_feedback(article, name="Anonymous reader", email="")
    response = editor_client.get(change_url(feedback))
    assertNotContains(response, "mailto:")
    assertContains(response, "The reader left no e-mail address.")
