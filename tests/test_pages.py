"""
The pages every publication has: About, Contact, the category index, the footer that links
them, a table of contents on long articles, and 404 and 503 pages that look like the site.
"""

import re

import pytest
from django.contrib.auth.models import Group
from django.contrib.flatpages.models import FlatPage
from django.core.cache import caches
from django.urls import reverse

from comparisons import latest, rendering
from comparisons.models import Comparison

from .factories import (
    make_category,
    make_comparison,
    make_editor,
    make_tool,
    make_writer,
    restore_pages,
)
from .test_syndication import sitemap_entries

pytestmark = pytest.mark.django_db

Status = Comparison.Status
FOOTER_LINKS = {
    "About": "/about/",
    "Contact": "/contact/",
    "Categories": "/categories/",
    "Tags": "/tags/",
    "RSS feed": "/feed/",
}


@pytest.fixture(autouse=True)
def _pages():
    restore_pages()  # a flush by an earlier transactional test empties what migrations made


def footer_of(html):
    return html[html.index('<footer class="site-footer">') :]


# The footer and the pages it links ---------------------------------------------------------------


@pytest.mark.parametrize(
    "url", ["/", "/tags/", "/categories/", "/about/", "/contact/", "/search/", "/no-such-page/"]
)
def test_every_page_has_the_footer_with_about_contact_rss_tags_and_categories(client, url):
    make_comparison(category=make_category(slug="backend"))
    footer = footer_of(client.get(url).content.decode())
    for text, href in FOOTER_LINKS.items():
        assert f'<a href="{href}">{text}</a>' in footer, (url, text)


def test_about_is_created_by_migrations_in_our_words(client):
    response = client.get("/about/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>About nicepick</h1>" in html
    assert "Every\narticle ends in a decision." in html
    assert '<link rel="canonical" href="http://127.0.0.1:8000/about/">' in html
    assert "<title>About nicepick</title>" in html


def test_contact_offers_the_disagree_route_and_the_configured_address(client, settings):
    settings.NICEPICK_CONTACT_EMAIL = "letters@nicepick.test"
    html = client.get("/contact/").content.decode()
    assert "Disagree with a pick?" in html
    assert "“Disagree?” form at the end of every article" in html
    assert '<a href="mailto:letters@nicepick.test">letters@nicepick.test</a>' in html


def test_an_editor_changes_about_in_the_admin_and_readers_see_it_at_once(client):
    """No deploy: the editor saves the page, and the next reader's request shows it."""
    assert "Written by robots" not in client.get("/about/").content.decode()  # now cached
    page = FlatPage.objects.get(url="/about/")
    editor = make_editor()
    client.force_login(editor)
    change = reverse("admin:flatpages_flatpage_change", args=[page.pk])
    assert client.get(change).status_code == 200
    assert client.get(reverse("admin:flatpages_flatpage_changelist")).status_code == 200
    assert client.get(reverse("admin:flatpages_flatpage_add")).status_code == 200
    response = client.post(
        change,
        {
            "url": "/about/",
            "title": "About us",
            "content": "<p>Written by robots.</p><script>alert(1)</script>",
            "template_name": "",
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    page.refresh_from_db()
    assert "<script" not in page.content
    client.logout()
    html = client.get("/about/").content.decode()
    assert "Written by robots." in html
    assert "<h1>About us</h1>" in html
    assert "alert(1)" not in html


def test_editors_may_edit_the_pages_and_writers_may_not():
    assert make_editor().has_perm("flatpages.change_flatpage")
    assert not make_writer().has_perm("flatpages.change_flatpage")
    assert Group.objects.get(name="Editors").permissions.filter(codename="add_flatpage").exists()


def test_page_html_is_sanitised_even_when_stored_by_other_means(client):
    """HTML that reached the database without the admin is cleaned before readers see it."""
    FlatPage.objects.filter(url="/about/").update(
        content='<p onclick="steal()">Hi</p><script>alert(1)</script>'
    )
    html = client.get("/about/").content.decode()
    assert "<p>Hi</p>" in html
    assert "onclick" not in html and "alert(1)" not in html


def test_a_missing_page_is_a_404_not_a_500(client):
    FlatPage.objects.all().delete()
    assert client.get("/about/").status_code == 404


def test_the_sitemap_lists_the_category_index_about_and_contact(client):
    make_comparison()
    entries = sitemap_entries(client)
    for path in ("/categories/", "/about/", "/contact/"):
        assert f"http://127.0.0.1:8000{path}" in entries, path


# Categories ------------------------------------------------------------------------------------


def test_category_index_lists_categories_with_published_comparisons_and_counts(client):
    backend = make_category("Backend", slug="backend", description="Servers and APIs.", position=5)
    databases = make_category("Databases", slug="databases", position=0)
    make_category("Empty shelf", slug="empty")
    make_comparison(category=backend)
    make_comparison(category=backend)
    make_comparison(category=databases)
    make_comparison(category=databases, status=Status.DRAFT)
    make_comparison(category=make_category("Only drafts", slug="drafts"), status=Status.DRAFT)
    assert reverse("comparisons:category_index") == "/categories/"
    html = client.get("/categories/").content.decode()
    assert '<a href="/categories/backend/">Backend</a>' in html
    assert "Servers and APIs." in html
    assert re.search(r"Backend</a></h2>.*?2 comparisons", html, re.S)
    assert re.search(r"Databases</a></h2>.*?1 comparison<", html, re.S)
    assert html.index(">Databases<") < html.index(">Backend<")  # navigation order
    assert "Empty shelf" not in html and "Only drafts" not in html


# Table of contents -------------------------------------------------------------------------------


LONG_BODY = (
    "## Setting up\n\nText.\n\n### On Linux\n\nMore.\n\n## Day to day\n\nText.\n\n"
    "## Running it in production\n\nText."
)


def test_long_articles_get_a_table_of_contents_that_links_their_headings(client):
    article = make_comparison(body=LONG_BODY)
    html = client.get(article.get_absolute_url()).content.decode()
    toc = re.search(r'<nav class="toc".*?</nav>', html, re.S).group(0)
    links = re.findall(r'<a href="#([^"]+)">([^<]+)</a>', toc)
    assert links == [
        ("setting-up", "Setting up"),
        ("on-linux", "On Linux"),
        ("day-to-day", "Day to day"),
        ("running-it-in-production", "Running it in production"),
        ("quick-heading", "Quick comparison"),
        ("verdict-heading", "The verdict"),
        ("bottom-line-heading", "Bottom line"),
    ]
    for anchor, _ in links:
        assert f'id="{anchor}"' in html.replace(toc, "")


def test_short_articles_have_no_table_of_contents(client):
    article = make_comparison(body="## Why\n\nBecause.\n\n## So\n\nThat.")
    assert 'class="toc"' not in client.get(article.get_absolute_url()).content.decode()


def test_the_table_of_contents_never_renders_markdown_on_a_request(client, monkeypatch):
    """It is read from the stored HTML (DESIGN §8)."""
    article = make_comparison(body=LONG_BODY)

    def refuse(text):
        raise AssertionError("Markdown rendered on a reader's request")

    monkeypatch.setattr(rendering, "render_markdown", refuse)
    monkeypatch.setattr(rendering.markdown, "Markdown", refuse)
    assert 'class="toc"' in client.get(article.get_absolute_url()).content.decode()


# 404 and 503 -------------------------------------------------------------------------------------


def test_404_looks_like_the_site_and_offers_search_and_the_latest(client):
    make_comparison(title="Live Lynx")
    make_comparison(title="Draft Dingo", status=Status.DRAFT)
    response = client.get("/compare/no-such-thing/")
    assert response.status_code == 404
    html = response.content.decode()
    assert '<header class="site-header">' in html and '<footer class="site-footer">' in html
    assert html.count('type="search"') == 1
    assert 'action="/search/"' in html
    assert "Latest comparisons" in html and "Live Lynx" in html
    assert "Draft Dingo" not in html
    assert '<meta name="robots" content="noindex">' in html
    assert 'rel="canonical"' not in html


def test_503_shows_the_latest_comparisons_last_seen_without_the_database(client, outage):
    """The home page keeps a copy of the latest list; the 503 page shows it, with search."""
    make_comparison(title="Kept Kestrel")
    assert client.get("/").status_code == 200
    outage.down = True
    response = client.get("/search/?q=kestrel")  # never asked before: needs the database
    assert response.status_code == 503
    html = response.content.decode()
    assert "We are back in a moment" in html
    assert "Kept Kestrel" in html
    assert '<footer class="site-footer">' in html and 'action="/search/"' in html


def test_503_without_a_kept_list_still_renders(client, outage, settings):
    settings.NICEPICK_PAGE_CACHE = False
    caches["default"].delete(latest.SNAPSHOT_KEY)
    outage.down = True
    response = client.get("/")
    assert response.status_code == 503
    assert "Latest comparisons" not in response.content.decode()


def test_search_page_has_one_search_box(client):
    make_comparison(make_tool("Flask"), make_tool("Express"))
    for url in ("/search/", "/search/?q=flask"):
        html = client.get(url).content.decode()
        assert html.count('type="search"') == 1, url
