"""
The admin under production settings (DEBUG off, hashed static files from collectstatic served
by whitenoise, gunicorn) breaks no Content-Security-Policy rule, its writing tools included:
the side-by-side preview with the readers' stylesheet, the upload button and alt-text dialog,
tag suggestions and dragging factor rows.
"""

import http.client
import os
import re
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from playwright.sync_api import expect

from .test_admin_editing import upload, watch_csp

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "csp-check-password-1"


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def production_server(tmp_path_factory):
    """gunicorn on a free local port with production settings, a fresh database and demo data."""
    folder = tmp_path_factory.mktemp("production")
    port = free_port()
    environment = {key: value for key, value in os.environ.items() if not key.startswith("DJANGO_")}
    environment.update(
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY="x9" * 10 + "a-long-random-looking-secret-for-tests-only-Qw3rTy7uI0pAsD",
        DJANGO_ALLOWED_HOSTS="127.0.0.1",
        DJANGO_SECURE_SSL_REDIRECT="0",  # plain HTTP on the loopback; the rest stays on
        DJANGO_SECURE_COOKIES="0",
        DJANGO_STATIC_ROOT=str(folder / "static"),
        DJANGO_MEDIA_ROOT=str(folder / "media"),
        DATABASE_URL=f"sqlite:///{folder / 'db.sqlite3'}",
        NICEPICK_STATE_DIR=str(folder / "state"),
        NICEPICK_ADMIN_USER="admin",
        NICEPICK_ADMIN_PASSWORD=PASSWORD,
        REDIS_URL="",
    )
    for command in ("migrate", "collectstatic --noinput", "loaddemo", "ensureadmin"):
        result = subprocess.run(
            [sys.executable, "manage.py", *command.split()],
            cwd=ROOT,
            env=environment,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert result.returncode == 0, result.stdout + result.stderr
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "nicepick.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "2",
            "--access-logfile",
            "-",
        ],
        cwd=ROOT,
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
                connection.request("GET", "/healthz")
                if connection.getresponse().status == 200:
                    break
            except OSError:
                assert server.poll() is None, "gunicorn stopped"
                time.sleep(0.2)
        yield base
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_the_admin_breaks_no_csp_rule_under_production_settings(new_page, production_server):
    """Every admin page an editor uses, and the writing tools on the comparison page."""
    page = new_page(1280, 900)
    violations = watch_csp(page)
    page.goto(f"{production_server}/admin/login/")
    page.fill("#id_username", "admin")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url(f"{production_server}/admin/")
    for path in (
        "/admin/comparisons/comparison/",
        "/admin/comparisons/comparison/add/",
        "/admin/comparisons/tool/add/",
        "/admin/comparisons/feedback/",
        "/admin/comparisons/criterion/add/",
        "/admin/comparisons/toolfact/?stale=yes",
    ):
        page.goto(production_server + path)
        expect(page.locator("#content")).to_be_visible()

    page.goto(f"{production_server}/admin/comparisons/comparison/")
    page.locator("#result_list tbody a").first.click()
    preview = page.locator(".markdownx-preview")
    expect(preview.locator("h2").first).to_be_visible()
    # The hashed site.css reached the preview: its headings are the article's, not the admin's.
    size = preview.locator("h2").first.evaluate("e => getComputedStyle(e).fontSize")
    reader = page.context.new_page()
    reader.goto(production_server + page.locator("a.viewsitelink").get_attribute("href"))
    assert reader.locator(".prose h2").first.evaluate("e => getComputedStyle(e).fontSize") == size

    page.fill("#id_tags", "")
    page.locator("#id_tags").press_sequentially("py")
    expect(page.locator("#id_tags-suggestions [role=option]").first).to_be_visible()
    page.locator("#factors-1 .factor-handle").drag_to(page.locator("#factors-0 .factor-handle"))
    page.locator("#factors-0 .factor-move-down").click()
    upload(page, "chart.png")
    expect(page.locator(".alt-text-dialog")).to_be_visible()
    page.fill("#alt-text-input", "A chart")
    page.click(".alt-text-dialog >> text=Add the description")
    expect(page.locator("#id_body")).to_have_value(re.compile(r"!\[A chart\]\(/media/uploads/"))
    expect(preview.locator("img[alt='A chart']")).to_have_count(1)
    assert violations == []
