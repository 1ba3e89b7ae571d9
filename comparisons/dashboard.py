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
    """
    The lists the dashboard shows this user, each already limited and ordered. Editors get the
    queues they answer for; writers get their own work, with an editor's request for changes
    spelled out, not the editors' queues.
    """
    if not user.has_perm("comparisons.view_comparison"):
        return None
    now = timezone.now()
    rows = with_last_event(Comparison.objects.select_related("author", "tool_a", "tool_b"))
    editor = workflow.can_publish(user)
    mine = rows.filter(author=user)
    board = {
        "can_publish": editor,
        "my_drafts": list(
            mine.filter(status=Comparison.Status.DRAFT).order_by("-updated_at")[:LIMIT]
        ),
        "stale_after_days": settings.NICEPICK_STALE_AFTER_DAYS,
        "stale_facts": (
            list(stale_facts()[:LIMIT]) if user.has_perm("comparisons.view_toolfact") else None
        ),
        "new_feedback": (
            Feedback.objects.filter(status=Feedback.Status.NEW).count()
            if user.has_perm("comparisons.view_feedback")
            else None
        ),
    }
    if editor:
        board.update(
            review_queue=list(review_queue(rows)[:LIMIT]),
            pending_changes=list(
                rows.filter(draft_of__isnull=False, status=Comparison.Status.DRAFT).order_by(
                    "-updated_at"
                )[:LIMIT]
            ),
            scheduled=list(
                rows.articles()
                .filter(status=Comparison.Status.PUBLISHED, published_at__gt=now)
                .order_by("published_at")[:LIMIT]
            ),
            stale=list(stale(rows)[:LIMIT]),
            nobody_notified=not workflow.editor_emails(),
        )
    else:
        board["my_submissions"] = list(
            mine.filter(status=Comparison.Status.REVIEW).order_by("-updated_at")[:LIMIT]
        )
    return board


def with_last_event(rows):
    """Each row with its article's latest workflow event (an editor's note back, say)."""
    article = Coalesce(OuterRef("draft_of"), OuterRef("pk"))
    latest = WorkflowEvent.objects.filter(comparison=article).order_by("-created_at", "-id")
    return rows.annotate(
        last_action=Subquery(latest.values("action")[:1]),
        last_note=Subquery(latest.values("note")[:1]),
    )


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
