"""
Admin for the facts kept once and used everywhere: criteria (editors) and tool facts (inline on
the tool's page, and a list of every fact for the stale ones).

- A fact's value is checked against its criterion's kind (text, yes or no, a level of a scale)
  and saved in the criterion's spelling.
- Facts follow the tool rule (`catalog.in_use`): once a live article shows a tool, only editors
  change its facts.
- Saving a fact change that alters published articles' tables asks first: the page lists
  those articles and saves only once the editor ticks “Yes, change these articles”. After the
  save each live article goes to `facts.record_fact_change` (the public history's hook) and the
  editor is told which changed.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.forms.models import BaseInlineFormSet
from django.utils import timezone
from django.utils.html import format_html

from .. import facts, invalidation, workflow
from ..models import Criterion, ToolFact
from .editing import plain_select


def may_change_facts_of(user, tool):
    """Editors change any tool's facts; writers those of tools no live article shows yet."""
    from .catalog import in_use

    return tool is None or tool.pk is None or workflow.can_publish(user) or not in_use(tool)


def _criterion_choices():
    """The criterion select's choices, read once for every row of a page."""
    return [("", "---------")] + [(c.pk, str(c)) for c in Criterion.objects.all()]


def _confirmation_error(confirmation):
    count = len(confirmation.comparisons)
    return ValidationError(
        "Saving changes what readers see in %(count)s published article%(plural)s: "
        "%(titles)s. Check the list beside the Save buttons, tick “Yes, change these "
        "articles” and save again.",
        code="confirm_fact_changes",
        params={
            "count": count,
            "plural": "" if count == 1 else "s",
            "titles": ", ".join(f"“{c.title}”" for c in confirmation.comparisons),
        },
    )


def _confirmed(data, confirmation):
    return data.get(facts.CONFIRM_FIELD) == confirmation.token


def tell_what_changed(request, recorded):
    """The message after a save: which live articles the fact changes altered."""
    if not recorded:
        return
    by_title = {}
    for comparison, description in recorded:
        by_title.setdefault(comparison.title, []).append(description)
    messages.info(
        request,
        f"Changed {len(by_title)} published article{'s' if len(by_title) != 1 else ''}: "
        + "; ".join(f"“{title}” ({', '.join(lines)})" for title, lines in by_title.items()),
    )


def warn_about_missing_facts(request, comparison, rows=None):
    """After a comparison's save: rows from facts that a tool has no fact for yet."""
    missing = facts.missing_facts(comparison, rows)
    if missing:
        messages.warning(
            request,
            "Readers see “Not recorded” where a tool has no fact yet: "
            + "; ".join(missing)
            + ". Add the facts on the tools' pages.",
        )


@admin.register(Criterion)
class CriterionAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "kind", "level_summary", "position", "fact_count", "row_count")
    list_editable = ("position",)
    list_filter = ("kind",)
    search_fields = ("name", "slug", "description")
    prepopulated_fields = {"slug": ("name",)}
    fields = ("name", "slug", "description", "kind", "levels", "position")

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                fact_total=Count("facts", distinct=True), row_total=Count("factors", distinct=True)
            )
        )

    @admin.display(description="Levels")
    def level_summary(self, obj):
        return " < ".join(obj.level_list()) or "—"

    @admin.display(description="Facts", ordering="fact_total")
    def fact_count(self, obj):
        return obj.fact_total

    @admin.display(description="Article rows", ordering="row_total")
    def row_count(self, obj):
        return obj.row_total

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change and "name" in form.changed_data:
            facts.rename_rows(obj)


class ToolFactForm(forms.ModelForm):
    source_url = forms.URLField(
        label="Source",
        required=False,
        max_length=500,
        assume_scheme="https",
        widget=forms.URLInput(attrs={"size": 30}),
        help_text=ToolFact._meta.get_field("source_url").help_text,
    )

    class Meta:
        model = ToolFact
        fields = ("tool", "criterion", "value", "version", "source_url", "checked_on")
        widgets = {
            "value": forms.TextInput(attrs={"size": 28}),
            "version": forms.TextInput(attrs={"size": 8}),
        }

    def change(self, tool=None):
        """The FactChanges this form makes (none for an unchanged or new-and-empty row)."""
        tool = tool or self.instance.tool
        old_criterion_pk = self.initial.get("criterion") if self.instance.pk else None
        old_value = self.initial.get("value") if self.instance.pk else None
        new_criterion = self.instance.criterion if self.instance.criterion_id else None
        new_value = self.instance.value if new_criterion is not None else None
        old_tool_pk = self.initial.get("tool", tool.pk) if self.instance.pk else tool.pk
        if old_criterion_pk is not None and old_tool_pk != tool.pk:
            # Moved to another tool: gone from the old one, new on this one.
            old_tool = type(tool).objects.get(pk=old_tool_pk)
            gone = facts.FactChange(
                old_tool, Criterion.objects.get(pk=old_criterion_pk), old_value, None
            )
            return [gone, facts.FactChange(tool, new_criterion, None, new_value)]
        if old_criterion_pk is None:
            return [facts.FactChange(tool, new_criterion, None, new_value)] if new_criterion else []
        old_criterion = (
            new_criterion
            if new_criterion is not None and new_criterion.pk == old_criterion_pk
            else Criterion.objects.get(pk=old_criterion_pk)
        )
        if old_criterion == new_criterion:
            return [facts.FactChange(tool, new_criterion, old_value, new_value)]
        changes = [facts.FactChange(tool, old_criterion, old_value, None)]
        if new_criterion is not None:
            changes.append(facts.FactChange(tool, new_criterion, None, new_value))
        return changes


class ToolFactFormSet(BaseInlineFormSet):
    """A tool's facts; changes that alter published articles wait for the editor's yes."""

    fact_changes = ()
    confirmation = None

    def add_fields(self, form, index):
        super().add_fields(form, index)
        if not hasattr(self, "_choices"):
            self._choices = _criterion_choices()
        form.fields["criterion"].choices = self._choices
        plain_select(form.fields["criterion"])

    def clean(self):
        super().clean()
        if any(self.errors) or self.instance.pk is None:
            return
        changes = []
        for form in self.forms:
            if not hasattr(form, "cleaned_data"):
                continue
            if form in self.deleted_forms:
                if form.instance.pk:
                    changes.append(
                        facts.FactChange(
                            self.instance,
                            Criterion.objects.get(pk=form.initial["criterion"]),
                            form.initial["value"],
                            None,
                        )
                    )
            elif form.has_changed():
                changes.extend(form.change(tool=self.instance))
        self.fact_changes = changes
        self.confirmation = facts.confirmation_for(changes)
        if self.confirmation and not _confirmed(self.data, self.confirmation):
            raise _confirmation_error(self.confirmation)


class ToolFactInline(admin.TabularInline):
    """The tool's facts, one row per criterion."""

    model = ToolFact
    form = ToolFactForm
    formset = ToolFactFormSet
    fields = ("criterion", "value", "version", "source_url", "checked_on")
    extra = 1

    def has_add_permission(self, request, obj=None):
        return super().has_add_permission(request, obj) and may_change_facts_of(request.user, obj)

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and may_change_facts_of(request.user, obj)

    def has_delete_permission(self, request, obj=None):
        allowed = super().has_delete_permission(request, obj)
        return allowed and may_change_facts_of(request.user, obj)


class FactsOfToolMixin:
    """For the tool's admin: the facts inline, its confirmation, and what the save changed."""

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        for inline in context.get("inline_admin_formsets", ()):
            confirmation = getattr(inline.formset, "confirmation", None)
            if confirmation:
                context["fact_confirmation"] = confirmation
        return super().render_change_form(request, context, add, change, form_url, obj)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        changes = [c for formset in formsets for c in getattr(formset, "fact_changes", ())]
        tell_what_changed(request, facts.record_fact_changes(changes, request.user))


class StaleFilter(admin.SimpleListFilter):
    title = "checked"
    parameter_name = "stale"

    def lookups(self, request, model_admin):
        return (("yes", "Longer ago than the stale setting"), ("no", "Recently"))

    def queryset(self, request, queryset):
        stale = ToolFact.objects.stale().values("pk")
        if self.value() == "yes":
            return queryset.filter(pk__in=stale)
        if self.value() == "no":
            return queryset.exclude(pk__in=stale)
        return queryset


class ToolFactAdminForm(ToolFactForm):
    """A fact's own page: the same check before a change alters published articles."""

    confirmation = None
    fact_changes = ()

    def _post_clean(self):
        # After the model's own clean: the value is checked and in the criterion's spelling.
        super()._post_clean()
        if self.errors or not self.instance.tool_id or not self.has_changed():
            return
        self.fact_changes = self.change()
        self.confirmation = facts.confirmation_for(self.fact_changes)
        if self.confirmation and not _confirmed(self.data, self.confirmation):
            self.add_error(None, _confirmation_error(self.confirmation))


@admin.register(ToolFact)
class ToolFactAdmin(admin.ModelAdmin):
    """Every fact: find the stale ones, check them, mark them checked."""

    form = ToolFactAdminForm
    change_form_template = "admin/comparisons/fact_change_form.html"
    delete_confirmation_template = "admin/comparisons/toolfact/delete_confirmation.html"
    list_display = ("tool", "criterion", "value", "version", "checked_on", "stale", "source")
    list_filter = (StaleFilter, "criterion")
    list_select_related = ("tool", "criterion")
    search_fields = ("tool__name", "criterion__name", "value", "version")
    autocomplete_fields = ("tool",)
    date_hierarchy = "checked_on"
    actions = ("mark_checked_today",)

    @admin.display(description="Stale", boolean=True)
    def stale(self, obj):
        return obj.is_stale()

    @admin.display(description="Source")
    def source(self, obj):
        if not obj.source_url:
            return "—"
        return format_html('<a href="{}" rel="nofollow noopener">link</a>', obj.source_url)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        form.base_fields["criterion"].choices = _criterion_choices()
        plain_select(form.base_fields["criterion"])
        return form

    def get_actions(self, request):
        # Deleting goes one fact at a time, through the page that lists the articles it changes.
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    def has_add_permission(self, request):
        # Writers add facts on the tool's page, where the tool rule is applied.
        return super().has_add_permission(request) and workflow.can_publish(request.user)

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or may_change_facts_of(request.user, obj.tool))

    def has_delete_permission(self, request, obj=None):
        allowed = super().has_delete_permission(request, obj)
        return allowed and (obj is None or may_change_facts_of(request.user, obj.tool))

    def has_publish_permission(self, request):
        return workflow.can_publish(request.user)

    @admin.action(description="Mark as checked today", permissions=("publish",))
    def mark_checked_today(self, request, queryset):
        tool_ids = set(queryset.values_list("tool_id", flat=True))
        count = queryset.update(checked_on=timezone.localdate())
        invalidation.touch(*(invalidation.facts(pk) for pk in tool_ids))  # update() sends no signal
        self.message_user(
            request, f"{count} fact{'s' if count != 1 else ''} marked as checked today."
        )

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        confirmation = getattr(context["adminform"].form, "confirmation", None)
        if confirmation:
            context["fact_confirmation"] = confirmation
        return super().render_change_form(request, context, add, change, form_url, obj)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        changes = getattr(form, "fact_changes", ())
        tell_what_changed(request, facts.record_fact_changes(changes, request.user))

    def render_delete_form(self, request, context):
        obj = context.get("object")
        if obj is not None:
            context["fact_confirmation"] = facts.confirmation_for(
                [facts.FactChange(obj.tool, obj.criterion, obj.value, None)]
            )
        return super().render_delete_form(request, context)

    def delete_model(self, request, obj):
        change = facts.FactChange(obj.tool, obj.criterion, obj.value, None)
        super().delete_model(request, obj)
        tell_what_changed(request, facts.record_fact_changes([change], request.user))
