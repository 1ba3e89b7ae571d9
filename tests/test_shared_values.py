"""
The values many pages share between changes (counts per tag and category, the number of live
articles, the sitemap's listings): computed once per change, by the worker when there is one.
"""

import pytest
from django_tasks_db.models import DBTaskResult

from comparisons.sitemaps import SITEMAPS
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
