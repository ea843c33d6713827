"""`python manage.py retention [--dry-run]`: list the reviews past their partnership's retention
period, then (unless --dry-run) remove what identifies people in them (`reviews.records`)."""

from django.core.management.base import BaseCommand
from django.utils import timezone

from reviews import records


class Command(BaseCommand):
    help = "List, then anonymise, the reviews past their partnership's retention period."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="list them; change nothing")

    def handle(self, *args, **options):
        due = records.retention_due(timezone.localdate())
        out = self.stdout.write
        if not due:
            out("No review is past its retention period.")
            return
        verb = "Would anonymise" if options["dry_run"] else "Anonymised"
        for item in due:
            if not options["dry_run"]:
                records.review_anonymise(review=item.review)
            out(f"{verb} {records.retention_line(item)}")
        out(f"{len(due)} review{'s' if len(due) != 1 else ''}.")
