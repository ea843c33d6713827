"""Every review URL requested as every role. Outsiders get 404 (they may not know the review
exists); insiders without the role get 403; anonymous users are sent to sign in."""

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from dhr.tests.module_data import refetched
from reviews import urls as review_urls
from reviews.models import ChronologyFile, Status
from reviews.tests.factories import FACTORY_FOR_STATUS, AgencyFactory, UserFactory

READ, COORDINATOR, CHAIR = "read", "coordinator", "chair"
LEADS = "leads"  # the partnership's coordinators and chairs (not the review's viewers)

# url name -> (the state the review must be in for the page to be usable, who may use it)
MATRIX = {
    "detail": (Status.PROCEEDING, READ),
    "history": (Status.PROCEEDING, READ),
    "audit": (Status.PROCEEDING, LEADS),
    "export": (Status.DRAFTING, LEADS),
    "timeline": (Status.PROCEEDING, READ),
    "family": (Status.PROCEEDING, READ),
    "proceedings": (Status.PROCEEDING, READ),
    "agency_reports": (Status.SET_UP, READ),
    "chronology": (Status.AGENCY_REPORTS, READ),
    "chronology_download": (Status.AGENCY_REPORTS, READ),
    "chronology_template": (Status.AGENCY_REPORTS, READ),
    "chronology_file": (Status.AGENCY_REPORTS, READ),
    "drafting": (Status.DRAFTING, READ),
    "document": (Status.DRAFTING, READ),
    "notification": (Status.PROCEEDING, COORDINATOR),
    "joint_review": (Status.PROCEEDING, COORDINATOR),
    "viewers": (Status.PROCEEDING, COORDINATOR),
    "set_up": (Status.PROCEEDING, COORDINATOR),
    "panel_add": (Status.PROCEEDING, COORDINATOR),
    "agency_report": (Status.SET_UP, COORDINATOR),
    "family_add": (Status.PROCEEDING, COORDINATOR),
    "pseudonym": (Status.PROCEEDING, COORDINATOR),
    "home_office_told": (Status.PROCEEDING, COORDINATOR),
    "home_office_notice": (Status.NOT_PROCEEDING, LEADS),
    "decision_qa_view": (Status.NOT_PROCEEDING, COORDINATOR),
    "direction": (Status.NOT_PROCEEDING, COORDINATOR),
    "safeguarding_told": (Status.PROCEEDING, COORDINATOR),
    "proceeding_add": (Status.PROCEEDING, COORDINATOR),
    "proceeding": (Status.PROCEEDING, COORDINATOR),
    "transition:refer_for_decision": (Status.NOTIFIED, COORDINATOR),
    "transition:complete_set_up": (Status.PROCEEDING, COORDINATOR),
    "transition:start_agency_reports": (Status.SET_UP, COORDINATOR),
    "transition:start_drafting": (Status.AGENCY_REPORTS, COORDINATOR),
    "transition:submit": (Status.SIGNED_OFF, COORDINATOR),
    "transition:start_revising": (Status.QA_FEEDBACK, COORDINATOR),
    "transition:resubmit": (Status.REVISING, COORDINATOR),
    "transition:approve_for_publication": (Status.REVISING, CHAIR),
    "publish": (Status.APPROVED, COORDINATOR),
    "transition:start_monitoring": (Status.PUBLISHED, COORDINATOR),
    "conclude": (Status.MONITORING, CHAIR),
    "extension_add": (Status.PROCEEDING, COORDINATOR),
    "decision": (Status.DECISION_PENDING, CHAIR),
    "extension_decide": (Status.AGENCY_REPORTS, CHAIR),
    "proceeding_pause": (Status.AGENCY_REPORTS, CHAIR),
    "transition:sign_off": (Status.DRAFTING, CHAIR),
    "agency_report_waive": (Status.AGENCY_REPORTS, CHAIR),
    "no_recommendations": (Status.DRAFTING, CHAIR),
}
# Not per-review, or POST-only: tested on their own below (settings: in test_settings_page.py).
ELSEWHERE = {"list", "create", "panel_remove", "transition", "settings", "confidential"}

INSIDERS = {
    "coordinator": {READ, COORDINATOR, LEADS},
    "chair": {READ, CHAIR, LEADS},
    "viewer": {READ},
    "admin": {READ, COORDINATOR, CHAIR, LEADS},
}
# Asked for with a button (POST, then a file made by the worker): a GET by someone allowed is
# refused with 405.
POST_ONLY = {"export"}
OUTSIDERS = [
    "other_coordinator",
    "other_chair",
    "other_viewer",
    "agency_contact",
    "other_agency_contact",
    "away_agency_contact",
    "stranger",
]


def _url(review, name):
    name, _, action = name.partition(":")
    args = [review.pk]
    if action:
        args.append(action)
    elif name == "agency_report":
        args.append(review.agency_reports.first().pk)
    elif name == "agency_report_waive":  # one with a requirement left to waive
        report = review.agency_reports.create(
            agency=AgencyFactory(), requested_on="2025-03-01", due_on="2025-05-01"
        )
        args.append(report.pk)
    elif name == "proceeding":
        args.append(review.proceedings.create(kind="inquest", started_on="2025-03-01").pk)
    elif name == "home_office_notice":
        notice = review.home_office_notices.create(
            told_on=review.home_office_told_on,
            decision_on=review.decided_on,
            proceed=False,
            fields=[["Decision", "Not to hold a review"]],
            recorded_by=UserFactory(),
        )
        args.append(notice.pk)
    elif name == "proceeding_pause":
        proceeding = review.proceedings.create(
            kind="criminal_trial",
            started_on="2025-03-01",
            effect="pause",
            pause_status="requested",
            pause_requested_on="2025-03-02",
            pause_requested_by=UserFactory(),
        )
        args.append(proceeding.pk)
    elif name == "document":
        args.append(review.documents.first().pk)
    elif name == "chronology_file":
        kept = ChronologyFile.objects.create(
            review=review,
            agency=AgencyFactory(),
            file=ContentFile(b"Date,What happened,Who was involved\n", name="chronology.csv"),
            original_name="chronology.csv",
            content_type="text/csv",
            size=36,
            uploaded_by=UserFactory(),
        )
        args.append(kept.pk)
    elif name == "extension_decide":
        extension = review.extensions.create(
            requested_on="2025-06-01",
            requested_by=UserFactory(),
            reason="A trial is pending",
            new_due_on="2026-12-31",
        )
        args.append(extension.pk)
    return reverse(f"reviews:{'transition' if action else name}", args=args)


def _get(client, url):
    """GET, reading a streamed download to its end so that its file is closed."""
    response = client.get(url)
    if response.streaming:
        b"".join(response.streaming_content)
    return response


def _review(people, status):
    review = FACTORY_FOR_STATUS[status](partnership=people.home)
    review.viewers.add(people.viewer)
    return review


# The people, and a review in each state the matrix asks for, are built once for the module
# (conftest.py, `module_transaction`); each test reads them afresh and its writes are undone.
@pytest.fixture
def people(db, module_people):
    return refetched(module_people)


@pytest.fixture(scope="module")
def module_reviews(module_people, django_db_blocker):
    with django_db_blocker.unblock():
        return {status: _review(module_people, status) for status, _ in MATRIX.values()}


@pytest.fixture
def reviews(people, module_reviews):
    """A review of 'home' given to its viewer, by state: the one the matrix requests."""
    return refetched(module_reviews)


def test_every_review_url_has_an_access_rule():
    names = {p.name for p in review_urls.urlpatterns}
    covered = {n.partition(":")[0] for n in MATRIX} | ELSEWHERE
    assert names <= covered, f"URLs without an access rule in this test: {names - covered}"


@pytest.mark.parametrize("name", list(MATRIX))
@pytest.mark.parametrize("role", list(INSIDERS))
def test_insiders_get_the_page_or_403(client, people, reviews, name, role):
    status, needs = MATRIX[name]
    url = _url(reviews[status], name)
    client.force_login(getattr(people, role))
    response = _get(client, url)
    allowed = 405 if name in POST_ONLY else 200
    expected = allowed if needs in INSIDERS[role] else 403
    assert response.status_code == expected


@pytest.mark.parametrize("name", list(MATRIX))
@pytest.mark.parametrize("role", OUTSIDERS)
def test_outsiders_get_404(client, people, reviews, name, role):
    status, _ = MATRIX[name]
    url = _url(reviews[status], name)
    client.force_login(getattr(people, role))
    assert _get(client, url).status_code == 404
    assert client.post(url, {}).status_code == 404


@pytest.mark.parametrize("name", list(MATRIX))
def test_anonymous_users_are_sent_to_sign_in(client, reviews, name):
    status, _ = MATRIX[name]
    url = _url(reviews[status], name)
    response = _get(client, url)
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_a_viewer_sees_only_the_reviews_given_to_them(client, people):
    given = _review(people, Status.PROCEEDING)
    not_given = FACTORY_FOR_STATUS[Status.PROCEEDING](partnership=people.home)
    client.force_login(people.viewer)
    assert client.get(given.get_absolute_url()).status_code == 200
    assert client.get(not_given.get_absolute_url()).status_code == 404
    listed = client.get(reverse("reviews:list")).content.decode()
    assert given.reference in listed
    assert not_given.reference not in listed


@pytest.mark.parametrize(
    ("role", "listed"),
    [
        ("coordinator", True),
        ("chair", True),
        ("admin", True),
        ("other_coordinator", False),
        ("agency_contact", False),
        ("stranger", False),
    ],
)
def test_the_review_list_shows_only_reviews_the_user_may_see(client, people, role, listed):
    review = _review(people, Status.PROCEEDING)
    client.force_login(getattr(people, role))
    response = client.get(reverse("reviews:list"))
    assert response.status_code == 200
    assert (review.reference in response.content.decode()) is listed


@pytest.mark.parametrize(
    ("role", "expected"),
    [("coordinator", 200), ("admin", 200), ("chair", 403), ("viewer", 403), ("stranger", 403)],
)
def test_only_coordinators_record_notifications(client, people, role, expected):
    client.force_login(getattr(people, role))
    assert client.get(reverse("reviews:create")).status_code == expected


def test_the_list_and_new_notification_pages_ask_anonymous_users_to_sign_in(client, db):
    for name in ("list", "create"):
        response = client.get(reverse(f"reviews:{name}"))
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))


@pytest.mark.parametrize(
    ("role", "expected", "removed"),
    [
        ("coordinator", 302, True),
        ("chair", 403, False),
        ("viewer", 403, False),
        ("other_coordinator", 404, False),
        ("agency_contact", 404, False),
    ],
)
def test_removing_a_panel_member(client, people, role, expected, removed):
    review = _review(people, Status.PROCEEDING)
    member = review.panel_members.get()
    client.force_login(getattr(people, role))
    response = client.post(reverse("reviews:panel_remove", args=[review.pk, member.pk]))
    assert response.status_code == expected
    assert review.panel_members.exists() is not removed


def test_a_transition_not_offered_by_url_is_404(client, people):
    review = _review(people, Status.DECISION_PENDING)
    client.force_login(people.chair)
    url = reverse("reviews:transition", args=[review.pk, "decide_to_proceed"])
    assert client.get(url).status_code == 404


@pytest.mark.parametrize(
    "name", ["set_up", "agency_reports", "family_add", "transition:complete_set_up"]
)
def test_a_stage_form_is_closed_once_the_review_has_moved_past_it(client, people, name):
    review = _review(people, Status.SUBMITTED)
    client.force_login(people.coordinator)
    response = client.post(_url(review, name), {})
    assert response.status_code == 403
    assert "can no longer be changed" in response.content.decode() or "cannot" in (
        response.content.decode()
    )


def test_the_decision_form_is_closed_once_decided(client, people):
    review = _review(people, Status.PROCEEDING)
    client.force_login(people.chair)
    assert client.get(reverse("reviews:decision", args=[review.pk])).status_code == 403
