"""Admin login throttling: guessing passwords locks one username on one client out for a while."""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from .factories import make_user

pytestmark = pytest.mark.django_db

PASSWORD = "pass-for-tests-1"
LOCKED = "Too many failed login attempts"


@pytest.fixture(autouse=True)
def _fast_hashing(settings):
    """Dozens of logins per test: a cheap hasher keeps them quick (what is hashed is moot)."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def log_in(client, username, password, ip="203.0.113.7", **headers):
    """Posts the admin login form as the client at `ip`; True when it let the user in."""
    response = client.post(
        reverse("admin:login") + "?next=/admin/",
        {"username": username, "password": password},
        REMOTE_ADDR=ip,
        **headers,
    )
    client.response = response
    return response.status_code == 302 and response["Location"] == "/admin/"


def guess_wrong(client, username, times=5, **kwargs):
    for _ in range(times):
        assert not log_in(client, username, "wrong-password", **kwargs)


def test_five_wrong_passwords_lock_the_right_one_out(client, settings):
    """After 5 failures the right password is refused with a page that says why and how long."""
    make_user("eddie", staff=True)
    guess_wrong(client, "eddie", times=4)
    assert LOCKED not in client.response.content.decode()
    guess_wrong(client, "eddie", times=1)
    assert not log_in(client, "eddie", PASSWORD)
    response = client.response
    assert response.status_code == 429
    page = response.content.decode()
    assert LOCKED in page and "15 minutes" in page
    assert "nicepick editorial" in page, "the admin's own look"
    assert client.get("/admin/").status_code == 302, "not logged in"


def test_the_lockout_is_for_one_username_on_one_client(client):
    """Another user from the same address, and the same user elsewhere, still log in."""
    make_user("eddie", staff=True)
    make_user("wanda", staff=True)
    guess_wrong(client, "eddie", ip="203.0.113.7")
    assert not log_in(client, "eddie", PASSWORD, ip="203.0.113.7")
    assert log_in(client, "wanda", PASSWORD, ip="203.0.113.7")
    client.logout()
    assert log_in(client, "eddie", PASSWORD, ip="198.51.100.20")


def test_the_lockout_ends_after_the_cool_off(client):
    """Once NICEPICK_LOGIN_COOLOFF_MINUTES have passed, the right password works again."""
    make_user("eddie", staff=True)
    guess_wrong(client, "eddie")
    with time_machine.travel(timezone.now() + timedelta(minutes=16), tick=False):
        assert log_in(client, "eddie", PASSWORD)


def test_a_success_before_the_limit_starts_the_count_again(client):
    """Four typos, a good login, four more typos: not locked out."""
    make_user("eddie", staff=True)
    guess_wrong(client, "eddie", times=4)
    assert log_in(client, "eddie", PASSWORD)
    client.logout()
    guess_wrong(client, "eddie", times=4)
    assert log_in(client, "eddie", PASSWORD)


def test_behind_trusted_proxies_clients_are_told_apart_by_x_forwarded_for(client, settings):
    """With NICEPICK_TRUSTED_PROXIES=1, the address the proxy saw is the client, as for notes."""
    settings.NICEPICK_TRUSTED_PROXIES = 1
    make_user("eddie", staff=True)
    attacker = {"ip": "127.0.0.1", "HTTP_X_FORWARDED_FOR": "203.0.113.7"}
    guess_wrong(client, "eddie", **attacker)
    assert not log_in(client, "eddie", PASSWORD, **attacker)
    assert log_in(client, "eddie", PASSWORD, ip="127.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.20")


def test_without_trusted_proxies_a_forged_x_forwarded_for_does_not_escape(client, settings):
    """With no proxy trusted, changing X-Forwarded-For is not a new client."""
    settings.NICEPICK_TRUSTED_PROXIES = 0
    make_user("eddie", staff=True)
    guess_wrong(client, "eddie", ip="203.0.113.7", HTTP_X_FORWARDED_FOR="192.0.2.1")
    assert not log_in(client, "eddie", PASSWORD, ip="203.0.113.7", HTTP_X_FORWARDED_FOR="192.0.2.2")
    assert client.response.status_code == 429


def test_the_limit_and_cool_off_come_from_settings(settings):
    """Five failures and fifteen minutes unless the environment says otherwise."""
    assert settings.AXES_FAILURE_LIMIT == 5
    assert settings.AXES_COOLOFF_TIME.total_seconds() == 15 * 60


def test_editors_can_see_and_clear_lockouts_in_the_admin(client):
    """The lockouts are listed in the admin, where deleting one unlocks the account."""
    make_user("eddie", staff=True)
    guess_wrong(client, "eddie")
    client.force_login(make_user("boss", superuser=True))
    page = client.get(reverse("admin:axes_accessattempt_changelist"))
    assert page.status_code == 200 and "eddie" in page.content.decode()
