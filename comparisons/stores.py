"""
The one seam between the site and its helpers — the page cache and the invalidation state.

A cache is an optimisation: when Redis is down, a file cannot be written or a store hangs, the
site renders from the database instead. Every call to a helper goes through a `Part`, which
turns any error into a miss, logs one line per fault per interval (not one per request), and
after a failure stops calling the helper for a short cool-down, so a hung Redis costs one
timeout per interval instead of one per request. `/healthz` and the metrics read the parts'
states from here.

The invalidation state is a monotonic *sequence* and, per dependency tag, the sequence number
of its last change (see `comparisons.pagecache` for how pages use them). It lives in Redis when
`REDIS_URL` is set (one Lua script: atomic, one round trip) and otherwise in a small SQLite file
shared by every process on the machine (`NICEPICK_STATE_DIR`): both are atomic across
processes, unlike Django's generic `incr` (read, then write).
"""

import contextlib
import logging
import sqlite3
import threading
import time
from pathlib import Path

from django.conf import settings
from django.core.cache import caches

logger = logging.getLogger(__name__)


class Part:
    """A helper the site can do without: its state, its cool-down and its one log line."""

    def __init__(self, name, cooldown=None):
        self.name = name
        self.cooldown = cooldown
        self.failed_at = None  # monotonic time of the last failure, None while healthy
        self.error = ""
        self.logged_at = None
        self.failures = 0
        self._lock = threading.Lock()

    @property
    def seconds(self):
        return settings.NICEPICK_HELPER_COOLDOWN if self.cooldown is None else self.cooldown

    def available(self):
        """False while cooling down after a failure: callers treat the helper as a miss."""
        failed_at = self.failed_at
        return failed_at is None or time.monotonic() - failed_at >= self.seconds

    def failed(self, error):
        from .metrics import HELPER_FAULTS

        HELPER_FAULTS.labels(part=self.name).inc()
        now = time.monotonic()
        with self._lock:
            self.failures += 1
            self.failed_at = now
            self.error = f"{type(error).__name__}: {error}"[:300]
            quiet = self.logged_at is not None and now - self.logged_at < self.seconds * 6
            if not quiet:
                self.logged_at = now
        if not quiet:
            logger.warning(
                "%s unavailable (%s); serving without it. Next report in %.0f s at the earliest.",
                self.name,
                self.error,
                self.seconds * 6,
            )

    def succeeded(self):
        if self.failed_at is not None:
            with self._lock:
                if self.failed_at is not None:
                    logger.info("%s is back.", self.name)
                self.failed_at = None
                self.error = ""

    def status(self):
        if self.failed_at is None:
            return {"state": "ok"}
        return {
            "state": "degraded",
            "error": self.error,
            "since_seconds": round(time.monotonic() - self.failed_at, 1),
        }

    def call(self, function, default=None):
        """`function()`, or `default` when the helper fails or is cooling down."""
        if not self.available():
            return default
        try:
            result = function()
        except Exception as error:  # any backend error is a miss: that is the contract
            self.failed(error)
            return default
        self.succeeded()
        return result


PAGE_CACHE = Part("Page cache")
STATE = Part("Invalidation state")
PARTS = (PAGE_CACHE, STATE)


def parts_status():
    return {part.name: part.status() for part in PARTS}


def reset():
    """Forget faults and reconnect (tests point the stores elsewhere and back)."""
    global _state
    for part in PARTS:
        part.failed_at = None
        part.error = ""
        part.logged_at = None
    _state = None
    from .pagecache import nearby

    nearby.clear()


# The page cache -------------------------------------------------------------------------------


class SafeCache:
    """Django's cache "default", where every error is a miss."""

    alias = "default"

    @property
    def backend(self):
        return caches[self.alias]

    def get(self, key):
        return PAGE_CACHE.call(lambda: self.backend.get(key))

    def get_many(self, keys):
        return PAGE_CACHE.call(lambda: self.backend.get_many(keys), default={})

    def set(self, key, value, timeout):
        return PAGE_CACHE.call(lambda: self.backend.set(key, value, timeout) or True, False)

    def set_many(self, entries, timeout):
        return PAGE_CACHE.call(lambda: not self.backend.set_many(entries, timeout), False)

    def delete(self, key):
        return PAGE_CACHE.call(lambda: self.backend.delete(key), False)


page_cache = SafeCache()


# The invalidation state -------------------------------------------------------------------------


def _now_micros():
    return time.time_ns() // 1000


class RedisState:
    """Sequence and tag versions in Redis; a bump is one atomic Lua script (one round trip)."""

    BUMP = """
    local n = redis.call('INCR', KEYS[1])
    local now = tonumber(ARGV[1])
    if n < now then redis.call('SET', KEYS[1], now); n = now end
    for i = 2, #KEYS do redis.call('SET', KEYS[i], n) end
    return n
    """

    def __init__(self, url):
        import redis

        timeout = settings.NICEPICK_REDIS_TIMEOUT
        self.client = redis.Redis.from_url(
            url, socket_timeout=timeout, socket_connect_timeout=timeout
        )
        self.script = self.client.register_script(self.BUMP)

    def current(self):
        value = self.client.get(self._key("seq"))
        return int(value) if value is not None else 0

    def bump(self, tags):
        keys = [self._key("seq"), *(self._key(f"v:{tag}") for tag in tags)]
        return int(self.script(keys=keys, args=[_now_micros()]))

    def versions(self, tags):
        values = self.client.mget([self._key(f"v:{tag}") for tag in tags])
        return {tag: int(value) for tag, value in zip(tags, values, strict=True) if value}

    def ping(self):
        return self.client.ping()

    @staticmethod
    def _key(name):
        return f"nicepick:state:{name}"


class FileState:
    """
    Sequence and tag versions in a SQLite file that every process on the machine shares. A bump
    is one write transaction (SQLite serialises writers), so no bump is lost or reordered.
    """

    def __init__(self, directory):
        self.path = Path(directory) / "state.sqlite3"
        self.local = threading.local()

    def _connection(self):
        connection = getattr(self.local, "connection", None)
        if connection is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            connection = sqlite3.connect(
                self.path, timeout=settings.NICEPICK_REDIS_TIMEOUT * 4, isolation_level=None
            )
            connection.execute("PRAGMA journal_mode=WAL")
            connection.execute("PRAGMA synchronous=NORMAL")
            connection.execute(
                "CREATE TABLE IF NOT EXISTS versions (tag TEXT PRIMARY KEY, n INTEGER NOT NULL)"
            )
            self.local.connection = connection
        return connection

    def current(self):
        row = self._connection().execute("SELECT n FROM versions WHERE tag = ''").fetchone()
        return row[0] if row else 0

    def bump(self, tags):
        connection = self._connection()
        connection.execute("BEGIN IMMEDIATE")
        try:
            row = connection.execute("SELECT n FROM versions WHERE tag = ''").fetchone()
            number = max((row[0] if row else 0) + 1, _now_micros())
            connection.executemany(
                "INSERT INTO versions (tag, n) VALUES (?, ?) "
                "ON CONFLICT(tag) DO UPDATE SET n = excluded.n",
                [("", number), *((tag, number) for tag in tags)],
            )
            connection.execute("COMMIT")
        except BaseException:
            if connection.in_transaction:  # a failed BEGIN or COMMIT leaves none to roll back
                connection.execute("ROLLBACK")
            raise
        return number

    def versions(self, tags):
        tags = list(tags)
        found = {}
        for start in range(0, len(tags), 500):
            chunk = tags[start : start + 500]
            marks = ",".join("?" * len(chunk))
            found.update(
                self._connection().execute(
                    f"SELECT tag, n FROM versions WHERE tag IN ({marks})",  # noqa: S608 (marks)
                    chunk,
                )
            )
        return found

    def ping(self):
        return self.current() is not None


_state = None


def state():
    global _state
    if _state is None:
        if settings.REDIS_URL:
            _state = RedisState(settings.REDIS_URL)
        else:
            _state = FileState(settings.NICEPICK_STATE_DIR)
    return _state


class Versions:
    """
    What pages are checked against: the sequence and the tags' versions. Versions read from the
    store are kept in this process for `NICEPICK_VERSION_MEMO_SECONDS` (about a second), so a
    cache hit rarely costs a second round trip; a bump made here updates the memo at once.

    While something is rendered to be kept (`reading_after`), the pieces it is built from are
    checked against versions read after its sequence number: a piece this process's memo still
    calls fresh may predate a change the number already counts, and the page would then be
    kept as newer than what it shows — stale until its tags change again.
    """

    def __init__(self):
        self.memo = {}  # tag -> (version, read at)
        self.lock = threading.Lock()
        self.local = threading.local()

    @contextlib.contextmanager
    def reading_after(self, moment):
        """Within: versions the memo read before `moment` (time.monotonic()) are read again."""
        outer = getattr(self.local, "since", None)
        self.local.since = moment if outer is None else max(outer, moment)
        try:
            yield
        finally:
            self.local.since = outer

    def current(self):
        """The sequence now, or None when the state is unavailable (then nothing is cached)."""
        return STATE.call(lambda: state().current())

    def of(self, tags):
        """{tag: version} for these tags, or None when the state is unavailable."""
        now = time.monotonic()
        ttl = settings.NICEPICK_VERSION_MEMO_SECONDS
        since = getattr(self.local, "since", None) or 0.0
        found, missing = {}, []
        memo = self.memo
        for tag in tags:
            entry = memo.get(tag)
            if entry is not None and now - entry[1] < ttl and entry[1] >= since:
                found[tag] = entry[0]
            else:
                missing.append(tag)
        if missing:
            fresh = STATE.call(lambda: state().versions(missing))
            if fresh is None:
                return None
            with self.lock:
                if len(memo) > 50_000:
                    memo.clear()
                for tag in missing:
                    version = fresh.get(tag, 0)
                    memo[tag] = (version, now)
                    found[tag] = version
        return found

    def bump(self, tags):
        """Mark these tags changed; False when the state is unavailable (the caller retries)."""
        tags = sorted(set(tags))
        number = STATE.call(lambda: state().bump(tags))
        if number is None:
            return False
        now = time.monotonic()
        with self.lock:
            for tag in tags:
                self.memo[tag] = (number, now)
        return True

    def force_bump(self, tags):
        """A bump that ignores the cool-down and raises on failure (the background retry)."""
        tags = sorted(set(tags))
        number = state().bump(tags)
        STATE.succeeded()
        now = time.monotonic()
        with self.lock:
            for tag in tags:
                self.memo[tag] = (number, now)
        return number

    def forget(self):
        with self.lock:
            self.memo.clear()


versions = Versions()
