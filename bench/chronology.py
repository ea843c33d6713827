"""Benchmark: the multi-agency chronology of 12 agencies' XLSX files making 5,000 rows.

Measures `reviews.chronology`, which needs no database: reading and checking every agency's
file (`read_chronology`), merging them (`merge`), finding the events two agencies both
reported (`duplicates`) and writing the merged chronology as XLSX (`to_xlsx`); beside the
floor, openpyxl reading the same files and nothing else; and, apart, finding duplicates when
every row has the same date (the worst day). One warm-up run is thrown away, then
the median of `--runs` (3) is printed with the peak RSS; the goal is the whole under 10 s.
The figures go to bench/results-chronology.json.

    .venv/bin/python bench/chronology.py [--rows 5000] [--agencies 12] [--runs 3]
"""

import argparse
import dataclasses
import io
import json
import resource
import shutil
import statistics
import time
from pathlib import Path

import throwaway

ROOT = Path(__file__).resolve().parent.parent
RESULTS = Path(__file__).resolve().parent / "results-chronology.json"
GOAL_SECONDS = 10


def rss_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=5000)
    parser.add_argument("--agencies", type=int, default=12)
    parser.add_argument("--runs", type=int, default=3)
    options = parser.parse_args()

    # Django is set up only because the reader's macro check reads settings; no database.
    tmp = throwaway.environment("chronology")
    try:
        import django

        django.setup()
        from django.utils import timezone
        from openpyxl import load_workbook

        from reviews import chronology
        from reviews.tests.chronology_data import chronology_rows, xlsx_file

        files = [
            (agency, xlsx_file(rows))
            for agency, rows in chronology_rows(options.rows, agencies=options.agencies).items()
        ]
        today = timezone.localdate()
        start_rss = rss_mb()

        def floor():
            for _, data in files:
                book = load_workbook(io.BytesIO(data), read_only=True)
                list(book.worksheets[0].iter_rows(values_only=True))
                book.close()

        def one_run() -> dict:
            figures = {}
            begin = time.perf_counter()
            readings = [
                chronology.read_chronology(f"{n}.xlsx", data, agency=agency, today=today)
                for n, (agency, data) in enumerate(files)
            ]
            figures["read_seconds"] = time.perf_counter() - begin
            assert not any(r.problems for r in readings), readings[0].problems[:3]
            mark = time.perf_counter()
            merged = chronology.merge(readings)
            figures["merge_seconds"] = time.perf_counter() - mark
            assert len(merged) == options.rows
            mark = time.perf_counter()
            groups = chronology.duplicates(merged)
            figures["duplicates_seconds"] = time.perf_counter() - mark
            mark = time.perf_counter()
            content = chronology.to_xlsx(merged, duplicates=groups)
            figures["xlsx_seconds"] = time.perf_counter() - mark
            figures["total_seconds"] = time.perf_counter() - begin
            figures["duplicate_groups"] = len(groups)
            figures["xlsx_bytes"] = len(content)
            return figures

        one_run()  # warm-up: imports, caches
        runs = [one_run() for _ in range(options.runs)]
        # The worst day: an agency that gives every row one date by mistake puts all of them
        # on one day, where duplicates are searched among thousands instead of a handful.
        readings = [
            chronology.read_chronology(f"{n}.xlsx", data, agency=agency, today=today)
            for n, (agency, data) in enumerate(files)
        ]
        one_day = [dataclasses.replace(entry, date=today) for entry in chronology.merge(readings)]
        mark = time.perf_counter()
        one_day_groups = chronology.duplicates(one_day)
        one_day_s = time.perf_counter() - mark
        floor_runs = []
        for _ in range(options.runs):
            mark = time.perf_counter()
            floor()
            floor_runs.append(time.perf_counter() - mark)
        median = {
            name: round(statistics.median(run[name] for run in runs), 3)
            for name in runs[0]
            if name.endswith("seconds")
        }
        results = {
            "rows": options.rows,
            "agencies": options.agencies,
            "runs": options.runs,
            "file_bytes": sum(len(data) for _, data in files),
            "floor_read_seconds": round(statistics.median(floor_runs), 3),
            **median,
            "duplicate_groups": runs[0]["duplicate_groups"],
            "xlsx_bytes": runs[0]["xlsx_bytes"],
            "duplicates_one_day_seconds": round(one_day_s, 3),
            "duplicate_groups_one_day": len(one_day_groups),
            "goal_seconds": GOAL_SECONDS,
            "goal_met": median["total_seconds"] < GOAL_SECONDS,
            "start_rss_mb": start_rss,
            "peak_rss_mb": rss_mb(),
        }
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    RESULTS.write_text(json.dumps(results, indent=2) + "\n")
    print(
        f"Chronology, {options.rows} rows from {options.agencies} agencies' XLSX files "
        f"({results['file_bytes'] // 1024} KB), median of {options.runs}:"
    )
    print(f"  floor (openpyxl reads only)  {results['floor_read_seconds']:8.3f} s")
    print(f"  read and check every file    {results['read_seconds']:8.3f} s")
    print(f"  merge                        {results['merge_seconds']:8.3f} s")
    print(
        f"  find duplicates              {results['duplicates_seconds']:8.3f} s   "
        f"{results['duplicate_groups']} groups"
    )
    print(
        f"  duplicates, all on one day   {results['duplicates_one_day_seconds']:8.3f} s   "
        f"{results['duplicate_groups_one_day']} groups (not in the whole)"
    )
    print(
        f"  write the XLSX               {results['xlsx_seconds']:8.3f} s   "
        f"{results['xlsx_bytes'] // 1024} KB"
    )
    print(
        f"  the whole                    {results['total_seconds']:8.3f} s   goal < "
        f"{GOAL_SECONDS} s: {'met' if results['goal_met'] else 'MISSED'}"
    )
    print(f"  RSS at start, peak           {start_rss:8.1f} MB, {results['peak_rss_mb']:.1f} MB")
    print(f"Written to {RESULTS.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
