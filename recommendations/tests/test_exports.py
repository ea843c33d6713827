"""The action plan downloaded as XLSX and CSV: marked OFFICIAL-SENSITIVE at the top, the foot
and in the print header and footer, one row per action, and nothing confidential."""

import csv
import io
from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from dhr.models import AuditEvent
from recommendations.exports import COLUMNS, MARKING
from recommendations.models import Action, ActionUpdate
from recommendations.tests.factories import (
    ActionCompletedFactory,
    ActionFactory,
    ActionUpdateFactory,
    RecommendationFactory,
    plan_for,
)

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HEADER = [name for name, _ in COLUMNS]


@pytest.fixture
def plan(people):
    """Three recommendations: the first with two actions (one completed), the second with one
    of another agency, the third with none yet."""
    plan = plan_for(people)
    plan.done = ActionCompletedFactory(
        recommendation=plan.recommendation,
        description="Publish the referral guidance",
        target_date=date(2026, 3, 31),
    )
    second = RecommendationFactory(
        review=plan.review, text="Share risk information", lead_agency=people.other_agency
    )
    plan.other = ActionFactory(
        recommendation=second, description="Sign the protocol", target_date=date(2027, 1, 15)
    )
    plan.empty = RecommendationFactory(
        review=plan.review, text="Write to the minister", lead_agency=people.involved_agency
    )
    return plan


def _download(client, people, review, fmt):
    client.force_login(people.coordinator)
    response = client.get(reverse("recommendations:export", args=[review.pk, fmt]))
    assert response.status_code == 200
    return response


def _xlsx_rows(response):
    book = load_workbook(io.BytesIO(response.content))
    sheet = book.active
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    return book, sheet, rows


def _csv_rows(response):
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def _expected(plan):
    """(number, recommendation text, owner agency, target date, status) for each row, in the
    plan's order."""
    rows = []
    for recommendation in plan.review.recommendations.order_by("number"):
        actions = list(recommendation.actions.order_by("pk"))
        if not actions:
            rows.append((recommendation.number, recommendation.text, "", "", ""))
        for action in actions:
            rows.append(
                (
                    recommendation.number,
                    recommendation.text,
                    action.owner_agency.name,
                    action.target_date.isoformat(),
                    action.get_status_display(),
                )
            )
    return rows


def _pick(row):
    column = {name: index for index, name in enumerate(HEADER)}
    values = [
        row[column[name]]
        for name in ("Recommendation", "Recommendation text", "Owner agency", "Target date")
    ]
    values.append(row[column["Status"]])
    values[0] = int(values[0])
    return tuple("" if value is None else value for value in values)


def _confidential(review):
    return [
        review.victim_name,
        review.perpetrator_name,
        f"{review.date_of_death:%-d %B %Y}",
        review.date_of_death.isoformat(),
        f"{review.victim_date_of_birth:%-d %B %Y}",
        review.victim_date_of_birth.isoformat(),
    ]


def _data(rows):
    """The rows after the header, less any marking row."""
    return [row for row in rows[3:] if row[0] != MARKING]


def test_the_xlsx_export_is_marked_top_and_bottom(client, people, plan):
    response = _download(client, people, plan.review, "xlsx")
    book, sheet, rows = _xlsx_rows(response)
    assert rows[0][0] == MARKING
    assert rows[-1][0] == MARKING
    assert sheet.oddHeader.center.text == MARKING
    assert sheet.oddFooter.center.text == MARKING
    assert book.properties.keywords == MARKING


def test_the_xlsx_export_has_a_row_per_action(client, people, plan):
    response = _download(client, people, plan.review, "xlsx")
    assert response["Content-Type"] == XLSX_TYPE
    _, _, rows = _xlsx_rows(response)
    assert plan.review.public_title in rows[1][0]
    assert rows[2] == HEADER
    picked = [_pick(row) for row in _data(rows)]
    assert picked == _expected(plan)
    assert picked == [
        (1, plan.recommendation.text, "Involved Agency", "2026-06-01", "Not started"),
        (1, plan.recommendation.text, "Involved Agency", "2026-03-31", "Completed"),
        (2, "Share risk information", "Other", "2027-01-15", "Not started"),
        (3, "Write to the minister", "", "", ""),
    ]


def test_the_csv_export_is_marked_and_has_a_row_per_action(client, people, plan):
    response = _download(client, people, plan.review, "csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = _csv_rows(response)

    assert rows[0] == [MARKING]
    assert rows[-1] == [MARKING]
    assert plan.review.public_title in rows[1][0]
    assert rows[2] == HEADER
    assert [_pick(row) for row in _data(rows)] == _expected(plan)
    assert _pick(rows[3]) == (
        1,
        plan.recommendation.text,
        "Involved Agency",
        "2026-06-01",
        "Not started",
    )


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_the_file_name_is_marked_and_the_download_is_audited(client, people, plan, fmt):
    response = _download(client, people, plan.review, fmt)
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert "OFFICIAL-SENSITIVE" in disposition
    assert disposition.endswith(f'.{fmt}"')
    assert plan.review.reference in disposition
    event = AuditEvent.objects.get(object_type="action_plan")
    assert (event.user, event.kind, event.object_id) == (
        people.coordinator,
        AuditEvent.Kind.DOCUMENT_DOWNLOADED,
        str(plan.review.pk),
    )


@pytest.mark.parametrize("fmt", ["pdf", "xls", "html", "CSV"])
def test_an_unknown_format_is_404(client, people, plan, fmt):
    client.force_login(people.coordinator)
    response = client.get(reverse("recommendations:export", args=[plan.review.pk, fmt]))
    assert response.status_code == 404
    assert not AuditEvent.objects.filter(object_type="action_plan").exists()


def test_neither_export_holds_a_confidential_value(client, people, plan):
    _, _, rows = _xlsx_rows(_download(client, people, plan.review, "xlsx"))
    xlsx_text = "\n".join(str(value) for row in rows for value in row if value is not None)
    csv_text = _download(client, people, plan.review, "csv").content.decode("utf-8-sig")
    for value in _confidential(plan.review):
        assert value not in xlsx_text
        assert value not in csv_text


def test_the_export_shows_the_last_accepted_update_and_how_late(client, people, plan):
    """The columns past the status: what the plan page shows, nothing more."""
    ActionUpdateFactory(
        action=plan.action,
        author=people.agency_contact,
        narrative="Half the staff are trained",
        state=ActionUpdate.State.ACCEPTED,
    )
    ActionUpdateFactory(action=plan.action, author=people.agency_contact, narrative="Awaiting")
    Action.objects.filter(pk=plan.action.pk).update(
        status=Action.Status.IN_PROGRESS, target_date=timezone.localdate() - timedelta(days=10)
    )
    rows = _csv_rows(_download(client, people, plan.review, "csv"))
    first = dict(zip(HEADER, rows[3], strict=True))
    assert first["Action"] == "Train the triage staff"
    assert first["Status"] == "In progress"
    assert first["Last accepted update"] == "Half the staff are trained"
    assert first["Days overdue"] == "10"
    done = dict(zip(HEADER, rows[4], strict=True))
    assert (done["Last accepted update"], done["Days overdue"]) == ("", "")
