"""`manage.py refreshcards`: (re)draw the social cards of all published comparisons."""

from pathlib import Path

from django.core.management.base import BaseCommand

from ... import socialcards


class Command(BaseCommand):
    help = (
        "Draw the sharing image of every published comparison whose card is missing or out of "
        "date (all of them with --force)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="Redraw every card.")
        parser.add_argument(
            "--site-card",
            metavar="PATH",
            help="Also draw the site's default card to PATH "
            "(comparisons/static/comparisons/social-card.png).",
        )

    def handle(self, *args, force=False, site_card=None, **options):
        count = socialcards.refresh_all(force=force)
        self.stdout.write(f"{count} published comparison(s) have a social card.")
        if site_card:
            Path(site_card).write_bytes(socialcards.draw_site_card())
            self.stdout.write(f"Site card written to {site_card}.")
