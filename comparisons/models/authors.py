"""
Bylines: the public face of a member of staff.

An article names its author only through a public `AuthorProfile`; staff without one (and
articles whose author has left) are bylined "nicepick editors". A login name is never shown.
"""

from dataclasses import dataclass

from django.conf import settings
from django.db import models
from django.urls import reverse

# Who signs an article whose author has no public profile (the byline, JSON-LD, author boxes).
HOUSE_BYLINE = "nicepick editors"


class AuthorProfile(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="author_profile"
    )
    slug = models.SlugField(
        max_length=80,
        unique=True,
        help_text="The author page's address: /authors/<slug>/.",
    )
    display_name = models.CharField(
        max_length=100, help_text="The name readers see in the byline, e.g. “Ada Lovelace”."
    )
    bio = models.TextField(
        blank=True,
        max_length=400,
        help_text="One or two sentences shown under the author's articles and on their page.",
    )
    is_public = models.BooleanField(
        "public byline",
        default=True,
        help_text="Readers see this name on the author's articles and an author page. "
        "Unticked, the articles are signed “nicepick editors”.",
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ("display_name",)
        verbose_name = "author profile"

    def __str__(self):
        return self.display_name

    def get_absolute_url(self):
        return reverse("comparisons:author", args=[self.slug])


def public_profile(user):
    """The user's profile when readers may see it, else None (never a query if preloaded)."""
    if user is None:
        return None
    profile = getattr(user, "author_profile", None)
    return profile if profile is not None and profile.is_public else None


@dataclass(frozen=True)
class Byline:
    """Who signs an article, as readers see it: a name, and the author page when public."""

    name: str
    url: str = ""
    bio: str = ""


HOUSE = Byline(HOUSE_BYLINE)


def byline(user):
    """The byline of articles by `user` (no query when the profile was loaded with them)."""
    profile = public_profile(user)
    if profile is None:
        return HOUSE
    return Byline(profile.display_name, profile.get_absolute_url(), profile.bio)
