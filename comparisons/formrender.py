"""
The form renderer (`FORM_RENDERER`): Django's own, except that its plainest widgets — inputs,
text areas, selects — and empty error lists are drawn in Python, to the character what their
templates draw (`tests/test_formrender.py` renders every kind both ways).

Each widget's template includes another (`text.html` → `input.html` → `attrs.html`, and one
per option of a select): an article's change page draws some 150 of them, which cost it a
tenth to a sixth of its time at any corpus size (bench/RESULTS.md). A widget whose template
is not one of these (the admin's, markdownx's) goes through the templates as ever, and so does
every widget if an installed app replaces one of Django's templates drawn here.
"""

from pathlib import Path

import django.forms
from django.forms.renderers import DjangoTemplates
from django.utils.formats import localize
from django.utils.functional import cached_property
from django.utils.html import conditional_escape
from django.utils.safestring import SafeData, mark_safe

WIDGETS = "django/forms/widgets/"
# Templates that are `{% include "django/forms/widgets/input.html" %}` and a line break.
INPUTS = {
    f"{WIDGETS}{name}.html"
    for name in (
        "checkbox",
        "color",
        "date",
        "datetime",
        "email",
        "file",
        "hidden",
        "number",
        "password",
        "search",
        "tel",
        "text",
        "time",
        "url",
    )
}
OPTION = f"{WIDGETS}select_option.html"
EMPTY_ERRORS = {"django/forms/errors/list/ul.html", "django/forms/errors/list/default.html"}
# Every template whose output is drawn here, the included ones too.
USED = (
    INPUTS
    | EMPTY_ERRORS
    | {f"{WIDGETS}{name}.html" for name in ("input", "attrs", "textarea", "select")}
    | {OPTION}
)


def _formatted(value):
    """`{{ value|stringformat:'s' }}`: the value as text, escaped unless marked safe."""
    return str(value) if isinstance(value, SafeData) else conditional_escape(str(value))


def _shown(value):
    """`{{ value }}`: localized, then escaped unless marked safe."""
    return conditional_escape(localize(value))


def _attrs(attrs):
    """`attrs.html`: ` name="value"` each, a bare name for True, nothing for False."""
    return "".join(
        f" {_shown(name)}" if value is True else f' {_shown(name)}="{_formatted(value)}"'
        for name, value in attrs.items()
        if value is not False
    )


def _input(widget):
    value = "" if widget["value"] is None else f' value="{_formatted(widget["value"])}"'
    return (
        f'<input type="{_shown(widget["type"])}" name="{_shown(widget["name"])}"'
        f"{value}{_attrs(widget['attrs'])}>"
    )


def _textarea(widget):
    name, value = _shown(widget["name"]), _shown(widget["value"]) if widget["value"] else ""
    return f'<textarea name="{name}"{_attrs(widget["attrs"])}>\n{value}</textarea>'


def _option(option):
    # Included by the select's template: the option's own line break stays.
    return (
        f'<option value="{_formatted(option["value"])}"{_attrs(option["attrs"])}>'
        f"{_shown(option['label'])}</option>\n"
    )


def _select(widget):
    parts = [f'<select name="{_shown(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group_name, group_choices, _index in widget["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{_shown(group_name)}">')
        for option in group_choices:
            if option["template_name"] != OPTION:
                return None  # an option of its own kind: drawn by the template
            parts.append(f"\n  {_option(option)}")
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return "".join(parts)


def _drawn(template_name, context):
    """The HTML `template_name` would draw from `context`, or None to use the template."""
    if template_name in EMPTY_ERRORS:
        return "" if not context.get("errors") else None
    widget = context.get("widget")
    if widget is None:
        return None
    if template_name in INPUTS or template_name == f"{WIDGETS}input.html":
        return _input(widget)
    if template_name == f"{WIDGETS}textarea.html":
        return _textarea(widget)
    if template_name == f"{WIDGETS}select.html":
        return _select(widget)
    return None


class Renderer(DjangoTemplates):
    @cached_property
    def draws(self):
        """False when an installed app replaces one of the templates drawn here."""
        own = Path(django.forms.__file__).parent / "templates"
        return all(Path(self.get_template(name).origin.name).is_relative_to(own) for name in USED)

    def render(self, template_name, context, request=None):
        html = _drawn(template_name, context) if self.draws else None
        if html is None:
            return super().render(template_name, context, request)
        # Every value was escaped above. (Django's renderer strips what a template draws: the
        # line breaks that end these templates are left out.)
        return mark_safe(html)  # noqa: S308
