"""Background tasks besides mail (comparisons/mail.py): scheduled changes to live articles."""

from django_tasks import task


@task()
def publish_due_changes():
    """Publish the pending changes whose time has come (comparisons.pending.publish_due)."""
    from . import pending

    return pending.publish_due()
