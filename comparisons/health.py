"""
What `/healthz` reports: each part the site depends on, and its state.

The database is essential (503 without it); the page cache and the invalidation state are
helpers (the site works without them, slower: "degraded"); the mail queue is degraded when
mail has failed for good or waits longer than `NICEPICK_MAIL_STUCK_SECONDS`.

The database is asked from a short lived thread with a deadline, so the health check answers
within `NICEPICK_HEALTHZ_TIMEOUT` even when the database hangs, and never more than one such
question is outstanding.
"""

import threading
import time

from django.conf import settings
from django.db import DatabaseError, connections

from . import stores

_probe = {"thread": None, "started": 0.0}
_probe_lock = threading.Lock()


def _ask_database(outcome):
    connection = connections.create_connection("default")
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        answer = {"state": "ok"}
    except DatabaseError as error:
        answer = {"state": "down", "error": f"{type(error).__name__}: {error}".strip()[:300]}
    finally:
        connection.close()
    outcome.clear()
    outcome.update(answer)


def database():
    """{"state": "ok" | "down" | "timeout", …} within the health check's deadline."""
    timeout = settings.NICEPICK_HEALTHZ_TIMEOUT
    with _probe_lock:
        running = _probe["thread"]
        if running is not None and running.is_alive():
            waited = time.monotonic() - _probe["started"]
            return {"state": "timeout", "error": f"no answer for {waited:.1f} s"}
        outcome = {"state": "timeout", "error": f"no answer within {timeout:g} s"}
        thread = threading.Thread(target=_ask_database, args=(outcome,), daemon=True)
        _probe.update(thread=thread, started=time.monotonic())
        thread.start()
    thread.join(timeout)
    return dict(outcome)


def page_cache():
    key = "nicepick:healthz"
    stores.page_cache.set(key, "ok", 10)
    if stores.PAGE_CACHE.available() and stores.page_cache.get(key) == "ok":
        return {"state": "ok"}
    return {"state": "degraded", **stores.PAGE_CACHE.status()}


def invalidation_state():
    # A write, not only a read: a full disk or a read-only Redis shows here. No page depends
    # on the "healthz" tag, so recording it invalidates nothing.
    if stores.versions.bump(["healthz"]):
        return {"state": "ok"}
    return {"state": "degraded", **stores.STATE.status()}


def mail_queue(database_state):
    """Degraded when mail has failed for good, or has waited long (no worker, no server)."""
    if database_state["state"] != "ok":
        return {"state": "unknown", "error": "the queue lives in the database"}
    from . import mail

    try:
        status = mail.queue_status()
    except DatabaseError as error:
        return {"state": "unknown", "error": f"{type(error).__name__}: {error}"[:300]}
    details = (
        f"{status['pending']} pending, {status['failed']} failed, oldest waiting "
        f"{status['oldest_pending_seconds']:.0f} s"
    )
    stuck = status["oldest_pending_seconds"] > settings.NICEPICK_MAIL_STUCK_SECONDS
    if status["failed"] or stuck:
        return {"state": "degraded", "error": details, **status}
    return {"state": "ok", "detail": details, **status}


def report():
    """(healthy, {part: state}): healthy unless an essential part is down."""
    parts = {"database": database()}
    parts.update(
        {
            "page cache": page_cache(),
            "invalidation state": invalidation_state(),
            "mail queue": mail_queue(parts["database"]),
        }
    )
    return parts["database"]["state"] == "ok", parts
