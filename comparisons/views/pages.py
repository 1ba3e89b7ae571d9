"""
About and Contact: flatpages (django.contrib.flatpages) that editors change in the admin.

Served by this small view rather than flatpages' own, so the pages get the site's title,
description and canonical link, and their HTML passes the same allowlist as article bodies.
"""

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.contrib.flatpages.models import FlatPage
from django.shortcuts import get_object_or_404
from django.utils.html import strip_tags
from django.utils.safestring import mark_safe
from django.utils.text import Truncator
from django.views.generic import DetailView

from ..rendering import sanitise_html
from .meta import PageMetaMixin

DEFAULT_TEMPLATE = "flatpages/default.html"


class PageView(PageMetaMixin, DetailView):
    """The flatpage at `url` on this site."""

    context_object_name = "flatpage"
    url = None

    def get_object(self, queryset=None):
        return get_object_or_404(FlatPage, url=self.url, sites=settings.SITE_ID)

    def get(self, request, *args, **kwargs):
        self.object = self.get_object()
        if self.object.registration_required and not request.user.is_authenticated:
            return redirect_to_login(request.path)
        return self.render_to_response(self.get_context_data(object=self.object))

    def get_template_names(self):
        return [name for name in (self.object.template_name, DEFAULT_TEMPLATE) if name]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["content"] = mark_safe(sanitise_html(self.object.content))  # noqa: S308
        return context

    def get_meta_title(self):
        return self.object.title

    def get_meta_description(self):
        text = " ".join(strip_tags(sanitise_html(self.object.content)).split())
        return Truncator(text).chars(160) or self.object.title
