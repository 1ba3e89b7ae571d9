import os
import secrets

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = (
        "Make sure a superuser can log in, and print the login. The password comes from "
        "NICEPICK_ADMIN_PASSWORD, or is generated afresh on every run."
    )

    def add_arguments(self, parser):
        parser.add_argument("--username", default=os.environ.get("NICEPICK_ADMIN_USER", "admin"))

    def handle(self, *args, username, **options):
        password = os.environ.get("NICEPICK_ADMIN_PASSWORD") or secrets.token_urlsafe(12)
        user, _ = get_user_model().objects.get_or_create(username=username)
        user.is_staff = user.is_superuser = user.is_active = True
        user.set_password(password)
        user.save()
        self.stdout.write(
            self.style.SUCCESS(
                f"Admin login: {username} / {password}  (http://127.0.0.1:8000/admin/)"
            )
        )
