"""Social cards: drawn when an article is published or changed, never when a reader asks."""

import html as htmllib
import io
import re
from pathlib import Path

import pytest
import reversion
from django.core.files.storage import FileSystemStorage
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from PIL import Image

from comparisons import pending, socialcards, workflow
from comparisons.models import Comparison

from .factories import NO_FACTS, make_comparison, make_editor, make_tool, make_user
from .test_workflow_admin import change_url, edit_data

pytestmark = pytest.mark.django_db

Status = Comparison.Status
SITE_CARD = Path(__file__).resolve().parents[1] / "comparisons/static/comparisons/social-card.png"


def meta(html, name):
    match = re.search(rf'<meta (?:property|name)="{re.escape(name)}" content="(.*?)">', html)
    return htmllib.unescape(match.group(1)) if match else None


def picture(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return Image.open(io.BytesIO(b"".join(response.streaming_content)))


@pytest.fixture
def draft():
    return make_comparison(make_tool("Flask"), make_tool("Express"), status=Status.REVIEW)


def test_publishing_draws_a_1200_by_630_card_that_the_article_names(client, draft, settings):
    """After “publish”, og:image is an absolute URL of a 1200×630 PNG, with its size and alt."""
    assert not draft.social_card
    workflow.publish(draft, make_editor())
    draft.refresh_from_db()
    assert draft.social_card.name.startswith("cards/flask-vs-express-")
    assert (Path(settings.MEDIA_ROOT) / draft.social_card.name).exists()

    html = client.get(draft.get_absolute_url()).content.decode()
    image_url = meta(html, "og:image")
    assert image_url == f"{settings.SITE_URL}/media/{draft.social_card.name}"
    assert meta(html, "og:image:width") == "1200"
    assert meta(html, "og:image:height") == "630"
    assert meta(html, "og:image:alt") == (
        "Flask vs Express: Flask against Express. nicepick's pick: Flask."
    )
    assert meta(html, "twitter:card") == "summary_large_image"
    image = picture(client, image_url.removeprefix(settings.SITE_URL))
    assert image.format == "PNG"
    assert image.size == (1200, 630)


def test_scheduling_draws_the_card_before_the_article_goes_live(draft):
    """A scheduled article has its card ready for the moment readers see it."""
    from datetime import timedelta

    from django.utils import timezone

    workflow.schedule(draft, make_editor(), timezone.now() + timedelta(days=1))
    draft.refresh_from_db()
    assert draft.social_card


def test_reading_a_page_never_draws_a_card(client, monkeypatch):
    """Readers' requests only read the stored name, even for an article without a card."""
    article = make_comparison()

    def refuse(**facts):
        raise AssertionError("a card was drawn on a reader's request")

    monkeypatch.setattr(socialcards, "draw_card", refuse)
    html = client.get(article.get_absolute_url()).content.decode()
    assert meta(html, "og:image").endswith(".png")  # the site's default card
    assert "social-card" in meta(html, "og:image")


def test_an_edit_that_changes_the_card_draws_a_new_one_and_drops_the_old(client, settings):
    """
    A new title saved on a live article waits in its pending changes (the card too); once
    published, the card is renamed (so caches never serve a stale one) and the old one goes.
    """
    comparison = make_comparison(make_tool("Flask"), make_tool("Express"))
    editor = make_editor()
    client.force_login(editor)
    socialcards.refresh_card(comparison)
    comparison.refresh_from_db()
    old = comparison.social_card.name

    response = client.post(
        change_url(comparison), edit_data(comparison, title="Flask or Express in 2027?")
    )
    assert response.status_code == 302
    comparison.refresh_from_db()
    assert comparison.social_card.name == old, "readers' card waits for the changes"
    workflow.apply("publish_changes", pending.copy_of(comparison), editor, note="Retitled.")
    comparison.refresh_from_db()
    assert comparison.social_card.name != old
    assert (Path(settings.MEDIA_ROOT) / comparison.social_card.name).exists()
    assert not (Path(settings.MEDIA_ROOT) / old).exists()
    html = Client().get(comparison.get_absolute_url()).content.decode()
    assert comparison.social_card.name in meta(html, "og:image")


def test_saving_without_changing_what_the_card_shows_keeps_the_card(client):
    """The card is drawn again only when the title, the tools or the pick change."""
    comparison = make_comparison()
    socialcards.refresh_card(comparison)
    comparison.refresh_from_db()
    before = comparison.social_card.name
    client.force_login(make_editor())
    client.post(change_url(comparison), edit_data(comparison, summary="A new summary."))
    comparison.refresh_from_db()
    assert comparison.social_card.name == before


def test_drafts_get_no_card(client):
    """Only published (or scheduled) comparisons have a card."""
    comparison = make_comparison(status=Status.DRAFT)
    client.force_login(make_editor())
    client.post(change_url(comparison), edit_data(comparison, title="Still a draft"))
    comparison.refresh_from_db()
    assert not comparison.social_card


def test_renaming_a_tool_redraws_the_cards_it_is_on(client):
    """A tool's name is on the card: renaming it in the admin draws its comparisons' cards."""
    flask = make_tool("Flask")
    comparison = make_comparison(flask, make_tool("Express"))
    socialcards.refresh_card(comparison)
    comparison.refresh_from_db()
    before = comparison.social_card.name
    client.force_login(make_user(superuser=True))
    response = client.post(
        reverse("admin:comparisons_tool_change", args=[flask.pk]),
        {"name": "Flask 3", "slug": "flask", "summary": "", "website": "", **NO_FACTS},
    )
    assert response.status_code == 302
    comparison.refresh_from_db()
    assert comparison.social_card.name != before


def test_cards_are_served_with_long_lived_cache_headers(client):
    """A card is renamed when its picture changes, so browsers keep it a year; 304 on asking."""
    comparison = make_comparison()
    name = socialcards.refresh_card(comparison)
    url = f"/media/{name}"
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["Cache-Control"] == "public, max-age=31536000, immutable"
    again = client.get(url, HTTP_IF_MODIFIED_SINCE=response["Last-Modified"])
    assert again.status_code == 304


def test_restoring_a_revision_draws_the_card_of_the_restored_words(client):
    """Restore brings back the old title (as pending changes), and once live, its card."""
    from comparisons import revisions

    comparison = make_comparison(make_tool("Flask"), make_tool("Express"))
    editor = make_editor()
    with reversion.create_revision():
        comparison.save()  # revision 1
    first = revisions.versions_of(comparison).get()
    copy = pending.start(comparison, editor)
    copy.title = "A newer title"
    copy.save()
    workflow.apply("publish_changes", copy, editor, note="Retitled.")
    comparison.refresh_from_db()
    newer = comparison.social_card.name
    restored = revisions.restore(comparison, first, editor)
    workflow.apply("publish_changes", restored, editor, note="Back to the first title.")
    comparison.refresh_from_db()
    assert comparison.title == "Flask vs Express"
    assert comparison.social_card.name not in ("", newer)


@pytest.mark.parametrize("name", ["nothing.png", "..%2Fsecret.png", "x.txt", "a%00.png"])
def test_unknown_or_malformed_card_names_answer_404(client, name):
    assert client.get(f"/media/cards/{name}").status_code == 404


def test_a_failing_disk_never_blocks_publishing(draft, monkeypatch):
    """If the card cannot be stored, the article is still published (and keeps no card)."""

    def full(*args, **kwargs):
        raise OSError("No space left on device")

    monkeypatch.setattr(FileSystemStorage, "save", full)
    workflow.publish(draft, make_editor())
    draft.refresh_from_db()
    assert draft.is_published()
    assert not draft.social_card


def test_refreshcards_draws_every_published_card(settings):
    """`manage.py refreshcards` fills in the cards of every published comparison."""
    published = [make_comparison() for _ in range(2)]
    hidden = make_comparison(status=Status.DRAFT)
    out = io.StringIO()
    call_command("refreshcards", stdout=out)
    assert "2 published comparison(s) have a social card." in out.getvalue()
    for comparison in published:
        comparison.refresh_from_db()
        assert (Path(settings.MEDIA_ROOT) / comparison.social_card.name).exists()
    hidden.refresh_from_db()
    assert not hidden.social_card


def test_long_titles_and_names_still_fit_the_card():
    """Very long titles are cut with an ellipsis; the picture is always 1200×630."""
    data = socialcards.draw_card(
        title="An extraordinarily " + "long " * 60 + "title",
        tool_a="A" * 80,
        tool_b="Supercalifragilistic" * 4,
        pick="A" * 80,
    )
    image = Image.open(io.BytesIO(data))
    assert image.size == (1200, 630)


def test_the_site_has_a_default_card():
    """Pages without their own card share the site's 1200×630 card."""
    image = Image.open(SITE_CARD)
    assert (image.format, image.size) == ("PNG", (1200, 630))
