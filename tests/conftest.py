"""Shared fixtures, and the CI guard that PostgreSQL really is in use when it is required."""

import os

import pytest
from django.db import OperationalError
from django.db.backends.utils import CursorWrapper


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    """Uploads made by tests land in a throw-away folder."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _fresh_caches(settings, tmp_path_factory):
    """Each test starts with empty caches and healthy helpers, as the database starts empty."""
    from django.core.cache import caches

    from comparisons import stores

    settings.NICEPICK_STATE_DIR = str(tmp_path_factory.getbasetemp() / "state")
    stores.reset()
    stores.versions.forget()
    caches["default"].clear()
    yield
    stores.reset()


# The cookie a reader's browser gets with their first anti-spam stamp (comparisons/antispam.py).
TEST_READER = "a-test-readers-browser-key"


@pytest.fixture(autouse=True, scope="session")
def _test_browsers_have_their_reader_cookie():
    """
    Every test client is a reader's browser that has already been given its reader cookie
    (as disagree.js's stamp request does), so stamps made with `TEST_READER` fit it. Tests of
    the cookie itself remove it.
    """
    from django.test import Client

    from comparisons.antispam import READER_COOKIE

    original = Client.__init__

    def init(self, *args, **kwargs):
        original(self, *args, **kwargs)
        self.cookies[READER_COOKIE] = TEST_READER

    Client.__init__ = init
    yield
    Client.__init__ = original


@pytest.fixture(autouse=True, scope="session")
def _commit_hooks_run_as_in_production():
    """
    Inside a test the database work runs in the test's own transaction, so Django would never
    run `on_commit` callbacks. Run them as production would: when the outermost atomic block of
    the code under test exits, or at once outside any.
    """
    from django.db import transaction
    from django.db.backends.base.base import BaseDatabaseWrapper

    def only_test_blocks(connection):
        return all(block._from_testcase for block in connection.atomic_blocks)

    original_on_commit = BaseDatabaseWrapper.on_commit
    original_exit = transaction.Atomic.__exit__

    def on_commit(self, func, robust=False):
        if self.in_atomic_block and only_test_blocks(self):
            func()
            return
        original_on_commit(self, func, robust)

    def exit_atomic(self, exc_type, exc_value, traceback):
        result = original_exit(self, exc_type, exc_value, traceback)
        connection = transaction.get_connection(self.using)
        if exc_type is None and connection.in_atomic_block and only_test_blocks(connection):
            callbacks, connection.run_on_commit = connection.run_on_commit, []
            for _sids, func, _robust in callbacks:
                func()
        return result

    BaseDatabaseWrapper.on_commit = on_commit
    transaction.Atomic.__exit__ = exit_atomic
    yield
    BaseDatabaseWrapper.on_commit = original_on_commit
    transaction.Atomic.__exit__ = original_exit


@pytest.fixture(scope="session", autouse=True)
def _require_postgres():
    """With REQUIRE_POSTGRES=1 (CI), a run that silently fell back to SQLite fails."""
    if os.environ.get("REQUIRE_POSTGRES") == "1":
        from django.db import connection

        assert connection.vendor == "postgresql", (
            "REQUIRE_POSTGRES=1 but DATABASE_URL does not point at PostgreSQL "
            f"(vendor {connection.vendor!r})."
        )


@pytest.fixture
def outage(monkeypatch):
    """While `outage.down` is true, every query fails as if the server had gone away."""

    class Outage:
        down = False

    real_execute = CursorWrapper.execute

    def execute(self, sql, params=None):
        if Outage.down:
            raise OperationalError("server closed the connection unexpectedly")
        return real_execute(self, sql, params)

    monkeypatch.setattr(CursorWrapper, "execute", execute)
    return Outage
