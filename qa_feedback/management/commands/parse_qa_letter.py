"""`python manage.py parse_qa_letter FILE [--json]`: what the app reads from a QA letter, by the
same parser and file reading as the web page: its dates, outcome and points, and the publication
steps it names, the partnership's and those the Home Office takes itself."""

import json
import sys
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management.base import BaseCommand, CommandError

from qa_feedback.instructions import whose_steps
from qa_feedback.models import Category, ChecklistItem, Outcome
from qa_feedback.parser import parse_letter
from qa_feedback.reading import text_of


class Command(BaseCommand):
    help = "Read a Home Office QA letter (text, PDF, DOCX or ODT) and print its dates and points."

    def add_arguments(self, parser):
        parser.add_argument("file", help="the letter; '-' reads text from standard input")
        parser.add_argument("--json", action="store_true", help="print JSON")

    def handle(self, *args, **options):
        name = options["file"]
        if name == "-":
            text = sys.stdin.read()
        else:
            path = Path(name)
            if not path.is_file():
                raise CommandError(f"No such file: {name}")
            upload = SimpleUploadedFile(path.name, path.read_bytes())
            try:
                text = text_of(upload)
            except ValidationError as error:
                raise CommandError(" ".join(error.messages)) from error
        letter = parse_letter(text)
        # Whose each step the letter names is, as the page records it (docs/decisions/0014):
        # the PCC copied by the Home Office itself is never the partnership's step.
        whose = whose_steps(text, letter.requirements)
        if options["json"]:
            found = {
                **letter.as_json(),
                "publication_steps": {
                    "partnership": whose.partnership,
                    "home_office": whose.home_office,
                },
            }
            self.stdout.write(json.dumps(found, indent=2, ensure_ascii=False))
            return
        out = self.stdout.write
        out(f"Letter date:  {letter.letter_date or 'not found'}")
        out(f"Panel date:   {letter.panel_date or 'not found'}")
        outcome = Outcome(letter.outcome).label if letter.outcome else "not found"
        out(f"Outcome:      {outcome}")
        out(f"Signed by:    {letter.signatory or 'not found'}")
        out(f"Steps:        {self._labels(whose.partnership)}")
        out(f"Home Office:  {self._labels(whose.home_office)} (steps the Home Office takes itself)")
        out(f"Points:       {len(letter.points)}")
        for point in letter.points:
            refs = ", ".join(point.paragraphs) or "-"
            recs = ", ".join(str(r) for r in point.recommendations) or "-"
            under = f' (under "{point.heading}")' if point.heading else ""
            out(f"\n{point.number}. [{Category(point.category).label}]{under} {point.text}")
            out(f"   paragraphs: {refs}; recommendations: {recs}")

    @staticmethod
    def _labels(items: list[str]) -> str:
        return "; ".join(ChecklistItem(item).label for item in items) or "none"
