"""
What a change invalidates, and when.

Every cached page records the *dependency tags* of what it shows (`comparisons.pagecache`). A
change marks the tags it touches; the marks are collected during the transaction and written
to the invalidation state once, **after it commits** (a page rendered while the transaction was
still open read the old rows, and is recognised as older than the change). A failed write is
kept and retried on the next request; until it succeeds this process serves nothing from the
cache.

The vocabulary, from broad to narrow:

- ``site``: everything (categories in the navigation, tag names);
- ``published``: which comparisons readers can see, and where they are filed (publishing,
  unpublishing, archiving, a live article's tags, category or tools) — every list and every
  article (its related list) depends on it;
- ``content``: any text of a live article (feeds, sitemap, search and the tag index show it);
- ``c<id>``: one comparison's text, factors, verdict and tags;
- ``f<id>``: one comparison's readers' tally;
- ``t<id>``: one tool's name, summary and website;
- ``a<id>``: the byline of the user with this id (their author profile);
- ``tools``: the list of tools readers can pick from (a matrix's chooser), any tool's name;
- ``verdicts``: any verdict's pick or third option (the tools' records: picks won and lost,
  times suggested as the third option);
- ``criteria``: the criteria (names, descriptions, kinds, order), shown wherever facts are;
- ``facts<id>``: one tool's facts (values, versions, sources, dates): its page, its JSON,
  the matrices with it and the articles whose factor rows take a value from them.

A reader's note therefore refreshes its article alone; an edit refreshes that article, the
pages that show it, and the aggregate pages; a fact refreshes the pages that show that tool's
facts and nothing else.
"""

import logging
import re
import threading
import time

from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

from .stores import STATE, versions

logger = logging.getLogger(__name__)

SITE = "site"
PUBLISHED = "published"
CONTENT = "content"
TOOLS = "tools"
CRITERIA = "criteria"
VERDICTS = "verdicts"


def comparison(pk):
    return f"c{pk}"


COMPARISON_TAG = re.compile(r"c[0-9]+")


def tally(pk):
    return f"f{pk}"


def tool(pk):
    return f"t{pk}"


def author(user_pk):
    return f"a{user_pk}"


def facts(pk):
    """One tool's facts."""
    return f"facts{pk}"


def for_comparison(item):
    """
    The tags of what a card or an article shows of a comparison: its text, its tools and its
    byline.
    """
    tags = {comparison(item.pk)}
    tags.update(tool(pk) for pk in (item.tool_a_id, item.tool_b_id) if pk)
    if item.author_id:
        tags.add(author(item.author_id))
    return tags


def for_cards(items):
    """The tags of a list of comparisons: which are listed, and what each card shows."""
    tags = {PUBLISHED}
    for item in items:
        tags |= for_comparison(item)
    return tags


# Collecting and flushing ------------------------------------------------------------------------

_unflushed = set()  # tags whose bump failed; retried before the next page is served
_unflushed_lock = threading.Lock()
_local = threading.local()


def touch(*tags):
    """Mark tags as changed, once the current transaction commits (at once outside one)."""
    tags = {tag for tag in tags if tag}
    if not tags:
        return
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        flush(tags)
        return
    batch = getattr(_local, "batch", None)
    if batch is None or not any(
        callback is batch.callback for _sids, callback, _robust in connection.run_on_commit
    ):
        # A new transaction, or the last batch went with a rolled-back savepoint.
        batch = _local.batch = _Batch()
        batch.tags.update(tags)
        transaction.on_commit(batch.callback, robust=True)
    else:
        batch.tags.update(tags)


class _Batch:
    """The tags one transaction touched; flushed once, by `on_commit`."""

    def __init__(self):
        self.tags = set()
        self.callback = lambda: flush(self.tags)


# How often a change that could not be recorded is tried again, in the background, so that the
# other processes stop serving pages cached before it as soon as the state is back.
RETRY_SECONDS = 1.0
_retrying = threading.Event()


def flush(tags):
    tags = set(tags)
    with _unflushed_lock:
        tags |= _unflushed
        _unflushed.clear()
    if not tags:
        return True
    if versions.bump(tags):
        _warm_ahead(tags)
        return True
    with _unflushed_lock:
        _unflushed.update(tags)
    _retry_in_background()
    return False


# Changes after which the values many pages share (counts per tag and category, sitemap
# listings) are computed again, by the worker rather than by the next reader.
SHARED = frozenset({SITE, PUBLISHED, CONTENT})


def _warm_ahead(tags):
    """
    Have the worker compute now what the change made stale and many readers will ask for: the
    shared values (comparisons.tasks.warm_shared_values, once however many changes come before
    it runs) and the parts of the articles changed (comparisons.tasks.keep_article_parts).
    Only with a worker: without one the next reader computes them, as it would anyway.
    """
    from django_tasks_db.models import DBTaskResult

    from .mail import needs_worker
    from .tasks import keep_article_parts, warm_shared_values

    changed = sorted(int(tag[1:]) for tag in tags if COMPARISON_TAG.fullmatch(tag))
    if not (changed or tags & SHARED) or not needs_worker():
        return
    try:
        if changed:
            keep_article_parts.enqueue(changed)
        if tags & SHARED:
            waiting = DBTaskResult.objects.ready().filter(task_path=warm_shared_values.module_path)
            if not waiting.exists():
                warm_shared_values.enqueue()
    except Exception:  # the queue lives in the database, which may be what failed
        logger.warning("The warm-up after a change was not queued", exc_info=True)


def _retry_in_background():
    if _retrying.is_set():
        return
    _retrying.set()

    def retry():
        try:
            while True:
                time.sleep(RETRY_SECONDS)
                with _unflushed_lock:
                    tags = set(_unflushed)
                if not tags:
                    return
                try:  # past the helper's cool-down: this is the retry it waits for
                    versions.force_bump(tags)
                except Exception as error:  # still down: noted (one log line an interval)
                    STATE.failed(error)
                    continue
                with _unflushed_lock:
                    _unflushed.difference_update(tags)
        finally:
            _retrying.clear()

    threading.Thread(target=retry, name="invalidation-retry", daemon=True).start()


def settled():
    """True when every change made in this process is recorded; retries the ones that failed."""
    if not _unflushed:
        return True
    return flush(())


# What changes touch ----------------------------------------------------------------------------


def _comparison_saved(sender, instance, raw=False, **kwargs):
    if raw:
        return
    touch(comparison(instance.pk), CONTENT)
    if instance.visibility_changed():
        touch(PUBLISHED)


def _comparison_deleted(sender, instance, **kwargs):
    touch(comparison(instance.pk), CONTENT, PUBLISHED)


def _part_changed(sender, instance, raw=False, **kwargs):
    """A factor or verdict: its comparison's text."""
    if not raw:
        touch(comparison(instance.comparison_id), CONTENT)


def _verdict_changed(sender, instance, raw=False, **kwargs):
    """A verdict: its comparison's text, and the records of the tools it picks or suggests."""
    if not raw:
        touch(comparison(instance.comparison_id), CONTENT, VERDICTS)


def _tags_changed(sender, instance, action, pk_set=None, **kwargs):
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    from .models import Comparison

    if isinstance(instance, Comparison):
        touch(comparison(instance.pk), CONTENT, PUBLISHED)
    else:  # a tag's comparisons changed from the tag's side
        touch(SITE)


def _tagged_item_changed(sender, instance, raw=False, **kwargs):
    if not raw:
        touch(comparison(instance.content_object_id), CONTENT, PUBLISHED)


def _tool_changed(sender, instance, raw=False, **kwargs):
    if not raw:
        touch(tool(instance.pk), CONTENT, TOOLS)


def _fact_changed(sender, instance, raw=False, **kwargs):
    """A tool's fact: the pages showing that tool's facts (articles using them included)."""
    if not raw:
        touch(facts(instance.tool_id))


def _criterion_changed(sender, instance, raw=False, **kwargs):
    # A renamed criterion renames the factor rows that use it (comparisons.facts), whose names
    # search and feeds may show: the content changes too.
    if not raw:
        touch(CRITERIA, CONTENT)


def _author_profile_changed(sender, instance, raw=False, **kwargs):
    """A byline: the author's articles, cards and page; the sitemap lists author pages."""
    if not raw:
        touch(author(instance.user_id), CONTENT)


def _everything(sender, raw=False, **kwargs):
    if not raw:
        touch(SITE)


def _feedback_changed(sender, instance, raw=False, **kwargs):
    if not raw:
        touch(tally(instance.comparison_id))


def connect():
    from taggit.models import Tag

    from .models import (
        AuthorProfile,
        Category,
        Comparison,
        Criterion,
        Factor,
        Feedback,
        TaggedComparison,
        Tool,
        ToolFact,
        Verdict,
    )

    def on(signal, receiver, model, name):
        signal.connect(receiver, sender=model, dispatch_uid=f"invalidate-{name}", weak=False)

    on(post_save, _comparison_saved, Comparison, "comparison-save")
    on(post_delete, _comparison_deleted, Comparison, "comparison-delete")
    on(post_save, _part_changed, Factor, "Factor-save")
    on(post_delete, _part_changed, Factor, "Factor-delete")
    on(post_save, _verdict_changed, Verdict, "Verdict-save")
    on(post_delete, _verdict_changed, Verdict, "Verdict-delete")
    on(post_save, _tagged_item_changed, TaggedComparison, "tagged-save")
    on(post_delete, _tagged_item_changed, TaggedComparison, "tagged-delete")
    on(m2m_changed, _tags_changed, TaggedComparison, "tags")
    on(post_save, _tool_changed, Tool, "tool-save")
    on(post_delete, _tool_changed, Tool, "tool-delete")
    on(post_save, _author_profile_changed, AuthorProfile, "author-profile-save")
    on(post_delete, _author_profile_changed, AuthorProfile, "author-profile-delete")
    on(post_save, _fact_changed, ToolFact, "toolfact-save")
    on(post_delete, _fact_changed, ToolFact, "toolfact-delete")
    on(post_save, _criterion_changed, Criterion, "criterion-save")
    on(post_delete, _criterion_changed, Criterion, "criterion-delete")
    from django.contrib.flatpages.models import FlatPage

    for model in (Category, Tag, FlatPage):  # FlatPage: the About and Contact pages
        on(post_save, _everything, model, f"{model.__name__}-save")
        on(post_delete, _everything, model, f"{model.__name__}-delete")
    on(post_save, _feedback_changed, Feedback, "feedback-save")
    on(post_delete, _feedback_changed, Feedback, "feedback-delete")
