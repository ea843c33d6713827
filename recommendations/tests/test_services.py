"""The action plan's writes. Each is tested three ways: allowed from its states (parametrised),
refused from every other state and to every other role, and atomic (a failure part-way leaves
nothing changed: no row, no file, no email)."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from dhr.errors import NotAllowed, TransitionError
from dhr.models import OutgoingEmail
from recommendations import services, workflow
from recommendations.models import Action, ActionUpdate, Evidence, Recommendation
from recommendations.tests.factories import (
    ActionCompletedFactory,
    ActionNotApplicableFactory,
    ActionUpdateFactory,
    plan_for,
)
from reviews.demo import minimal_pdf, pdf_upload
from reviews.models import Status
from reviews.tests.factories import FACTORY_FOR_STATUS

TARGET = date(2026, 9, 30)


@pytest.fixture
def plan(people):
    return plan_for(people)


@pytest.fixture
def media(settings, tmp_path):
    """Uploads go to a directory of this test's own, so that what is left on disk is known."""
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def _submit(action, by, *, new_status=Action.Status.IN_PROGRESS, **kwargs):
    kwargs.setdefault("narrative", "Half the staff are trained")
    return services.action_update_submit(action=action, by=by, new_status=new_status, **kwargs)


def _counts():
    return {
        "updates": ActionUpdate.objects.count(),
        "evidence": Evidence.objects.count(),
        "emails": OutgoingEmail.objects.count(),
    }


def _snapshot(obj):
    obj.refresh_from_db()
    return {
        f.attname: getattr(obj, f.attname)
        for f in obj._meta.concrete_fields
        if f.name != "updated_at"
    }


def _files(root):
    return sorted(p.relative_to(root) for p in root.rglob("*") if p.is_file())


def _broken_queue(**kwargs):
    raise RuntimeError("outbox unavailable")


# --- sending an update


@pytest.mark.parametrize("status", sorted(workflow.UPDATES_OPEN_IN))
def test_an_update_may_be_sent_while_updates_are_open(people, status):
    action = plan_for(people, status).action
    update = _submit(action, people.agency_contact)
    assert (update.state, update.author, update.new_status) == (
        ActionUpdate.State.SUBMITTED,
        people.agency_contact,
        Action.Status.IN_PROGRESS,
    )
    action.refresh_from_db()
    assert action.status == Action.Status.NOT_STARTED  # only acceptance moves it


@pytest.mark.parametrize("status", sorted(set(Status) - workflow.UPDATES_OPEN_IN))
def test_an_update_is_refused_while_updates_are_not_open(people, status):
    action = plan_for(people, status).action
    with pytest.raises(TransitionError, match="not being taken now"):
        _submit(action, people.agency_contact)
    assert _counts() == {"updates": 0, "evidence": 0, "emails": 0}


@pytest.mark.parametrize("closed", [ActionCompletedFactory, ActionNotApplicableFactory])
def test_a_closed_action_takes_no_more_updates(people, plan, closed):
    action = closed(recommendation=plan.recommendation)
    with pytest.raises(TransitionError, match="needs no more updates"):
        _submit(action, people.agency_contact)
    assert _counts() == {"updates": 0, "evidence": 0, "emails": 0}


@pytest.mark.parametrize("role", ["agency_contact", "coordinator", "admin"])
def test_the_owning_agency_its_coordinators_and_admins_send_updates(people, plan, role):
    update = _submit(plan.action, getattr(people, role))
    assert update.author == getattr(people, role)


@pytest.mark.parametrize(
    "role",
    [
        "other_agency_contact",
        "chair",
        "viewer",
        "other_coordinator",
        "other_chair",
        "other_viewer",
        "stranger",
    ],
)
def test_everyone_else_is_refused_an_update(people, plan, role):
    with pytest.raises(NotAllowed):
        _submit(plan.action, getattr(people, role))
    assert _counts() == {"updates": 0, "evidence": 0, "emails": 0}


@pytest.mark.parametrize("reason", ["", "   "])
def test_no_longer_applies_needs_a_reason(people, plan, reason):
    with pytest.raises(ValidationError, match="Say why the action no longer applies"):
        _submit(
            plan.action,
            people.agency_contact,
            new_status=Action.Status.NOT_APPLICABLE,
            not_applicable_reason=reason,
        )
    assert _counts() == {"updates": 0, "evidence": 0, "emails": 0}


def test_sending_an_update_emails_the_partnership_s_coordinators(people, plan):
    update = _submit(plan.action, people.agency_contact)
    email = OutgoingEmail.objects.get()
    assert email.to == [people.coordinator.email]
    assert email.partnership == people.home
    assert email.subject.startswith("Update to accept: Involved Agency")
    assert f"/updates/{update.pk}/review/" in email.body


def test_evidence_is_kept_under_a_random_name_with_its_original_name(people, plan, media):
    update = _submit(
        plan.action,
        people.agency_contact,
        files=[pdf_upload("training-log.pdf", "Trained: 40 staff")],
    )
    evidence = update.evidence.get()
    assert evidence.original_name == "training-log.pdf"
    assert (evidence.content_type, evidence.uploaded_by) == (
        "application/pdf",
        people.agency_contact,
    )
    assert evidence.file.name.startswith(f"evidence/{plan.action.pk}/")
    assert "training-log" not in evidence.file.name
    with evidence.file.open("rb") as stored:
        content = stored.read()
    assert content == minimal_pdf("Trained: 40 staff")
    assert evidence.size == len(content)


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("training-log.pdf", b"this is not a pdf"),
        ("training-log.docx", minimal_pdf()),  # a real PDF, misnamed
        ("training-log.exe", b"MZ\x90\x00"),
        ("empty.pdf", b""),
    ],
)
def test_evidence_is_checked_by_content_and_a_bad_file_saves_nothing(
    people, plan, media, name, content
):
    with pytest.raises(ValidationError):
        _submit(plan.action, people.agency_contact, files=[SimpleUploadedFile(name, content)])
    assert _counts() == {"updates": 0, "evidence": 0, "emails": 0}
    assert _files(media) == []


def test_a_two_file_upload_with_a_bad_second_file_saves_nothing(people, plan, media):
    """The first file is good; the second, named .pdf, is not a PDF."""
    action_before = _snapshot(plan.action)
    with pytest.raises(ValidationError, match="not a real PDF"):
        _submit(
            plan.action,
            people.agency_contact,
            files=[pdf_upload("good.pdf"), SimpleUploadedFile("bad.pdf", b"<html>not a pdf")],
        )
    assert _counts() == {"updates": 0, "evidence": 0, "emails": 0}
    assert ActionUpdate.history.count() == 0
    assert _snapshot(plan.action) == action_before


@pytest.mark.parametrize("failure", ["bad second file", "email queue down"])
def test_a_refused_or_failed_update_leaves_no_evidence_file_on_disk(
    people, plan, media, monkeypatch, failure
):
    """Evidence is OFFICIAL-SENSITIVE: when the update is not saved, the good file sent with it
    must not stay on disk with no record pointing to it (and so never deleted)."""
    files = [pdf_upload("good.pdf")]
    if failure == "bad second file":
        files.append(SimpleUploadedFile("bad.pdf", b"<html>not a pdf"))
    else:
        monkeypatch.setattr(services.updates, "email_queue", _broken_queue)
    with pytest.raises((ValidationError, RuntimeError)):
        _submit(plan.action, people.agency_contact, files=files)
    assert _counts() == {"updates": 0, "evidence": 0, "emails": 0}
    assert _files(media) == []


# --- accepting and returning an update


@pytest.mark.parametrize(
    ("new_status", "reason"),
    [
        (Action.Status.IN_PROGRESS, ""),
        (Action.Status.COMPLETED, ""),
        (Action.Status.NOT_APPLICABLE, "The service was decommissioned"),
    ],
)
def test_accepting_moves_the_action_to_the_update_s_status(people, plan, new_status, reason):
    update = _submit(
        plan.action, people.agency_contact, new_status=new_status, not_applicable_reason=reason
    )
    action = services.action_update_accept(update=update, by=people.coordinator)
    action.refresh_from_db()
    update.refresh_from_db()
    assert action.status == new_status
    assert action.not_applicable_reason == reason
    expected_completed_on = timezone.localdate() if new_status == "completed" else None
    assert action.completed_on == expected_completed_on
    assert (update.state, update.reviewed_by) == (ActionUpdate.State.ACCEPTED, people.coordinator)
    assert update.reviewed_at is not None


def test_an_admin_may_accept(people, plan):
    update = _submit(plan.action, people.agency_contact)
    services.action_update_accept(update=update, by=people.admin)
    plan.action.refresh_from_db()
    assert plan.action.status == Action.Status.IN_PROGRESS


@pytest.mark.parametrize("state", [ActionUpdate.State.ACCEPTED, ActionUpdate.State.RETURNED])
def test_an_update_is_accepted_or_returned_only_while_submitted(people, plan, state):
    update = ActionUpdateFactory(action=plan.action, author=people.agency_contact, state=state)
    before = _snapshot(plan.action)
    with pytest.raises(TransitionError, match="already been"):
        services.action_update_accept(update=update, by=people.coordinator)
    with pytest.raises(TransitionError, match="already been"):
        services.action_update_return(update=update, by=people.coordinator, comment="More")
    update.refresh_from_db()
    assert update.state == state
    assert _snapshot(plan.action) == before
    assert not OutgoingEmail.objects.exists()


@pytest.mark.parametrize(
    "role",
    [
        "chair",
        "viewer",
        "agency_contact",
        "other_agency_contact",
        "other_coordinator",
        "stranger",
    ],
)
def test_only_a_coordinator_accepts_or_returns(people, plan, role):
    update = ActionUpdateFactory(action=plan.action, author=people.agency_contact)
    before = _snapshot(plan.action)
    with pytest.raises(NotAllowed):
        services.action_update_accept(update=update, by=getattr(people, role))
    with pytest.raises(NotAllowed):
        services.action_update_return(update=update, by=getattr(people, role), comment="No")
    update.refresh_from_db()
    assert update.state == ActionUpdate.State.SUBMITTED
    assert _snapshot(plan.action) == before


def test_a_stale_update_cannot_reopen_a_closed_action(people, plan):
    """Two updates were waiting; the 'completed' one was accepted first. Accepting the older
    'in progress' one must not take the action back from completed."""
    stale = _submit(plan.action, people.agency_contact, new_status=Action.Status.IN_PROGRESS)
    done = _submit(plan.action, people.agency_contact, new_status=Action.Status.COMPLETED)
    services.action_update_accept(update=done, by=people.coordinator)
    before = _snapshot(plan.action)
    with pytest.raises(TransitionError):
        services.action_update_accept(update=stale, by=people.coordinator)
    assert _snapshot(plan.action) == before
    stale.refresh_from_db()
    assert stale.state == ActionUpdate.State.SUBMITTED


def test_an_update_left_waiting_is_not_accepted_once_the_review_concluded(people):
    """The review concluded with every action closed; an update still waiting must not
    reopen an action of a concluded review."""
    plan = plan_for(people, Status.CONCLUDED)
    action = ActionCompletedFactory(recommendation=plan.recommendation)
    update = ActionUpdateFactory(action=action, author=people.agency_contact)
    before = _snapshot(action)
    with pytest.raises(TransitionError):
        services.action_update_accept(update=update, by=people.coordinator)
    assert _snapshot(action) == before


def test_returning_leaves_the_action_as_it_was_and_emails_the_author(people, plan):
    update = _submit(plan.action, people.agency_contact, new_status=Action.Status.COMPLETED)
    OutgoingEmail.objects.all().delete()
    before = _snapshot(plan.action)
    services.action_update_return(
        update=update, by=people.coordinator, comment="Attach the training records"
    )
    update.refresh_from_db()
    assert (update.state, update.review_comment, update.reviewed_by) == (
        ActionUpdate.State.RETURNED,
        "Attach the training records",
        people.coordinator,
    )
    assert _snapshot(plan.action) == before
    email = OutgoingEmail.objects.get()
    assert email.to == [people.agency_contact.email]
    assert email.subject == f"Update returned: {plan.review.public_title}"
    assert f"/actions/{plan.action.pk}/" in email.body
    # The author may be an agency's contact: nothing confidential about the review.
    review = plan.review
    for value in (review.victim_name, review.perpetrator_name):
        assert value not in email.body
        assert value not in email.html


@pytest.mark.parametrize("comment", ["", "  \n "])
def test_returning_needs_a_comment(people, plan, comment):
    update = ActionUpdateFactory(action=plan.action, author=people.agency_contact)
    with pytest.raises(ValidationError, match="Say what the agency needs to change or add"):
        services.action_update_return(update=update, by=people.coordinator, comment=comment)
    update.refresh_from_db()
    assert update.state == ActionUpdate.State.SUBMITTED
    assert not OutgoingEmail.objects.exists()


def test_accepting_is_atomic(people, plan, monkeypatch):
    """The update is marked accepted, then saving the action fails: neither is kept.
    (Accepting sends no email, so the failure is put in the action's save.)"""
    update = ActionUpdateFactory(
        action=plan.action, author=people.agency_contact, new_status=Action.Status.COMPLETED
    )
    update_before, action_before = _snapshot(update), _snapshot(plan.action)
    versions = (update.history.count(), plan.action.history.count())
    real_save = services.updates.record_save

    def save_then_fail_on_the_action(obj, **kwargs):
        if isinstance(obj, Action):
            raise RuntimeError("database went away")
        real_save(obj, **kwargs)

    monkeypatch.setattr(services.updates, "record_save", save_then_fail_on_the_action)
    with pytest.raises(RuntimeError):
        services.action_update_accept(update=update, by=people.coordinator)
    assert _snapshot(update) == update_before
    assert _snapshot(plan.action) == action_before
    assert (update.history.count(), plan.action.history.count()) == versions


def test_returning_is_atomic(people, plan, monkeypatch):
    """The update is marked returned, then queueing the author's email fails: nothing kept."""
    update = ActionUpdateFactory(action=plan.action, author=people.agency_contact)
    update_before, action_before = _snapshot(update), _snapshot(plan.action)
    versions = update.history.count()
    monkeypatch.setattr(services.updates, "email_queue", _broken_queue)
    with pytest.raises(RuntimeError):
        services.action_update_return(update=update, by=people.coordinator, comment="More")
    assert _snapshot(update) == update_before
    assert _snapshot(plan.action) == action_before
    assert update.history.count() == versions
    assert not OutgoingEmail.objects.exists()


def test_sending_is_atomic(people, plan, monkeypatch, media):
    """The update and its evidence are written, then queueing the coordinators' email fails."""
    monkeypatch.setattr(services.updates, "email_queue", _broken_queue)
    with pytest.raises(RuntimeError):
        _submit(plan.action, people.agency_contact, files=[pdf_upload("good.pdf")])
    assert _counts() == {"updates": 0, "evidence": 0, "emails": 0}


# --- the plan itself


def _recommendation(review, by, text="Train staff", recommendation=None):
    return services.recommendation_save(
        review=review,
        by=by,
        data={"text": text, "scope": "local", "lead_agency": review.notifying_force},
        recommendation=recommendation,
    )


def _action(recommendation, by, action=None, **data):
    return services.action_save(
        recommendation=recommendation,
        by=by,
        data={
            "description": "Train the triage staff",
            "owner_agency": recommendation.lead_agency,
            "target_date": TARGET,
            "completion_evidence": "Training records",
            **data,
        },
        action=action,
    )


def test_recommendations_are_numbered_1_2_3_in_each_review(people):
    first = FACTORY_FOR_STATUS[Status.SUBMITTED](partnership=people.home)
    second = FACTORY_FOR_STATUS[Status.SUBMITTED](partnership=people.home)
    numbers = []
    for review in (first, second, first, second, first):
        numbers.append((review.pk, _recommendation(review, people.coordinator).number))
    assert numbers == [
        (first.pk, 1),
        (second.pk, 1),
        (first.pk, 2),
        (second.pk, 2),
        (first.pk, 3),
    ]
    changed = _recommendation(
        first, people.coordinator, "Reworded", first.recommendations.get(number=2)
    )
    assert (changed.number, changed.text) == (2, "Reworded")
    assert list(first.recommendations.values_list("number", flat=True)) == [1, 2, 3]


@pytest.mark.parametrize("status", sorted(workflow.PLAN_EDITABLE_IN))
def test_the_plan_may_be_edited_while_it_is_open(people, status):
    review = FACTORY_FOR_STATUS[status](partnership=people.home)
    recommendation = _recommendation(review, people.coordinator)
    action = _action(recommendation, people.coordinator)
    action = _action(recommendation, people.coordinator, action=action, description="Changed")
    assert Action.objects.get().description == "Changed"
    assert action.status == Action.Status.NOT_STARTED


@pytest.mark.parametrize("status", sorted(set(Status) - workflow.PLAN_EDITABLE_IN))
def test_the_plan_may_not_be_edited_outside_its_stages(people, status):
    plan = plan_for(people, status)
    before = _snapshot(plan.action)
    with pytest.raises(TransitionError, match="cannot be changed now"):
        _recommendation(plan.review, people.coordinator)
    with pytest.raises(TransitionError, match="cannot be changed now"):
        _recommendation(plan.review, people.coordinator, "New", plan.recommendation)
    with pytest.raises(TransitionError, match="cannot be changed now"):
        _action(plan.recommendation, people.coordinator)
    with pytest.raises(TransitionError, match="cannot be changed now"):
        _action(plan.recommendation, people.coordinator, action=plan.action, description="New")
    assert Recommendation.objects.count() == 1
    assert Action.objects.count() == 1
    assert _snapshot(plan.action) == before


@pytest.mark.parametrize(
    "role",
    ["chair", "viewer", "agency_contact", "other_coordinator", "other_chair", "stranger"],
)
def test_only_the_partnership_s_coordinators_edit_the_plan(people, plan, role):
    user = getattr(people, role)
    before = _snapshot(plan.action)
    with pytest.raises(NotAllowed):
        _recommendation(plan.review, user)
    with pytest.raises(NotAllowed):
        _action(plan.recommendation, user)
    with pytest.raises(NotAllowed):
        _action(plan.recommendation, user, action=plan.action, description="New")
    assert (Recommendation.objects.count(), Action.objects.count()) == (1, 1)
    assert _snapshot(plan.action) == before


def test_an_admin_may_edit_the_plan(people, plan):
    recommendation = _recommendation(plan.review, people.admin)
    assert recommendation.number == 2


def test_editing_an_action_does_not_move_its_status(people, plan):
    _action(
        plan.recommendation,
        people.coordinator,
        action=plan.action,
        status=Action.Status.COMPLETED,
    )
    plan.action.refresh_from_db()
    assert plan.action.status == Action.Status.NOT_STARTED


# --- history


def _reasons(records):
    return [(r.history_change_reason, r.history_user) for r in records.order_by("history_date")]


def test_every_change_shows_in_the_history(people):
    review = FACTORY_FOR_STATUS[Status.SUBMITTED](partnership=people.home)
    recommendation = _recommendation(review, people.coordinator)
    _recommendation(review, people.coordinator, "Reworded", recommendation)
    owner = people.involved_agency
    action = _action(recommendation, people.coordinator, owner_agency=owner)
    _action(recommendation, people.coordinator, action=action, owner_agency=owner, description="x")
    first = _submit(action, people.agency_contact)
    services.action_update_return(update=first, by=people.coordinator, comment="Evidence?")
    second = _submit(
        action, people.agency_contact, new_status=Action.Status.COMPLETED, files=[pdf_upload()]
    )
    services.action_update_accept(update=second, by=people.coordinator)

    assert _reasons(recommendation.history) == [
        ("Recommendation added", people.coordinator),
        ("Recommendation changed", people.coordinator),
    ]
    assert recommendation.history.earliest().text == "Train staff"
    assert _reasons(action.history) == [
        ("Action added", people.coordinator),
        ("Action changed", people.coordinator),
        ("Update accepted: completed", people.coordinator),
    ]
    assert [h.status for h in action.history.order_by("history_date")] == [
        "not_started",
        "not_started",
        "completed",
    ]
    assert _reasons(first.history) == [
        ("Update sent", people.agency_contact),
        ("Update returned", people.coordinator),
    ]
    assert _reasons(second.history) == [
        ("Update sent", people.agency_contact),
        ("Update accepted", people.coordinator),
    ]
