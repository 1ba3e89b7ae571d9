"""
`make run`'s admin login: a superuser that can log in, created once and then left alone.

The password comes from NICEPICK_ADMIN_PASSWORD when that is set (it then replaces the current
one on every run). Otherwise a new user gets a generated password, printed once; an existing
user keeps theirs, so editors' logins survive the next `make run`.
"""

import os
import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.urls import reverse

from comparisons import workflow


class Command(BaseCommand):
    help = (
        "Make sure a superuser can log in, and print the login. The password comes from "
        "NICEPICK_ADMIN_PASSWORD; otherwise a new user gets a generated one (printed once) "
        "and an existing user keeps theirs."
    )

    def add_arguments(self, parser):
        parser.add_argument("--username", default=os.environ.get("NICEPICK_ADMIN_USER", "admin"))

    def handle(self, *args, username, **options):
        chosen = os.environ.get("NICEPICK_ADMIN_PASSWORD")
        user, created = get_user_model().objects.get_or_create(username=username)
        user.is_staff = user.is_superuser = user.is_active = True
        password = chosen or (
            secrets.token_urlsafe(12) if created or not user.has_usable_password() else None
        )
        if password:
            user.set_password(password)
        user.save()
        admin_url = settings.SITE_URL + reverse("admin:index")
        if password:
            message = f"Admin login: {username} / {password}  ({admin_url})"
        else:
            message = (
                f"Admin login: {username} with its existing password, which is kept "
                f"({admin_url}). To reset it: python manage.py changepassword {username}, "
                "or run again with NICEPICK_ADMIN_PASSWORD set."
            )
        self.stdout.write(self.style.SUCCESS(message))
        if not workflow.editor_emails() and not settings.FEEDBACK_NOTIFY:
            self.stdout.write(
                self.style.WARNING(
                    "No editor has an e-mail address: submissions for review and readers' "
                    "notes reach nobody until one is set (admin › Users, or FEEDBACK_NOTIFY)."
                )
            )
