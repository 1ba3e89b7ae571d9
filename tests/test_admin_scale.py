"""
The admin at any size (issue 16 item 7): every admin page costs the same number of queries
with 3 rows as with 30, and no widget or filter lists the whole corpus.
"""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains

from comparisons.admin.feedback import ComparisonFilter
from comparisons.models import Feedback, Tool

from .factories import make_category, make_comparison, make_editor, make_tool
from .test_feedback_admin import filter_choices
from .test_queries import count_queries

pytestmark = pytest.mark.django_db

COMPARISONS = reverse("admin:comparisons_comparison_changelist")
INBOX = reverse("admin:comparisons_feedback_changelist")


@pytest.fixture
def editor_client(client):
    client.force_login(make_editor())
    return client


def add_notes(comparison, count, status=Feedback.Status.NEW, message="Not so sure about that."):
    first = Feedback.objects.count()
    Feedback.objects.bulk_create(
        Feedback(
            comparison=comparison,
            would_pick="b",
            message=message,
            ip_hash="h",
            token=f"note-{first + n}",
            status=status,
        )
        for n in range(count)
    )


def add_articles(count, label):
    """`count` published articles in one category, a day apart, each with one new note."""
    category = make_category(name=f"Category {label}")
    articles = []
    for n in range(count):
        article = make_comparison(
            make_tool(f"{label} A{n}"),
            make_tool(f"{label} B{n}"),
            category=category,
            tags=[f"{label}-tag-{n}", "python"],
            published_at=timezone.now() - timedelta(days=n % 3 + 1),
        )
        add_notes(article, 1, message=f"A note on {label} {n}.")
        articles.append(article)
    return articles


def admin_pages():
    article = make_comparison(make_tool("Flask"), make_tool("Express"), title="Flask vs Express")
    add_notes(article, 2, message="Express has more middleware.")
    note = Feedback.objects.filter(comparison=article).first()
    tool = Tool.objects.get(name="Flask")
    category = article.category
    return [
        reverse("admin:index"),
        COMPARISONS,
        COMPARISONS + "?q=express",
        COMPARISONS + "?status__exact=published",
        COMPARISONS + f"?category__id__exact={category.pk}",
        COMPARISONS + f"?tags__id__exact={article.tags.get().pk}",
        COMPARISONS + "?published_at__isnull=False",
        COMPARISONS + "?o=1",
        COMPARISONS + "?o=-6",
        reverse("admin:comparisons_comparison_change", args=[article.pk]),
        INBOX,
        INBOX + "?q=middleware",
        INBOX + "?status__exact=new",
        INBOX + f"?comparison__id__exact={article.pk}",
        reverse("admin:comparisons_feedback_change", args=[note.pk]),
        reverse("admin:comparisons_tool_changelist"),
        reverse("admin:comparisons_tool_change", args=[tool.pk]),
    ]


def test_every_admin_page_costs_the_same_with_3_rows_or_30(client):
    """Dashboard, lists (searched, filtered, sorted) and change pages: no query per row."""
    client.force_login(make_editor())
    urls = admin_pages()
    add_articles(3, "small")
    for url in urls:  # what a process looks up once (content types, say) is not a page's cost
        client.get(url)
    small = {url: count_queries(client, url) for url in urls}
    add_articles(27, "large")
    large = {url: count_queries(client, url) for url in urls}
    assert large == small


def test_the_inbox_lists_only_the_articles_with_most_new_notes(editor_client):
    """30 articles with new notes: the comparison filter offers the busiest few, busiest first."""
    articles = add_articles(30, "busy")
    add_notes(articles[7], 5)  # six new notes in all: the busiest
    add_notes(articles[3], 2, status=Feedback.Status.READ)  # read notes do not count
    choices = filter_choices(editor_client.get(INBOX), "comparison")
    assert choices[0] == "All"
    assert len(choices) == 1 + ComparisonFilter.LIMIT
    assert choices[1] == f"{articles[7].title} (6 new)"


def test_the_link_from_an_article_filters_to_it_and_shows_it_selected(editor_client):
    """`?comparison__id__exact=<pk>` of a quiet article: its notes only, and its name selected."""
    add_articles(30, "busy")
    quiet = make_comparison(make_tool("Quiet A"), make_tool("Quiet B"), title="Quiet A vs Quiet B")
    add_notes(quiet, 1, status=Feedback.Status.READ, message="An old note, already read.")
    assert "Quiet A vs Quiet B" not in filter_choices(editor_client.get(INBOX), "comparison")
    response = editor_client.get(INBOX, {"comparison__id__exact": quiet.pk})
    assert [note.message for note in response.context["cl"].result_list] == [
        "An old note, already read."
    ]
    assert "Quiet A vs Quiet B" in filter_choices(response, "comparison")
    page = response.content.decode()
    selected = re.search(
        r'data-filter-title="comparison".*?<li class="selected">\s*<a[^>]*>(.*?)</a>', page, re.S
    )
    assert selected and selected.group(1).strip() == "Quiet A vs Quiet B"


def test_a_comparison_filter_that_is_not_a_number_is_refused(editor_client):
    """A hand-edited `?comparison__id__exact=abc` is an error message, not a 500."""
    response = editor_client.get(INBOX, {"comparison__id__exact": "abc"})
    assert response.status_code == 302
    assert response["Location"].endswith("?e=1")


def test_the_comparison_list_counts_without_a_second_full_count(editor_client):
    """The list says how many rows match; it no longer adds "(… total)" by counting them all."""
    add_articles(3, "few")
    response = editor_client.get(COMPARISONS, {"status__exact": "published"})
    assertContains(response, "3 comparisons")
    assertNotContains(response, "total)")


def test_the_date_drill_down_offers_the_days_that_hold_articles(editor_client):
    """The drill-down probes each period: days with articles are offered, empty days are not."""
    category = make_category()
    moments = [timezone.now().replace(day=day, hour=12) for day in (2, 5)]
    for moment in moments:
        make_comparison(published_at=moment, category=category)
    page = editor_client.get(COMPARISONS).content.decode()
    links = re.findall(r"published_at__day=(\d+)", page)
    assert sorted(set(int(day) for day in links)) == [2, 5]


def test_filtered_by_a_tag_the_drill_down_reads_the_matches_once_whatever_the_span(editor_client):
    """A tag filter makes the list DISTINCT; probing year by year then read every match of each
    year (300 ms at 100,000 articles): the years come from one pass over the matches."""
    from taggit.models import Tag

    now = timezone.now()
    for years_ago in (0, 2, 9):
        make_comparison(tags=("python",), published_at=now - timedelta(days=366 * years_ago))
    make_comparison(tags=("other",), published_at=now - timedelta(days=366 * 5))
    url = f"{COMPARISONS}?tags__id__exact={Tag.objects.get(slug='python').pk}"
    page = editor_client.get(url).content.decode()
    years = sorted({int(year) for year in re.findall(r"published_at__year=(\d+)", page)})
    assert years == sorted({(now - timedelta(days=366 * n)).year for n in (0, 2, 9)})
    few = count_queries(editor_client, url)
    make_comparison(tags=("python",), published_at=now - timedelta(days=366 * 20))
    assert count_queries(editor_client, url) == few


@pytest.fixture
def comparison_admin():
    from django.contrib import admin

    from comparisons.models import Comparison

    return admin.site._registry[Comparison]


def shown_titles(response):
    return [row.title for row in response.context["cl"].result_list]


def test_the_comparison_list_and_the_inbox_show_50_rows_a_page(editor_client):
    """60 articles with a note each: 50 on the first page, 10 on the second, both lists."""
    add_articles(60, "many")
    first = editor_client.get(COMPARISONS)
    assert len(first.context["cl"].result_list) == 50
    assert len(editor_client.get(COMPARISONS, {"p": 2}).context["cl"].result_list) == 10
    assertContains(first, "60 comparisons")
    assert len(editor_client.get(INBOX).context["cl"].result_list) == 50


def test_a_broad_search_says_how_many_at_least_and_still_pages(
    editor_client, comparison_admin, monkeypatch
):
    """Past the rows it counts, the list says "4+", offers the pages counted, and grows on."""
    monkeypatch.setattr(comparison_admin, "list_per_page", 2)
    monkeypatch.setattr(comparison_admin, "counted_ahead", 4)
    add_articles(9, "broad")
    first = editor_client.get(COMPARISONS, {"q": "broad"})
    assertContains(first, "4+ comparisons")
    assertContains(first, "4+ results")
    assert len(first.context["cl"].result_list) == 2
    assert first.context["cl"].paginator.num_pages == 2
    second = editor_client.get(COMPARISONS, {"q": "broad", "p": 2})
    assert len(second.context["cl"].result_list) == 2
    assertContains(second, "6+ comparisons")  # from page 2, four rows past its first
    assert second.context["cl"].paginator.num_pages == 3
    assert set(shown_titles(first)).isdisjoint(shown_titles(second))


def test_a_search_that_matches_all_it_counts_says_the_exact_number(
    editor_client, comparison_admin, monkeypatch
):
    """Fewer matches than the list counts: the exact number, and every match once."""
    monkeypatch.setattr(comparison_admin, "list_per_page", 2)
    monkeypatch.setattr(comparison_admin, "counted_ahead", 10)
    articles = add_articles(3, "exact")
    pages = [editor_client.get(COMPARISONS, {"q": "exact", "p": p}) for p in (1, 2)]
    assertContains(pages[0], "3 comparisons")
    assertNotContains(pages[0], "3+ comparisons")
    assert sorted(shown_titles(pages[0]) + shown_titles(pages[1])) == sorted(
        article.title for article in articles
    )


def test_a_narrow_search_lists_its_matches_with_their_dates_in_the_drill_down(editor_client):
    """Two of 30 articles match: only they are listed, and the drill-down offers their days."""
    add_articles(28, "other")
    category = make_category(name="Rare")
    moments = [timezone.now().replace(day=day, hour=12) for day in (3, 9)]
    rare = [
        make_comparison(
            make_tool(f"Zyxwv {n}"), make_tool(f"Qrstu {n}"), category=category, published_at=when
        )
        for n, when in enumerate(moments)
    ]
    response = editor_client.get(COMPARISONS, {"q": "zyxwv"})
    assert sorted(shown_titles(response)) == sorted(article.title for article in rare)
    assertContains(response, "2 comparisons")
    links = re.findall(r"published_at__day=(\d+)", response.content.decode())
    assert sorted(set(int(day) for day in links)) == [3, 9]


def test_the_tag_column_lists_each_articles_tags(editor_client):
    """The page's tags come from one query: each row still shows its own, by name."""
    add_articles(3, "tagged")
    response = editor_client.get(COMPARISONS)
    assertContains(response, '<td class="field-tag_list">python, tagged-tag-1</td>', html=True)


def test_the_inbox_counts_the_busiest_articles_among_the_latest_new_notes(
    editor_client, monkeypatch
):
    """A pile of old new notes does not outweigh the article readers are writing about now."""
    monkeypatch.setattr(ComparisonFilter, "RECENT", 4)
    old, now = add_articles(2, "counted")
    add_notes(old, 6)
    Feedback.objects.update(created_at=timezone.now() - timedelta(days=30))
    add_notes(now, 3)
    choices = filter_choices(editor_client.get(INBOX), "comparison")
    assert choices[1] == f"{now.title} (3 new)"
    assert choices[2] == f"{old.title} (1 new)"


def test_the_drill_down_finds_its_first_and_last_date_by_index_once(editor_client):
    """
    Filtered through a join (notes that agree with their article's pick), MIN and MAX read
    every match, and Django's drill-down asked for them twice (88 ms each at 100,000
    articles): the bounds are now read from either end of the date index, once.
    """
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    article = make_comparison(verdict={"pick": "b"})
    add_notes(article, 3)
    now = timezone.now()
    Feedback.objects.filter(pk=Feedback.objects.order_by("pk").first().pk).update(
        created_at=now - timedelta(days=400)
    )
    with CaptureQueriesContext(connection) as queries:
        page = editor_client.get(f"{INBOX}?would_pick=pick&status__exact=new").content.decode()
    years = sorted({int(year) for year in re.findall(r"created_at__year=(\d+)", page)})
    assert years == sorted({now.year, (now - timedelta(days=400)).year})
    assert not [query for query in queries if "MIN(" in query["sql"] or "MAX(" in query["sql"]]
    bounds = [q for q in queries if re.search(r"ORDER BY \S+ (ASC|DESC) LIMIT 1$", q["sql"])]
    assert len(bounds) == 2, "the first and the last date, read once each"


def test_an_article_with_its_verdict_gets_no_blank_verdict_form(editor_client):
    """One verdict an article: Django's hidden "Add another" copy of the form is left out."""
    judged = make_comparison()
    page = editor_client.get(reverse("admin:comparisons_comparison_change", args=[judged.pk]))
    assertContains(page, 'name="verdict-0-headline"')
    assertNotContains(page, 'id="verdict-empty"')
    unjudged = make_comparison(verdict=False, status="draft")
    page = editor_client.get(reverse("admin:comparisons_comparison_change", args=[unjudged.pk]))
    assertContains(page, 'name="verdict-0-headline"')  # the verdict to write


@pytest.mark.parametrize("url", [COMPARISONS + "?q=express", INBOX + "?q=middleware"])
def test_a_searched_list_does_not_count_what_it_has_just_read(editor_client, url):
    """The matching ids are read once (as far as the pages on offer): that is the count."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    admin_pages()  # an article "Flask vs Express" with notes about middleware
    with CaptureQueriesContext(connection) as queries:
        response = editor_client.get(url)
    assert response.status_code == 200
    assert response.context["cl"].result_count >= 1
    # (The inbox's filter counts each article's new notes: a count of something else.)
    counts = [query for query in queries if "SELECT COUNT(" in query["sql"]]
    assert not counts


def test_the_change_page_reads_its_article_once(editor_client):
    """A live article with no pending copy: it is known from the article's own row that there
    is none, and the verdict's heading names the article the page has already read."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    article = make_comparison()
    url = reverse("admin:comparisons_comparison_change", args=[article.pk])
    editor_client.get(url)
    with CaptureQueriesContext(connection) as queries:
        page = editor_client.get(url)
    assertContains(page, f"Verdict on {article.title}")
    reads = [
        query
        for query in queries
        if query["sql"].startswith('SELECT "comparisons_comparison"."id"')
        and '"comparisons_comparison"."body"' in query["sql"]
    ]
    assert len(reads) == 1, [query["sql"][-120:] for query in reads]


@pytest.mark.parametrize(
    "url", [COMPARISONS + "?status__exact=published&q=small", INBOX + "?q=note&status__exact=new"]
)
def test_a_filtered_lists_rows_carry_its_filters_without_a_url_lookup_per_row(
    editor_client, url, monkeypatch
):
    """Each row's link brings the editor back to the same filtered list after a save; Django
    worked that out per row by resolving the row's address (a tenth of a searched list)."""
    from django.contrib.admin.templatetags import admin_urls
    from django.utils.http import urlencode

    resolved = []
    original = admin_urls.resolve
    monkeypatch.setattr(admin_urls, "resolve", lambda path: resolved.append(path) or original(path))
    add_articles(6, "small")
    page = editor_client.get(url)
    rows = page.context["cl"].result_list
    assert len(rows) == 6
    back = urlencode({"_changelist_filters": url.split("?", 1)[1]})
    for row in rows:
        change = reverse(f"admin:comparisons_{row._meta.model_name}_change", args=[row.pk])
        assertContains(page, f'href="{change}?{back.replace("&", "&amp;")}"')
    assert len(resolved) < 3, resolved


def test_a_tag_filtered_list_reads_its_page_without_distinct(editor_client):
    """Filtered through the tags' join, the list was DISTINCT over every matching article's
    row, sorted (36–150 ms at 100,000): it asks "tagged with it?" instead, once per row."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from taggit.models import Tag

    articles = add_articles(4, "small")  # tagged "python" and one tag of their own
    make_comparison(tags=("other",))
    python = Tag.objects.get(slug="python")
    url = f"{COMPARISONS}?tags__id__exact={python.pk}"
    with CaptureQueriesContext(connection) as queries:
        page = editor_client.get(url)
    assert sorted(row.pk for row in page.context["cl"].result_list) == sorted(
        article.pk for article in articles
    )
    tags_filter = page.text.split('data-filter-title="tags"')[1]
    selected = re.search(r'<li class="selected">\s*<a href="([^"]*)">([^<]*)</a>', tags_filter)
    assert selected.groups() == (f"?tags__id__exact={python.pk}", "python")
    listed = [q["sql"] for q in queries if 'FROM "comparisons_comparison"' in q["sql"]]
    # (The drill-down's one pass over the matches is DISTINCT by nature: its dates.)
    assert not [sql for sql in listed if "DISTINCT" in sql and "trunc" not in sql.lower()]


def test_a_tag_filter_that_is_not_a_number_is_refused(editor_client):
    """A hand-edited `?tags__id__exact=python` is an error message, not a 500."""
    make_comparison(tags=("python",))
    page = editor_client.get(f"{COMPARISONS}?tags__id__exact=python")
    assert page.status_code == 302 and page["Location"].endswith("?e=1"), page.status_code
