"""
Verdicts kept up to date in the open, end to end (issue 12): an editor edits a live article,
previews the changes, shares them with an outside reviewer, publishes them with a public note,
and a reader sees the new verdict with its History entry.
"""

import pytest
from playwright.sync_api import expect

from comparisons.models import ChangeNote

from ..factories import make_comparison, make_editor, make_tool

pytestmark = pytest.mark.django_db(transaction=True)


def test_an_editor_changes_a_live_verdict_in_the_open(new_page, live_server, login):
    base = live_server.url
    article = make_comparison(make_tool("Flask"), make_tool("Express"), title="Flask vs Express")
    reader = new_page()
    reader.goto(base + article.get_absolute_url())
    expect(reader.locator(".pick-tool")).to_contain_text("Flask")

    page = new_page(1280, 900)
    login(page, make_editor("eddie"))
    page.goto(f"{base}/admin/comparisons/comparison/{article.pk}/change/")
    expect(page.locator(".pending-banner")).to_contain_text("This article is live")
    page.select_option("#id_verdict-0-pick", "b")
    page.fill("#id_verdict-0-headline", "Express has caught up")
    page.click("#action-bar button[name=_continue]")
    expect(page.locator(".messagelist")).to_contain_text("saved as pending changes")
    expect(page.locator(".pending-banner")).to_contain_text("Pick: Flask → Express")
    expect(page.locator("#action-state")).to_have_text("Live · changes pending")

    # Readers still see the live verdict, cached page or not.
    reader.reload()
    expect(reader.locator(".pick-tool")).to_contain_text("Flask")

    with page.context.expect_page() as opened:
        page.click("#action-bar >> text=Preview")
    preview = opened.value
    expect(preview.locator(".pick-tool")).to_contain_text("Express")
    preview.close()

    panel = page.locator("#preview-links")
    panel.get_by_role("button", name="Create preview link").click()
    expect(page.locator(".messagelist .success")).to_contain_text("Preview link made")
    link = panel.locator("input[readonly]").first.input_value()
    outsider = new_page()  # a fresh browser context: no account, no cookies
    outsider.goto(base + link[link.index("/preview/") :])
    expect(outsider.locator(".pick-tool")).to_contain_text("Express")
    expect(outsider.locator("h1")).to_have_text("Flask vs Express")

    page.click("#action-bar button[value=publish_changes]")
    note = page.locator("#id_workflow-note")
    expect(note).to_be_focused()  # the pick changed: a public note is required
    note.fill("Express 5 closed the gap on routing and errors.")
    page.click("#action-bar button[value=publish_changes]")
    expect(page.locator(".messagelist")).to_contain_text("are live")
    assert ChangeNote.objects.get().significant

    reader.reload()
    expect(reader.locator(".pick-tool")).to_contain_text("Express")
    history = reader.locator("#history")
    expect(history).to_contain_text("Express 5 closed the gap on routing and errors.")
    expect(history).to_contain_text("Pick: Flask → Express")
    expect(reader.locator(".meta .updated")).to_contain_text("Updated")
    reader.goto(base + "/changes/")
    expect(reader.locator("main")).to_contain_text("Flask vs Express")
