"""
Loads the demo content of `demo_content.py` (used by `manage.py loaddemo`).

Idempotent: what already exists (by slug) is left exactly as it is, so a second run changes
nothing and never overwrites what an editor has changed since.
"""

from datetime import timedelta

import reversion
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from . import demo_content, search, socialcards
from .models import (
    Category,
    ChangeNote,
    Comparison,
    Criterion,
    Factor,
    Feedback,
    Tool,
    ToolFact,
    Verdict,
    WorkflowEvent,
)

DEMO_AUTHOR = "demo-editor"


@transaction.atomic
def load_demo():
    """Create whatever demo content is missing; return how many comparisons were created."""
    author = demo_author()
    categories = {
        data["slug"]: Category.objects.get_or_create(slug=data["slug"], defaults=data)[0]
        for data in demo_content.CATEGORIES
    }
    tools = {
        data["slug"]: Tool.objects.get_or_create(slug=data["slug"], defaults=data)[0]
        for data in demo_content.TOOLS
    }
    criteria = {
        data["slug"]: Criterion.objects.get_or_create(slug=data["slug"], defaults=data)[0]
        for data in demo_content.CRITERIA
    }
    load_facts(tools, criteria)
    created = 0
    for data in demo_content.COMPARISONS:
        if Comparison.objects.filter(slug=data["slug"]).exists():
            continue
        with reversion.create_revision():
            reversion.set_user(author)
            reversion.set_comment("Demo content.")
            # Factors are bulk-created (no signals): add the whole comparison once it is complete.
            comparison = create_comparison(data, categories, tools, author, criteria)
            reversion.add_to_revision(comparison)
        socialcards.refresh_card(comparison)
        created += 1
    load_history(author)
    return created


def load_history(author):
    """A few public change notes, for articles that have none yet (editors' notes survive)."""
    now = timezone.now()
    for slug, days_ago, note, significant, changes in demo_content.HISTORY:
        comparison = Comparison.objects.filter(slug=slug).first()
        if comparison is None or comparison.change_notes.filter(note=note).exists():
            continue
        when = now - timedelta(days=days_ago)
        entry = ChangeNote.objects.create(
            comparison=comparison,
            note=note,
            significant=significant,
            changes=changes,
            author=author,
        )
        ChangeNote.objects.filter(pk=entry.pk).update(created_at=when)
        latest = comparison.last_public_change
        if latest is None or latest < when:
            Comparison.objects.filter(pk=comparison.pk).update(last_public_change=when)


def demo_author():
    user, created = get_user_model().objects.get_or_create(
        username=DEMO_AUTHOR, defaults={"first_name": "Demo", "last_name": "Editor"}
    )
    if created:
        user.set_unusable_password()
        user.save()
        user.groups.add(Group.objects.get(name="Editors"))
    return user


def load_facts(tools, criteria):
    """The tools' demo facts that are missing (an editor's changes to the others stay)."""
    today = timezone.localdate()
    for slug, rows in demo_content.FACTS.items():
        tool = tools[slug]
        for criterion_slug, value, version, days in rows:
            criterion = criteria[criterion_slug]
            ToolFact.objects.get_or_create(
                tool=tool,
                criterion=criterion,
                defaults={
                    "value": criterion.clean_value(value),
                    "version": version,
                    "source_url": tool.website,
                    "checked_on": today - timedelta(days=days),
                },
            )


def factor_rows(comparison, rows, criteria):
    """Factor rows from the demo data: free-text tuples, or `from_facts(...)` dicts."""
    for position, row in enumerate(rows, start=1):
        if isinstance(row, dict):
            criterion = criteria[row["criterion"]]
            yield Factor(
                comparison=comparison,
                name=criterion.name,
                criterion=criterion,
                edge=row["edge"],
                position=position,
            )
        else:
            name, value_a, value_b, edge = row
            yield Factor(
                comparison=comparison,
                name=name,
                value_a=value_a,
                value_b=value_b,
                edge=edge,
                position=position,
            )


def create_comparison(data, categories, tools, author, criteria):
    now = timezone.now()
    status, published_at = Comparison.Status.DRAFT, None
    if data["status"] == "published":
        status, published_at = Comparison.Status.PUBLISHED, now - timedelta(days=data["days"])
    elif data["status"] == "scheduled":
        status, published_at = Comparison.Status.PUBLISHED, now + timedelta(days=data["days"])
    elif data["status"] == "review":
        status = Comparison.Status.REVIEW
    comparison = Comparison.objects.create(
        slug=data["slug"],
        title=data["title"],
        subtitle=data["subtitle"],
        summary=data["summary"],
        body=data["body"],
        tool_a=tools[data["tool_a"]],
        tool_b=tools[data["tool_b"]],
        category=categories[data["category"]],
        status=status,
        published_at=published_at,
        last_reviewed=(now - timedelta(days=data["last_reviewed_days"])).date(),
        author=author,
        version_a=data["versions"][0],
        version_b=data["versions"][1],
    )
    comparison.tags.set(data["tags"])
    if data["status"] in ("review", "published", "scheduled"):
        WorkflowEvent.objects.create(
            comparison=comparison,
            action=WorkflowEvent.Action.SUBMITTED,
            actor=author,
            from_status=Comparison.Status.DRAFT,
            to_status=Comparison.Status.REVIEW,
        )
    if published_at is not None:
        WorkflowEvent.objects.create(
            comparison=comparison,
            action=WorkflowEvent.Action.SCHEDULED
            if published_at > now
            else WorkflowEvent.Action.PUBLISHED,
            actor=author,
            from_status=Comparison.Status.REVIEW,
            to_status=Comparison.Status.PUBLISHED,
            effective_at=published_at,
        )
    Factor.objects.bulk_create(factor_rows(comparison, data["factors"], criteria))
    search.refresh(comparison)  # factors were bulk-created, without signals
    Feedback.objects.bulk_create(
        Feedback(
            comparison=comparison,
            would_pick=would_pick,
            message=message,
            name=name,
            status=status,
            ip_hash="demo",
            token=f"demo-{comparison.slug}-{number}",
        )
        for number, (would_pick, message, name, status) in enumerate(
            demo_content.FEEDBACK.get(comparison.slug, ())
        )
    )
    verdict = dict(data["verdict"])
    consider = verdict.pop("consider_tool")
    Verdict.objects.create(
        comparison=comparison, consider_tool=tools[consider] if consider else None, **verdict
    )
    return comparison
