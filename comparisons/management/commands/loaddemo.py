from django.core.management.base import BaseCommand

from comparisons.demo import load_demo


class Command(BaseCommand):
    help = "Create the demo categories, tools and comparisons that are missing (idempotent)."

    def handle(self, *args, **options):
        created = load_demo()
        self.stdout.write(self.style.SUCCESS(f"Demo content ready ({created} comparisons added)."))
