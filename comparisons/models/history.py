"""The public history of an article: one change note per change readers were told about."""

from django.conf import settings
from django.db import models


class ChangeNoteQuerySet(models.QuerySet):
    def public(self):
        """Notes readers see: those of articles they can see."""
        from .articles import Comparison

        return self.filter(comparison__in=Comparison.objects.published())

    def significant(self):
        return self.filter(significant=True)


class ChangeNote(models.Model):
    """
    Why and when a live article changed, shown in its History and, when significant (its pick
    or a factor's edge changed), on /changes/ and its feed. Written when an editor publishes
    changes to a live article; a minor fix writes none.
    """

    comparison = models.ForeignKey(
        "comparisons.Comparison", on_delete=models.CASCADE, related_name="change_notes"
    )
    note = models.TextField(help_text="Shown to readers: what changed and why, in a sentence.")
    significant = models.BooleanField(
        default=False, help_text="The pick or a factor's edge changed."
    )
    # What changed, as readers read it: ["Pick: Express → Flask", "Edge on Speed: …"].
    changes = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="change_notes",
    )
    # Readers' notes that led to this correction.
    feedback = models.ManyToManyField(
        "comparisons.Feedback", blank=True, related_name="corrections"
    )

    objects = ChangeNoteQuerySet.as_manager()

    class Meta:
        ordering = ("-created_at", "-id")
        get_latest_by = "created_at"
        indexes = [
            models.Index(fields=("significant", "created_at"), name="changenote_significant"),
        ]

    def __str__(self):
        return f"{self.comparison}: {self.note[:60]}"


class ScheduledChanges(models.Model):
    """
    Pending changes an editor set to go live later, with the note they go live with. The task
    queue's worker publishes them on time (comparisons/pending.py `publish_due`).
    """

    copy = models.OneToOneField(
        "comparisons.Comparison", on_delete=models.CASCADE, related_name="schedule"
    )
    go_live_at = models.DateTimeField(db_index=True)
    note = models.TextField(blank=True)
    minor = models.BooleanField(default=False)
    feedback_ids = models.JSONField(default=list, blank=True)
    scheduled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        verbose_name_plural = "scheduled changes"

    def __str__(self):
        return f"Changes to {self.copy.draft_of} at {self.go_live_at:%Y-%m-%d %H:%M}"
