"""The chronology engine: reading an agency's file (whole-file refusals and row problems by
number, with near misses), merging, duplicates, filters and the XLSX and HTML outputs, on
fictional data only."""

import csv
import io
import zipfile
from datetime import date, time
from itertools import combinations, pairwise

import pytest
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import load_workbook

from dhr.spreadsheets import MAX_UNPACKED, SpreadsheetError
from dhr.tests.workbooks import xlsx_of
from reviews import chronology
from reviews.chronology import (
    Entry,
    Reading,
    alike,
    duplicates,
    filtered,
    merge,
    parse_date,
    parse_time,
    people,
    read_chronology,
    to_html_section,
    to_xlsx,
    words,
)
from reviews.tests.chronology_data import chronology_rows, xlsx_file

TODAY = date(2025, 6, 1)
HEADER = [header for _, header, _ in chronology.COLUMNS]
GOOD = ["14/03/2023", "09:30", "", "Case notes", "Police attended the home", "Anna, Ben", ""]


def _csv(*rows, header=HEADER) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode()


def _read(data, name="police.csv", agency="Northvale Police"):
    return read_chronology(name, data, agency=agency, today=TODAY)


def _row(**changes) -> list[str]:
    row = dict(zip(chronology.KEYS, GOOD, strict=True)) | changes
    return [row[key] for key in chronology.KEYS]


# --- the template


def test_the_template_has_the_header_and_a_sheet_explaining_each_column():
    book = load_workbook(io.BytesIO(chronology.template_file()))
    first, notes = book.worksheets
    assert [c.value for c in first[1]] == HEADER
    assert first.max_row == 1  # no example row to upload by mistake
    explained = {row[0] for row in notes.iter_rows(values_only=True)}
    assert set(HEADER) <= explained
    text = " ".join(str(v) for row in notes.iter_rows(values_only=True) for v in row if v)
    assert "DD/MM/YYYY" in text
    assert "HH:MM" in text
    assert "One event per row" in text


def test_the_template_filled_in_is_read_back():
    book = load_workbook(io.BytesIO(chronology.template_file()))
    book.worksheets[0].append(GOOD)
    out = io.BytesIO()
    book.save(out)
    reading = _read(out.getvalue(), name="police.xlsx")
    assert reading.problems == []
    assert [(e.date, e.time, e.agency) for e in reading.rows] == [
        (date(2023, 3, 14), time(9, 30), "Northvale Police")
    ]


# --- whole files refused


def _bomb() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/worksheets/sheet1.xml", " " * (MAX_UNPACKED + 1))
    return out.getvalue()


def _with_macros() -> bytes:
    out = io.BytesIO(xlsx_file([GOOD]))
    with zipfile.ZipFile(out, "a") as archive:
        archive.writestr("xl/vbaProject.bin", b"\xd0\xcf\x11\xe0 a VBA project")
    return out.getvalue()


BAD_FILES = {
    "an old Excel file": ("police.xls", _csv(GOOD), "must be a CSV or an Excel (XLSX) file"),
    "a PDF": ("police.pdf", b"%PDF-1.7", "must be a CSV or an Excel (XLSX) file"),
    "a picture named .csv": ("police.csv", b"\x89PNG\r\n\x1a\n\x00\x00", "must be a CSV"),
    "empty": ("police.csv", b"", "The selected file is empty"),
    "too big": ("police.csv", b"a" * (chronology.MAX_BYTES + 1), "smaller than 10 MB"),
    "a zip bomb": ("police.xlsx", _bomb(), "too large once unpacked"),
    "macros": ("police.xlsx", _with_macros(), "contains macros or other active content"),
    "damaged": ("police.xlsx", xlsx_file([GOOD])[:-200], "could not be read as an Excel"),
    "only a header": ("police.csv", _csv(), "has a header row but no rows below it"),
    "wrong columns": (
        "police.csv",
        _csv(GOOD, header=["When", "Time", "Agency", "Source", "Description", "Names", "Notes"]),
        "Missing: Date, What happened, Who was involved",
    ),
    "one column missing": (
        "police.csv",
        _csv(GOOD[:5], header=HEADER[:5]),
        "Missing: Who was involved",
    ),
}


@pytest.mark.parametrize("case", list(BAD_FILES))
def test_a_file_that_cannot_be_a_chronology_is_refused_with_a_clear_message(case):
    name, data, message = BAD_FILES[case]
    with pytest.raises(SpreadsheetError, match=message.replace("(", r"\(").replace(")", r"\)")):
        _read(data, name=name)


def test_a_file_of_50000_rows_is_refused_and_10000_are_taken():
    with pytest.raises(SpreadsheetError, match="more than 10,000 rows: split it into smaller"):
        _read(_csv(*[GOOD] * 50_000))
    assert len(_read(_csv(*[GOOD] * 10_000)).rows) == 10_000


def test_the_header_may_sit_below_a_title_and_in_any_case_and_order():
    data = _csv(
        ["Chronology of Northvale Police", "", "", "", "", "", ""],
        [h.upper() for h in reversed(HEADER)],
        list(reversed(GOOD)),
        header=["OFFICIAL-SENSITIVE"],
    )
    (entry,) = _read(data).rows
    assert (entry.row, entry.event, entry.people) == (4, "Police attended the home", "Anna, Ben")


def test_a_curly_apostrophe_in_the_header_is_the_same_column():
    header = [h.replace("'", "\u2019") for h in HEADER]
    (entry,) = _read(_csv(_row(comment="Noted"), header=header)).rows
    assert entry.comment == "Noted"


# --- rows: kept, or listed by number


BAD_ROWS = {
    "no date": (_row(date=""), "date", "enter the date of the event"),
    "31 February": (_row(date="31/02/2024"), "date", "the date 31/02/2024 is not a real date"),
    "a date in words": (_row(date="next March"), "date", "enter the date as DD/MM/YYYY"),
    "month first (US)": (_row(date="03/14/2023"), "date", "is not a real date"),
    "in the future": (_row(date="02/06/2025"), "date", "is in the future"),
    "25:10": (_row(time="25:10"), "time", "the time 25:10 is not a real time"),
    "10:60": (_row(time="10:60"), "time", "the time 10:60 is not a real time"),
    "a time in words": (_row(time="morning"), "time", "enter the time as HH:MM"),
    "a formula": (_row(event="=1+1"), "event", "remove the formula from 'What happened'"),
    "a formula after a sign": (_row(source="+44(0)"), "source", "from 'Source'"),
    "nothing happened": (_row(event=" "), "event", "enter what happened"),
    "nobody involved": (_row(people=""), "people", "enter who was involved"),
    "too long": (_row(event="x" * 5001), "event", "must be 5,000 characters or fewer"),
    "an unquoted comma": ([*GOOD, "extra"], "cells", "more cells than the header"),
}


@pytest.mark.parametrize("case", list(BAD_ROWS))
def test_a_bad_row_is_listed_by_its_row_number_and_the_good_ones_kept(case):
    row, column, message = BAD_ROWS[case]
    reading = _read(_csv(GOOD, row, GOOD))
    assert [e.row for e in reading.rows] == [2, 4]
    assert reading.bad_rows == [3]
    assert [p.column for p in reading.problems] == [column]
    assert message in str(reading.problems[0])
    assert str(reading.problems[0]).startswith("Row 3: ")


NEAR_MISSES = {
    "today": (_row(date="01/06/2025"), date(2025, 6, 1), time(9, 30)),
    "29 February in a leap year": (_row(date="29/02/2024"), date(2024, 2, 29), time(9, 30)),
    "D/M/YY": (_row(date="4/3/23"), date(2023, 3, 4), time(9, 30)),
    "D/M/YY last century": (_row(date="4/3/98"), date(1998, 3, 4), time(9, 30)),
    "YYYY-MM-DD": (_row(date="2023-03-14"), date(2023, 3, 14), time(9, 30)),
    "23:59": (_row(time="23:59"), date(2023, 3, 14), time(23, 59)),
    "00:00": (_row(time="00:00"), date(2023, 3, 14), time(0, 0)),
    "H:MM": (_row(time="9:05"), date(2023, 3, 14), time(9, 5)),
    "an Excel time": (_row(time="14:30:00"), date(2023, 3, 14), time(14, 30)),
    "no time": (_row(time=""), date(2023, 3, 14), None),
    "a hyphen list item": (_row(event="- phoned Anna"), date(2023, 3, 14), time(9, 30)),
    "5,000 characters": (_row(event="x" * 5000), date(2023, 3, 14), time(9, 30)),
}


@pytest.mark.parametrize("case", list(NEAR_MISSES))
def test_a_row_just_inside_the_rules_is_kept(case):
    row, day, at = NEAR_MISSES[case]
    reading = _read(_csv(row))
    assert reading.problems == []
    (entry,) = reading.rows
    assert (entry.date, entry.time) == (day, at)


def test_cells_are_trimmed_and_a_blank_agency_is_the_uploader():
    row = _row(agency="  ", event="  Police   attended  ", people=" Anna ")
    (entry,) = _read(_csv(row, _row(agency="Northvale Homes"))).rows[:1]
    assert (entry.agency, entry.event, entry.people) == (
        "Northvale Police",
        "Police attended",
        "Anna",
    )
    assert _read(_csv(_row(agency="Northvale Homes"))).rows[0].agency == "Northvale Homes"
    assert _read(_csv(_row(agency="Northvale Homes"))).rows[0].reported_by == "Northvale Police"


def test_excel_date_and_time_cells_are_read():
    cells = [date(2023, 3, 14), time(14, 5), "", "", "Visit", "Anna", ""]
    (entry,) = _read(xlsx_of([HEADER, cells]), name="police.xlsx").rows
    assert (entry.date, entry.time) == (date(2023, 3, 14), time(14, 5))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("31/12/2024", date(2024, 12, 31)),
        ("1/1/25", date(2025, 1, 1)),
        ("1/1/26", date(1926, 1, 1)),
    ],
)
def test_a_two_digit_year_is_never_after_this_year(text, expected):
    assert parse_date(text, today=TODAY) == expected


CELL = st.text(alphabet=st.characters(blacklist_categories=["Cs"]), max_size=30)


@given(st.lists(st.lists(CELL, min_size=7, max_size=7), min_size=1, max_size=6))
def test_every_row_of_any_table_is_kept_or_listed_by_its_number(rows):
    try:
        reading = _read(_csv(*rows))
    except SpreadsheetError as error:
        message = str(error)
        assert message.startswith("The selected file") or "Missing" in message
        return
    kept = {e.row for e in reading.rows}
    assert kept.isdisjoint(reading.bad_rows)
    assert all(p.message for p in reading.problems)
    assert all(e.date <= TODAY and e.event and e.people for e in reading.rows)


@given(st.text(max_size=12))
def test_any_date_or_time_text_is_parsed_or_answered_with_a_message(text):
    assert isinstance(parse_date(text, today=TODAY), (date, str))
    assert parse_time(text) is None or isinstance(parse_time(text), (time, str))


# --- merging


def _entry(agency="Northvale Police", row=2, day=date(2023, 3, 14), at=None, event="x", **more):
    return Entry(agency=agency, row=row, date=day, time=at, event=event, **more)


def test_the_merge_orders_by_date_time_agency_then_row_with_unknown_times_last():
    police = Reading(
        "Northvale Police",
        rows=[
            _entry(row=2, at=None, event="police, no time"),
            _entry(row=3, at=time(10), event="police at 10"),
            _entry(row=4, day=date(2023, 3, 13), event="police the day before"),
        ],
    )
    homes = Reading(
        "Northvale Homes",
        rows=[
            _entry("Northvale Homes", row=5, at=time(10), event="homes at 10"),
            _entry("Northvale Homes", row=2, at=time(9), event="homes at 9"),
            _entry("Northvale Homes", row=7, at=None, event="homes, no time"),
        ],
    )
    assert [e.event for e in merge([police, homes])] == [
        "police the day before",
        "homes at 9",
        "homes at 10",
        "police at 10",
        "homes, no time",
        "police, no time",
    ]
    assert merge([police, homes]) == merge([homes, police])


ENTRIES = st.builds(
    _entry,
    agency=st.sampled_from(["A", "B", "b", "C"]),
    row=st.integers(2, 20),
    day=st.dates(date(2020, 1, 1), date(2020, 1, 4)),
    at=st.none() | st.times().map(lambda t: t.replace(second=0, microsecond=0)),
    event=st.text(max_size=5),
)


def _sort_key(entry):
    return (entry.date, entry.time is None, entry.time or time.min, entry.agency.casefold())


@given(st.lists(st.lists(ENTRIES, max_size=8), max_size=4))
def test_the_merge_is_a_sorted_permutation_of_its_inputs(lists):
    readings = [Reading(str(n), rows=rows) for n, rows in enumerate(lists)]
    merged = merge(readings)
    everything = [e for rows in lists for e in rows]
    assert sorted(map(id, merged)) == sorted(map(id, everything))  # nothing lost, nothing added
    assert [_sort_key(e) for e in merged] == sorted(_sort_key(e) for e in merged)
    position = {id(e): (n, e.row) for n, rows in enumerate(lists) for e in rows}
    for first, second in pairwise(merged):
        if _sort_key(first) == _sort_key(second):  # ties: the readings' order, then the row
            assert position[id(first)] <= position[id(second)]


# --- duplicates

POLICE = "Police attended home after 999 call; victim said partner pushed her"
IDVA = "Police attended the home following a 999 call. Victim said her partner had pushed her"


def test_the_same_event_from_two_agencies_is_one_group():
    a = _entry("Northvale Police", at=time(22, 15), event=POLICE)
    b = _entry("Safe Haven Domestic Abuse Service", at=None, event=IDVA)
    other = _entry("Greenfield GP Practice", at=time(9), event="Repeat prescription issued")
    assert duplicates([a, other, b]) == [[a, b]]


def test_a_chain_of_reports_is_one_group_of_three():
    a = _entry("A", event=POLICE)
    b = _entry("B", event=IDVA)
    c = _entry("C", event=IDVA + " again")
    assert duplicates([a, b, c]) == [[a, b, c]]


DUPLICATE_NEAR_MISSES = {
    "same day, another event": (
        _entry("Northvale Police", event="Police attended home after 999 call"),
        _entry("Greenfield GP Practice", event="Victim attended GP for repeat prescription"),
    ),
    "same words, another day": (
        _entry("Northvale Police", event=POLICE),
        _entry("Safe Haven", day=date(2023, 3, 15), event=POLICE),
    ),
    "same words, other times": (
        _entry("Northvale Police", at=time(9), event=POLICE),
        _entry("Safe Haven", at=time(17), event=POLICE),
    ),
    "the same agency twice": (
        _entry("Northvale Police", row=2, event=POLICE),
        _entry("northvale  police", row=3, event=POLICE),
    ),
    "two visits to one flat": (
        _entry("Northvale Homes", event="Housing officer visited the flat to inspect a repair"),
        _entry("Health Visiting", event="Health visitor visited the flat to see the baby"),
    ),
}


@pytest.mark.parametrize("case", list(DUPLICATE_NEAR_MISSES))
def test_a_near_miss_is_not_flagged(case):
    assert duplicates(list(DUPLICATE_NEAR_MISSES[case])) == []


def test_the_threshold_sits_between_a_rewording_and_another_event():
    assert len(words(POLICE) & words(IDVA)) / len(words(POLICE) | words(IDVA)) > 0.8
    assert alike(words(POLICE), words(IDVA))
    assert not alike(words("Visited the flat about rent"), words("Visited the flat about a leak"))
    assert words("Attended; ATTENDING, attends") == {"attend"}


def test_duplicates_in_5000_rows_find_every_echoed_event():
    files = chronology_rows(5000, echo_every=25)
    readings = [
        read_chronology(f"{n}.csv", _csv(*rows), agency=name, today=TODAY)
        for n, (name, rows) in enumerate(files.items())
    ]
    merged = merge(readings)
    groups = duplicates(merged)
    grouped = {e.event for group in groups for e in group}
    echoes = [e for e in merged if e.event.startswith("Noted: ")]
    assert len(echoes) == 5000 // 26 + 1
    assert all(e.event in grouped and e.event[7:-1] in grouped for e in echoes)
    for group in groups:
        assert len({e.date for e in group}) == 1
        assert len({e.agency for e in group}) > 1


def _all_pairs(entries):
    """The plain definition, every pair tried: what the prefix filter must agree with."""
    linked = {i: {i} for i in range(len(entries))}
    for i, j in combinations(range(len(entries)), 2):
        a, b = entries[i], entries[j]
        if (
            a.date == b.date
            and a.agency.casefold() != b.agency.casefold()
            and (a.time is None or b.time is None or a.time == b.time)
            and alike(words(a.event), words(b.event))
        ):
            merged = linked[i] | linked[j]
            for k in merged:
                linked[k] = merged
    groups = {min(group): group for group in linked.values()}
    return [
        [entries[k] for k in sorted(group)]
        for _, group in sorted(groups.items())
        if len({entries[k].agency.casefold() for k in group}) > 1
    ]


EVENT_WORDS = st.lists(
    st.sampled_from(["police", "visit", "call", "home", "Anna", "GP", "the", "999", "flat"]),
    min_size=1,
    max_size=6,
).map(" ".join)


@given(
    st.lists(
        st.builds(
            _entry,
            agency=st.sampled_from(["A", "B", "C"]),
            day=st.dates(date(2020, 1, 1), date(2020, 1, 2)),
            at=st.sampled_from([None, time(9), time(10)]),
            event=EVENT_WORDS,
        ),
        max_size=25,
    )
)
def test_duplicates_agree_with_trying_every_pair(entries):
    assert duplicates(entries) == _all_pairs(entries)


def test_a_day_of_thousands_of_entries_finds_its_duplicates():
    day = [_entry(f"Agency {n % 12}", row=n, event=f"Contact number {n}") for n in range(3000)]
    day.append(_entry("Agency 5", row=9999, event="Contact, number 12."))
    (group,) = duplicates(day)
    assert [e.row for e in group] == [12, 9999]


def test_an_event_of_stop_words_only_still_has_words():
    assert words("He was there") == {"he was there"}
    assert not alike(words("He was there"), words("She was there"))


# --- filters


def test_people_are_each_name_once_without_notes_in_brackets():
    entries = [
        _entry(people="Anna, Ben (partner)"),
        _entry(people="anna; Chloe and Dev"),
        _entry(people="Ben/ Ella Smith\nFrank"),
    ]
    assert people(entries) == ["Anna", "Ben", "Chloe", "Dev", "Ella Smith", "Frank"]


def test_filters_by_agency_and_by_person_as_a_whole_name():
    a = _entry("Northvale Police", people="Anna, Ben (partner)")
    b = _entry("Northvale Homes", people="Annabel")
    c = _entry("Northvale Homes", people="ANNA")
    assert filtered([a, b, c], agency="northvale  homes") == [b, c]
    assert filtered([a, b, c], person="anna") == [a, c]
    assert filtered([a, b, c], person="Ann") == []
    assert filtered([a, b, c], agency="Northvale Homes", person="Anna") == [c]
    assert filtered([a, b, c]) == [a, b, c]
    assert filtered([a, b, c], person="Anna (") == []  # regex characters are text


# --- outputs


def test_5000_rows_from_12_agencies_merge_and_come_back_from_the_xlsx():
    files = chronology_rows(5000, agencies=12)
    readings = [
        read_chronology(f"{n}.xlsx", xlsx_file(rows), agency=name, today=TODAY)
        for n, (name, rows) in enumerate(files.items())
    ]
    assert len(readings) == 12
    assert all(r.problems == [] for r in readings)
    merged = merge(readings)
    assert len(merged) == 5000
    groups = duplicates(merged)
    book = load_workbook(io.BytesIO(to_xlsx(merged, duplicates=groups)), read_only=True)
    sheet = book.worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    book.close()
    assert rows[0][0] == "OFFICIAL-SENSITIVE"
    assert list(rows[1]) == chronology.OUTPUT_HEADERS
    body = rows[2:]
    assert len(body) == 5000
    assert [r[4] for r in body] == [e.event for e in merged]
    assert [r[0].date() for r in body] == [e.date for e in merged]
    flagged = [r for r in body if r[8]]
    assert len(flagged) == sum(len(group) for group in groups) > 0


def test_the_xlsx_freezes_the_header_names_the_other_agencies_and_never_writes_a_formula():
    a = _entry("Northvale Police", at=time(9, 5), event=POLICE)
    b = _entry("Safe Haven", event=IDVA)
    c = _entry("Greenfield GP Practice", event="=HYPERLINK(1)")
    book = load_workbook(io.BytesIO(to_xlsx([a, b, c], duplicates=[[a, b]])))
    sheet = book.worksheets[0]
    assert sheet.freeze_panes == "A3"
    assert [sheet.cell(row=n, column=9).value for n in (3, 4, 5)] == [
        "Safe Haven",
        "Northvale Police",
        None,
    ]
    assert sheet.cell(row=5, column=5).data_type == "s"
    assert sheet.cell(row=3, column=2).value == time(9, 5)


def test_the_html_section_escapes_everything_and_marks_duplicates():
    a = _entry("Police <script>", at=time(9, 5), event="<b>hit</b>\nthen left", people="A & B")
    b = _entry("Safe Haven", event="x")
    html = to_html_section([a, b], duplicates=[[a, b]])
    assert "<script>" not in html
    assert "<b>" not in html
    assert "Police &lt;script&gt;" in html
    assert "A &amp; B" in html
    assert "&lt;b&gt;hit&lt;/b&gt;<br>then left" in html
    assert "14/03/2023" in html
    assert "09:05" in html
    assert "Not known" in html
    assert "Also reported by Police &lt;script&gt;" in html
    assert html.count('<tr class="govuk-table__row">') == 3
