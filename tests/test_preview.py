"""Staff preview of any state at /compare/<slug>/preview/."""

import pytest
from django.urls import reverse

from comparisons.models import Comparison

from .factories import make_comparison, make_editor, make_user, make_writer

pytestmark = pytest.mark.django_db

Status = Comparison.Status


def preview_url(comparison):
    return reverse("comparisons:preview", args=[comparison.slug])


@pytest.mark.parametrize(
    ("status", "banner"),
    [
        (Status.DRAFT, "Preview — Draft."),
        (Status.REVIEW, "Preview — In review."),
        (Status.ARCHIVED, "Preview — Archived."),
        (Status.PUBLISHED, "Preview — Published."),
    ],
)
def test_editors_preview_every_state_with_a_banner_uncached_and_unindexed(client, status, banner):
    comparison = make_comparison(status=status, title="Preview Me")
    client.force_login(make_editor())
    response = client.get(preview_url(comparison))
    assert response.status_code == 200
    page = response.content.decode()
    assert banner in page
    assert "<h1>Preview Me</h1>" in page
    assert response["X-Robots-Tag"].startswith("noindex")
    cache_control = {part.strip() for part in response["Cache-Control"].split(",")}
    assert {"private", "no-store"} <= cache_control
    assert '<meta name="robots" content="noindex' in page


def test_a_scheduled_comparison_previews_with_its_time(client):
    comparison = make_comparison(status=Status.PUBLISHED, published_at=None)
    Comparison.objects.filter(pk=comparison.pk).update(published_at="2031-12-03T09:00:00+00:00")
    client.force_login(make_editor())
    page = client.get(preview_url(comparison)).content.decode()
    assert "Scheduled for 3 Dec 2031 09:00 UTC" in page


def test_anonymous_and_non_staff_get_the_login_page(client):
    comparison = make_comparison(status=Status.DRAFT)
    response = client.get(preview_url(comparison))
    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))
    client.force_login(make_user("reader"))
    assert client.get(preview_url(comparison)).url.startswith(reverse("admin:login"))


def test_writers_preview_their_own_comparisons_but_not_others_drafts(client):
    writer = make_writer("wendy")
    mine = make_comparison(status=Status.REVIEW, author=writer)
    theirs = make_comparison(status=Status.DRAFT, author=make_writer("olga"))
    client.force_login(writer)
    assert client.get(preview_url(mine)).status_code == 200
    assert client.get(preview_url(theirs)).status_code == 404


def test_unknown_slug_is_404(client):
    client.force_login(make_editor())
    assert client.get("/compare/no-such-thing/preview/").status_code == 404
