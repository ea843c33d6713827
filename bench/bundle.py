"""Benchmark: building the publishable PDF bundle of a review with a ~150-page overview report.

Measures the app's own build (`qa_feedback.services.bundle_build` on a PublicationBundle row:
reading and converting the Word reports, laying out and writing the PDF, reading it back, the
anonymity check and storing the file) beside the floor: WeasyPrint rendering the very HTML the
app lays out, with the same print CSS and PDF variant, and nothing else. Each run is a fresh
subprocess, so its peak RSS is its own; one warm-up run of each is thrown away and the median of
--runs is reported, with the ratios app/floor. The figures also go to bench/results-bundle.json.

Everything is fictional and throwaway: an SQLite database and MEDIA_ROOT in a temporary folder,
migrated here. No PostgreSQL, Redis or network needed.

    .venv/bin/python bench/bundle.py [--runs 3] [--sections 182] [--keep]
"""

import argparse
import json
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import time
from importlib.metadata import version
from pathlib import Path

import throwaway

ROOT = Path(__file__).resolve().parent.parent
RESULTS = Path(__file__).resolve().parent / "results-bundle.json"
SECTIONS = 182  # h2 sections in the overview report: 182 make about 150 pages
MB = 1024 * 1024


# --- fictional report text


SUBJECTS = [
    "The GP practice", "The police", "Adult social care", "The housing association",
    "The domestic abuse service", "The emergency department", "The probation service",
    "The MARAC coordinator", "The health visitor", "The mental health team",
    "Children's social care", "The substance misuse service", "Rose's employer", "Sam",
    "Rose", "The panel", "The independent chair", "The ambulance service",
]  # fmt: skip
VERBS = [
    "recorded", "did not share", "considered", "reviewed", "was told about", "did not ask about",
    "referred", "assessed", "noted", "discussed", "missed", "followed up",
]  # fmt: skip
OBJECTS = [
    "the risk of further abuse", "a disclosure of controlling behaviour",
    "the DASH risk assessment", "an injury to her arm", "the missed appointments",
    "the concerns raised by a neighbour", "the history of previous relationships",
    "the safeguarding referral", "the request for a home visit", "the change in her mood",
    "the financial control described by a friend", "the repeated calls to the service",
]  # fmt: skip
TAILS = [
    "during a routine appointment", "but took no further action", "and made a referral",
    "without speaking to Rose alone", "some weeks later", "in line with its policy at the time",
    "although the policy required more", "and the panel found this was good practice",
    "but did not record the outcome", "after a call from a family member",
]  # fmt: skip
CHAPTERS = [
    "Introduction", "Terms of reference", "Methodology", "Involvement of family and friends",
    "Contributors to the review", "The review panel", "Background", "Chronology", "Analysis",
    "Equality and diversity", "Conclusions", "Lessons to be learned", "Recommendations",
]  # fmt: skip


def _sentence(rng: random.Random) -> str:
    return f"{rng.choice(SUBJECTS)} {rng.choice(VERBS)} {rng.choice(OBJECTS)} {rng.choice(TAILS)}."


def _paragraph(rng: random.Random, sentences: int) -> str:
    return " ".join(_sentence(rng) for _ in range(sentences))


def report_blocks(sections: int, *, seed: int = 2026) -> list[tuple[str, str]]:
    """A report of `sections` numbered h2 sections spread over the chapters, each about a page:
    paragraphs of invented text and now and then a short bulleted list. No real name, no date."""
    rng = random.Random(seed)
    blocks: list[tuple[str, str]] = []
    per_chapter = max(1, -(-sections // len(CHAPTERS)))
    for number in range(sections):
        chapter, within = divmod(number, per_chapter)
        if within == 0:
            blocks.append(("h1", f"{chapter + 1}. {CHAPTERS[chapter % len(CHAPTERS)]}"))
        blocks.append(("h2", f"{chapter + 1}.{within + 1} {_sentence(rng)[:-1]}"))
        for paragraph in range(4):
            blocks.append(("p", _paragraph(rng, rng.randint(4, 7))))
            if paragraph == 1 and number % 3 == 0:
                blocks.extend(("li", _sentence(rng)) for _ in range(3))
    return blocks


# --- the parent: database, data, runs, table


def _django() -> None:
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def prepare(given: dict) -> dict:
    """Migrate, create the partnership, its coordinator and a review ready to publish, and keep
    the HTML the app lays out (for the floor)."""
    tmp, sections = Path(given["tmp"]), given["sections"]
    _django()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connections
    from django.utils import timezone

    from dhr.models import Role
    from dhr.pdf import PRINT_CSS, VARIANT
    from qa_feedback.bundle import bundle_html, bundle_parts
    from qa_feedback.tests.factories import ready_to_publish
    from recommendations.tests.factories import ActionFactory, RecommendationFactory
    from reviews.tests.factories import MembershipFactory, PartnershipFactory

    call_command("migrate", interactive=False, verbosity=0)
    partnership = PartnershipFactory(name="Northvale Bench CSP", slug="northvale-bench")
    coordinator = MembershipFactory(partnership=partnership, role=Role.COORDINATOR).user
    overview = report_blocks(sections)
    summary = report_blocks(6, seed=7)
    review = ready_to_publish(partnership, overview=overview, summary=summary)
    rng = random.Random(11)
    for _ in range(5):  # a plan of a realistic size: six recommendations in all
        recommendation = RecommendationFactory(review=review, text=_sentence(rng))
        for _ in range(2):
            ActionFactory(recommendation=recommendation, description=_sentence(rng))
    html = bundle_html(review, final=True, parts=bundle_parts(review), today=timezone.localdate())
    html_file = tmp / "bundle.html"
    html_file.write_text(html, encoding="utf-8")
    connections.close_all()
    return {
        "review": review.pk,
        "coordinator": coordinator.pk,
        "html": str(html_file),
        "css": str(PRINT_CSS),
        "base_url": str(settings.BASE_DIR),
        "variant": VARIANT,
        "overview_blocks": len(overview),
        "overview_words": sum(len(text.split()) for _, text in overview),
        "html_bytes": len(html.encode()),
    }


def _child(kind: str, setup: dict, tmp: Path) -> dict:
    """Run `kind` (prepare, app or floor) in a fresh Python process; its figures come back
    through a file, so that whatever it prints does not matter."""
    out = tmp / f"{kind}-result.json"
    command = [sys.executable, str(Path(__file__).resolve()), "--child", kind]
    command += ["--setup", json.dumps(setup), "--out", str(out)]
    finished = subprocess.run(command, cwd=ROOT, env=os.environ.copy(), check=False)
    if finished.returncode:
        raise SystemExit(f"bench/bundle.py: the {kind} step failed (see above)")
    return json.loads(out.read_text())


def overview_pages(pdf_file: str) -> tuple[int, int]:
    """The overview part's first page (from 1) and its page count, from the PDF's bookmarks."""
    from pypdf import PdfReader

    reader = PdfReader(pdf_file)
    starts = {
        item.title: reader.get_destination_page_number(item)
        for item in reader.outline
        if not isinstance(item, list)  # a list holds the bookmarks under the one before it
    }
    first = starts["Overview report"]
    after = min((page for page in starts.values() if page > first), default=len(reader.pages))
    return first + 1, after - first


def main() -> None:
    parser = argparse.ArgumentParser(
        description="Time and peak memory of building a review's PDF bundle, against the "
        "floor of WeasyPrint alone on the same HTML."
    )
    parser.add_argument("--runs", type=int, default=3, help="measured runs of each (default 3)")
    parser.add_argument(
        "--sections",
        type=int,
        default=SECTIONS,
        help=f"sections in the overview report (default {SECTIONS}, about 150 pages)",
    )
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    parser.add_argument("--child", choices=["prepare", "app", "floor"], help=argparse.SUPPRESS)
    parser.add_argument("--setup", help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        work = {"prepare": prepare, "app": measure_app, "floor": measure_floor}[args.child]
        Path(args.out).write_text(json.dumps(work(json.loads(args.setup))))
        return
    if args.runs < 1 or args.sections < 1:
        parser.error("--runs and --sections must be at least 1")

    tmp = throwaway.environment("bundle")
    try:
        report = run(args, tmp)
    finally:
        if args.keep:
            print(f"Kept {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)
    RESULTS.write_text(json.dumps(report, indent=2) + "\n")
    print_table(report)
    print(f"\nFigures written to {RESULTS.relative_to(ROOT)}")


def run(args, tmp: Path) -> dict:
    print(f"Preparing a throwaway database in {tmp} ...", flush=True)
    started = time.perf_counter()
    # In a child too: Linux carries a process's peak RSS over fork and exec, so the parent
    # stays small (no Django) and each measured child's ru_maxrss is its own.
    setup = _child("prepare", {"tmp": str(tmp), "sections": args.sections}, tmp)
    print(
        f"  ready in {time.perf_counter() - started:.0f} s: an overview report of "
        f"{args.sections} sections, {setup['overview_words']:,} words; the bundle's HTML is "
        f"{setup['html_bytes'] / MB:.1f} MB",
        flush=True,
    )
    runs: dict[str, list[dict]] = {"app": [], "floor": []}
    for number in range(args.runs + 1):
        label = "warm-up" if number == 0 else f"run {number}/{args.runs}"
        for kind in ("app", "floor"):  # interleaved, so that drift hits both alike
            result = _child(kind, setup, tmp)
            print(
                f"  {label:>9} {kind:<5} {result['seconds']:7.2f} s "
                f"{result['peak_rss'] / MB:7.1f} MB peak RSS, {result['pages']} pages",
                flush=True,
            )
            if number:
                runs[kind].append(result)
    first, pages = overview_pages(runs["app"][-1]["pdf_file"])
    return summarise(runs, args, setup, first, pages)


def summarise(runs: dict, args, setup: dict, first: int, pages: int) -> dict:
    figures = {}
    for kind, results in runs.items():
        peak = statistics.median(r["peak_rss"] for r in results) / MB
        start = statistics.median(r["rss_before"] for r in results) / MB
        figures[kind] = {
            "seconds": statistics.median(r["seconds"] for r in results),
            "seconds_each": [round(r["seconds"], 3) for r in results],
            "peak_rss_mb": peak,
            "peak_rss_mb_each": [round(r["peak_rss"] / MB, 1) for r in results],
            "rss_at_start_mb": start,  # the process before the timed call: imports, Django
            "rss_growth_mb": peak - start,
            "pages": results[-1]["pages"],
            "pdf_mb": results[-1]["pdf_bytes"] / MB,
        }
    app, floor = figures["app"], figures["floor"]
    return {
        "benchmark": "bundle",
        "when": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "runs": args.runs,
        "python": sys.version.split()[0],
        "weasyprint": version("weasyprint"),
        "cpus": os.cpu_count(),
        "overview_report": {
            "sections": args.sections,
            "words": setup["overview_words"],
            "first_page": first,
            "pages": pages,
        },
        "bundle_html_mb": setup["html_bytes"] / MB,
        "app": app,
        "floor": floor,
        "ratio": {
            "seconds": app["seconds"] / floor["seconds"],
            "peak_rss": app["peak_rss_mb"] / floor["peak_rss_mb"],
            "rss_growth": app["rss_growth_mb"] / max(floor["rss_growth_mb"], 0.1),
        },
    }


def print_table(report: dict) -> None:
    app, floor, ratio = report["app"], report["floor"], report["ratio"]
    overview = report["overview_report"]
    last = overview["first_page"] + overview["pages"] - 1
    print(
        f"\nOverview report: {overview['pages']} pages (pages {overview['first_page']}-{last} "
        f"of {app['pages']}). Median of {report['runs']} run(s), WeasyPrint "
        f"{report['weasyprint']}, Python {report['python']}, {report['cpus']} CPUs.\n"
    )
    print(f"{'':<27}{'seconds':>9}{'peak RSS MB':>13}{'at start MB':>13}{'pages':>7}{'PDF MB':>8}")
    for name, row in (("app (bundle_build)", app), ("floor (WeasyPrint alone)", floor)):
        print(
            f"{name:<27}{row['seconds']:>9.2f}{row['peak_rss_mb']:>13.1f}"
            f"{row['rss_at_start_mb']:>13.1f}{row['pages']:>7}{row['pdf_mb']:>8.2f}"
        )
    print(f"{'ratio app/floor':<27}{ratio['seconds']:>9.2f}{ratio['peak_rss']:>13.2f}")
    print(
        f"\n(Peak RSS less RSS at start, the memory the build itself took: app "
        f"{app['rss_growth_mb']:.0f} MB, floor {floor['rss_growth_mb']:.0f} MB, ratio "
        f"{ratio['rss_growth']:.2f}.)"
    )


# --- the children: one measured build each, in a fresh process


def _peak() -> int:
    """This process's peak resident set so far, in bytes (Linux reports KiB)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak if sys.platform == "darwin" else peak * 1024


def measure_app(setup: dict) -> dict:
    """The build as the worker runs it: services.bundle_build on a new PublicationBundle row."""
    _django()
    from qa_feedback import services
    from qa_feedback.models import PublicationBundle
    from reviews.models import Review

    review = Review.objects.get(pk=setup["review"])
    bundle = PublicationBundle.objects.create(
        review=review,
        number=review.bundles.count() + 1,
        final=True,
        requested_by_id=setup["coordinator"],
    )
    before = _peak()
    started = time.perf_counter()
    built = services.bundle_build(bundle_id=bundle.pk)
    seconds = time.perf_counter() - started
    peak = _peak()
    if built.state != PublicationBundle.State.DONE:
        raise SystemExit(f"The bundle was not built: {built.message}")
    return {
        "seconds": seconds,
        "peak_rss": peak,
        "rss_before": before,
        "pages": built.pages,
        "pdf_bytes": built.size,
        "pdf_file": built.file.path,
    }


def measure_floor(setup: dict) -> dict:
    """WeasyPrint alone on the same HTML, with the same stylesheet and PDF variant."""
    import weasyprint

    html = Path(setup["html"]).read_text(encoding="utf-8")
    before = _peak()
    started = time.perf_counter()
    pdf = weasyprint.HTML(string=html, base_url=setup["base_url"]).write_pdf(
        stylesheets=[weasyprint.CSS(filename=setup["css"])], pdf_variant=setup["variant"]
    )
    seconds = time.perf_counter() - started
    peak = _peak()
    from io import BytesIO

    from pypdf import PdfReader

    return {
        "seconds": seconds,
        "peak_rss": peak,
        "rss_before": before,
        "pages": len(PdfReader(BytesIO(pdf)).pages),
        "pdf_bytes": len(pdf),
    }


if __name__ == "__main__":
    main()
