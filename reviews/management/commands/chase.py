"""`python manage.py chase [--dry-run] [--json]`: the daily chase, now."""

import json

from django.core.management.base import BaseCommand
from django.utils import timezone

from reviews.chase import chase_run


class Command(BaseCommand):
    help = "Send the reminders due today (the job beat runs every morning at 07:00)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="List what would be sent; send nothing."
        )
        parser.add_argument("--json", action="store_true", help="Print the result as JSON.")

    def handle(self, *args, **options):
        dry_run = options["dry_run"]
        result = chase_run(today=timezone.localdate(), dry_run=dry_run)
        if options["json"]:
            self.stdout.write(json.dumps(result.as_dict(dry_run=dry_run)))
            return
        if dry_run:
            self.stdout.write(f"{len(result.planned)} reminder(s) would be sent:")
            for planned in result.planned:
                item = planned.as_dict()
                self.stdout.write(
                    f"  {item['review']}: {item['what']}, due {item['due']} (step {item['step']})"
                )
            return
        self.stdout.write(
            f"Reminders sent: {result.reminders_sent}; failed (retried later): "
            f"{result.reminders_failed}; escalations proposed: {result.escalations_proposed}"
        )
