"""
The settings pytest loads (pyproject.toml): the site's own settings, in development mode
unless the environment says otherwise — so a plain `pytest` works as `make test` does.
Tests of production settings run `manage.py` in a subprocess with their own environment.
"""

import os

os.environ.setdefault("DJANGO_DEBUG", "1")

from nicepick.settings import *  # noqa: E402, F403

# Hashing a password the production way takes about a third of a second on purpose; tests make
# and log in hundreds of users, so they use a fast hasher (never acceptable outside tests).
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# Each test starts with an empty page cache (tests/conftest.py); without Redis, memory keeps it
# private to this run (two runs at once must not share a file). The shared SQLite cache of
# production has its own tests (tests/test_sqlitecache.py).
if not REDIS_URL:  # noqa: F405
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
