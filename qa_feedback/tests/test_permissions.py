"""Every QA URL requested as every role. Outsiders (another partnership's people, agency
contacts, strangers) get 404: they may not know the review or its letter exists; those who may
see it but not change it get 403; anonymous users are sent to sign in."""

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from dhr.tests.module_data import refetched
from qa_feedback import urls as qa_urls
from qa_feedback.models import (
    AnonymityAcceptance,
    AnonymityFinding,
    ConfidentialTerm,
    OwnPublicationStep,
    PublicationBundle,
    PublicationStep,
    QALetter,
    QALetterFile,
    QAPoint,
    ReportCopy,
    ReportText,
)
from qa_feedback.tests.factories import DraftLetterFactory, letter_with_points, national_letter
from qa_feedback.tests.files import txt_file
from recommendations.models import Recommendation
from reviews.models import AgencyReport
from reviews.tests.factories import ReviewApprovedFactory, ReviewQAFeedbackFactory

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
    "away_agency_contact",
    "stranger",
]
INSIDERS = {"admin", "coordinator", "chair", "viewer"}
COORDINATORS = {"admin", "coordinator"}


def _rule(ok, refused=()):
    """200 for `ok`, 403 for `refused`, 404 for everyone else."""
    return {role: 200 if role in ok else 403 if role in refused else 404 for role in ROLES}


FORM = _rule(COORDINATORS, refused={"chair", "viewer"})
# Pages with the review's confidential values (anonymity findings): coordinators and chairs.
LEADS = _rule({"admin", "coordinator", "chair"}, refused={"viewer"})
MATRIX = {
    "bundles": LEADS,
    "bundle_status": LEADS,
    "bundle_download": LEADS,
    "finding_accept": _rule({"admin", "chair"}, refused={"coordinator", "viewer"}),
    "term_add": FORM,
    "report_text": FORM,
    "review": _rule(INSIDERS),
    "letter": _rule(INSIDERS),
    "original": _rule(INSIDERS),
    "add": FORM,
    "check": FORM,
    "discard": FORM,
    "point": FORM,
    "national_answers": FORM,
    "step": FORM,
    # The partnership's own page: its coordinators and chairs, not the viewers of a review.
    "learning": _rule({"admin", "coordinator", "chair"}),
    # Copies of the approved report: read by everyone on the review, recorded by coordinators.
    "copies": _rule(INSIDERS),
    "commissioner_copy": FORM,
    "agency_copy": FORM,
    # The partnership's own publication steps: its chairs read them, its coordinators change them.
    "own_steps": _rule({"admin", "coordinator", "chair"}),
    "own_step": _rule(COORDINATORS, refused={"chair"}),
    "own_step_remove": _rule(COORDINATORS, refused={"chair"}),
}
# POST only: who may, and what everyone else gets.
POSTS = {
    "bundle_request": _rule(COORDINATORS, refused={"chair", "viewer"}),
    "term_remove": _rule(COORDINATORS, refused={"chair", "viewer"}),
}


def _with_file(letter):
    QALetterFile.objects.create(
        letter=letter,
        file=txt_file("Dear Chair"),
        original_name="letter.txt",
        content_type="text/plain",
        size=10,
        uploaded_by=letter.created_by,
    )
    return letter


def _qa(people):
    """Something behind every URL, in the partnership 'home', each review given to its viewer:
    a letter being checked, a recorded letter with points, a review approved for publication."""
    draft = _with_file(DraftLetterFactory(review__partnership=people.home))
    recorded = _with_file(letter_with_points(ReviewQAFeedbackFactory(partnership=people.home), 2))
    approved = ReviewApprovedFactory(partnership=people.home)
    AgencyReport.objects.create(
        review=approved,
        agency=people.involved_agency,
        requested_on=approved.notified_on,
        due_on=approved.notified_on,
        received_on=approved.notified_on,
    )
    own_step = OwnPublicationStep.objects.create(
        partnership=people.home,
        text="Tell the Safeguarding Adults Board",
        added_on=approved.notified_on,
        added_by=people.coordinator,
    )
    for review in (draft.review, recorded.review, approved):
        review.viewers.add(people.viewer)
    bundle = PublicationBundle.objects.create(
        review=recorded.review, number=1, state="done", requested_by=people.coordinator
    )
    bundle.file.save("bundle.pdf", ContentFile(b"%PDF-1.7 fake"), save=True)
    finding = AnonymityFinding.objects.create(
        bundle=bundle, what="The date of death", value="3 March 2024", found="03/03/2024",
        page=4, part="Overview report", context="...died on [03/03/2024]...",
    )  # fmt: skip
    term = ConfidentialTerm.objects.create(
        review=recorded.review, kind="name", value="Ada Example", added_by=people.coordinator
    )
    national = national_letter(people)
    national.review.viewers.add(people.viewer)
    return {
        "draft": draft,
        "national": national,
        "recorded": recorded,
        "approved": approved,
        "bundle": bundle,
        "finding": finding,
        "term": term,
        "own_step": own_step,
        "agency": people.involved_agency,
    }


# The people and the QA records are built once for the module (conftest.py,
# `module_transaction`); each test reads them afresh and its writes are undone.
@pytest.fixture
def people(db, module_people):
    return refetched(module_people)


@pytest.fixture(scope="module")
def module_qa(module_people, django_db_blocker):
    with django_db_blocker.unblock():
        return _qa(module_people)


@pytest.fixture
def qa(people, module_qa):
    return refetched(module_qa)


def _url(qa, name):
    draft, recorded, approved = qa["draft"], qa["recorded"], qa["approved"]
    args = {
        "review": [recorded.review_id],
        "letter": [recorded.review_id, recorded.pk],
        "original": [recorded.review_id, recorded.pk],
        "add": [draft.review_id],
        "check": [draft.review_id, draft.pk],
        "discard": [draft.review_id, draft.pk],
        "point": [recorded.review_id, recorded.points.first().pk],
        "national_answers": [qa["national"].review_id, qa["national"].pk],
        "step": [approved.pk, "home_office"],
        "learning": [approved.partnership.slug],
        "bundles": [recorded.review_id],
        "bundle_status": [recorded.review_id, qa["bundle"].pk],
        "bundle_download": [recorded.review_id, qa["bundle"].pk],
        "bundle_request": [recorded.review_id],
        "finding_accept": [recorded.review_id, qa["finding"].pk],
        "term_add": [recorded.review_id],
        "term_remove": [recorded.review_id, qa["term"].pk],
        "report_text": [recorded.review_id, "overview"],
        "copies": [approved.pk],
        "commissioner_copy": [approved.pk],
        "agency_copy": [approved.pk, qa["agency"].pk],
        "own_steps": [approved.partnership.slug],
        "own_step": [approved.partnership.slug, qa["own_step"].pk],
        "own_step_remove": [approved.partnership.slug, qa["own_step"].pk],
    }[name]
    return reverse(f"qa_feedback:{name}", args=args)


def _get(client, url):
    response = client.get(url)
    if response.streaming:
        b"".join(response.streaming_content)
    return response


def _state():
    return (
        list(QALetter.objects.order_by("pk").values_list("pk", "state", "outcome")),
        list(QAPoint.objects.order_by("pk").values_list("pk", "status", "response")),
        list(PublicationStep.objects.values_list("pk")),
        list(PublicationBundle.objects.order_by("pk").values_list("pk", "state")),
        list(ConfidentialTerm.objects.order_by("pk").values_list("pk", "value")),
        list(AnonymityAcceptance.objects.values_list("pk")),
        list(ReportText.objects.values_list("pk")),
        list(Recommendation.objects.order_by("pk").values_list("pk", "body_reply")),
        list(ReportCopy.objects.values_list("pk", "sent_on")),
        list(OwnPublicationStep.objects.order_by("pk").values_list("pk", "text", "removed_on")),
    )


def test_every_qa_url_has_an_access_rule():
    names = {p.name for p in qa_urls.urlpatterns}
    covered = set(MATRIX) | set(POSTS)
    assert names == covered, f"URLs without an access rule: {names - covered}"


@pytest.mark.parametrize("name", list(POSTS))
@pytest.mark.parametrize("role", ROLES)
def test_post_only_urls(client, people, qa, name, role):
    client.force_login(getattr(people, role))
    before = _state()
    response = client.post(_url(qa, name), {"final": "0"})
    expected = POSTS[name][role]
    if expected == 200:
        assert response.status_code == 302
        assert _state() != before
    else:
        assert response.status_code == expected
        assert _state() == before


@pytest.mark.parametrize("name", list(MATRIX))
@pytest.mark.parametrize("role", ROLES)
def test_each_role_gets_what_the_rule_says(client, people, qa, name, role):
    url = _url(qa, name)
    client.force_login(getattr(people, role))
    expected = MATRIX[name][role]
    # The draft page sends its coordinator on to the form itself; a GET of "add" while a letter
    # is being checked sends them to it.
    response = _get(client, url)
    if name == "add" and expected == 200:
        assert response.status_code == 302
        assert response.url == _url(qa, "check")
    else:
        assert response.status_code == expected


READ_ONLY = {"review", "letter", "original", "learning", "bundles", "bundle_status",
             "bundle_download", "copies", "own_steps"}  # fmt: skip


@pytest.mark.parametrize(
    ("name", "role"),
    [(n, r) for n in MATRIX if n not in READ_ONLY for r in ROLES if MATRIX[n][r] != 200],
)
def test_a_post_by_anyone_the_rule_refuses_changes_nothing(client, people, qa, name, role):
    before = _state()
    client.force_login(getattr(people, role))
    response = client.post(
        _url(qa, name),
        {"status": "addressed", "response": "x", "undo": "1", "reason": "x", "text": "x",
         "kind": "name", "value": "Someone Else", "sent_on_0": "1", "sent_on_1": "1",
         "sent_on_2": "2026"},
    )  # fmt: skip
    assert response.status_code == MATRIX[name][role]
    assert _state() == before


@pytest.mark.parametrize("name", sorted(READ_ONLY - {"learning", "own_steps"}))
@pytest.mark.parametrize("role", ["other_coordinator", "agency_contact", "stranger"])
def test_outsiders_posting_to_a_page_get_404(client, people, qa, name, role):
    client.force_login(getattr(people, role))
    assert client.post(_url(qa, name)).status_code == 404


@pytest.mark.parametrize("name", list(MATRIX))
def test_anonymous_users_are_sent_to_sign_in(client, people, qa, name):
    response = _get(client, _url(qa, name))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_a_viewer_not_given_the_review_gets_404(client, people, qa):
    qa["recorded"].review.viewers.remove(people.viewer)
    client.force_login(people.viewer)
    assert client.get(_url(qa, "letter")).status_code == 404
    assert client.get(_url(qa, "review")).status_code == 404


def test_downloading_the_letter_is_logged_and_served_as_an_attachment(client, people, qa):
    from dhr.models import AuditEvent

    client.force_login(people.chair)
    response = _get(client, _url(qa, "original"))
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"
    event = AuditEvent.objects.get(object_type="qa_letter")
    assert event.user == people.chair
