"""`python manage.py load_demo`: here, in the app that sits highest so far, because the demo
builds on every app below it (reviews, then their action plans)."""

from django.core.management.base import BaseCommand

from recommendations import demo as plans_demo
from reviews import demo


class Command(BaseCommand):
    help = "Load the fictional demo partnership, people, reviews and action plans (once)."

    def handle(self, *args, **options):
        result = demo.load()
        plans = plans_demo.load()
        self.stdout.write(
            f"Demo data ready: {result['reviews']} reviews, {plans['actions']} actions. Sign in "
            "as coordinator@example.org, chair@example.org, viewer@example.org, "
            f"police.contact@example.org or admin@example.org with the password "
            f"{demo.DEMO_PASSWORD}"
        )
