"""The page cache every worker on a machine shares when there is no Redis (SQLite file)."""

import subprocess
import sys

import pytest
from django.test import override_settings

from comparisons import stores
from comparisons.sqlitecache import SQLiteCache

from .factories import make_comparison
from .test_production import PRODUCTION, ROOT, manage


def cache_in(path, **options):
    return SQLiteCache(str(path), {"OPTIONS": options})


def test_values_round_trip_and_expire(tmp_path):
    """What is set is got back until its timeout; add() leaves a live value alone."""
    cache = cache_in(tmp_path / "pages.sqlite3")
    cache.set("page", {"body": "<p>hi</p>"}, 60)
    assert cache.get("page") == {"body": "<p>hi</p>"}
    assert cache.add("page", "other", 60) is False
    cache.set("gone", "x", -1)
    assert cache.get("gone", "missing") == "missing"
    assert cache.add("gone", "back", 60) is True and cache.get("gone") == "back"
    assert cache.delete("page") is True and cache.get("page") is None
    assert cache.get_many(["gone", "page"]) == {"gone": "back"}


def test_another_process_reads_what_this_one_wrote(tmp_path):
    """Two gunicorn workers are two processes: one renders, the other serves it."""
    path = tmp_path / "pages.sqlite3"
    cache_in(path).set("nicepick:page:x", "rendered once", 60)
    code = (
        "from django.conf import settings; settings.configure(); "
        "from comparisons.sqlitecache import SQLiteCache; "
        f"print(SQLiteCache({str(path)!r}, {{}}).get('nicepick:page:x'))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "rendered once"


def test_past_max_entries_the_oldest_entries_go(tmp_path):
    """The file stays bounded: the first written are the first dropped."""
    cache = cache_in(tmp_path / "pages.sqlite3", MAX_ENTRIES=100, CULL_FREQUENCY=4)
    for n in range(400):
        cache.set(f"k{n}", n, 60)
    (count,) = cache._connection().execute("SELECT COUNT(*) FROM entries").fetchone()
    assert count <= 150
    assert cache.get("k0") is None
    assert cache.get("k399") == 399


def test_production_without_redis_shares_one_file_between_workers(tmp_path):
    """The default page cache, with no REDIS_URL, is the shared SQLite file."""
    code = "from django.conf import settings as s; print(s.CACHES['default']['BACKEND'])"
    result = manage(
        "shell", "--no-imports", "-c", code, **PRODUCTION, NICEPICK_STATE_DIR=str(tmp_path)
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "comparisons.sqlitecache.SQLiteCache"


@pytest.mark.django_db
def test_an_unwritable_cache_file_is_a_miss_not_an_error(client, tmp_path):
    """A cache that cannot open its file serves pages from the database."""
    (tmp_path / "not-a-dir").write_text("a file where the folder should be")
    backend = {
        "BACKEND": "comparisons.sqlitecache.SQLiteCache",
        "LOCATION": str(tmp_path / "not-a-dir" / "pages.sqlite3"),
    }
    comparison = make_comparison()
    with override_settings(CACHES={"default": backend}):
        stores.reset()
        for _ in range(2):
            response = client.get(comparison.get_absolute_url())
            assert response.status_code == 200
            assert comparison.title in response.content.decode()
        assert stores.PAGE_CACHE.status()["state"] == "degraded"
