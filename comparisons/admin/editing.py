"""
The writing tools of the comparison change page.

- The Markdown editor (markdownx) with its live preview beside it, wearing the readers'
  stylesheet; uploads ask for alt text (`editor.js`).
- The tag input: plain comma-separated text that suggests existing tags as one types
  (`tags.js`, fed by the staff-only `TagSuggestionsMixin` endpoint).
- Factor rows: the tools' names as column headers, values wide enough to read, rows reordered
  by dragging or with up/down buttons (`factors.js`); `position` stays a hidden field. A row
  may take its name and values from the tools' facts (its criterion); their current facts
  show as placeholders.
- A warning before leaving the page with unsaved changes (`unsaved.js`).

Strict CSP: every script and style is a static file; nothing inline.
"""

from django import forms
from django.contrib.admin.widgets import RelatedFieldWidgetWrapper
from django.core.exceptions import PermissionDenied
from django.db.models import Case, Count, IntegerField, Max, Value, When
from django.db.models.functions import Coalesce
from django.forms.models import BaseInlineFormSet
from django.http import JsonResponse
from django.templatetags.static import static
from django.urls import path, reverse
from django.utils.functional import lazy
from markdownx.widgets import AdminMarkdownxWidget
from taggit.forms import TagWidget
from taggit.models import Tag

SUGGESTIONS = 10
LONGEST_QUERY = 100


class MarkdownEditor(AdminMarkdownxWidget):
    """markdownx's editor; its preview is drawn with the article's own CSS, isolated."""

    # Loaded inside the preview's shadow root, in this order: the preview's reset, then
    # the readers' stylesheet (its `:host` rule gives the preview the article's type).
    PREVIEW_STYLESHEETS = ("comparisons/admin/preview.css", "comparisons/site.css")

    def get_context(self, name, value, attrs=None):
        attrs = {
            **(attrs or {}),
            "data-preview-css": " ".join(static(path) for path in self.PREVIEW_STYLESHEETS),
        }
        return super().get_context(name, value, attrs)

    class Media:
        js = ("comparisons/admin/editor.js",)


class TagInput(TagWidget):
    """Comma-separated tags as ever; with JavaScript, existing tags are suggested."""

    def get_context(self, name, value, attrs=None):
        attrs = {
            **(attrs or {}),
            "data-suggest-url": reverse("admin:comparisons_comparison_tag_suggestions"),
            "autocomplete": "off",
        }
        return super().get_context(name, value, attrs)

    class Media:
        js = ("comparisons/admin/tags.js",)


def tag_suggestions(query, limit=SUGGESTIONS):
    """Existing tags matching `query`: names that start with it first, then the most used."""
    query = query.replace("\x00", "").strip()[:LONGEST_QUERY]
    tags = Tag.objects.annotate(uses=Count("comparisons_taggedcomparison_items"))
    if query:
        tags = tags.filter(name__icontains=query).annotate(
            rank=Case(
                When(name__istartswith=query, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            )
        )
    else:
        tags = tags.annotate(rank=Value(0, output_field=IntegerField()))
    return [
        {"name": tag.name, "uses": tag.uses}
        for tag in tags.order_by("rank", "-uses", "name")[:limit]
    ]


class TagSuggestionsMixin:
    """`…/comparison/tags/suggest/?q=py`: existing tags as JSON, for staff who edit comparisons."""

    def get_urls(self):
        return [
            path(
                "tags/suggest/",
                self.admin_site.admin_view(self.tag_suggestions_view),
                name="comparisons_comparison_tag_suggestions",
            ),
            *super().get_urls(),
        ]

    def tag_suggestions_view(self, request):
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        return JsonResponse({"tags": tag_suggestions(request.GET.get("q", ""))})


class ChoiceOfLoadedRow(forms.ModelChoiceField):
    """
    A foreign key's choice that knows the row its object points to now, read with the object
    (`loaded`): posted unchanged, the choice is that row, with no query; any other choice is
    looked up as usual.
    """

    loaded = None

    def to_python(self, value):
        loaded = self.loaded
        key = self.to_field_name or "pk"
        if loaded is not None and str(value) == str(getattr(loaded, key)):
            return loaded
        return super().to_python(value)


class VerdictForm(forms.ModelForm):
    def validate_unique(self):
        # A verdict already saved is its comparison's one verdict (the inline fixes which
        # comparison): asking the database whether another row holds that comparison is a
        # query that can only say no. A new verdict is checked as ever.
        if self.instance._state.adding:
            super().validate_unique()


class FactorForm(forms.ModelForm):
    class Meta:
        widgets = {
            "position": forms.HiddenInput,
            "value_a": forms.Textarea(attrs={"rows": 2}),
            "value_b": forms.Textarea(attrs={"rows": 2}),
        }

    def has_changed(self):
        # The page numbers every row, blank new ones too: a number alone is not a new factor.
        if self.instance.pk is None:
            return any(name != "position" for name in self.changed_data)
        return super().has_changed()

    def _one_line(self, name):
        # Textareas leave room to read a value; a table cell holds one line of it.
        return " ".join(self.cleaned_data[name].split())

    def clean_value_a(self):
        return self._one_line("value_a")

    def clean_value_b(self):
        return self._one_line("value_b")


class RowOfThisFormSet(forms.ModelChoiceField):
    """
    The hidden id of a row, found among the rows the formset has already read: Django's own
    field asks the database once per row (8 factors, 8 queries) for what it already holds.
    """

    def __init__(self, formset, *args, **kwargs):
        self.formset = formset
        super().__init__(*args, **kwargs)

    def to_python(self, value):
        if value in self.empty_values:
            return None
        try:
            row = self.formset._existing_object(int(value))
        except (TypeError, ValueError):
            row = None
        if row is None:
            raise forms.ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice"
            )
        return row


class KnownRowsFormSet(BaseInlineFormSet):
    """An inline whose rows' hidden ids are checked against the rows it has already read."""

    def _construct_form(self, i, **kwargs):
        form = super()._construct_form(i, **kwargs)
        # A row's parent is this formset's instance: naming the row (the stacked inline's
        # heading, "Verdict on …") reads no comparison again.
        parent = self.instance
        if parent.pk is not None and getattr(form.instance, self.fk.attname) == parent.pk:
            self.fk.set_cached_value(form.instance, parent)
        return form

    def add_fields(self, form, index):
        super().add_fields(form, index)
        name = self._pk_field.name
        field = form.fields.get(name)
        if type(field) is forms.ModelChoiceField:
            # The row's own id, checked against the rows already loaded: no query per row.
            form.fields[name] = RowOfThisFormSet(
                self,
                field.queryset,
                initial=field.initial,
                required=False,
                widget=field.widget,
            )


class FactorFormSet(KnownRowsFormSet):
    """
    Rows keep the order the page sends; a new row with no position goes last. A row from
    facts shows the tools' current facts as its values' placeholders.

    The criteria offered and the tools' facts are read only when the page is drawn: a save
    that succeeds redirects without ever showing them.
    """

    _criteria = _facts = None

    def add_fields(self, form, index):
        super().add_fields(form, index)
        form.fields["criterion"].choices = self.criterion_choices  # a callable: read if drawn
        plain_select(form.fields["criterion"])
        criterion_id = form.instance.criterion_id
        if criterion_id:
            for side in ("a", "b"):
                tool_id = getattr(self.instance, f"tool_{side}_id")
                form.fields[f"value_{side}"].widget.attrs["placeholder"] = lazy_placeholder(
                    self, tool_id, criterion_id
                )

    def criterion_choices(self):
        if self._criteria is None:
            from ..models import Criterion

            self._criteria = [("", "— (free text)")] + [
                (criterion.pk, str(criterion)) for criterion in Criterion.objects.all()
            ]
        return self._criteria

    def fact_placeholder(self, tool_id, criterion_id):
        if self._facts is None:
            from ..models import ToolFact

            tools = [pk for pk in (self.instance.tool_a_id, self.instance.tool_b_id) if pk]
            self._facts = {
                (tool, criterion): value
                for tool, criterion, value in ToolFact.objects.filter(
                    tool_id__in=tools
                ).values_list("tool_id", "criterion_id", "value")
            }
        value = self._facts.get((tool_id, criterion_id))
        return f"From facts: {value}" if value else "No fact recorded for this tool yet"

    def save_new(self, form, commit=True):
        if not form.instance.position:
            # Without JavaScript nothing numbers new rows: put them after the others.
            last = self.instance.factors.aggregate(last=Coalesce(Max("position"), 0))["last"]
            form.instance.position = last + 1
        return super().save_new(form, commit=commit)


lazy_placeholder = lazy(FactorFormSet.fact_placeholder, str)


def plain_select(field):
    """
    A foreign key's select alone, without the admin's wrapper and its add/change/delete/view
    icons (a template render and four permission checks a row).
    """
    if isinstance(field.widget, RelatedFieldWidgetWrapper):
        field.widget = field.widget.widget


def tool_names(comparison):
    """What to call the two sides: the tools' names once they are chosen."""
    tool_a = comparison.tool_a if comparison is not None and comparison.tool_a_id else None
    tool_b = comparison.tool_b if comparison is not None and comparison.tool_b_id else None
    return (tool_a.name if tool_a else "Tool A", tool_b.name if tool_b else "Tool B")


def name_the_edges(form_class, names):
    """The "edge" choices of a factor form say the tools' names instead of "Tool A/B"."""
    field = form_class.base_fields["edge"]  # a fresh form class per request: safe to change
    by_side = dict(zip(("a", "b"), names, strict=True))
    field.choices = [(value, by_side.get(value, label)) for value, label in field.choices]
