"""Every action-plan URL requested as every role. Outsiders get 404 (they may not know the plan
exists); those who may see it but not change it get 403; anonymous users are sent to sign in.
Agency contacts see their own agency's actions, and nothing confidential about the review."""

import pytest
from django.urls import reverse
from django.utils.html import escape

from dhr.models import AgencyContact
from dhr.tests.module_data import refetched
from recommendations import urls as recommendation_urls
from recommendations.models import (
    Action,
    ActionUpdate,
    Escalation,
    Evidence,
    Recommendation,
    TrackerImport,
)
from recommendations.tests.factories import (
    ActionFactory,
    ActionUpdateFactory,
    EscalationApprovedFactory,
    EscalationProposedFactory,
    EvidenceFactory,
    RecommendationFactory,
    plan_for,
)
from reviews.models import Status

ROLES = [
    "admin",
    "coordinator",
    "chair",
    "viewer",
    "other_coordinator",
    "other_chair",
    "other_viewer",
    "agency_contact",
    "other_agency_contact",
    # The involved agency's contact for the away partnership only: 404 on every action URL of
    # home's plan, as for someone of no agency.
    "away_agency_contact",
    "stranger",
]
INSIDERS = {"admin", "coordinator", "chair", "viewer"}
COORDINATORS = {"admin", "coordinator"}
LEADS = {"admin", "coordinator", "chair"}  # the partnership's pages: not its viewers


def _rule(ok, refused=()):
    """200 for `ok`, 403 for `refused`, 404 for everyone else."""
    return {role: 200 if role in ok else 403 if role in refused else 404 for role in ROLES}


PLAN_FORM = _rule(COORDINATORS, refused={"chair", "viewer"})
ACTION_PAGE = _rule(INSIDERS | {"agency_contact"})

# url name (with the export format after a colon) -> the status each role gets
MATRIX = {
    "plan": _rule(INSIDERS),
    "export:csv": _rule(INSIDERS),
    "export:xlsx": _rule(INSIDERS),
    "recommendation_add": PLAN_FORM,
    "recommendation": PLAN_FORM,
    "action_add": PLAN_FORM,
    "action_edit": PLAN_FORM,
    "national_reply": PLAN_FORM,
    "your_actions": _rule(set(ROLES)),
    "action": ACTION_PAGE,
    "update": _rule(COORDINATORS | {"agency_contact"}, refused={"chair", "viewer"}),
    "update_review": _rule(COORDINATORS, refused={"chair", "viewer", "agency_contact"}),
    "evidence": ACTION_PAGE,
    "update_requests": _rule(LEADS),
    "update_request_send": _rule(COORDINATORS, refused={"chair"}),
    "escalations": _rule(LEADS),
    "escalation_decide": _rule({"admin", "chair"}, refused={"coordinator"}),
    "escalation_outcome": _rule(COORDINATORS, refused={"chair"}),
    "escalation_letter": _rule(LEADS),
    "escalation_raise": _rule(COORDINATORS, refused={"chair", "viewer", "agency_contact"}),
    "tracker": _rule(LEADS),
    # Made by the worker: asked for with a button (POST), so a GET is refused with 405.
    "tracker_pdf": {role: 405 if role in LEADS else 404 for role in ROLES},
    "tracker_export:csv": _rule(LEADS),
    "tracker_export:xlsx": _rule(LEADS),
    "tracker_analytics": _rule(LEADS),
    "tracker_template:csv": _rule(LEADS),
    "tracker_template:xlsx": _rule(LEADS),
    "tracker_import": _rule(COORDINATORS, refused={"chair"}),
    "tracker_import_job": _rule(COORDINATORS, refused={"chair"}),
    "tracker_import_status": _rule(COORDINATORS, refused={"chair"}),
}
DOWNLOADS = {"export", "evidence", "escalation_letter", "tracker_export", "tracker_template"}
FORMS = {
    "recommendation_add",
    "recommendation",
    "action_add",
    "action_edit",
    "national_reply",
    "update",
    "update_review",
    "update_request_send",
    "escalation_decide",
    "escalation_outcome",
    "escalation_raise",
    "tracker_import",
    "tracker_import_job",
}

OTHER_AGENCY_ACTION = "Audit the other agency's referral letters"


def _plan(people):
    """The submitted review's plan with something behind every URL: an update with evidence
    awaiting the coordinator, an escalation awaiting the chair, an approved one with its
    letter, and an action of another agency."""
    plan = plan_for(people)
    plan.update = ActionUpdateFactory(action=plan.action, author=people.agency_contact)
    plan.evidence = EvidenceFactory(update=plan.update)
    plan.proposed = EscalationProposedFactory(action=plan.action)
    plan.approved = EscalationApprovedFactory(
        action=ActionFactory(recommendation=plan.recommendation, description="Write the policy")
    )
    plan.tracker_import = TrackerImport.objects.create(
        partnership=people.home,
        uploaded_by=people.coordinator,
        original_name="tracker.csv",
        total_rows=1,
        rows=[],
        errors=[{"row": 2, "column": "status", "message": "status must be one of"}],
    )
    plan.national = RecommendationFactory(
        review=plan.review, scope="national", lead_agency=people.involved_agency
    )
    plan.other_action = ActionFactory(
        recommendation=plan.recommendation,
        owner_agency=people.other_agency,
        description=OTHER_AGENCY_ACTION,
    )
    return plan


# The people and the plan are built once for the module (conftest.py, `module_transaction`);
# each test reads them afresh and its writes are undone.
@pytest.fixture
def people(db, module_people):
    return refetched(module_people)


@pytest.fixture(scope="module")
def module_plan(module_people, django_db_blocker):
    with django_db_blocker.unblock():
        return _plan(module_people)


@pytest.fixture
def plan(people, module_plan):
    return refetched(module_plan)


def _url(plan, name):
    name, _, fmt = name.partition(":")
    review, recommendation, action = plan.review, plan.recommendation, plan.action
    slug = review.partnership.slug
    args = {
        "plan": [review.pk],
        "export": [review.pk, fmt],
        "recommendation_add": [review.pk],
        "recommendation": [review.pk, recommendation.pk],
        "action_add": [review.pk, recommendation.pk],
        "action_edit": [review.pk, recommendation.pk, action.pk],
        "national_reply": [review.pk, plan.national.pk],
        "your_actions": [],
        "action": [action.pk],
        "update": [action.pk],
        "update_review": [plan.update.pk],
        "evidence": [plan.evidence.pk],
        "update_requests": [review.partnership.slug],
        "update_request_send": [review.partnership.slug],
        "escalations": [review.partnership.slug],
        "escalation_decide": [plan.proposed.pk],
        "escalation_outcome": [plan.approved.pk],
        "escalation_letter": [plan.approved.pk],
        "escalation_raise": [action.pk],
        "tracker": [slug],
        "tracker_export": [slug, fmt],
        "tracker_pdf": [slug],
        "tracker_analytics": [slug],
        "tracker_template": [slug, fmt],
        "tracker_import": [slug],
        "tracker_import_job": [slug, plan.tracker_import.pk],
        "tracker_import_status": [slug, plan.tracker_import.pk],
    }[name]
    return reverse(f"recommendations:{name}", args=args)


def _get(client, url):
    """GET, reading a streamed download to its end so that its file is closed."""
    response = client.get(url)
    if response.streaming:
        b"".join(response.streaming_content)
    return response


def _state():
    return {
        "recommendations": list(
            Recommendation.objects.values_list("pk", "number", "text", "body_replied_on")
        ),
        "actions": list(Action.objects.values_list("pk", "description", "status")),
        "updates": list(ActionUpdate.objects.values_list("pk", "state")),
        "evidence": Evidence.objects.count(),
        "escalations": list(Escalation.objects.values_list("pk", "status")),
        "imports": list(TrackerImport.objects.values_list("pk", "state")),
    }


def test_every_action_plan_url_has_an_access_rule():
    names = {p.name for p in recommendation_urls.urlpatterns}
    covered = {n.partition(":")[0] for n in MATRIX}
    assert names <= covered, f"URLs without an access rule in this test: {names - covered}"
    assert all(set(rule) == set(ROLES) for rule in MATRIX.values())


@pytest.mark.parametrize("name", list(MATRIX))
@pytest.mark.parametrize("role", ROLES)
def test_each_role_gets_the_page_403_or_404(client, people, plan, name, role):
    expected = MATRIX[name][role]
    client.force_login(getattr(people, role))
    response = _get(client, _url(plan, name))
    assert response.status_code == expected
    if expected == 200 and name.partition(":")[0] in DOWNLOADS:
        assert response["Content-Disposition"].startswith("attachment")
        assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize(
    ("name", "role"),
    [(n, r) for n in sorted(FORMS) for r in ROLES if MATRIX[n][r] != 200],
)
def test_a_refused_post_changes_nothing(client, people, plan, name, role):
    """What an allowed post does is tested with the services and the forms."""
    expected = MATRIX[name][role]
    before = _state()
    client.force_login(getattr(people, role))
    response = client.post(_url(plan, name), {"accept": "yes", "approve": "no", "comment": "x"})
    assert response.status_code == expected
    assert _state() == before


@pytest.mark.parametrize("name", list(MATRIX))
def test_anonymous_users_are_sent_to_sign_in(client, plan, name):
    response = _get(client, _url(plan, name))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


@pytest.mark.parametrize(
    ("role", "sees", "not_sees"),
    [
        ("agency_contact", "Train the triage staff", OTHER_AGENCY_ACTION),
        ("other_agency_contact", OTHER_AGENCY_ACTION, "Train the triage staff"),
    ],
)
def test_your_actions_lists_only_the_contact_s_own_agency_s_actions(
    client, people, plan, role, sees, not_sees
):
    client.force_login(getattr(people, role))
    page = client.get(reverse("recommendations:your_actions")).content.decode()
    assert escape(sees) in page
    assert escape(not_sees) not in page


def _away_action(people):
    return ActionFactory(
        recommendation__review__partnership=people.away,
        recommendation__lead_agency=people.involved_agency,
        description="Review the away partnership's referrals",
    )


def test_your_actions_crosses_the_partnerships_the_contact_serves(client, people, plan):
    """An agency serves several partnerships: a contact serving two sees its actions in both."""
    away_action = _away_action(people)
    AgencyContact.objects.get(user=people.agency_contact).partnerships.add(people.away)
    client.force_login(people.agency_contact)
    page = client.get(reverse("recommendations:your_actions")).content.decode()
    assert "Train the triage staff" in page
    assert escape(away_action.description) in page
    assert away_action.recommendation.review.partnership.name in page


@pytest.mark.parametrize(
    ("role", "sees", "not_sees"),
    [
        ("agency_contact", "Train the triage staff", "Review the away partnership"),
        ("away_agency_contact", "Review the away partnership", "Train the triage staff"),
    ],
)
def test_your_actions_lists_only_the_partnerships_the_contact_serves(
    client, people, plan, role, sees, not_sees
):
    """The same agency's contacts, each named for one partnership: each sees only that
    partnership's actions of the agency."""
    _away_action(people)
    client.force_login(getattr(people, role))
    page = client.get(reverse("recommendations:your_actions")).content.decode()
    assert escape(sees) in page
    assert escape(not_sees) not in page


def test_someone_who_is_no_agency_s_contact_has_no_actions(client, people, plan):
    client.force_login(people.coordinator)
    page = client.get(reverse("recommendations:your_actions")).content.decode()
    assert "You are not a contact of any agency" in page
    assert "Train the triage staff" not in page


@pytest.mark.parametrize("name", ["action", "your_actions", "update"])
def test_an_agency_contact_never_sees_the_review_s_confidential_values(client, people, plan, name):
    review = plan.review
    client.force_login(people.agency_contact)
    response = client.get(_url(plan, name))
    assert response.status_code == 200
    page = response.content.decode()
    # The review is named, safely: by its reference and pseudonym (the reference kept on one line).
    assert escape(review.reference) in page
    assert escape(review.victim_pseudonym) in page
    for value in (
        review.victim_name,
        review.perpetrator_name,
        f"{review.date_of_death:%-d %B %Y}",
    ):
        assert value not in page


@pytest.mark.parametrize("status", [Status.SET_UP, Status.AGENCY_REPORTS])
def test_an_action_on_a_draft_plan_is_a_404_to_its_agency_until_the_plan_is_shared(
    client, people, status
):
    """'Your actions' hides a plan still in draft; so does every way to its actions by number."""
    draft = plan_for(people, status)
    # Named apart from the module's shared plan, whose action 'Your actions' does list.
    draft.action.description = "Train the call handlers of the draft plan"
    draft.action.save()
    update = ActionUpdateFactory(action=draft.action, author=people.coordinator)
    evidence = EvidenceFactory(update=update)
    client.force_login(people.agency_contact)
    for url in (
        reverse("recommendations:action", args=[draft.action.pk]),
        reverse("recommendations:update", args=[draft.action.pk]),
        reverse("recommendations:evidence", args=[evidence.pk]),
    ):
        assert _get(client, url).status_code == 404, url
    assert (
        draft.action.description
        not in _get(client, reverse("recommendations:your_actions")).content.decode()
    )
    # Once the report is being drafted the plan is shared, and the agency's action is theirs.
    type(draft.review).objects.filter(pk=draft.review.pk).update(status=Status.DRAFTING)
    assert (
        _get(client, reverse("recommendations:action", args=[draft.action.pk])).status_code == 200
    )
    # The partnership's own people see the draft all along.
    type(draft.review).objects.filter(pk=draft.review.pk).update(status=status)
    client.force_login(people.coordinator)
    assert (
        _get(client, reverse("recommendations:action", args=[draft.action.pk])).status_code == 200
    )
