"""Bad trackers: each gives a clear message and imports nothing, from the command line and
from the web page. The web import: upload, preview, confirm the new agencies (or skip bad
rows), and the worker's job."""

import csv
import io
import zipfile
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import Workbook

from dhr.models import Agency
from dhr.tests.workbooks import xlsx_of
from recommendations import services, tracker_import
from recommendations.models import Action, Recommendation, TrackerImport, TrackerStatus
from reviews.models import Review
from reviews.tests.factories import AgencyFactory

NORTHVALE = Path(__file__).parent / "trackers" / "northvale.csv"
HEADER = ",".join(tracker_import.COLUMNS)
GOOD = (
    "DHR-2019-01,Anna,1,Share risk at MARAC,Risk assessment,Northvale Police,local,"
    "Audit forms,31/03/2030,In progress,"
)


def _csv(*rows, header=HEADER) -> bytes:
    return ("\n".join([header, *rows]) + "\n").encode()


def _counts():
    return (
        Review.objects.count(),
        Recommendation.objects.count(),
        Action.objects.count(),
        Agency.objects.count(),
    )


def _import(path, *options, err=None) -> str:
    """`import_tracker` into partnership 'p' (created if new); returns what it printed."""
    out = io.StringIO()
    call_command(
        "import_tracker", str(path), "--partnership", "p", "--create-partnership", "P",
        *options, stdout=out, stderr=err if err is not None else io.StringIO(),
    )  # fmt: skip
    return out.getvalue()


BAD_FILES = {
    "wrong columns": (
        _csv(GOOD, header="reference,name,number,text"),
        "Missing: review_reference, review_pseudonym, recommendation_number",
    ),
    "empty": (b"", "The selected file is empty"),
    "only a header": (_csv(), "has a header row but no rows below it"),
    "not a spreadsheet": (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "must be a CSV or an Excel"),
    "a damaged workbook": (b"PK\x03\x04 not really a zip", "could not be read as an Excel"),
    "very large": (b"a" * (tracker_import.MAX_BYTES + 1), "smaller than 5 MB"),
    "too many rows": (
        _csv(*[GOOD.replace("Audit forms", f"Audit {n}") for n in range(5001)]),
        "more than 5,000 rows",
    ),
}
BAD_ROWS = {
    "a bad date": (GOOD.replace("31/03/2030", "31/02/2030"), "target_date must be a real date"),
    "a date in words": (GOOD.replace("31/03/2030", "next March"), "not 'next March'"),
    "an unknown status": (GOOD.replace("In progress", "Done"), "status must be one of"),
    "an unknown scope": (GOOD.replace(",local,", ",global,"), "scope must be local, regional"),
    "formula text": (
        GOOD.replace("Audit forms", '"=HYPERLINK(""http://x"",""y"")"'),
        "action begins with '=', which a spreadsheet runs as a formula",
    ),
    "a formula after a sign": (GOOD.replace("Audit forms", "-2+3"), "begins with '-'"),
    "a missing action": (GOOD.replace("Audit forms", ""), "Enter the action"),
    "a bad number": (GOOD.replace(",1,", ",R1,"), "must be a whole number from 1 to 999"),
    # Found by hypothesis: a digit to Python, not to int().
    "a superscript number": (GOOD.replace(",1,", ",\u00b2,"), "must be a whole number"),
    "an unquoted comma": (
        GOOD.replace("Audit forms", "Audit forms, letters"),
        "more cells than the header has columns",
    ),
}


@pytest.mark.parametrize("case", list(BAD_FILES))
def test_a_bad_file_is_refused_with_a_clear_message(db, tmp_path, case):
    data, message = BAD_FILES[case]
    path = tmp_path / "tracker.csv"
    path.write_bytes(data)
    before = _counts()
    with pytest.raises(CommandError, match=message.replace("(", r"\(").replace(")", r"\)")):
        _import(path)
    assert _counts() == before


@pytest.mark.parametrize("case", list(BAD_ROWS))
def test_a_bad_row_is_reported_with_its_number_and_nothing_is_imported(db, tmp_path, case):
    row, message = BAD_ROWS[case]
    other = GOOD.replace("Audit forms", "Train staff")
    path = tmp_path / "tracker.csv"
    path.write_bytes(_csv(other, row))
    before = _counts()
    err = io.StringIO()
    with pytest.raises(CommandError, match="1 of 2 rows have problems: nothing was imported"):
        _import(path, err=err)
    assert "Row 3, " in err.getvalue()
    assert message in err.getvalue()
    assert _counts() == before


def test_good_rows_only_imports_the_good_rows(db, tmp_path):
    path = tmp_path / "tracker.csv"
    path.write_bytes(_csv(GOOD, GOOD.replace("In progress", "Done").replace("Audit forms", "X")))
    out = _import(path, "--good-rows-only")
    assert "Actions created: 1" in out
    assert "Skipped rows: 3" in out
    assert list(Action.objects.values_list("description", flat=True)) == ["Audit forms"]


def test_rows_that_disagree_are_reported(db):
    from dhr.models import Partnership

    partnership = Partnership.objects.create(name="P", slug="p", area="P")
    data = _csv(
        GOOD,
        GOOD.replace("Anna", "Anne").replace("Audit forms", "B"),
        GOOD.replace("Share risk at MARAC", "Other text").replace("Audit forms", "C"),
        GOOD,
    )
    reading = tracker_import.read_tracker("t.csv", data, partnership)
    assert [(e["row"], e["message"]) for e in reading.errors] == [
        (3, "The pseudonym differs from row 2 for DHR-2019-01"),
        (4, "The recommendation text differs from row 2 for DHR-2019-01 recommendation 1"),
        (5, "The same action is already on row 2"),
    ]


def test_a_clash_with_the_system_is_reported(db, tmp_path):
    path = tmp_path / "tracker.csv"
    path.write_bytes(_csv(GOOD))
    _import(path)
    path.write_bytes(_csv(GOOD.replace("Anna", "Anne")))
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command(
            "import_tracker", str(path), "--partnership", "p", stdout=io.StringIO(), stderr=err
        )
    assert "DHR-2019-01 is already in the system as 'Anna', not 'Anne'" in err.getvalue()


def test_an_unknown_partnership_needs_create_partnership(db, tmp_path):
    path = tmp_path / "tracker.csv"
    path.write_bytes(_csv(GOOD))
    with pytest.raises(CommandError, match="give --create-partnership"):
        call_command("import_tracker", str(path), "--partnership", "nowhere")


# --- the web import


def _upload(client, slug, data, name="tracker.csv"):
    return client.post(
        reverse("recommendations:tracker_import", args=[slug]),
        {"file": SimpleUploadedFile(name, data)},
    )


@pytest.mark.parametrize("case", ["wrong columns", "empty", "not a spreadsheet", "very large"])
def test_the_web_import_refuses_a_bad_file(client, people, case):
    data, message = BAD_FILES[case]
    client.force_login(people.coordinator)
    before = _counts()
    response = _upload(client, "home", data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "There is a problem" in page
    assert message.replace("'", "&#x27;") in page or message in page
    assert TrackerImport.objects.count() == 0
    assert _counts() == before


def test_the_web_import_asks_for_a_file(client, people):
    client.force_login(people.coordinator)
    response = client.post(reverse("recommendations:tracker_import", args=["home"]), {})
    assert "Select your tracker file" in response.content.decode()


def test_the_web_import_previews_then_imports_once_the_agencies_are_confirmed(client, people):
    AgencyFactory(name="Northvale Police Service")
    client.force_login(people.coordinator)
    response = _upload(client, "home", NORTHVALE.read_bytes(), "northvale.csv")
    job = TrackerImport.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("recommendations:tracker_import_job", args=["home", job.pk])
    page = client.get(response.url).content.decode()
    assert "14 rows read: <strong>14 good</strong>" in page
    assert "Add 4 reviews at the monitoring stage: DHR-2019-01, DHR-2020-02" in page
    assert "Add 14 actions" in page
    assert "Northvale Police: <strong>is it Northvale Police Service?</strong>" in page
    assert _counts()[0] == 0  # nothing yet

    # Not confirming the new agencies: refused, nothing imported.
    response = client.post(response.url, {})
    assert "Confirm the new agencies, or correct their names" in response.content.decode()
    job.refresh_from_db()
    assert job.state == TrackerImport.State.PREVIEWED

    response = client.post(
        reverse("recommendations:tracker_import_job", args=["home", job.pk]),
        {"agencies_confirmed": "on"},
    )
    assert response.status_code == 302
    job.refresh_from_db()
    assert job.state == TrackerImport.State.QUEUED
    assert job.confirmed_by == people.coordinator
    services.tracker_import_run(job_id=job.pk)  # what the worker does
    job.refresh_from_db()
    assert job.state == TrackerImport.State.DONE
    assert job.result["written"]["actions_created"] == 14
    assert Review.objects.filter(partnership=people.home).count() == 4
    page = client.get(response.url).content.decode()
    assert "Tracker imported" in page
    # A job runs once.
    services.tracker_import_run(job_id=job.pk)
    assert Action.objects.count() == 14


def test_the_web_import_with_bad_rows_needs_good_rows_only(client, people):
    client.force_login(people.coordinator)
    data = _csv(GOOD, GOOD.replace("In progress", "Done").replace("Audit forms", "X"))
    response = _upload(client, "home", data)
    page = client.get(response.url).content.decode()
    assert "1 with problems" in page
    assert "status must be one of" in page
    response = client.post(response.url, {"agencies_confirmed": "on"})
    assert "Choose to import the good rows only" in response.content.decode()
    job = TrackerImport.objects.get()
    client.post(
        reverse("recommendations:tracker_import_job", args=["home", job.pk]),
        {"agencies_confirmed": "on", "good_rows_only": "on"},
    )
    services.tracker_import_run(job_id=job.pk)
    job.refresh_from_db()
    assert job.state == TrackerImport.State.DONE
    assert job.good_rows_only
    assert list(Action.objects.values_list("description", flat=True)) == ["Audit forms"]


def test_an_import_clashing_with_one_written_since_its_preview_fails_whole(client, people):
    client.force_login(people.coordinator)
    response = _upload(client, "home", _csv(GOOD))
    job = TrackerImport.objects.get()
    # Between the preview and the worker, the same review arrives under another pseudonym.
    other = _upload(client, "home", _csv(GOOD.replace("Anna", "Anne")))
    other_job = TrackerImport.objects.exclude(pk=job.pk).get()
    for j in (other_job, job):
        client.post(
            reverse("recommendations:tracker_import_job", args=["home", j.pk]),
            {"agencies_confirmed": "on"},
        )
        services.tracker_import_run(job_id=j.pk)
    job.refresh_from_db()
    assert other.status_code == 302
    assert job.state == TrackerImport.State.FAILED
    assert "already in the system as 'Anne', not 'Anna'" in job.message
    assert Action.objects.count() == 1
    page = client.get(response.url).content.decode()
    assert "The tracker was not imported" in page


def test_the_template_downloads_read_back_as_a_tracker(client, people):
    client.force_login(people.coordinator)
    for fmt in ("csv", "xlsx"):
        response = client.get(reverse("recommendations:tracker_template", args=["home", fmt]))
        assert response["Content-Disposition"] == f'attachment; filename="tracker-template.{fmt}"'
        reading = tracker_import.read_tracker(f"t.{fmt}", response.content, people.home)
        assert reading.errors == []
        assert len(reading.rows) == 1


# --- any input at all


@given(st.binary(max_size=2000))
def test_any_bytes_are_read_as_a_table_or_refused_with_a_message(data):
    try:
        header, table = tracker_import.read_table("upload", data)
    except tracker_import.TrackerFileError as error:
        message = str(error)
    else:
        message = ""
        assert set(tracker_import.COLUMNS) - tracker_import.OPTIONAL <= set(header)
        assert all(number >= 2 for number, _ in table)
    assert message or table


CELL = st.text(alphabet=st.characters(blacklist_categories=["Cs"]), max_size=40)


@given(st.lists(st.lists(CELL, min_size=11, max_size=11), min_size=1, max_size=8))
def test_every_row_of_any_table_is_either_good_or_reported_by_its_number(rows):
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(tracker_import.COLUMNS)
    writer.writerows(rows)
    try:
        _, table = tracker_import.read_table("t.csv", out.getvalue().encode())
    except tracker_import.TrackerFileError:
        return  # every row blank
    for number, record in table:
        good, errors = tracker_import._check_row(number, record)
        assert (good is None) == bool(errors)
        assert all(e["row"] == number and e["message"] for e in errors)
        if good:
            assert good["status"] in TrackerStatus.values
            assert good["scope"] in ("local", "regional", "national")


def _bomb() -> bytes:
    """A small XLSX whose sheet unpacks to over 50 MB."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", " " * (tracker_import.MAX_UNPACKED + 1))
    return out.getvalue()


def _with_macros() -> bytes:
    """A real workbook with a VBA project added, as an .xlsm saved under an .xlsx name is."""
    out = io.BytesIO(xlsx_of([HEADER.split(",")]))
    with zipfile.ZipFile(out, "a") as archive:
        archive.writestr("xl/vbaProject.bin", b"\xd0\xcf\x11\xe0 a VBA project")
    return out.getvalue()


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
<!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
<!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
<!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
<!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
<!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
<!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">]>
<sst><si><t>&lol9;</t></si></sst>"""


def _entity_workbook() -> bytes:
    """A real workbook whose shared strings expand an entity a billion times."""
    book = Workbook()
    book.active.append(tracker_import.COLUMNS)
    out = io.BytesIO()
    book.save(out)
    source = zipfile.ZipFile(io.BytesIO(out.getvalue()))
    hostile = io.BytesIO()
    with zipfile.ZipFile(hostile, "w", zipfile.ZIP_DEFLATED) as archive:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/sharedStrings.xml":
                data = BILLION_LAUGHS
            archive.writestr(item, data)
    return hostile.getvalue()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (_bomb(), "too large once unpacked"),
        (_entity_workbook(), "The selected file"),
        (_with_macros(), "contains macros or other active content"),
        (xlsx_of([HEADER.split(",")])[:-200], "could not be read as an Excel workbook"),
    ],
    ids=["zip bomb", "billion laughs", "macros", "truncated"],
)
def test_a_hostile_workbook_is_refused_with_a_message(db, tmp_path, data, message):
    path = tmp_path / "tracker.xlsx"
    path.write_bytes(data)
    with pytest.raises(CommandError, match=message):
        _import(path)
    assert Review.objects.count() == 0
