"""
Browser tests: Playwright for Python driving Debian's Chromium against Django's live server.

Skipped with a reason when Chromium or Playwright is missing, unless REQUIRE_BROWSER=1 (CI),
which turns the skip into a failure. Screenshots of failing tests go to test-artifacts/browser/;
the design tests keep theirs in test-artifacts/screenshots/.
"""

import os
import shutil
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "browser"
SCREENSHOTS = ARTIFACTS.parent / "screenshots"
# Playwright's sync API runs an event loop in this thread; the ORM calls the tests make to set
# up data are still plain synchronous calls.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def _missing():
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the playwright package is not installed (pip install -r requirements.txt)"
    if not (Path(CHROMIUM).exists() or shutil.which("chromium")):
        return f"Chromium is not at {CHROMIUM} (apt-get install chromium)"
    return None


@pytest.fixture(scope="session")
def browser():
    reason = _missing()
    if reason:
        if os.environ.get("REQUIRE_BROWSER") == "1":
            pytest.fail(f"REQUIRE_BROWSER=1 but {reason}")
        pytest.skip(f"browser tests need Chromium: {reason}")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=["--no-sandbox"], headless=True
        )
        yield browser
        browser.close()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if report.when == "call":
        item.failed_in_call = report.failed


@pytest.fixture
def new_page(browser, request):
    """Pages in fresh contexts (each its own cookies); screenshots of all of them on failure."""
    contexts = []

    def make(width=1280, height=900, color_scheme="light"):
        context = browser.new_context(
            viewport={"width": width, "height": height}, color_scheme=color_scheme
        )
        context.set_default_timeout(15_000)
        contexts.append(context)
        return context.new_page()

    yield make
    if getattr(request.node, "failed_in_call", False):
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        for number, context in enumerate(contexts):
            for index, page in enumerate(context.pages):
                name = f"{request.node.name}-{number}-{index}.png"
                page.screenshot(path=str(ARTIFACTS / name), full_page=True)
    for context in contexts:
        context.close()


@pytest.fixture
def login(live_server):
    def log_in(page, user, password="pass-for-tests-1"):
        page.goto(f"{live_server.url}/admin/login/")
        page.fill("#id_username", user.username)
        page.fill("#id_password", password)
        page.click("input[type=submit]")
        page.wait_for_url(f"{live_server.url}/admin/")

    return log_in
