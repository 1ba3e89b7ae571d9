"""Management commands: the demo content and the admin login that `make run` prints."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from comparisons.models import Category, Comparison, Factor, Feedback, Tool, Verdict

pytestmark = pytest.mark.django_db


def snapshot():
    """Everything loaddemo writes, in a comparable form."""
    return {
        "categories": list(Category.objects.values().order_by("pk")),
        "tools": list(Tool.objects.values().order_by("pk")),
        "comparisons": list(Comparison.objects.values().order_by("pk")),
        "factors": list(Factor.objects.values().order_by("pk")),
        "verdicts": list(Verdict.objects.values().order_by("pk")),
        "feedback": list(Feedback.objects.values().order_by("pk")),
        "tags": sorted(
            (c.slug, tag.name) for c in Comparison.objects.all() for tag in c.tags.all()
        ),
    }


def test_loaddemo_creates_a_varied_site(client):
    """At least 8 comparisons over 3+ categories, in several states, with factors and verdicts."""
    call_command("loaddemo", verbosity=0)
    comparisons = Comparison.objects.all()
    assert comparisons.count() >= 8
    assert Category.objects.filter(comparisons__isnull=False).distinct().count() >= 3
    states = set(comparisons.values_list("status", flat=True))
    assert {"published", "draft", "review"} <= states
    assert (
        Comparison.objects.filter(status="published")
        .exclude(pk__in=Comparison.objects.published())
        .exists()
    ), "one comparison should be scheduled in the future"
    for comparison in comparisons:
        assert 4 <= comparison.factors.count() <= 10, comparison.slug
        assert comparison.verdict.headline
        assert comparison.tags.exists()
    assert Verdict.objects.filter(consider_tool__isnull=False).exists()
    assert Feedback.objects.filter(comparison__in=Comparison.objects.published()).count() >= 3
    for comparison in Comparison.objects.published():
        response = client.get(comparison.get_absolute_url())
        assert response.status_code == 200, comparison.slug


def test_loaddemo_twice_changes_nothing():
    """A second run leaves every row exactly as the first run wrote it."""
    call_command("loaddemo", verbosity=0)
    first = snapshot()
    call_command("loaddemo", verbosity=0)
    assert snapshot() == first


def test_loaddemo_keeps_editors_changes():
    """Re-running the demo never overwrites what an editor has changed."""
    call_command("loaddemo", verbosity=0)
    comparison = Comparison.objects.first()
    comparison.title = "Edited by an editor"
    comparison.save()
    call_command("loaddemo", verbosity=0)
    comparison.refresh_from_db()
    assert comparison.title == "Edited by an editor"


def logs_in(client, username, password):
    """The admin login form lets this user in (through the login throttle, as a person would)."""
    response = client.post(
        "/admin/login/?next=/admin/", {"username": username, "password": password}
    )
    return response.status_code == 302 and response["Location"] == "/admin/"


def test_ensureadmin_prints_a_working_login(client, monkeypatch, capsys):
    """The printed password logs in; without NICEPICK_ADMIN_PASSWORD it is generated."""
    monkeypatch.delenv("NICEPICK_ADMIN_PASSWORD", raising=False)
    call_command("ensureadmin")
    first = capsys.readouterr().out.split("admin / ")[1].split()[0]
    call_command("ensureadmin")
    second = capsys.readouterr().out.split("admin / ")[1].split()[0]
    assert first != second
    assert logs_in(client, "admin", second)
    user = get_user_model().objects.get(username="admin")
    assert user.is_superuser and user.is_staff
    assert get_user_model().objects.filter(username="admin").count() == 1


def test_ensureadmin_takes_the_password_from_the_environment(client, monkeypatch, capsys):
    """NICEPICK_ADMIN_PASSWORD sets the password."""
    monkeypatch.setenv("NICEPICK_ADMIN_PASSWORD", "chosen-by-env-42")
    call_command("ensureadmin")
    assert "admin / chosen-by-env-42" in capsys.readouterr().out
    assert logs_in(client, "admin", "chosen-by-env-42")
