"""Notifications on their way out, each kept until the mail server takes it (see mail.py)."""

from django.db import models
from django.db.models import Count, Min
from django.utils import timezone


class OutgoingMailQuerySet(models.QuerySet):
    def waiting(self):
        """Not sent yet and still being tried."""
        return self.filter(status=OutgoingMail.Status.PENDING)

    def failed(self):
        return self.filter(status=OutgoingMail.Status.FAILED)

    def status_counts(self):
        """{"pending": n, "failed": n, "oldest_pending_at": time or None} in two indexed queries."""
        counts = dict(
            self.filter(status__in=(OutgoingMail.Status.PENDING, OutgoingMail.Status.FAILED))
            .values_list("status")
            .annotate(n=Count("pk"))
            .order_by()
        )
        oldest = self.waiting().aggregate(oldest=Min("created_at"))["oldest"]
        return {
            "pending": counts.get(OutgoingMail.Status.PENDING, 0),
            "failed": counts.get(OutgoingMail.Status.FAILED, 0),
            "oldest_pending_at": oldest,
        }


class OutgoingMail(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "Waiting to be sent"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed (gave up)"

    subject = models.TextField()
    body = models.TextField()
    recipients = models.JSONField(default=list, help_text="The addresses it goes to.")
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(
        default=timezone.now,
        help_text="The worker tries it again from this time on, if it is still waiting.",
    )
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    objects = OutgoingMailQuerySet.as_manager()

    class Meta:
        ordering = ("-created_at", "-id")
        verbose_name = "outgoing mail"
        verbose_name_plural = "outgoing mail"
        indexes = [
            models.Index(fields=("status", "created_at"), name="outgoingmail_status_created")
        ]

    def __str__(self):
        return self.subject
