"""
Background tasks besides mail (comparisons/mail.py): scheduled changes to live articles, and
the values many pages share and the parts of changed articles, computed ahead of readers
after a change.
"""

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
    from .views.articles import category_index, published_count, tag_index

    tag_index()
    category_index()
    published_count()
    for sitemap_class in SITEMAPS.values():
        sitemap = sitemap_class()
        sitemap.items()
        sitemap.get_latest_lastmod()
    return "warmed"


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
