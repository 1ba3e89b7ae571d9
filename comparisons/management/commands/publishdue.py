from django.core.management.base import BaseCommand

from comparisons import pending


class Command(BaseCommand):
    help = "Publish the scheduled changes to live articles whose time has come."

    def handle(self, *args, **options):
        count = pending.publish_due()
        self.stdout.write(f"{count} scheduled change(s) published.")
