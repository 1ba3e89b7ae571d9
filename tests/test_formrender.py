"""
The form renderer draws Django's plainest widgets in Python: to the character what Django's
templates draw, for every kind of widget and value the site's forms use (and the awkward ones:
markup in values, safe strings, True/False attributes, groups of options).
"""

import datetime
from pathlib import Path

import django.forms
import pytest
from django import forms
from django.forms.renderers import DjangoTemplates
from django.forms.utils import ErrorList
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy

from comparisons.formrender import Renderer

ODD = 'Tom & "Jerry" <b>\'s</b>'
ATTRS = {"class": "vTextField", "required": True, "disabled": False, "data-x": ODD, "n": 3}
CHOICES = [("", "---------"), ("a", ODD), (1, "One"), (2, gettext_lazy("Two"))]
GROUPED = [("Fruit", [("apple", "Apple"), ("pear", "Pear")]), ("plain", "Plain")]


class OwnOption(forms.Select):
    option_template_name = "django/forms/widgets/radio_option.html"


WIDGETS = [
    (forms.TextInput(attrs=ATTRS), ODD),
    (forms.TextInput(), None),
    (forms.TextInput(), ""),
    (forms.TextInput(attrs={"placeholder": mark_safe("<i>safe</i>")}), mark_safe("<b>x</b>")),
    (forms.HiddenInput(), 42),
    (forms.NumberInput(attrs={"step": "any"}), 3.5),
    (forms.EmailInput(), "a@example.com"),
    (forms.URLInput(), "https://example.com/?a=1&b=2"),
    (forms.PasswordInput(render_value=True), "secret"),
    (forms.DateInput(), datetime.date(2026, 12, 2)),
    (forms.DateTimeInput(attrs={"type": "datetime-local"}), None),
    (forms.CheckboxInput(), True),
    (forms.CheckboxInput(), False),
    (forms.Textarea(attrs={"rows": 2}), f"line one\n{ODD}"),
    (forms.Textarea(), ""),
    (forms.Textarea(), None),
    (forms.Select(choices=CHOICES, attrs=ATTRS), "a"),
    (forms.Select(choices=CHOICES), 1),
    (forms.Select(choices=CHOICES), None),
    (forms.Select(choices=GROUPED), "pear"),
    (forms.SelectMultiple(choices=CHOICES), ["a", "1"]),
    (forms.NullBooleanSelect(), True),
    (OwnOption(choices=CHOICES), "a"),  # options of their own kind: the template draws them
]


@pytest.mark.parametrize(("widget", "value"), WIDGETS, ids=lambda item: type(item).__name__)
def test_a_widget_is_drawn_as_its_template_draws_it(widget, value):
    expected = widget.render("field", value, attrs={"id": "id_field"}, renderer=DjangoTemplates())
    assert widget.render("field", value, attrs={"id": "id_field"}, renderer=Renderer()) == expected


@pytest.mark.parametrize("errors", [[], ["Enter a value.", ODD]])
def test_error_lists_are_drawn_as_their_templates_draw_them(errors):
    expected = ErrorList(errors, renderer=DjangoTemplates()).as_ul()
    assert ErrorList(errors, renderer=Renderer()).as_ul() == expected


def test_a_whole_form_is_drawn_the_same_either_way():
    class Note(forms.Form):
        name = forms.CharField(max_length=80, help_text="As shown")
        pick = forms.ChoiceField(choices=CHOICES[1:])
        message = forms.CharField(widget=forms.Textarea)
        agree = forms.BooleanField()

    data = {"name": ODD, "pick": "zzz", "message": ""}
    assert str(Note(data, renderer=Renderer())) == str(Note(data, renderer=DjangoTemplates()))


def test_a_template_an_app_replaces_is_rendered_not_drawn(tmp_path):
    """Should an installed app replace one of Django's widget templates, it is used."""
    from django.utils.functional import cached_property

    own = tmp_path / "django" / "forms" / "widgets"
    own.mkdir(parents=True)
    (own / "attrs.html").write_text(
        "{% for name, value in widget.attrs.items %} {{ name }}{% endfor %}"
    )

    djangos = Path(django.forms.__file__).parent / "templates"

    class Replaced(Renderer):
        @cached_property
        def engine(self):
            dirs = [tmp_path, djangos]  # the app's first, as an installed app's would come
            return self.backend({"APP_DIRS": True, "DIRS": dirs, "NAME": "t", "OPTIONS": {}})

    html = forms.TextInput(attrs={"maxlength": 8}).render("name", "x", renderer=Replaced())
    assert html == '<input type="text" name="name" value="x" maxlength>'
    assert Renderer().draws


def test_the_site_uses_it(settings):
    from django.forms.renderers import get_default_renderer

    assert isinstance(get_default_renderer(), Renderer)
