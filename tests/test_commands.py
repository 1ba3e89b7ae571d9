"""Management commands: the demo content and the admin login that `make run` prints."""

import os
import subprocess
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from comparisons.models import (
    Category,
    Comparison,
    Criterion,
    Factor,
    Feedback,
    Tool,
    ToolFact,
    Verdict,
)

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parent.parent


def snapshot():
    """Everything loaddemo writes, in a comparable form."""
    return {
        "categories": list(Category.objects.values().order_by("pk")),
        "tools": list(Tool.objects.values().order_by("pk")),
        "criteria": list(Criterion.objects.values().order_by("pk")),
        "facts": list(ToolFact.objects.values().order_by("pk")),
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


def test_loaddemo_rows_from_facts_have_their_facts(client):
    """The demo's common rows (language, license…) come from facts, and every fact is there."""
    call_command("loaddemo", verbosity=0)
    kinds = set(Criterion.objects.values_list("kind", flat=True))
    assert kinds == {"text", "yesno", "scale"}
    rows = Factor.objects.filter(criterion__isnull=False).select_related("comparison")
    assert rows.filter(comparison__in=Comparison.objects.published()).count() >= 8
    for row in rows:
        for tool in (row.comparison.tool_a, row.comparison.tool_b):
            assert ToolFact.objects.filter(tool=tool, criterion=row.criterion_id).exists(), (
                row.comparison.slug,
                row.name,
                tool.slug,
            )
    for fact in ToolFact.objects.select_related("criterion"):
        assert fact.criterion.clean_value(fact.value) == fact.value, fact
    assert ToolFact.objects.stale().exists(), "the dashboard has stale facts to show"
    published = Comparison.objects.published()
    assert not published.filter(version_a="").exists()
    article = client.get("/compare/flask-vs-express/").content.decode()
    assert "Compared:" in article and "Not recorded" not in article
    assert client.get("/matrix/?tools=express,fastapi,flask").status_code == 200


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
    fact = ToolFact.objects.first()
    fact.value = "Edited fact"
    fact.save()
    call_command("loaddemo", verbosity=0)
    comparison.refresh_from_db()
    assert comparison.title == "Edited by an editor"
    fact.refresh_from_db()
    assert fact.value == "Edited fact"


def logs_in(client, username, password):
    """The admin login form lets this user in (through the login throttle, as a person would)."""
    response = client.post(
        "/admin/login/?next=/admin/", {"username": username, "password": password}
    )
    return response.status_code == 302 and response["Location"] == "/admin/"


def printed_password(output):
    """The password in “Admin login: admin / <password>”, or None when none was printed."""
    if "admin / " not in output:
        return None
    return output.split("admin / ")[1].split()[0]


def test_ensureadmin_prints_a_working_login_once_and_keeps_it(client, monkeypatch, capsys):
    """
    A new admin gets a generated password, printed once; later runs keep it (editors' logins
    must not break on every `make run`) and say how to change it.
    """
    monkeypatch.delenv("NICEPICK_ADMIN_PASSWORD", raising=False)
    call_command("ensureadmin")
    first = printed_password(capsys.readouterr().out)
    assert first
    call_command("ensureadmin")
    again = capsys.readouterr().out
    assert printed_password(again) is None
    assert "existing password, which is kept" in again
    assert "NICEPICK_ADMIN_PASSWORD" in again and "changepassword admin" in again
    assert logs_in(client, "admin", first)
    user = get_user_model().objects.get(username="admin")
    assert user.is_superuser and user.is_staff
    assert get_user_model().objects.filter(username="admin").count() == 1


def test_ensureadmin_keeps_a_password_set_by_hand(client, monkeypatch, capsys):
    """A password the editor changed in the admin survives the next `make run`."""
    monkeypatch.delenv("NICEPICK_ADMIN_PASSWORD", raising=False)
    call_command("ensureadmin")
    user = get_user_model().objects.get(username="admin")
    user.set_password("my-own-choice-77")
    user.save()
    call_command("ensureadmin")
    assert logs_in(client, "admin", "my-own-choice-77")


def test_ensureadmin_repairs_an_existing_user_who_cannot_log_in(client, monkeypatch, capsys):
    """An existing account without a usable password or staff rights is made a working admin."""
    monkeypatch.delenv("NICEPICK_ADMIN_PASSWORD", raising=False)
    get_user_model().objects.create_user("admin", password=None, is_active=False)
    call_command("ensureadmin")
    password = printed_password(capsys.readouterr().out)
    assert logs_in(client, "admin", password)
    user = get_user_model().objects.get(username="admin")
    assert user.is_superuser and user.is_staff


def test_ensureadmin_prints_the_admin_address_of_this_site(monkeypatch, capsys, settings):
    """The printed address follows SITE_URL, which `make run` derives from PORT."""
    monkeypatch.delenv("NICEPICK_ADMIN_PASSWORD", raising=False)
    settings.SITE_URL = "http://127.0.0.1:8123"
    call_command("ensureadmin")
    assert "http://127.0.0.1:8123/admin/" in capsys.readouterr().out


def test_make_run_serves_and_prints_on_the_chosen_port():
    """`make run PORT=8123` serves on 8123 and every printed address says so."""
    environment = {key: value for key, value in os.environ.items() if key != "SITE_URL"}
    result = subprocess.run(
        ["make", "--dry-run", "run", "PORT=8123"],  # noqa: S607 (make on the PATH)
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    commands = result.stdout
    assert "runserver 127.0.0.1:8123" in commands
    assert "SITE_URL=http://127.0.0.1:8123 .venv/bin/python manage.py ensureadmin" in commands
    assert ":8000" not in commands


def test_ensureadmin_takes_the_password_from_the_environment(client, monkeypatch, capsys):
    """NICEPICK_ADMIN_PASSWORD sets the password."""
    monkeypatch.setenv("NICEPICK_ADMIN_PASSWORD", "chosen-by-env-42")
    call_command("ensureadmin")
    assert "admin / chosen-by-env-42" in capsys.readouterr().out
    assert logs_in(client, "admin", "chosen-by-env-42")
