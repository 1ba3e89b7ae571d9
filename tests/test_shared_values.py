"""
The values many pages share between changes (counts per tag and category, the number of live
articles, the sitemap's listings): computed once per change, by the worker when there is one.
"""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from comparisons.sitemaps import SITEMAPS
from comparisons.tasks import warm_shared_values
from comparisons.views.articles import category_index, published_count, tag_index

from .factories import make_category, make_comparison
from .test_mail_queue import run_worker

pytestmark = pytest.mark.django_db(transaction=True)  # changes flush after they commit


def warm_ups():
    return DBTaskResult.objects.filter(task_path__endswith=".warm_shared_values")


def test_after_a_publish_the_worker_computes_what_pages_share_so_readers_do_not(
    settings, django_assert_num_queries
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    make_comparison(tags=("python",), category=make_category(slug="backend"))
    assert warm_ups().exists()
    run_worker()
    assert set(warm_ups().values_list("status", flat=True)) == {"SUCCESSFUL"}
    with django_assert_num_queries(0):
        assert [tag.slug for tag in tag_index()] == ["python"]
        assert [category.slug for category in category_index()] == ["backend"]
        assert published_count() == 1
        for sitemap_class in SITEMAPS.values():
            sitemap_class().items()


def test_without_a_worker_nothing_is_queued_and_the_next_reader_computes_them(client):
    """Development and tests send at once: the values are computed where they are asked."""
    make_comparison(tags=("python",))
    assert not warm_ups().exists()
    assert "python" in client.get("/tags/").content.decode()


def test_after_an_edit_the_worker_renders_the_article_so_its_first_reader_does_not(
    client, settings, django_assert_num_queries
):
    """The article's first reader after a change pays for the tally alone (issue 16 item 4)."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    article = make_comparison(title="Flask vs Express", factors=3)
    article.title = "Flask or Express"
    article.save()
    queued = DBTaskResult.objects.filter(task_path__endswith=".keep_article_parts")
    assert queued.exists()
    run_worker()
    assert set(queued.values_list("status", flat=True)) == {"SUCCESSFUL"}
    with django_assert_num_queries(1):
        response = client.get(article.get_absolute_url())
    assert "Flask or Express" in response.content.decode()


def shared_values():
    """What the shared values say, as a reader's page would show it."""
    sitemap = {name: SITEMAPS[name]() for name in ("comparisons", "tags", "categories", "tools")}
    return {
        "tags": {tag.slug: tag.count for tag in tag_index()},
        "categories": {category.slug: category.count for category in category_index()},
        "count": published_count(),
        "sitemap count": sitemap["comparisons"].totals["count"],
        "tag addresses": [tag.slug for tag in sitemap["tags"].items()],
        "category addresses": [category.slug for category in sitemap["categories"].items()],
        "tool addresses": [tool["slug"] for tool in sitemap["tools"].items()],
    }


def test_shared_values_outlive_a_pages_minute_when_nothing_is_scheduled(
    django_assert_num_queries,
):
    """
    A page is kept a minute (a scheduled article appears within it); the counts pages share are
    kept until what is published changes: no reader counts every live article once a minute.
    """
    make_comparison(tags=("python",), category=make_category(slug="backend"))
    before = shared_values()
    later = timezone.now() + timedelta(hours=2)
    with time_machine.travel(later, tick=False), django_assert_num_queries(0):
        assert shared_values() == before


def test_a_scheduled_article_enters_the_shared_values_when_its_time_comes(
    django_assert_num_queries,
):
    make_comparison(tags=("python",), category=make_category(slug="backend"))
    due = timezone.now() + timedelta(minutes=10)
    make_comparison(
        tags=("python", "rust"), category=make_category(slug="systems"), published_at=due
    )
    before = shared_values()
    assert before["tags"] == {"python": 1}
    assert list(before["categories"]) == ["backend"] and before["count"] == 1
    assert before["tag addresses"] == ["python"] and before["sitemap count"] == 1
    assert len(before["tool addresses"]) == 2
    almost = due - timedelta(seconds=5)
    with time_machine.travel(almost, tick=False), django_assert_num_queries(0):
        assert shared_values() == before  # kept past a page's minute, until it is due
    with time_machine.travel(due + timedelta(seconds=1), tick=False):
        after = shared_values()
    assert after["tags"] == {"python": 2, "rust": 1}
    assert after["categories"] == {"backend": 1, "systems": 1} and after["count"] == 2
    assert after["tag addresses"] == ["python", "rust"]
    assert after["category addresses"] == ["backend", "systems"]
    assert after["sitemap count"] == 2 and len(after["tool addresses"]) == 4


def test_the_worker_computes_them_again_when_a_scheduled_article_goes_live(
    settings, django_assert_num_queries
):
    """No save marks the moment a scheduled article goes live: the worker keeps it anyway."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    make_comparison(tags=("python",))
    due = timezone.now() + timedelta(minutes=10)
    make_comparison(tags=("rust",), published_at=due)
    run_worker()
    assert [tag.slug for tag in tag_index()] == ["python"]
    waiting = warm_ups().filter(status="READY")
    assert waiting.count() == 1 and due < waiting.get().run_after < due + timedelta(seconds=5)
    run_worker()
    assert warm_ups().filter(status="READY").count() == 1, "not due yet: it waits"
    with time_machine.travel(due + timedelta(seconds=5), tick=False):
        run_worker()
        assert not warm_ups().filter(status="READY").exists()
        with django_assert_num_queries(0):
            assert [tag.slug for tag in tag_index()] == ["python", "rust"]
            assert published_count() == 2


def test_warming_them_by_hand_without_a_queue_queues_nothing():
    make_comparison(tags=("rust",), published_at=timezone.now() + timedelta(minutes=10))
    assert warm_shared_values.call() == "warmed"
    assert not warm_ups().exists()
