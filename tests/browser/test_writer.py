"""A writer can draft, submit and withdraw, and finds no way to publish."""

import pytest
from playwright.sync_api import expect

from ..factories import make_comparison, make_writer

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_writer_finds_no_way_to_publish(new_page, live_server, login):
    writer = make_writer("wendy")
    draft = make_comparison(status="draft", author=writer, title="Wendy's draft")
    page = new_page()
    login(page, writer)
    expect(page.locator("#my-drafts")).to_contain_text("Wendy's draft")
    page.goto(f"{live_server.url}/admin/comparisons/comparison/{draft.pk}/change/")
    expect(page.locator("button[value=submit]")).to_be_visible()
    for move in ("publish", "schedule", "unpublish", "archive", "request_changes"):
        expect(page.locator(f"button[name=_workflow][value={move}]")).to_have_count(0)
    expect(page.locator("[name=status]")).to_have_count(0)
    expect(page.locator("[name^=published_at]")).to_have_count(0)
    page.goto(f"{live_server.url}/admin/comparisons/comparison/")
    actions = page.locator("select[name=action] option").all_inner_texts()
    assert any("Submit" in action for action in actions)
    assert not [a for a in actions if "Publish" in a or "Schedule" in a or "Delete" in a]

    page.goto(f"{live_server.url}/admin/comparisons/comparison/{draft.pk}/change/")
    page.click("button[value=submit]")
    expect(page.locator(".messagelist")).to_contain_text("submitted for review")
    page.goto(f"{live_server.url}/admin/comparisons/comparison/{draft.pk}/change/")
    # In review, the writer can only take it back.
    expect(page.locator("button[name=_workflow]")).to_have_count(1)
    draft.refresh_from_db()
    assert draft.status == "review"
    page.click("button[value=withdraw]")
    expect(page.locator(".messagelist")).to_contain_text("withdrawn from review")
    draft.refresh_from_db()
    assert draft.status == "draft"
