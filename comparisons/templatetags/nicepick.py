"""Template helpers for the readers' pages."""

import json

from django import template
from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.safestring import mark_safe

register = template.Library()

# The characters that could end a <script> element or open a comment, as JSON escapes.
_SCRIPT_SAFE = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


@register.filter
def jsonld(data):
    """`data` as JSON that is safe inside <script type="application/ld+json">."""
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False).translate(_SCRIPT_SAFE)
    return mark_safe(text)  # noqa: S308 (escaped above)


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
