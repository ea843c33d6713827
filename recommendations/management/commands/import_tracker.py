"""`python manage.py import_tracker FILE --partnership SLUG [--create-partnership "Name"]
[--good-rows-only]`: the web import's reading and writing, from the command line. New agencies
are created without asking (they are listed); bad rows stop the import unless told to skip them."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.text import slugify

from dhr.models import Partnership
from recommendations import services, tracker_import


class Command(BaseCommand):
    help = "Import a partnership's existing recommendations tracker (CSV or XLSX)."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--partnership", required=True, help="the partnership's slug")
        parser.add_argument(
            "--create-partnership",
            metavar="NAME",
            help="create the partnership with this name if the slug is not known",
        )
        parser.add_argument(
            "--good-rows-only",
            action="store_true",
            help="import the good rows even when others have problems",
        )

    def handle(self, *args, **options):
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        partnership = self._partnership(options["partnership"], options["create_partnership"])
        try:
            reading = tracker_import.read_tracker(path.name, path.read_bytes(), partnership)
        except tracker_import.TrackerFileError as error:
            raise CommandError(str(error)) from error
        out = self.stdout.write
        out(f"{reading.total_rows} rows read from {path.name}")
        for error in reading.errors:
            self.stderr.write(f"Row {error['row']}, {error['column']}: {error['message']}")
        if reading.errors and not options["good_rows_only"]:
            raise CommandError(
                f"{len(reading.bad_rows)} of {reading.total_rows} rows have problems: nothing "
                "was imported. Correct them, or use --good-rows-only to skip them."
            )
        for agency in reading.new_agencies:
            close = reading.suggestions.get(agency)
            out(f"New agency: {agency}" + (f" (is it '{close}'?)" if close else ""))
        with transaction.atomic():
            counts = services.tracker_write(partnership=partnership, rows=reading.rows, by=None)
        for name, count in counts.items():
            out(f"{name.replace('_', ' ').capitalize()}: {count}")
        if reading.errors:
            out(f"Skipped rows: {', '.join(str(r) for r in reading.bad_rows)}")

    def _partnership(self, slug: str, name: str | None) -> Partnership:
        partnership = Partnership.objects.filter(slug=slug).first()
        if partnership:
            return partnership
        if not name:
            raise CommandError(
                f"No partnership '{slug}': give --create-partnership \"Name\" to create it"
            )
        if slugify(slug) != slug:
            raise CommandError(f"'{slug}' cannot be a partnership's slug: use {slugify(slug)!r}")
        partnership = Partnership.objects.create(name=name, slug=slug, area=name)
        self.stdout.write(f"Created the partnership {name} ({slug})")
        return partnership
