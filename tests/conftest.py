"""Shared fixtures, and the CI guard that PostgreSQL really is in use when it is required."""

import os

import pytest


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    """Uploads made by tests land in a throw-away folder."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _fresh_caches():
    """Each test starts with empty caches, as the database starts empty."""
    from django.core.cache import caches

    for alias in ("default", "state"):
        caches[alias].clear()
    yield


@pytest.fixture(scope="session", autouse=True)
def _require_postgres():
    """With REQUIRE_POSTGRES=1 (CI), a run that silently fell back to SQLite fails."""
    if os.environ.get("REQUIRE_POSTGRES") == "1":
        from django.db import connection

        assert connection.vendor == "postgresql", (
            "REQUIRE_POSTGRES=1 but DATABASE_URL does not point at PostgreSQL "
            f"(vendor {connection.vendor!r})."
        )
