"""Feeds, sitemap, robots.txt, and what search engines and link previews read in each page."""

import json
import re
import xml.etree.ElementTree as ET
from datetime import timedelta
from html.parser import HTMLParser

import feedparser
import pytest
from django.conf import settings as django_settings
from django.utils import timezone

from comparisons.models import Comparison

from .factories import make_author, make_category, make_comparison, make_tool

pytestmark = pytest.mark.django_db

Status = Comparison.Status
SITE = "https://nicepick.example"
SITEMAP_NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}


@pytest.fixture(autouse=True)
def _site_url(settings):
    settings.SITE_URL = SITE


def sitemap_entries(client):
    """Every address the sitemap index leads to, through each section and page: loc → lastmod."""
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    index = ET.fromstring(response.content)  # noqa: S314 (our own sitemap)
    assert index.tag == f"{{{SITEMAP_NS['s']}}}sitemapindex"
    entries = {}
    for sitemap in index.findall("s:sitemap", SITEMAP_NS):
        address = sitemap.find("s:loc", SITEMAP_NS).text
        assert address.startswith(django_settings.SITE_URL), address
        page = client.get(address.removeprefix(django_settings.SITE_URL))
        assert page.status_code == 200, address
        for url in ET.fromstring(page.content).findall("s:url", SITEMAP_NS):  # noqa: S314
            loc = url.find("s:loc", SITEMAP_NS).text
            assert loc not in entries, f"{loc} listed twice"
            lastmod = url.find("s:lastmod", SITEMAP_NS)
            entries[loc] = None if lastmod is None else lastmod.text
    return entries


def ago(hours):
    return timezone.now() - timedelta(hours=hours)


# Feeds ----------------------------------------------------------------------------------------


def test_the_feed_has_the_latest_twenty_with_absolute_links(client):
    for n in range(22):
        make_comparison(published_at=ago(n + 1), title=f"Comparison {n:02d}", tags=("python",))
    make_comparison(status=Status.DRAFT, title="Draft in feed")
    response = client.get("/feed/")
    assert response.status_code == 200
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.bozo_exception
    assert len(feed.entries) == 20
    assert feed.entries[0].title == "Comparison 00"
    assert all(entry.link.startswith(f"{SITE}/compare/") for entry in feed.entries)
    assert feed.feed.link == f"{SITE}/"
    assert "Draft in feed" not in response.content.decode()
    assert feed.entries[0].published_parsed is not None
    assert [tag.term for tag in feed.entries[0].tags] == ["python"]


def test_a_tag_feed_has_only_that_tag(client):
    make_comparison(tags=("rust",), title="Rusty one")
    make_comparison(tags=("go",), title="Gopher one")
    feed = feedparser.parse(client.get("/tags/rust/feed/").content)
    assert not feed.bozo
    assert [entry.title for entry in feed.entries] == ["Rusty one"]
    assert feed.feed.link == f"{SITE}/tags/rust/"


class _VisibleText(HTMLParser):
    """What a feed reader shows for an HTML description: its text, entities decoded."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts = []

    def handle_data(self, data):
        self.parts.append(data)


def visible_text(html):
    parser = _VisibleText()
    parser.feed(html)
    parser.close()
    return "".join(parser.parts)


def test_feed_descriptions_show_the_summary_as_text_not_markup(client):
    """A summary with <b>, <script> and & arrives in a feed reader as the very text written."""
    summary = "Use <b>bold</b> claims & <script>alert(1)</script> for R&D; 1 < 2."
    comparison = make_comparison(summary=summary)
    for url in ("/feed/", "/tags/python/feed/"):
        comparison.tags.add("python")
        feed = feedparser.parse(client.get(url).content)
        assert not feed.bozo, feed.bozo_exception
        entry = feed.entries[0]
        assert entry.summary_detail.type == "text/html"
        assert "<b>" not in entry.summary and "<script>" not in entry.summary
        assert visible_text(entry.summary).startswith(summary), entry.summary
        assert "Our pick:" in visible_text(entry.summary)


# Sitemap and robots ---------------------------------------------------------------------------


def test_the_sitemap_lists_live_articles_and_listing_pages_with_lastmod(client):
    flask = make_tool("Flask")
    live = make_comparison(
        flask,
        make_tool("Express"),
        tags=("python",),
        category=make_category(slug="backend"),
        author=make_author("Ada", slug="ada"),
    )
    draft = make_comparison(
        make_tool("Secret"),
        make_tool("Other"),
        status=Status.DRAFT,
        tags=("hush",),
        author=make_author("Drafty", slug="drafty"),
    )
    make_comparison(author=make_author("Hidden", slug="hidden", is_public=False))
    entries = sitemap_entries(client)
    expected = [
        f"{SITE}/",
        f"{SITE}{live.get_absolute_url()}",
        f"{SITE}/tags/python/",
        f"{SITE}/categories/backend/",
        f"{SITE}/tools/flask/",
        f"{SITE}/authors/ada/",
    ]
    for loc in expected:
        assert loc in entries, loc
    for loc in expected[1:]:
        assert entries[loc], loc
    assert f"{SITE}{draft.get_absolute_url()}" not in entries
    assert f"{SITE}/tags/hush/" not in entries
    assert f"{SITE}/tools/secret/" not in entries
    assert f"{SITE}/authors/drafty/" not in entries
    assert f"{SITE}/authors/hidden/" not in entries


def test_the_sitemap_is_an_index_of_sections_in_pages_that_hold_every_article(client, monkeypatch):
    """Past one page (50,000 addresses at most; 500 here) the rest is on ?p=2…, not left out."""
    from comparisons.sitemaps import SiteSitemap

    monkeypatch.setattr(SiteSitemap, "limit", 2)
    live = [make_comparison() for _ in range(5)]
    make_comparison(status=Status.DRAFT)
    index = client.get("/sitemap.xml").content.decode()
    for page in ("", "?p=2", "?p=3"):
        assert f"<loc>{SITE}/sitemap-comparisons.xml{page}</loc>" in index, page
    assert f"{SITE}/sitemap-comparisons.xml?p=4" not in index
    entries = sitemap_entries(client)
    articles = {loc for loc in entries if "/compare/" in loc}
    assert articles == {f"{SITE}{comparison.get_absolute_url()}" for comparison in live}
    assert client.get("/sitemap-comparisons.xml?p=4").status_code == 404
    assert client.get("/sitemap-comparisons.xml?p=x").status_code == 404
    assert client.get("/sitemap-nothing.xml").status_code == 404


def test_robots_points_to_the_sitemap_and_keeps_out_of_the_admin(client):
    response = client.get("/robots.txt")
    assert response["Content-Type"].startswith("text/plain")
    text = response.content.decode()
    assert "Disallow: /admin/" in text
    assert f"Sitemap: {SITE}/sitemap.xml" in text


# What each page says about itself ------------------------------------------------------------


def head_of(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    html = response.content.decode()

    def first(pattern):
        match = re.search(pattern, html)
        return match.group(1) if match else None

    return {
        "title": first(r"<title>(.*?)</title>"),
        "description": first(r'<meta name="description" content="(.*?)">'),
        "canonical": first(r'<link rel="canonical" href="(.*?)">'),
        "og:title": first(r'<meta property="og:title" content="(.*?)">'),
        "og:url": first(r'<meta property="og:url" content="(.*?)">'),
        "twitter:card": first(r'<meta name="twitter:card" content="(.*?)">'),
        "html": html,
    }


def test_every_public_page_has_its_own_title_description_canonical_and_sharing_tags(client):
    flask = make_tool("Flask")
    article = make_comparison(
        flask,
        make_tool("Express"),
        tags=("python",),
        category=make_category(slug="backend"),
        summary="The summary doubles as the description.",
    )
    for n in range(13):
        make_comparison(tags=("python",), published_at=ago(n + 2))
    urls = [
        "/",
        "/?page=2",
        article.get_absolute_url(),
        "/tags/",
        "/tags/python/",
        "/tags/python/?page=2",
        "/categories/backend/",
        "/tools/flask/",
        "/search/?q=flask",
    ]
    heads = {url: head_of(client, url) for url in urls}
    titles = [head["title"] for head in heads.values()]
    assert len(set(titles)) == len(titles), titles
    for url, head in heads.items():
        for key in ("title", "description", "canonical", "og:title", "og:url", "twitter:card"):
            assert head[key], (url, key)
        assert head["canonical"].startswith(SITE), url
    assert heads["/?page=2"]["canonical"] == f"{SITE}/?page=2"
    assert heads["/"]["canonical"] == f"{SITE}/"
    assert heads[article.get_absolute_url()]["description"] == article.summary


def test_the_article_has_valid_json_ld(client):
    author = make_author("Ada Lovelace", slug="ada")
    article = make_comparison(
        make_tool("Flask", website="https://flask.example/"),
        make_tool("Express"),
        author=author,
        title="Flask vs Express </script><script>alert(1)</script>",
    )
    html = client.get(article.get_absolute_url()).content.decode()
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert len(blocks) == 1
    data = json.loads(blocks[0])
    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "Article"
    assert data["headline"].startswith("Flask vs Express </script>")
    assert data["datePublished"] == article.published_at.isoformat()
    assert data["dateModified"]
    assert data["author"] == {
        "@type": "Person",
        "name": "Ada Lovelace",
        "url": f"{SITE}/authors/ada/",
    }
    assert [thing["name"] for thing in data["about"]] == ["Flask", "Express"]
    assert data["about"][0]["url"] == "https://flask.example/"
    assert "<script>alert(1)</script>" not in html
