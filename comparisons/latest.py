"""
The latest comparisons as plain titles and addresses, for the error pages.

The 404 page asks `latest()` (kept until the published set changes, like the navigation).
Every time the list is built, and whenever the home page renders, a copy goes into the cache
with no expiry: the 503 page shows that copy and never touches the database. The cache is a
helper (comparisons.stores): if it fails, the pages simply show no list.
"""

import logging

from . import invalidation
from .models import Comparison
from .pagecache import remember as remember_value
from .stores import page_cache

logger = logging.getLogger(__name__)

SNAPSHOT_KEY = "nicepick:latest-snapshot"
COUNT = 5


def latest(count=COUNT):
    """The newest published comparisons as [{"title", "url"}], one query per change."""

    def build():
        newest = Comparison.objects.published().only("title", "slug", "published_at")[:count]
        items = as_items(newest)
        remember(items)
        return items

    return remember_value(f"latest:{count}", {invalidation.PUBLISHED, invalidation.CONTENT}, build)


def as_items(comparisons):
    return [{"title": c.title, "url": c.get_absolute_url()} for c in comparisons]


def remember(items):
    """Keep `items` for the 503 page (a failing cache keeps nothing: no list then)."""
    items = list(items)[:COUNT]
    if snapshot() != items:  # a read is cheaper than a write, and the list rarely changes
        page_cache.set(SNAPSHOT_KEY, items, None)


def snapshot():
    """What `remember` kept last, without touching the database; [] when nothing is kept."""
    return page_cache.get(SNAPSHOT_KEY) or []
