"""An editor writes, previews, submits and publishes a comparison, then finds it on the site."""

import re

import pytest
from playwright.sync_api import expect

from comparisons.models import Comparison

from ..factories import make_category, make_editor

pytestmark = pytest.mark.django_db(transaction=True)


def add_tool(page, base, name):
    page.goto(f"{base}/admin/comparisons/tool/add/")
    page.locator("#id_name").press_sequentially(name)  # keyup fills the slug
    expect(page.locator("#id_slug")).to_have_value(name.lower())  # prepopulated by the admin
    page.fill("#id_summary", f"{name} in one sentence.")
    page.fill("#id_website", f"https://{name.lower()}.example/")
    page.click("input[name=_save]")
    expect(page.locator(".messagelist .success")).to_contain_text(name)


def choose_tool(page, field, name):
    """The admin's autocomplete (select2) widget, used as a person would."""
    page.click(f"[aria-labelledby='select2-id_{field}-container']")
    page.fill(".select2-search__field", name)
    page.locator(".select2-results__option", has_text=name).first.click()
    expect(page.locator(f"#select2-id_{field}-container")).to_contain_text(name)


def test_editor_writes_previews_submits_publishes_and_finds_it(new_page, live_server, login):
    base = live_server.url
    make_category("Backend", slug="backend")
    editor = make_editor("eddie")
    page = new_page()
    login(page, editor)
    add_tool(page, base, "Flask")
    add_tool(page, base, "Express")

    page.goto(f"{base}/admin/comparisons/comparison/add/")
    page.locator("#id_title").press_sequentially("Flask vs Express")
    page.fill("#id_summary", "Two small web frameworks; the language decides.")
    page.select_option("#id_category", label="Backend")
    choose_tool(page, "tool_a", "Flask")
    choose_tool(page, "tool_b", "Express")
    page.fill("#id_tags", "python, web")
    page.fill("#id_body", "## Why Flask\n\nIts **tracebacks** read well.\n\n- one\n- two")
    preview = page.locator(".markdownx-preview")
    expect(preview.locator("h2")).to_have_text("Why Flask")  # the live preview rendered it
    expect(preview.locator("strong")).to_have_text("tracebacks")

    rows = page.locator("tr.form-row.dynamic-factors")
    expect(rows).to_have_count(8)
    page.click("text=Add another Factor")
    expect(rows).to_have_count(9)
    for index, (name, a, b, edge) in {
        0: ("Language", "Python", "JavaScript", ""),
        1: ("Errors", "Clear", "Noisy", "a"),
        8: ("Concurrency", "Workers", "Event loop", "b"),  # the row "Add another" added
    }.items():
        page.fill(f"#id_factors-{index}-name", name)
        page.fill(f"#id_factors-{index}-value_a", a)
        page.fill(f"#id_factors-{index}-value_b", b)
        page.select_option(f"#id_factors-{index}-edge", edge)
    page.select_option("#id_verdict-0-pick", "a")
    page.fill("#id_verdict-0-headline", "Flask reads better")
    page.fill("#id_verdict-0-reason", "Clear errors and Python's libraries.")
    page.click("input[name=_continue]")
    expect(page.locator(".messagelist .success")).to_be_visible()
    comparison = Comparison.objects.get(slug="flask-vs-express")
    assert comparison.status == "draft"
    assert comparison.factors.count() == 3

    with page.context.expect_page() as opened:
        page.click(".object-tools >> text=Preview")
    preview_page = opened.value
    expect(preview_page.locator(".preview-banner")).to_contain_text("Preview — Draft.")
    expect(preview_page.locator("h1")).to_have_text("Flask vs Express")
    preview_page.close()

    page.click("button[value=submit]")
    expect(page.locator(".messagelist")).to_contain_text("submitted for review")
    page.click("button[value=publish]")
    expect(page.locator(".messagelist")).to_contain_text("readers can see it now")

    reader = new_page()
    for path in ("/", "/tags/python/", "/tools/flask/", "/tools/express/"):
        reader.goto(base + path)
        expect(reader.locator("main")).to_contain_text("Flask vs Express")
    reader.goto(base + "/compare/flask-vs-express/")
    expect(reader.locator("h1")).to_have_text("Flask vs Express")
    expect(reader.locator(".pick-tool")).to_have_text(re.compile("Flask"))
