"""
What django-axes needs from us to throttle admin logins (settings: `AXES_*`).

Failures are counted per username and client address; the address is read exactly as the
feedback form reads it (`antispam.client_ip`, which honours `NICEPICK_TRUSTED_PROXIES`), so
behind our proxy each reader is told apart and a forged `X-Forwarded-For` never is a new one.
"""

from django.conf import settings
from django.contrib import admin
from django.shortcuts import render

from .antispam import client_ip as reader_ip


def client_ip(request):
    """AXES_CLIENT_IP_CALLABLE: the client's address, or None when there is none."""
    return reader_ip(request) or None


def lockout_response(request, original_response=None, credentials=None):
    """AXES_LOCKOUT_CALLABLE: the admin's own page, saying why and for how long."""
    minutes = round(settings.AXES_COOLOFF_TIME.total_seconds() / 60)
    context = {
        **admin.site.each_context(request),
        "title": "Too many failed login attempts",
        "cooloff_minutes": minutes,
    }
    return render(request, "admin/lockout.html", context, status=settings.AXES_HTTP_RESPONSE_CODE)
