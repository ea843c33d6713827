"""Every QA URL requested as every role. Outsiders (another partnership's people, agency
contacts, strangers) get 404: they may not know the review or its letter exists; those who may
see it but not change it get 403; anonymous users are sent to sign in."""

import pytest
from django.urls import reverse

from qa_feedback import urls as qa_urls
from qa_feedback.models import PublicationStep, QALetter, QALetterFile, QAPoint
from qa_feedback.tests.factories import DraftLetterFactory, letter_with_points
from qa_feedback.tests.files import txt_file
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
    "stranger",
]
INSIDERS = {"admin", "coordinator", "chair", "viewer"}
COORDINATORS = {"admin", "coordinator"}


def _rule(ok, refused=()):
    """200 for `ok`, 403 for `refused`, 404 for everyone else."""
    return {role: 200 if role in ok else 403 if role in refused else 404 for role in ROLES}


FORM = _rule(COORDINATORS, refused={"chair", "viewer"})
MATRIX = {
    "review": _rule(INSIDERS),
    "letter": _rule(INSIDERS),
    "original": _rule(INSIDERS),
    "add": FORM,
    "check": FORM,
    "discard": FORM,
    "point": FORM,
    "step": FORM,
    # The partnership's own page: its coordinators and chairs, not the viewers of a review.
    "learning": _rule({"admin", "coordinator", "chair"}),
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


@pytest.fixture
def qa(people):
    """Something behind every URL, in the partnership 'home', each review given to its viewer:
    a letter being checked, a recorded letter with points, a review approved for publication."""
    draft = _with_file(DraftLetterFactory(review__partnership=people.home))
    recorded = _with_file(letter_with_points(ReviewQAFeedbackFactory(partnership=people.home), 2))
    approved = ReviewApprovedFactory(partnership=people.home)
    for review in (draft.review, recorded.review, approved):
        review.viewers.add(people.viewer)
    return {"draft": draft, "recorded": recorded, "approved": approved}


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
        "step": [approved.pk, "pcc"],
        "learning": [approved.partnership.slug],
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
    )


def test_every_qa_url_has_an_access_rule():
    names = {p.name for p in qa_urls.urlpatterns}
    assert names == set(MATRIX), f"URLs without an access rule: {names - set(MATRIX)}"


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


@pytest.mark.parametrize(
    "name", [n for n in MATRIX if n not in {"review", "letter", "original", "learning"}]
)
@pytest.mark.parametrize("role", [r for r in ROLES if r not in COORDINATORS])
def test_a_post_by_anyone_but_a_coordinator_changes_nothing(client, people, qa, name, role):
    before = _state()
    client.force_login(getattr(people, role))
    response = client.post(_url(qa, name), {"status": "addressed", "response": "x", "undo": "1"})
    assert response.status_code == MATRIX[name][role]
    assert _state() == before


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
