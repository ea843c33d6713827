"""Benchmark: importing the largest tracker the import takes (5,000 rows) and reporting on it.

Measures, on a throwaway SQLite database with fictional data:
- read: `tracker_import.read_tracker` (reading the CSV or XLSX, checking every row, comparing
  with the system) on a fresh partnership;
- write: `services.tracker_write` of the rows (what the worker does);
- re-import: reading and writing the same file again (nothing changes);
- report: `tracker.tracker_report` and its SQL queries; and the PDF, CSV and XLSX of it;
beside the floor: Python's csv module (or openpyxl) reading the same file and nothing else.
Prints seconds, queries and peak RSS, and writes them to bench/results-tracker.json.

    .venv/bin/python bench/tracker.py [--rows 5000] [--format csv|xlsx]
"""

import argparse
import csv
import io
import json
import random
import resource
import shutil
import time
from pathlib import Path

import throwaway

ROOT = Path(__file__).resolve().parent.parent
RESULTS = Path(__file__).resolve().parent / "results-tracker.json"
AGENCIES = [
    "Northvale Police", "Northvale Integrated Care Board", "Northvale Homes",
    "Probation Service (Northvale)", "Northvale Council Children's Services", "Home Office",
    "Safe Haven Domestic Abuse Service", "Northvale Hospitals NHS Trust",
]  # fmt: skip
THEMES = [
    "Risk assessment", "Information sharing and multi-agency working",
    "Awareness raising and communication", "Safeguarding children",
    "Complex needs (alcohol, drugs, mental health)", "Perpetrators and bail issues",
]  # fmt: skip
STATUSES = ["Completed", "Part completed", "In progress", "Awaiting feedback", "Not started"]
WORDS = [
    "review", "share", "risk", "training", "audit", "referral", "policy", "staff", "record",
    "assess", "MARAC", "housing", "health", "police", "probation", "children", "family",
    "employer", "guidance", "checklist", "procedure",
]  # fmt: skip


def tracker_rows(count: int) -> list[list[str]]:
    """`count` fictional rows: reviews of about 16 actions, recommendations of about 3."""
    rng = random.Random(7)
    rows = []
    for n in range(count):
        review, recommendation = n // 16, (n % 16) // 3 + 1
        same = random.Random(review * 100 + recommendation)  # what a recommendation's rows share
        rows.append(
            [
                f"DHR-{2015 + review % 10}-{review:04d}",
                f"Person {review}",
                str(recommendation),
                f"Recommendation {recommendation} of review {review}: "
                + " ".join(same.choices(WORDS, k=12)),
                THEMES[(review + recommendation) % len(THEMES)],
                AGENCIES[(review + recommendation) % len(AGENCIES)],
                same.choice(["local", "local", "regional", "national"]),
                f"Action {n}: " + " ".join(rng.choices(WORDS, k=10)),
                f"{rng.randint(1, 28):02d}/{rng.randint(1, 12):02d}/{rng.randint(2020, 2030)}",
                rng.choice(STATUSES),
                " ".join(rng.choices(WORDS, k=8)),
            ]
        )
    return rows


def tracker_file(rows, fmt: str) -> bytes:
    from recommendations.tracker_import import COLUMNS

    if fmt == "csv":
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(COLUMNS)
        writer.writerows(rows)
        return out.getvalue().encode()
    from openpyxl import Workbook

    book = Workbook()
    book.active.append(COLUMNS)
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def timed(function):
    start = time.perf_counter()
    result = function()
    return result, round(time.perf_counter() - start, 3)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=5000)
    parser.add_argument("--format", choices=["csv", "xlsx"], default="csv")
    options = parser.parse_args()

    tmp = throwaway.environment("tracker")
    try:
        import django

        django.setup()
        from django.core.management import call_command
        from django.db import connection, transaction
        from django.test.utils import CaptureQueriesContext
        from django.utils import timezone

        from dhr.models import Partnership
        from recommendations import exports, services, tracker, tracker_import

        call_command("migrate", interactive=False, verbosity=0)
        partnership = Partnership.objects.create(name="Bench CSP", slug="bench", area="Bench")
        data = tracker_file(tracker_rows(options.rows), options.format)

        def floor():
            if options.format == "csv":
                return list(csv.reader(io.StringIO(data.decode())))
            from openpyxl import load_workbook

            book = load_workbook(io.BytesIO(data), read_only=True)
            rows = list(book.worksheets[0].iter_rows(values_only=True))
            book.close()
            return rows

        _, floor_s = timed(floor)
        reading, read_s = timed(
            lambda: tracker_import.read_tracker(f"t.{options.format}", data, partnership)
        )
        assert not reading.errors, reading.errors[:3]

        def write():
            with transaction.atomic():
                return services.tracker_write(partnership=partnership, rows=reading.rows, by=None)

        written_queries = []

        def count(execute, sql, params, many, context):
            written_queries.append(1)
            return execute(sql, params, many, context)

        with connection.execute_wrapper(count):
            counts, write_s = timed(write)

        def again():
            second = tracker_import.read_tracker(f"t.{options.format}", data, partnership)
            with transaction.atomic():
                return services.tracker_write(partnership=partnership, rows=second.rows, by=None)

        unchanged, again_s = timed(again)
        assert unchanged["actions_unchanged"] == options.rows, unchanged
        today = timezone.localdate()
        connection.queries_log.clear()
        with CaptureQueriesContext(connection) as queries:
            report, report_s = timed(lambda: tracker.tracker_report(partnership, today=today))
        sections = tracker.sections(report)
        period = tracker.Period()
        outputs = {}
        for fmt in ("pdf", "csv", "xlsx"):
            content, seconds = timed(
                lambda fmt=fmt: getattr(exports, f"tracker_{fmt}")(report, sections, period)
            )
            outputs[fmt] = {"seconds": seconds, "bytes": len(content)}
        results = {
            "rows": options.rows,
            "format": options.format,
            "file_bytes": len(data),
            "floor_read_seconds": floor_s,
            "read_and_check_seconds": read_s,
            "write_seconds": write_s,
            "write_queries": len(written_queries),
            "reimport_seconds": again_s,
            "written": counts,
            "report_seconds": report_s,
            "report_queries": len(queries),
            "recommendations": report["recommendations"]["total"],
            "exports": outputs,
            "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        }
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    RESULTS.write_text(json.dumps(results, indent=2) + "\n")
    print(f"Tracker import, {options.rows} rows ({options.format}, {len(data) // 1024} KB):")
    print(f"  floor (read the file only)   {floor_s:8.3f} s")
    print(f"  read and check every row     {read_s:8.3f} s")
    print(
        f"  write (the worker)           {write_s:8.3f} s   {len(written_queries)} queries; "
        f"{counts}"
    )
    print(f"  import again (no change)     {again_s:8.3f} s")
    print(
        f"  tracker report               {report_s:8.3f} s   {len(queries)} queries, "
        f"{results['recommendations']} recommendations"
    )
    for fmt, figures in outputs.items():
        print(f"  report as {fmt:<4}                {figures['seconds']:8.3f} s")
    print(f"  peak RSS                     {results['peak_rss_mb']:8.1f} MB")
    print(f"Written to {RESULTS.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
