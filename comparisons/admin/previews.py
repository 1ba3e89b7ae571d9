"""
Preview links on the comparison's change page: editors make a link for an outside reviewer
(no login, expiring, revocable), see who made each, until when it works and how often it was
opened, and revoke one at once. Writers see none of it: unpublished work leaves the newsroom
only through an editor. The rules are in `comparisons.previews`.
"""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.formats import date_format
from django.utils.timezone import localtime

from .. import previews


class PreviewLinkForm(forms.Form):
    days = forms.TypedChoiceField(
        label="Works for",
        coerce=int,
        choices=[(days, f"{days} day{'s' if days > 1 else ''}") for days in previews.LIFETIMES],
        initial=previews.DEFAULT_LIFETIME,
    )
    label = forms.CharField(
        label="Shared with",
        required=False,
        max_length=100,
        help_text="Optional: who gets it, so you know which link to revoke.",
    )


class PreviewLinksMixin:
    """For `ComparisonAdmin`: the preview links panel and the two POST endpoints it uses."""

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path(
                "<path:object_id>/preview-links/",
                wrap(self.create_preview_link_view),
                name="comparisons_comparison_preview_link_create",
            ),
            path(
                "<path:object_id>/preview-links/<int:link_id>/revoke/",
                wrap(self.revoke_preview_link_view),
                name="comparisons_comparison_preview_link_revoke",
            ),
            *super().get_urls(),
        ]

    def _shareable(self, request, object_id):
        if request.method != "POST":
            return None
        obj = self.get_object(request, object_id)
        if obj is None:
            raise Http404("No such comparison.")
        if not previews.can_share(request.user):
            raise PermissionDenied
        return obj.draft_of if obj.is_pending_copy() else obj

    def create_preview_link_view(self, request, object_id):
        obj = self._shareable(request, object_id)
        if obj is None:
            return HttpResponseNotAllowed(["POST"])
        form = PreviewLinkForm(request.POST, prefix="preview-link")
        if form.is_valid():
            link = previews.create(
                obj, request.user, form.cleaned_data["days"], form.cleaned_data["label"]
            )
            expires = date_format(localtime(link.expires_at), "j M Y H:i T")
            self.message_user(
                request,
                f"Preview link made, working until {expires}: {absolute_url(link)} — anyone "
                "with it can read the version you are working on, without signing in.",
                messages.SUCCESS,
            )
        else:
            for errors in form.errors.values():
                for error in errors:
                    self.message_user(request, f"Preview link: {error}", messages.ERROR)
        return self._back_to(obj)

    def revoke_preview_link_view(self, request, object_id, link_id):
        obj = self._shareable(request, object_id)
        if obj is None:
            return HttpResponseNotAllowed(["POST"])
        link = get_object_or_404(obj.preview_links, pk=link_id)
        if previews.revoke(link, request.user):
            self.message_user(
                request,
                "Preview link revoked: whoever has it now gets a page saying it was withdrawn.",
                messages.SUCCESS,
            )
        else:
            self.message_user(request, "That preview link was already revoked.", messages.INFO)
        return self._back_to(obj)

    @staticmethod
    def _back_to(obj):
        url = reverse("admin:comparisons_comparison_change", args=[obj.pk])
        return redirect(f"{url}#preview-links")

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None and previews.can_share(request.user):
            context.update(preview_links_context(obj.draft_of if obj.is_pending_copy() else obj))
        return super().render_change_form(request, context, add, change, form_url, obj)


# How many links the panel lists, newest first (the active ones come first).
PANEL_SIZE = 30


def preview_links_context(obj):
    links = sorted(
        obj.preview_links.select_related("created_by", "revoked_by")[:PANEL_SIZE],
        key=lambda link: not link.is_active(),
    )
    for link in links:
        link.absolute_url = absolute_url(link) if link.is_active() else ""
        link.revoke_url = reverse(
            "admin:comparisons_comparison_preview_link_revoke", args=[obj.pk, link.pk]
        )
    return {
        "preview_links": links,
        "preview_link_form": PreviewLinkForm(prefix="preview-link"),
        "preview_link_create_url": reverse(
            "admin:comparisons_comparison_preview_link_create", args=[obj.pk]
        ),
    }


def absolute_url(link):
    """The address to send: the site's public one (SITE_URL), whatever host the editor uses."""
    return settings.SITE_URL + previews.url_for(link)
