"""Preview links: an unpublished version shown to outside reviewers without a login."""

from datetime import timedelta

import pytest
import time_machine
from django.core.signing import Signer
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from comparisons import previews
from comparisons.models import Comparison, PreviewLink

from .factories import make_author, make_comparison, make_editor, make_writer

pytestmark = pytest.mark.django_db

Status = Comparison.Status
SITE = "https://nicepick.example"


def sign(value, salt):
    """A token signed like a preview link's, with any value and salt."""
    return Signer(salt=salt).sign_object(value)


@pytest.fixture(autouse=True)
def _site_url(settings):
    settings.SITE_URL = SITE


@pytest.fixture
def editor():
    user = make_editor("eddie")
    user.first_name, user.last_name = "Edith", "Editor"
    user.save()
    return user


@pytest.fixture
def draft():
    return make_comparison(
        status=Status.DRAFT, title="Secret Draft Title", summary="Unpublished summary text."
    )


def change_url(comparison):
    return reverse("admin:comparisons_comparison_change", args=[comparison.pk])


def create_url(comparison):
    return reverse("admin:comparisons_comparison_preview_link_create", args=[comparison.pk])


def revoke_url(link):
    return reverse(
        "admin:comparisons_comparison_preview_link_revoke", args=[link.comparison_id, link.pk]
    )


def path_of(link):
    return previews.url_for(link)


def assert_private(response):
    assert response["X-Robots-Tag"].startswith("noindex")
    cache_control = {part.strip() for part in response["Cache-Control"].split(",")}
    assert {"private", "no-store"} <= cache_control, response["Cache-Control"]
    assert "max-age" not in response["Cache-Control"]


# Making and opening a link ---------------------------------------------------------------------


def test_an_editor_shares_a_draft_and_a_stranger_reads_it_without_signing_in(client, editor, draft):
    client.force_login(editor)
    page = client.get(change_url(draft)).content.decode()
    assert 'id="preview-links"' in page
    assert "Create preview link" in page
    response = client.post(
        create_url(draft), {"preview-link-days": "7", "preview-link-label": "Ana at Flask"}
    )
    assert response.status_code == 302
    assert response.url.endswith("#preview-links")
    link = PreviewLink.objects.get()
    assert link.comparison == draft and link.created_by == editor
    assert link.expires_at - timezone.now() == pytest.approx(
        timedelta(days=7), abs=timedelta(minutes=1)
    )
    page = client.get(change_url(draft)).content.decode()
    assert f'value="{SITE}{path_of(link)}"' in page, "listed with the address to send"
    assert "Ana at Flask" in page and "eddie" in page

    stranger = Client()
    response = stranger.get(path_of(link))
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Secret Draft Title</h1>" in html
    assert "Preview of an unpublished version</strong>, shared by Edith Editor" in html
    expires = timezone.localtime(link.expires_at).strftime("%-d %B %Y")
    assert f"this link expires {expires}" in html
    assert 'id="disagree"' not in html and "Disagree?" not in html
    assert "Back to the editor" not in html, "nothing that leads into the admin"
    assert '<meta name="robots" content="noindex' in html
    assert_private(response)
    assert response["Referrer-Policy"] == "no-referrer"


@pytest.mark.parametrize("days", [1, 30])
def test_the_editor_chooses_how_long_a_link_works(client, editor, draft, days):
    client.force_login(editor)
    client.post(create_url(draft), {"preview-link-days": str(days)})
    link = PreviewLink.objects.get()
    assert link.expires_at - timezone.now() == pytest.approx(
        timedelta(days=days), abs=timedelta(minutes=1)
    )
    with time_machine.travel(link.expires_at - timedelta(minutes=1)):
        assert Client().get(path_of(link)).status_code == 200
    with time_machine.travel(link.expires_at + timedelta(minutes=1)):
        assert Client().get(path_of(link)).status_code == 410


def test_a_lifetime_that_is_not_offered_makes_no_link(client, editor, draft):
    client.force_login(editor)
    response = client.post(create_url(draft), {"preview-link-days": "3650"}, follow=True)
    assert not PreviewLink.objects.exists()
    assert "Preview link: Select a valid choice." in response.content.decode()


def test_a_link_shows_what_version_to_show_returns(monkeypatch, editor, draft):
    """The page goes through the one function that decides which version reviewers see."""
    link = previews.create(draft, editor)

    def pending_copy(comparison):
        comparison.title = "The pending version"
        return comparison

    monkeypatch.setattr(previews, "version_to_show", pending_copy)
    html = Client().get(path_of(link)).content.decode()
    assert "<h1>The pending version</h1>" in html


def test_the_banner_never_names_the_editor_by_their_login(draft):
    anonymous_editor = make_editor("ed-login-42")
    link = previews.create(draft, anonymous_editor)
    html = Client().get(path_of(link)).content.decode()
    assert "ed-login-42" not in html
    assert "shared by the nicepick editors" in html
    make_author("Edith E.", user=anonymous_editor, is_public=False)
    html = Client().get(path_of(link)).content.decode()
    assert "shared by Edith E." in html


# Expired, revoked, tampered --------------------------------------------------------------------


def test_an_expired_link_answers_410_with_a_plain_explanation(editor, draft):
    link = previews.create(draft, editor, days=1)
    with time_machine.travel(timezone.now() + timedelta(days=1, minutes=1)):
        response = Client().get(path_of(link))
    assert response.status_code == 410
    html = response.content.decode()
    assert "This preview link no longer works" in html
    assert "expired on" in html
    assert "ask the editor who shared it with you for a new link" in html
    assert "Secret Draft Title" not in html and "Unpublished summary" not in html
    assert_private(response)
    link.refresh_from_db()
    assert link.views == 0


def test_revoking_stops_a_link_at_once(client, editor, draft, settings):
    """Even a page the reviewer has just loaded is not kept anywhere: the next load is 410."""
    settings.NICEPICK_PAGE_CACHE = True
    link = previews.create(draft, editor)
    stranger = Client()
    assert stranger.get(path_of(link)).status_code == 200
    client.force_login(editor)
    response = client.post(revoke_url(link))
    assert response.status_code == 302
    link.refresh_from_db()
    assert link.revoked_at is not None and link.revoked_by == editor
    response = stranger.get(path_of(link))
    assert response.status_code == 410
    html = response.content.decode()
    assert "The editors withdrew this link" in html
    assert "Secret Draft Title" not in html
    assert_private(response)
    page = client.get(change_url(draft)).content.decode()
    assert "Revoked" in page and path_of(link) not in page
    again = client.post(revoke_url(link), follow=True).content.decode()
    assert "already revoked" in again


def test_tampered_and_unknown_tokens_are_404(editor, draft):
    link = previews.create(draft, editor)
    token = previews.token_for(link)
    payload, signature = token.rsplit(":", 1)
    other = previews.create(make_comparison(status=Status.DRAFT), editor)
    forged = [
        payload + ":" + ("A" if signature[0] != "A" else "B") + signature[1:],  # signature
        sign([other.pk, link.nonce], previews.SALT).rsplit(":", 1)[0]
        + ":"
        + signature,  # another link's id under this signature
        sign([link.pk, link.nonce], "another-salt"),  # signed for another use
        sign([link.pk, "guessed-nonce"], previews.SALT),  # unknown nonce
        sign("not a list", previews.SALT),
        "not-a-token",
    ]
    client = Client()
    for token in forged:
        response = client.get(reverse("comparisons:preview_link", args=[token]))
        assert response.status_code == 404, token
        assert "Secret Draft Title" not in response.content.decode()
    deleted_path = path_of(other)
    other.delete()
    assert client.get(deleted_path).status_code == 404
    assert client.get(path_of(link)).status_code == 200


# Who may share ---------------------------------------------------------------------------------


def test_writers_cannot_share_their_drafts_outside(client, draft):
    writer = make_writer("wendy")
    draft.author = writer
    draft.save()
    client.force_login(writer)
    page = client.get(change_url(draft)).content.decode()
    assert "Create preview link" not in page and 'id="preview-links"' not in page
    assert client.post(create_url(draft), {"preview-link-days": "7"}).status_code == 403
    assert not PreviewLink.objects.exists()
    link = previews.create(draft, make_editor())
    assert client.post(revoke_url(link)).status_code == 403
    link.refresh_from_db()
    assert link.revoked_at is None
    with pytest.raises(previews.workflow.NotAllowed):
        previews.create(draft, writer)


def test_links_are_made_and_revoked_only_by_post_with_csrf(editor, draft):
    client = Client(enforce_csrf_checks=True)
    client.force_login(editor)
    assert client.get(create_url(draft)).status_code == 405
    assert client.post(create_url(draft), {"preview-link-days": "7"}).status_code == 403
    assert not PreviewLink.objects.exists()
    link = previews.create(draft, editor)
    assert client.get(revoke_url(link)).status_code == 405
    assert client.post(revoke_url(link)).status_code == 403
    link.refresh_from_db()
    assert link.is_active()


def test_a_link_revoked_through_another_comparison_is_404(client, editor, draft):
    link = previews.create(draft, editor)
    other = make_comparison(status=Status.DRAFT)
    client.force_login(editor)
    wrong = reverse("admin:comparisons_comparison_preview_link_revoke", args=[other.pk, link.pk])
    assert client.post(wrong).status_code == 404
    link.refresh_from_db()
    assert link.is_active()


# Counting views --------------------------------------------------------------------------------


def test_views_are_counted_for_working_links_only(editor, draft):
    link = previews.create(draft, editor)
    client = Client()
    for _ in range(3):
        client.get(path_of(link))
    client.head(path_of(link))
    link.refresh_from_db()
    assert link.views == 3
    assert link.last_viewed_at is not None
    previews.revoke(link, editor)
    client.get(path_of(link))
    link.refresh_from_db()
    assert link.views == 3


def test_a_view_is_counted_in_the_database_not_from_a_stale_copy(editor, draft):
    """Two reviewers opening the link at once both count (an F() update, not read-add-write)."""
    link = previews.create(draft, editor)
    stale = PreviewLink.objects.get(pk=link.pk)
    PreviewLink.objects.filter(pk=link.pk).update(views=5)  # another request counted meanwhile
    stale.count_view()
    link.refresh_from_db()
    assert link.views == 6


# Never public ----------------------------------------------------------------------------------


def test_preview_links_never_appear_in_lists_feeds_sitemap_or_search(editor, draft):
    link = previews.create(draft, editor)
    make_comparison(title="Something live")
    client = Client()
    assert client.get(path_of(link)).status_code == 200  # opened, then everything else
    pages = ("/", "/feed/", "/sitemap.xml", "/sitemap-comparisons.xml", "/sitemap-tools.xml")
    for url in (*pages, "/search/?q=Secret", "/tags/python/"):
        body = client.get(url).content.decode()
        assert "Secret Draft Title" not in body, url
        assert "/preview/" not in body, url
    robots = client.get("/robots.txt").content.decode()
    assert "Disallow: /preview/" in robots.splitlines()


def test_a_staff_browser_gets_the_same_private_page(client, editor, draft):
    link = previews.create(draft, editor)
    client.force_login(editor)
    client.get(reverse("admin:index"))  # sets the staff cookie
    response = client.get(path_of(link))
    assert response.status_code == 200
    assert_private(response)
