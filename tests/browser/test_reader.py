"""A reader on a phone reads an article and disagrees; an editor finds the note."""

import pytest
from playwright.sync_api import expect

from ..factories import make_comparison, make_editor, make_tool

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def article(settings):
    settings.NICEPICK_FEEDBACK_MIN_SECONDS = 1  # the anti-spam delay, kept short for tests
    return make_comparison(
        make_tool("Flask"), make_tool("Express"), title="Flask vs Express", factors=8
    )


def test_reader_on_a_phone_disagrees_and_an_editor_sees_it(new_page, live_server, login, article):
    page = new_page(375, 740)
    page.goto(live_server.url + article.get_absolute_url())
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    expect(page.locator(".quick")).to_be_visible()
    expect(page.locator(".quick")).to_contain_text("Factor 8")

    page.get_by_label("Express", exact=True).check()  # starting on the form fetches its stamp
    page.fill("#id_message", "Our team writes TypeScript everywhere, so Express wins for us.")
    expect(page.locator("input[name=stamp]")).not_to_have_value("")
    page.wait_for_timeout(1_200)  # a person takes longer than the anti-spam minimum
    page.click("text=Send to the editors")
    expect(page.locator(".thanks")).to_contain_text("Thank you — your note reached the editors.")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375

    editor_page = new_page()
    login(editor_page, make_editor("eddie"))
    editor_page.goto(f"{live_server.url}/admin/comparisons/feedback/")
    expect(editor_page.locator("#result_list")).to_contain_text("Our team writes TypeScript")
    expect(editor_page.locator("#result_list")).to_contain_text("Express")


def test_errors_show_beside_their_fields_and_keep_the_text(new_page, live_server, article):
    page = new_page(375, 740)
    page.goto(live_server.url + article.get_absolute_url())
    page.wait_for_timeout(1_200)
    page.fill("#id_message", "Too short")
    page.click("text=Send to the editors")
    expect(page.locator("#message-error")).to_contain_text("at least 10 characters")
    expect(page.locator("#would-pick-error")).to_contain_text("Choose which you would pick.")
    expect(page.locator("#id_message")).to_have_value("Too short")
    expect(page.locator("#id_message")).to_have_attribute("aria-invalid", "true")


def test_with_javascript_off_a_note_still_reaches_the_editors(browser, live_server, article):
    """The article is the same for everyone; without a script the form asks once more."""
    from comparisons.models import Feedback

    context = browser.new_context(java_script_enabled=False, viewport={"width": 375, "height": 740})
    try:
        page = context.new_page()
        page.goto(live_server.url + article.get_absolute_url())
        page.get_by_label("Express", exact=True).check()
        page.fill("#id_message", "Without scripts, Express still wins for our team.")
        page.click("text=Send to the editors")
        expect(page.locator(".form-notice")).to_contain_text("One more step")
        expect(page.locator("#id_message")).to_have_value(
            "Without scripts, Express still wins for our team."
        )
        page.wait_for_timeout(1_200)
        page.click("button:has-text('Send to the editors')")
        expect(page.locator(".thanks")).to_contain_text("your note reached the editors")
    finally:
        context.close()
    assert Feedback.objects.get().message == "Without scripts, Express still wins for our team."
