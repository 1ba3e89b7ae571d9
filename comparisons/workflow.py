"""
The editorial workflow (DESIGN §5, §10): which move is allowed from which state, for whom, and
what it does — written once, as the table `TRANSITIONS`.

    draft ──submit──▶ review ──publish / schedule──▶ published ──unpublish──▶ draft
      ▲  ◀──withdraw──┘  │                              └──archive──▶ archived ──to_draft──▶ draft
      └──request changes─┘      (publish / schedule also straight from draft, for editors)

Changes to a live article wait in a pending copy (comparisons/pending.py) with states of its
own — ``changes`` (being edited) and ``changes_review`` (submitted) — and moves of its own:
``submit_changes``, ``withdraw``, ``request_changes``, ``publish_changes``, ``discard_changes``.
An article's own moves (unpublish, archive…) made from its pending copy's page act on the live
article. Events are always logged on the article itself.

The admin's buttons, its changelist actions, the server's checks and the docs all read the
table: `moves_for(user, comparison)` names the moves a user has now, `apply(name, …)` makes one.
Each move locks the row, checks who may and from where, changes the state in one transaction,
records a `WorkflowEvent` and a revision, and sends its e-mail once the change has committed.
Nothing else changes `status`. Adding a move is one more `Transition(...)` below.
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass, field

import reversion
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.text import get_text_list

from . import mail, socialcards
from .formats import format_time
from .models import Comparison, Factor, Verdict, WorkflowEvent

logger = logging.getLogger(__name__)

PUBLISH_PERMISSION = "comparisons.publish_comparison"
EDITORS_GROUP = "Editors"
WRITERS_GROUP = "Writers"

Status = Comparison.Status
Action = WorkflowEvent.Action

# The states moves start from: a comparison's status, with "scheduled" told apart from
# "published" (a published comparison whose time has not come).
DRAFT, REVIEW, SCHEDULED, PUBLISHED, ARCHIVED = (
    "draft",
    "review",
    "scheduled",
    "published",
    "archived",
)
CHANGES, CHANGES_REVIEW = "changes", "changes_review"
STATES = (DRAFT, REVIEW, SCHEDULED, PUBLISHED, ARCHIVED, CHANGES, CHANGES_REVIEW)
CHANGES_STATES = frozenset({CHANGES, CHANGES_REVIEW})


class WorkflowError(Exception):
    """A move the workflow refuses; the message tells the editor why, in plain words."""


class NotAllowed(WorkflowError):
    """The user may not make this move."""


# Who may do what ----------------------------------------------------------------------------


def can_publish(user):
    """Editors (and superusers): publish, schedule, unpublish, request changes."""
    return user.is_active and user.has_perm(PUBLISH_PERMISSION)


def is_writer(user):
    return user.is_active and user.has_perm("comparisons.change_comparison")


def is_author(user, comparison):
    return is_writer(user) and comparison.author_id == user.pk


def can_edit(user, comparison):
    """
    Editors change any comparison; writers their own drafts (pending changes included), and
    they may propose changes to a live article (saving it starts a pending copy of theirs).
    """
    if not is_writer(user):
        return False
    if can_publish(user):
        return True
    if comparison.status == Status.DRAFT:
        return comparison.author_id == user.pk
    return not comparison.is_pending_copy() and comparison.is_published()


def can_preview(user, comparison):
    """Staff who may change it, and its author whatever its state."""
    return (
        user.is_active
        and user.is_staff
        and (can_edit(user, comparison) or comparison.author_id == user.pk or can_publish(user))
    )


def editor(user, comparison):
    return can_publish(user)


def author_or_editor(user, comparison):
    return can_publish(user) or is_author(user, comparison)


def author(user, comparison):
    return is_author(user, comparison)


# States ---------------------------------------------------------------------------------------


def is_scheduled(comparison):
    return (
        comparison.status == Status.PUBLISHED
        and comparison.published_at is not None
        and comparison.published_at > timezone.now()
    )


def state_of(comparison):
    """The state the table speaks of (see `STATES`)."""
    if comparison.is_pending_copy():
        return CHANGES_REVIEW if comparison.status == Status.REVIEW else CHANGES
    if is_scheduled(comparison):
        return SCHEDULED
    return comparison.status


def state_label(comparison, pending=None):
    """
    “Draft”, “In review”, “Published”, “Scheduled for …”, “Archived”; “Live · changes pending”
    (or “… in review”) for a live article with pending changes, or for those changes.
    """
    if comparison.is_pending_copy():
        scheduled = getattr(comparison, "schedule", None)
        if scheduled is not None:
            return f"Live · changes scheduled for {format_time(scheduled.go_live_at)}"
        return (
            "Live · changes in review"
            if comparison.status == Status.REVIEW
            else ("Live · changes pending")
        )
    if pending is not None and comparison.is_published():
        return state_label(pending)
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
    # The move's locked read asks both questions in its own query (`_lock`).
    has_verdict = getattr(comparison, "has_verdict", None)
    if has_verdict is None:
        has_verdict = Verdict.objects.filter(comparison_id=comparison.pk).exists()
    if not has_verdict:
        missing.append("a verdict")
    has_factors = getattr(comparison, "has_factors", None)
    if has_factors is None:
        has_factors = comparison.factors.exists()
    if not has_factors:
        missing.append("at least one factor")
    return missing


# What moves do --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Move:
    """One request to make a move: what the editor typed beside the button."""

    note: str = ""
    when: object = None  # a datetime, for moves that need a time
    minor: bool = False  # publish_changes: a minor fix, with no public change note
    feedback: tuple = ()  # publish_changes: ids of readers' notes this correction answers


def ready_to_publish(locked, move):
    missing = missing_for_publishing(locked)
    if missing:
        raise WorkflowError(
            f"“{locked.title}” cannot be published yet: it needs {get_text_list(missing, 'and')}."
        )


def facts_checked(locked):
    """A new article is not stale on day one: publishing dates its facts if nobody has."""
    return {} if locked.last_reviewed else {"last_reviewed": timezone.localdate()}


def publish_time(locked, move):
    """
    Publish now keeps the date of an article readers have seen before (re-publishing an
    archived or unpublished article does not re-date it); a first publication is dated now.
    """
    now = timezone.now()
    if locked.published_at is not None and locked.published_at <= now:
        return {"published_at": locked.published_at, **facts_checked(locked)}
    return {"published_at": now, **facts_checked(locked)}


def schedule_time(locked, move):
    if move.when is None:
        raise WorkflowError("Choose the date and time to publish at.")
    # No job is needed: readers see it once the time has come. A time in the past is now.
    return {"published_at": max(move.when, timezone.now()), **facts_checked(locked)}


def publish_changes(copy, user, move):
    """The pending copy's content goes live (pending.publish); the copy is gone after."""
    from . import pending

    try:
        live, change_note, _difference = pending.publish(
            copy, user, move.note, move.minor, move.feedback
        )
    except pending.NoteRequired as error:
        raise WorkflowError(str(error)) from error
    if change_note is not None and move.feedback:
        transaction.on_commit(lambda: notify_readers_of_correction(change_note))
    return live


def changes_time(locked, move):
    if move.when is None:
        raise WorkflowError("Choose the date and time the changes go live.")
    return {"published_at": max(move.when, timezone.now())}


def schedule_changes(copy, user, move):
    """The pending changes go live at the chosen time, with the note given now."""
    from . import pending

    live = copy.draft_of
    difference = pending.differences(pending.content_of(live), pending.content_of(copy), live)
    if difference.significant and (move.minor or not move.note):
        raise WorkflowError(
            "The pick or a factor's edge changes: write the public change note now, it goes "
            "live with the changes."
        )
    pending.schedule(
        copy, user, max(move.when, timezone.now()), move.note, move.minor, move.feedback
    )
    return live


def discard_changes(copy, user, move):
    from . import pending

    live = copy.draft_of
    pending.discard(copy)
    return live


def reviewed_today(locked, move):
    return {"last_reviewed": timezone.localdate()}


@dataclass(frozen=True)
class Transition:
    """One move of the workflow, as data: the table below is the only copy of the rules."""

    name: str  # posted as `_workflow=<name>`
    label: str  # the button reads “Save and <label>”
    sources: frozenset  # the states it starts from
    who: Callable  # who(user, comparison) -> bool
    action: str  # the `WorkflowEvent.Action` it records
    to: str | None  # the status it leaves the comparison in (None: unchanged)
    message: str  # what the editor is told, with {title} and {when}
    refusal: str  # what someone who may not is told
    needs_note: bool = False
    needs_time: bool = False
    check: Callable | None = None  # check(locked, move) raises WorkflowError
    changes: Callable | None = None  # changes(locked, move) -> {field: value}
    perform: Callable | None = None  # perform(locked, user, move) -> the article, for moves
    # that do more than change fields (publishing or discarding pending changes)
    from_live: bool = False  # on a live article without pending changes, it starts them
    notify: Callable | None = None  # notify(event), once the move has committed
    confirm: str = ""  # a question asked before the move (it is hard to undo)
    style: str = ""  # "default" for the main button
    bulk: bool = True  # offered as a changelist action too
    help: str = field(default="", compare=False)


# Notifications are defined below; the table refers to them by name.
def _notify_submitted(event):
    notify_editors_of_submission(event)


def _notify_changes_requested(event):
    notify_author_of_requested_changes(event)


def _notify_changes_submitted(event):
    notify_editors_of_submission(event, changes=True)


TRANSITIONS = {
    transition.name: transition
    for transition in (
        Transition(
            name="submit",
            label="Submit for review",
            sources=frozenset({DRAFT}),
            who=author_or_editor,
            action=Action.SUBMITTED,
            to=Status.REVIEW,
            message="“{title}” is submitted for review; {told}.",
            refusal="Only its author or an editor can submit it for review.",
            notify=_notify_submitted,
        ),
        Transition(
            name="withdraw",
            label="Withdraw from review",
            sources=frozenset({REVIEW, CHANGES_REVIEW}),
            who=author,
            action=Action.WITHDRAWN,
            to=Status.DRAFT,
            message="“{title}” is withdrawn from review and back in your drafts.",
            refusal="Only its author can withdraw it from review.",
            help="Take it back to keep working on it; submit it again when it is ready.",
        ),
        Transition(
            name="request_changes",
            label="Request changes",
            sources=frozenset({REVIEW, CHANGES_REVIEW}),
            who=editor,
            action=Action.CHANGES_REQUESTED,
            to=Status.DRAFT,
            message="Changes requested on “{title}”; it is back in draft and its author "
            "has been told.",
            refusal="Only editors can request changes.",
            needs_note=True,
            notify=_notify_changes_requested,
        ),
        Transition(
            name="publish",
            label="Publish now",
            sources=frozenset({DRAFT, REVIEW, SCHEDULED}),
            who=editor,
            action=Action.PUBLISHED,
            to=Status.PUBLISHED,
            message="“{title}” is published: readers can see it now.",
            refusal="Only editors can publish or schedule.",
            check=ready_to_publish,
            changes=publish_time,
            style="default",
        ),
        Transition(
            name="schedule",
            label="Schedule",
            sources=frozenset({DRAFT, REVIEW, SCHEDULED}),
            who=editor,
            action=Action.SCHEDULED,
            to=Status.PUBLISHED,
            message="“{title}” is scheduled for {when}.",
            refusal="Only editors can publish or schedule.",
            needs_time=True,
            check=ready_to_publish,
            changes=schedule_time,
        ),
        Transition(
            name="unpublish",
            label="Unpublish (back to draft)",
            sources=frozenset({PUBLISHED, SCHEDULED}),
            who=editor,
            action=Action.UNPUBLISHED,
            to=Status.DRAFT,
            message="“{title}” is unpublished and back in draft.",
            refusal="Only editors can unpublish or archive.",
            confirm="Readers will no longer see this article. Unpublish it?",
        ),
        Transition(
            name="archive",
            label="Archive",
            sources=frozenset({PUBLISHED, SCHEDULED}),
            who=editor,
            action=Action.ARCHIVED,
            to=Status.ARCHIVED,
            message="“{title}” is archived: readers no longer see it.",
            refusal="Only editors can unpublish or archive.",
            confirm="Readers will no longer see this article. Archive it?",
        ),
        Transition(
            name="to_draft",
            label="Back to draft",
            sources=frozenset({ARCHIVED}),
            who=editor,
            action=Action.UNPUBLISHED,
            to=Status.DRAFT,
            message="“{title}” is back in draft.",
            refusal="Only editors can unpublish or archive.",
        ),
        Transition(
            name="reviewed",
            label="Mark facts reviewed today",
            sources=frozenset({PUBLISHED, SCHEDULED}),
            who=editor,
            action=Action.REVIEWED,
            to=None,
            message="“{title}” is marked as reviewed today.",
            refusal="Only editors can mark a comparison as reviewed.",
            changes=reviewed_today,
        ),
        Transition(
            name="submit_changes",
            label="Submit changes for review",
            sources=frozenset({CHANGES}),
            who=author_or_editor,
            action=Action.CHANGES_SUBMITTED,
            to=Status.REVIEW,
            message="Your changes to “{title}” are submitted for review; {told}. Readers see "
            "the live version until an editor publishes them.",
            refusal="Only the author of these changes or an editor can submit them.",
            notify=_notify_changes_submitted,
            from_live=True,
        ),
        Transition(
            name="publish_changes",
            label="Publish changes",
            sources=frozenset({CHANGES, CHANGES_REVIEW}),
            who=editor,
            action=Action.CHANGES_PUBLISHED,
            to=None,
            message="The changes to “{title}” are live.",
            refusal="Only editors can publish changes.",
            perform=publish_changes,
            style="default",
            from_live=True,
            help="The note is public: readers see it in the article's History. A change to the "
            "pick or a factor's edge needs one; a minor fix (typo) may go without.",
        ),
        Transition(
            name="schedule_changes",
            label="Schedule changes",
            sources=frozenset({CHANGES, CHANGES_REVIEW}),
            who=editor,
            action=Action.CHANGES_SCHEDULED,
            to=None,
            message="The changes to “{title}” go live {when}; readers see the live version "
            "until then.",
            refusal="Only editors can schedule changes.",
            needs_time=True,
            changes=changes_time,
            perform=schedule_changes,
        ),
        Transition(
            name="discard_changes",
            label="Discard changes",
            sources=frozenset({CHANGES, CHANGES_REVIEW}),
            who=author_or_editor,
            action=Action.CHANGES_DISCARDED,
            to=None,
            message="The pending changes to “{title}” are discarded; the live article is as "
            "it was.",
            refusal="Only the author of these changes or an editor can discard them.",
            perform=discard_changes,
            confirm="Throw away every pending change to this article?",
            bulk=False,
        ),
    )
}


# Asking and moving ----------------------------------------------------------------------------


def allows(transition, user, comparison):
    """Whether `user` may make this move on `comparison` as it is now."""
    return state_of(comparison) in transition.sources and transition.who(user, comparison)


def _subject(transition, comparison, user, copies=None):
    """
    What a move acts on: a pending-changes move made on a live article acts on its pending
    copy (for `from_live` moves, on the copy it would start: unsaved until the move is made);
    an article's own move made from its pending copy's page acts on the live article.
    `copies` (a dict) keeps the pending copy found for the next move asked about.
    """
    changes_move = bool(transition.sources & CHANGES_STATES)
    if comparison.is_pending_copy():
        return comparison if changes_move else comparison.draft_of
    if changes_move and comparison.pk and comparison.is_published():
        from . import pending

        copies = {} if copies is None else copies
        if comparison.pk not in copies:
            copies[comparison.pk] = pending.copy_of(comparison)
        copy = copies[comparison.pk]
        if copy is None and transition.from_live:
            copy = Comparison(draft_of=comparison, author=user, status=Status.DRAFT)
        return copy
    return comparison


def moves_for(user, comparison):
    """The names of the moves `user` may make on `comparison` now, in the table's order."""
    if comparison is None or comparison.pk is None:
        # A new comparison: it is saved as its author's draft first, then moved.
        if not is_writer(user):
            return []
        comparison = Comparison(author=user, status=Status.DRAFT)
    names = []
    copies = {}  # the pending copy is looked up once, not once per move
    for name, transition in TRANSITIONS.items():
        subject = _subject(transition, comparison, user, copies)
        if subject is not None and allows(transition, user, subject):
            names.append(name)
    return names


def transition_named(name):
    try:
        return TRANSITIONS[name]
    except KeyError:
        raise WorkflowError(f"Unknown workflow action “{name}”.") from None


def apply(name, comparison, user, note="", when=None, minor=False, feedback=()):
    """
    Make the move `name`: lock the row, check who may and from where, change, log; e-mail
    after commit. Returns the `WorkflowEvent` (logged on the article, never on a pending copy);
    raises `WorkflowError` saying why not.
    """
    transition = transition_named(name)
    move = Move(note=(note or "").strip(), when=when, minor=bool(minor), feedback=tuple(feedback))
    if transition.needs_note and not move.note:
        raise WorkflowError(f"{transition.label}: a note is required — say what and why.")
    subject = _subject(transition, comparison, user)
    # The revision's own atomic block would only be a second savepoint inside this one.
    with transaction.atomic(), reversion.create_revision(atomic=False):
        if subject is None:
            raise WorkflowError(f"“{comparison.title}” has no pending changes.")
        if subject.pk is None:  # the move starts the pending changes of a live article
            from . import pending

            subject = pending.start(comparison, user)
        comparison = subject
        locked = _lock(comparison.pk)
        if not transition.who(user, locked):
            raise NotAllowed(f"{transition.refusal} “{locked.title}” was not changed.")
        if state_of(locked) not in transition.sources:
            verb = transition.label[0].lower() + transition.label[1:]
            raise WorkflowError(
                f"“{locked.title}” is {state_label(locked).lower()}, so it cannot be "
                f"moved on with “{verb}”."
            )
        if transition.check:
            transition.check(locked, move)
        locked = _as_loaded(comparison, locked)
        from_status = locked.status
        article = locked.draft_of if locked.is_pending_copy() else locked
        updates = transition.changes(locked, move) if transition.changes else {}
        action = transition.action
        if action == Action.SCHEDULED and updates["published_at"] <= timezone.now():
            action = Action.PUBLISHED  # scheduled for a time that has come: published now
        if transition.perform:
            article = transition.perform(locked, user, move)
        else:
            if transition.to is not None:
                updates["status"] = transition.to
            for name_, value in updates.items():
                setattr(locked, name_, value)
                setattr(comparison, name_, value)
            locked.save(update_fields=[*updates, "updated_at"])
            comparison.updated_at = locked.updated_at
            if from_status == Status.PUBLISHED and locked.status != Status.PUBLISHED:
                from . import pending

                pending.fold(locked)  # its pending changes become the draft's own text
        reversion.set_user(user)
        # One save, one revision: a move made with "Save and …" joins the save's revision.
        comment = f"{Action(action).label}." + (f" {move.note}" if move.note else "")
        earlier = reversion.get_comment()
        reversion.set_comment(f"{earlier} {comment}" if earlier else comment)
        event = WorkflowEvent.objects.create(
            comparison=article,
            action=action,
            actor=user,
            from_status=from_status,
            to_status=locked.status if locked.pk else article.status,
            note=move.note,
            effective_at=updates.get("published_at"),
        )
        if transition.notify:
            transaction.on_commit(lambda: transition.notify(event))
    if article.status == Status.PUBLISHED:
        socialcards.refresh_card(article)  # the sharing image, drawn now, never on a request
    return event


def _lock(pk):
    """
    The comparison's row, locked for the move, with what publishing checks of its parts
    (`missing_for_publishing`) in the same query.
    """
    return (
        Comparison.objects.select_for_update()
        .annotate(
            has_verdict=Exists(Verdict.objects.filter(comparison=OuterRef("pk"))),
            has_factors=Exists(Factor.objects.filter(comparison=OuterRef("pk"))),
        )
        .get(pk=pk)
    )


def _as_loaded(comparison, locked):
    """
    Once the move is allowed: the caller's own object when the locked row holds exactly what it
    holds (the admin's "Save and …" moves the object it has just saved), so that the factors,
    verdict and tags it carries serve the revision and the social card without being read
    again. Otherwise the row as locked.
    """
    if comparison.pk != locked.pk:
        return locked
    for column in Comparison._meta.concrete_fields:
        if getattr(comparison, column.attname) != getattr(locked, column.attname):
            return locked
    return comparison


def describe(event, name=None):
    """What happened, for the message the editor sees: “Scheduled for 3 Dec 2026 09:00 UTC.”"""
    candidates = [t for t in TRANSITIONS.values() if t.action == event.action]
    transition = next((t for t in candidates if t.name == name), None)
    transition = transition or (candidates[0] if candidates else None)
    title = event.comparison.title
    if transition is None:
        return f"“{title}”: {event.get_action_display().lower()}."
    return transition.message.format(
        title=title,
        when=format_time(event.effective_at) if event.effective_at else "",
        # Who was told is a query: asked only by the messages that say it.
        told=told_about_submission() if "{told}" in transition.message else "",
    )


# The moves by name, for code and tests that call one directly.


def submit(comparison, user, note=""):
    """Draft → review, by its author or an editor. E-mails the editors."""
    return apply("submit", comparison, user, note)


def withdraw(comparison, user, note=""):
    """Review → draft, by its author: taken back to keep working on it."""
    return apply("withdraw", comparison, user, note)


def request_changes(comparison, user, note):
    """Review → draft, by an editor, saying what needs changing. E-mails the author."""
    return apply("request_changes", comparison, user, note)


def publish(comparison, user, note=""):
    """Draft, review or scheduled → published now, by an editor."""
    return apply("publish", comparison, user, note)


def schedule(comparison, user, when, note=""):
    """Published from `when` on, by an editor; a time in the past publishes now."""
    return apply("schedule", comparison, user, note, when=when)


def unpublish(comparison, user, archive=False, note=""):
    """Published (or scheduled) → draft, or → archived; archived → draft. By an editor."""
    if archive:
        return apply("archive", comparison, user, note)
    name = "to_draft" if comparison.status == Status.ARCHIVED else "unpublish"
    return apply(name, comparison, user, note)


def mark_reviewed(comparison, user, note=""):
    """The facts were checked today: sets `last_reviewed`, keeps the state."""
    return apply("reviewed", comparison, user, note)


# Notifications -------------------------------------------------------------------------------


def editor_emails():
    users = get_user_model().objects.filter(is_active=True).exclude(email="")
    editors = users.filter(Q(groups__name=EDITORS_GROUP) | Q(is_superuser=True)).distinct()
    return sorted(editors.values_list("email", flat=True))


def told_about_submission():
    """Who a submission reaches, said plainly: nobody, when no editor has an address."""
    count = len(editor_emails())
    if count == 0:
        return (
            "no editor has an e-mail address yet, so nobody was told — "
            "it waits in the review queue on the dashboard"
        )
    return f"{count} editor{'s' if count != 1 else ''} {'have' if count != 1 else 'has'} been told"


def admin_link(comparison):
    return settings.SITE_URL + reverse("admin:comparisons_comparison_change", args=[comparison.pk])


def notify_editors_of_submission(event, changes=False):
    comparison, actor = event.comparison, event.actor
    what = f"changes to “{comparison.title}”" if changes else f"“{comparison.title}”"
    body = [f"{display_name(actor)} submitted {what} for review."]
    if event.note:
        body += ["", f"Their note: {event.note}"]
    body += ["", f"Review it: {admin_link(comparison)}"]
    send_safely(f"Review requested: {comparison.title}", "\n".join(body), editor_emails())


def notify_author_of_requested_changes(event):
    comparison = event.comparison
    pending = getattr(comparison, "pending", None) if comparison.is_published() else None
    author = (pending or comparison).author
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


def notify_readers_of_correction(change_note):
    """
    One e-mail to each reader whose note led to this correction and who asked to be told; the
    mark is set before the mail is queued, so nobody is told twice.
    """
    from .models import Feedback

    article = change_note.comparison
    link = settings.SITE_URL + article.get_absolute_url() + "#history"
    waiting = change_note.feedback.filter(notify_on_change=True, notified_at__isnull=True).exclude(
        email=""
    )
    for reader in waiting:
        if not Feedback.objects.filter(pk=reader.pk, notified_at__isnull=True).update(
            notified_at=timezone.now()
        ):
            continue  # told already, by another worker
        body = [
            f"Thank you for your note on “{article.title}”. It led to a correction, now live:",
            "",
            change_note.note,
            *change_note.changes,
            "",
            f"Read it: {link}",
        ]
        send_safely(f"Corrected: {article.title}", "\n".join(body), [reader.email])


def display_name(user):
    if user is None:
        return "Someone"
    return user.get_full_name() or user.get_username()


def send_safely(subject, body, recipients):
    """
    Queue a notification: the mail worker sends it once the change has committed, and tries
    again while the mail server fails (comparisons/mail.py). Nothing here waits on the mail
    server, and a failing queue is logged and never undoes the change.
    """
    if not recipients:
        return False
    try:
        mail.queue(subject, body, recipients)
    except Exception:
        logger.exception("Could not queue “%s” for %s", subject, ", ".join(recipients))
        return False
    return True
