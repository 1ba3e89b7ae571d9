"""
Background tasks besides mail (comparisons/mail.py): scheduled changes to live articles, and
the values many pages share and the parts of changed articles, computed ahead of readers
after a change.
"""

from datetime import timedelta

from django_tasks import task


@task()
def publish_due_changes():
    """Publish the pending changes whose time has come (comparisons.pending.publish_due)."""
    from . import pending

    return pending.publish_due()


@task()
def warm_shared_values():
    """
    After a change to what is published, compute the values many pages share — counts per
    tag and per category (navigation, tag and category indexes, popular tags, list lengths),
    the number of live articles, the sitemap's listings — so that the first reader after the
    change does not pay for them (each groups every live article: ~0.3 s at 100,000).
    """
    from .sitemaps import SITEMAPS
    from .views.articles import category_index, live_totals, tag_index

    tag_index()
    category_index()
    for sitemap_class in SITEMAPS.values():
        sitemap = sitemap_class()
        sitemap.items()
        sitemap.get_latest_lastmod()
    due = warm_again_when_due(live_totals()["due"])
    return f"warmed; again at {due.isoformat()}" if due else "warmed"


def warm_again_when_due(due):
    """
    A scheduled article going live (at `due`, from `live_totals`) changes the shared values by
    the clock, with no save to set the worker off: queue this warm-up for that moment too
    (once), a little after the values kept until then expire (`pagecache.remember_live`: whole
    seconds, rounded up). Returns when, or None when nothing is scheduled.
    """
    from django_tasks_db.models import DBTaskResult

    if due is None or not warm_shared_values.get_backend().supports_defer:  # none, or no queue
        return None
    due += timedelta(seconds=2)
    waiting = DBTaskResult.objects.filter(
        task_path=warm_shared_values.module_path, status="READY", run_after=due
    )
    if not waiting.exists():
        warm_shared_values.using(run_after=due).enqueue()
    return due


@task()
def keep_article_parts(comparison_ids):
    """
    After articles change, render the parts of their pages that every reader shares
    (comparisons.views.articles.article_parts), so that their first reader does not.
    """
    from .models import Comparison
    from .views.articles import kept_article_parts

    slugs = (
        Comparison.objects.published().filter(pk__in=comparison_ids).values_list("slug", flat=True)
    )
    for slug in slugs:
        kept_article_parts(slug)
    return f"kept {len(slugs)}"
