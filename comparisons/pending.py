"""
Drafts over live articles: changes to a published comparison wait in a pending copy until an
editor publishes them; readers keep seeing the live article meanwhile.

Storage, chosen deliberately: the pending version is a **draft row** — a `Comparison` with
`draft_of` pointing at the live one, and its own factors, verdict and tags — not a serialised
working copy. A draft row is edited by the very admin form, inlines, Markdown preview and
revisions that edit any draft; it can be previewed, submitted, sent back and diffed like one;
and it can never leak, because readers select articles only through `published()` and the copy
is never published (it is `draft` or `review`; the database's one-article-per-pair rule leaves
copies out). A serialised copy (a reversion `Version` as the working state) would need a second
form layer to edit, preview and validate JSON that the admin does not know.

The life of a copy:
- `start(live, user)` makes it from the live article (the admin does so when an editor or a
  writer saves the live article's change page, so a save never changes what readers see);
- it is edited like any draft, and moved by the workflow's changes moves
  (`submit_changes`, `request_changes`, `withdraw`, `publish_changes`, `discard_changes`);
- `publish(copy, …)` writes its content onto the live rows in one transaction, records a
  change note (required, and marked significant, when the pick or a factor's edge changed),
  and deletes the copy; `discard(copy)` just deletes it.
"""

from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from . import invalidation
from .models import ChangeNote, Comparison, Factor, Feedback, Verdict

FIELDS = (
    "title",
    "subtitle",
    "summary",
    "body",
    "category_id",
    "tool_a_id",
    "tool_b_id",
    "last_reviewed",
    "version_a",
    "version_b",
)
FACTOR_FIELDS = ("position", "name", "value_a", "value_b", "edge", "criterion_id")
VERDICT_FIELDS = (
    "pick",
    "headline",
    "reason",
    "use_a_if",
    "use_b_if",
    "consider_tool_id",
    "consider_note",
    "bottom_line",
)
# What, changed, moves an article in or out of readers' lists.
FILING_FIELDS = ("category_id", "tool_a_id", "tool_b_id")


@dataclass
class Content:
    """What readers see of an article, as plain values: fields, factors, verdict and tags."""

    fields: dict
    factors: list = field(default_factory=list)  # dicts of FACTOR_FIELDS, in table order
    verdict: dict | None = None
    tags: list = field(default_factory=list)  # names, sorted


def content_of(comparison):
    """The comparison's content as stored now."""
    factors = [
        {name: getattr(factor, name) for name in FACTOR_FIELDS}
        for factor in Factor.objects.filter(comparison=comparison).order_by("position", "id")
    ]
    verdict = Verdict.objects.filter(comparison=comparison).first()
    return Content(
        fields={name: getattr(comparison, name) for name in FIELDS},
        factors=factors,
        verdict={name: getattr(verdict, name) for name in VERDICT_FIELDS} if verdict else None,
        tags=sorted(tag.name for tag in comparison.tags.all()),
    )


def write(comparison, content):
    """Make `comparison` hold `content` (its own fields, factors, verdict and tags)."""
    for name, value in content.fields.items():
        setattr(comparison, name, value)
    comparison.save()  # renders the Markdown, derives the reading time
    Factor.objects.filter(comparison=comparison).delete()
    Factor.objects.bulk_create(
        Factor(comparison=comparison, **values) for values in content.factors
    )
    verdict = Verdict.objects.filter(comparison=comparison).first()
    if content.verdict is None:
        if verdict is not None:
            verdict.delete()
    else:
        verdict = verdict or Verdict(comparison=comparison)
        for name, value in content.verdict.items():
            setattr(verdict, name, value)
        verdict.save()
    comparison.tags.set(content.tags)


_UNKNOWN = object()


def copy_of(live):
    """The pending copy of a live article, or None."""
    if live.pk is None or live.is_pending_copy():
        return None
    if getattr(live, "pending_status", _UNKNOWN) is None:
        return None  # read with the article (the admin's queryset): it has no copy
    return Comparison.objects.filter(draft_of=live).first()


def is_live(comparison):
    """Whether saving this comparison's change page must go to a pending copy."""
    return (
        comparison.pk is not None
        and not comparison.is_pending_copy()
        and (comparison.is_published())
    )


def start(live, user, content=None):
    """
    The pending copy of `live`, made now (from `content`, or from the live article as it is)
    and authored by `user`; the one that exists already, refilled from `content` if given.
    """
    with transaction.atomic():
        live = Comparison.objects.select_for_update().get(pk=live.pk)
        copy = copy_of(live)
        created_now = copy is None
        if created_now:
            copy = Comparison(
                draft_of=live,
                slug=f"{live.slug[:170]}--changes-{live.pk}",
                status=Comparison.Status.DRAFT,
                author=user,
                category_id=live.category_id,
            )
        write(copy, content or content_of(live))
    copy.created_now = created_now
    return copy


@dataclass
class Difference:
    """What changed between two contents, as lines readers can read, and how much it matters."""

    lines: list
    significant: bool
    refiled: bool  # category, tools or tags changed: lists must be refreshed too

    def __bool__(self):
        return bool(self.lines)


def differences(old, new, comparison):
    """
    What changed from `old` to `new`. Significant: the pick, or the edge of a factor present in
    both (matched by name), changed. Lines name tools, not sides: “Pick: Express → Flask”.
    """
    names = _tool_names(comparison, old, new)
    lines, significant = [], False
    old_pick = (old.verdict or {}).get("pick")
    new_pick = (new.verdict or {}).get("pick")
    if old_pick != new_pick:
        significant = old_pick is not None and new_pick is not None
        lines.append(f"Pick: {_side(old_pick, old, names)} → {_side(new_pick, new, names)}")
    old_factors = {row["name"]: row for row in old.factors}
    new_factors = {row["name"]: row for row in new.factors}
    for name, row in new_factors.items():
        before = old_factors.get(name)
        if before is None:
            lines.append(f"Factor added: {name}")
        elif before["edge"] != row["edge"]:
            significant = True
            lines.append(
                f"Edge on {name}: {_edge(before['edge'], old, names)} → "
                f"{_edge(row['edge'], new, names)}"
            )
        elif (before["value_a"], before["value_b"]) != (row["value_a"], row["value_b"]):
            lines.append(f"Values of {name} updated")
    lines += [f"Factor removed: {name}" for name in old_factors if name not in new_factors]
    labels = {
        "title": "Title",
        "subtitle": "Subtitle",
        "summary": "Summary",
        "body": "Text",
        "category_id": "Category",
        "tool_a_id": "Tool A",
        "tool_b_id": "Tool B",
        "last_reviewed": "Facts checked",
        "version_a": "Version compared (tool A)",
        "version_b": "Version compared (tool B)",
    }
    lines += [
        f"{label} updated" for name, label in labels.items() if old.fields[name] != new.fields[name]
    ]
    if (old.verdict or {}) != (new.verdict or {}) and old_pick == new_pick:
        lines.append("Verdict updated")
    if old.tags != new.tags:
        lines.append("Tags updated")
    refiled = old.tags != new.tags or any(
        old.fields[name] != new.fields[name] for name in FILING_FIELDS
    )
    return Difference(lines, significant, refiled)


def _tool_names(comparison, *contents):
    from .models import Tool

    ids = {c.fields[name] for c in contents for name in ("tool_a_id", "tool_b_id")}
    return dict(Tool.objects.filter(pk__in=[pk for pk in ids if pk]).values_list("pk", "name"))


def _side(side, content, names):
    if side is None:
        return "none"
    return names.get(content.fields[f"tool_{side}_id"], f"Tool {side.upper()}")


def _edge(edge, content, names):
    if edge in ("a", "b"):
        return _side(edge, content, names)
    return {"tie": "tie", "": "no edge"}[edge]


class NoteRequired(ValueError):
    """A significant change was published without saying why."""


def publish(copy, user, note, minor=False, feedback=()):
    """
    Write the copy's content onto the live article, record the public change note (none for a
    minor fix) linked to the readers' notes it answers (`feedback`: ids of the article's
    feedback), delete the copy. Returns (live, change note or None, difference).
    """
    live = Comparison.objects.select_for_update().get(pk=copy.draft_of_id)
    before, after = content_of(live), content_of(copy)
    difference = differences(before, after, live)
    if not difference:
        copy.delete()  # nothing to tell readers, nothing to change
        return live, None, difference
    if difference.significant and minor:
        raise NoteRequired(
            "The pick or a factor's edge changed: that is never a minor fix. Publish it with "
            "a public change note saying why."
        )
    if difference.significant and not note:
        raise NoteRequired(
            "The pick or a factor's edge changed: write a public change note saying why "
            "(readers see it in the article's History)."
        )
    now = timezone.now()
    change_note = None
    if not minor:
        live.last_public_change = now
        change_note = ChangeNote.objects.create(
            comparison=live,
            note=note or "Updated.",
            significant=difference.significant,
            changes=difference.lines,
            author=user,
        )
        answered = live.feedback.filter(pk__in=list(feedback)).exclude(status=Feedback.Status.SPAM)
        change_note.feedback.set(answered)
        answered.update(status=Feedback.Status.RESOLVED)
    if live.last_reviewed is None:
        after.fields["last_reviewed"] = timezone.localdate()
    write(live, after)
    copy.delete()
    invalidation.touch(invalidation.comparison(live.pk), invalidation.CONTENT)
    if difference.refiled:
        invalidation.touch(invalidation.PUBLISHED)
    return live, change_note, difference


def discard(copy):
    """Drop the pending changes; the live article is untouched."""
    copy.delete()


def fold(article):
    """
    An article that leaves the site (unpublished, archived) keeps the work of its pending
    changes: their content becomes the article's own, which readers no longer see anyway.
    """
    copy = Comparison.objects.filter(draft_of=article).first()
    if copy is not None:
        write(article, content_of(copy))
        copy.delete()
    return copy is not None


def schedule(copy, user, when, note="", minor=False, feedback=()):
    """Set the pending changes to go live at `when` (with their note); the worker does it."""
    from .models import ScheduledChanges

    ScheduledChanges.objects.update_or_create(
        copy=copy,
        defaults={
            "go_live_at": when,
            "note": note,
            "minor": minor,
            "feedback_ids": [int(pk) for pk in feedback],
            "scheduled_by": user,
        },
    )
    transaction.on_commit(lambda: _wake_at(when))


def _wake_at(when):
    """Ask the task worker to publish due changes at `when` (when it can wait that long)."""
    from .tasks import publish_due_changes

    if publish_due_changes.get_backend().supports_defer:
        publish_due_changes.using(run_after=when).enqueue()


def publish_due(now=None):
    """
    Publish every pending change whose time has come, as the editor who scheduled it; returns
    how many went live. Run by the task worker at each scheduled time, by `manage.py
    publishdue`, and whenever an editor opens the admin (so development needs no worker).
    """
    import logging

    from . import workflow
    from .models import ScheduledChanges

    now = now or timezone.now()
    published = 0
    due = ScheduledChanges.objects.filter(go_live_at__lte=now).select_related(
        "copy", "scheduled_by"
    )
    for scheduled in due:
        try:
            workflow.apply(
                "publish_changes",
                scheduled.copy,
                scheduled.scheduled_by,
                scheduled.note,
                minor=scheduled.minor,
                feedback=scheduled.feedback_ids,
            )
        except workflow.WorkflowError:
            logging.getLogger(__name__).exception(
                "Scheduled changes to “%s” could not go live", scheduled.copy.title
            )
            continue
        published += 1
    return published
