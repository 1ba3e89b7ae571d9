"""What a newcomer types by hand works: plain `pytest` runs the suite in development mode."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def pytest_command():
    """The venv's own `pytest` script, as a newcomer would type it, or `python -m pytest`."""
    script = Path(sys.executable).with_name("pytest")
    return [str(script)] if script.exists() else [sys.executable, "-m", "pytest"]


def test_plain_pytest_needs_no_environment_variables():
    """`.venv/bin/pytest` with no DJANGO_* (or database) variables set runs the tests."""
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DATABASE_", "REQUIRE_"))
    }
    result = subprocess.run(
        [*pytest_command(), "-q", "-p", "no:cacheprovider", "tests/test_rendering.py"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert " passed" in result.stdout


@pytest.mark.django_db
def test_the_system_checks_with_the_database_print_no_warning():
    """`make run` and `migrate` run them: a newcomer sees no warning about our own models."""
    from django.core import checks

    shown = [m for m in checks.run_checks(databases=["default"]) if not m.is_silenced()]
    assert shown == []
