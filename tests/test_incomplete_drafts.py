"""
Unfinished drafts are an editor's normal day: every page a draft reaches — the preview, "View
on site", the admin's change page, changelist and dashboard, and each include of the article —
renders a draft that lacks any optional part, and says what is still missing.
"""

import re

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse
from pytest_django.asserts import assertContains

from comparisons.forms import FeedbackForm
from comparisons.models import Comparison, Feedback

from .factories import (
    INCOMPLETE_DRAFTS,
    make_comparison,
    make_draft,
    make_editor,
    make_tool,
    make_writer,
)

pytestmark = pytest.mark.django_db

SHAPES = pytest.mark.parametrize("shape", INCOMPLETE_DRAFTS.values(), ids=INCOMPLETE_DRAFTS)
ROLES = pytest.mark.parametrize("role", ["editor", "writer"])


def preview_url(comparison):
    return reverse("comparisons:preview", args=[comparison.slug])


def change_url(comparison):
    return reverse("admin:comparisons_comparison_change", args=[comparison.pk])


def login_as(client, role):
    """An editor, or the writer who wrote the draft; returns the user to be its author."""
    user = make_editor() if role == "editor" else make_writer()
    client.force_login(user)
    return user


def add_feedback(comparison, would_pick, number):
    return Feedback.objects.create(
        comparison=comparison,
        would_pick=would_pick,
        message="I would pick the other one.",
        ip_hash=f"hash-{number}",
        token=f"token-{comparison.pk}-{number}",
    )


@SHAPES
@ROLES
def test_every_incomplete_draft_previews(client, role, shape):
    """The preview of any unfinished draft answers 200 with its banner, for editor and writer."""
    author = login_as(client, role)
    draft = make_draft(title="Work in progress", author=author, **shape)
    response = client.get(preview_url(draft))
    assert response.status_code == 200
    assert "Preview — Draft." in response.content.decode()
    assert "<h1>Work in progress</h1>" in response.content.decode()


@ROLES
def test_a_draft_without_tools_says_which_tools_are_not_chosen_yet(client, role):
    """Where a tool's name and link would be, the preview names the side still to choose."""
    author = login_as(client, role)
    draft = make_draft(tools=0, author=author)
    response = client.get(preview_url(draft))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Tool A not chosen yet" in page
    assert "Tool B not chosen yet" in page
    # The pick box names the side the verdict picked, with no link to a tool page.
    assert '<p class="pick-tool"><span class="tool-missing">Tool A not chosen yet</span></p>' in (
        page
    )
    # The factor table's columns are headed by the sides still to choose.
    assert '<th scope="col">Tool B not chosen yet</th>' in page


def test_a_draft_with_one_tool_links_that_tool_and_names_the_missing_one(client):
    """One chosen tool is linked; the verdict that picks the other side says it is missing."""
    tool = make_tool("Flask")
    client.force_login(make_editor())
    draft = make_draft(tools=1, tool_a=tool, verdict={"pick": "b"})
    response = client.get(preview_url(draft))
    assert response.status_code == 200
    page = response.content.decode()
    assert '<p class="pick-tool"><span class="tool-missing">Tool B not chosen yet</span></p>' in (
        page
    )
    assertContains(
        response,
        f'<p class="article-tools">More on <a href="/tools/{tool.slug}/">Flask</a>: '
        "every comparison and its alternatives.</p>",
        html=True,
    )
    assert "Use Tool B not chosen yet if" in page


def test_a_draft_with_nothing_but_a_title_previews_without_empty_sections(client):
    """No pick box, no factor table, no verdict, no tags — and no empty shells of them."""
    client.force_login(make_editor())
    draft = make_draft(**INCOMPLETE_DRAFTS["nothing but a title"])
    page = client.get(preview_url(draft)).content.decode()
    for absent in ("Our pick", "Quick comparison", "The verdict", "More on", 'class="tags"'):
        assert absent not in page
    assert "Not published" in page


def test_a_verdict_with_nothing_but_its_pick_shows_no_empty_verdict_section(client):
    """The verdict section appears only when it has something to say beyond the pick box."""
    client.force_login(make_editor())
    draft = make_draft(**INCOMPLETE_DRAFTS["bare verdict"])
    page = client.get(preview_url(draft)).content.decode()
    assert "Our pick" in page
    assert "The verdict" not in page
    assert "Bottom line" not in page


def test_a_consider_note_without_its_tool_is_still_shown(client):
    """A third-option note written before its tool is chosen is not silently dropped."""
    client.force_login(make_editor())
    draft = make_draft(**INCOMPLETE_DRAFTS["consider note without a tool"])
    page = client.get(preview_url(draft)).content.decode()
    assert "Also consider" in page
    assert "Or wait a year." in page


@SHAPES
def test_view_on_site_of_an_incomplete_draft_reaches_its_preview(client, shape):
    """The admin's "View on site" of a draft leads to a working preview."""
    client.force_login(make_editor())
    draft = make_draft(**shape)
    page = client.get(change_url(draft)).content.decode()
    link = re.search(r'<a href="([^"]+)" class="viewsitelink">', page)
    assert link, "no View on site link"
    assert link.group(1) == preview_url(draft)
    response = client.get(link.group(1))
    assert response.status_code == 200


@SHAPES
@ROLES
def test_every_incomplete_draft_opens_in_the_admin(client, role, shape):
    """Change page, changelist and dashboard list an unfinished draft for editor and writer."""
    author = login_as(client, role)
    draft = make_draft(title="Half written", author=author, **shape)
    change = client.get(change_url(draft))
    assert change.status_code == 200
    assert "Half written" in change.content.decode()
    changelist = client.get(reverse("admin:comparisons_comparison_changelist"))
    assert changelist.status_code == 200
    assert "Half written" in changelist.content.decode()
    dashboard = client.get(reverse("admin:index"))
    assert dashboard.status_code == 200
    assert "Half written" in dashboard.content.decode()


def test_the_workflow_panel_names_everything_a_bare_draft_lacks(client):
    """An editor opening a bare draft is told what publishing it still needs."""
    client.force_login(make_editor())
    draft = make_draft(**INCOMPLETE_DRAFTS["nothing but a title"])
    response = client.get(change_url(draft))
    assert response.status_code == 200
    assert (
        "Before it can be published it needs both tools, a summary, a verdict, at least one factor."
    ) in response.content.decode()


def test_a_changelist_of_only_incomplete_drafts_renders(client):
    """All shapes at once in one changelist (and filtered by state) render."""
    client.force_login(make_editor())
    for shape in INCOMPLETE_DRAFTS.values():
        make_draft(**shape)
    url = reverse("admin:comparisons_comparison_changelist")
    for query in ("", "?status__exact=draft", "?q=draft"):
        assert client.get(url + query).status_code == 200


def test_the_tally_of_a_draft_without_tools_names_the_sides(client):
    """Feedback kept from when it was live: the tally names the sides, not blanks."""
    client.force_login(make_editor())
    draft = make_draft(tools=0)
    for number, pick in enumerate(("a", "b", "other")):
        add_feedback(draft, pick, number)
    page = client.get(preview_url(draft)).content.decode()
    assert "1 would pick Tool A not chosen yet, 1 Tool B not chosen yet, 1 something else." in page


def test_a_published_article_that_lost_a_tool_still_renders_for_readers(client):
    """An editor cleared tool B of a live article: its page, form and lists keep working."""
    article = make_comparison(verdict={"pick": "b"})
    Comparison.objects.filter(pk=article.pk).update(tool_b=None)
    detail = client.get(article.get_absolute_url())
    assert detail.status_code == 200
    assert "Tool B not chosen yet" in detail.content.decode()
    for url in (
        reverse("comparisons:disagree", args=[article.slug]),
        reverse("home"),
        reverse("comparisons:feed"),
        reverse("comparisons:tool", args=[article.tool_a.slug]),
        reverse("comparisons:search") + "?q=python",
    ):
        assert client.get(url).status_code == 200, url


INCLUDES = (
    "comparisons/includes/factor_table.html",
    "comparisons/includes/verdict.html",
    "comparisons/includes/tally.html",
    "comparisons/includes/disagree_form.html",
    "comparisons/includes/card.html",
)


@SHAPES
def test_each_article_include_renders_an_incomplete_draft(shape):
    """The article's fragments, rendered alone, survive any missing part."""
    draft = make_draft(**shape)
    add_feedback(draft, "a", 1)
    context = {
        "comparison": draft,
        "verdict": getattr(draft, "verdict", None),
        "factors": draft.factors.all(),
        "tally": Feedback.objects.tally(draft),
        "form": FeedbackForm(comparison=draft),
    }
    request = RequestFactory().get("/")
    rendered = {
        template: render_to_string(template, context, request=request) for template in INCLUDES
    }
    for template, html in rendered.items():
        assert "None" not in html, template
    if draft.tool_b is None:
        # Where the table's column and the tally would name tool B, they name the missing side.
        for template in ("factor_table.html", "tally.html"):
            assert "Tool B not chosen yet" in rendered[f"comparisons/includes/{template}"]
