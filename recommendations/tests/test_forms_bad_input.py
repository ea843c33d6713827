"""Bad input on every action-plan form: the page comes back (no 500) with a GOV.UK error summary
naming the problem, the user's input kept, and nothing saved (no row, no file, no email)."""

from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils.html import escape

from dhr.models import OutgoingEmail
from recommendations import services
from recommendations.models import Action, ActionUpdate, Evidence, Recommendation, Theme
from recommendations.tests.factories import ActionUpdateFactory, RecommendationFactory, plan_for
from reviews.demo import minimal_pdf

TOO_LONG = "x" * 6001


def _date(prefix, day, month, year):
    return {f"{prefix}_0": day, f"{prefix}_1": month, f"{prefix}_2": year}


def _recommendation(people, **overrides):
    return {
        "text": "Kept recommendation",
        "scope": "regional",
        "lead_agency": people.involved_agency.pk,
        "themes": [Theme.objects.first().pk],
        **overrides,
    }


def _action(people, **overrides):
    return {
        "description": "Kept description",
        "owner_agency": people.involved_agency.pk,
        "contact": "",
        **_date("target_date", "1", "6", "2027"),
        "completion_evidence": "Kept evidence",
        **overrides,
    }


def _update(**overrides):
    return {
        "new_status": "in_progress",
        "narrative": "Kept narrative",
        "not_applicable_reason": "",
        **overrides,
    }


@dataclass
class Case:
    url: str  # url name in the recommendations namespace
    role: str
    data: Callable  # people -> the posted data
    messages: list[str]
    kept: list[str] = field(default_factory=list)
    files: list[tuple[str, bytes]] = field(default_factory=list)


CASES = {
    "recommendation-empty": Case(
        "recommendation_add",
        "coordinator",
        lambda people: {},
        [
            "Enter the recommendation",
            "Select whether the recommendation is local, regional or national",
            "Select the lead agency",
            "Select at least one theme",
        ],
    ),
    "recommendation-blank-text": Case(
        "recommendation_add",
        "coordinator",
        lambda people: _recommendation(people, text="   "),
        ["Enter the recommendation"],
        kept=['value="regional" checked'],
    ),
    "recommendation-too-long": Case(
        "recommendation_add",
        "coordinator",
        lambda people: _recommendation(people, text="r" * 4001),
        ["Recommendation must be 4000 characters or fewer"],
        kept=["r" * 4001],
    ),
    "recommendation-unknown-agency": Case(
        "recommendation_add",
        "coordinator",
        lambda people: _recommendation(people, lead_agency="999999"),
        ["Select a valid choice"],
        kept=["Kept recommendation"],
    ),
    "recommendation-change-empty": Case(
        "recommendation",
        "coordinator",
        lambda people: _recommendation(people, text=""),
        ["Enter the recommendation"],
        kept=['value="regional" checked'],
    ),
    "action-empty": Case(
        "action_add",
        "coordinator",
        lambda people: {},
        [
            "Enter what will be done",
            "Select the agency that owns the action",
            "Enter the target date",
            "Enter how completion will be shown",
        ],
    ),
    "action-too-long": Case(
        "action_add",
        "coordinator",
        lambda people: _action(people, description="d" * 4001, completion_evidence="e" * 2001),
        [
            "What will be done must be 4000 characters or fewer",
            "How completion will be shown must be 2000 characters or fewer",
        ],
        kept=["d" * 4001, "e" * 2001],
    ),
    "action-contact-of-another-agency": Case(
        "action_add",
        "coordinator",
        lambda people: _action(people, contact=people.other_agency_contact.pk),
        ["Choose a contact of Involved Agency for Home CSP, or no named contact"],
        kept=["Kept description", "Kept evidence", 'value="2027"'],
    ),
    # The owning agency's own contact, but named for the away partnership only: not a choice.
    "action-contact-of-the-agency-for-another-partnership": Case(
        "action_add",
        "coordinator",
        lambda people: _action(people, contact=people.away_agency_contact.pk),
        ["Choose a contact for Home CSP, or no named contact"],
        kept=["Kept description", "Kept evidence", 'value="2027"'],
    ),
    "action-date-not-real": Case(
        "action_add",
        "coordinator",
        lambda people: _action(people, **_date("target_date", "31", "2", "2027")),
        ["The target date must be a real date"],
        kept=["Kept description", 'value="31"'],
    ),
    "action-date-incomplete": Case(
        "action_add",
        "coordinator",
        lambda people: _action(people, **_date("target_date", "", "13", "2027")),
        ["The target date must include a day, month and year"],
        kept=['value="13"'],
    ),
    "action-change-empty": Case(
        "action_edit",
        "coordinator",
        lambda people: _action(people, description=""),
        ["Enter what will be done"],
        kept=["Kept evidence"],
    ),
    "update-empty": Case(
        "update",
        "agency_contact",
        lambda people: {},
        ["Select where the action is now", "Enter what has been done"],
    ),
    "update-too-long": Case(
        "update",
        "agency_contact",
        lambda people: _update(narrative=TOO_LONG, not_applicable_reason="n" * 2001),
        [
            "What has been done must be 6000 characters or fewer",
            "The reason it no longer applies must be 2000 characters or fewer",
        ],
        kept=[TOO_LONG],
    ),
    "update-no-longer-applies-without-reason": Case(
        "update",
        "agency_contact",
        lambda people: _update(new_status="not_applicable", not_applicable_reason="  "),
        ["Say why the action no longer applies"],
        kept=["Kept narrative", 'value="not_applicable" checked'],
    ),
    "update-evidence-not-a-pdf": Case(
        "update",
        "agency_contact",
        lambda people: _update(new_status="completed"),
        ["notes.pdf: The selected file is not a real PDF, DOCX or ODT document"],
        kept=["Kept narrative", 'value="completed" checked'],
        files=[("notes.pdf", b"<html>this is a web page, not a pdf</html>")],
    ),
    "update-second-evidence-not-a-pdf": Case(
        "update",
        "agency_contact",
        lambda people: _update(),
        ["bad.pdf: The selected file is not a real PDF, DOCX or ODT document"],
        kept=["Kept narrative"],
        files=[("good.pdf", minimal_pdf()), ("bad.pdf", b"not a pdf")],
    ),
    "update-evidence-wrong-type": Case(
        "update",
        "agency_contact",
        lambda people: _update(),
        ["run.exe: The selected file must be a PDF, DOCX or ODT"],
        kept=["Kept narrative"],
        files=[("run.exe", b"MZ\x90\x00")],
    ),
    "recommendation-national-without-its-body": Case(
        "recommendation",
        "coordinator",
        lambda people: _recommendation(people, scope="national", addressee=""),
        ["Select the national body the recommendation is addressed to"],
        kept=["Kept recommendation", 'value="national" checked'],
    ),
    "recommendation-another-body-without-its-name": Case(
        "recommendation_add",
        "coordinator",
        lambda people: _recommendation(people, scope="national", addressee="other"),
        ["Enter the name of the national body"],
        kept=["Kept recommendation", 'value="other" checked'],
    ),
    "recommendation-another-body-named-too-long": Case(
        "recommendation_add",
        "coordinator",
        lambda people: _recommendation(
            people, scope="national", addressee="other", addressee_other="B" * 201
        ),
        ["Name of the national body must be 200 characters or fewer"],
        kept=['value="other" checked', f'value="{"B" * 201}"'],
    ),
    "recommendation-sent-on-an-impossible-date": Case(
        "recommendation",
        "coordinator",
        lambda people: _recommendation(
            people,
            scope="national",
            addressee="dhsc",
            **_date("sent_to_body_on", "31", "2", "2026"),
        ),
        ["The date it was sent to the national body must be a real date"],
        kept=['value="31"'],
    ),
    "national-reply-without-its-date": Case(
        "national_reply",
        "coordinator",
        lambda people: {"body_reply": "Kept reply"},
        ["Enter the date of the reply"],
        kept=["Kept reply"],
    ),
    "national-reply-date-without-the-reply": Case(
        "national_reply",
        "coordinator",
        lambda people: _date("body_replied_on", "1", "4", "2026"),
        ["Enter what the national body replied"],
        kept=['value="2026"'],
    ),
    "national-reply-before-it-was-sent": Case(
        "national_reply",
        "coordinator",
        lambda people: {
            **_date("sent_to_body_on", "2", "3", "2026"),
            **_date("body_replied_on", "1", "3", "2026"),
            "body_reply": "Kept reply",
        },
        ["The date of the reply must be the same as or after the date it was sent"],
        kept=["Kept reply"],
    ),
    "national-reply-in-the-future": Case(
        "national_reply",
        "coordinator",
        lambda people: {**_date("body_replied_on", "1", "4", "2099"), "body_reply": "Kept"},
        ["The date of the reply must be today or in the past"],
        kept=['value="2099"'],
    ),
    "national-reply-too-long": Case(
        "national_reply",
        "coordinator",
        lambda people: {**_date("body_replied_on", "1", "4", "2026"), "body_reply": TOO_LONG},
        ["What the national body replied must be 6000 characters or fewer"],
    ),
    "update-review-empty": Case(
        "update_review",
        "coordinator",
        lambda people: {},
        ["Select whether you accept the update"],
    ),
    "update-review-return-without-comment": Case(
        "update_review",
        "coordinator",
        lambda people: {"accept": "no", "comment": " "},
        ["Say what the agency needs to change or add"],
        kept=['value="no" checked'],
    ),
    "update-review-comment-too-long": Case(
        "update_review",
        "coordinator",
        lambda people: {"accept": "no", "comment": "c" * 2001},
        ["Comment for the agency must be 2000 characters or fewer"],
        kept=["c" * 2001],
    ),
}


@pytest.fixture
def plan(people, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    plan = plan_for(people)
    plan.update = ActionUpdateFactory(action=plan.action, author=people.agency_contact)
    plan.national = RecommendationFactory(
        review=plan.review, scope="national", lead_agency=people.involved_agency
    )
    plan.media = tmp_path
    return plan


def _url(plan, name):
    review, recommendation = plan.review, plan.recommendation
    args = {
        "recommendation_add": [review.pk],
        "recommendation": [review.pk, recommendation.pk],
        "action_add": [review.pk, recommendation.pk],
        "action_edit": [review.pk, recommendation.pk, plan.action.pk],
        "update": [plan.action.pk],
        "update_review": [plan.update.pk],
        "national_reply": [review.pk, plan.national.pk],
    }[name]
    return reverse(f"recommendations:{name}", args=args)


def _fields(obj):
    obj.refresh_from_db()
    return {f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields}


def _state(plan):
    return {
        "recommendations": Recommendation.objects.count(),
        "recommendation": _fields(plan.recommendation),
        "national": _fields(plan.national),
        "themes": list(plan.recommendation.themes.values_list("pk", flat=True)),
        "actions": Action.objects.count(),
        "action": _fields(plan.action),
        "updates": ActionUpdate.objects.count(),
        "update": _fields(plan.update),
        "evidence": Evidence.objects.count(),
        "emails": OutgoingEmail.objects.count(),
        "history": (
            Recommendation.history.count(),
            Action.history.count(),
            ActionUpdate.history.count(),
        ),
        "files": sorted(str(p) for p in plan.media.rglob("*") if p.is_file()),
    }


def test_every_form_of_the_plan_has_a_bad_input_case():
    forms = {"recommendation_add", "recommendation", "action_add", "action_edit"}
    forms |= {"update", "update_review", "national_reply"}
    assert forms == {case.url for case in CASES.values()}


@pytest.mark.parametrize("key", list(CASES))
def test_bad_input_is_explained_kept_and_not_saved(client, people, plan, key):
    case = CASES[key]
    before = _state(plan)
    client.force_login(getattr(people, case.role))
    data = case.data(people)
    if case.files:
        data["evidence"] = [SimpleUploadedFile(name, content) for name, content in case.files]

    response = client.post(_url(plan, case.url), data)

    assert response.status_code == 200
    page = response.content.decode()
    assert "There is a problem" in page
    assert "<title>Error:" in page
    for message in case.messages:
        assert escape(message) in page, message
    flat = " ".join(page.split())
    for kept in case.kept:
        assert kept in flat, kept
    assert _state(plan) == before


def test_an_update_already_decided_cannot_be_decided_again(client, people, plan):
    """Accepted in another tab meanwhile: the form is closed, saying why, and nothing moves."""
    ActionUpdate.objects.filter(pk=plan.update.pk).update(state=ActionUpdate.State.ACCEPTED)
    before = _state(plan)
    client.force_login(people.coordinator)
    response = client.post(_url(plan, "update_review"), {"accept": "no", "comment": "More"})
    assert response.status_code == 403
    assert "This update has already been accepted" in response.content.decode()
    assert _state(plan) == before


@pytest.mark.parametrize(
    ("name", "role", "data", "saved"),
    [
        ("recommendation_add", "coordinator", _recommendation, lambda: Recommendation.objects),
        ("action_add", "coordinator", _action, lambda: Action.objects),
        ("update", "agency_contact", lambda people: _update(), lambda: ActionUpdate.objects),
    ],
)
def test_the_good_input_the_cases_start_from_is_saved(
    client, people, plan, name, role, data, saved
):
    """So that each case above fails for its own bad value only."""
    before = saved().count()
    client.force_login(getattr(people, role))
    response = client.post(_url(plan, name), data(people))
    assert response.status_code == 302
    assert saved().count() == before + 1


def test_the_named_contacts_offered_are_those_serving_the_review_s_partnership(
    client, people, plan
):
    """The same agency's contact named for the away partnership is not offered, and a contact
    named with the right agency and partnership is saved."""
    client.force_login(people.coordinator)
    page = client.get(_url(plan, "action_add")).content.decode()
    assert f'value="{people.agency_contact.pk}"' in page
    assert f'value="{people.away_agency_contact.pk}"' not in page

    response = client.post(
        _url(plan, "action_add"), _action(people, contact=people.agency_contact.pk)
    )
    assert response.status_code == 302
    assert Action.objects.latest("pk").contact == people.agency_contact


def test_the_plan_service_refuses_a_contact_not_serving_the_partnership(people, plan):
    """The service holds the rule too, for writes that come by another way than the form."""
    with pytest.raises(ValidationError, match="Choose a contact of Involved Agency for Home CSP"):
        services.action_save(
            recommendation=plan.action.recommendation,
            by=people.coordinator,
            data={"contact": people.away_agency_contact},
            action=plan.action,
        )
    plan.action.refresh_from_db()
    assert plan.action.contact != people.away_agency_contact
