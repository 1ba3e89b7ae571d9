"""Faults: the database goes away (and comes back); the mail server refuses connections."""

import pytest

from .factories import make_comparison, make_tool
from .test_production import PRODUCTION, manage

pytestmark = pytest.mark.django_db

PUBLIC_URLS = ["/", "/tags/", "/tags/python/", "/tools/flask/", "/search/?q=flask", "/feed/"]


def test_public_pages_answer_a_friendly_503_and_recover_without_a_restart(client, outage, settings):
    settings.NICEPICK_PAGE_CACHE = False  # every request needs the database
    article = make_comparison(make_tool("Flask"), make_tool("Express"), tags=("python",))
    urls = [*PUBLIC_URLS, article.get_absolute_url()]
    outage.down = True
    for url in urls:
        response = client.get(url)
        assert response.status_code == 503, url
        page = response.content.decode()
        assert "We are back in a moment" in page, url
        assert "Traceback" not in page and "OperationalError" not in page
        assert response["Retry-After"] == "30"
    assert client.get("/healthz").status_code == 503
    outage.down = False
    for url in urls:
        assert client.get(url).status_code == 200, url
    assert client.get("/healthz").status_code == 200


def test_pages_already_in_the_cache_keep_being_served_during_an_outage(client, outage):
    article = make_comparison(make_tool("Flask"), make_tool("Express"))
    assert client.get(article.get_absolute_url()).status_code == 200
    outage.down = True
    response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    assert article.title in response.content.decode()


def test_an_unreachable_database_server_gives_503_not_a_traceback(tmp_path):
    """A real outage: nothing listens where DATABASE_URL points."""
    code = (
        "from django.test import Client\n"
        "c = Client()\n"
        "for url in ('/healthz', '/', '/compare/anything/'):\n"
        "    r = c.get(url)\n"
        "    print(url, r.status_code, b'back in a moment' in r.content)\n"
    )
    env = {
        **PRODUCTION,
        "DJANGO_ALLOWED_HOSTS": "testserver",
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "DATABASE_URL": "postgres://postgres@127.0.0.1:1/nowhere",
        "NICEPICK_PAGE_CACHE": "0",
        "NICEPICK_STATE_DIR": str(tmp_path / "state"),
        "DJANGO_STATIC_ROOT": str(tmp_path / "static"),
    }
    collected = manage("collectstatic", "--noinput", "--verbosity", "0", **env)
    assert collected.returncode == 0, collected.stderr[-2000:]
    result = manage("shell", "--no-imports", "-c", code, **env)
    assert result.returncode == 0, result.stderr[-2000:]
    lines = result.stdout.splitlines()
    assert lines[0].startswith("/healthz 503")
    assert lines[1] == "/ 503 True"
    assert lines[2] == "/compare/anything/ 503 True"
