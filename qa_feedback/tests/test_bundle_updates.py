"""The action-plan annex of the publishable PDF (issue 20, rule 10): a live document "with all
implementation updates", so every accepted update on each action, oldest first, with its date
and who sent it (the agency, or the partnership for a coordinator's: no person is named), read
back from the PDF; updates awaiting the coordinator or returned, the coordinator's comments and
the evidence files are not published; a plan with many updates still builds."""

import io
import re
import time
from collections import Counter
from datetime import UTC, datetime, timedelta

import pikepdf
from pypdf import PdfReader

from qa_feedback import services
from qa_feedback.models import PublicationBundle
from qa_feedback.tests.factories import ready_to_publish
from recommendations.models import Action, ActionUpdate
from recommendations.tests.factories import (
    ActionFactory,
    ActionUpdateFactory,
    RecommendationFactory,
)

START = datetime(2025, 1, 6, 10, tzinfo=UTC)


def _annex(review):
    bundle = PublicationBundle.objects.create(
        review=review,
        number=1,
        final=False,
        requested_by=review.partnership.memberships.first().user,
    )
    built = services.bundle_build(bundle_id=bundle.pk)
    assert built.state == PublicationBundle.State.DONE, built.message
    with built.file.open("rb") as stored:
        data = stored.read()
    pages = [page.extract_text() for page in PdfReader(io.BytesIO(data)).pages]
    whole = re.sub(r"\s+", " ", " ".join(pages))
    start = whole.index("Annex A: action plan", whole.index("Annex A: action plan") + 1)
    return data, whole[
        start : whole.index("Annex B: Home Office Quality Assurance Panel letter", start)
    ]


def _update(action, author, n, *, state=ActionUpdate.State.ACCEPTED, **fields):
    update = ActionUpdateFactory(
        action=action, author=author, narrative=f"Progress note {n} on {action.pk}.", state=state,
        **fields,
    )  # fmt: skip
    ActionUpdate.objects.filter(pk=update.pk).update(submitted_at=START + timedelta(days=7 * n))
    return update


def test_every_accepted_update_is_in_the_annex_in_date_order_with_who_sent_it(people):
    review = ready_to_publish(people.home)
    action = ActionFactory(
        recommendation=RecommendationFactory(review=review, lead_agency=people.involved_agency),
        description="Train the triage staff.",
    )
    _update(action, people.agency_contact, 1)
    _update(action, people.coordinator, 2)
    _update(action, people.agency_contact, 3, new_status=Action.Status.COMPLETED)
    _update(action, people.agency_contact, 4, state=ActionUpdate.State.SUBMITTED)
    _update(
        action, people.agency_contact, 5, state=ActionUpdate.State.RETURNED,
        review_comment="Say which wards",
    )  # fmt: skip

    _, annex = _annex(review)

    notes = [f"Progress note {n} on {action.pk}." for n in (1, 2, 3)]
    positions = [annex.index(note) for note in notes]
    assert positions == sorted(positions)
    agency, partnership = people.involved_agency.name, people.home.name
    assert f"13 January 2025 {agency} In progress {notes[0]}" in annex
    assert f"20 January 2025 {partnership} In progress {notes[1]}" in annex
    assert f"27 January 2025 {agency} Completed {notes[2]}" in annex
    unpublished = [f"Progress note {n} on {action.pk}" for n in (4, 5)]
    unpublished += ["Say which wards", people.agency_contact.name, people.coordinator.name]
    for text in unpublished:
        assert text not in annex
    assert "Implementation updates on this action, oldest first" in annex
    assert "No implementation updates yet." in annex  # the fixture's own action has none


def test_a_plan_with_many_updates_builds_tagged_with_every_one(people):
    review = ready_to_publish(people.home)
    recommendation = RecommendationFactory(review=review, lead_agency=people.involved_agency)
    actions = [ActionFactory(recommendation=recommendation) for _ in range(10)]
    for action in actions:
        for n in range(30):
            _update(action, people.agency_contact, n)

    began = time.monotonic()
    data, annex = _annex(review)
    took = time.monotonic() - began

    for action in actions:
        for n in range(30):
            assert f"Progress note {n} on {action.pk}." in annex
    assert took < 120, took
    with pikepdf.open(io.BytesIO(data)) as pdf:
        assert bool(pdf.Root.MarkInfo.Marked) is True
        roles = Counter(_roles(pdf.Root.StructTreeRoot))
    # Each action's updates are a table a screen reader can read as one: captioned, with
    # column headers.
    assert roles["/Table"] >= len(actions)
    assert roles["/Caption"] >= len(actions)
    assert roles["/TH"] >= 4 * len(actions)


def _roles(element, depth=0):
    """The structure types of the tagged PDF's elements."""
    if depth > 60:
        return
    kids = element.get("/K")
    if kids is None:
        return
    for kid in kids if isinstance(kids, pikepdf.Array) else [kids]:
        if isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
            yield str(kid.S)
            yield from _roles(kid, depth + 1)
