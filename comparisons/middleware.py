"""Failing gracefully (a friendly 503 when the database is unreachable) and deploy warnings."""

import logging

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.template.loader import get_template
from django.urls import Resolver404, resolve

from . import antispam

logger = logging.getLogger(__name__)

KEPT_FIELDS = ("would_pick", "message", "name", "email")


class DatabaseUnavailableMiddleware:
    """
    A view that cannot reach the database answers 503 with a friendly page and `Retry-After`,
    not a 500 with a traceback. Django drops the broken connection at the end of the request
    (health checks are on), so the next request after the database returns simply works.

    A reader's note posted meanwhile is not lost: the page gives their text back in a form that
    sends it again (with a fresh stamp for the same article).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, OperationalError | InterfaceError):
            return None
        logger.error("Database unavailable on %s: %s", request.path, exception)
        # Rendered without the request: the context processors would need the database.
        body = get_template("503.html").render(self.kept_note(request))
        response = HttpResponse(body, status=503)
        response["Retry-After"] = "30"
        response["Cache-Control"] = "no-store"
        return response

    @staticmethod
    def kept_note(request):
        if request.method != "POST":
            return {}
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return {}
        if match.view_name != "comparisons:disagree":
            return {}
        article = antispam.stamp_article(request.POST.get("stamp", ""))
        return {
            "kept": {name: request.POST.get(name, "")[:5000] for name in KEPT_FIELDS},
            "kept_action": request.path,
            "kept_stamp": antispam.issue_stamp(
                article=article, reader=antispam.reader_key(request)
            ),
        }


class ProxyCheckMiddleware:
    """Warns once when a proxy on this machine forwards requests that nobody trusts."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        antispam.warn_about_untrusted_proxy(request)
        return self.get_response(request)
