"""The workflow log: who moved which comparison from which state to which, when, and why."""

from django.conf import settings
from django.db import models


class WorkflowEvent(models.Model):
    class Action(models.TextChoices):
        SUBMITTED = "submitted", "Submitted for review"
        WITHDRAWN = "withdrawn", "Withdrawn from review"
        CHANGES_REQUESTED = "changes_requested", "Changes requested"
        PUBLISHED = "published", "Published"
        SCHEDULED = "scheduled", "Scheduled"
        UNPUBLISHED = "unpublished", "Unpublished"
        ARCHIVED = "archived", "Archived"
        REVIEWED = "reviewed", "Facts checked"
        RESTORED = "restored", "Earlier revision restored"
        CHANGES_STARTED = "changes_started", "Changes started"
        CHANGES_SUBMITTED = "changes_submitted", "Changes submitted for review"
        CHANGES_SCHEDULED = "changes_scheduled", "Changes scheduled"
        CHANGES_PUBLISHED = "changes_published", "Changes published"
        CHANGES_DISCARDED = "changes_discarded", "Changes discarded"

    comparison = models.ForeignKey(
        "comparisons.Comparison", on_delete=models.CASCADE, related_name="events"
    )
    action = models.CharField(max_length=24, choices=Action.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="workflow_events",
    )
    from_status = models.CharField(max_length=16)
    to_status = models.CharField(max_length=16)
    note = models.TextField(blank=True)
    # For "scheduled" and "published": the time readers see it from.
    effective_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ("-created_at", "-id")
        indexes = [models.Index(fields=("comparison", "action"), name="event_comparison_action")]

    def __str__(self):
        return f"{self.get_action_display()}: {self.comparison_id}"
