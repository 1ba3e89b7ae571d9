"""
Notifications leave through the durable mail queue: never from inside a request, tried again
with back-off while the mail server fails, delivered once when it is back, kept as failed (and
sent again from the admin) when it never comes back. Mail servers are loopback sockets of ours.
"""

import os
import signal
import socket
import subprocess
import time
import urllib.request
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import time_machine
from django.core import mail as outbox
from django.core.management import call_command
from django.db import DatabaseError
from django.urls import reverse
from django_tasks_db import DatabaseBackend
from django_tasks_db.models import DBTaskResult

from comparisons import mail, workflow
from comparisons.models import Comparison, Feedback, OutgoingMail, WorkflowEvent

from .factories import make_comparison, make_editor, make_tool, make_user, make_writer
from .smtp import MailServer, StalledServer
from .test_feedback import post
from .test_production import PRODUCTION, ROOT, manage
from .test_workflow_admin import edit_data

pytestmark = pytest.mark.django_db(transaction=True)

Status = OutgoingMail.Status
START = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


@pytest.fixture
def database_queue(settings):
    """Production's queue: the database backend, and SMTP to a server on loopback."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_TIMEOUT = "127.0.0.1", 2


@pytest.fixture
def stalled(database_queue, settings):
    server = StalledServer()
    settings.EMAIL_PORT = server.port
    yield server
    server.close()


@pytest.fixture
def mail_server(database_queue, settings):
    """Refuses connections until `mail_server.start()`."""
    server = MailServer()
    settings.EMAIL_PORT = server.port
    yield server
    server.close()


@pytest.fixture
def clock():
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


def run_worker():
    """The worker of `make serve`, until no task is due (its signal handlers put back after)."""
    handlers = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        call_command("db_worker", batch=True, startup_delay=False, reload=False, verbosity=0)
    finally:
        for sig, handler in handlers.items():
            signal.signal(sig, handler)


def submitted_draft():
    """A writer's draft submitted for review, which queues one message to the editor."""
    editor = make_editor("eddie")
    writer = make_writer("wanda")
    draft = make_comparison(make_tool("Flask"), make_tool("Express"), author=writer)
    draft.status = Comparison.Status.DRAFT
    draft.save()
    workflow.submit(draft, writer)
    return draft, editor


# Nothing waits for the mail server inside a request -------------------------------------------


def test_a_readers_note_is_stored_and_queued_without_touching_the_mail_server(client, stalled):
    """With a mail server that never answers, the note is taken at once; the mail waits."""
    make_editor("eddie")
    article = make_comparison(make_tool("Flask"), make_tool("Express"), title="Flask vs Express")
    response = post(client, article)
    assert response.status_code == 302
    assert Feedback.objects.count() == 1
    assert stalled.knocks() == 0, "the request connected to the mail server"
    message = OutgoingMail.objects.get()
    assert (message.subject, message.status) == ("Reader feedback: Flask vs Express", "pending")
    assert DBTaskResult.objects.ready().filter(task_path=mail.deliver.module_path).count() == 1


def test_submitting_for_review_is_not_held_up_by_the_mail_server(client, stalled):
    """The writer's submit answers without the mail server; the worker meets the stall later."""
    make_editor("eddie")
    writer = make_writer("wanda")
    comparison = make_comparison(status=Comparison.Status.DRAFT, author=writer)
    client.force_login(writer)
    response = client.post(
        reverse("admin:comparisons_comparison_change", args=[comparison.pk]),
        edit_data(comparison, _workflow="submit"),
    )
    assert response.status_code == 302
    comparison.refresh_from_db()
    assert comparison.status == Comparison.Status.REVIEW
    assert stalled.knocks() == 0, "the request connected to the mail server"
    assert mail.queue_status()["pending"] == 1

    run_worker()  # times out on the stalled server (EMAIL_TIMEOUT), keeps the message
    assert stalled.knocks() == 1
    message = OutgoingMail.objects.get()
    assert (message.status, message.attempts) == (Status.PENDING, 1)
    assert "timed out" in message.last_error


# The worker: back-off, delivery once, giving up visibly ----------------------------------------


def test_a_refused_message_stays_queued_and_is_tried_again_with_back_off(mail_server, clock):
    draft, editor = submitted_draft()
    run_worker()
    message = OutgoingMail.objects.get()
    assert (message.status, message.attempts) == (Status.PENDING, 1)
    assert "refused" in message.last_error.lower()
    assert message.next_attempt_at == START + timedelta(minutes=1)
    queued = DBTaskResult.objects.filter(status="READY", task_path=mail.deliver.module_path)
    queued = queued.values_list("run_after", flat=True)
    assert list(queued) == [START + timedelta(minutes=1)]

    run_worker()  # not due yet: nothing happens
    message.refresh_from_db()
    assert message.attempts == 1

    clock.shift(timedelta(minutes=1))
    run_worker()
    message.refresh_from_db()
    assert (message.status, message.attempts) == (Status.PENDING, 2)
    assert message.next_attempt_at == START + timedelta(minutes=1 + 5)

    clock.shift(timedelta(minutes=5))
    run_worker()
    message.refresh_from_db()
    assert message.attempts == 3
    assert message.next_attempt_at == START + timedelta(minutes=1 + 5 + 25)
    # The mail server's failure changed nothing about the move itself.
    draft.refresh_from_db()
    assert draft.status == Comparison.Status.REVIEW
    assert WorkflowEvent.objects.filter(action=WorkflowEvent.Action.SUBMITTED).count() == 1


def test_when_the_server_comes_back_the_message_is_delivered_exactly_once(mail_server, clock):
    draft, editor = submitted_draft()
    run_worker()
    assert mail_server.received == []

    mail_server.start()
    clock.shift(timedelta(minutes=1))
    run_worker()
    assert len(mail_server.received) == 1
    recipients, received = mail_server.received[0]
    assert recipients == [editor.email]
    assert received["Subject"] == f"Review requested: {draft.title}"
    message = OutgoingMail.objects.get()
    assert (message.status, message.sent_at) == (Status.SENT, START + timedelta(minutes=1))

    # The follow-up queued with each attempt, and a stray duplicate task, find it sent.
    mail.deliver.enqueue(message.pk)
    clock.shift(timedelta(days=2))
    run_worker()
    assert len(mail_server.received) == 1
    assert mail.queue_status() == {"pending": 0, "failed": 0, "oldest_pending_seconds": 0.0}


def test_a_worker_that_dies_mid_send_loses_nothing(mail_server, clock, monkeypatch):
    """The next attempt is queued before the mail server is called, so a crash is retried."""
    submitted_draft()

    def killed(*args, **kwargs):
        raise SystemExit("worker killed")

    monkeypatch.setattr(mail, "send_mail", killed)
    run_worker()
    message = OutgoingMail.objects.get()
    assert (message.status, message.attempts) == (Status.PENDING, 1)

    monkeypatch.undo()
    mail_server.start()
    clock.shift(timedelta(minutes=1))
    run_worker()
    assert len(mail_server.received) == 1
    message.refresh_from_db()
    assert message.status == Status.SENT


def test_after_the_last_attempt_the_message_is_kept_as_failed_shown_and_sent_again(
    client, mail_server, clock, settings, caplog
):
    settings.NICEPICK_MAIL_MAX_ATTEMPTS = 3
    draft, editor = submitted_draft()
    for _ in range(4):
        run_worker()
        clock.shift(timedelta(hours=6))
    message = OutgoingMail.objects.get()
    assert (message.status, message.attempts) == (Status.FAILED, 3)
    assert "Could not send “Review requested" in caplog.text and "after 3 attempt(s)" in caplog.text
    assert mail.queue_status()["failed"] == 1
    assert mail.queue_status()["pending"] == 0
    assert not DBTaskResult.objects.ready().filter(task_path=mail.deliver.module_path).exists(), (
        "no more attempts once it failed"
    )

    client.force_login(make_user("operator", superuser=True))
    changelist = reverse("admin:comparisons_outgoingmail_changelist")
    page = client.get(changelist, {"status__exact": "failed"}).content.decode()
    assert f"Review requested: {draft.title}" in page
    assert editor.email in page
    detail = client.get(reverse("admin:comparisons_outgoingmail_change", args=[message.pk]))
    assert "Connection refused" in detail.content.decode()

    mail_server.start()
    response = client.post(
        changelist, {"action": "send_again", "_selected_action": [message.pk]}, follow=True
    )
    assert "1 message(s) queued to be sent again." in response.content.decode()
    run_worker()
    assert len(mail_server.received) == 1
    message.refresh_from_db()
    assert (message.status, message.attempts) == (Status.SENT, 1)


def test_a_broken_queue_never_undoes_the_move_or_the_note(
    client, database_queue, monkeypatch, caplog
):
    """If even the queue fails, the reader's note and the writer's submit stand; it is logged."""

    def broken(*args, **kwargs):
        raise DatabaseError("the tasks table is gone")

    monkeypatch.setattr(DatabaseBackend, "enqueue", broken)
    make_editor("eddie")
    article = make_comparison(make_tool("Flask"), make_tool("Express"))
    assert post(client, article).status_code == 302
    assert Feedback.objects.count() == 1
    writer = make_writer("wanda")
    draft = make_comparison(status=Comparison.Status.DRAFT, author=writer)
    workflow.submit(draft, writer)
    draft.refresh_from_db()
    assert draft.status == Comparison.Status.REVIEW
    assert caplog.text.count("Could not queue") == 2
    assert not OutgoingMail.objects.exists(), "no message without its task"


# Operators' view of the queue -----------------------------------------------------------------


def test_queue_status_counts_waiting_and_failed_messages_and_the_oldest_wait(clock):
    assert mail.queue_status() == {"pending": 0, "failed": 0, "oldest_pending_seconds": 0.0}
    OutgoingMail.objects.create(subject="a", body="", recipients=["x@example.com"])
    clock.shift(timedelta(seconds=30))
    OutgoingMail.objects.create(subject="b", body="", recipients=["x@example.com"])
    OutgoingMail.objects.create(subject="c", body="", recipients=[], status=Status.FAILED)
    OutgoingMail.objects.create(subject="d", body="", recipients=[], status=Status.SENT)
    clock.shift(timedelta(seconds=70))
    assert mail.queue_status() == {"pending": 2, "failed": 1, "oldest_pending_seconds": 100.0}


# Development and settings ---------------------------------------------------------------------


@pytest.mark.django_db(transaction=False)
def test_development_sends_at_once_and_records_it(django_capture_on_commit_callbacks):
    """The immediate backend (DJANGO_DEBUG=1, tests): mail.outbox as before, and a sent record."""
    with django_capture_on_commit_callbacks(execute=True):
        draft, editor = submitted_draft()
    assert [m.to for m in outbox.outbox] == [[editor.email]]
    assert OutgoingMail.objects.get().status == Status.SENT


@pytest.mark.django_db(transaction=False)
def test_development_keeps_a_refused_message_as_failed(
    settings, caplog, django_capture_on_commit_callbacks
):
    """With no worker to try again, a failure is logged and the message kept for the admin."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 1, 2
    with django_capture_on_commit_callbacks(execute=True):
        submitted_draft()
    message = OutgoingMail.objects.get()
    assert (message.status, message.attempts) == (Status.FAILED, 1)
    assert "Could not send" in caplog.text


@pytest.mark.parametrize(
    ("environment", "backend"),
    [
        ({"DJANGO_DEBUG": "1"}, "django_tasks.backends.immediate.ImmediateBackend"),
        (PRODUCTION, "django_tasks_db.DatabaseBackend"),
        ({**PRODUCTION, "NICEPICK_TASKS_BACKEND": "immediate"}, "ImmediateBackend"),
    ],
)
def test_production_queues_in_the_database_and_development_sends_at_once(environment, backend):
    code = "from django.conf import settings; print(settings.TASKS['default']['BACKEND'])"
    result = manage("shell", "--no-imports", "-c", code, **environment)
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip().endswith(backend)


def test_a_misspelt_tasks_backend_stops_the_site_with_a_clear_message():
    result = manage("check", **{**PRODUCTION, "NICEPICK_TASKS_BACKEND": "databse"})
    assert result.returncode != 0
    assert "NICEPICK_TASKS_BACKEND='databse'" in result.stderr


# make serve --------------------------------------------------------------------------------


def children(pid):
    """{pid: command line} of a process's children, from /proc."""
    try:
        pids = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except FileNotFoundError:
        return {}
    return {
        int(child): Path(f"/proc/{child}/cmdline").read_bytes().replace(b"\0", b" ").decode()
        for child in pids
    }


def test_serve_runs_the_mail_worker_beside_gunicorn_and_stops_both(tmp_path):
    """`make serve` (nicepick/serve.sh): gunicorn and the worker, which sends queued mail."""
    sink = MailServer()
    sink.start()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {
        **{key: value for key, value in os.environ.items() if not key.startswith("DJANGO_")},
        **PRODUCTION,
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "NICEPICK_STATE_DIR": str(tmp_path / "state"),
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "GUNICORN_WORKERS": "1",
        "GUNICORN_ACCESS_LOG": "off",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(sink.port),
        "WORKER_RESTART_SECONDS": "0.5",
    }
    assert manage("migrate", "--verbosity", "0", **env).returncode == 0
    serve = subprocess.Popen(
        [str(ROOT / "nicepick" / "serve.sh")],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        queued = manage(
            "shell",
            "-c",
            "from comparisons import workflow; "
            "workflow.send_safely('Queued while serving', 'Hello.', ['ops@example.com'])",
            **env,
        )
        assert queued.returncode == 0, queued.stderr[-2000:]
        for _ in range(150):  # the worker polls every second; give it up to 30 s
            if sink.received:
                break
            time.sleep(0.2)
        assert [(to, message["Subject"]) for to, message in sink.received] == [
            (["ops@example.com"], "Queued while serving")
        ]
        running = children(serve.pid)
        commands = " | ".join(running.values())
        assert "manage.py db_worker" in commands and "gunicorn nicepick.wsgi" in commands
        # A worker that dies (its database went away, say) is started again; the site stays.
        loop = next(pid for pid, command in running.items() if "db_worker" in command)
        worker = next(iter(children(loop)))
        os.kill(worker, signal.SIGKILL)
        for _ in range(100):
            again = children(loop)
            if again and worker not in again:
                break
            time.sleep(0.1)
        assert again and worker not in again, "the worker was started again"
        assert serve.poll() is None, "gunicorn kept serving"
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=10) as answer:
            assert answer.status == 200
        running.update(again)
    finally:
        serve.terminate()
        status = serve.wait(timeout=60)
        sink.close()
    assert status == 143
    assert not [pid for pid in running if Path(f"/proc/{pid}").exists()], "left running"
