"""
Revisions in the admin: the list of a comparison's revisions (who, when, what), a readable
comparison of any two, and restoring one. Storage is django-reversion's; see
`comparisons.revisions` for what a revision holds and what a restore keeps.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse

from .. import revisions


class RevisionsMixin:
    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path(
                "<path:object_id>/revisions/",
                wrap(self.revisions_view),
                name="comparisons_comparison_revisions",
            ),
            path(
                "<path:object_id>/revisions/compare/",
                wrap(self.compare_view),
                name="comparisons_comparison_compare",
            ),
            path(
                "<path:object_id>/revisions/<int:version_id>/restore/",
                wrap(self.restore_view),
                name="comparisons_comparison_restore",
            ),
            *super().get_urls(),
        ]

    def _comparison(self, request, object_id):
        obj = self.get_object(request, object_id)
        if obj is None:
            raise Http404("No such comparison.")
        if not self.has_view_or_change_permission(request, obj):
            raise PermissionDenied
        return obj

    def _context(self, request, obj, title, **extra):
        return {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "original": obj,
            "title": title,
            "subtitle": obj.title,
            "revisions_url": reverse("admin:comparisons_comparison_revisions", args=[obj.pk]),
            "can_restore": self.has_change_permission(request, obj),
            **extra,
        }

    def revisions_view(self, request, object_id):
        obj = self._comparison(request, object_id)
        versions = list(revisions.versions_of(obj))
        context = self._context(request, obj, f"Revisions of “{obj.title}”", versions=versions)
        return TemplateResponse(request, "admin/comparisons/comparison/revisions.html", context)

    def compare_view(self, request, object_id):
        obj = self._comparison(request, object_id)
        versions = revisions.versions_of(obj)
        older = self._version(versions, request.GET.get("from"))
        newer = self._version(versions, request.GET.get("to"))
        if older.revision.date_created > newer.revision.date_created:
            older, newer = newer, older
        changes = revisions.compare(revisions.snapshot(older), revisions.snapshot(newer))
        context = self._context(
            request, obj, "What changed", older=older, newer=newer, changes=changes
        )
        return TemplateResponse(request, "admin/comparisons/comparison/compare.html", context)

    def restore_view(self, request, object_id, version_id):
        obj = self._comparison(request, object_id)
        if not self.has_change_permission(request, obj):
            raise PermissionDenied
        versions = revisions.versions_of(obj)
        version = get_object_or_404(versions, pk=version_id)
        if request.method == "POST":
            restored = revisions.restore(obj, version, request.user)
            when = revisions.format_time(version.revision.date_created)
            if restored.is_pending_copy():
                message = (
                    f"The revision of {when} is in the pending changes — words, factors, "
                    "verdict and tags. Readers see the live version until an editor "
                    "publishes them."
                )
            else:
                message = (
                    f"Restored the revision of {when} — words, factors, verdict and tags. "
                    "The workflow state is unchanged."
                )
            self.message_user(request, message, messages.SUCCESS)
            return redirect("admin:comparisons_comparison_change", restored.pk)
        latest = versions.first()
        changes = revisions.restore_changes(latest, version)
        context = self._context(
            request, obj, "Restore this revision?", older=latest, newer=version, changes=changes
        )
        return TemplateResponse(request, "admin/comparisons/comparison/restore.html", context)

    @staticmethod
    def _version(versions, version_id):
        if version_id in (None, "", "latest"):
            version = versions.first()
        else:
            try:
                version = versions.filter(pk=int(version_id)).first()
            except ValueError:
                version = None
        if version is None:
            raise Http404("No such revision of this comparison.")
        return version
