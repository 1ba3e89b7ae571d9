"""
Notifications leave through a durable queue, never from inside a reader's or an editor's request.

`queue()` (called by `workflow.send_safely`, the one seam every notification goes through) keeps
the message as an `OutgoingMail` row and enqueues the `deliver` task. With the database backend
(production) the task row is written in the same transaction as the message, so both exist once
the change that caused them commits, or neither does; the worker (`manage.py db_worker`) then
sends it. With the immediate backend (development, tests) it is sent right after the commit.

A send that fails (server refusing, timing out, saying no) is tried again later, each wait five
times the last (1 min, 5 min, 25 min, ~2 h, then every 6 h), until NICEPICK_MAIL_MAX_ATTEMPTS;
then the message is kept as failed, listed in the admin (Outgoing mail) where it can be sent
again. Each attempt queues its own follow-up before it talks to the mail server, so a worker
that dies mid-send loses nothing either: the follow-up finds the message still waiting.

The tasks come from the `django-tasks` backport of Django 6's `django.tasks`: on Django 6,
`from django.tasks import task` replaces the import below and nothing else changes.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django_tasks import task
from django_tasks_db import DatabaseBackend

from .models import OutgoingMail

logger = logging.getLogger(__name__)

Status = OutgoingMail.Status

# The longest wait between two attempts, however many there were.
LONGEST_WAIT = timedelta(hours=6)


def queue(subject, body, recipients):
    """Keep a notification and hand it to the task queue. Raises if the queue cannot take it."""
    with transaction.atomic():
        message = OutgoingMail.objects.create(
            subject=subject, body=body, recipients=list(recipients)
        )
        _enqueue(message.pk)
    return message


def send_again(messages):
    """Give failed (or waiting) messages a fresh round of attempts, starting now."""
    ids = list(
        messages.filter(status__in=(Status.FAILED, Status.PENDING)).values_list("pk", flat=True)
    )
    with transaction.atomic():
        OutgoingMail.objects.filter(pk__in=ids).update(
            status=Status.PENDING, attempts=0, next_attempt_at=timezone.now()
        )
        for pk in ids:
            _enqueue(pk)
    return len(ids)


def queue_status():
    """
    The mail queue for health checks and metrics, in two cheap queries: messages waiting, messages
    given up on, and how long the oldest waiting one has waited (0 when none waits).
    """
    counts = OutgoingMail.objects.status_counts()
    oldest = counts.pop("oldest_pending_at")
    waited = (timezone.now() - oldest).total_seconds() if oldest else 0.0
    return {**counts, "oldest_pending_seconds": max(waited, 0.0)}


def needs_worker():
    """Whether messages wait in the database for `manage.py db_worker` (make serve asks)."""
    return isinstance(deliver.get_backend(), DatabaseBackend)


def retry_delay(attempt):
    """How long to wait after failed attempt number `attempt` (1, 2, …): 1 min, 5 min, 25 min…"""
    first = timedelta(seconds=settings.NICEPICK_MAIL_RETRY_SECONDS)
    # Never sooner than a slow send can take, so two attempts of one message never overlap.
    first = max(first, timedelta(seconds=3 * settings.EMAIL_TIMEOUT))
    return min(first * 5 ** (attempt - 1), LONGEST_WAIT)


def _enqueue(message_id):
    """Enqueue `deliver` for a message saved in the current transaction, to run once it commits."""
    if needs_worker():
        deliver.enqueue(message_id)  # a row in the same database, committed with the message
    else:
        transaction.on_commit(lambda: deliver.enqueue(message_id))


@task()
def deliver(message_id):
    """
    Send one queued message, the worker's job. Returns what happened, for the task's record.

    The attempt is claimed with a conditional update (no lock is held while the mail server
    takes its time), so two tasks for one message never both send it.
    """
    now = timezone.now()
    message = OutgoingMail.objects.filter(pk=message_id).first()
    if message is None or message.status != Status.PENDING or message.next_attempt_at > now:
        return "nothing to do"  # sent, given up on, deleted, or another task's turn
    max_attempts = settings.NICEPICK_MAIL_MAX_ATTEMPTS
    # Without a worker (the immediate backend) nothing would run a later attempt.
    retries = deliver.get_backend().supports_defer
    if message.attempts >= max_attempts:
        # The last attempt never finished (its worker died): give up as it would have.
        _give_up(message, message.last_error or "the last attempt did not finish")
        return "failed"
    attempt = message.attempts + 1
    retry_at = now + retry_delay(attempt)
    with transaction.atomic():
        claimed = OutgoingMail.objects.filter(
            pk=message.pk, status=Status.PENDING, attempts=message.attempts
        ).update(attempts=attempt, last_attempt_at=now, next_attempt_at=retry_at)
        if not claimed:
            return "nothing to do"
        if retries:
            # The next attempt is queued before this one starts: should this worker die while
            # the mail server keeps it waiting, the message is still tried again (or given up).
            deliver.using(run_after=retry_at).enqueue(message.pk)
    message.attempts = attempt
    try:
        send_mail(message.subject, message.body, None, message.recipients)
    except Exception as error:  # refused, timed out, rejected: all mean "not delivered yet"
        return _failed(message, error, last=not retries or attempt >= max_attempts)
    OutgoingMail.objects.filter(pk=message.pk).update(
        status=Status.SENT, sent_at=timezone.now(), last_error=""
    )
    return "sent"


def _failed(message, error, *, last):
    reason = f"{type(error).__name__}: {error}"[:1000]
    if last:
        _give_up(message, reason)
        return "failed"
    OutgoingMail.objects.filter(pk=message.pk, attempts=message.attempts).update(last_error=reason)
    logger.warning(
        "Could not send “%s” to %s (attempt %d of %d): %s; trying again in %s",
        message.subject,
        ", ".join(message.recipients),
        message.attempts,
        settings.NICEPICK_MAIL_MAX_ATTEMPTS,
        reason,
        retry_delay(message.attempts),
    )
    return "will retry"


def _give_up(message, reason):
    OutgoingMail.objects.filter(pk=message.pk, attempts=message.attempts).update(
        status=Status.FAILED, last_error=reason
    )
    logger.error(
        "Could not send “%s” to %s after %d attempt(s): %s. It is kept as failed: "
        "send it again from the admin (Outgoing mail).",
        message.subject,
        ", ".join(message.recipients),
        message.attempts,
        reason,
    )
