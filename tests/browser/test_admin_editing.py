"""
The comparison page as a writer uses it: the preview beside the text and styled as the article,
a warning before losing unsaved changes, alt text for uploaded images, factor rows dragged into
order, tags suggested from the existing ones. No test may provoke a CSP violation.
"""

import io
import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from PIL import Image
from playwright.sync_api import expect

from comparisons import workflow
from comparisons.models import Comparison

from ..factories import make_comparison, make_editor, make_tool
from .test_editor_flow import choose_tool

pytestmark = pytest.mark.django_db(transaction=True)

BODY = (
    "## Why Flask\n\nIts **tracebacks** read well.\n\n"
    "| Side | Verdict |\n|---|---|\n| A | Clear |\n"
)


def watch_csp(page):
    """Collect Content-Security-Policy violations the page reports, to assert there are none."""
    violations = []
    page.add_init_script(
        "document.addEventListener('securitypolicyviolation', (e) => console.error("
        "'Content Security Policy violation: ' + e.violatedDirective + ' ' + e.blockedURI));"
    )
    page.on(
        "console",
        lambda message: (
            violations.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    return violations


@pytest.fixture
def editor(db):
    return make_editor("eddie")


@pytest.fixture
def draft(editor):
    return make_comparison(
        make_tool("Flask"),
        make_tool("Express"),
        status=Comparison.Status.DRAFT,
        author=editor,
        body=BODY,
        tags=(),
    )


def change_url(live_server, comparison):
    return f"{live_server.url}/admin/comparisons/comparison/{comparison.pk}/change/"


def box(locator):
    found = locator.bounding_box()
    assert found is not None
    return found


def computed(locator, *properties):
    return locator.evaluate(
        "(element, names) => names.map((name) => getComputedStyle(element)[name])",
        list(properties),
    )


TEXT_STYLE = ("fontSize", "fontFamily", "fontWeight", "lineHeight", "color")
CELL_STYLE = ("borderTopWidth", "borderTopStyle", "borderTopColor", "paddingLeft")


def test_preview_sits_beside_the_editor_and_looks_like_the_article(
    new_page, live_server, login, editor, draft
):
    """At 1,280 px the preview is to the right of the text, drawn with the article's styles."""
    page = new_page(1280, 900)
    violations = watch_csp(page)
    login(page, editor)
    page.goto(change_url(live_server, draft))
    text, preview = page.locator("#id_body"), page.locator(".markdownx-preview")
    expect(preview.locator("h2")).to_have_text("Why Flask")
    text_box, preview_box = box(text), box(preview)
    assert preview_box["x"] >= text_box["x"] + text_box["width"]  # beside, not below
    # Level with the text, give or take the room the sticky action bar keeps above it.
    bar = page.locator("#action-bar").bounding_box()
    assert text_box["y"] - 5 <= preview_box["y"] <= text_box["y"] + bar["height"] + 16
    assert preview_box["width"] > 300 and text_box["width"] > 300

    text.fill(BODY + "\nA paragraph typed just now.")
    expect(preview.locator("p").last).to_have_text("A paragraph typed just now.")
    preview_styles = [
        computed(preview.locator("h2"), *TEXT_STYLE),
        computed(preview.locator("p").first, *TEXT_STYLE),
        computed(preview.locator("td").first, *CELL_STYLE),
    ]

    reader = new_page(1280, 900)
    reader.goto(f"{live_server.url}/compare/{draft.slug}/preview/")
    login(reader, editor)  # the staff preview of the draft is what readers will get
    reader.goto(f"{live_server.url}/compare/{draft.slug}/preview/")
    article = reader.locator(".prose")
    assert preview_styles == [
        computed(article.locator("h2"), *TEXT_STYLE),
        computed(article.locator("p").first, *TEXT_STYLE),
        computed(article.locator("td").first, *CELL_STYLE),
    ]
    assert violations == []


def test_preview_goes_below_the_editor_on_a_narrow_screen(
    new_page, live_server, login, editor, draft
):
    """Under about 1,100 px there is no room for two columns: the preview follows the text."""
    page = new_page(900, 900)
    login(page, editor)
    page.goto(change_url(live_server, draft))
    preview = page.locator(".markdownx-preview")
    expect(preview.locator("h2")).to_have_text("Why Flask")
    text_box, preview_box = box(page.locator("#id_body")), box(preview)
    assert preview_box["y"] >= text_box["y"] + text_box["height"]
    assert document_fits(page)


def document_fits(page):
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_leaving_with_unsaved_changes_asks_first_but_saving_does_not(
    new_page, live_server, login, editor, draft
):
    """Typing then following a link brings up the browser's warning; after saving it does not."""
    page = new_page()
    violations = watch_csp(page)
    login(page, editor)
    url = change_url(live_server, draft)
    page.goto(url)
    dialogs = []

    def stay(dialog):
        dialogs.append(dialog.type)
        dialog.dismiss()  # "Stay on page"

    page.on("dialog", stay)
    page.locator("#id_subtitle").press_sequentially("Two small frameworks")
    page.click(".breadcrumbs a >> text=Home")
    expect(page.locator("#id_subtitle")).to_have_value("Two small frameworks")
    assert dialogs == ["beforeunload"]
    assert page.url == url

    page.click("input[name=_continue]")  # saving is not leaving
    expect(page.locator(".messagelist .success")).to_be_visible()
    assert dialogs == ["beforeunload"]
    draft.refresh_from_db()
    assert draft.subtitle == "Two small frameworks"

    page.click(".breadcrumbs a >> text=Home")
    page.wait_for_url(f"{live_server.url}/admin/")
    assert dialogs == ["beforeunload"]
    assert violations == []


def png_bytes():
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "teal").save(buffer, "PNG")
    return buffer.getvalue()


def upload(page, name):
    with page.expect_file_chooser() as chooser:
        page.click("text=Add an image…")
    chooser.value.set_files(files=[{"name": name, "mimeType": "image/png", "buffer": png_bytes()}])


def test_an_uploaded_image_gets_the_description_the_writer_gives(
    new_page, live_server, login, editor, draft
):
    """After an upload the writer is asked what the image shows; that becomes its alt text."""
    page = new_page()
    violations = watch_csp(page)
    login(page, editor)
    page.goto(change_url(live_server, draft))
    body = page.locator("#id_body")
    body.focus()
    page.keyboard.press("Control+End")

    upload(page, "latency.png")
    dialog = page.locator(".alt-text-dialog")
    expect(dialog).to_be_visible()
    expect(dialog.locator("h2")).to_have_text("Describe this image")
    page.fill("#alt-text-input", "Requests per second [by framework]")
    dialog.locator("text=Add the description").click()
    expect(dialog).to_be_hidden()
    described = re.compile(
        r"!\[Requests per second \\\[by framework\\\]\]\(/media/uploads/[^)]+\.png\)"
    )
    expect(body).to_have_value(described)
    preview = page.locator(".markdownx-preview")
    expect(preview.locator("img")).to_have_attribute("alt", "Requests per second [by framework]")

    upload(page, "second.png")  # skipped: flagged in the preview and on save
    page.click(".alt-text-dialog >> text=Not now")
    expect(preview.locator(".missing-alt-note")).to_have_count(1)
    page.click("input[name=_continue]")
    expect(page.locator(".messagelist .warning")).to_contain_text(
        "1 image in the body has no description (alt text)"
    )
    draft.refresh_from_db()
    assert described.search(draft.body)
    assert re.search(r"!\[\]\(/media/uploads/[^)]+\.png\)", draft.body)
    assert violations == []


def factor_names(page):
    names = page.locator("#factors-group tr.form-row:not(.empty-form) input[name$='-name']")
    return names.evaluate_all("(inputs) => inputs.map((input) => input.value)")


def test_factor_rows_are_dragged_into_order_and_readers_get_that_order(
    new_page, live_server, login, editor, draft
):
    """Drag a row by its handle (or move it with the keyboard), save: the article follows."""
    make_tool("Koa")
    page = new_page(1280, 900)
    violations = watch_csp(page)
    login(page, editor)
    page.goto(change_url(live_server, draft))
    group = page.locator("#factors-group")
    expect(group.locator("th.column-value_a")).to_have_text("Flask")
    expect(group.locator("th.column-value_b")).to_have_text("Express")
    assert document_fits(page)  # the whole page, factor table included, fits 1,280 px

    choose_tool(page, "tool_b", "Koa")  # the headers follow the tools as they change
    expect(group.locator("th.column-value_b")).to_have_text("Koa")
    expect(group.locator("#id_factors-0-edge option[value=b]")).to_have_text("Koa")

    assert factor_names(page) == ["Factor 1", "Factor 2", "Factor 3"]
    page.locator("#factors-2 .factor-handle").drag_to(
        page.locator("#factors-0 .factor-handle"), target_position={"x": 5, "y": 2}
    )
    expect(page.locator("#factors-group tbody tr.form-row").first).to_have_id("factors-2")
    assert factor_names(page) == ["Factor 3", "Factor 1", "Factor 2"]

    page.locator("#factors-2 .factor-move-down").focus()  # "Factor 3", now first
    page.keyboard.press("Enter")
    assert factor_names(page) == ["Factor 1", "Factor 3", "Factor 2"]
    expect(group.locator("[role=status]")).to_have_text("“Factor 3” is now row 2 of 3.")

    page.click("input[name=_continue]")
    expect(page.locator(".messagelist .success")).to_be_visible()
    assert factor_names(page) == ["Factor 1", "Factor 3", "Factor 2"]
    draft.refresh_from_db()
    workflow.publish(draft, editor)
    reader = new_page()
    reader.goto(f"{live_server.url}/compare/{draft.slug}/")
    expect(reader.locator(".factors tbody th")).to_have_text(["Factor 1", "Factor 3", "Factor 2"])
    assert violations == []


def test_tags_are_suggested_from_existing_ones(new_page, live_server, login, editor, draft):
    """Two letters bring up the matching tags; picking one saves it; new tags still work."""
    make_comparison(tags=("kubernetes", "python"))
    page = new_page()
    violations = watch_csp(page)
    login(page, editor)
    page.goto(change_url(live_server, draft))
    tags = page.locator("#id_tags")
    tags.press_sequentially("brand-new, ku")
    suggestions = page.locator("#id_tags-suggestions [role=option]")
    expect(suggestions).to_have_count(1)
    expect(suggestions.first).to_contain_text("kubernetes")
    expect(tags).to_have_attribute("aria-expanded", "true")
    suggestions.first.click()
    expect(tags).to_have_value("brand-new, kubernetes, ")

    tags.press_sequentially("py")
    expect(suggestions.first).to_contain_text("python")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")  # picks the tag, does not submit the form
    expect(tags).to_have_value("brand-new, kubernetes, python, ")
    assert "Change comparison" in page.title()

    page.click("input[name=_continue]")
    expect(page.locator(".messagelist .success")).to_be_visible()
    assert sorted(draft.tags.names()) == ["brand-new", "kubernetes", "python"]
    assert violations == []


def test_the_writing_tools_have_no_serious_accessibility_violations(
    new_page, live_server, login, editor, draft
):
    """axe-core on what this page adds to the admin, suggestions open: every input has a name."""
    make_comparison(tags=("kubernetes",))
    page = new_page()
    login(page, editor)
    page.goto(change_url(live_server, draft))
    expect(page.locator("#id_factors-0-value_a")).to_have_attribute("aria-label", "Flask, row 1")
    page.locator("#id_tags").press_sequentially("ku")
    expect(page.locator("#id_tags-suggestions [role=option]")).to_have_count(1)
    ours = {"include": [[".field-tags"], [".field-body"], ["#factors-group"]]}
    violations = Axe().run(page, context=ours).response["violations"]
    assert [v["id"] for v in violations if v["impact"] in ("serious", "critical")] == []


def test_rows_shown_read_only_offer_no_reordering(new_page, live_server, login, draft):
    """A writer looking at an article they may not change gets the table, not drag handles."""
    from ..factories import make_writer

    writer = make_writer("wendy")
    page = new_page()
    login(page, writer)
    page.goto(change_url(live_server, draft))
    expect(page.locator("#factors-group th.column-value_a")).to_have_text("Flask")
    expect(page.locator("#factors-group")).to_contain_text("Factor 1")
    expect(page.locator("#factors-group td.field-edge").first).to_have_text("Flask")
    expect(page.locator("#factors-group .factor-handle")).to_have_count(0)
    expect(page.locator("#factors-group .factor-move")).to_have_count(0)
