"""
The editorial workflow (DESIGN §5): who may move a comparison from one state to another.

    draft ──submit──▶ review ──publish / schedule──▶ published ──unpublish──▶ draft or archived
      ▲                 │
      └─request changes─┘            (publish / schedule also straight from draft, for editors)

Each transition is one function that checks who may do it, validates, changes the state in one
transaction, records a `WorkflowEvent` and a revision, and sends its e-mail once the change has
committed. The admin only calls these functions; nothing else changes `status`.
"""

import logging

import reversion
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.text import get_text_list

from . import socialcards
from .formats import format_time
from .models import Comparison, Verdict, WorkflowEvent

logger = logging.getLogger(__name__)

PUBLISH_PERMISSION = "comparisons.publish_comparison"
EDITORS_GROUP = "Editors"
WRITERS_GROUP = "Writers"

Status = Comparison.Status
Action = WorkflowEvent.Action


class WorkflowError(Exception):
    """A move the workflow refuses; the message tells the editor why, in plain words."""


class NotAllowed(WorkflowError):
    """The user may not make this move."""


# Who may do what ----------------------------------------------------------------------------


def can_publish(user):
    """Editors (and superusers): publish, schedule, unpublish, request changes."""
    return user.is_active and user.has_perm(PUBLISH_PERMISSION)


def can_edit(user, comparison):
    """Editors change any comparison; writers change only their own drafts."""
    if not (user.is_active and user.has_perm("comparisons.change_comparison")):
        return False
    if can_publish(user):
        return True
    return comparison.author_id == user.pk and comparison.status == Status.DRAFT


def can_submit(user, comparison):
    return can_publish(user) or (
        user.is_active
        and user.has_perm("comparisons.change_comparison")
        and comparison.author_id == user.pk
    )


def can_preview(user, comparison):
    """Staff who may change it, and its author whatever its state."""
    return (
        user.is_active
        and user.is_staff
        and (can_edit(user, comparison) or comparison.author_id == user.pk or can_publish(user))
    )


def is_scheduled(comparison):
    return (
        comparison.status == Status.PUBLISHED
        and comparison.published_at is not None
        and comparison.published_at > timezone.now()
    )


def state_label(comparison):
    """“Draft”, “In review”, “Published”, “Scheduled for …” or “Archived”."""
    if is_scheduled(comparison):
        return f"Scheduled for {format_time(comparison.published_at)}"
    return comparison.get_status_display()


def missing_for_publishing(comparison):
    """What a comparison still needs before readers may see it; empty when it is ready."""
    missing = []
    if not (comparison.tool_a_id and comparison.tool_b_id):
        missing.append("both tools")
    if not comparison.summary.strip():
        missing.append("a summary")
    if not Verdict.objects.filter(comparison_id=comparison.pk).exists():
        missing.append("a verdict")
    if not comparison.factors.exists():
        missing.append("at least one factor")
    return missing


# Transitions ---------------------------------------------------------------------------------


def submit(comparison, user, note=""):
    """Draft → review, by its author or an editor. E-mails the editors."""
    event = _move(
        comparison,
        user,
        Action.SUBMITTED,
        allowed=lambda c: c.status == Status.DRAFT,
        permitted=can_submit,
        refusal="Only its author or an editor can submit it for review.",
        to_status=Status.REVIEW,
        note=note,
    )
    transaction.on_commit(lambda: notify_editors_of_submission(event))
    return event


def request_changes(comparison, user, note):
    """Review → draft, by an editor, saying what needs changing. E-mails the author."""
    if not note.strip():
        raise WorkflowError("Say what needs changing: a note is required to request changes.")
    event = _move(
        comparison,
        user,
        Action.CHANGES_REQUESTED,
        allowed=lambda c: c.status == Status.REVIEW,
        permitted=lambda u, c: can_publish(u),
        refusal="Only editors can request changes.",
        to_status=Status.DRAFT,
        note=note,
    )
    transaction.on_commit(lambda: notify_author_of_requested_changes(event))
    return event


def publish(comparison, user, note=""):
    """Draft, review or scheduled → published now, by an editor."""
    return _publish_at(comparison, user, timezone.now(), note)


def schedule(comparison, user, when, note=""):
    """
    Published from `when` on, by an editor. No job is needed: readers see it once the time
    has come (`Comparison.objects.published()`). A time in the past publishes now.
    """
    if when is None:
        raise WorkflowError("Choose the date and time to publish at.")
    return _publish_at(comparison, user, max(when, timezone.now()), note)


def unpublish(comparison, user, archive=False, note=""):
    """Published (or scheduled) → draft, or → archived; archived → draft. By an editor."""
    to_status = Status.ARCHIVED if archive else Status.DRAFT
    allowed_from = {Status.PUBLISHED} if archive else {Status.PUBLISHED, Status.ARCHIVED}
    return _move(
        comparison,
        user,
        Action.ARCHIVED if archive else Action.UNPUBLISHED,
        allowed=lambda c: c.status in allowed_from,
        permitted=lambda u, c: can_publish(u),
        refusal="Only editors can unpublish or archive.",
        to_status=to_status,
        note=note,
    )


def mark_reviewed(comparison, user, note=""):
    """The facts were checked today: sets `last_reviewed`, keeps the state."""
    today = timezone.localdate()
    return _move(
        comparison,
        user,
        Action.REVIEWED,
        allowed=lambda c: True,
        permitted=lambda u, c: can_publish(u),
        refusal="Only editors can mark a comparison as reviewed.",
        to_status=None,
        note=note,
        changes={"last_reviewed": today},
    )


def _publish_at(comparison, user, when, note):
    now = timezone.now()
    later = when > now

    def ready(locked):
        missing = missing_for_publishing(locked)
        if missing:
            raise WorkflowError(
                f"“{locked.title}” cannot be published yet: it needs "
                f"{get_text_list(missing, 'and')}."
            )
        return locked.status in {Status.DRAFT, Status.REVIEW} or (
            locked.status == Status.PUBLISHED and (is_scheduled(locked) or later)
        )

    event = _move(
        comparison,
        user,
        Action.SCHEDULED if later else Action.PUBLISHED,
        allowed=ready,
        permitted=lambda u, c: can_publish(u),
        refusal="Only editors can publish or schedule.",
        to_status=Status.PUBLISHED,
        note=note,
        changes={"published_at": when},
    )
    socialcards.refresh_card(comparison)  # the sharing image, drawn now, never on a request
    return event


def _move(comparison, user, action, *, allowed, permitted, refusal, to_status, note, changes=None):
    """
    The one place that changes a comparison's state: lock the row, check, change, log.
    `allowed(locked)` may raise `WorkflowError` with a better message than the default.
    """
    verb = Action(action).label.lower()
    with transaction.atomic(), reversion.create_revision():
        locked = Comparison.objects.select_for_update().get(pk=comparison.pk)
        if not permitted(user, locked):
            raise NotAllowed(f"{refusal} “{locked.title}” was not changed.")
        if not allowed(locked):
            raise WorkflowError(
                f"“{locked.title}” is {state_label(locked).lower()}, so it cannot be {verb}."
            )
        from_status = locked.status
        updates = dict(changes or {})
        if to_status is not None:
            updates["status"] = to_status
        for field, value in updates.items():
            setattr(locked, field, value)
            setattr(comparison, field, value)
        locked.save(update_fields=[*updates, "updated_at"])
        comparison.updated_at = locked.updated_at
        reversion.set_user(user)
        reversion.set_comment(f"{Action(action).label}." + (f" {note}" if note else ""))
        return WorkflowEvent.objects.create(
            comparison=locked,
            action=action,
            actor=user,
            from_status=from_status,
            to_status=locked.status,
            note=note.strip(),
            effective_at=updates.get("published_at"),
        )


def describe(event):
    """What happened, for the message the editor sees: “Scheduled for 3 Dec 2026 09:00 UTC.”"""
    title = event.comparison.title
    if event.action == Action.SCHEDULED:
        return f"“{title}” is scheduled for {format_time(event.effective_at)}."
    if event.action == Action.PUBLISHED:
        return f"“{title}” is published: readers can see it now."
    if event.action == Action.SUBMITTED:
        return f"“{title}” is submitted for review; the editors have been told."
    if event.action == Action.CHANGES_REQUESTED:
        return f"Changes requested on “{title}”; it is back in draft and its author has been told."
    if event.action == Action.UNPUBLISHED:
        return f"“{title}” is unpublished and back in draft."
    if event.action == Action.ARCHIVED:
        return f"“{title}” is archived: readers no longer see it."
    if event.action == Action.REVIEWED:
        return f"“{title}” is marked as reviewed today."
    return f"“{title}”: {event.get_action_display().lower()}."


# Notifications -------------------------------------------------------------------------------


def editor_emails():
    users = get_user_model().objects.filter(is_active=True).exclude(email="")
    editors = users.filter(Q(groups__name=EDITORS_GROUP) | Q(is_superuser=True)).distinct()
    return sorted(editors.values_list("email", flat=True))


def admin_link(comparison):
    return settings.SITE_URL + reverse("admin:comparisons_comparison_change", args=[comparison.pk])


def notify_editors_of_submission(event):
    comparison, actor = event.comparison, event.actor
    body = [f"{display_name(actor)} submitted “{comparison.title}” for review."]
    if event.note:
        body += ["", f"Their note: {event.note}"]
    body += ["", f"Review it: {admin_link(comparison)}"]
    send_safely(f"Review requested: {comparison.title}", "\n".join(body), editor_emails())


def notify_author_of_requested_changes(event):
    comparison = event.comparison
    author = comparison.author
    if author is None or not author.email:
        return
    body = [
        f"{display_name(event.actor)} asked for changes to “{comparison.title}”:",
        "",
        event.note,
        "",
        f"It is back in draft: {admin_link(comparison)}",
    ]
    send_safely(f"Changes requested: {comparison.title}", "\n".join(body), [author.email])


def display_name(user):
    if user is None:
        return "Someone"
    return user.get_full_name() or user.get_username()


def send_safely(subject, body, recipients):
    """Send a notification; a failing mail server is logged and never undoes the change."""
    if not recipients:
        return False
    try:
        send_mail(subject, body, None, recipients)
    except Exception:
        logger.exception("Could not send “%s” to %s", subject, ", ".join(recipients))
        return False
    return True
