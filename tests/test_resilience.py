"""
Nothing a reader or editor does is lost when a part fails (issue 11): the cache and its state
failing or hanging, invalidation racing a commit, the rate limit under a burst, proxies and
IPv6, a hung database, and who may change what readers see.
"""

import logging
import os
import socket
import subprocess
import sys
import threading
import time

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from comparisons import antispam, health, invalidation, stores, workflow
from comparisons.models import Comparison, Feedback, Tool

from .factories import (
    NO_FACTS,
    make_category,
    make_comparison,
    make_editor,
    make_tool,
    make_writer,
)
from .test_admin import comparison_form_data
from .test_feedback import MESSAGE, disagree_url, form_data, post, shown_earlier
from .test_production import PRODUCTION, ROOT

pytestmark = pytest.mark.django_db

PUBLIC = ["/", "/tags/", "/tags/python/", "/tools/flask/", "/search/?q=flask", "/feed/"]


@pytest.fixture
def article():
    return make_comparison(
        make_tool("Flask"), make_tool("Express"), title="Flask vs Express", tags=("python",)
    )


# Who may change what readers see ---------------------------------------------------------------


def test_a_writer_cannot_rename_a_tool_that_a_published_article_uses(client, article):
    """Tools on live articles pass an editor: a writer's hand-made POST changes nothing."""
    flask = article.tool_a
    client.force_login(make_writer())
    url = reverse("admin:comparisons_tool_change", args=[flask.pk])
    data = {"name": "Flusk", "slug": "flask", "summary": "", "website": "https://evil.example"}
    response = client.post(url, data)
    assert response.status_code == 403
    flask.refresh_from_db()
    assert flask.name == "Flask" and flask.website == ""
    assert "Flusk" not in client.get(article.get_absolute_url()).content.decode()
    page = client.get(url)
    assert page.status_code == 200, "writers may still read it"
    assert 'name="_save"' not in page.content.decode()


def test_a_writer_may_fix_a_tool_no_live_article_uses_and_an_editor_any(client, article):
    draft_only = make_tool("Quart")
    make_comparison(draft_only, make_tool("Sanic"), status=Comparison.Status.DRAFT)
    client.force_login(make_writer())
    url = reverse("admin:comparisons_tool_change", args=[draft_only.pk])
    data = {"name": "Quart", "slug": "quart", "summary": "Async Flask.", "website": ""}
    data.update(NO_FACTS)
    assert client.post(url, data).status_code == 302
    client.force_login(make_editor())
    url = reverse("admin:comparisons_tool_change", args=[article.tool_a.pk])
    data = {"name": "Flask", "slug": "flask", "summary": "A microframework.", "website": ""}
    data.update(NO_FACTS)
    assert client.post(url, data).status_code == 302
    assert Tool.objects.get(slug="flask").summary == "A microframework."


def test_writers_cannot_change_categories(client, article):
    client.force_login(make_writer())
    url = reverse("admin:comparisons_category_change", args=[article.category.pk])
    response = client.post(url, {"name": "Hacked", "slug": "hacked", "position": 0})
    assert response.status_code == 403


# Redis (or the state file) failing -------------------------------------------------------------


def closed_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def silent_server():
    """A TCP server that accepts connections and never answers: a hung Redis or database."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(50)
    accepted = []
    stop = threading.Event()

    def accept():
        server.settimeout(0.1)
        while not stop.is_set():
            try:
                accepted.append(server.accept()[0])
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield server.getsockname()[1]
    stop.set()
    thread.join()
    for sock in accepted:
        sock.close()
    server.close()


def use_redis(settings, url):
    settings.REDIS_URL = url
    settings.NICEPICK_REDIS_TIMEOUT = 0.2
    backend = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": url,
        "OPTIONS": {"socket_timeout": 0.2, "socket_connect_timeout": 0.2},
    }
    # "state" is where earlier versions kept the content generation.
    settings.CACHES = {"default": backend, "state": backend}
    stores.reset()


@pytest.fixture(params=["refused", "hung"])
def broken_redis(request, settings, silent_server):
    port = closed_port() if request.param == "refused" else silent_server
    use_redis(settings, f"redis://127.0.0.1:{port}/0")
    return request.param


def test_with_redis_down_every_public_page_renders_from_the_database(client, article, broken_redis):
    for url in [*PUBLIC, article.get_absolute_url(), disagree_url(article), "/sitemap.xml"]:
        response = client.get(url)
        assert response.status_code == 200, url
    assert "Flask vs Express" in client.get(article.get_absolute_url()).content.decode()


def test_with_redis_down_a_readers_note_is_stored(client, article, broken_redis):
    response = post(client, article)
    assert response.status_code == 302
    assert Feedback.objects.get().message == MESSAGE


def test_with_redis_down_editors_save_and_publish(client, broken_redis):
    editor = make_editor()
    client.force_login(editor)
    data = comparison_form_data(
        make_tool("Flask"),
        make_tool("Express"),
        make_category(),
        title="Flask vs Express",
        factors=[(1, "Speed", "fast", "fast", "tie")],
        verdict={"pick": "a", "headline": "Simpler", "reason": "Less to learn."},
        _workflow="publish",
    )
    response = client.post(reverse("admin:comparisons_comparison_add"), data)
    assert response.status_code == 302
    comparison = Comparison.objects.get()
    assert comparison.is_published()
    assert client.get(comparison.get_absolute_url()).status_code == 200


def test_with_redis_down_healthz_stays_up_and_names_the_degraded_parts(
    client, article, broken_redis
):
    client.get("/")
    response = client.get("/healthz")
    assert response.status_code == 200, "a cache fault must not take the site out of rotation"
    lines = response.content.decode().splitlines()
    assert "database: ok" in lines
    assert any(line.startswith("page cache: degraded") for line in lines)
    assert any(line.startswith("invalidation state: degraded") for line in lines)


def test_a_failing_cache_is_logged_once_per_interval_not_per_request(
    client, article, settings, caplog
):
    use_redis(settings, f"redis://127.0.0.1:{closed_port()}/0")
    settings.NICEPICK_HELPER_COOLDOWN = 60
    with caplog.at_level(logging.WARNING, logger="comparisons.stores"):
        for _ in range(20):
            assert client.get(article.get_absolute_url()).status_code == 200
    reports = [record for record in caplog.records if "unavailable" in record.getMessage()]
    assert len(reports) == 2, "one line for the page cache, one for the state"


def test_an_unwritable_state_directory_loses_no_note_and_no_edit(client, article, settings):
    settings.NICEPICK_STATE_DIR = "/dev/null/state"  # cannot be created: like a full disk
    stores.reset()
    assert client.get(article.get_absolute_url()).status_code == 200
    assert post(client, article).status_code == 302
    assert Feedback.objects.count() == 1
    workflow.unpublish(article, make_editor())
    assert client.get(article.get_absolute_url()).status_code == 404


def test_a_change_whose_invalidation_failed_is_retried_and_nothing_stale_is_served(
    client, article, monkeypatch
):
    """While a change cannot be recorded, pages are rendered afresh; it is retried later."""
    url = article.get_absolute_url()
    client.get(url)  # cached
    real_bump = stores.FileState.bump
    monkeypatch.setattr(stores.FileState, "bump", lambda self, tags: 1 / 0)
    workflow.unpublish(article, make_editor())
    assert client.get(url).status_code == 404, "not the cached copy"
    assert client.get("/").status_code == 200
    assert "Flask vs Express" not in client.get("/").content.decode()
    monkeypatch.setattr(stores.FileState, "bump", real_bump)
    stores.STATE.failed_at = None  # the cool-down is over
    assert invalidation.settled(), "the failed change is recorded at the next chance"
    assert client.get(url).status_code == 404


# Invalidation after commit, with an atomic counter ---------------------------------------------


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs PostgreSQL's concurrent transactions (CI runs it with DATABASE_URL set)",
)
def test_a_page_rendered_while_an_unpublish_commits_is_not_served_afterwards():
    """
    An editor unpublishes; before their transaction commits, a reader's request renders the
    article from the committed (old) rows and caches it. After the commit the next reader
    must not get that copy.
    """
    from django.db import connections, transaction

    article = make_comparison(make_tool("Flask"), make_tool("Express"), title="Flask vs Express")
    editor = make_editor()
    url = article.get_absolute_url()
    changed, committed = threading.Event(), threading.Event()

    def unpublish():
        try:
            with transaction.atomic():
                workflow.unpublish(Comparison.objects.get(pk=article.pk), editor)
                changed.set()
                committed.wait(10)
        finally:
            connections.close_all()

    editor_thread = threading.Thread(target=unpublish)
    editor_thread.start()
    assert changed.wait(10)
    racing = Client().get(url)  # reads the committed rows: still published
    committed.set()
    editor_thread.join()
    assert racing.status_code == 200
    assert Client().get(url).status_code == 404


def test_the_change_sequence_is_atomic_across_processes(tmp_path):
    """Four processes recording 300 changes each: every change gets its own number, in order."""
    code = (
        "from comparisons import stores\n"
        "state = stores.state()\n"
        "print(' '.join(str(state.bump(['c1'])) for _ in range(300)))\n"
    )
    env = {**PRODUCTION, "NICEPICK_STATE_DIR": str(tmp_path), "DJANGO_ALLOWED_HOSTS": "x"}
    environment = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    environment.update(env)
    environment.pop("REDIS_URL", None)
    processes = [
        subprocess.Popen(
            [sys.executable, "manage.py", "shell", "--no-imports", "-c", code],
            cwd=ROOT,
            env=environment,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(4)
    ]
    numbers = []
    for process in processes:
        out, err = process.communicate(timeout=120)
        assert process.returncode == 0, err[-2000:]
        mine = [int(n) for n in out.split()]
        assert mine == sorted(mine) and len(set(mine)) == 300, "never backwards in one process"
        numbers += mine
    assert len(set(numbers)) == 1200, "no two changes got the same number: none was lost"


# The rate limit under a burst ------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs PostgreSQL's concurrent writers (CI runs it with DATABASE_URL set)",
)
def test_sixty_notes_at_once_from_one_client_store_exactly_the_limit(settings):
    from django.db import connections

    settings.NICEPICK_FEEDBACK_RATE_LIMIT = (5, 600)
    article = make_comparison(make_tool("Flask"), make_tool("Express"))
    statuses = []
    start = threading.Barrier(12)

    def reader(number):
        client = Client()
        try:
            for n in range(5):
                if n == 0:
                    start.wait(10)
                response = client.post(
                    disagree_url(article),
                    form_data(article, message=f"Note {number}-{n}: Express wins for us."),
                    REMOTE_ADDR="203.0.113.77",
                )
                statuses.append(response.status_code)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=reader, args=(t,)) for t in range(12)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert Feedback.objects.count() == 5
    assert sorted(statuses) == [302] * 5 + [429] * 55


# Proxies and IPv6 ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("2001:db8:1:2::1", "2001:db8:1:2:ffff:eeee:dddd:cccc"),
        ("2001:DB8:1:2::1", "2001:db8:1:2:0:0:0:1"),
        ("::ffff:203.0.113.9", "203.0.113.9"),
    ],
)
def test_ipv6_clients_are_one_client_per_64_network(one, other):
    assert antispam.hash_ip(one) == antispam.hash_ip(other)


def test_different_ipv6_networks_and_ipv4_addresses_are_different_clients():
    assert antispam.hash_ip("2001:db8:1:2::1") != antispam.hash_ip("2001:db8:1:3::1")
    assert antispam.hash_ip("203.0.113.9") != antispam.hash_ip("203.0.113.10")


def test_an_ipv6_reader_cannot_escape_the_limit_by_changing_address(client, article, settings):
    settings.NICEPICK_FEEDBACK_RATE_LIMIT = (2, 600)
    for host in (1, 2):
        response = post(client, article, meta={"REMOTE_ADDR": f"2001:db8:7:7::{host}"})
        assert response.status_code == 302
    assert post(client, article, meta={"REMOTE_ADDR": "2001:db8:7:7::99"}).status_code == 429


def test_behind_a_trusted_proxy_each_reader_has_their_own_limit(client, article, settings):
    """The README's one-machine recipe: a proxy on 127.0.0.1 and NICEPICK_TRUSTED_PROXIES=1."""
    settings.NICEPICK_TRUSTED_PROXIES = 1
    settings.NICEPICK_FEEDBACK_RATE_LIMIT = (1, 600)
    for reader in ("198.51.100.1", "198.51.100.2"):
        meta = {"REMOTE_ADDR": "127.0.0.1", "HTTP_X_FORWARDED_FOR": reader}
        assert post(client, article, meta=meta).status_code == 302
    readme = (ROOT / "README.md").read_text()
    assert "NICEPICK_TRUSTED_PROXIES=1" in readme


def test_a_loopback_proxy_nobody_trusts_is_reported_once(client, settings, caplog, monkeypatch):
    monkeypatch.setattr(antispam, "_proxy_warned", False)
    settings.NICEPICK_TRUSTED_PROXIES = 0
    with caplog.at_level(logging.WARNING, logger="comparisons.antispam"):
        for _ in range(3):
            client.get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.4")
    warnings = [r for r in caplog.records if "NICEPICK_TRUSTED_PROXIES" in r.getMessage()]
    assert len(warnings) == 1


# A hung database -------------------------------------------------------------------------------


def test_healthz_answers_within_its_deadline_when_the_database_hangs(client, settings, monkeypatch):
    settings.NICEPICK_HEALTHZ_TIMEOUT = 0.2
    release = threading.Event()
    started = []

    def hang(outcome):
        started.append(1)
        release.wait(10)
        outcome["state"] = "ok"

    monkeypatch.setattr(health, "_ask_database", hang)
    try:
        first = client.get("/healthz")
        second = client.get("/healthz")
    finally:
        release.set()
    assert first.status_code == second.status_code == 503
    assert "database: timeout (no answer within 0.2 s)" in first.content.decode()
    assert "database: timeout (no answer for" in second.content.decode()
    assert len(started) == 1, "a second probe does not pile up behind the hung one"


def test_postgresql_connections_give_up_on_a_hung_server():
    code = (
        "from django.conf import settings as s; o = s.DATABASES['default']['OPTIONS']; "
        "print(o['connect_timeout'], o['options'])"
    )
    from .test_production import manage

    result = manage(
        "shell",
        "--no-imports",
        "-c",
        code,
        **PRODUCTION,
        DATABASE_URL="postgres://postgres@127.0.0.1:5432/x",
        DATABASE_CONNECT_TIMEOUT="3",
        DATABASE_STATEMENT_TIMEOUT="4000",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[0] == "3"
    assert "-c statement_timeout=4000" in result.stdout


def test_a_hung_database_server_answers_503_quickly_not_after_the_worker_timeout(
    silent_server, tmp_path
):
    """Nothing answers where DATABASE_URL points: pages give up after the connect timeout."""
    code = (
        "import time\n"
        "from django.test import Client\n"
        "c = Client()\n"
        "for url in ('/healthz', '/'):\n"
        "    start = time.monotonic(); r = c.get(url)\n"
        "    print(url, r.status_code, round(time.monotonic() - start) <= 3)\n"
    )
    from .test_production import manage

    env = {
        **PRODUCTION,
        "DJANGO_ALLOWED_HOSTS": "testserver",
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:{silent_server}/hung",
        "DATABASE_CONNECT_TIMEOUT": "2",
        "NICEPICK_HEALTHZ_TIMEOUT": "1",
        "NICEPICK_PAGE_CACHE": "0",
        "NICEPICK_STATE_DIR": str(tmp_path / "state"),
        "DJANGO_STATIC_ROOT": str(tmp_path / "static"),
    }
    manage("collectstatic", "--noinput", "--verbosity", "0", **env)
    result = manage("shell", "--no-imports", "-c", code, **env)
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.splitlines() == ["/healthz 503 True", "/ 503 True"]


# The reader's note, whatever happens -----------------------------------------------------------


def test_rate_limited_and_failed_notes_show_one_message_not_two(client, article, settings):
    settings.NICEPICK_FEEDBACK_RATE_LIMIT = (1, 600)
    assert post(client, article).status_code == 302
    limited = post(client, article, message="My second, longer note about Express.")
    assert limited.status_code == 429
    page = limited.content.decode()
    assert "please wait a little" in page
    assert "quicker than we expect" not in page
    assert "My second, longer note about Express." in page


def test_with_the_database_down_a_posted_note_comes_back_to_the_reader(client, article, outage):
    outage.down = True
    response = post(client, article, message="Express has the better router for us, truly.")
    assert response.status_code == 503
    page = response.content.decode()
    assert "Express has the better router for us, truly." in page
    assert 'name="stamp"' in page and f'action="{disagree_url(article)}"' in page
    outage.down = False
    resend = {
        "would_pick": "b",
        "message": "Express has the better router for us, truly.",
        "stamp": shown_earlier(article),
    }
    assert client.post(disagree_url(article), resend).status_code == 302


def test_a_stamp_only_works_on_its_own_article(client, article):
    other = make_comparison()
    response = post(client, article, stamp=shown_earlier(other))
    assert response.status_code == 200
    assert "belongs to another article" in response.content.decode()
    assert not Feedback.objects.exists()


def test_a_different_note_on_a_used_form_is_not_silently_dropped(client, article):
    data = form_data(article)
    assert client.post(disagree_url(article), data).status_code == 302
    data["message"] = "And another thing: the docs of Express are better."
    response = client.post(disagree_url(article), data)
    assert response.status_code == 409
    page = response.content.decode()
    assert "already carried one note" in page
    assert "And another thing: the docs of Express are better." in page
    assert Feedback.objects.count() == 1


def test_a_304_varies_like_the_page_it_stands_for(client, article):
    first = client.get("/", HTTP_ACCEPT_LANGUAGE="en")
    again = client.get("/", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    assert again.get("Vary") == first.get("Vary")
    assert again["Cache-Control"] == first["Cache-Control"]


def test_a_note_refreshes_its_own_article_and_no_other_page(
    client, article, django_assert_num_queries
):
    other = make_comparison(make_tool("Django"), make_tool("Rails"), tags=("python",))
    others = [other.get_absolute_url(), "/", "/tags/python/", "/tools/flask/"]
    for url in [article.get_absolute_url(), *others]:
        client.get(url)
    assert post(client, article).status_code == 302
    assert "1 reader wrote in" in client.get(article.get_absolute_url()).content.decode()
    with django_assert_num_queries(0):
        for url in others:
            assert client.get(url).status_code == 200, url


def test_a_signed_in_editor_gets_the_503_page_not_a_500_when_the_database_is_down(outage):
    """Found by make chaos: the staff-cookie middleware read the session from the dead database."""
    client = Client(raise_request_exception=False)
    client.force_login(make_editor())
    outage.down = True
    response = client.get("/admin/comparisons/comparison/")
    assert response.status_code == 503
    assert "We are back in a moment" in response.content.decode()


def test_the_stamp_endpoint_answers_without_the_database(client, article, outage):
    """A reader starting on the form of a cached page never waits on the database."""
    client.get(article.get_absolute_url())
    outage.down = True
    response = client.get(reverse("comparisons:disagree_stamp", args=[article.slug]))
    assert response.status_code == 200 and response.json()["stamp"]


def test_a_change_whose_recording_failed_is_retried_without_waiting_for_a_request(
    client, article, monkeypatch, settings
):
    """Found by make chaos: other processes served stale pages until this one had a request."""
    settings.NICEPICK_HELPER_COOLDOWN = 60
    real_bump = stores.FileState.bump
    failing = {"on": True}

    def bump(self, tags):
        if failing["on"]:
            raise OSError("disk full")
        return real_bump(self, tags)

    monkeypatch.setattr(stores.FileState, "bump", bump)
    monkeypatch.setattr(invalidation, "RETRY_SECONDS", 0.05)
    invalidation.touch(invalidation.comparison(article.pk))
    assert not invalidation.settled()
    failing["on"] = False
    deadline = time.monotonic() + 5
    while invalidation._unflushed and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not invalidation._unflushed, "retried in the background, not at the next request"


def test_healthz_writes_to_the_state_so_a_full_disk_shows(client, monkeypatch):
    def full(self, tags):
        raise OSError("database or disk is full")

    monkeypatch.setattr(stores.FileState, "bump", full)
    lines = client.get("/healthz").content.decode()
    assert "invalidation state: degraded" in lines
