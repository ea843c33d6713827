"""The multi-agency chronology: reading each agency's spreadsheet, merging them, finding the
events two agencies both reported, and writing the result out. Pure functions: no database.

Each agency fills in the template (`template_file()`): one event per row, with the columns in
`COLUMNS`. `read_chronology(name, data, agency=...)` reads one agency's file:
- a file that cannot be a chronology at all (not CSV or XLSX, too big, more than `MAX_ROWS`
  rows, a zip bomb, macros, the columns missing) raises `SpreadsheetError` with a message that
  says what to do, and nothing in it is used;
- otherwise every row is either kept (an `Entry`) or listed as a `Problem` with the row number
  the spreadsheet shows ("Row 14: enter the date of the event"). Good rows are kept when others
  are bad, so that an agency fixes only what is listed.

`merge(readings)` puts every agency's entries in one list in the order the report reads them;
`duplicates(entries)` finds the same event reported by two or more agencies, for the report's
author to check (nothing is removed); `filtered` and `people` serve the page's filters;
`to_xlsx` and `to_html_section` write the merged chronology out. DOCX is left out: it would
need python-docx, which the service does not carry.
"""

import io
import math
import re
from collections import Counter, defaultdict
from dataclasses import asdict, dataclass, field
from datetime import date, time
from fractions import Fraction

from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from dhr import spreadsheets
from dhr.spreadsheets import EXTRA, SpreadsheetError, looks_like_formula
from reviews.documents import XLSX, check_workbook

# (key, the header the template uses, what goes in it)
COLUMNS = [
    ("date", "Date", "The date of the event as DD/MM/YYYY, like 14/03/2023. Required."),
    ("time", "Time", "The time as HH:MM (24-hour clock), like 14:30. Leave it blank if unknown."),
    (
        "agency",
        "Agency",
        "The agency that had the contact. Leave it blank for your own agency.",
    ),
    (
        "source",
        "Source",
        "Where the record is: the system or file and its reference, like 'Case notes, ref 123'.",
    ),
    ("event", "What happened", "What happened, in plain words: one event per row. Required."),
    (
        "people",
        "Who was involved",
        "The people involved, by the names used in the review, separated by commas: "
        "'Anna, Ben (partner)'. Required.",
    ),
    (
        "comment",
        "Practitioner's comment",
        "Optional. What the practitioner or the report's author notes about the event.",
    ),
]
KEYS = [key for key, _, _ in COLUMNS]
HEADERS = {key: header for key, header, _ in COLUMNS}
REQUIRED = ("date", "event", "people")
MAX_ROWS = 10_000  # per agency file: the largest chronologies seen are a few thousand rows
MAX_BYTES = 10 * 1024 * 1024
LIMITS = {"agency": 200, "source": 200, "event": 5000, "people": 500, "comment": 5000}
MARKING = "OFFICIAL-SENSITIVE"
# A header cell as matched: the template's text or the key, case and spacing ignored, curly
# apostrophes as straight ones (Word and Excel type them).
_HEADER_KEYS = {" ".join(header.casefold().split()): key for key, header, _ in COLUMNS} | {
    key: key for key in KEYS
}


def _header_key(text: str) -> str:
    return _HEADER_KEYS.get(" ".join(text.replace("\u2019", "'").casefold().split()), text)


def template_file() -> bytes:
    """The chronology template (XLSX): the header row on the first sheet, ready to fill in, and
    a second sheet saying what goes in each column. No example row, so none is ever uploaded by
    mistake."""
    book = Workbook()
    sheet = book.active
    sheet.title = "Chronology"
    sheet.append([header for _, header, _ in COLUMNS])
    widths = {"date": 12, "time": 8, "event": 60, "people": 30, "comment": 40}
    for index, (key, _header, _) in enumerate(COLUMNS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = widths.get(key, 22)
        sheet.cell(row=1, column=index).font = Font(bold=True)
    sheet.freeze_panes = "A2"
    notes = book.create_sheet("How to fill this in")
    notes.append([f"{MARKING} when completed. Fictional names only in any practice copy."])
    notes.append(["One event per row. Keep the header row as it is; add rows below it."])
    notes.append([])
    notes.append(["Column", "What goes in it"])
    for _, header, note in COLUMNS:
        notes.append([header, note])
    notes.column_dimensions["A"].width = 24
    notes.column_dimensions["B"].width = 100
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


# --- reading one agency's file


@dataclass(frozen=True)
class Entry:
    """One event of a chronology, as an agency reported it."""

    agency: str  # the agency that had the contact (the uploading agency when left blank)
    row: int  # its row in the agency's spreadsheet
    date: date
    time: time | None
    event: str
    people: str = ""
    source: str = ""
    comment: str = ""
    reported_by: str = ""  # the agency whose file it came from


@dataclass(frozen=True)
class Problem:
    """A row left out, and why, in words the agency can act on."""

    row: int
    column: str  # a key of COLUMNS, or EXTRA
    message: str  # without the row: "enter the date of the event"

    def __str__(self) -> str:
        return f"Row {self.row}: {self.message}"


@dataclass
class Reading:
    """What reading one agency's file found: its good rows and what is wrong with the rest."""

    agency: str
    rows: list[Entry] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def bad_rows(self) -> list[int]:
        return sorted({problem.row for problem in self.problems})


def content_type(name: str) -> str:
    """The type a chronology file is served as, by the name `read_chronology` accepted."""
    return "text/csv" if name.casefold().endswith(".csv") else XLSX


def stored(entry: Entry) -> dict:
    """An entry as a record keeps it (JSON): dates and times in ISO form."""
    kept = asdict(entry)
    kept["date"] = entry.date.isoformat()
    kept["time"] = entry.time.isoformat("minutes") if entry.time else None
    return kept


def from_stored(kept: dict) -> Entry:
    """The entry `stored` kept."""
    return Entry(
        **{
            **kept,
            "date": date.fromisoformat(kept["date"]),
            "time": time.fromisoformat(kept["time"]) if kept["time"] else None,
        }
    )


_DMY = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{2}|\d{4})")
_YMD = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_HM = re.compile(r"(\d{1,2})[:.](\d{2})(?::(\d{2}))?")


def parse_date(text: str, *, today: date) -> date | str:
    """A date written DD/MM/YYYY, D/M/YY or YYYY-MM-DD (an Excel date cell arrives as the last),
    or the message saying what is wrong. A two-digit year is this century's unless that would
    be after this year."""
    if match := _DMY.fullmatch(text):
        day, month, year = (int(part) for part in match.groups())
        if len(match.group(3)) == 2:
            year += 2000 if 2000 + year <= today.year else 1900
    elif match := _YMD.fullmatch(text):
        year, month, day = (int(part) for part in match.groups())
    else:
        return f"enter the date as DD/MM/YYYY, like 14/03/2023, not '{text}'"
    try:
        return date(year, month, day)
    except ValueError:
        return f"the date {text} is not a real date"


def parse_time(text: str) -> time | str | None:
    """A time written HH:MM or H.MM (an Excel time cell arrives as HH:MM:SS), None when blank,
    or the message saying what is wrong."""
    if not text:
        return None
    match = _HM.fullmatch(text)
    if not match:
        return f"enter the time as HH:MM, like 14:30, or leave it blank, not '{text}'"
    hour, minute, second = int(match[1]), int(match[2]), int(match[3] or 0)
    if hour > 23 or minute > 59 or second > 59:
        return f"the time {text} is not a real time"
    return time(hour, minute)


def _clean(text: str) -> str:
    """Trimmed, with runs of spaces as one; line breaks kept (a long event has paragraphs)."""
    return "\n".join(" ".join(line.split()) for line in text.strip().splitlines()).strip()


def check_row(
    number: int, record: dict, *, agency: str, today: date
) -> tuple[Entry | None, list[Problem]]:
    """One row: its entry, or every problem with it (never both)."""
    problems = []

    def bad(column, message):
        problems.append(Problem(number, column, message))

    if EXTRA in record:
        bad(
            EXTRA,
            f"the row has more cells than the header has columns ({len(COLUMNS)}): put a value "
            "that holds a comma in double quotes",
        )
        return None, problems
    values = {key: _clean(record.get(key, "")) for key in KEYS}
    for key in KEYS:
        if values[key] and looks_like_formula(values[key]):
            bad(key, f"remove the formula from '{HEADERS[key]}'")
    missing = {
        "date": "enter the date of the event",
        "event": "enter what happened",
        "people": "enter who was involved",
    }
    for key in REQUIRED:
        if not values[key]:
            bad(key, missing[key])
    for key, limit in LIMITS.items():
        if len(values[key]) > limit:
            bad(key, f"'{HEADERS[key]}' must be {limit:,} characters or fewer")
    when = parse_date(values["date"], today=today) if values["date"] else None
    if isinstance(when, str):
        bad("date", when)
    elif when and when > today:
        bad("date", f"the date {when:%d/%m/%Y} is in the future: check the date of the event")
    at = parse_time(values["time"])
    if isinstance(at, str):
        bad("time", at)
    if problems:
        return None, problems
    return Entry(
        agency=values["agency"] or agency,
        row=number,
        date=when,
        time=at,
        event=values["event"],
        people=values["people"],
        source=values["source"],
        comment=values["comment"],
        reported_by=agency,
    ), []


def _missing(keys: list[str]) -> str:
    return (
        "The first row must name the chronology's columns, as in the template. "
        f"Missing: {', '.join(HEADERS[key] for key in keys)}"
    )


def read_chronology(name: str, data: bytes, *, agency: str, today: date | None = None) -> Reading:
    """One agency's chronology file checked: raises SpreadsheetError for a file that cannot be
    one; otherwise the good rows are in `rows` (in the file's order) and every bad row's
    problems in `problems`, by row number."""
    if not name.casefold().endswith((".xlsx", ".csv")):
        raise SpreadsheetError("The selected file must be a CSV or an Excel (XLSX) file")
    today = today or timezone.localdate()
    _, table = spreadsheets.read_table(
        name,
        data,
        columns=KEYS,
        required=REQUIRED,
        max_rows=MAX_ROWS,
        max_bytes=MAX_BYTES,
        missing_message=_missing,
        header_name=_header_key,
        check=check_workbook,
    )
    reading = Reading(agency=agency)
    for number, record in table:
        entry, problems = check_row(number, record, agency=agency, today=today)
        reading.problems += problems
        if entry:
            reading.rows.append(entry)
    return reading


# --- merging


def _agency_key(name: str) -> str:
    return " ".join(name.split()).casefold()


def merge(readings: list[Reading]) -> list[Entry]:
    """Every reading's entries in one list: by date, then time, then agency, then the order of
    the readings and the row in the agency's file, so that the order is total and the same for
    the same files however they arrive.

    On a day, the events with a known time come first and those without after them: an unknown
    time is "some time that day", and putting it last keeps the timed sequence (a call, the
    police arriving, an arrest) unbroken for the reader."""
    keyed = [
        (
            entry.date,
            entry.time is None,
            entry.time or time.min,
            _agency_key(entry.agency),
            position,
            entry.row,
            entry,
        )
        for position, reading in enumerate(readings)
        for entry in reading.rows
    ]
    keyed.sort(key=lambda item: item[:-1])
    return [item[-1] for item in keyed]


# --- duplicates

# Words that say nothing about which event it was.
STOP_WORDS = frozenset(
    [
        "a", "an", "the", "and", "or", "of", "to", "in", "on", "at", "for", "from", "by", "with",
        "without", "into", "onto", "about", "after", "before", "was", "were", "is", "are", "be",
        "been", "being", "has", "had", "have", "he", "she", "they", "her", "his", "him", "them",
        "their", "it", "its", "this", "that", "there", "then", "than", "as", "not", "no", "yes",
        "who", "which", "what", "when", "where", "via", "also", "said",
    ]
)  # fmt: skip
SIMILAR = Fraction(3, 5)  # see `alike`; a fraction, so that the prefix arithmetic is exact


def words(text: str) -> frozenset[str]:
    """The words that identify an event: lower case, punctuation and stop words dropped, and
    a plural 's', '-ed' or '-ing' taken off (so 'attended' and 'attends' meet)."""
    found = set()
    for word in re.findall(r"[^\W_]+(?:['&][^\W_]+)*", text.casefold()):
        if word in STOP_WORDS:
            continue
        for suffix in ("ing", "ed", "s"):
            if len(word) > len(suffix) + 3 and word.endswith(suffix) and not word.endswith("ss"):
                word = word[: -len(suffix)]
                break
        found.add(word)
    if not found and text.strip():  # only stop words ("He was there"): the text as one word
        found.add(" ".join(text.casefold().split()))
    return frozenset(found)


def alike(first: frozenset[str], second: frozenset[str]) -> bool:
    """Two events' words share at least `SIMILAR` (0.6) of all the words in either (Jaccard).

    Two agencies describe one event in their own words, so the texts are never equal: the
    police's "Police attended home after 999 call; victim said partner pushed her" and the
    IDVA's "Police attended the home following a 999 call. Victim said her partner had pushed
    her" share 8 of their 9 words. Two events on one day share the victim's name and a verb at most
    ("Victim attended GP for repeat prescription" and "Police attended home after 999 call":
    1 of 9). 0.6 flags the first kind with room for rewording and not the second; a flag is
    only a prompt for the author to check, so a rare false one costs a glance, a missed one a
    doubled event in the report."""
    shared, either = len(first & second), len(first | second)
    # In integers: a Fraction's arithmetic, half a million times, is most of the time taken.
    return bool(first) and shared * SIMILAR.denominator >= SIMILAR.numerator * either


def _pairs(indexes: list[int], entries: list[Entry]):
    """The pairs (i, j), i < j, of a day's entries that report one event: other agencies, times
    equal or either unknown, and `alike` words. Not every pair is tried (a day of thousands of
    entries, all given one date by mistake, would take minutes); the prefix and positional
    filters of similarity joins (Xiao et al., PPJoin) leave only pairs that could be alike:
    - each entry's words are ordered rarest first in the day; two sets alike at `SIMILAR` share
      a word among the first |words| - ceil(SIMILAR x |words|) + 1 of each (the prefix), so an
      entry meets only those sharing a prefix word;
    - at the first word they share, at positions p and q, at most 1 + min(|A|-p-1, |B|-q-1)
      more words can be shared: when that is below the overlap Jaccard needs
      (SIMILAR / (1 + SIMILAR) x (|A| + |B|)), the pair is dropped unchecked.
    The property test checks the result equals trying every pair."""
    if len(indexes) < 2:
        return
    texts = {i: words(entries[i].event) for i in indexes}
    agencies = {i: _agency_key(entries[i].agency) for i in indexes}
    frequency = Counter(word for i in indexes for word in texts[i])
    top, bottom = SIMILAR.numerator, SIMILAR.denominator  # integers: Fractions are slow here
    seen = defaultdict(list)  # a prefix word -> (entry, its position there), entries so far
    for j in indexes:
        ordered = sorted(texts[j], key=lambda word: (frequency[word], word))
        size = len(ordered)
        agency, at = agencies[j], entries[j].time
        compared = set()
        for q, word in enumerate(ordered[: size - math.ceil(SIMILAR * size) + 1]):
            for i, p in seen[word]:
                if i in compared:
                    continue
                compared.add(i)  # this word is the first the two share (see above)
                other = len(texts[i])
                if (1 + min(other - p - 1, size - q - 1)) * (top + bottom) < top * (other + size):
                    continue
                if agencies[i] == agency:
                    continue
                if at is not None and entries[i].time is not None and entries[i].time != at:
                    continue
                if alike(texts[i], texts[j]):
                    yield i, j
            seen[word].append((j, q))


def duplicates(entries: list[Entry]) -> list[list[Entry]]:
    """Groups of entries that look like one event reported by two or more agencies: the same
    date, times equal or either unknown, and `alike` words. A group joins every entry linked to
    another (so A~B and B~C make one group); each group is in the entries' order and the groups
    in the order of their first entry. Entries are compared within their day only."""
    by_day = defaultdict(list)
    for index, entry in enumerate(entries):
        by_day[entry.date].append(index)
    parent = list(range(len(entries)))

    def root(i):
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for indexes in by_day.values():
        for i, j in _pairs(indexes, entries):
            parent[root(j)] = root(i)
    groups = defaultdict(list)
    for index in range(len(entries)):
        groups[root(index)].append(index)
    # Members were appended in index order, and dicts keep the order of first insertion: the
    # groups come out in the order of their first entry.
    return [
        [entries[i] for i in members]
        for members in groups.values()
        if len({_agency_key(entries[i].agency) for i in members}) > 1
    ]


# --- filters


_NAME_SPLIT = re.compile(r"\s*(?:[,;/\n]|\band\b)\s*", re.IGNORECASE)


def people(entries: list[Entry]) -> list[str]:
    """The names in 'Who was involved', each once (case and spacing ignored, first spelling
    kept), a note in brackets dropped ("Ben (partner)" is Ben), sorted: a filter's choices."""
    seen = {}
    for entry in entries:
        for part in _NAME_SPLIT.split(entry.people):
            name = " ".join(re.sub(r"\([^)]*\)", " ", part).split())
            if name:
                seen.setdefault(name.casefold(), name)
    return sorted(seen.values(), key=str.casefold)


def filtered(entries: list[Entry], *, agency: str | None = None, person: str | None = None):
    """The entries of one agency (case and spacing ignored) and/or naming one person in 'Who
    was involved' (as a whole word or words, case ignored: 'Ann' does not match 'Anna')."""
    found = entries
    if agency:
        wanted = _agency_key(agency)
        found = [entry for entry in found if _agency_key(entry.agency) == wanted]
    if person and person.strip():
        pattern = re.compile(
            r"(?<!\w)" + r"\s+".join(map(re.escape, person.split())) + r"(?!\w)", re.IGNORECASE
        )
        found = [entry for entry in found if pattern.search(entry.people)]
    return list(found)


# --- writing out

OUTPUT_HEADERS = [*(header for _, header, _ in COLUMNS), "Reported by", "Also reported by"]


def also_reported(duplicates: list[list[Entry]]) -> dict[int, str]:
    """For each entry in a group (by its id), the other agencies of the group."""
    also = {}
    for group in duplicates:
        for entry in group:
            others = []
            for other in group:
                if _agency_key(other.agency) != _agency_key(entry.agency) and (
                    other.agency not in others
                ):
                    others.append(other.agency)
            also[id(entry)] = ", ".join(others)
    return also


def _text_cell(sheet, value: str):
    """The text as a cell's value; a styled cell only when it must be (styling every cell
    doubles the time to write the file)."""
    if not value.startswith("="):
        return value
    cell = WriteOnlyCell(sheet, value=value)
    cell.data_type = "s"  # text, never a formula, whatever it begins with
    return cell


def to_xlsx(entries: list[Entry], *, duplicates: list[list[Entry]]) -> bytes:
    """The merged chronology as an XLSX (openpyxl's write-only mode, for thousands of rows): the
    marking, the header frozen below it, every entry, and 'Also reported by' naming the other
    agencies of an entry's duplicate group."""
    also = also_reported(duplicates)
    book = Workbook(write_only=True)
    sheet = book.create_sheet("Chronology")
    sheet.freeze_panes = "A3"
    for index, width in enumerate([12, 8, 24, 22, 60, 30, 40, 24, 30], start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    marking = WriteOnlyCell(sheet, value=MARKING)
    marking.font = Font(bold=True)
    sheet.append([marking])
    header = []
    for text in OUTPUT_HEADERS:
        cell = WriteOnlyCell(sheet, value=text)
        cell.font = Font(bold=True)
        header.append(cell)
    sheet.append(header)
    wrap = Alignment(wrap_text=True, vertical="top")
    for entry in entries:
        when = WriteOnlyCell(sheet, value=entry.date)
        when.number_format = "DD/MM/YYYY"
        at = WriteOnlyCell(sheet, value=entry.time)
        at.number_format = "HH:MM"
        texts = [
            entry.agency,
            entry.source,
            entry.event,
            entry.people,
            entry.comment,
            entry.reported_by,
            also.get(id(entry), ""),
        ]
        cells = [_text_cell(sheet, text) for text in texts]
        event = WriteOnlyCell(sheet, value=entry.event)
        event.data_type = "s"
        event.alignment = wrap  # an event runs to paragraphs
        cells[2] = event
        sheet.append([when, at, *cells])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def to_html_section(entries: list[Entry], *, duplicates=None) -> SafeString:
    """The merged chronology as a GOV.UK table for the overview report's HTML (and its PDF):
    every value escaped."""
    also = also_reported(duplicates or [])
    head = "".join(
        f'<th scope="col" class="govuk-table__header">{escape(text)}</th>'
        for text in ["Date", "Time", "Agency", "What happened", "Who was involved", "Source"]
    )
    rows = []
    for entry in entries:
        event = escape(entry.event).replace("\n", "<br>")
        if id(entry) in also:
            event += f"<br><strong>Also reported by {escape(also[id(entry)])}</strong>"
        cells = [
            f'<td class="govuk-table__cell">{entry.date:%d/%m/%Y}</td>',
            f'<td class="govuk-table__cell">{entry.time:%H:%M}</td>'
            if entry.time
            else '<td class="govuk-table__cell">Not known</td>',
            f'<td class="govuk-table__cell">{escape(entry.agency)}</td>',
            f'<td class="govuk-table__cell">{event}</td>',
            f'<td class="govuk-table__cell">{escape(entry.people)}</td>',
            f'<td class="govuk-table__cell">{escape(entry.source)}</td>',
        ]
        rows.append(f'<tr class="govuk-table__row">{"".join(cells)}</tr>')
    return mark_safe(
        '<table class="govuk-table chronology">'
        '<caption class="govuk-table__caption govuk-table__caption--m">'
        "Multi-agency chronology</caption>"
        f'<thead class="govuk-table__head"><tr class="govuk-table__row">{head}</tr></thead>'
        f'<tbody class="govuk-table__body">{"".join(rows)}</tbody></table>'
    )
