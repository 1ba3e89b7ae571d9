"""
Prometheus metrics for operators, at `/metrics`.

Request latency by view comes from django-prometheus's middleware; this module adds what is
ours: page-cache hits and misses, helper faults, readers' notes accepted and refused (by why),
and — read at scrape time — the mail queue's depth and failed sends. Under gunicorn every
worker writes its counters to `PROMETHEUS_MULTIPROC_DIR` (set by nicepick/gunicorn.conf.py) and
a scrape adds them up.

`/metrics` answers to a request carrying `Authorization: Bearer <NICEPICK_METRICS_TOKEN>`, or,
without a token configured, to one made on this machine (not through the proxy).
"""

import hmac
import ipaddress
import os

from django.conf import settings
from django.http import HttpResponse, HttpResponseForbidden
from django.views.decorators.cache import never_cache
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import GaugeMetricFamily

PAGE_CACHE = Counter(
    "nicepick_page_cache_requests",
    "Readers' page requests by what the page cache did: hit, miss (rendered), bypass.",
    ["result"],
)
HELPER_FAULTS = Counter(
    "nicepick_helper_faults", "Calls to a helper (cache, state) that failed.", ["part"]
)
NOTES = Counter(
    "nicepick_feedback_notes",
    "Readers' Disagree? notes by outcome: accepted, invalid, rate_limited, duplicate, "
    "honeypot, failed, confirm (asked to send again with a stamp).",
    ["outcome"],
)


class ProcessRegistry:
    """This process's metrics (the default registry), as one collector of another registry."""

    def collect(self):
        return REGISTRY.collect()


class QueueCollector:
    """The mail queue's state, read from the database when Prometheus scrapes."""

    def collect(self):
        from . import mail

        status = mail.queue_status()
        yield GaugeMetricFamily(
            "nicepick_mail_queue_pending", "Notifications waiting to be sent.", status["pending"]
        )
        yield GaugeMetricFamily(
            "nicepick_mail_queue_failed",
            "Notifications that failed every attempt (kept; can be sent again).",
            status["failed"],
        )
        yield GaugeMetricFamily(
            "nicepick_mail_queue_oldest_pending_seconds",
            "How long the oldest notification still waiting has waited.",
            status["oldest_pending_seconds"],
        )


QUEUE = QueueCollector()


def allowed(request):
    token = settings.NICEPICK_METRICS_TOKEN
    if token:
        given = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
        return hmac.compare_digest(given.encode(), token.encode())
    if "HTTP_X_FORWARDED_FOR" in request.META:
        return False
    try:
        return ipaddress.ip_address(request.META.get("REMOTE_ADDR", "")).is_loopback
    except ValueError:
        return False


@never_cache
def metrics_view(request):
    if not allowed(request):
        return HttpResponseForbidden("Metrics need the token (NICEPICK_METRICS_TOKEN).\n")
    # The process's own registry, or (under gunicorn) every worker's counters added up; and
    # the queue, read now.
    registry = CollectorRegistry()
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        multiprocess.MultiProcessCollector(registry)
    else:
        registry.register(ProcessRegistry())
    registry.register(QUEUE)
    return HttpResponse(generate_latest(registry), content_type=CONTENT_TYPE_LATEST)
