"""
The latest comparisons as plain titles and addresses, for the error pages.

The 404 page asks `latest()` (kept with the content generation, like the navigation). Every
time the list is built, and whenever the home page renders, a copy goes into the shared
"state" cache with no expiry: the 503 page shows that copy and never touches the database.
The cache is a helper: if it fails, the pages simply show no list.
"""

import logging

from django.conf import settings
from django.core.cache import cache, caches

from . import pagecache
from .models import Comparison

logger = logging.getLogger(__name__)

SNAPSHOT_KEY = "nicepick:latest-snapshot"
COUNT = 5


def latest(count=COUNT):
    """The newest published comparisons as [{"title", "url"}], one query per generation."""
    key = f"nicepick:latest:{pagecache.generation()}:{count}"
    items = cache.get(key)
    if items is None:
        newest = Comparison.objects.published().only("title", "slug", "published_at")[:count]
        items = as_items(newest)
        cache.set(key, items, timeout=settings.NICEPICK_CACHE_SECONDS)
        remember(items)
    return items


def as_items(comparisons):
    return [{"title": c.title, "url": c.get_absolute_url()} for c in comparisons]


def remember(items):
    """Keep `items` for the 503 page."""
    try:
        caches["state"].set(SNAPSHOT_KEY, list(items)[:COUNT], timeout=None)
    except Exception:  # a failing cache is a miss: the 503 page then shows no list
        logger.warning("Could not keep the latest comparisons for the 503 page", exc_info=True)


def snapshot():
    """What `remember` kept last, without touching the database; [] when nothing is kept."""
    try:
        return caches["state"].get(SNAPSHOT_KEY) or []
    except Exception:  # the 503 page must render whatever else is failing
        logger.warning("Could not read the latest comparisons for the 503 page", exc_info=True)
        return []
