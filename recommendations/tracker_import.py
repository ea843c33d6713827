"""Reading a partnership's existing tracker (CSV or XLSX) and writing it into the system.

`read_tracker(name, data, partnership)` checks the whole file and every row, and says what an
import would do; nothing is written. `tracker_write(...)` (in services) then writes the good
rows in one transaction. A row is one action; the review and recommendation columns repeat on
each of a recommendation's actions. The columns are documented in the README.

Matching, so that importing the same file twice changes nothing the second time:
- a review by its reference within the partnership (ignoring case and spacing);
- an agency or a theme by its name, ignoring case and spacing;
- a recommendation by its review and number;
- an action by its recommendation and its text (ignoring case and spacing).
An action imported earlier takes the file's status, update and target date when they differ
(a newer tracker brings newer news), unless an update has been accepted here since. An action
written in the system is never overwritten.
"""

import csv
import io
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime
from difflib import get_close_matches

from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from dhr import spreadsheets
from dhr.models import Agency
from dhr.spreadsheets import (  # noqa: F401 - MAX_UNPACKED: named here by the tests
    EXTRA,
    MAX_UNPACKED,
    SpreadsheetError,
    looks_like_formula,
)
from recommendations.models import Action, ActionUpdate, Recommendation, Scope, Theme, TrackerStatus
from reviews.documents import check_workbook
from reviews.models import Review

COLUMNS = [
    "review_reference",
    "review_pseudonym",
    "recommendation_number",
    "recommendation",
    "theme",
    "lead_agency",
    "scope",
    "action",
    "target_date",
    "status",
    "latest_update",
]
OPTIONAL = {"theme", "latest_update"}
ORDER = {column: index for index, column in enumerate(COLUMNS)}
MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 5000
LIMITS = {
    "review_reference": 30,
    "review_pseudonym": 60,
    "lead_agency": 200,
    "theme": 150,
}
STATUS_WORDS = {choice.label.casefold(): choice.value for choice in TrackerStatus}
SCOPES = set(Scope.values)
# What an imported tracker status means for the action's own status.
ACTION_STATUS = {
    TrackerStatus.COMPLETED: Action.Status.COMPLETED,
    TrackerStatus.PART_COMPLETED: Action.Status.IN_PROGRESS,
    TrackerStatus.IN_PROGRESS: Action.Status.IN_PROGRESS,
    TrackerStatus.AWAITING_FEEDBACK: Action.Status.NOT_STARTED,
    TrackerStatus.NOT_STARTED: Action.Status.NOT_STARTED,
}
NO_EVIDENCE = "Not recorded in the imported tracker"
DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d/%m/%y", "%d-%m-%Y", "%d.%m.%Y", "%d %B %Y", "%d %b %Y")


# What each column holds, for the import page and the README.
COLUMN_NOTES = [
    ("review_reference", "The review's reference, as the partnership writes it: DHR-2019-01"),
    ("review_pseudonym", "The victim's pseudonym: Anna (never a real name)"),
    ("recommendation_number", "The recommendation's number in the overview report: 3"),
    ("recommendation", "The recommendation's text"),
    ("theme", "Optional. Its theme; several separated by semicolons"),
    ("lead_agency", "The agency that leads on it (and owns the action)"),
    ("scope", "local, regional or national"),
    ("action", "What will be done: one row per action"),
    ("target_date", "The action's target date: 31/03/2025 or 2025-03-31"),
    (
        "status",
        "Completed, Part completed, In progress, Awaiting feedback (no update received from "
        "the lead agency) or Not started",
    ),
    ("latest_update", "Optional. The latest update received"),
]
EXAMPLE_ROWS = [
    [
        "DHR-2021-04",
        "Alex",
        "1",
        "Share risk information at every MARAC meeting",
        "Risk assessment; Information sharing and multi-agency working",
        "Example Police",
        "local",
        "Audit MARAC referrals for risk information",
        "31/03/2027",
        "In progress",
        "Audit of the first quarter done",
    ]
]


def template_file(fmt: str) -> bytes:
    """The tracker's columns and an example row (fictional), as CSV or XLSX."""
    if fmt == "csv":
        out = io.StringIO()
        out.write("\ufeff")
        writer = csv.writer(out)
        writer.writerow(COLUMNS)
        writer.writerows(EXAMPLE_ROWS)
        return out.getvalue().encode("utf-8")
    book = Workbook()
    sheet = book.active
    sheet.title = "Tracker"
    sheet.append(COLUMNS)
    for row in EXAMPLE_ROWS:
        sheet.append(row)
    for index, column in enumerate(COLUMNS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = max(14, len(column) + 4)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


# The file-level error is the shared reader's: its messages are the tracker's.
TrackerFileError = SpreadsheetError


def key(text: str) -> str:
    """A name as matched: case and spacing ignored."""
    return " ".join(text.split()).casefold()


# --- reading the table


def _missing(columns: list[str]) -> str:
    return (
        "The file's first row must name the tracker's columns (see the template). "
        f"Missing: {', '.join(columns)}"
    )


def read_table(name: str, data: bytes) -> tuple[list[str], list[tuple[int, dict]]]:
    """The header's columns and each non-empty row below it as {column: text}, with its row
    number as the spreadsheet shows it. Raises TrackerFileError for a file that is not a
    tracker at all."""
    return spreadsheets.read_table(
        name,
        data,
        columns=COLUMNS,
        required=set(COLUMNS) - OPTIONAL,
        max_rows=MAX_ROWS,
        max_bytes=MAX_BYTES,
        missing_message=_missing,
        check=check_workbook,
    )


# --- checking the rows


@dataclass
class Reading:
    """What reading a tracker found, and what importing its good rows would do."""

    total_rows: int
    rows: list[dict]  # the good rows, ready to write (JSON-safe)
    errors: list[dict]  # {"row", "column", "message"}
    new_agencies: list[str] = field(default_factory=list)
    suggestions: dict[str, str] = field(default_factory=dict)  # new agency -> a close name
    new_themes: list[str] = field(default_factory=list)
    new_reviews: list[str] = field(default_factory=list)
    changes: dict[str, int] = field(default_factory=dict)

    @property
    def bad_rows(self) -> list[int]:
        return sorted({error["row"] for error in self.errors})


def _parse_date(text: str) -> date | None:
    for fmt in DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt).date()  # noqa: DTZ007 - a date, no time
        except ValueError:
            continue
    return None


def _check_row(number: int, record: dict) -> tuple[dict | None, list[dict]]:
    errors = []

    def bad(column, message):
        errors.append({"row": number, "column": column, "message": message})

    if EXTRA in record:
        bad(
            EXTRA,
            f"The row has more cells than the header has columns ({len(COLUMNS)}): put a value "
            "that holds a comma in double quotes",
        )
        return None, errors
    for column, text in record.items():
        if text and looks_like_formula(text):
            bad(
                column,
                f"{column} begins with '{text[0]}', which a spreadsheet runs as a formula: "
                "remove the formula and type the value",
            )
    for column in COLUMNS:
        if column not in OPTIONAL and not record.get(column):
            bad(column, f"Enter the {column.replace('_', ' ')}")
        limit = LIMITS.get(column)
        if limit and len(record.get(column, "")) > limit and column != "theme":
            bad(column, f"{column} must be {limit} characters or fewer")
    themes = [t.strip() for t in re.split(r"[;\n]", record.get("theme", "")) if t.strip()]
    if any(len(t) > LIMITS["theme"] for t in themes):
        bad("theme", f"Each theme must be {LIMITS['theme']} characters or fewer")
    number_text = record.get("recommendation_number", "")
    if number_text and not (
        number_text.isascii() and number_text.isdigit() and 0 < int(number_text) < 1000
    ):
        bad(
            "recommendation_number",
            f"recommendation_number must be a whole number from 1 to 999, not '{number_text}'",
        )
    scope = record.get("scope", "").casefold()
    if record.get("scope") and scope not in SCOPES:
        bad("scope", f"scope must be local, regional or national, not '{record['scope']}'")
    status = STATUS_WORDS.get(key(record.get("status", "")))
    if record.get("status") and status is None:
        bad(
            "status",
            "status must be one of Completed, Part completed, In progress, Awaiting feedback "
            f"or Not started, not '{record['status']}'",
        )
    target = _parse_date(record.get("target_date", ""))
    if record.get("target_date") and target is None:
        bad(
            "target_date",
            f"target_date must be a real date, like 31/03/2025 or 2025-03-31, not "
            f"'{record['target_date']}'",
        )
    if errors:
        return None, errors
    return {
        "row": number,
        "review_reference": " ".join(record["review_reference"].split()),
        "review_pseudonym": record["review_pseudonym"],
        "recommendation_number": int(number_text),
        "recommendation": record["recommendation"],
        "themes": themes,
        "lead_agency": " ".join(record["lead_agency"].split()),
        "scope": scope,
        "action": record["action"],
        "target_date": target.isoformat(),
        "status": status,
        "latest_update": record.get("latest_update", ""),
    }, []


def _check_across(rows: list[dict]) -> list[dict]:
    """What rows must agree on: a review's pseudonym; a recommendation's text and scope; and
    no action twice."""
    errors = []
    pseudonyms, recommendations, actions = {}, {}, {}
    for row in rows:
        reference = key(row["review_reference"])
        first = pseudonyms.setdefault(reference, row)
        if first["review_pseudonym"] != row["review_pseudonym"]:
            errors.append(_conflict(row, "review_pseudonym", first, "pseudonym"))
        recommendation = (reference, row["recommendation_number"])
        first = recommendations.setdefault(recommendation, row)
        if key(first["recommendation"]) != key(row["recommendation"]):
            errors.append(_conflict(row, "recommendation", first, "recommendation text"))
        elif first["scope"] != row["scope"]:
            errors.append(_conflict(row, "scope", first, "scope"))
        action = (*recommendation, key(row["action"]))
        if action in actions:
            errors.append(
                {
                    "row": row["row"],
                    "column": "action",
                    "message": f"The same action is already on row {actions[action]['row']}",
                }
            )
        actions.setdefault(action, row)
    return errors


def _conflict(row, column, first, what) -> dict:
    return {
        "row": row["row"],
        "column": column,
        "message": f"The {what} differs from row {first['row']} for "
        f"{row['review_reference']}"
        + (f" recommendation {row['recommendation_number']}" if what != "pseudonym" else ""),
    }


# --- what is in the system already


@dataclass
class Existing:
    """The partnership's reviews, plans, and every agency and theme, keyed as matched."""

    agencies: dict[str, Agency]
    themes: dict[str, Theme]
    reviews: dict[str, Review]
    recommendations: dict[tuple[int, int], Recommendation]
    actions: dict[tuple[int, str], Action]
    accepted: set[int]  # actions with an update accepted here

    @classmethod
    def of(cls, partnership) -> "Existing":
        reviews = {key(r.reference): r for r in partnership.reviews.all()}
        recommendations = {
            (r.review_id, r.number): r
            for r in Recommendation.objects.filter(review__partnership=partnership)
            .select_related("lead_agency")
            .prefetch_related("themes")
        }
        actions = {
            (a.recommendation_id, key(a.description)): a
            for a in Action.objects.filter(recommendation__review__partnership=partnership)
        }
        accepted = set(
            ActionUpdate.objects.filter(
                action__recommendation__review__partnership=partnership,
                state=ActionUpdate.State.ACCEPTED,
            ).values_list("action_id", flat=True)
        )
        return cls(
            agencies={key(a.name): a for a in Agency.objects.all()},
            themes={key(t.name): t for t in Theme.objects.all()},
            reviews=reviews,
            recommendations=recommendations,
            actions=actions,
            accepted=accepted,
        )


def imported_values(row: dict) -> dict:
    """An imported action's fields as the row gives them."""
    status = row["status"]
    return {
        "status": ACTION_STATUS[status],
        "reported_status": status,
        "reported_update": row["latest_update"],
        "target_date": date.fromisoformat(row["target_date"]),
    }


def action_changes(action: Action, row: dict, existing: Existing) -> dict:
    """What re-importing the row would change on an action imported before: nothing for one
    written here or updated here since."""
    if action.imported_on is None or action.pk in existing.accepted:
        return {}
    return {
        name: value
        for name, value in imported_values(row).items()
        if getattr(action, name) != value
    }


def check_existing(rows: list[dict], existing: Existing) -> list[dict]:
    """Rows that clash with what the system holds: a review under another pseudonym, a
    recommendation with other text."""
    errors = []
    for row in rows:
        review = existing.reviews.get(key(row["review_reference"]))
        if review is None:
            continue
        if review.victim_pseudonym != row["review_pseudonym"]:
            errors.append(
                {
                    "row": row["row"],
                    "column": "review_pseudonym",
                    "message": f"{review.reference} is already in the system as "
                    f"'{review.victim_pseudonym}', not '{row['review_pseudonym']}'",
                }
            )
        recommendation = existing.recommendations.get((review.pk, row["recommendation_number"]))
        if recommendation and key(recommendation.text) != key(row["recommendation"]):
            errors.append(
                {
                    "row": row["row"],
                    "column": "recommendation",
                    "message": f"Recommendation {recommendation.number} of {review.reference} "
                    "is already in the system with different text: change one to match",
                }
            )
    return errors


def _changes(rows: list[dict], existing: Existing) -> dict[str, int]:
    counts = Counter()
    seen_reviews, seen_recommendations = set(), set()
    for row in rows:
        reference = key(row["review_reference"])
        review = existing.reviews.get(reference)
        if review is None and reference not in seen_reviews:
            counts["reviews_created"] += 1
        seen_reviews.add(reference)
        recommendation = (
            existing.recommendations.get((review.pk, row["recommendation_number"]))
            if review
            else None
        )
        if recommendation is None and (reference, row["recommendation_number"]) not in (
            seen_recommendations
        ):
            counts["recommendations_created"] += 1
        seen_recommendations.add((reference, row["recommendation_number"]))
        action = (
            existing.actions.get((recommendation.pk, key(row["action"])))
            if recommendation
            else None
        )
        if action is None:
            counts["actions_created"] += 1
        elif action_changes(action, row, existing):
            counts["actions_updated"] += 1
        else:
            counts["actions_unchanged"] += 1
    return dict(counts)


def read_tracker(name: str, data: bytes, partnership) -> Reading:
    """Check a tracker against the partnership: raises TrackerFileError for a file that cannot
    be a tracker; otherwise every bad row is in `errors` and the good ones in `rows`."""
    _, table = read_table(name, data)
    rows, errors = [], []
    for number, record in table:
        row, problems = _check_row(number, record)
        errors += problems
        if row:
            rows.append(row)
    existing = Existing.of(partnership)
    errors += _check_across(rows) + check_existing(rows, existing)
    bad = {error["row"] for error in errors}
    good = [row for row in rows if row["row"] not in bad]
    errors.sort(key=lambda e: (e["row"], ORDER.get(e["column"], -1)))
    new_agencies = sorted(
        _unique(
            [row["lead_agency"] for row in good if key(row["lead_agency"]) not in existing.agencies]
        ),
        key=key,
    )
    known = [a.name for a in existing.agencies.values()]
    suggestions = {}
    for agency in new_agencies:
        close = get_close_matches(agency, known, n=1, cutoff=0.75)
        if close:
            suggestions[agency] = close[0]
    new_themes = sorted(
        _unique([t for row in good for t in row["themes"] if key(t) not in existing.themes]),
        key=key,
    )
    return Reading(
        total_rows=len(table),
        rows=good,
        errors=errors,
        new_agencies=new_agencies,
        suggestions=suggestions,
        new_themes=new_themes,
        new_reviews=_unique(
            [
                row["review_reference"]
                for row in good
                if key(row["review_reference"]) not in existing.reviews
            ]
        ),
        changes=_changes(good, existing),
    )


def _unique(names: list[str]) -> list[str]:
    """Names once each, as first written, matched ignoring case and spacing."""
    seen, out = set(), []
    for name in names:
        if key(name) not in seen:
            seen.add(key(name))
            out.append(name)
    return out


AGENCY_KINDS = [
    (r"\bpolice\b|constabulary", Agency.Kind.POLICE),
    (r"probation", Agency.Kind.PROBATION),
    (r"home office|department|ministry|nhs england|national|\bgov", Agency.Kind.NATIONAL),
    (r"\bnhs\b|health|hospital|\bicb\b|\bgp\b|trust|ambulance", Agency.Kind.HEALTH),
    (r"children", Agency.Kind.CHILDRENS_SERVICES),
    (r"adult", Agency.Kind.ADULT_SOCIAL_CARE),
    (r"housing|homes", Agency.Kind.HOUSING),
    (r"council|borough|county", Agency.Kind.LOCAL_AUTHORITY),
    (r"women's aid|refuge|charity|\bidva\b|advocacy", Agency.Kind.VOLUNTARY),
]


def agency_kind(name: str) -> str:
    """A new agency's kind guessed from its name (the admin can correct it)."""
    for pattern, kind in AGENCY_KINDS:
        if re.search(pattern, name, re.IGNORECASE):
            return kind
    return Agency.Kind.OTHER
