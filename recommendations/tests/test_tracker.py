"""Importing a tracker whose figures are known, then reading every figure back from the report:
as JSON (`tracker_report`), on the page, in the PDF, the CSV and the XLSX. Importing the same
file again changes nothing."""

import csv
import io
import json
from pathlib import Path

import lxml.html
import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook, load_workbook
from pypdf import PdfReader

from dhr.models import Agency, Partnership
from recommendations import tracker
from recommendations.models import Action, Recommendation, Theme, TrackerStatus
from reviews.models import Review, Status

TRACKERS = Path(__file__).parent / "trackers"
NORTHVALE = TRACKERS / "northvale.csv"

# Worked out by hand from northvale.csv: 4 reviews, 11 recommendations, 14 actions.
EXPECTED_REVIEWS = {"considered": 4, "commissioned": 4, "completed": 4, "published": 4}
EXPECTED_RECOMMENDATIONS = {
    "total": 11,
    "by_status": {"completed": 4, "in_progress": 4, "awaiting_feedback": 3},
    "national": 2,
    "by_theme": [
        {"theme": "Awareness raising and communication", "count": 2, "percent": 18},
        {"theme": "Complex needs (alcohol, drugs, mental health)", "count": 2, "percent": 18},
        {"theme": "Perpetrators and bail issues", "count": 2, "percent": 18},
        {"theme": "Risk assessment", "count": 2, "percent": 18},
        {"theme": "Agency-specific policies or issues", "count": 1, "percent": 9},
        {
            "theme": "Awareness and training for healthcare professionals",
            "count": 1,
            "percent": 9,
        },
        {"theme": "Information sharing and multi-agency working", "count": 1, "percent": 9},
        {"theme": "Safeguarding children", "count": 1, "percent": 9},
    ],
    "by_lead_agency": [
        {"agency": "Northvale Police", "count": 3, "percent": 27},
        {"agency": "Northvale NHS Foundation Trust", "count": 2, "percent": 18},
        {"agency": "Department for Work and Pensions", "count": 1, "percent": 9},
        {"agency": "Home Office", "count": 1, "percent": 9},
        {"agency": "Northvale Children's Services", "count": 1, "percent": 9},
        {"agency": "Northvale Council Housing", "count": 1, "percent": 9},
        {"agency": "Northvale Probation Service", "count": 1, "percent": 9},
        {"agency": "Northvale Women's Aid", "count": 1, "percent": 9},
    ],
    "awaiting_by_lead_agency": [
        {"agency": "Home Office", "count": 1, "percent": 33},
        {"agency": "Northvale Children's Services", "count": 1, "percent": 33},
        {"agency": "Northvale Probation Service", "count": 1, "percent": 33},
    ],
}
EXPECTED_ACTIONS = {
    "total": 14,
    "by_status": {
        "completed": 6,
        "part_completed": 1,
        "in_progress": 3,
        "awaiting_feedback": 3,
        "not_started": 1,
    },
    # Open and past their target on any day from 2025-04-01 to 2029-12-31.
    "overdue": 4,
    "overdue_by_agency": [
        {"agency": "Northvale NHS Foundation Trust", "count": 2, "percent": 50},
        {"agency": "Northvale Council Housing", "count": 1, "percent": 25},
        {"agency": "Northvale Probation Service", "count": 1, "percent": 25},
    ],
}


def _import(path=NORTHVALE, slug="northvale", *extra):
    out = io.StringIO()
    call_command(
        "import_tracker",
        str(path),
        "--partnership",
        slug,
        "--create-partnership",
        "Northvale CSP",
        *extra,
        stdout=out,
        stderr=io.StringIO(),
    )
    return out.getvalue()


def _report_json(slug="northvale") -> dict:
    out = io.StringIO()
    call_command("tracker_report", "--partnership", slug, "--format", "json", stdout=out)
    return json.loads(out.getvalue())


def _state():
    return {
        "reviews": list(Review.objects.order_by("pk").values_list("pk", "reference", "status")),
        "review_history": Review.history.count(),
        "agencies": list(Agency.objects.order_by("pk").values_list("pk", "name")),
        "themes": list(Theme.objects.order_by("pk").values_list("pk", "name")),
        "recommendations": list(
            Recommendation.objects.order_by("pk").values_list("pk", "number", "text", "scope")
        ),
        "recommendation_history": Recommendation.history.count(),
        "actions": list(
            Action.objects.order_by("pk").values_list(
                "pk", "description", "status", "reported_status", "target_date"
            )
        ),
        "action_history": Action.history.count(),
    }


def _lines(report):
    """Every figure of the report as (section, label, count, percent) rows."""
    return [
        (s.title, line.label, line.count, line.percent)
        for s in tracker.sections(report)
        for line in s.lines
    ]


@pytest.fixture
def imported(db):
    _import()
    return Partnership.objects.get(slug="northvale")


def test_the_report_gives_exactly_the_figures_of_the_imported_file(imported):
    report = _report_json()
    assert report["reviews"] == EXPECTED_REVIEWS
    assert report["recommendations"] == EXPECTED_RECOMMENDATIONS
    assert report["actions"] == EXPECTED_ACTIONS
    assert report["escalations"] == {"raised": 0, "open": 0}
    assert report["as_of"] == timezone.localdate().isoformat()
    assert report["period"] == {"from": None, "to": None}


def test_what_was_imported(imported):
    reviews = Review.objects.filter(partnership=imported).order_by("reference")
    assert [(r.reference, r.victim_pseudonym, r.status) for r in reviews] == [
        ("DHR-2019-01", "Anna", Status.MONITORING),
        ("DHR-2020-02", "Beth", Status.MONITORING),
        ("DHR-2021-01", "Cara", Status.MONITORING),
        ("DHR-2022-03", "Dora", Status.MONITORING),
    ]
    assert all(r.imported_on == timezone.localdate() and r.notified_on is None for r in reviews)
    # 'northvale  POLICE' is the same agency as 'Northvale Police'.
    assert Agency.objects.filter(name__iexact="northvale police").count() == 1
    assert Agency.objects.get(name="Northvale Police").kind == Agency.Kind.POLICE
    assert Agency.objects.get(name="Home Office").kind == Agency.Kind.NATIONAL
    beth3 = Recommendation.objects.get(review__victim_pseudonym="Beth", number=3)
    assert sorted(t.name for t in beth3.themes.all()) == [
        "Complex needs (alcohol, drugs, mental health)",
        "Risk assessment",
    ]
    assert beth3.scope == "regional"
    housing = Action.objects.get(description__startswith="Add a routine question")
    assert housing.status == Action.Status.IN_PROGRESS
    assert housing.reported_status == TrackerStatus.PART_COMPLETED
    assert housing.reported_update == "- Form changed; staff guidance still to follow"
    assert str(housing.target_date) == "2023-03-31"
    # Every record written has its history, with why.
    reason = "Imported from the partnership's tracker"
    for model, created in ((Action, 14), (Recommendation, 11), (Review, 4)):
        added = model.history.filter(history_type="+", history_change_reason=reason)
        assert added.count() == created


def test_importing_the_same_file_again_changes_nothing(imported):
    before = _state()
    output = _import()
    assert _state() == before
    assert "Actions unchanged: 14" in output
    assert "Reviews created: 0" in output


def test_a_newer_tracker_brings_imported_actions_up_to_date(imported, tmp_path):
    text = NORTHVALE.read_text().replace(
        "Review the bail checking procedure,2030-06-30,Not started,",
        "Review the bail checking procedure,2030-06-30,In progress,Review under way",
    )
    newer = tmp_path / "newer.csv"
    newer.write_text(text)
    output = _import(newer)
    assert "Actions updated: 1" in output
    assert "Actions unchanged: 13" in output
    action = Action.objects.get(description="Review the bail checking procedure")
    assert (action.status, action.reported_status, action.reported_update) == (
        Action.Status.IN_PROGRESS,
        TrackerStatus.IN_PROGRESS,
        "Review under way",
    )
    assert action.history.first().history_change_reason == (
        "Brought up to date from the partnership's tracker"
    )


def test_an_xlsx_with_a_title_row_imports_the_same(db, tmp_path):
    book = Workbook()
    sheet = book.active
    sheet.append(["OFFICIAL-SENSITIVE: Northvale DHR tracker"])
    with NORTHVALE.open(newline="") as f:
        for row in csv.reader(f):
            sheet.append(row)
    path = tmp_path / "northvale.xlsx"
    book.save(path)
    _import(path)
    report = _report_json()
    assert report["recommendations"] == EXPECTED_RECOMMENDATIONS
    assert report["actions"] == EXPECTED_ACTIONS


def test_the_page_shows_the_same_figures(client, imported, people):
    from dhr.models import Membership, Role

    Membership.objects.create(user=people.coordinator, partnership=imported, role=Role.CHAIR)
    client.force_login(people.coordinator)
    page = client.get(reverse("recommendations:tracker", args=["northvale"])).content.decode()
    shown = []
    tables = "//table[contains(@class, 'app-tracker-table')]"
    for row in lxml.html.fromstring(page).xpath(f"{tables}/tbody/tr[th]"):
        # Each figure as its cell shows it, less the column's name shown only on a phone.
        label = row.xpath("string(th)").strip()
        count, *percent = ["".join(cell.xpath("text()")).strip() for cell in row.xpath("td")]
        percent = percent[0].removesuffix("%") if percent and percent[0] else None
        shown.append((label, int(count), int(percent) if percent else None))
    expected = [(label, count, p) for _, label, count, p in _lines(_report_json())]
    assert shown == expected
    assert page.count('class="app-chart"') == 7  # every section but the two tables of totals


def test_the_pdf_shows_the_same_figures(imported, tmp_path):
    path = tmp_path / "report.pdf"
    call_command(
        "tracker_report",
        "--partnership",
        "northvale",
        "--format",
        "pdf",
        "--out",
        str(path),
        stderr=io.StringIO(),
    )
    reader = PdfReader(path)
    text = " ".join(" ".join(page.extract_text() for page in reader.pages).split())
    for _, label, count, p in _lines(_report_json()):
        expected = f"{label} {count}" + (f" {p}%" if p is not None else "")
        assert expected in text, expected
    assert all("OFFICIAL-SENSITIVE" in page.extract_text() for page in reader.pages)
    assert reader.metadata.title == "Tracker report: Northvale CSP"


def test_the_csv_and_xlsx_show_the_same_figures(imported, tmp_path):
    expected = [
        [s, label, str(count), "" if p is None else str(p)]
        for s, label, count, p in _lines(_report_json())
    ]
    out = io.StringIO()
    call_command("tracker_report", "--partnership", "northvale", "--format", "csv", stdout=out)
    rows = list(csv.reader(io.StringIO(out.getvalue().lstrip("\ufeff"))))
    assert rows[0] == ["OFFICIAL-SENSITIVE"]
    assert rows[-1] == ["OFFICIAL-SENSITIVE"]
    assert rows[2] == ["Section", "Item", "Count", "Percent"]
    assert rows[3:-1] == expected

    path = tmp_path / "report.xlsx"
    call_command(
        "tracker_report",
        "--partnership",
        "northvale",
        "--format",
        "xlsx",
        "--out",
        str(path),
        stderr=io.StringIO(),
    )
    sheet = load_workbook(path).active
    values = [
        [("" if v is None else str(v)) for v in row] for row in sheet.iter_rows(values_only=True)
    ]
    assert values[0][0] == "OFFICIAL-SENSITIVE"
    assert values[-1][0] == "OFFICIAL-SENSITIVE"
    assert values[3:-1] == expected
    assert sheet.oddHeader.center.text == "OFFICIAL-SENSITIVE"


def test_exports_neutralise_formulas(imported):
    recommendation = Recommendation.objects.first()
    theme = Theme.objects.create(name='=HYPERLINK("http://example.com")', order=200)
    recommendation.themes.add(theme)
    out = io.StringIO()
    call_command("tracker_report", "--partnership", "northvale", "--format", "csv", stdout=out)
    assert "'=HYPERLINK" in out.getvalue()
    assert "\n=HYPERLINK" not in out.getvalue()
    assert ",=HYPERLINK" not in out.getvalue()


def test_an_imported_review_s_pages_say_what_the_tracker_did_not_hold(client, imported, people):
    from dhr.models import Membership, Role

    Membership.objects.create(user=people.coordinator, partnership=imported, role=Role.COORDINATOR)
    client.force_login(people.coordinator)
    review = Review.objects.get(reference="DHR-2019-01")
    detail = client.get(reverse("reviews:detail", args=[review.pk])).content.decode()
    assert "Imported from the partnership's tracker on" in detail
    assert "Not known: the review was imported" in detail
    assert "To hold a review (date not in the tracker)" in detail
    for name in ("reviews:timeline", "reviews:history", "recommendations:plan"):
        assert client.get(reverse(name, args=[review.pk])).status_code == 200
    plan = client.get(reverse("recommendations:plan", args=[review.pk])).content.decode()
    assert "In the imported tracker" in plan
    assert "Part completed: - Form changed; staff guidance still to follow" in plan
    listing = client.get(reverse("reviews:list")).content.decode()
    assert "DHR-2019-01" in listing
