"""An editor reads a reader's long note at the full width of the page and replies by e-mail."""

import pytest
from playwright.sync_api import expect

from comparisons.models import Feedback

from ..factories import make_comparison, make_editor, make_tool

pytestmark = pytest.mark.django_db(transaction=True)

MESSAGE = (
    "We moved our team's services from Flask to Express last spring. " * 8
    + "\n\nIt's the middleware: everything we needed was already written."
)


def test_an_editor_reads_a_long_note_at_full_width_and_can_reply(new_page, live_server, login):
    article = make_comparison(make_tool("Flask"), make_tool("Express"), title="Flask vs Express")
    feedback = Feedback.objects.create(
        comparison=article,
        would_pick="b",
        message=MESSAGE,
        name="Grace",
        email="grace@example.com",
        ip_hash="h",
        token="t",
    )
    page = new_page(1280, 900)
    login(page, make_editor("eddie"))
    page.goto(f"{live_server.url}/admin/comparisons/feedback/{feedback.pk}/change/")
    message = page.locator(".feedback-message")
    expect(message).to_contain_text("It's the middleware")
    form_width = page.locator("#feedback_form").bounding_box()["width"]
    assert message.bounding_box()["width"] >= 0.85 * form_width
    reply = page.get_by_role("link", name="Reply by e-mail")
    expect(reply).to_have_attribute(
        "href", "mailto:grace@example.com?subject=Re%3A%20Flask%20vs%20Express"
    )
