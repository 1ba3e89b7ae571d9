"""How times read in messages to editors."""

from django.utils import timezone
from django.utils.formats import date_format


def format_time(value):
    """A time in the site's timezone with the zone named: “3 Dec 2026 09:00 UTC”."""
    return date_format(timezone.localtime(value), "j M Y H:i T")
