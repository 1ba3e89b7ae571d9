"""
The workflow in the admin: buttons on the change page ("Save and publish now", …) and the same
moves as changelist actions. Both are read from `comparisons.workflow.TRANSITIONS`; the admin
asks `workflow.moves_for` which moves a user has and applies one with `workflow.apply`, which
refuses what the user may not do — so a hand-made POST publishes nothing either.
"""

from django import forms
from django.contrib import messages
from django.contrib.admin import helpers
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseNotAllowed, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse

from .. import workflow
from ..models import Comparison, Feedback

TIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"]


class WorkflowForm(forms.Form):
    """The note and the time that go with a move."""

    note = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "cols": 60}),
        help_text="Sent with a request for changes; kept in the workflow log. When publishing "
        "changes to a live article, it is the public change note readers see in its History.",
    )
    minor = forms.BooleanField(
        required=False,
        label="Minor fix",
        help_text="A typo or a link: published without a public change note or a new date.",
    )
    when = forms.DateTimeField(
        required=False,
        input_formats=TIME_FORMATS,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=TIME_FORMATS[0]),
        label="Publish at",
        error_messages={"invalid": "Enter a date and time, such as 2026-12-03 09:00."},
    )

    def __init__(self, *args, transition=None, **kwargs):
        super().__init__(*args, **kwargs)
        if transition is not None:
            self.fields["note"].required = transition.needs_note
            self.fields["when"].required = transition.needs_time


def _workflow_action(name):
    """A changelist action that makes the move `name` on each selected comparison."""
    transition = workflow.TRANSITIONS[name]

    def action(modeladmin, request, queryset):
        return modeladmin.run_on_each(request, queryset, name)

    action.__name__ = f"{name}_selected"
    suffix = "…" if transition.needs_note or transition.needs_time else ""
    action.short_description = f"{transition.label} — selected{suffix}"
    return action


def feedback_by_target(obj):
    """The article's readers' notes (spam left out), grouped by the part they dispute."""
    article = obj.draft_of if obj.is_pending_copy() else obj
    groups = {}
    notes = article.feedback.exclude(status=Feedback.Status.SPAM).prefetch_related("corrections")
    for note in notes.order_by("-created_at")[:200]:
        groups.setdefault(note.target_label(), []).append(note)
    return sorted(groups.items(), key=lambda group: (group[0] == "Not said", group[0]))


class WorkflowMixin:
    """Workflow buttons and changelist actions for `ComparisonAdmin`."""

    def has_publish_permission(self, request):
        return workflow.can_publish(request.user)

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path(
                "<path:object_id>/move/",
                wrap(self.move_view),
                name="comparisons_comparison_move",
            ),
            *super().get_urls(),
        ]

    def move_view(self, request, object_id):
        """
        A move without a save, for pages the user may read but not change (a writer
        withdrawing their submission): the buttons there post here.
        """
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        obj = self.get_object(request, object_id)
        if obj is None:
            raise Http404("No such comparison.")
        if not self.has_view_or_change_permission(request, obj):
            raise PermissionDenied
        return self.apply_pressed_move(request, obj)

    def get_actions(self, request):
        actions = super().get_actions(request)
        if not workflow.can_publish(request.user):
            # Bulk delete ignores per-object rules; writers delete their drafts one by one.
            actions.pop("delete_selected", None)
        for name, transition in workflow.TRANSITIONS.items():
            if not transition.bulk:
                continue
            # Offer a move to those who could ever make it; each object is checked again.
            if transition.who is workflow.editor and not workflow.can_publish(request.user):
                continue
            function = _workflow_action(name)
            actions[function.__name__] = (
                function,
                function.__name__,
                function.short_description,
            )
        return actions

    # The change page ---------------------------------------------------------------------

    def workflow_context(self, request, obj):
        moves = [workflow.TRANSITIONS[name] for name in workflow.moves_for(request.user, obj)]
        context = {
            "workflow_moves": moves,
            "workflow_form": WorkflowForm(prefix="workflow"),
            "workflow_state": workflow.state_label(obj) if obj else "New draft",
            "workflow_needs_time": any(move.needs_time for move in moves),
            "workflow_offers_minor": "publish_changes" in {move.name for move in moves},
            "reader_feedback": feedback_by_target(obj) if obj is not None else [],
        }
        if obj is not None:
            context["workflow_events"] = obj.events.select_related("actor")[:50]
            context["workflow_missing"] = workflow.missing_for_publishing(obj)
            if not self.has_change_permission(request, obj):
                # Nothing to save here: the buttons make the move alone.
                context["workflow_move_url"] = reverse(
                    "admin:comparisons_comparison_move", args=[obj.pk]
                )
        return context

    def response_add(self, request, obj, post_url_continue=None):
        return self.apply_pressed_move(request, obj) or super().response_add(
            request, obj, post_url_continue
        )

    def response_change(self, request, obj):
        return self.apply_pressed_move(request, obj) or super().response_change(request, obj)

    def apply_pressed_move(self, request, obj):
        """After a successful save: make the move whose button was pressed, then show the page."""
        name = request.POST.get("_workflow")
        if not name:
            return None
        transition = workflow.TRANSITIONS.get(name)
        form = WorkflowForm(request.POST, prefix="workflow", transition=transition)
        if transition is None:
            self.message_user(request, f"Unknown workflow action “{name}”.", messages.ERROR)
        elif not form.is_valid():
            for field, errors in form.errors.items():
                label = form.fields[field].label or field.capitalize()
                for error in errors:
                    message = f"{transition.label}: {label.lower()} — {error}"
                    self.message_user(request, message, messages.ERROR)
        else:
            data = form.cleaned_data
            corrects = [pk for pk in request.POST.getlist("workflow-corrects") if pk.isdigit()]
            event = self.run_move(
                request, obj, name, data["note"], data["when"], data["minor"], corrects
            )
            if (
                event is not None
                and event.comparison_id != obj.pk
                and not Comparison.objects.filter(pk=obj.pk).exists()
            ):
                obj = event.comparison  # the pending changes are gone: back to the article
        return HttpResponseRedirect(reverse("admin:comparisons_comparison_change", args=[obj.pk]))

    def run_move(self, request, obj, name, note="", when=None, minor=False, corrects=()):
        try:
            event = workflow.apply(name, obj, request.user, note, when, minor, corrects)
        except workflow.WorkflowError as error:
            self.message_user(request, str(error), messages.ERROR)
            return None
        self.message_user(request, workflow.describe(event, name), messages.SUCCESS)
        return event

    # Changelist actions ------------------------------------------------------------------

    def run_on_each(self, request, queryset, name):
        transition = workflow.TRANSITIONS[name]
        if not (transition.needs_note or transition.needs_time):
            for obj in queryset:
                self.run_move(request, obj, name)
            return None
        form = WorkflowForm(
            request.POST if "apply" in request.POST else None, transition=transition
        )
        if form.is_bound and form.is_valid():
            for obj in queryset:
                self.run_move(
                    request, obj, name, form.cleaned_data["note"], form.cleaned_data["when"]
                )
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": f"{transition.label}: {queryset.count()} comparison(s)",
            "opts": self.model._meta,
            "move": transition,
            "form": form,
            "queryset": queryset,
            "action_name": request.POST.get("action", ""),
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(
            request, "admin/comparisons/comparison/workflow_action.html", context
        )
