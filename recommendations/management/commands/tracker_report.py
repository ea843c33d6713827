"""`python manage.py tracker_report --partnership SLUG --format json|csv|xlsx|pdf [--out FILE]
[--from DATE] [--to DATE]`: the steering group's tracker report, the same figures as its page."""

import json
import sys
from datetime import date
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from dhr.models import Partnership
from recommendations import exports, tracker


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as error:
        raise CommandError(f"'{text}' is not a date like 2026-03-31") from error


class Command(BaseCommand):
    help = "Print or write a partnership's tracker report (JSON, CSV, XLSX or PDF)."

    def add_arguments(self, parser):
        parser.add_argument("--partnership", required=True, help="the partnership's slug")
        parser.add_argument("--format", choices=["json", "csv", "xlsx", "pdf"], default="json")
        parser.add_argument("--out", help="write to this file instead of standard output")
        parser.add_argument("--from", dest="start", help="first day of the period (YYYY-MM-DD)")
        parser.add_argument("--to", dest="end", help="last day of the period (YYYY-MM-DD)")

    def handle(self, *args, **options):
        partnership = Partnership.objects.filter(slug=options["partnership"]).first()
        if partnership is None:
            raise CommandError(f"No partnership '{options['partnership']}'")
        period = tracker.Period(
            start=_date(options["start"]) if options["start"] else None,
            end=_date(options["end"]) if options["end"] else None,
        )
        report = tracker.tracker_report(partnership, today=timezone.localdate(), period=period)
        fmt = options["format"]
        if fmt == "json":
            content = json.dumps(report, indent=2, ensure_ascii=False) + "\n"
        else:
            sections = tracker.sections(report)
            content = getattr(exports, f"tracker_{fmt}")(report, sections, period)
        if options["out"]:
            path = Path(options["out"])
            if isinstance(content, str):
                path.write_text(content, encoding="utf-8")
            else:
                path.write_bytes(content)
            self.stderr.write(f"Written to {path}")
        elif isinstance(content, bytes):
            sys.stdout.buffer.write(content)
        else:
            self.stdout.write(content, ending="")
