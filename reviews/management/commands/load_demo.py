from django.core.management.base import BaseCommand

from reviews import demo


class Command(BaseCommand):
    help = "Load the fictional demo partnership, people and reviews (once; safe to re-run)."

    def handle(self, *args, **options):
        result = demo.load()
        self.stdout.write(
            f"Demo data ready: {result['reviews']} reviews. Sign in as coordinator@example.org, "
            f"chair@example.org, viewer@example.org, police.contact@example.org or "
            f"admin@example.org with the password {demo.DEMO_PASSWORD}"
        )
