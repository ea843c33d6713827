"""`python manage.py load_demo`: here, in the app that sits highest so far, because the demo
builds on every app below it: reviews, then their QA letters, then their action plans."""

from django.core.management.base import BaseCommand

from qa_feedback import demo as qa_demo
from recommendations import demo as plans_demo
from reviews import demo


class Command(BaseCommand):
    help = "Load the fictional demo partnership, people, reviews, QA letters and action plans."

    def handle(self, *args, **options):
        result = demo.load()
        letters = qa_demo.load()
        plans = plans_demo.load()
        plans_demo.load_tracker()
        self.stdout.write(
            f"Demo data ready: {result['reviews']} reviews, {letters['letters']} QA letters, "
            f"{plans['actions']} actions. Sign in as coordinator@example.org, "
            "chair@example.org, viewer@example.org, police.contact@example.org or "
            f"admin@example.org with the password {demo.DEMO_PASSWORD}; for the security code "
            "of coordinators, chairs and the admin: manage.py demo_code EMAIL"
        )
