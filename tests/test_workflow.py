"""The workflow rules (comparisons/workflow.py): who may move what, where, and what is kept."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.contrib.auth.models import AnonymousUser, Group, Permission
from django.core import mail

from comparisons import workflow
from comparisons.models import Comparison, WorkflowEvent

from .factories import make_comparison, make_editor, make_user, make_writer

pytestmark = pytest.mark.django_db

Status = Comparison.Status
Action = WorkflowEvent.Action


@pytest.fixture
def writer():
    return make_writer("wendy")


@pytest.fixture
def editor():
    return make_editor("eddie")


@pytest.fixture
def draft(writer):
    return make_comparison(status=Status.DRAFT, author=writer)


def reload(comparison):
    return Comparison.objects.get(pk=comparison.pk)


# Groups and the custom permission -----------------------------------------------------------


def test_migrations_create_the_two_groups_with_the_right_permissions():
    editors = Group.objects.get(name="Editors")
    writers = Group.objects.get(name="Writers")
    publish = Permission.objects.get(codename="publish_comparison")
    assert publish in editors.permissions.all()
    assert publish not in writers.permissions.all()
    writer_codes = set(writers.permissions.values_list("codename", flat=True))
    assert {"add_comparison", "change_comparison", "add_factor", "add_verdict"} <= writer_codes


def test_only_editors_and_superusers_may_publish(writer, editor):
    assert workflow.can_publish(editor)
    assert workflow.can_publish(make_user(superuser=True))
    assert not workflow.can_publish(writer)
    assert not workflow.can_publish(AnonymousUser())


def test_writers_change_only_their_own_drafts(writer, editor, draft):
    other = make_writer("olga")
    assert workflow.can_edit(writer, draft)
    assert not workflow.can_edit(other, draft)
    assert workflow.can_edit(editor, draft)
    workflow.submit(draft, writer)
    assert not workflow.can_edit(writer, reload(draft)), "in review, the writer hands it over"
    assert workflow.can_edit(editor, reload(draft))


# Transitions --------------------------------------------------------------------------------


def test_submit_moves_a_draft_to_review_logs_it_and_emails_the_editors(
    writer, editor, draft, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        event = workflow.submit(draft, writer, note="Ready when you are.")
    assert reload(draft).status == Status.REVIEW
    assert (event.actor, event.action, event.from_status, event.to_status) == (
        writer,
        Action.SUBMITTED,
        "draft",
        "review",
    )
    assert event.note == "Ready when you are."
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [editor.email]
    assert draft.title in message.subject
    assert "Ready when you are." in message.body
    assert f"/admin/comparisons/comparison/{draft.pk}/change/" in message.body


def test_another_writer_cannot_submit_someone_elses_draft(draft):
    with pytest.raises(workflow.NotAllowed):
        workflow.submit(draft, make_writer("olga"))
    assert reload(draft).status == Status.DRAFT
    assert not WorkflowEvent.objects.exists()


def test_anonymous_can_do_nothing(draft):
    anonymous = AnonymousUser()
    for move in (workflow.submit, workflow.publish, workflow.unpublish):
        with pytest.raises(workflow.NotAllowed):
            move(draft, anonymous)
    with pytest.raises(workflow.NotAllowed):
        workflow.request_changes(draft, anonymous, "No.")
    assert reload(draft).status == Status.DRAFT


def test_a_writer_cannot_publish_schedule_unpublish_or_request_changes(writer, draft):
    for attempt in (
        lambda: workflow.publish(draft, writer),
        lambda: workflow.schedule(draft, writer, datetime(2030, 1, 1, tzinfo=UTC)),
        lambda: workflow.request_changes(draft, writer, "Please."),
        lambda: workflow.unpublish(draft, writer),
        lambda: workflow.mark_reviewed(draft, writer),
    ):
        with pytest.raises(workflow.NotAllowed) as refusal:
            attempt()
        assert draft.title in str(refusal.value)
    assert reload(draft).status == Status.DRAFT
    assert reload(draft).published_at is None


def test_request_changes_needs_a_note_and_emails_the_author(
    writer, editor, draft, django_capture_on_commit_callbacks
):
    workflow.submit(draft, writer)
    with pytest.raises(workflow.WorkflowError, match="note is required"):
        workflow.request_changes(draft, editor, "   ")
    assert reload(draft).status == Status.REVIEW
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        workflow.request_changes(draft, editor, "Add a factor on licensing.")
    assert reload(draft).status == Status.DRAFT
    assert [m.to for m in mail.outbox] == [[writer.email]]
    assert "Add a factor on licensing." in mail.outbox[0].body


def test_publish_now_makes_it_visible_to_readers(editor, draft):
    event = workflow.publish(draft, editor)
    draft = reload(draft)
    assert draft.status == Status.PUBLISHED
    assert draft.is_published()
    assert draft in Comparison.objects.published()
    assert event.action == Action.PUBLISHED
    assert "readers can see it now" in workflow.describe(event)


def test_publishing_names_what_is_missing(editor):
    bare = make_comparison(status=Status.DRAFT, factors=0, verdict=False, summary="")
    with pytest.raises(workflow.WorkflowError) as refusal:
        workflow.publish(bare, editor)
    message = str(refusal.value)
    assert "a summary, a verdict and at least one factor" in message
    assert reload(bare).status == Status.DRAFT
    no_tools = make_comparison(status=Status.DRAFT)
    Comparison.objects.filter(pk=no_tools.pk).update(tool_b=None)
    with pytest.raises(workflow.WorkflowError, match="both tools"):
        workflow.publish(reload(no_tools), editor)


def test_schedule_keeps_it_hidden_until_its_time_then_it_appears_by_itself(editor, draft):
    when = datetime(2026, 12, 3, 9, 0, tzinfo=UTC)
    with time_machine.travel(datetime(2026, 11, 24, 12, 0, tzinfo=UTC), tick=False):
        event = workflow.schedule(draft, editor, when)
        assert workflow.describe(event) == f"“{draft.title}” is scheduled for 3 Dec 2026 09:00 UTC."
        assert draft not in Comparison.objects.published()
        assert workflow.state_label(reload(draft)) == "Scheduled for 3 Dec 2026 09:00 UTC"
    with time_machine.travel(datetime(2026, 12, 3, 8, 59, tzinfo=UTC), tick=False):
        assert draft not in Comparison.objects.published()
    with time_machine.travel(datetime(2026, 12, 3, 9, 0, tzinfo=UTC), tick=False):
        assert draft in Comparison.objects.published()


def test_scheduled_times_are_stored_in_utc_and_shown_in_the_sites_timezone(editor, draft, settings):
    settings.TIME_ZONE = "Europe/Berlin"
    with time_machine.travel(datetime(2026, 11, 24, 12, 0, tzinfo=UTC), tick=False):
        event = workflow.schedule(draft, editor, datetime(2026, 12, 3, 8, 0, tzinfo=UTC))
    assert reload(draft).published_at == datetime(2026, 12, 3, 8, 0, tzinfo=UTC)
    assert "3 Dec 2026 09:00 CET" in workflow.describe(event)


def test_scheduling_in_the_past_publishes_now(editor, draft):
    event = workflow.schedule(draft, editor, datetime(2020, 1, 1, tzinfo=UTC))
    assert event.action == Action.PUBLISHED
    assert reload(draft).is_published()
    assert reload(draft).published_at.year >= 2026


def test_a_scheduled_comparison_can_be_published_now_or_rescheduled(editor, draft):
    later = datetime(2031, 5, 1, tzinfo=UTC)
    workflow.schedule(draft, editor, later)
    workflow.schedule(draft, editor, later + timedelta(days=1))
    assert reload(draft).published_at == later + timedelta(days=1)
    workflow.publish(draft, editor)
    assert reload(draft).is_published()


def test_unpublish_to_draft_or_archive(editor):
    live = make_comparison()
    workflow.unpublish(live, editor, archive=True, note="Out of date.")
    assert reload(live).status == Status.ARCHIVED
    assert live not in Comparison.objects.published()
    workflow.unpublish(live, editor)  # archived → back to draft
    assert reload(live).status == Status.DRAFT


@pytest.mark.parametrize(
    ("status", "move"),
    [
        (Status.REVIEW, "submit"),
        (Status.PUBLISHED, "submit"),
        (Status.DRAFT, "request_changes"),
        (Status.PUBLISHED, "publish"),
        (Status.ARCHIVED, "publish"),
        (Status.DRAFT, "unpublish"),
        (Status.REVIEW, "unpublish"),
        (Status.DRAFT, "archive"),
        (Status.ARCHIVED, "archive"),
    ],
)
def test_illegal_moves_are_refused_with_a_clear_message(editor, status, move):
    comparison = make_comparison(status=status)
    before = (comparison.status, comparison.published_at)
    attempts = {
        "submit": lambda: workflow.submit(comparison, editor),
        "request_changes": lambda: workflow.request_changes(comparison, editor, "More."),
        "publish": lambda: workflow.publish(comparison, editor),
        "unpublish": lambda: workflow.unpublish(comparison, editor),
        "archive": lambda: workflow.unpublish(comparison, editor, archive=True),
    }
    with pytest.raises(workflow.WorkflowError) as refusal:
        attempts[move]()
    assert "cannot be" in str(refusal.value)
    fresh = reload(comparison)
    assert (fresh.status, fresh.published_at) == before
    assert not WorkflowEvent.objects.exists()


def test_mark_reviewed_sets_today_and_logs_it(editor):
    comparison = make_comparison(last_reviewed=datetime(2024, 1, 1).date())
    with time_machine.travel(datetime(2026, 11, 24, 12, 0, tzinfo=UTC), tick=False):
        workflow.mark_reviewed(comparison, editor)
    assert str(reload(comparison).last_reviewed) == "2026-11-24"
    assert comparison.events.get().action == Action.REVIEWED


def test_a_failing_mail_server_never_loses_the_transition(
    writer, editor, draft, settings, caplog, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 1, 2
    with django_capture_on_commit_callbacks(execute=True):
        workflow.submit(draft, writer)
    assert reload(draft).status == Status.REVIEW
    assert draft.events.get().action == Action.SUBMITTED
    assert "Could not send" in caplog.text


def test_every_transition_keeps_a_revision(editor, draft):
    from reversion.models import Version

    workflow.publish(draft, editor)
    version = Version.objects.get_for_object(draft).first()
    assert version.revision.user == editor
    assert version.field_dict["status"] == "published"
