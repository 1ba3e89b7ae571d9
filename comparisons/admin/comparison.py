"""
A whole comparison on one admin page: fields, the Markdown body in the markdownx editor with
its live preview beside it, factor rows (dragged into order) and the verdict inline; workflow
buttons beside the save buttons, the workflow timeline and links to the preview and the
revisions. The writing tools themselves are in `editing.py`.

Writers change only their own drafts; `status` and `published_at` are never form fields — they
change only through `comparisons.workflow`. Saving a live article's page keeps the changes in
a pending copy (`save_as_pending`; see comparisons/pending.py): readers never see a save.
"""

from contextlib import contextmanager
from contextvars import ContextVar

import reversion
from django import forms
from django.contrib import admin, messages
from django.contrib.admin.options import csrf_protect_m
from django.contrib.admin.utils import unquote
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Exists, OuterRef, Prefetch, Subquery
from django.http import HttpResponseRedirect
from django.shortcuts import redirect
from django.urls import reverse

from .. import pending, search, socialcards, workflow
from ..loaded import attach, attach_tags
from ..models import Comparison, Factor, Feedback, TaggedComparison, Verdict, WorkflowEvent
from ..rendering import images_without_alt
from .editing import (
    ChoiceOfLoadedRow,
    FactorForm,
    FactorFormSet,
    KnownRowsFormSet,
    MarkdownEditor,
    TagInput,
    TagSuggestionsMixin,
    VerdictForm,
    name_the_edges,
    tool_names,
)
from .facts import warn_about_missing_facts
from .history import RevisionsMixin
from .lists import BoundedChangeList, BoundedListMixin, TaggedWithFilter
from .previews import PreviewLinksMixin
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


NEW_ARTICLE_ROWS = 8


class FactorInline(EditableOnlyByEditorsMixin, admin.TabularInline):
    """Rows headed by the tools' names; dragged (or moved with buttons) into order."""

    model = Factor
    form = FactorForm
    formset = FactorFormSet
    fields = ("name", "criterion", "value_a", "value_b", "edge", "position")
    extra = 0

    class Media:
        js = ("comparisons/vendor/Sortable-1.15.7.min.js", "comparisons/admin/factors.js")

    def get_extra(self, request, obj=None, **kwargs):
        # A new comparison starts with the rows a typical table has (empty rows are ignored);
        # "Add another" adds more.
        return NEW_ARTICLE_ROWS if obj is None else 0

    def get_formset(self, request, obj=None, **kwargs):
        # Meta labels head the columns of editable and read-only rows alike.
        names = tool_names(obj)
        kwargs["labels"] = {"value_a": names[0], "value_b": names[1]}
        formset = super().get_formset(request, obj, **kwargs)
        name_the_edges(formset.form, names)
        return formset


class VerdictInline(EditableOnlyByEditorsMixin, admin.StackedInline):
    model = Verdict
    form = VerdictForm
    formset = KnownRowsFormSet
    can_delete = False
    max_num = 1
    autocomplete_fields = ("consider_tool",)

    def has_add_permission(self, request, obj=None):
        # An article has one verdict: once it has it there is none to add, and Django's blank
        # form for "Add another" (hidden, for its script; a tenth of the page) is left out.
        # `has_verdict` is read with the article (`ComparisonAdmin.get_object`).
        if obj is not None and getattr(obj, "has_verdict", False):
            return False
        return super().has_add_permission(request, obj)

    fields = (
        "pick",
        "headline",
        "reason",
        ("use_a_if", "use_b_if"),
        ("consider_tool", "consider_note"),
        "bottom_line",
    )


# Foreign keys whose rows are read with the article (`ComparisonAdmin.get_queryset`).
LOADED_CHOICES = ("category", "tool_a", "tool_b")
# The comparison `changeform_view` has read, for the admin's own look-up of it to reuse.
_loaded = ContextVar("comparison_read_for_this_view", default=None)


class ComparisonAdminForm(forms.ModelForm):
    # The form's own tag field, not taggit's: taggit's reads the tags again for the form and
    # rewrites them on every save (ten queries), changed or not. These start from the tags
    # read with the article and are written only when they change (`_save_m2m`).
    tags = Comparison._meta.get_field("tags").formfield(widget=TagInput)

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
            "body",
            "last_reviewed",
            "version_a",
            "version_b",
        )
        widgets = {
            "body": MarkdownEditor,
            "summary": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            self.initial.setdefault("tags", list(self.instance.tags.all()))
        for name in LOADED_CHOICES:
            field = self.fields.get(name)
            if isinstance(field, ChoiceOfLoadedRow) and getattr(self.instance, f"{name}_id"):
                field.loaded = getattr(self.instance, name)

    def _get_validation_exclusions(self):
        exclude = super()._get_validation_exclusions()
        # The choice fields have just found these rows: the model's own check of each (an
        # EXISTS query) would ask again. It also leaves out the database's CHECK that the two
        # tools differ (a query in a savepoint), which `Comparison.clean` says first, in words.
        exclude.update(name for name in LOADED_CHOICES if name in self.cleaned_data)
        return exclude

    def _save_m2m(self):
        super()._save_m2m()
        names = self.cleaned_data["tags"]
        if set(names) == {tag.name for tag in self.instance.tags.all()}:
            return  # unchanged: nothing to write, and nothing for readers' pages to forget
        self.instance.tags.set(names)
        attach_tags(
            self.instance,
            TaggedComparison.objects.filter(content_object=self.instance).select_related("tag"),
        )


@admin.register(Comparison)
class ComparisonAdmin(
    BoundedListMixin,
    PreviewLinksMixin,
    TagSuggestionsMixin,
    RevisionsMixin,
    WorkflowMixin,
    admin.ModelAdmin,
):
    form = ComparisonAdminForm
    # The fieldsets show the form's own tag field (ComparisonAdminForm.tags); taggit's model
    # field stays out of the form, or it would read the tags for it again.
    exclude = ("tags",)
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
    list_filter = ("status", "category", "published_at", "author", TaggedWithFilter)
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
                    ("version_a", "version_b"),
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

    class Media:
        js = ("comparisons/admin/unsaved.js",)

    def get_queryset(self, request):
        pending_status = Comparison.objects.filter(draft_of=OuterRef("pk")).values("status")[:1]
        return (
            super()
            .get_queryset(request)
            .annotate(pending_status=Subquery(pending_status))
            .select_related("tool_a", "tool_b", "category")
            .prefetch_related("tags")
        )

    def get_object(self, request, object_id, from_field=None):
        loaded = _loaded.get()
        if loaded is not None and from_field is None and str(loaded.pk) == str(object_id):
            return loaded
        # The tags as tagged items too: the form, the revision and the search index use both.
        tagged = Prefetch("tagged_items", TaggedComparison.objects.select_related("tag"))
        queryset = (
            self.get_queryset(request)
            .prefetch_related(None)
            .prefetch_related(tagged)
            .annotate(has_verdict=Exists(Verdict.objects.filter(comparison=OuterRef("pk"))))
        )
        opts = Comparison._meta
        field = opts.pk if from_field is None else opts.get_field(from_field)
        try:
            obj = queryset.get(**{field.name: field.to_python(object_id)})
        except (Comparison.DoesNotExist, ValidationError, ValueError):
            return None
        attach_tags(obj, obj.tagged_items.all())
        return obj

    @contextmanager
    def reading_once(self, obj):
        """The admin's own look-up of `obj` (in `_changeform_view`) gets the object read here."""
        token = _loaded.set(obj)
        try:
            yield
        finally:
            _loaded.reset(token)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name in LOADED_CHOICES:
            kwargs.setdefault("form_class", ChoiceOfLoadedRow)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_changelist(self, request, **kwargs):
        return ArticleChangeList

    def get_search_results(self, request, queryset, search_term):
        # On PostgreSQL the site's own search index (title, subtitle, summary, tools, factors,
        # tags and body; words as prefixes) answers from its GIN index, where `search_fields`
        # would read every row's columns and both tools' names with LIKE '%…%'.
        if connection.vendor != "postgresql" or not search_term.strip():
            return super().get_search_results(request, queryset, search_term)
        return search.matching(queryset, search_term), False

    def get_readonly_fields(self, request, obj=None):
        fields = super().get_readonly_fields(request, obj)
        if obj is not None and (obj.is_pending_copy() or obj.status == Comparison.Status.PUBLISHED):
            # A live article's address never changes under its readers.
            return (*fields, "slug")
        return fields

    def get_prepopulated_fields(self, request, obj=None):
        if obj is not None and (obj.is_pending_copy() or obj.status == Comparison.Status.PUBLISHED):
            return {}
        return super().get_prepopulated_fields(request, obj)

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or workflow.can_edit(request.user, obj))

    def has_delete_permission(self, request, obj=None):
        allowed = super().has_delete_permission(request, obj)
        return allowed and (obj is None or workflow.can_edit(request.user, obj))

    @csrf_protect_m  # as the admin's own: a POST goes from here to `_changeform_view`
    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        live = self.get_object(request, unquote(object_id)) if object_id else None
        if live is not None and pending.is_live(live):
            if request.method == "POST":
                return self.save_as_pending(request, live, object_id, form_url, extra_context)
            copy = pending.copy_of(live)
            if copy is not None:
                self.message_user(
                    request,
                    "This article has pending changes: you are editing them. Readers see the "
                    "live version until an editor publishes them.",
                    messages.INFO,
                )
                return redirect("admin:comparisons_comparison_change", copy.pk)
        if request.method != "POST":
            with self.reading_once(live):
                return super().changeform_view(request, object_id, form_url, extra_context)
        # One transaction and one revision per save: the comparison with its factors, verdict
        # and tags (added once all are saved, by `save_related`), and the move of a "Save
        # and …" button (made in response_add/response_change) with them. The admin's own
        # changeform_view would open a second atomic block (a savepoint) inside this one.
        with (
            transaction.atomic(),
            reversion.create_revision(manage_manually=True, atomic=False),
            self.reading_once(live),
        ):
            reversion.set_user(request.user)
            reversion.set_comment("Added." if object_id is None else "Edited.")
            return self._changeform_view(request, object_id, form_url, extra_context)

    def save_as_pending(self, request, live, object_id, form_url, extra_context):
        """
        Saving a live article's page never changes what readers see: the form, its inlines and
        their checks run as for any save, inside a savepoint; what they saved is read back as
        content, the savepoint is rolled back, and the content goes into the pending copy.
        """
        with transaction.atomic():
            savepoint = transaction.savepoint()
            response = super().changeform_view(request, object_id, form_url, extra_context)
            if not isinstance(response, HttpResponseRedirect):
                transaction.savepoint_rollback(savepoint)
                return response  # errors beside their fields, the editor's text kept
            content = pending.content_of(Comparison.objects.get(pk=live.pk))
            transaction.savepoint_rollback(savepoint)
            copy = pending.copy_of(live)
            unchanged = not pending.differences(pending.content_of(live), content, live)
            if unchanged and copy is None:
                # Nothing to keep: a button pressed (unpublish, say) acts on the article.
                return self.apply_pressed_move(request, live) or redirect(
                    "admin:comparisons_comparison_change", live.pk
                )
            with reversion.create_revision():
                reversion.set_user(request.user)
                reversion.set_comment("Changes to the live article.")
                copy = pending.start(live, request.user, content)
            if copy.created_now:
                WorkflowEvent.objects.create(
                    comparison=live,
                    action=WorkflowEvent.Action.CHANGES_STARTED,
                    actor=request.user,
                    from_status=live.status,
                    to_status=live.status,
                )
        moved = self.apply_pressed_move(request, copy)
        if moved is not None:
            return moved
        self.message_user(
            request,
            f"Your changes to “{copy.title}” are saved as pending changes. Readers see the "
            "live version until an editor publishes them.",
            messages.SUCCESS,
        )
        return redirect("admin:comparisons_comparison_change", copy.pk)

    def response_change(self, request, obj):
        if pending.is_live(obj):
            # Inside save_as_pending's savepoint: it takes it from here.
            return HttpResponseRedirect(reverse("admin:comparisons_comparison_changelist"))
        return super().response_change(request, obj)

    def save_model(self, request, obj, form, change):
        if not change and obj.author_id is None:
            obj.author = request.user
        super().save_model(request, obj, form, change)
        self.warn_about_images_without_alt(request, obj)

    def warn_about_images_without_alt(self, request, obj):
        """A warning, not an error: the text is saved, the writer is told what to add."""
        missing = images_without_alt(obj.body)
        if missing:
            messages.warning(
                request,
                f"{len(missing)} image{'s' if len(missing) > 1 else ''} in the body "
                f"{'have' if len(missing) > 1 else 'has'} no description (alt text): "
                f"{', '.join(missing)}. Readers who cannot see an image only get its "
                "description: write what it shows between the brackets, "
                "![like this](address).",
            )

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        comparison = form.instance
        factors = saved_rows(formsets, Factor)
        if factors is not None:
            attach(comparison, "factors", factors)
        if reversion.is_active():
            # Everything is saved: the comparison joins the revision with the factors,
            # verdict and tags it now carries (see changeform_view).
            reversion.add_to_revision(comparison)
        if not pending.is_live(comparison):
            # Factors, verdict and tags are saved now: the search index is built from them as
            # saved (not read back after the commit), and the sharing image can show the result.
            # (A live article's save is rolled back into its pending changes: neither.)
            if factors is not None:
                tags = [tag.name for tag in comparison.tags.all()]
                search.refresh(comparison, factors, tags)
            socialcards.refresh_card(comparison)
        warn_about_missing_facts(request, comparison, factors)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        context.update(self.workflow_context(request, obj))
        if obj is not None and obj.is_pending_copy():
            context["live"] = obj.draft_of
            context["pending_differences"] = pending.differences(
                pending.content_of(obj.draft_of), pending.content_of(obj), obj.draft_of
            )
        elif obj is not None and pending.is_live(obj):
            context["editing_live"] = True
        if obj is not None:
            article = obj.draft_of if obj.is_pending_copy() else obj
            context["preview_url"] = reverse("comparisons:preview", args=[article.slug])
            context["revisions_url"] = reverse(
                "admin:comparisons_comparison_revisions", args=[article.pk]
            )
            context["feedback_count"] = article.feedback.count()
            context["feedback_new"] = article.feedback.filter(status=Feedback.Status.NEW).count()
            context["feedback_url"] = (
                reverse("admin:comparisons_feedback_changelist")
                + f"?comparison__id__exact={article.pk}"
            )
        return super().render_change_form(request, context, add, change, form_url, obj)

    def view_on_site(self, obj):
        # Readers' address once it is live; until then (and for pending changes) the preview.
        if obj.is_pending_copy():
            return reverse("comparisons:preview", args=[obj.draft_of.slug])
        if obj.is_published():
            return obj.get_absolute_url()
        return reverse("comparisons:preview", args=[obj.slug])

    @admin.display(description="State", ordering="status")
    def state(self, obj):
        status = getattr(obj, "pending_status", None)
        if status and obj.is_published():
            review = status == Comparison.Status.REVIEW
            return "Live · changes in review" if review else "Live · changes pending"
        return workflow.state_label(obj)

    @admin.display(description="Tags")
    def tag_list(self, obj):
        return ", ".join(obj.tag_names)  # read for the whole page by ArticleChangeList


def saved_rows(formsets, model):
    """The rows of `model`'s inline as saved: deleted ones gone, new ones in, in table order."""
    for formset in formsets:
        if formset.model is model:
            rows = [form.instance for form in formset.forms if form.instance.pk is not None]
            return sorted(rows, key=lambda row: (row.position, row.pk))
    return None


class ArticleChangeList(BoundedChangeList):
    """
    The list of articles: a pending copy shows as its article's state, not as a row. The
    rows leave out the text no column shows (the body, its HTML and the search index), and
    the page's tags are read as names in one query: a prefetch still builds a manager and a
    queryset per row to hand them over.
    """

    def get_queryset(self, request, exclude_parameters=None):
        return (
            super()
            .get_queryset(request, exclude_parameters)
            .filter(draft_of__isnull=True)
            .defer("body", "body_html", "search_document", "search_vector")
            .prefetch_related(None)
        )

    def get_results(self, request):
        super().get_results(request)
        rows = list(self.result_list)
        names = {row.pk: [] for row in rows}
        tagged = (
            TaggedComparison.objects.filter(content_object_id__in=names)
            .order_by("tag__name")
            .values_list("content_object_id", "tag__name")
        )
        for pk, name in tagged:
            names[pk].append(name)
        for row in rows:
            row.tag_names = names[row.pk]
        self.result_list = rows
