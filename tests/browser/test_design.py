"""
The readers' pages as a person sees them, on a phone and a desktop, in light and dark mode.

Screenshots of every page at both sizes and in both schemes go to test-artifacts/screenshots/
(kept whether the tests pass or not, so a person can look at them).
"""

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from comparisons.models import Factor

from ..factories import make_comparison, make_tool, restore_editorial_groups, restore_pages
from .conftest import SCREENSHOTS

pytestmark = pytest.mark.django_db(transaction=True)

PAGES = {
    "home": "/",
    "article": "/compare/flask-vs-express/",
    "tag": "/tags/python/",
    "tool": "/tools/flask/",
    "search": "/search/?q=python",
}
# The space between the header and the first thing on the page, in CSS pixels.
MIN_TOP_GAP = 16

# Eight rows of the lengths real articles use (the longest values of the demo content).
SAMPLE_FACTORS = [
    ("Language", "Python", "JavaScript / TypeScript", ""),
    ("Learning curve", "Gentle", "Gentle", "tie"),
    ("Concurrency model", "Worker processes (async optional)", "Event loop", "b"),
    ("Readability of errors", "Clear tracebacks", "Callback-heavy stacks", "a"),
    ("Data and ML libraries", "Python's whole ecosystem", "Limited", "a"),
    ("Full-stack one language", "No", "Yes", "b"),
    ("Hosting", "Any WSGI host or a container", "Any Node host or a container", "tie"),
    ("License", "BSD-3-Clause", "MIT", "tie"),
]


@pytest.fixture
def demo():
    """The demo site, as `make run` shows it."""
    restore_editorial_groups()
    restore_pages()
    call_command("loaddemo", verbosity=0)


def no_horizontal_scroll(page):
    return page.evaluate(
        "document.documentElement.scrollWidth <= document.documentElement.clientWidth"
    )


def top_gap(page):
    """Pixels between the header's bottom edge and the first heading (and first element) in main."""
    return page.evaluate(
        """() => {
            const header = document.querySelector('.site-header').getBoundingClientRect().bottom;
            const main = document.querySelector('main');
            const heading = main.querySelector('h1, h2').getBoundingClientRect().top;
            const first = main.firstElementChild.getBoundingClientRect().top;
            return Math.min(heading, first) - header;
        }"""
    )


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("width", [375, 1280])
def test_pages_fit_the_screen_and_breathe_below_the_header(
    new_page, live_server, demo, width, scheme
):
    """No sideways scrolling, and a visible gap above each page's first heading."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page = new_page(width, 800, color_scheme=scheme)
    for name, path in PAGES.items():
        page.goto(live_server.url + path)
        page.screenshot(path=str(SCREENSHOTS / f"{name}-{width}-{scheme}.png"), full_page=True)
        assert no_horizontal_scroll(page), (name, width, scheme)
        assert top_gap(page) >= MIN_TOP_GAP, (name, width, scheme, top_gap(page))
        background = page.evaluate("getComputedStyle(document.body).backgroundColor")
        channels = [int(c) for c in background[background.index("(") + 1 : -1].split(",")[:3]]
        if scheme == "dark":
            assert sum(channels) < 150, (name, background)
        else:
            assert sum(channels) > 600, (name, background)


@pytest.fixture
def sample_article():
    article = make_comparison(
        make_tool("Flask"), make_tool("Express"), title="Flask vs Express", factors=0
    )
    Factor.objects.bulk_create(
        Factor(comparison=article, name=name, value_a=a, value_b=b, edge=edge, position=n)
        for n, (name, a, b, edge) in enumerate(SAMPLE_FACTORS, start=1)
    )
    return article


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_factor_table_stays_a_compact_table_on_a_phone(
    new_page, live_server, sample_article, scheme
):
    """At 375 px: three columns side by side, at most 1.5 screens tall, ticks inside their cells."""
    height = 740
    page = new_page(375, height, color_scheme=scheme)
    page.goto(live_server.url + sample_article.get_absolute_url())
    table = page.locator("table.factors")
    table.scroll_into_view_if_needed()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    table.screenshot(path=str(SCREENSHOTS / f"factor-table-375-{scheme}.png"))
    assert no_horizontal_scroll(page)
    box = table.bounding_box()
    assert box["height"] <= 1.5 * height, box
    assert box["x"] >= 0 and box["x"] + box["width"] <= 375
    expect(table.locator("thead")).to_be_visible()
    rows = table.locator("tbody tr")
    assert rows.count() == len(SAMPLE_FACTORS)
    for index in range(rows.count()):
        cells = rows.nth(index).locator("th, td")
        tops = {round(cells.nth(n).bounding_box()["y"]) for n in range(3)}
        assert len(tops) == 1, f"row {index + 1} is not one line of three cells: {tops}"
    for mark in table.locator(".edge-mark").all():
        cell = mark.locator("xpath=..").bounding_box()
        tick = mark.bounding_box()
        assert cell["x"] <= tick["x"] and tick["x"] + tick["width"] <= cell["x"] + cell["width"]
        assert tick["y"] - cell["y"] < 16  # beside the first line, never alone on a line below


LONG_BODY = "\n\n".join(
    f"## Section {n}\n\n" + " ".join(["A sentence of reasons that fills the page."] * 25)
    for n in range(1, 6)
)


@pytest.mark.parametrize("width", [375, 1280])
def test_table_of_contents_links_take_the_reader_to_each_section(new_page, live_server, width):
    article = make_comparison(body=LONG_BODY)
    page = new_page(width, 700)
    page.goto(live_server.url + article.get_absolute_url())
    links = page.locator("nav.toc a")
    assert links.count() == 5 + 3  # the body's sections, the table, the verdict, the bottom line
    for index in range(links.count()):
        link = links.nth(index)
        target = link.get_attribute("href")
        link.click()
        page.wait_for_function("hash => location.hash === hash", arg=target)
        heading = page.locator(target)
        expect(heading).to_be_in_viewport()
        page.evaluate("window.scrollTo(0, 0)")


def test_print_shows_the_article_table_and_verdict_without_navigation_or_forms(
    new_page, live_server, sample_article
):
    page = new_page(1280, 900, color_scheme="dark")
    page.goto(live_server.url + sample_article.get_absolute_url())
    page.emulate_media(media="print")
    for hidden in (".site-header", ".site-footer", "form", ".disagree", ".related"):
        expect(page.locator(hidden).first).to_be_hidden()
    for shown in ("h1", "table.factors", ".verdict", ".bottom-line", ".pick"):
        expect(page.locator(shown).first).to_be_visible()
    # Printed in black on white even for a reader whose screen is dark.
    assert page.evaluate("getComputedStyle(document.body).backgroundColor") == "rgb(255, 255, 255)"
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.pdf(path=str(SCREENSHOTS / "article-print.pdf"))
