"""
The workflow in the admin: buttons on the change page ("Save and publish", "Schedule", …) and
the same moves as changelist actions. Every move goes through `comparisons.workflow`, which
refuses what the user may not do, so a hand-made POST publishes nothing either.
"""

from dataclasses import dataclass

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse

from .. import workflow
from ..models import Comparison

Status = Comparison.Status


@dataclass(frozen=True)
class Move:
    name: str
    label: str
    needs_note: bool = False
    needs_time: bool = False
    style: str = ""

    def run(self, obj, user, note="", when=None):
        if self.name == "submit":
            return workflow.submit(obj, user, note)
        if self.name == "publish":
            return workflow.publish(obj, user, note)
        if self.name == "schedule":
            return workflow.schedule(obj, user, when, note)
        if self.name == "request_changes":
            return workflow.request_changes(obj, user, note)
        if self.name in ("unpublish", "to_draft"):
            return workflow.unpublish(obj, user, archive=False, note=note)
        if self.name == "archive":
            return workflow.unpublish(obj, user, archive=True, note=note)
        if self.name == "reviewed":
            return workflow.mark_reviewed(obj, user, note)
        raise workflow.WorkflowError(f"Unknown workflow action “{self.name}”.")


MOVES = {
    move.name: move
    for move in (
        Move("submit", "Submit for review"),
        Move("publish", "Publish now", style="default"),
        Move("schedule", "Schedule", needs_time=True),
        Move("request_changes", "Request changes", needs_note=True),
        Move("unpublish", "Unpublish (back to draft)"),
        Move("to_draft", "Back to draft"),
        Move("archive", "Archive"),
        Move("reviewed", "Mark facts reviewed today"),
    )
}

TIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"]


def available_moves(user, obj):
    """The buttons this user sees for this comparison (the server checks again on POST)."""
    status = obj.status if obj is not None else Status.DRAFT
    editor = workflow.can_publish(user)
    scheduled = obj is not None and workflow.is_scheduled(obj)
    names = []
    if status == Status.DRAFT and (editor or obj is None or workflow.can_submit(user, obj)):
        names.append("submit")
    if editor:
        if status in (Status.DRAFT, Status.REVIEW) or scheduled:
            names += ["publish", "schedule"]
        if status == Status.REVIEW:
            names.append("request_changes")
        if status == Status.PUBLISHED:
            names += ["unpublish", "archive"]
        if status == Status.ARCHIVED:
            names.append("to_draft")
        if obj is not None and obj.is_published():
            names.append("reviewed")
    return [MOVES[name] for name in names]


class WorkflowForm(forms.Form):
    """The note and the time that go with a move."""

    note = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "cols": 60}),
        help_text="Sent with a request for changes; kept in the workflow log.",
    )
    when = forms.DateTimeField(
        required=False,
        input_formats=TIME_FORMATS,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=TIME_FORMATS[0]),
        label="Publish at",
        error_messages={"invalid": "Enter a date and time, such as 2026-12-03 09:00."},
    )

    def __init__(self, *args, move=None, **kwargs):
        super().__init__(*args, **kwargs)
        if move is not None:
            self.fields["note"].required = move.needs_note
            self.fields["when"].required = move.needs_time


class WorkflowMixin:
    """Workflow buttons and changelist actions for `ComparisonAdmin`."""

    actions = (
        "submit_selected",
        "publish_selected",
        "schedule_selected",
        "request_changes_selected",
        "unpublish_selected",
        "archive_selected",
        "mark_reviewed_selected",
    )

    def has_publish_permission(self, request):
        return workflow.can_publish(request.user)

    def get_actions(self, request):
        actions = super().get_actions(request)
        if not workflow.can_publish(request.user):
            # Bulk delete ignores per-object rules; writers delete their drafts one by one.
            actions.pop("delete_selected", None)
        return actions

    # The change page ---------------------------------------------------------------------

    def workflow_context(self, request, obj):
        context = {
            "workflow_moves": available_moves(request.user, obj),
            "workflow_form": WorkflowForm(prefix="workflow"),
            "workflow_state": workflow.state_label(obj) if obj else "New draft",
        }
        if obj is not None:
            context["workflow_events"] = obj.events.select_related("actor")[:50]
            context["workflow_missing"] = workflow.missing_for_publishing(obj)
        return context

    def response_add(self, request, obj, post_url_continue=None):
        request._workflow_obj = obj
        return super().response_add(request, obj, post_url_continue)

    def response_change(self, request, obj):
        request._workflow_obj = obj
        return super().response_change(request, obj)

    def apply_pending_workflow(self, request):
        """After a successful save: run the move whose button was pressed, then show the page."""
        name = request.POST.get("_workflow")
        obj = getattr(request, "_workflow_obj", None)
        if not name or obj is None:
            return None
        move = MOVES.get(name)
        form = WorkflowForm(request.POST, prefix="workflow", move=move)
        if move is None:
            self.message_user(request, f"Unknown workflow action “{name}”.", messages.ERROR)
        elif not form.is_valid():
            for field, errors in form.errors.items():
                label = form.fields[field].label or field.capitalize()
                for error in errors:
                    message = f"{move.label}: {label.lower()} — {error}"
                    self.message_user(request, message, messages.ERROR)
        else:
            self.run_move(request, obj, move, form.cleaned_data["note"], form.cleaned_data["when"])
        return redirect(reverse("admin:comparisons_comparison_change", args=[obj.pk]))

    def run_move(self, request, obj, move, note="", when=None):
        try:
            event = move.run(obj, request.user, note, when)
        except workflow.WorkflowError as error:
            self.message_user(request, str(error), messages.ERROR)
            return None
        self.message_user(request, workflow.describe(event), messages.SUCCESS)
        return event

    # Changelist actions ------------------------------------------------------------------

    def _run_on_each(self, request, queryset, name):
        move = MOVES[name]
        if not (move.needs_note or move.needs_time):
            for obj in queryset:
                self.run_move(request, obj, move)
            return None
        form = WorkflowForm(request.POST if "apply" in request.POST else None, move=move)
        if form.is_bound and form.is_valid():
            for obj in queryset:
                self.run_move(
                    request, obj, move, form.cleaned_data["note"], form.cleaned_data["when"]
                )
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": f"{move.label}: {queryset.count()} comparison(s)",
            "opts": self.model._meta,
            "move": move,
            "form": form,
            "queryset": queryset,
            "action_name": request.POST.get("action", ""),
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(
            request, "admin/comparisons/comparison/workflow_action.html", context
        )

    @admin.action(description="Submit selected for review", permissions=["change"])
    def submit_selected(self, request, queryset):
        return self._run_on_each(request, queryset, "submit")

    @admin.action(description="Publish selected now", permissions=["publish"])
    def publish_selected(self, request, queryset):
        return self._run_on_each(request, queryset, "publish")

    @admin.action(description="Schedule selected…", permissions=["publish"])
    def schedule_selected(self, request, queryset):
        return self._run_on_each(request, queryset, "schedule")

    @admin.action(description="Request changes on selected…", permissions=["publish"])
    def request_changes_selected(self, request, queryset):
        return self._run_on_each(request, queryset, "request_changes")

    @admin.action(description="Unpublish selected (back to draft)", permissions=["publish"])
    def unpublish_selected(self, request, queryset):
        return self._run_on_each(request, queryset, "unpublish")

    @admin.action(description="Archive selected", permissions=["publish"])
    def archive_selected(self, request, queryset):
        return self._run_on_each(request, queryset, "archive")

    @admin.action(description="Mark selected as reviewed today", permissions=["publish"])
    def mark_reviewed_selected(self, request, queryset):
        return self._run_on_each(request, queryset, "reviewed")
