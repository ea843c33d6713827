"""Bad input on every review form: the page comes back (no 500) with a GOV.UK error summary
naming the problem, the user's input kept, and nothing saved."""

from dataclasses import dataclass, field

import lxml.html
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from reviews.models import AgencyReport, Review, Status
from reviews.tests.factories import FACTORY_FOR_STATUS, PoliceFactory


def _date(prefix, day, month, year):
    return {f"{prefix}_0": day, f"{prefix}_1": month, f"{prefix}_2": year}


def _notification(**overrides):
    data = {
        "notifying_force": "",
        **_date("notified_on", "31", "2", "2025"),
        "death_type": "homicide",
        "victim_pseudonym": "",
        "victim_name": "Kept Name",
        "victim_age_band": "35-44",
        "victim_sex": "female",
        "relationship": "intimate_partner",
        "children_in_household": "two",
    }
    data.update(overrides)
    return data


@dataclass
class Case:
    url: str  # url name in the reviews namespace
    status: Status
    role: str
    data: dict
    messages: list[str]
    kept: list[str] = field(default_factory=list)
    files: dict = field(default_factory=dict)


CASES = {
    "notification-create": Case(
        "create",
        Status.NOTIFIED,
        "coordinator",
        _notification(),
        [
            "Select the police force that notified you",
            "The date the notification was received must be a real date",
            "Enter a pseudonym for the victim",
            "The number of children must be a whole number, like 2",
        ],
        kept=['value="Kept Name"', 'value="31"', 'value="two"'],
    ),
    "notification-death-after-notice": Case(
        "notification",
        Status.PROCEEDING,
        "coordinator",
        _notification(
            **_date("notified_on", "3", "3", "2025"),
            **_date("date_of_death", "9", "3", "2025"),
            victim_pseudonym="Kept",
            children_in_household="0",
        ),
        [
            "Select the police force that notified you",
            "The date of death must be on or before the notification date",
        ],
        kept=['value="Kept"'],
    ),
    "decision": Case(
        "decision",
        Status.DECISION_PENDING,
        "chair",
        {
            **_date("decided_on", "10", "", "2025"),
            "reasons": "",
            "other_reviews_notes": "Kept notes",
            **_date("home_office_told_on", "1", "13", "2025"),
        },
        [
            "Select whether the partnership will hold a review",
            "The date of the decision must include a day, month and year",
            "Enter the reasons for the decision",
            "The date the Home Office was told must be a real date",
        ],
        kept=["Kept notes"],
    ),
    "decision-in-future": Case(
        "decision",
        Status.DECISION_PENDING,
        "chair",
        {"proceed": "yes", **_date("decided_on", "1", "1", "2999"), "reasons": "Kept reason"},
        ["The date of the decision must be today or in the past"],
        kept=["Kept reason"],
    ),
    "transition": Case(
        "transition:refer_for_decision",
        Status.NOTIFIED,
        "coordinator",
        _date("on", "", "", ""),
        ["Enter the date put to the CSP chair"],
    ),
    "joint-review": Case(
        "joint_review",
        Status.PROCEEDING,
        "coordinator",
        {"joint_review": "joint_sar", "notes": ""},
        ["Enter a note on the joint or replacing review"],
        kept=['value="joint_sar" checked="checked"'],
    ),
    "viewers": Case(
        "viewers",
        Status.PROCEEDING,
        "coordinator",
        {"viewers": ["999999"]},
        ["Select viewers from the list"],
    ),
    "set-up": Case(
        "set_up",
        Status.PROCEEDING,
        "coordinator",
        {
            "chair_name": "",
            **_date("chair_appointed_on", "1", "2", "2025"),
            "terms_of_reference": "Kept terms",
        },
        ["Enter the independent chair's name"],
        kept=["Kept terms"],
    ),
    "set-up-bad-file": Case(
        "set_up",
        Status.PROCEEDING,
        "coordinator",
        {"chair_name": "Kept Chair"},
        ["The selected file is not a real PDF, DOCX or ODT document"],
        kept=['value="Kept Chair"'],
        files={"terms_of_reference_file": ("terms.pdf", b"this is not a pdf")},
    ),
    "panel-member": Case(
        "panel_add",
        Status.PROCEEDING,
        "coordinator",
        {"name": "Kept Member", "role": ""},
        ["Enter the member's role on the panel"],
        kept=['value="Kept Member"'],
    ),
    "agency-report-request": Case(
        "agency_reports",
        Status.SET_UP,
        "coordinator",
        {
            "agency": "",
            **_date("requested_on", "5", "5", "2025"),
            **_date("due_on", "1", "5", "2025"),
        },
        [
            "Select the agency asked for a report",
            "The date the report is due must be after it was requested",
        ],
        kept=['value="5"'],
    ),
    "agency-report": Case(
        "agency_report",
        Status.SET_UP,
        "coordinator",
        {
            **_date("requested_on", "5", "5", "2025"),
            **_date("due_on", "5", "6", "2025"),
            **_date("received_on", "1", "5", "2025"),
            "author": "",
            "author_independence_confirmed": "on",
            "senior_sign_off_by": "Kept Manager",
        },
        [
            "The date the report was received must be after it was requested",
            "Enter the author whose independence you confirm",
        ],
        kept=['value="Kept Manager"'],
    ),
    "agency-report-sign-off-unnamed": Case(
        "agency_report",
        Status.SET_UP,
        "coordinator",
        {
            **_date("requested_on", "5", "5", "2025"),
            **_date("due_on", "5", "6", "2025"),
            **_date("signed_off_on", "2", "6", "2025"),
            "author": "Kept Author",
            "senior_sign_off_by": "",
        },
        ["Enter the name of the senior manager who signed it off"],
        kept=['value="Kept Author"'],
    ),
    "agency-report-wrong-type": Case(
        "agency_report",
        Status.SET_UP,
        "coordinator",
        {**_date("requested_on", "5", "5", "2025"), **_date("due_on", "5", "6", "2025")},
        ["The selected file must be a PDF, DOCX or ODT"],
        files={"document": ("report.exe", b"MZ\x90\x00")},
    ),
    "family-contact": Case(
        "family_add",
        Status.PROCEEDING,
        "coordinator",
        {**_date("contacted_on", "30", "2", "2025"), "who": "", "notes": "Kept note"},
        [
            "The date of the contact must be a real date",
            "Enter who was contacted, for example 'Victim's sister'",
            "Select how the contact was made",
        ],
        kept=["Kept note"],
    ),
    "pseudonym": Case(
        "pseudonym",
        Status.PROCEEDING,
        "coordinator",
        {"pseudonym": "   "},
        ["Enter the pseudonym the family agreed"],
    ),
    "proceeding": Case(
        "proceeding_add",
        Status.PROCEEDING,
        "coordinator",
        {
            "kind": "inquest",
            **_date("started_on", "10", "5", "2025"),
            **_date("ended_on", "1", "5", "2025"),
            "outcome": "Kept outcome",
        },
        ["The date it ended must be on or after the date it started"],
        kept=["Kept outcome"],
    ),
    "report-version-missing-file": Case(
        "drafting",
        Status.DRAFTING,
        "coordinator",
        {"kind": "overview", "notes": "Kept notes"},
        ["Select a file to upload"],
        kept=['value="Kept notes"'],
    ),
    "report-version-fake-docx": Case(
        "drafting",
        Status.DRAFTING,
        "coordinator",
        {"kind": "overview"},
        ["The selected file is not a real PDF, DOCX or ODT document"],
        files={"file": ("report.docx", b"PK\x03\x04 not really a zip")},
    ),
    "report-version-html-behind-a-pdf-header": Case(
        "drafting",
        Status.DRAFTING,
        "coordinator",
        {"kind": "overview", "notes": "Kept notes"},
        ["The selected PDF could not be read: check it opens"],
        files={"file": ("report.pdf", b"%PDF-1.7\n<html><script>alert(1)</script></html>")},
        kept=['value="Kept notes"'],
    ),
}


def _counts(review):
    return {
        "reviews": Review.objects.count(),
        "history": review.history.count(),
        "documents": review.documents.count(),
        "panel": review.panel_members.count(),
        "reports": AgencyReport.objects.count(),
        "family": review.family_contacts.count(),
        "proceedings": review.proceedings.count(),
        "versions": review.report_versions.count(),
    }


def _url(case, review):
    name, _, action = case.url.partition(":")
    if name == "create":
        return reverse("reviews:create")
    if action:
        return reverse("reviews:transition", args=[review.pk, action])
    if name == "agency_report":
        return reverse(
            name.join(["reviews:", ""]), args=[review.pk, review.agency_reports.get().pk]
        )
    return reverse(f"reviews:{name}", args=[review.pk])


@pytest.mark.parametrize("key", list(CASES))
def test_bad_input_is_explained_kept_and_not_saved(client, people, key):
    case = CASES[key]
    PoliceFactory()
    review = FACTORY_FOR_STATUS[case.status](partnership=people.home)
    snapshot = {f.attname: getattr(review, f.attname) for f in review._meta.concrete_fields}
    before = _counts(review)
    client.force_login(getattr(people, case.role))
    data = dict(case.data)
    for name, (filename, content) in case.files.items():
        data[name] = SimpleUploadedFile(filename, content)

    response = client.post(_url(case, review), data)

    assert response.status_code == 200
    page = response.content.decode()
    assert "There is a problem" in page
    assert "<title>Error:" in page
    for message in case.messages:
        assert message.replace("'", "&#x27;") in page, message
    flat = " ".join(page.split())
    for kept in case.kept:
        assert kept in flat, kept
    assert _counts(review) == before
    review.refresh_from_db()
    assert {f.attname: getattr(review, f.attname) for f in review._meta.concrete_fields} == (
        snapshot
    )


def test_a_business_rule_refusal_is_shown_on_the_form(client, people):
    """The transition form is valid but the review lacks what the stage needs."""
    review = FACTORY_FOR_STATUS[Status.PROCEEDING](partnership=people.home, chair_name="")
    client.force_login(people.coordinator)
    response = client.post(
        reverse("reviews:transition", args=[review.pk, "complete_set_up"]),
        _date("on", "1", "3", "2025"),
    )
    assert response.status_code == 200
    assert "Record the independent chair" in response.content.decode()
    review.refresh_from_db()
    assert review.status == Status.PROCEEDING


def _children_input(page: str):
    return lxml.html.fromstring(page).get_element_by_id("id_children_in_household")


def test_children_in_the_household_is_a_gov_uk_number_input(client, people):
    client.force_login(people.coordinator)
    page = client.get(reverse("reviews:create")).content.decode()
    field = _children_input(page)
    # GOV.UK's whole number: a text input opening the number keypad, three characters wide.
    assert field.get("type") == "text"
    assert field.get("inputmode") == "numeric"
    assert field.get("spellcheck") == "false"
    assert field.get("class").split() == ["govuk-input", "govuk-input--width-3"]
    assert field.get("value") == "0"
    group = field.getparent()
    assert group.get("class").split() == ["govuk-form-group"]
    label = group.xpath("label[@for='id_children_in_household']")[0]
    assert label.get("class").split() == ["govuk-label", "govuk-label--s"]
    assert label.text_content().strip() == "Children in the household"
    hint = group.xpath("*[@id=$id]", id=field.get("aria-describedby"))[0]
    assert hint.get("class") == "govuk-hint"
    assert hint.text_content() == "Enter 0 if there were none"


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("", "Enter the number of children in the household, or 0"),
        ("two", "The number of children must be a whole number, like 2"),
        ("2.5", "The number of children must be a whole number, like 2"),
        ("-1", "The number of children cannot be less than 0"),
        ("31", "The number of children must be 30 or fewer"),
    ],
)
def test_a_bad_number_of_children_is_shown_on_its_input_kept_and_not_saved(
    client, people, typed, message
):
    police = PoliceFactory()
    client.force_login(people.coordinator)
    data = _notification(
        partnership=people.home.pk,
        notifying_force=police.pk,
        **_date("notified_on", "3", "3", "2025"),
        victim_pseudonym="Kept",
        children_in_household=typed,
    )

    response = client.post(reverse("reviews:create"), data)

    assert response.status_code == 200
    assert not Review.objects.exists()
    page = response.content.decode()
    summary = lxml.html.fromstring(page).find_class("govuk-error-summary")[0]
    links = [(a.get("href"), a.text_content()) for a in summary.iter("a")]
    assert links == [("#id_children_in_household", message)]
    field = _children_input(page)
    assert field.get("value", "") == typed
    assert field.get("class").split() == [
        "govuk-input",
        "govuk-input--width-3",
        "govuk-input--error",
    ]
    assert field.get("aria-invalid") == "true"
    group = field.getparent()
    assert "govuk-form-group--error" in group.get("class").split()
    hint, error = (
        group.xpath("*[@id=$id]", id=i)[0] for i in field.get("aria-describedby").split()
    )
    assert hint.text_content() == "Enter 0 if there were none"
    assert error.get("class") == "govuk-error-message"
    assert " ".join(error.text_content().split()) == f"Error: {message}"
