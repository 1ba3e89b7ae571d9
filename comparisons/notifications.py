"""E-mails about readers' feedback; the workflow's own e-mails live in workflow.py."""

from django.conf import settings
from django.urls import reverse

from . import workflow


def new_feedback(feedback):
    """Tell the editors (or FEEDBACK_NOTIFY) about a new note; a mail failure is only logged."""
    comparison = feedback.comparison
    recipients = settings.FEEDBACK_NOTIFY or workflow.editor_emails()
    link = settings.SITE_URL + reverse("admin:comparisons_feedback_change", args=[feedback.pk])
    body = [
        f"A reader wrote in about “{comparison.title}”.",
        f"They would pick: {feedback.picked_name()}",
        "",
        feedback.message,
        "",
        f"From: {feedback.name or 'anonymous'}"
        + (f" <{feedback.email}>" if feedback.email else ""),
        f"Triage it: {link}",
    ]
    workflow.send_safely(f"Reader feedback: {comparison.title}", "\n".join(body), recipients)
