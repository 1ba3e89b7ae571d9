"""What operators see: Prometheus metrics at /metrics, and who may read them."""

import re

import pytest

from .factories import make_comparison, make_tool
from .test_feedback import post

pytestmark = pytest.mark.django_db


def metric(client, name, **labels):
    """The value of one sample in /metrics, 0 when absent."""
    text = client.get("/metrics", REMOTE_ADDR="127.0.0.1").content.decode()
    wanted = ",".join(f'{key}="{value}"' for key, value in labels.items())
    pattern = rf"^{re.escape(name)}{{{re.escape(wanted)}}} (\S+)$" if labels else rf"^{name} (\S+)$"
    found = re.search(pattern, text, re.MULTILINE)
    return float(found.group(1)) if found else 0.0


def test_metrics_count_page_cache_hits_and_misses_and_request_latency(client):
    article = make_comparison(make_tool("Flask"), make_tool("Express"))
    hits = metric(client, "nicepick_page_cache_requests_total", result="hit")
    misses = metric(client, "nicepick_page_cache_requests_total", result="miss")
    client.get(article.get_absolute_url())
    client.get(article.get_absolute_url())
    assert metric(client, "nicepick_page_cache_requests_total", result="miss") == misses + 1
    assert metric(client, "nicepick_page_cache_requests_total", result="hit") == hits + 1
    text = client.get("/metrics", REMOTE_ADDR="127.0.0.1").content.decode()
    assert "django_http_requests_latency_seconds_by_view_method" in text


def test_metrics_count_notes_accepted_and_refused(client):
    article = make_comparison(make_tool("Flask"), make_tool("Express"))
    accepted = metric(client, "nicepick_feedback_notes_total", outcome="accepted")
    invalid = metric(client, "nicepick_feedback_notes_total", outcome="invalid")
    post(client, article)
    post(client, article, message="short")
    assert metric(client, "nicepick_feedback_notes_total", outcome="accepted") == accepted + 1
    assert metric(client, "nicepick_feedback_notes_total", outcome="invalid") == invalid + 1


def test_metrics_are_for_this_machine_or_the_token_holder(client, settings):
    assert client.get("/metrics", REMOTE_ADDR="203.0.113.5").status_code == 403
    through_proxy = {"REMOTE_ADDR": "127.0.0.1", "HTTP_X_FORWARDED_FOR": "203.0.113.5"}
    assert client.get("/metrics", **through_proxy).status_code == 403
    settings.NICEPICK_METRICS_TOKEN = "s3cret-token"
    assert client.get("/metrics", REMOTE_ADDR="127.0.0.1").status_code == 403
    bearer = {"HTTP_AUTHORIZATION": "Bearer s3cret-token", "REMOTE_ADDR": "203.0.113.5"}
    assert client.get("/metrics", **bearer).status_code == 200


def test_metrics_and_healthz_show_the_mail_queue(client, settings):
    """Mail that failed for good shows in the metrics and makes /healthz say "degraded"."""
    from comparisons.models import OutgoingMail

    assert metric(client, "nicepick_mail_queue_failed") == 0
    OutgoingMail.objects.create(
        subject="Review requested", body="…", recipients=["ed@example.com"], status="failed"
    )
    assert metric(client, "nicepick_mail_queue_failed") == 1
    health = client.get("/healthz")
    assert health.status_code == 200, "mail trouble does not take the site out of rotation"
    assert "mail queue: degraded (0 pending, 1 failed" in health.content.decode()
