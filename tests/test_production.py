"""Production settings: the deploy check, refusing weak secrets, and the security headers."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parent.parent
PRODUCTION = {
    "DJANGO_DEBUG": "0",
    "DJANGO_SECRET_KEY": "x9" * 10 + "a-long-random-looking-secret-for-tests-only-Qw3rTy7uI0pAsD",
    "DJANGO_ALLOWED_HOSTS": "nicepick.example",
    "SITE_URL": "https://nicepick.example",
}


def manage(*args, **env):
    environment = {key: value for key, value in os.environ.items() if not key.startswith("DJANGO_")}
    environment.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_is_clean_with_production_settings():
    result = manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize("secret", ["", "short", "django-insecure-" + "a" * 60, "a" * 60])
def test_production_refuses_to_start_without_a_real_secret_key(secret):
    result = manage("check", **{**PRODUCTION, "DJANGO_SECRET_KEY": secret})
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


def test_public_pages_send_the_security_headers(client, settings):
    response = client.get("/")
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "script-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert "camera=()" in response["Permissions-Policy"]


def test_hsts_is_sent_over_https(client, settings):
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_SSL_REDIRECT = False
    response = client.get("/", secure=True)
    assert response["Strict-Transport-Security"].startswith("max-age=31536000")


def test_healthz_names_each_part_and_its_state(client):
    """A load balancer reads the status; an operator reads which part is in what state."""
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content.decode().splitlines() == [
        "ok",
        "database: ok",
        "page cache: ok",
        "invalidation state: ok",
        "mail queue: ok (0 pending, 0 failed, oldest waiting 0 s)",
    ]
    assert "no-cache" in response["Cache-Control"]
    parts = client.get("/healthz?format=json").json()["parts"]
    assert parts["database"] == {"state": "ok"}


def test_healthz_answers_over_plain_http_for_load_balancers(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    assert client.get("/healthz").status_code == 200
    assert client.get("/").status_code == 301, "the rest of the site still moves to HTTPS"


def test_redis_url_puts_the_page_cache_and_the_invalidation_state_in_redis():
    code = (
        "from django.conf import settings as s; from comparisons import stores; "
        "print(s.CACHES['default']['BACKEND'], type(stores.state()).__name__, "
        "s.CACHES['default']['LOCATION'])"
    )
    result = manage(
        "shell", "--no-imports", "-c", code, **PRODUCTION, REDIS_URL="redis://127.0.0.1:6379/3"
    )
    assert result.returncode == 0, result.stderr
    backend = "django.core.cache.backends.redis.RedisCache"
    assert result.stdout.split() == [backend, "RedisState", "redis://127.0.0.1:6379/3"]


def test_a_change_in_one_process_is_seen_by_another_through_redis(settings):
    """With Redis, a change recorded by one process (a second server) is seen by another."""
    import redis as redis_client

    try:
        redis_client.Redis.from_url("redis://127.0.0.1:6379/3").ping()
    except redis_client.exceptions.ConnectionError:
        pytest.skip("no Redis at 127.0.0.1:6379")
    read = "from comparisons import stores; print(stores.versions.of(['c1'])['c1'])"
    bump = "from comparisons import stores; stores.versions.bump(['c1']); " + read
    env = {**PRODUCTION, "REDIS_URL": "redis://127.0.0.1:6379/3"}
    before = int(manage("shell", "--no-imports", "-c", read, **env).stdout)
    bumped = int(manage("shell", "--no-imports", "-c", bump, **env).stdout)
    after = int(manage("shell", "--no-imports", "-c", read, **env).stdout)
    assert bumped > before and after == bumped


def test_favicon_requests_find_the_icon(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response.url.endswith("comparisons/favicon.svg")
    assert 'rel="icon"' in client.get("/").content.decode()
