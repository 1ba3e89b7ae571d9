"""Readers' feedback from the “Disagree?” form, and the tally of how they would pick."""

from django.db import models
from django.db.models import Count


class FeedbackQuerySet(models.QuerySet):
    def update(self, **kwargs):
        """A bulk change (the inbox's "Mark spam") refreshes the tallies it changes."""
        from .. import invalidation

        comparison_ids = set(self.values_list("comparison_id", flat=True).distinct())
        updated = super().update(**kwargs)
        invalidation.touch(*(invalidation.tally(pk) for pk in comparison_ids))
        return updated

    def counted(self):
        """What the readers' tally counts: everything not marked as spam."""
        return self.exclude(status=Feedback.Status.SPAM)

    def tally(self, comparison):
        """How readers who wrote in would pick, in one query: {"a": n, "b": n, "other": n}."""
        counts = dict(
            self.counted()
            .filter(comparison=comparison)
            .order_by()
            .values_list("would_pick")
            .annotate(Count("pk"))
        )
        tally = {pick: counts.get(pick, 0) for pick in Feedback.Pick.values}
        return {**tally, "total": sum(tally.values())}


class Feedback(models.Model):
    class Pick(models.TextChoices):
        A = "a", "Tool A"
        B = "b", "Tool B"
        OTHER = "other", "Something else"

    class Status(models.TextChoices):
        NEW = "new", "New"
        READ = "read", "Read"
        RESOLVED = "resolved", "Resolved"
        SPAM = "spam", "Spam"

    comparison = models.ForeignKey(
        "comparisons.Comparison", on_delete=models.CASCADE, related_name="feedback"
    )
    would_pick = models.CharField(max_length=5, choices=Pick.choices)
    message = models.TextField(max_length=5000)
    name = models.CharField(max_length=100, blank=True)
    email = models.EmailField(blank=True)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.NEW)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    # A keyed hash of the reader's IP address (never the address itself) and their browser.
    ip_hash = models.CharField(max_length=64, db_index=True)
    user_agent = models.CharField(max_length=200, blank=True)
    # The one-time token of the form it came from: a double submit stores one row.
    token = models.CharField(max_length=64, unique=True)
    # What they dispute: "" (not said), "pick", "factor:<the row's name>" or "other".
    target = models.CharField("disputes", max_length=140, blank=True)
    notify_on_change = models.BooleanField(
        "tell them if this changes",
        default=False,
        help_text="They asked for one e-mail when a correction that followed it is published.",
    )
    may_credit = models.BooleanField(
        "may be named", default=False, help_text="They agreed to be thanked by name in History."
    )
    notified_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = FeedbackQuerySet.as_manager()

    class Meta:
        ordering = ("-created_at", "-id")
        verbose_name_plural = "feedback"
        indexes = [
            models.Index(fields=("ip_hash", "created_at"), name="feedback_rate_limit"),
            models.Index(fields=("comparison", "status"), name="feedback_comparison_status"),
            # The inbox by state, newest first; its filter of the articles with most new notes.
            models.Index(fields=("status", "-created_at"), name="feedback_status_created"),
            models.Index(fields=("status", "comparison"), name="feedback_status_comparison"),
        ]

    def __str__(self):
        choice = self.picked_name() if self.would_pick != self.Pick.OTHER else "something else"
        return f"On “{self.comparison.title}”, would pick {choice}: {self.excerpt()}"

    def target_label(self):
        """What they dispute, in words: “the pick”, “Speed”, “something else”."""
        if self.target == "pick":
            return "The pick"
        if self.target.startswith("factor:"):
            return self.target.removeprefix("factor:")
        if self.target == "other":
            return "Something else"
        return "Not said"

    def excerpt(self, length=80):
        text = " ".join(self.message.split())
        return text if len(text) <= length else text[: length - 1] + "…"

    def picked_name(self):
        """The tool's name for “a” or “b”, “Something else” otherwise."""
        if self.would_pick == self.Pick.A and self.comparison.tool_a:
            return self.comparison.tool_a.name
        if self.would_pick == self.Pick.B and self.comparison.tool_b:
            return self.comparison.tool_b.name
        return self.Pick.OTHER.label


class FeedbackClient(models.Model):
    """
    One row per client (keyed IP hash) that has written in: its notes take turns on this row,
    so the rate limit's count and the new note are one atomic step (`antispam.hold_client`).
    """

    ip_hash = models.CharField(max_length=64, unique=True)
    last_seen = models.DateTimeField()

    def __str__(self):
        return self.ip_hash[:12]
