"""
A whole comparison on one admin page: fields, the Markdown body in the markdownx editor with
its live preview, factor rows and the verdict inline; workflow buttons beside the save buttons,
the workflow timeline and links to the preview and the revisions.

Writers change only their own drafts; `status` and `published_at` are never form fields — they
change only through `comparisons.workflow`.
"""

import reversion
from django import forms
from django.contrib import admin
from django.urls import reverse
from markdownx.widgets import AdminMarkdownxWidget

from .. import socialcards, workflow
from ..models import Comparison, Factor, Feedback, Verdict
from .history import RevisionsMixin
from .workflow import WorkflowMixin


class EditableOnlyByEditorsMixin:
    """Inline rows follow the comparison: writers change only their own drafts."""

    def _may_edit(self, request, obj):
        return obj is None or workflow.can_edit(request.user, obj)

    def has_add_permission(self, request, obj=None):
        return super().has_add_permission(request, obj) and self._may_edit(request, obj)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self._may_edit(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self._may_edit(request, obj)


class FactorInline(EditableOnlyByEditorsMixin, admin.TabularInline):
    model = Factor
    fields = ("position", "name", "value_a", "value_b", "edge")
    extra = 0

    def get_extra(self, request, obj=None, **kwargs):
        # A new comparison starts with a few empty rows; "Add another" adds more.
        return 3 if obj is None else 0


class VerdictInline(EditableOnlyByEditorsMixin, admin.StackedInline):
    model = Verdict
    can_delete = False
    max_num = 1
    autocomplete_fields = ("consider_tool",)
    fields = (
        "pick",
        "headline",
        "reason",
        ("use_a_if", "use_b_if"),
        ("consider_tool", "consider_note"),
        "bottom_line",
    )


class ComparisonAdminForm(forms.ModelForm):
    class Meta:
        model = Comparison
        fields = (
            "title",
            "slug",
            "subtitle",
            "summary",
            "category",
            "tool_a",
            "tool_b",
            "tags",
            "body",
            "last_reviewed",
        )
        widgets = {
            "body": AdminMarkdownxWidget,
            "summary": forms.Textarea(attrs={"rows": 3}),
        }


@admin.register(Comparison)
class ComparisonAdmin(RevisionsMixin, WorkflowMixin, admin.ModelAdmin):
    form = ComparisonAdminForm
    change_form_template = "admin/comparisons/comparison/change_form.html"
    inlines = (FactorInline, VerdictInline)
    list_display = (
        "title",
        "state",
        "category",
        "tool_a",
        "tool_b",
        "published_at",
        "last_reviewed",
        "author",
        "tag_list",
    )
    list_filter = ("status", "category", "published_at", "author", "tags")
    list_select_related = ("category", "tool_a", "tool_b", "author")
    search_fields = ("title", "subtitle", "summary", "slug", "tool_a__name", "tool_b__name")
    date_hierarchy = "published_at"
    prepopulated_fields = {"slug": ("title",)}
    autocomplete_fields = ("tool_a", "tool_b")
    readonly_fields = (
        "state",
        "published_at",
        "author",
        "reading_minutes",
        "created_at",
        "updated_at",
    )
    fieldsets = (
        (
            None,
            {
                "fields": (
                    "title",
                    "slug",
                    "subtitle",
                    "summary",
                    "category",
                    ("tool_a", "tool_b"),
                    "tags",
                )
            },
        ),
        ("Article", {"fields": ("body",)}),
        ("Publishing", {"fields": ("state", "published_at", "last_reviewed")}),
        (
            "Metadata",
            {
                "classes": ("collapse",),
                "fields": ("author", "reading_minutes", "created_at", "updated_at"),
            },
        ),
    )

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("tags")

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or workflow.can_edit(request.user, obj))

    def has_delete_permission(self, request, obj=None):
        allowed = super().has_delete_permission(request, obj)
        return allowed and (obj is None or workflow.can_edit(request.user, obj))

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        if request.method != "POST":
            return super().changeform_view(request, object_id, form_url, extra_context)
        # One revision per save: the comparison with its factors, verdict and tags.
        with reversion.create_revision():
            reversion.set_user(request.user)
            reversion.set_comment("Added." if object_id is None else "Edited.")
            response = super().changeform_view(request, object_id, form_url, extra_context)
        # A workflow button ("Save and publish") acts once the edits are saved.
        return self.apply_pending_workflow(request) or response

    def save_model(self, request, obj, form, change):
        if not change and obj.author_id is None:
            obj.author = request.user
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # Factors, verdict and tags are saved now: the sharing image can show the result.
        socialcards.refresh_card(form.instance)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        context.update(self.workflow_context(request, obj))
        if obj is not None:
            context["preview_url"] = reverse("comparisons:preview", args=[obj.slug])
            context["revisions_url"] = reverse(
                "admin:comparisons_comparison_revisions", args=[obj.pk]
            )
            context["feedback_count"] = obj.feedback.count()
            context["feedback_new"] = obj.feedback.filter(status=Feedback.Status.NEW).count()
            context["feedback_url"] = (
                reverse("admin:comparisons_feedback_changelist")
                + f"?comparison__id__exact={obj.pk}"
            )
        return super().render_change_form(request, context, add, change, form_url, obj)

    def view_on_site(self, obj):
        # Readers' address once it is live; until then the staff preview.
        if obj.is_published():
            return obj.get_absolute_url()
        return reverse("comparisons:preview", args=[obj.slug])

    @admin.display(description="State", ordering="status")
    def state(self, obj):
        return workflow.state_label(obj)

    @admin.display(description="Tags")
    def tag_list(self, obj):
        return ", ".join(tag.name for tag in obj.tags.all())
