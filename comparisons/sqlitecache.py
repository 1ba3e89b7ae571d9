"""
A Django cache backend in one SQLite file, shared by every process on the machine.

Without Redis, gunicorn's workers need one copy of each page between them (a page rendered
once per change, not once per worker). Django's own choices each cost something here: the
file-based cache lists its whole folder on every `set` once it is near `MAX_ENTRIES` and keeps
one file per page; the database cache adds a round trip to the site's database on every hit.
This one is a table in a local SQLite file in WAL mode (`bench/RESULTS.md` has the
measurements): a hit is one indexed read that never waits for a writer, a `set` one short
write transaction; past `MAX_ENTRIES` the oldest `CULL_FREQUENCY`-th of the entries (by when
they were written) go in the same transaction.

    CACHES = {"default": {"BACKEND": "comparisons.sqlitecache.SQLiteCache",
                          "LOCATION": "/var/lib/nicepick/cache.sqlite3",
                          "OPTIONS": {"MAX_ENTRIES": 20000}}}

Like every helper, it is called through `comparisons.stores`, where an error is a miss.
"""

import pickle
import sqlite3
import threading
import time
from pathlib import Path

from django.core.cache.backends.base import DEFAULT_TIMEOUT, BaseCache

SCHEMA = (
    "CREATE TABLE IF NOT EXISTS entries ("
    " key TEXT PRIMARY KEY, value BLOB NOT NULL, expires REAL NOT NULL, written REAL NOT NULL)",
    "CREATE INDEX IF NOT EXISTS entries_written ON entries (written)",
)


class SQLiteCache(BaseCache):
    def __init__(self, location, params):
        super().__init__(params)
        self.path = Path(location)
        self.busy_timeout = float(params.get("OPTIONS", {}).get("BUSY_TIMEOUT", 1.0))
        self.local = threading.local()
        self.writes = 0

    # The connection: one per thread, opened on first use ------------------------------------

    def _connection(self):
        connection = getattr(self.local, "connection", None)
        if connection is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            connection = sqlite3.connect(self.path, timeout=self.busy_timeout, isolation_level=None)
            connection.execute("PRAGMA journal_mode=WAL")
            connection.execute("PRAGMA synchronous=OFF")  # a cache: losing it loses nothing
            for statement in SCHEMA:
                connection.execute(statement)
            self.local.connection = connection
        return connection

    # Django's cache API --------------------------------------------------------------------

    def get(self, key, default=None, version=None):
        key = self.make_and_validate_key(key, version=version)
        row = (
            self._connection()
            .execute("SELECT value, expires FROM entries WHERE key = ?", (key,))
            .fetchone()
        )
        if row is None or row[1] < time.time():
            return default
        return pickle.loads(row[0])  # noqa: S301 (our own file, written by this class)

    def get_many(self, keys, version=None):
        return {
            key: value
            for key in keys
            if (value := self.get(key, _MISSING, version=version)) is not _MISSING
        }

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        self._write(key, value, timeout, version, replace=True)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._write(key, value, timeout, version, replace=False)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        key = self.make_and_validate_key(key, version=version)
        cursor = self._connection().execute(
            "UPDATE entries SET expires = ? WHERE key = ? AND expires >= ?",
            (self._expires(timeout), key, time.time()),
        )
        return cursor.rowcount > 0

    def delete(self, key, version=None):
        key = self.make_and_validate_key(key, version=version)
        cursor = self._connection().execute("DELETE FROM entries WHERE key = ?", (key,))
        return cursor.rowcount > 0

    def has_key(self, key, version=None):
        return self.get(key, _MISSING, version=version) is not _MISSING

    def clear(self):
        self._connection().execute("DELETE FROM entries")

    def close(self, **kwargs):
        """Kept open: one connection per thread for the life of the worker."""

    # Writing -------------------------------------------------------------------------------

    def _expires(self, timeout):
        expires = self.get_backend_timeout(timeout)  # an absolute time, or None for never
        return float("inf") if expires is None else expires

    def _write(self, key, value, timeout, version, replace):
        key = self.make_and_validate_key(key, version=version)
        now = time.time()
        data = pickle.dumps(value, pickle.HIGHEST_PROTOCOL)
        connection = self._connection()
        connection.execute("BEGIN IMMEDIATE")
        try:
            if not replace:
                row = connection.execute(
                    "SELECT expires FROM entries WHERE key = ?", (key,)
                ).fetchone()
                if row is not None and row[0] >= now:
                    connection.execute("COMMIT")
                    return False
            connection.execute(
                "INSERT INTO entries (key, value, expires, written) VALUES (?, ?, ?, ?) "
                "ON CONFLICT(key) DO UPDATE SET value = excluded.value, "
                "expires = excluded.expires, written = excluded.written",
                (key, data, self._expires(timeout), now),
            )
            self.writes += 1
            if self.writes % 50 == 1:  # counting the rows costs a scan: not on every write
                self._cull(connection, now)
            connection.execute("COMMIT")
        except BaseException:
            connection.execute("ROLLBACK")
            raise
        return True

    def _cull(self, connection, now):
        connection.execute("DELETE FROM entries WHERE expires < ?", (now,))
        (count,) = connection.execute("SELECT COUNT(*) FROM entries").fetchone()
        if count <= self._max_entries:
            return
        drop = max(count - self._max_entries, count // self._cull_frequency)
        connection.execute(
            "DELETE FROM entries WHERE key IN (SELECT key FROM entries ORDER BY written LIMIT ?)",
            (drop,),
        )


_MISSING = object()
