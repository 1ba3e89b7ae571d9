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
from .models import Category, Comparison, Factor, Feedback, Tool, Verdict, WorkflowEvent

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
    created = 0
    for data in demo_content.COMPARISONS:
        if Comparison.objects.filter(slug=data["slug"]).exists():
            continue
        with reversion.create_revision():
            reversion.set_user(author)
            reversion.set_comment("Demo content.")
            # Factors are bulk-created (no signals): add the whole comparison once it is complete.
            comparison = create_comparison(data, categories, tools, author)
            reversion.add_to_revision(comparison)
        socialcards.refresh_card(comparison)
        created += 1
    return created


def demo_author():
    user, created = get_user_model().objects.get_or_create(
        username=DEMO_AUTHOR, defaults={"first_name": "Demo", "last_name": "Editor"}
    )
    if created:
        user.set_unusable_password()
        user.save()
        user.groups.add(Group.objects.get(name="Editors"))
    return user


def create_comparison(data, categories, tools, author):
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
    Factor.objects.bulk_create(
        Factor(
            comparison=comparison,
            name=name,
            value_a=value_a,
            value_b=value_b,
            edge=edge,
            position=position,
        )
        for position, (name, value_a, value_b, edge) in enumerate(data["factors"], start=1)
    )
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
