"""Revisions of whole comparisons: kept on every save, compared, restored."""

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains
from reversion.models import Version

from comparisons import revisions, workflow
from comparisons.models import Comparison

from .factories import make_category, make_comparison, make_editor, make_tool, make_writer
from .test_admin import comparison_form_data
from .test_workflow_admin import change_url, edit_data

pytestmark = pytest.mark.django_db

Status = Comparison.Status


@pytest.fixture
def editor(client):
    user = make_editor("eddie")
    client.force_login(user)
    return user


def revisions_url(comparison):
    return reverse("admin:comparisons_comparison_revisions", args=[comparison.pk])


def save_edit(client, comparison, **fields):
    comparison = Comparison.objects.get(pk=comparison.pk)
    response = client.post(change_url(comparison), edit_data(comparison, **fields))
    assert response.status_code == 302, response.context and response.context["errors"]


def test_every_admin_save_keeps_the_whole_comparison(client, editor):
    data = comparison_form_data(
        make_tool("Flask"),
        make_tool("Express"),
        make_category(),
        factors=[("1", "Speed", "Fast", "Faster", "b"), ("2", "Docs", "Good", "Fine", "a")],
        verdict={"pick": "a", "headline": "First wins", "reason": "Because."},
    )
    client.post(reverse("admin:comparisons_comparison_add"), data)
    comparison = Comparison.objects.latest("created_at")
    version = Version.objects.get_for_object(comparison).get()
    assert version.revision.user == editor
    snapshot = revisions.snapshot(version)
    assert snapshot.fields["title"] == comparison.title
    assert sorted(f["name"] for f in snapshot.factors.values()) == ["Docs", "Speed"]
    assert snapshot.verdict["headline"] == "First wins"
    assert snapshot.tags == ["python", "web"]


def test_restoring_brings_back_factors_verdict_and_tags_but_keeps_the_state(client, editor):
    comparison = make_comparison(status=Status.DRAFT, factors=2, tags=("python",))
    save_edit(client, comparison)  # revision 1: as created
    first = revisions.versions_of(comparison).get()
    # Revision 2: new title, a factor removed, another renamed, verdict and tags changed.
    comparison.refresh_from_db()
    data = edit_data(comparison, title="Rewritten", tags="go, web")
    data["factors-0-DELETE"] = "on"
    data["factors-1-name"] = "Renamed factor"
    data["verdict-0-headline"] = "A new headline"
    client.post(change_url(comparison), data)
    comparison.refresh_from_db()
    assert comparison.title == "Rewritten"
    assert [f.name for f in comparison.factors.all()] == ["Renamed factor"]
    # The rewrite goes to review; an editor restores the first revision. (A live article's
    # restore fills its pending changes instead: tests/test_drafts_over_live.py.)
    workflow.submit(comparison, editor)
    response = client.get(
        reverse("admin:comparisons_comparison_restore", args=[comparison.pk, first.pk])
    )
    page = response.content.decode()
    assert "Restore this revision?" in page and "Rewritten" in page
    response = client.post(
        reverse("admin:comparisons_comparison_restore", args=[comparison.pk, first.pk])
    )
    assert response.status_code == 302
    comparison = Comparison.objects.get(pk=comparison.pk)
    assert comparison.title != "Rewritten"
    assert [f.name for f in comparison.factors.all()] == ["Factor 1", "Factor 2"]
    assert comparison.verdict.headline != "A new headline"
    assert sorted(t.name for t in comparison.tags.all()) == ["python"]
    assert comparison.status == Status.REVIEW, "a restore never changes the workflow state"
    assert comparison.events.filter(action="restored").exists()


def test_the_revision_list_and_a_readable_diff(client, editor):
    comparison = make_comparison(status=Status.DRAFT, factors=2)
    save_edit(client, comparison)
    comparison.refresh_from_db()
    data = edit_data(comparison, subtitle="Now with a subtitle", body="## New\n\nLine two.")
    data["factors-1-value_b"] = "Changed B value"
    client.post(change_url(comparison), data)
    page = client.get(revisions_url(comparison)).content.decode()
    assert page.count('name="from"') == 2
    assert "eddie" in page
    older, newer = revisions.versions_of(comparison).reverse()
    diff = client.get(
        reverse("admin:comparisons_comparison_compare", args=[comparison.pk]),
        {"from": older.pk, "to": newer.pk},
    ).content.decode()
    assert "Subtitle" in diff and "Now with a subtitle" in diff
    assert "Factor 2" in diff and "Changed B value" in diff and "B value 2" in diff
    assert "+## New" in diff


def test_compare_with_bad_ids_is_404(client, editor):
    comparison = make_comparison()
    url = reverse("admin:comparisons_comparison_compare", args=[comparison.pk])
    assert client.get(url, {"from": "abc", "to": "1"}).status_code == 404
    other = make_comparison(status=Status.DRAFT)
    save_edit(client, other)
    foreign = revisions.versions_of(other).get()
    restore = reverse("admin:comparisons_comparison_restore", args=[comparison.pk, foreign.pk])
    assert client.post(restore).status_code == 404


def test_a_writer_cannot_restore_someone_elses_comparison(client, editor):
    comparison = make_comparison(status=Status.DRAFT)
    save_edit(client, comparison)
    version = revisions.versions_of(comparison).get()
    client.force_login(make_writer("wendy"))
    restore = reverse("admin:comparisons_comparison_restore", args=[comparison.pk, version.pk])
    assert client.post(restore).status_code == 403
    assert client.get(revisions_url(comparison)).status_code == 200
    assert "Restore…" not in client.get(revisions_url(comparison)).content.decode()


def test_the_restore_confirmation_lists_only_what_a_restore_changes(client, editor):
    """State, publication time and review date are kept by a restore, so they are not listed."""
    comparison = make_comparison(status=Status.DRAFT, title="First words")
    save_edit(client, comparison)  # revision 1: a draft, never published or reviewed
    first = revisions.versions_of(comparison).get()
    save_edit(client, comparison, title="Second words")
    workflow.publish(comparison, editor)
    workflow.mark_reviewed(comparison, editor)
    response = client.get(
        reverse("admin:comparisons_comparison_restore", args=[comparison.pk, first.pk])
    )
    assertContains(
        response,
        '<tr><th scope="row">Title</th><td><del>Second words</del></td>'
        "<td><ins>First words</ins></td></tr>",
        html=True,
    )
    for kept in ("Status", "Published at", "Last reviewed"):
        assertNotContains(response, f'<th scope="row">{kept}</th>', html=True)
    # The comparison of the same two revisions still shows every field, workflow included.
    compare = client.get(
        reverse("admin:comparisons_comparison_compare", args=[comparison.pk]),
        {"from": first.pk, "to": "latest"},
    )
    assertContains(compare, '<th scope="row">Status</th>', html=True)
