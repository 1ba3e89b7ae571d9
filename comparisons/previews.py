"""
Preview links for outside reviewers (DESIGN §10: `/preview/<token>/`).

An editor makes a link to the version of a comparison the editors are working on, for someone
without an account: it needs no login, expires (after 7 days unless chosen otherwise) and can
be revoked at once. The token is `[link id, nonce]` signed with the secret key under this
module's salt, so a token cannot be guessed or altered, and the database holds only what
revoking and counting need (the row and its random nonce): the page itself never trusts
anything in the token but the row it names.

Tampered and unknown tokens answer 404 (nothing to tell); revoked and expired links 410 with a
plain explanation. The pages are `noindex`, `private, no-store`, never in the page cache, any
list, feed or sitemap, and `robots.txt` keeps crawlers out of `/preview/`.
"""

import secrets
from datetime import timedelta

from django.core import signing
from django.urls import reverse
from django.utils import timezone

from . import workflow
from .models import PreviewLink
from .models.authors import HOUSE_BYLINE

SALT = "nicepick.preview-link"
# The lifetimes an editor chooses from, in days.
LIFETIMES = (1, 3, 7, 14, 30)
DEFAULT_LIFETIME = 7


def version_to_show(comparison):
    """
    What a preview link shows of `comparison`: the version the editors are working on — its
    pending changes when a live article has some (comparisons/pending.py), else itself.
    """
    from .models import Comparison
    from .pending import copy_of

    copy = copy_of(comparison)
    if copy is None:
        return comparison
    shown = Comparison.objects.with_article_data().get(pk=copy.pk)
    shown.slug = comparison.slug  # links and the canonical address are the article's
    return shown


def can_share(user):
    """Editors only: a writer may not send unpublished work outside the newsroom."""
    return workflow.can_publish(user)


def create(comparison, user, days=DEFAULT_LIFETIME, label=""):
    """A new link to `comparison`, valid for `days` days, made by `user` (an editor)."""
    if not can_share(user):
        raise workflow.NotAllowed("Only editors can share preview links.")
    if days not in LIFETIMES:
        raise ValueError(f"A preview link lasts one of {LIFETIMES} days, not {days!r}.")
    if comparison.is_pending_copy():
        comparison = comparison.draft_of  # links follow the article, whatever version is next
    return PreviewLink.objects.create(
        comparison=comparison,
        nonce=secrets.token_urlsafe(16),
        label=label.strip(),
        created_by=user,
        expires_at=timezone.now() + timedelta(days=days),
    )


def revoke(link, user):
    """Stop `link` at once; revoking twice keeps the first time and who did it."""
    if not can_share(user):
        raise workflow.NotAllowed("Only editors can revoke preview links.")
    updated = PreviewLink.objects.filter(pk=link.pk, revoked_at__isnull=True).update(
        revoked_at=timezone.now(), revoked_by=user
    )
    link.refresh_from_db(fields=("revoked_at", "revoked_by"))
    return bool(updated)


def token_for(link):
    return signing.Signer(salt=SALT).sign_object([link.pk, link.nonce])


def url_for(link):
    return reverse("comparisons:preview_link", args=[token_for(link)])


def find(token):
    """The link a token names, in whatever state; None for a tampered or unknown token."""
    try:
        pk, nonce = signing.Signer(salt=SALT).unsign_object(token)
    except (signing.BadSignature, TypeError, ValueError):
        return None
    if not isinstance(pk, int) or not isinstance(nonce, str):
        return None
    return (
        PreviewLink.objects.select_related("created_by__author_profile")
        .filter(pk=pk, nonce=nonce)
        .first()
    )


def shared_by(link):
    """How the banner names the editor who shared the link: never by their login name."""
    user = link.created_by
    if user is None:
        return f"the {HOUSE_BYLINE}"
    # The reviewer was handed the link by this editor: their name, public byline or not.
    profile = getattr(user, "author_profile", None)
    if profile is not None:
        return profile.display_name
    return user.get_full_name() or f"the {HOUSE_BYLINE}"
