"""Bylines: who signs an article, the author pages, and what search engines read (issue 12)."""

import json
import re

import pytest
from django.urls import reverse

from comparisons.models import AuthorProfile, Comparison

from .factories import make_author, make_comparison, make_editor, make_user, make_writer

pytestmark = pytest.mark.django_db

Status = Comparison.Status
SITE = "https://nicepick.example"


@pytest.fixture(autouse=True)
def _site_url(settings):
    settings.SITE_URL = SITE


def json_ld(html):
    (block,) = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    return json.loads(block)


def page(client, url):
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response.content.decode()


def test_json_ld_never_shows_the_login_name():
    """An author with no full name and no profile is not named by their login (issue 11)."""
    from django.test import Client

    article = make_comparison(author=make_user("jdoe42", staff=True))
    html = page(Client(), article.get_absolute_url())
    assert "jdoe42" not in html
    assert json_ld(html)["author"] == {
        "@type": "Organization",
        "name": "nicepick editors",
        "url": f"{SITE}/about/",
    }


def test_an_article_shows_its_author_with_a_link_and_a_short_bio(client):
    """A public byline: the name links to the author page; the bio closes the article."""
    ada = make_author("Ada Lovelace", bio="Writes about databases and their discontents.")
    article = make_comparison(author=ada)
    html = page(client, article.get_absolute_url())
    assert 'By <a href="/authors/ada-lovelace/" rel="author">Ada Lovelace</a>' in html
    assert "Writes about databases and their discontents." in html
    assert json_ld(html)["author"] == {
        "@type": "Person",
        "name": "Ada Lovelace",
        "url": f"{SITE}/authors/ada-lovelace/",
    }


@pytest.mark.parametrize("who", ["full name only", "hidden profile", "nobody"])
def test_staff_without_a_public_profile_are_signed_nicepick_editors(client, who):
    """Byline and JSON-LD agree: the house byline, never the person's name or login."""
    user = None
    if who == "full name only":
        user = make_writer("grace")
        user.first_name, user.last_name = "Grace", "Hopper"
        user.save()
    elif who == "hidden profile":
        user = make_author("Grace Hopper", is_public=False, bio="Secret bio")
    article = make_comparison(author=user)
    html = page(client, article.get_absolute_url())
    assert 'By the <a href="/about/">nicepick editors</a>' in html
    assert "Grace" not in html and "grace" not in html and "Secret bio" not in html
    assert json_ld(html)["author"]["@type"] == "Organization"
    assert json_ld(html)["author"]["name"] == "nicepick editors"


def test_cards_name_public_authors_only(client):
    """The home page's cards say who wrote each article when the byline is public."""
    make_comparison(author=make_author("Ada Lovelace"), title="Signed one")
    make_comparison(author=make_author("Hidden Person", is_public=False), title="Unsigned one")
    html = page(client, "/")
    assert "by Ada Lovelace" in html
    assert "Hidden Person" not in html


def test_the_author_page_lists_only_their_published_comparisons(client):
    ada = make_author("Ada Lovelace", bio="Databases, mostly.")
    make_comparison(author=ada, title="Live and hers")
    make_comparison(author=ada, title="Her draft", status=Status.DRAFT)
    make_comparison(author=make_author("Someone Else"), title="Not hers")
    html = page(client, "/authors/ada-lovelace/")
    assert "<h1>Ada Lovelace</h1>" in html
    assert "Databases, mostly." in html
    assert "Live and hers" in html
    assert "Her draft" not in html and "Not hers" not in html
    assert "1 comparison, newest first." in html


def test_the_author_page_is_paginated(client):
    ada = make_author("Ada Lovelace")
    for n in range(14):
        make_comparison(author=ada, title=f"Article {n:02}")
    first = page(client, "/authors/ada-lovelace/")
    second = page(client, "/authors/ada-lovelace/?page=2")
    assert first.count('class="card"') == 12
    assert second.count('class="card"') == 2
    assert "14 comparisons" in first
    assert client.get("/authors/ada-lovelace/?page=3").status_code == 404


def test_authors_without_a_public_page_are_404(client):
    """Unknown slugs, hidden profiles and authors with nothing published have no page."""
    hidden = make_author("Hidden Hilda", is_public=False)
    make_comparison(author=hidden)
    only_drafts = make_author("Drafty Dan")
    make_comparison(author=only_drafts, status=Status.DRAFT)
    make_comparison(author=only_drafts, status=Status.REVIEW)
    for slug in ("hidden-hilda", "drafty-dan", "nobody-at-all"):
        assert client.get(f"/authors/{slug}/").status_code == 404, slug


def test_a_profile_change_refreshes_every_cached_page_with_the_byline(client):
    """Renaming an author shows at once on their article, the cards and their page."""
    ada = make_author("Ada Lovelace")
    article = make_comparison(author=ada, title="Signed one")
    urls = (article.get_absolute_url(), "/", "/authors/ada-lovelace/")
    for url in urls:
        assert "Ada Lovelace" in page(client, url)
        assert "max-age" in client.get(url)["Cache-Control"], url  # served from the cache
    profile = AuthorProfile.objects.get(user=ada)
    profile.display_name = "Ada King"
    profile.save()
    for url in urls:
        html = page(client, url)
        assert "Ada King" in html and "Ada Lovelace" not in html, url
    profile.is_public = False
    profile.save()
    assert "nicepick editors" in page(client, article.get_absolute_url())
    assert "Ada King" not in page(client, "/")
    assert client.get("/authors/ada-lovelace/").status_code == 404


def test_a_profile_change_leaves_unrelated_cached_pages_alone(client):
    """Another author's article is not rendered again when Ada edits her bio."""
    ada = make_author("Ada Lovelace")
    other = make_comparison(author=make_author("Grace Hopper"), title="Hers")
    url = other.get_absolute_url()
    page(client, url)
    Comparison.objects.filter(pk=other.pk).update(title="Changed behind the cache")
    AuthorProfile.objects.filter(user=ada).get().save()
    assert "Changed behind the cache" not in page(client, url)


# The admin ----------------------------------------------------------------------------------


def profile_form(user, **fields):
    data = {
        "user": user.pk,
        "display_name": "Wendy Writer",
        "slug": "wendy-writer",
        "bio": "",
        "is_public": "on",
    }
    data.update(fields)
    return data


def test_a_writer_writes_their_own_profile_in_the_admin(client):
    """Staff create their byline themselves; the profile is theirs whatever the form says."""
    wendy, other = make_writer("wendy"), make_writer("olga")
    client.force_login(wendy)
    add_url = reverse("admin:comparisons_authorprofile_add")
    assert client.get(add_url).status_code == 200
    response = client.post(add_url, profile_form(other, bio="Backend things."))
    assert response.status_code == 302, response.content.decode()[:2000]
    profile = AuthorProfile.objects.get()
    assert profile.user == wendy
    assert profile.bio == "Backend things."
    change_url = reverse("admin:comparisons_authorprofile_change", args=[profile.pk])
    response = client.post(change_url, profile_form(wendy, display_name="Wendy W."))
    assert response.status_code == 302
    profile.refresh_from_db()
    assert profile.display_name == "Wendy W."


def test_a_writer_cannot_change_someone_elses_profile(client):
    olga = make_author("Olga Other", user=make_writer("olga"))
    profile = AuthorProfile.objects.get(user=olga)
    client.force_login(make_writer("wendy"))
    changelist = client.get(reverse("admin:comparisons_authorprofile_changelist"))
    assert "Olga Other" not in changelist.content.decode()
    change_url = reverse("admin:comparisons_authorprofile_change", args=[profile.pk])
    client.post(change_url, profile_form(olga, display_name="Hijacked", slug="olga-other"))
    profile.refresh_from_db()
    assert profile.display_name == "Olga Other"


def test_a_writer_with_a_profile_cannot_add_a_second_one(client):
    wendy = make_author("Wendy Writer", user=make_writer("wendy"))
    client.force_login(wendy)
    assert client.get(reverse("admin:comparisons_authorprofile_add")).status_code == 403


def test_editors_change_anyones_profile_and_create_one_for_a_colleague(client):
    olga = make_author("Olga Other", user=make_writer("olga"))
    colleague = make_writer("carl")
    client.force_login(make_editor())
    profile = AuthorProfile.objects.get(user=olga)
    change_url = reverse("admin:comparisons_authorprofile_change", args=[profile.pk])
    response = client.post(change_url, profile_form(olga, display_name="Olga O.", slug="olga"))
    assert response.status_code == 302
    profile.refresh_from_db()
    assert (profile.display_name, profile.slug, profile.user) == ("Olga O.", "olga", olga)
    response = client.post(
        reverse("admin:comparisons_authorprofile_add"),
        profile_form(colleague, display_name="Carl C.", slug="carl"),
    )
    assert response.status_code == 302
    assert AuthorProfile.objects.get(slug="carl").user == colleague


def test_two_profiles_cannot_share_a_slug(client):
    make_author("Ada Lovelace")
    wendy = make_writer("wendy")
    client.force_login(wendy)
    response = client.post(
        reverse("admin:comparisons_authorprofile_add"),
        profile_form(wendy, display_name="Ada Lovelace", slug="ada-lovelace", bio="Kept."),
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "already exists" in html
    assert "Kept." in html
    assert not AuthorProfile.objects.filter(user=wendy).exists()
