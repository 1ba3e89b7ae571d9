"""
Preview links: a signed, expiring, revocable address at which someone without an account sees
the version of a comparison the editors are working on (`comparisons.previews`).
"""

from django.conf import settings
from django.db import models
from django.db.models import F
from django.utils import timezone


class PreviewLinkQuerySet(models.QuerySet):
    def active(self):
        """Links that still open: not revoked, not expired."""
        return self.filter(revoked_at__isnull=True, expires_at__gt=timezone.now())


class PreviewLink(models.Model):
    class State(models.TextChoices):
        ACTIVE = "active", "Active"
        EXPIRED = "expired", "Expired"
        REVOKED = "revoked", "Revoked"

    comparison = models.ForeignKey(
        "comparisons.Comparison", on_delete=models.CASCADE, related_name="preview_links"
    )
    # Random, and part of the signed token: a link deleted and made again never answers to
    # an old token, even where the database reuses ids. Useless without the secret key.
    nonce = models.CharField(max_length=32, unique=True, editable=False)
    label = models.CharField(
        "shared with",
        max_length=100,
        blank=True,
        help_text="Who the link is for, so you know which one to revoke, e.g. “Ana (Flask docs)”.",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="preview_links",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    views = models.PositiveIntegerField(default=0)
    last_viewed_at = models.DateTimeField(null=True, blank=True)

    objects = PreviewLinkQuerySet.as_manager()

    class Meta:
        ordering = ("-created_at", "-id")

    def __str__(self):
        return f"Preview link to {self.comparison} ({self.get_state_display()})"

    @property
    def state(self):
        if self.revoked_at is not None:
            return self.State.REVOKED
        if self.expires_at <= timezone.now():
            return self.State.EXPIRED
        return self.State.ACTIVE

    def get_state_display(self):
        return self.State(self.state).label

    def is_active(self):
        return self.state == self.State.ACTIVE

    def count_view(self):
        """One more view, counted in the database: two readers at once both count."""
        now = timezone.now()
        PreviewLink.objects.filter(pk=self.pk).update(views=F("views") + 1, last_viewed_at=now)
