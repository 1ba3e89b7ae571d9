"""Failing gracefully: a friendly 503 when the database is unreachable."""

import logging

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.template.loader import get_template

logger = logging.getLogger(__name__)


class DatabaseUnavailableMiddleware:
    """
    A view that cannot reach the database answers 503 with a friendly page and `Retry-After`,
    not a 500 with a traceback. Django drops the broken connection at the end of the request
    (health checks are on), so the next request after the database returns simply works.
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
        body = get_template("503.html").render({})
        response = HttpResponse(body, status=503)
        response["Retry-After"] = "30"
        response["Cache-Control"] = "no-store"
        return response
