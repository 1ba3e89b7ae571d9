"""The workflow as editors and writers meet it in the admin, through the test client."""

from datetime import UTC, datetime

import pytest
import time_machine
from django.contrib.messages import get_messages
from django.core import mail
from django.urls import reverse

from comparisons.models import Comparison, WorkflowEvent

from .factories import make_category, make_comparison, make_editor, make_tool, make_writer
from .test_admin import comparison_form_data

pytestmark = pytest.mark.django_db

Status = Comparison.Status
CHANGELIST = reverse("admin:comparisons_comparison_changelist")
ADD = reverse("admin:comparisons_comparison_add")


def change_url(comparison):
    return reverse("admin:comparisons_comparison_change", args=[comparison.pk])


def messages_of(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


def edit_data(comparison, **fields):
    """The change form as the admin renders it for this comparison, ready to post back."""
    factors = list(comparison.factors.all())
    data = comparison_form_data(
        comparison.tool_a,
        comparison.tool_b,
        comparison.category,
        title=comparison.title,
        slug=comparison.slug,
        summary=comparison.summary,
        body=comparison.body,
        tags=", ".join(tag.name for tag in comparison.tags.all()),
    )
    verdict = getattr(comparison, "verdict", None) if comparison.pk else None
    data.update(
        {
            "factors-TOTAL_FORMS": str(len(factors)),
            "factors-INITIAL_FORMS": str(len(factors)),
            "verdict-TOTAL_FORMS": "1" if verdict else "0",
            "verdict-INITIAL_FORMS": "1" if verdict else "0",
        }
    )
    for index, factor in enumerate(factors):
        for name in ("position", "name", "value_a", "value_b", "edge"):
            data[f"factors-{index}-{name}"] = getattr(factor, name)
        data[f"factors-{index}-id"] = factor.pk
        data[f"factors-{index}-comparison"] = comparison.pk
    if verdict:
        for name in ("pick", "headline", "reason", "use_a_if", "use_b_if", "bottom_line"):
            data[f"verdict-0-{name}"] = getattr(verdict, name)
        data["verdict-0-id"] = verdict.pk
        data["verdict-0-comparison"] = comparison.pk
    data.update(fields)
    return data


@pytest.fixture
def writer(client):
    return make_writer("wendy")


@pytest.fixture
def editor():
    return make_editor("eddie")


# Writers --------------------------------------------------------------------------------------


def test_a_writer_adds_a_draft_and_becomes_its_author(client, writer):
    client.force_login(writer)
    data = comparison_form_data(make_tool("Flask"), make_tool("Express"), make_category())
    response = client.post(ADD, data)
    assert response.status_code == 302, response.context and response.context["errors"]
    comparison = Comparison.objects.get()
    assert comparison.author == writer
    assert comparison.status == Status.DRAFT


def test_a_writer_posting_status_published_by_hand_publishes_nothing(client, writer):
    client.force_login(writer)
    data = comparison_form_data(
        make_tool("Flask"),
        make_tool("Express"),
        make_category(),
        status="published",
        published_at_0="2026-01-01",
        published_at_1="10:00",
    )
    client.post(ADD, data)
    comparison = Comparison.objects.get()
    assert (comparison.status, comparison.published_at) == (Status.DRAFT, None)
    response = client.post(
        change_url(comparison),
        edit_data(comparison, status="published", published_at_0="2026-01-01"),
    )
    comparison.refresh_from_db()
    assert response.status_code == 302
    assert (comparison.status, comparison.published_at) == (Status.DRAFT, None)
    assert not Comparison.objects.published().exists()


def test_a_writer_pressing_a_publish_button_by_hand_is_refused(client, writer):
    comparison = make_comparison(status=Status.DRAFT, author=writer)
    client.force_login(writer)
    response = client.post(change_url(comparison), edit_data(comparison, _workflow="publish"))
    comparison.refresh_from_db()
    assert comparison.status == Status.DRAFT
    assert any("Only editors can publish" in m for m in messages_of(response))


def test_a_writer_calling_the_publish_action_by_hand_publishes_nothing(client, writer):
    comparison = make_comparison(status=Status.DRAFT, author=writer)
    client.force_login(writer)
    for action in ("publish_selected", "schedule_selected", "delete_selected"):
        client.post(
            CHANGELIST,
            {
                "action": action,
                "_selected_action": [comparison.pk],
                "apply": "1",
                "when": "2026-01-01T10:00",
                "post": "yes",
            },
        )
    comparison.refresh_from_db()
    assert comparison.status == Status.DRAFT
    assert Comparison.objects.filter(pk=comparison.pk).exists()


def test_a_writer_sees_no_publish_controls(client, writer):
    comparison = make_comparison(status=Status.DRAFT, author=writer)
    client.force_login(writer)
    page = client.get(change_url(comparison)).content.decode()
    assert 'value="submit"' in page
    for move in ("publish", "schedule", "unpublish", "archive"):
        assert f'name="_workflow" value="{move}"' not in page
    assert 'name="status"' not in page and 'name="published_at' not in page
    actions = client.get(CHANGELIST).context["action_form"].fields["action"].choices
    names = {name for name, _ in actions}
    assert "submit_selected" in names
    assert not names & {"publish_selected", "schedule_selected", "delete_selected"}


def test_a_writer_cannot_change_someone_elses_draft_or_their_own_in_review(client, writer):
    others = make_comparison(status=Status.DRAFT, author=make_writer("olga"))
    in_review = make_comparison(status=Status.REVIEW, author=writer)
    client.force_login(writer)
    for comparison in (others, in_review):
        title = comparison.title
        response = client.post(change_url(comparison), edit_data(comparison, title="Hijacked"))
        assert response.status_code == 403
        comparison.refresh_from_db()
        assert comparison.title == title
        assert client.get(change_url(comparison)).status_code == 200  # still viewable


def test_a_writer_saves_and_submits_with_one_click(
    client, writer, editor, django_capture_on_commit_callbacks
):
    comparison = make_comparison(status=Status.DRAFT, author=writer)
    client.force_login(writer)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            change_url(comparison),
            edit_data(
                comparison, title="Renamed", _workflow="submit", **{"workflow-note": "Done."}
            ),
        )
    assert response.status_code == 302
    comparison.refresh_from_db()
    assert (comparison.title, comparison.status) == ("Renamed", Status.REVIEW)
    assert "submitted for review" in " ".join(messages_of(response))
    assert [m.to for m in mail.outbox] == [[editor.email]]


# Editors --------------------------------------------------------------------------------------


def test_an_editor_publishes_from_the_change_page(client, editor):
    comparison = make_comparison(status=Status.REVIEW)
    client.force_login(editor)
    response = client.post(change_url(comparison), edit_data(comparison, _workflow="publish"))
    assert response.status_code == 302
    assert response.url == change_url(comparison)
    comparison.refresh_from_db()
    assert comparison.is_published()
    assert any("readers can see it now" in m for m in messages_of(response))


def test_an_editor_schedules_from_the_change_page_in_the_sites_time(client, editor, settings):
    settings.TIME_ZONE = "UTC"
    comparison = make_comparison(status=Status.DRAFT)
    client.force_login(editor)
    with time_machine.travel(datetime(2026, 11, 24, 12, 0, tzinfo=UTC), tick=False):
        response = client.post(
            change_url(comparison),
            edit_data(comparison, _workflow="schedule", **{"workflow-when": "2026-12-03T09:00"}),
        )
    comparison.refresh_from_db()
    assert comparison.published_at == datetime(2026, 12, 3, 9, 0, tzinfo=UTC)
    assert any("scheduled for 3 Dec 2026 09:00 UTC" in m for m in messages_of(response))


def test_schedule_without_a_time_says_so_and_keeps_the_edits(client, editor):
    comparison = make_comparison(status=Status.DRAFT)
    client.force_login(editor)
    response = client.post(
        change_url(comparison), edit_data(comparison, title="Kept title", _workflow="schedule")
    )
    comparison.refresh_from_db()
    assert comparison.title == "Kept title"
    assert comparison.status == Status.DRAFT
    assert any("publish at" in m.lower() for m in messages_of(response))


def test_publishing_an_incomplete_comparison_names_what_is_missing(client, editor):
    comparison = make_comparison(status=Status.DRAFT, factors=0)
    client.force_login(editor)
    response = client.post(change_url(comparison), edit_data(comparison, _workflow="publish"))
    comparison.refresh_from_db()
    assert comparison.status == Status.DRAFT
    assert any("at least one factor" in m for m in messages_of(response))
    page = client.get(change_url(comparison)).content.decode()
    assert "Before it can be published it needs at least one factor" in page


def test_an_editor_adds_and_publishes_in_one_go(client, editor):
    client.force_login(editor)
    data = comparison_form_data(
        make_tool("Flask"),
        make_tool("Express"),
        make_category(),
        factors=[("1", "Speed", "Fast", "Faster", "b")],
        verdict={"pick": "a", "headline": "Flask wins", "reason": "Simple."},
        _workflow="publish",
    )
    response = client.post(ADD, data)
    comparison = Comparison.objects.get()
    assert response.url == change_url(comparison)
    assert comparison.is_published()
    assert comparison.author == editor


def test_request_changes_action_asks_for_a_note_then_emails_the_author(
    client, editor, django_capture_on_commit_callbacks
):
    writer = make_writer("wendy")
    comparison = make_comparison(status=Status.REVIEW, author=writer)
    client.force_login(editor)
    form = {"action": "request_changes_selected", "_selected_action": [comparison.pk]}
    page = client.post(CHANGELIST, form)
    assert page.status_code == 200
    assert "Request changes" in page.content.decode()
    refused = client.post(CHANGELIST, {**form, "apply": "1", "note": ""})
    assert "This field is required" in refused.content.decode()
    comparison.refresh_from_db()
    assert comparison.status == Status.REVIEW
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(CHANGELIST, {**form, "apply": "1", "note": "Cite the benchmark."})
    assert done.status_code == 302
    comparison.refresh_from_db()
    assert comparison.status == Status.DRAFT
    assert [m.to for m in mail.outbox] == [[writer.email]]
    assert comparison.events.get().note == "Cite the benchmark."


def test_bulk_publish_reports_each_result(client, editor):
    ready = make_comparison(status=Status.REVIEW)
    not_ready = make_comparison(status=Status.REVIEW, verdict=False)
    client.force_login(editor)
    response = client.post(
        CHANGELIST,
        {"action": "publish_selected", "_selected_action": [ready.pk, not_ready.pk]},
    )
    texts = messages_of(response)
    assert any(ready.title in t and "published" in t for t in texts)
    assert any(not_ready.title in t and "a verdict" in t for t in texts)
    assert Comparison.objects.get(pk=ready.pk).is_published()
    assert Comparison.objects.get(pk=not_ready.pk).status == Status.REVIEW


def test_bulk_schedule_action(client, editor):
    comparison = make_comparison(status=Status.DRAFT)
    client.force_login(editor)
    client.post(
        CHANGELIST,
        {
            "action": "schedule_selected",
            "_selected_action": [comparison.pk],
            "apply": "1",
            "when": "2031-03-01T08:30",
        },
    )
    comparison.refresh_from_db()
    assert comparison.status == Status.PUBLISHED
    assert not comparison.is_published()


def test_unpublish_and_archive_actions(client, editor):
    first, second = make_comparison(), make_comparison()
    client.force_login(editor)
    client.post(CHANGELIST, {"action": "unpublish_selected", "_selected_action": [first.pk]})
    client.post(CHANGELIST, {"action": "archive_selected", "_selected_action": [second.pk]})
    assert Comparison.objects.get(pk=first.pk).status == Status.DRAFT
    assert Comparison.objects.get(pk=second.pk).status == Status.ARCHIVED


def test_the_change_page_shows_the_timeline_and_links_to_preview_and_revisions(client, editor):
    writer = make_writer("wendy")
    comparison = make_comparison(status=Status.DRAFT, author=writer)
    client.force_login(writer)
    client.post(change_url(comparison), edit_data(comparison, _workflow="submit"))
    client.force_login(editor)
    client.post(
        change_url(comparison),
        edit_data(
            comparison, _workflow="request_changes", **{"workflow-note": "Needs <b>sources</b>."}
        ),
    )
    page = client.get(change_url(comparison)).content.decode()
    assert "Timeline" in page
    assert "Submitted for review" in page and "wendy" in page
    assert "Changes requested" in page and "eddie" in page
    assert "Needs &lt;b&gt;sources&lt;/b&gt;." in page
    assert reverse("comparisons:preview", args=[comparison.slug]) in page
    assert reverse("admin:comparisons_comparison_revisions", args=[comparison.pk]) in page
    assert WorkflowEvent.objects.filter(comparison=comparison).count() == 2
