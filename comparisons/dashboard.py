"""The editors' dashboard on the admin index: what needs someone's attention now."""

from datetime import timedelta

from django.conf import settings
from django.db.models import Count, F, IntegerField, Max, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from . import workflow
from .models import Comparison, Feedback, ToolFact, WorkflowEvent

LIMIT = 20


def dashboard_for(user):
    """The lists the dashboard shows this user, each already limited and ordered."""
    if not user.has_perm("comparisons.view_comparison"):
        return None
    now = timezone.now()
    rows = Comparison.objects.select_related("author", "tool_a", "tool_b")
    return {
        "review_queue": list(review_queue(rows)[:LIMIT]),
        "scheduled": list(
            rows.filter(status=Comparison.Status.PUBLISHED, published_at__gt=now).order_by(
                "published_at"
            )[:LIMIT]
        ),
        "my_drafts": list(
            rows.filter(author=user, status=Comparison.Status.DRAFT).order_by("-updated_at")[:LIMIT]
        ),
        "stale": list(stale(rows)[:LIMIT]),
        "stale_after_days": settings.NICEPICK_STALE_AFTER_DAYS,
        "can_publish": workflow.can_publish(user),
        "stale_facts": (
            list(stale_facts()[:LIMIT]) if user.has_perm("comparisons.view_toolfact") else None
        ),
        "new_feedback": (
            Feedback.objects.filter(status=Feedback.Status.NEW).count()
            if user.has_perm("comparisons.view_feedback")
            else None
        ),
    }


def review_queue(rows):
    """Comparisons waiting for an editor, the longest-waiting first."""
    return (
        rows.filter(status=Comparison.Status.REVIEW)
        .annotate(
            submitted_at=Max(
                "events__created_at", filter=Q(events__action=WorkflowEvent.Action.SUBMITTED)
            )
        )
        .order_by("submitted_at", "updated_at")
    )


def stale(rows):
    """Live comparisons whose facts were last checked too long ago (or never), oldest first."""
    cutoff = timezone.localdate() - timedelta(days=settings.NICEPICK_STALE_AFTER_DAYS)
    return (
        rows.filter(pk__in=Comparison.objects.published())
        .filter(Q(last_reviewed__lt=cutoff) | Q(last_reviewed__isnull=True))
        .order_by(F("last_reviewed").asc(nulls_first=True), "published_at")
    )


def stale_facts():
    """
    Tool facts checked longer ago than the stale setting, oldest first, each with `articles`:
    how many live articles show it in their table.
    """
    showing = (
        Comparison.objects.published()
        .filter(
            Q(tool_a=OuterRef("tool")) | Q(tool_b=OuterRef("tool")),
            factors__criterion=OuterRef("criterion"),
        )
        .order_by()
        .values("status")
        .annotate(count=Count("pk", distinct=True))
        .values("count")
    )
    return (
        ToolFact.objects.stale()
        .select_related("tool", "criterion")
        .annotate(articles=Coalesce(Subquery(showing, output_field=IntegerField()), 0))
    )
