"""An editor shares a draft with a preview link; a reviewer with no account opens it."""

import re

import pytest
from playwright.sync_api import expect

from comparisons.models import Comparison, PreviewLink

from ..factories import make_comparison, make_editor

pytestmark = pytest.mark.django_db(transaction=True)


def test_an_editor_shares_a_draft_and_revokes_the_link(new_page, live_server, login):
    base = live_server.url
    draft = make_comparison(status=Comparison.Status.DRAFT, title="Flask vs Quart, unpublished")
    editor = make_editor("eddie")
    page = new_page()
    errors = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    login(page, editor)
    page.goto(f"{base}/admin/comparisons/comparison/{draft.pk}/change/")
    panel = page.locator("#preview-links")
    panel.get_by_label("Works for").select_option(label="3 days")
    panel.get_by_label("Shared with").fill("Ana, Quart maintainer")
    panel.get_by_role("button", name="Create preview link").click()
    expect(page.locator(".messagelist .success")).to_contain_text("Preview link made")
    address = panel.get_by_label("Preview link for Ana, Quart maintainer")
    link_url = address.input_value()
    assert re.search(r"/preview/[^/]+/$", link_url)
    assert PreviewLink.objects.get().comparison_id == draft.pk

    reviewer = new_page()  # a fresh browser: no session, no cookies
    reviewer.goto(base + link_url[link_url.index("/preview/") :])
    expect(reviewer.locator("h1")).to_have_text("Flask vs Quart, unpublished")
    expect(reviewer.locator(".preview-banner")).to_contain_text("Preview of an unpublished version")
    expect(reviewer.locator("#disagree")).to_have_count(0)

    page.reload()
    expect(panel.locator("td", has_text=re.compile(r"^\s*1\b"))).to_have_count(1)  # one view
    panel.get_by_role("button", name="Revoke").click()
    expect(page.locator(".messagelist .success")).to_contain_text("Preview link revoked")
    reviewer.reload()
    expect(reviewer.locator("h1")).to_have_text("This preview link no longer works")
    assert not errors, errors
