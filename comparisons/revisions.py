"""
Revisions of whole comparisons, kept by django-reversion: each revision holds the comparison's
fields together with its factors, verdict and tags, so restoring one brings all of them back.

This module registers the models (from `ComparisonsConfig.ready`) and knows how to list,
compare and restore revisions. Restoring never changes the workflow state: an old revision of
a published article brings back its words, not its status.
"""

import difflib
from dataclasses import dataclass, field

import reversion
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from reversion.models import Version
from taggit.models import Tag

from .formats import format_time
from .models import (
    Category,
    Comparison,
    Criterion,
    Factor,
    TaggedComparison,
    Tool,
    Verdict,
    WorkflowEvent,
)

# Workflow fields are the workflow's business; a restore keeps their current values.
WORKFLOW_FIELDS = ("status", "published_at", "author", "last_reviewed")
COMPARED_FIELDS = (
    "title",
    "slug",
    "subtitle",
    "summary",
    "category",
    "tool_a",
    "tool_b",
    "body",
    "status",
    "published_at",
    "last_reviewed",
    "version_a",
    "version_b",
)
# What a restore brings back, and so all its confirmation may list.
RESTORED_FIELDS = tuple(name for name in COMPARED_FIELDS if name not in WORKFLOW_FIELDS)
FACTOR_FIELDS = ("position", "name", "criterion", "value_a", "value_b", "edge")
VERDICT_FIELDS = (
    "pick",
    "headline",
    "reason",
    "use_a_if",
    "use_b_if",
    "consider_tool",
    "consider_note",
    "bottom_line",
)


def register():
    # The sharing image is derived from the words; a restore draws it afresh (socialcards).
    reversion.register(
        Comparison, exclude=("social_card",), follow=("factors", "verdict", "tagged_items")
    )
    reversion.register(Factor)
    reversion.register(Verdict)
    reversion.register(TaggedComparison)


def versions_of(comparison):
    """The comparison's own versions, newest first, each with its revision (who, when, why)."""
    return (
        Version.objects.get_for_object(comparison)
        .select_related("revision", "revision__user")
        .order_by("-revision__date_created", "-pk")
    )


@dataclass
class Snapshot:
    """A comparison as one revision saw it, in readable values."""

    fields: dict
    factors: dict  # factor id → {field: value}
    verdict: dict
    tags: list = field(default_factory=list)


def snapshot(version):
    """Read a revision back: the comparison's fields, its factors, verdict and tags."""
    by_model = {}
    for related in version.revision.version_set.select_related("content_type"):
        by_model.setdefault(related.content_type.model_class(), []).append(related)
    data = version.field_dict  # keyed by attribute name: "tool_a_id", not "tool_a"
    names = _names(Tool, [data.get("tool_a_id"), data.get("tool_b_id")])
    names.update(_names(Category, [data.get("category_id")]))
    values = {}
    for name in COMPARED_FIELDS:
        value = data.get(Comparison._meta.get_field(name).attname)
        if name in ("tool_a", "tool_b"):
            value = names.get((Tool, value), "—" if value is None else f"#{value}")
        elif name == "category":
            value = names.get((Category, value), f"#{value}")
        values[name] = "" if value is None else str(value)
    comparison_id = data.get("id")
    factor_versions = [
        v for v in by_model.get(Factor, []) if v.field_dict.get("comparison_id") == comparison_id
    ]
    criteria = _names(Criterion, [v.field_dict.get("criterion_id") for v in factor_versions])
    factors = {int(v.object_id): _factor_values(v.field_dict, criteria) for v in factor_versions}
    verdict = {}
    for v in by_model.get(Verdict, []):
        if v.field_dict.get("comparison_id") != comparison_id:
            continue
        verdict = {
            name: v.field_dict.get(Verdict._meta.get_field(name).attname) for name in VERDICT_FIELDS
        }
        consider = verdict["consider_tool"]
        verdict["consider_tool"] = (
            _names(Tool, [consider]).get((Tool, consider), f"#{consider}") if consider else ""
        )
        verdict = {name: "" if value is None else str(value) for name, value in verdict.items()}
    tag_ids = [
        v.field_dict.get("tag_id")
        for v in by_model.get(TaggedComparison, [])
        if v.field_dict.get("content_object_id") == comparison_id
    ]
    tags = sorted(Tag.objects.filter(pk__in=tag_ids).values_list("name", flat=True))
    return Snapshot(values, factors, verdict, tags)


def _factor_values(data, criteria):
    """A factor row's fields as text; a row from facts names its criterion."""
    values = {name: str(data.get(name, "")) for name in FACTOR_FIELDS}
    pk = data.get("criterion_id")
    values["criterion"] = criteria.get((Criterion, pk), f"#{pk}") if pk else ""
    return values


def _names(model, pks):
    pks = [pk for pk in pks if pk is not None]
    return {(model, obj.pk): str(obj) for obj in model.objects.filter(pk__in=pks)}


@dataclass
class Change:
    label: str
    old: str
    new: str
    lines: list = field(default_factory=list)  # a line diff, for long text


def compare(old, new, fields=COMPARED_FIELDS):
    """What changed from one snapshot to another, field by field and factor by factor."""
    return {
        "fields": _changes(old.fields, new.fields, fields, Comparison),
        "factors": _factor_changes(old.factors, new.factors),
        "verdict": _changes(old.verdict, new.verdict, VERDICT_FIELDS, Verdict),
        "tags_added": sorted(set(new.tags) - set(old.tags)),
        "tags_removed": sorted(set(old.tags) - set(new.tags)),
    }


def _changes(old, new, names, model):
    changes = []
    for name in names:
        before, after = old.get(name, ""), new.get(name, "")
        if before == after:
            continue
        label = str(model._meta.get_field(name).verbose_name).capitalize()
        lines = []
        if "\n" in before or "\n" in after:
            lines = list(
                difflib.unified_diff(
                    before.splitlines(), after.splitlines(), "before", "after", lineterm="", n=1
                )
            )[2:]
        changes.append(Change(label, before, after, lines))
    return changes


def _factor_changes(old, new):
    """Rows added, removed or changed, matched by their identity, in table order."""
    rows = []
    for pk in sorted(set(old) | set(new), key=lambda pk: _position(old, new, pk)):
        before, after = old.get(pk), new.get(pk)
        if before == after:
            continue
        name = (after or before)["name"]
        if before is None:
            rows.append({"kind": "added", "name": name, "values": after, "changes": []})
        elif after is None:
            rows.append({"kind": "removed", "name": name, "values": before, "changes": []})
        else:
            rows.append(
                {
                    "kind": "changed",
                    "name": name,
                    "values": after,
                    "changes": _changes(before, after, FACTOR_FIELDS, Factor),
                }
            )
    return rows


def _position(old, new, pk):
    row = new.get(pk) or old.get(pk)
    try:
        return (int(row["position"]), pk)
    except (TypeError, ValueError):
        return (0, pk)


def restore_changes(current, version):
    """
    What restoring `version` over the `current` revision would change: its words, factors,
    verdict and tags — never the workflow fields, which a restore keeps.
    """
    return compare(snapshot(current), snapshot(version), fields=RESTORED_FIELDS)


def restore(comparison, version, user):
    """
    Bring back the comparison's words, factors, verdict and tags as they were in `version`,
    keeping its current workflow state. Recorded as a new revision and a workflow event.

    A live article is never changed by a restore: the revision's content goes into its pending
    changes (comparisons/pending.py), which an editor then publishes like any other change.
    """
    from . import pending

    if version.object_id != str(comparison.pk) or version.content_type != (
        ContentType.objects.get_for_model(Comparison)
    ):
        raise ValueError("That revision belongs to another comparison.")
    when = version.revision.date_created
    with transaction.atomic(), reversion.create_revision():
        current = Comparison.objects.select_for_update().get(pk=comparison.pk)
        kept = {name: getattr(current, name) for name in WORKFLOW_FIELDS}
        live = pending.is_live(current)
        savepoint = transaction.savepoint() if live else None
        version.revision.revert(delete=True)
        restored = Comparison.objects.get(pk=comparison.pk)
        for name, value in kept.items():
            setattr(restored, name, value)
        restored.save()  # renders the body again and records the new revision
        reversion.set_user(user)
        if live:
            content = pending.content_of(restored)
            transaction.savepoint_rollback(savepoint)
            restored = pending.start(current, user, content)
            reversion.set_comment(f"Revision of {format_time(when)} restored into the changes.")
            note = (
                f"Revision of {format_time(when)} (#{version.revision_id}) restored into the "
                "pending changes; readers see the live version until they are published."
            )
        else:
            reversion.set_comment(f"Restored the revision of {format_time(when)}.")
            note = f"Revision of {format_time(when)} (#{version.revision_id}) restored."
            # The follow set is read after the block; make sure it is the restored one.
            reversion.add_to_revision(restored)
        WorkflowEvent.objects.create(
            comparison=current,
            action=WorkflowEvent.Action.RESTORED,
            actor=user,
            from_status=current.status,
            to_status=current.status,
            note=note,
        )
    return restored
