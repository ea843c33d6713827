"""Agencies' chronologies kept on a review and merged (reviews/chronology.py reads and merges;
here: the service that keeps each file, the page that shows the merged chronology, its filters,
its downloads, and what a bad file or form does: a clear message, the input kept, nothing
saved). Who may reach each page is in test_permissions.py."""

import csv
import io
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from dhr.errors import NotAllowed, TransitionError
from dhr.models import AuditEvent
from reviews import chronology, selectors, services
from reviews.models import ChronologyFile, Status
from reviews.tests.factories import FACTORY_FOR_STATUS

HEADER = [header for _, header, _ in chronology.COLUMNS]
# Fictional events: the same visit reported by the police and by health.
POLICE_ROWS = [
    ["14/03/2023", "09:30", "", "Notes 101", "Officers attended the home, a call", "Anna, Ben", ""],
    ["02/04/2023", "", "", "Notes 102", "Ben arrested for criminal damage", "Ben", ""],
]  # fmt: skip
HEALTH_ROWS = [
    ["14/03/2023", "", "", "GP record", "Officers attended the home, call from Anna", "Anna", ""],
    ["20/03/2023", "", "", "GP record", "Anna seen by her GP about sleeping badly", "Anna", ""],
]  # fmt: skip


def _csv_upload(rows, *, header=HEADER, name="chronology.csv") -> SimpleUploadedFile:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(rows)
    return SimpleUploadedFile(name, out.getvalue().encode(), content_type="text/csv")


@pytest.fixture
def review(people):
    return FACTORY_FOR_STATUS[Status.AGENCY_REPORTS](partnership=people.home)


def _upload(review, people, agency, rows, **kwargs):
    return services.chronology_upload(
        review=review, by=people.coordinator, agency=agency, upload=_csv_upload(rows, **kwargs)
    )


def _body(response) -> bytes:
    """A download's bytes: a kept file is streamed, a made one sent whole."""
    return b"".join(response.streaming_content) if response.streaming else response.content


def _kept_files() -> set[str]:
    folder = Path(settings.MEDIA_ROOT) / "chronologies"
    return {str(path) for path in folder.rglob("*") if path.is_file()} if folder.exists() else set()


# --- the service


def test_an_agency_s_file_is_kept_with_its_rows_and_its_bad_rows(review, people):
    rows = [*POLICE_ROWS, ["31/02/2023", "", "", "", "A visit", "Anna", ""]]
    kept = _upload(review, people, people.involved_agency, rows)
    assert [row["event"] for row in kept.rows] == [row[4] for row in POLICE_ROWS]
    assert kept.rows[0]["date"] == "2023-03-14"
    assert kept.rows[0]["time"] == "09:30"
    assert kept.problems == [
        {"row": 4, "column": "date", "message": "the date 31/02/2023 is not a real date"}
    ]
    assert kept.content_type == "text/csv"
    with kept.file.open("rb") as sent:
        assert sent.read().startswith(b"Date,Time")
    assert kept.history.get().history_change_reason == "Chronology received from Involved Agency"


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (
            _csv_upload(POLICE_ROWS, header=["Date", "Time", "Notes"]),
            "What happened",  # the missing columns are named
        ),
        (
            SimpleUploadedFile("chronology.pdf", b"%PDF-1.7 not a spreadsheet"),
            "The selected file must be a CSV or an Excel (XLSX) file",
        ),
    ],
    ids=["wrong columns", "not a spreadsheet"],
)
def test_a_file_that_is_not_a_chronology_is_refused_whole_and_nothing_is_kept(
    review, people, upload, message
):
    before = _kept_files()
    with pytest.raises(ValidationError) as error:
        services.chronology_upload(
            review=review, by=people.coordinator, agency=people.involved_agency, upload=upload
        )
    assert message in error.value.message_dict["file"][0]
    assert not ChronologyFile.objects.exists()
    assert _kept_files() == before


def test_only_the_coordinator_uploads_and_only_while_reports_come_in(review, people):
    with pytest.raises(NotAllowed):
        services.chronology_upload(
            review=review,
            by=people.chair,
            agency=people.involved_agency,
            upload=_csv_upload(POLICE_ROWS),
        )
    submitted = FACTORY_FOR_STATUS[Status.SUBMITTED](partnership=people.home)
    with pytest.raises(TransitionError):
        _upload(submitted, people, people.involved_agency, POLICE_ROWS)
    assert not ChronologyFile.objects.exists()


def test_the_newest_file_of_each_agency_is_merged_and_the_older_kept(review, people):
    _upload(review, people, people.involved_agency, [POLICE_ROWS[1]])
    _upload(review, people, people.involved_agency, POLICE_ROWS)  # sent again, corrected
    _upload(review, people, people.other_agency, HEALTH_ROWS)
    merged = selectors.review_chronology(review)
    assert ChronologyFile.objects.count() == 3
    assert [kept.agency for kept in merged.files] == [people.involved_agency, people.other_agency]
    assert [(e.date.isoformat(), e.agency) for e in merged.entries] == [
        ("2023-03-14", "Involved Agency"),  # a known time first on the day
        ("2023-03-14", "Other"),
        ("2023-03-20", "Other"),
        ("2023-04-02", "Involved Agency"),
    ]
    [pair] = merged.duplicates
    assert {entry.agency for entry in pair} == {"Involved Agency", "Other"}


# --- the page


def _page(client, review, **query):
    return client.get(reverse("reviews:chronology", args=[review.pk]), query)


def test_the_coordinator_uploads_a_file_and_sees_it_merged(client, review, people):
    client.force_login(people.coordinator)
    url = reverse("reviews:chronology", args=[review.pk])
    rows = [*POLICE_ROWS, ["14/03/2023", "25:10", "", "", "A call", "Anna", ""]]
    response = client.post(
        url, {"agency": people.involved_agency.pk, "file": _csv_upload(rows)}, follow=True
    )
    html = response.content.decode()
    assert response.redirect_chain == [(url, 302)]
    assert "Chronology from Involved Agency uploaded: 2 rows read, 1 row to correct" in html
    assert "Row 4: the time 25:10 is not a real time" in html
    assert "1 row is left out of the merged chronology until corrected" in html
    assert "Officers attended the home, a call" in html
    client.post(url, {"agency": people.other_agency.pk, "file": _csv_upload(HEALTH_ROWS)})
    html = _page(client, review).content.decode()
    assert "4 events from 2 agencies." in html
    assert "1 event was reported by more than one agency." in html
    assert html.count("Also reported by") == 2  # each side of the pair names the other


def test_bad_input_shows_the_errors_keeps_the_answers_and_saves_nothing(client, review, people):
    client.force_login(people.coordinator)
    url = reverse("reviews:chronology", args=[review.pk])
    response = client.post(url, {})
    assert response.status_code == 200
    html = response.content.decode()
    assert "govuk-error-summary" in html
    assert "Select the agency whose chronology this is" in html
    assert "Select the chronology file to upload" in html

    wrong = _csv_upload(POLICE_ROWS, header=["Date", "Notes"])
    response = client.post(url, {"agency": people.other_agency.pk, "file": wrong})
    assert response.status_code == 200
    html = response.content.decode()
    assert "govuk-error-summary" in html
    assert "What happened" in response.context["form"].errors["file"][0]
    assert response.context["form"]["agency"].value() == str(people.other_agency.pk)  # kept
    assert not ChronologyFile.objects.exists()


def test_the_filters_show_one_agency_or_one_person(client, review, people):
    _upload(review, people, people.involved_agency, POLICE_ROWS)
    _upload(review, people, people.other_agency, HEALTH_ROWS)
    client.force_login(people.viewer)
    review.viewers.add(people.viewer)

    def events(**query):
        response = _page(client, review, **query)
        return [entry.event for entry, _ in response.context["rows"]]

    assert len(events()) == 4
    assert events(agency="Other") == [HEALTH_ROWS[0][4], HEALTH_ROWS[1][4]]
    assert events(person="Ben") == [POLICE_ROWS[0][4], POLICE_ROWS[1][4]]
    assert events(agency="Other", person="Ben") == []
    assert (
        "No events match these filters."
        in _page(client, review, person="Ben", agency="Other").content.decode()
    )
    # A choice the page does not offer (an edited address) is ignored, not an error.
    assert len(events(agency="Nobody")) == 4


def test_the_merged_chronology_downloads_with_every_row_and_is_audited(client, review, people):
    _upload(review, people, people.involved_agency, POLICE_ROWS)
    _upload(review, people, people.other_agency, HEALTH_ROWS)
    client.force_login(people.chair)
    response = client.get(reverse("reviews:chronology_download", args=[review.pk]))
    assert response.status_code == 200
    assert "multi-agency chronology.xlsx" in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(_body(response))).active
    events = {row[4] for row in sheet.iter_rows(values_only=True)}
    assert {row[4] for row in POLICE_ROWS + HEALTH_ROWS} <= events
    audit = AuditEvent.objects.get(object_type="chronology")
    assert (audit.user, audit.review_id) == (people.chair, review.pk)


def test_an_agency_s_file_downloads_as_sent_and_the_template_has_the_columns(
    client, review, people
):
    kept = _upload(review, people, people.involved_agency, POLICE_ROWS)
    client.force_login(people.coordinator)
    response = client.get(reverse("reviews:chronology_file", args=[review.pk, kept.pk]))
    with kept.file.open("rb") as sent:
        assert _body(response) == sent.read()
    response = client.get(reverse("reviews:chronology_template", args=[review.pk]))
    sheet = load_workbook(io.BytesIO(_body(response))).worksheets[0]
    assert [cell.value for cell in next(sheet.iter_rows())] == HEADER
    assert AuditEvent.objects.filter(review_id=review.pk).count() == 2


def test_another_review_s_file_is_not_found_through_this_review(client, review, people):
    other = FACTORY_FOR_STATUS[Status.AGENCY_REPORTS](partnership=people.home)
    kept = _upload(other, people, people.involved_agency, POLICE_ROWS)
    client.force_login(people.coordinator)
    url = reverse("reviews:chronology_file", args=[review.pk, kept.pk])
    assert client.get(url).status_code == 404
