"""Template helpers for the readers' pages."""

import json

from django import template
from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from ..models.authors import byline as byline_of

register = template.Library()

# The characters that could end a <script> element or open a comment, as JSON escapes.
_SCRIPT_SAFE = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


@register.filter
def jsonld(data):
    """`data` as JSON that is safe inside <script type="application/ld+json">."""
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False).translate(_SCRIPT_SAFE)
    return mark_safe(text)  # noqa: S308 (escaped above)


@register.filter
def byline(user):
    """The byline of an article by `user`: `{% with byline=comparison.author|byline %}`."""
    return byline_of(user)


@register.filter
def tool_name(tool, side):
    """
    The tool's name, or — in a draft whose writer has not chosen it yet — which side is
    missing: `{{ comparison.tool_a|tool_name:"a" }}` gives “Tool A not chosen yet”.
    """
    if tool:
        return tool.name
    return f"Tool {str(side).upper()} not chosen yet"


@register.simple_tag
def tool_link(tool, side):
    """A link to the tool's page, or the `tool_name` of a side not chosen yet (no link)."""
    if tool:
        return format_html(
            '<a href="{}">{}</a>', reverse("comparisons:tool", args=[tool.slug]), tool.name
        )
    return format_html('<span class="tool-missing">{}</span>', tool_name(tool, side))


@register.simple_tag
def latest_comparisons():
    """The newest published comparisons, as titles and addresses (the 404 page)."""
    from .. import latest

    return latest.latest()


@register.simple_tag
def latest_snapshot():
    """The latest comparisons as last seen, without touching the database (the 503 page)."""
    from .. import latest

    return latest.snapshot()


@register.simple_tag
def contact_email():
    """The address readers may write to (NICEPICK_CONTACT_EMAIL)."""
    return settings.NICEPICK_CONTACT_EMAIL


@register.simple_tag
def site_link(name):
    """`{% site_link "about" %}`: one of the addresses on every page, reversed once."""
    from django.urls import get_script_prefix

    from ..views.meta import site_links

    return site_links(get_script_prefix())[name]
