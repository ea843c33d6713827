"""Issue 20's rules 6, 7 and 12, through the services and the pages:

6. an agency report (IMR) counts as received only with its author's independence, the senior
   manager's sign-off and the staff feedback session recorded, or each waived by the CSP chair
   with a reason; the date it arrived may be recorded alone ("received, not yet complete");
7. the CSP chair signs off a report whose action plan has a recommendation, or with their
   reason why the review makes none;
12. the CSP chair and the review's independent chair are different people.
"""

from datetime import date, timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

from dhr.errors import NotAllowed, TransitionError
from recommendations.models import Recommendation
from recommendations.services import recommendation_save
from reviews import deadlines, services, workflow
from reviews.chase import chase_run
from reviews.history import review_history
from reviews.models import AgencyReport, AgencyReportWaiver, ImrRequirement, Reminder, Status
from reviews.tests.factories import FACTORY_FOR_STATUS, AgencyFactory

TODAY = date(2025, 6, 1)


def _arrived_only(review) -> AgencyReport:
    """The review's report, arrived with nothing else recorded."""
    report = review.agency_reports.get()
    AgencyReport.objects.filter(pk=report.pk).update(
        received_on=TODAY,
        author="",
        author_independence_confirmed=False,
        senior_sign_off_by="",
        signed_off_on=None,
        staff_feedback_held=False,
    )
    return AgencyReport.objects.get(pk=report.pk)


def _report_data(report, **overrides):
    data = {
        "requested_on": report.requested_on,
        "due_on": report.due_on,
        "received_on": TODAY,
        "author": "",
        "author_independence_confirmed": False,
        "senior_sign_off_by": "",
        "signed_off_on": None,
        "staff_feedback_held": False,
    }
    return {**data, **overrides}


# Rule 6 -----------------------------------------------------------------------------------


def test_a_report_recorded_as_arrived_alone_is_received_not_yet_complete(people):
    review = FACTORY_FOR_STATUS[Status.SET_UP](partnership=people.home)
    report = review.agency_reports.get()
    report = services.agency_report_update(
        report=report, by=people.coordinator, data=_report_data(report)
    )
    assert report.received_on == TODAY  # the coordinator could record the date it arrived
    assert not report.is_received
    assert report.arrived_incomplete
    assert report.incomplete() == [
        "the author and their independence",
        "the senior manager's sign-off and its date",
        "the staff feedback session",
    ]
    assert list(AgencyReport.objects.outstanding()) == [report]


def test_drafting_waits_for_every_requirement_and_counts_the_complete_report(people):
    review = FACTORY_FOR_STATUS[Status.AGENCY_REPORTS](partnership=people.home)
    report = _arrived_only(review)
    with pytest.raises(TransitionError) as refused:
        services.review_transition(
            review=review, by=people.coordinator, action="start_drafting", on=TODAY
        )
    assert f"Record for the agency report from {report.agency.name} the author" in str(
        refused.value
    )
    services.agency_report_update(
        report=report,
        by=people.coordinator,
        data=_report_data(
            report,
            author="Ann Author",
            author_independence_confirmed=True,
            senior_sign_off_by="Sam Senior",
            signed_off_on=TODAY - timedelta(days=2),
            staff_feedback_held=True,
        ),
    )
    assert AgencyReport.objects.get(pk=report.pk).is_received
    assert not AgencyReport.objects.outstanding().exists()
    review = services.review_transition(
        review=review, by=people.coordinator, action="start_drafting", on=TODAY
    )
    assert review.status == Status.DRAFTING


def test_the_csp_chair_waives_a_requirement_with_a_reason(people):
    review = FACTORY_FOR_STATUS[Status.AGENCY_REPORTS](partnership=people.home)
    report = _arrived_only(review)
    services.agency_report_update(
        report=report,
        by=people.coordinator,
        data=_report_data(
            report,
            author="Ann Author",
            author_independence_confirmed=True,
            senior_sign_off_by="Sam Senior",
            signed_off_on=TODAY,
        ),
    )
    waiver = services.agency_report_waive(
        report=report,
        by=people.chair,
        requirement=ImrRequirement.STAFF_FEEDBACK,
        reason="The practitioner has left the agency",
        on=TODAY,
    )
    assert waiver.waived_by == people.chair
    report = AgencyReport.objects.get(pk=report.pk)
    assert report.is_received
    assert not AgencyReport.objects.outstanding().exists()
    assert workflow.TRANSITIONS["start_drafting"].missing(review) == []
    # Audited: the history says who waived what, and why.
    entry = next(e for e in review_history(review, show_confidential=True) if "waived" in e.what)
    assert entry.what.startswith("The staff feedback session waived by the CSP chair")
    assert ("Reason for the waiver", "none", "The practitioner has left the agency") in (
        entry.changes
    )


@pytest.mark.parametrize("who", ["coordinator", "viewer", "other_chair", "agency_contact"])
def test_only_the_partnerships_csp_chair_waives(people, who):
    review = FACTORY_FOR_STATUS[Status.AGENCY_REPORTS](partnership=people.home)
    report = _arrived_only(review)
    with pytest.raises(NotAllowed):
        services.agency_report_waive(
            report=report,
            by=getattr(people, who),
            requirement=ImrRequirement.STAFF_FEEDBACK,
            reason="Because",
            on=TODAY,
        )
    assert not AgencyReportWaiver.objects.exists()


def test_a_waiver_needs_a_reason_and_something_to_waive(people):
    review = FACTORY_FOR_STATUS[Status.AGENCY_REPORTS](partnership=people.home)
    report = review.agency_reports.get()  # complete, as the factory records it
    AgencyReport.objects.filter(pk=report.pk).update(staff_feedback_held=False)
    with pytest.raises(ValidationError):
        services.agency_report_waive(
            report=report,
            by=people.chair,
            requirement=ImrRequirement.STAFF_FEEDBACK,
            reason="   ",
            on=TODAY,
        )
    with pytest.raises(TransitionError):  # met already
        services.agency_report_waive(
            report=report,
            by=people.chair,
            requirement=ImrRequirement.SENIOR_SIGN_OFF,
            reason="Not needed",
            on=TODAY,
        )
    services.agency_report_waive(
        report=report,
        by=people.chair,
        requirement=ImrRequirement.STAFF_FEEDBACK,
        reason="Not needed",
        on=TODAY,
    )
    with pytest.raises(TransitionError):  # waived already
        services.agency_report_waive(
            report=report,
            by=people.chair,
            requirement=ImrRequirement.STAFF_FEEDBACK,
            reason="Again",
            on=TODAY,
        )
    assert AgencyReportWaiver.objects.count() == 1


def test_a_waiver_is_refused_once_the_agency_reports_stage_has_passed(people):
    review = FACTORY_FOR_STATUS[Status.SIGNED_OFF](partnership=people.home)
    report = review.agency_reports.get()
    AgencyReport.objects.filter(pk=report.pk).update(staff_feedback_held=False)
    with pytest.raises(TransitionError):
        services.agency_report_waive(
            report=report,
            by=people.chair,
            requirement=ImrRequirement.STAFF_FEEDBACK,
            reason="Late",
            on=TODAY,
        )


def test_an_incomplete_report_is_still_chased_and_listed_once(people):
    review = FACTORY_FOR_STATUS[Status.AGENCY_REPORTS](partnership=people.home)
    report = _arrived_only(review)
    found = [
        d
        for d in deadlines.open_deadlines(reviews=review.__class__.objects.all(), today=TODAY)
        if d.object_type == "agency_report"
    ]
    assert [d.object_id for d in found] == [str(report.pk)]
    assert found[0].what.endswith("(received, not yet complete)")
    # The chase reminds the agency of it once a step, however often it runs.
    chase_run(today=report.due_on)
    chase_run(today=report.due_on)
    assert list(Reminder.objects.values_list("object_type", "step")) == [("agency_report", 0)]
    assert len(mail.outbox) == 1
    assert "(received, not yet complete)" in mail.outbox[0].subject


def test_reports_of_completed_stages_stand_as_recorded(people):
    """What the migration does for reviews already past the agency reports stage."""
    review = FACTORY_FOR_STATUS[Status.SUBMITTED](partnership=people.home)
    report = review.agency_reports.get()
    AgencyReport.objects.filter(pk=report.pk).update(
        staff_feedback_held=False, recorded_before_checks=True
    )
    report = AgencyReport.objects.get(pk=report.pk)
    assert report.is_received
    assert not AgencyReport.objects.outstanding().exists()


def test_the_migration_marks_only_the_reports_of_completed_stages(people):
    from importlib import import_module
    from pathlib import Path

    from django.apps import apps

    # Found by its name, whatever number it is given when merged.
    [path] = (
        Path(__file__).parents[1].glob("migrations/*_imr_requirements_and_no_recommendations.py")
    )
    migration = import_module(f"reviews.migrations.{path.stem}")
    past = FACTORY_FOR_STATUS[Status.MONITORING](partnership=people.home)
    live = FACTORY_FOR_STATUS[Status.AGENCY_REPORTS](partnership=people.home)
    AgencyReport.objects.update(staff_feedback_held=False)
    migration.mark_reports_of_completed_stages(apps, None)
    assert past.agency_reports.get().recorded_before_checks
    assert past.agency_reports.get().is_received
    assert not live.agency_reports.get().recorded_before_checks
    assert not live.agency_reports.get().is_received


# Rule 7 -----------------------------------------------------------------------------------


def _plan_emptied(review):
    Recommendation.objects.filter(review=review).delete()
    return review


def test_sign_off_is_refused_without_a_recommendation(people):
    review = _plan_emptied(FACTORY_FOR_STATUS[Status.DRAFTING](partnership=people.home))
    with pytest.raises(TransitionError) as refused:
        services.review_transition(review=review, by=people.chair, action="sign_off", on=TODAY)
    assert workflow.NO_RECOMMENDATIONS in str(refused.value)
    review.refresh_from_db()
    assert review.status == Status.DRAFTING


def test_sign_off_with_a_recommendation(people):
    review = FACTORY_FOR_STATUS[Status.DRAFTING](partnership=people.home)
    assert review.recommendations.exists()
    review = services.review_transition(review=review, by=people.chair, action="sign_off", on=TODAY)
    assert review.status == Status.SIGNED_OFF


def test_the_csp_chair_signs_off_with_a_reason_for_no_recommendations(people):
    review = _plan_emptied(FACTORY_FOR_STATUS[Status.DRAFTING](partnership=people.home))
    services.review_record_no_recommendations(
        review=review, by=people.chair, reason="Every agency acted as it should have"
    )
    review = services.review_transition(review=review, by=people.chair, action="sign_off", on=TODAY)
    assert review.status == Status.SIGNED_OFF
    entry = next(
        e
        for e in review_history(review, show_confidential=False)
        if e.what == "CSP chair recorded why the review makes no recommendations"
    )
    assert [new for name, _, new in entry.changes if "no recommendations" in name] == [
        "Every agency acted as it should have"
    ]


@pytest.mark.parametrize("who", ["coordinator", "viewer", "other_chair"])
def test_only_the_csp_chair_records_why_there_are_no_recommendations(people, who):
    review = _plan_emptied(FACTORY_FOR_STATUS[Status.DRAFTING](partnership=people.home))
    with pytest.raises(NotAllowed):
        services.review_record_no_recommendations(
            review=review, by=getattr(people, who), reason="None"
        )
    review.refresh_from_db()
    assert review.no_recommendations_reason == ""


def test_the_reason_is_needed_and_only_before_sign_off(people):
    review = _plan_emptied(FACTORY_FOR_STATUS[Status.DRAFTING](partnership=people.home))
    with pytest.raises(ValidationError):
        services.review_record_no_recommendations(review=review, by=people.chair, reason=" ")
    signed = FACTORY_FOR_STATUS[Status.SIGNED_OFF](partnership=people.home)
    with pytest.raises(TransitionError):
        services.review_record_no_recommendations(review=signed, by=people.chair, reason="Late")


def test_a_recommendation_added_later_withdraws_the_reason(people):
    review = _plan_emptied(FACTORY_FOR_STATUS[Status.DRAFTING](partnership=people.home))
    services.review_record_no_recommendations(review=review, by=people.chair, reason="None due")
    recommendation_save(
        review=review,
        by=people.coordinator,
        data={"text": "Share risk", "scope": "local", "lead_agency": AgencyFactory()},
    )
    review.refresh_from_db()
    assert review.no_recommendations_reason == ""


def test_a_review_without_recommendations_concludes_on_its_reason(people):
    from recommendations.workflow import open_actions_missing

    review = _plan_emptied(FACTORY_FOR_STATUS[Status.MONITORING](partnership=people.home))
    assert open_actions_missing(review) == ["Record the action plan's recommendations"]
    review.no_recommendations_reason = "None"
    assert open_actions_missing(review) == []


# Rule 12 ----------------------------------------------------------------------------------


def _set_up_data(review, **overrides):
    data = {name: getattr(review, name) for name in services.SET_UP_FIELDS}
    return {**data, **overrides}


@pytest.mark.parametrize("as_typed", ["name", "NAME", "email", "Email"])
def test_a_csp_chair_cannot_be_the_independent_chair(people, as_typed):
    review = FACTORY_FOR_STATUS[Status.PROCEEDING](partnership=people.home)
    value = people.chair.email if as_typed.lower() == "email" else people.chair.name
    value = value.upper() if as_typed.isupper() else value.title() if as_typed == "Email" else value
    with pytest.raises(ValidationError) as refused:
        services.review_update_set_up(
            review=review, by=people.coordinator, data=_set_up_data(review, chair_name=value)
        )
    assert "is a CSP chair of" in str(refused.value)
    review.refresh_from_db()
    assert review.chair_name == "Independent Chair"


def test_another_partnerships_csp_chair_may_chair_this_review(people):
    review = FACTORY_FOR_STATUS[Status.PROCEEDING](partnership=people.home)
    review = services.review_update_set_up(
        review=review,
        by=people.coordinator,
        data=_set_up_data(review, chair_name=people.other_chair.name),
    )
    assert review.chair_name == people.other_chair.name


def test_the_independent_chair_never_signs_off(people):
    """Sign-off is the CSP chair's: the transition needs the role, whoever chairs the review."""
    assert workflow.TRANSITIONS["sign_off"].role == "chair"
    review = FACTORY_FOR_STATUS[Status.DRAFTING](partnership=people.home)
    with pytest.raises(NotAllowed) as refused:
        services.review_transition(
            review=review, by=people.coordinator, action="sign_off", on=TODAY
        )
    assert str(refused.value) == "Only a CSP chair can do this."


def test_pages_say_which_chair(client, people):
    review = FACTORY_FOR_STATUS[Status.PROCEEDING](partnership=people.home)
    client.force_login(people.coordinator)
    page = client.get(reverse("reviews:set_up", args=[review.pk])).content.decode()
    assert "Independent chair" in page
    assert "not the CSP chair" in page
    pending = FACTORY_FOR_STATUS[Status.DECISION_PENDING](partnership=people.home)
    page = client.get(pending.get_absolute_url()).content.decode()
    assert "A CSP chair to record the decision" in page


def test_the_set_up_form_refuses_a_csp_chair_with_the_input_kept(client, people):
    review = FACTORY_FOR_STATUS[Status.PROCEEDING](partnership=people.home)
    client.force_login(people.coordinator)
    response = client.post(
        reverse("reviews:set_up", args=[review.pk]),
        {
            "chair_name": people.chair.name.lower(),
            "terms_of_reference": "Kept terms",
            "chair_appointed_on_0": "1",
            "chair_appointed_on_1": "3",
            "chair_appointed_on_2": "2025",
        },
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "There is a problem" in page
    assert "is a CSP chair of" in page
    assert "Kept terms" in page
    review.refresh_from_db()
    assert review.chair_name == "Independent Chair"


# The new forms: bad input and who may send them --------------------------------------------


def _waive_url(review, report):
    return reverse("reviews:agency_report_waive", args=[review.pk, report.pk])


def test_the_waiver_form_explains_bad_input_keeps_it_and_saves_nothing(client, people):
    review = FACTORY_FOR_STATUS[Status.AGENCY_REPORTS](partnership=people.home)
    report = _arrived_only(review)
    client.force_login(people.chair)
    response = client.post(_waive_url(review, report), {"reason": "Kept reason"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error:" in page
    assert "There is a problem" in page
    assert "Select the requirement you waive" in page
    assert "Kept reason" in page
    response = client.post(
        _waive_url(review, report), {"requirement": "staff_feedback", "reason": "  "}
    )
    page = response.content.decode()
    assert "Enter why the requirement is waived" in page
    assert 'value="staff_feedback" checked' in " ".join(page.split())
    response = client.post(
        _waive_url(review, report), {"requirement": "made_up", "reason": "Kept reason"}
    )
    assert "Select a valid choice" in response.content.decode()
    response = client.post(
        _waive_url(review, report), {"requirement": "staff_feedback", "reason": "x" * 2001}
    )
    assert "The reason must be 2000 characters or fewer" in response.content.decode()
    assert not AgencyReportWaiver.objects.exists()


def test_the_waiver_form_offers_only_what_is_still_needed(client, people):
    review = FACTORY_FOR_STATUS[Status.AGENCY_REPORTS](partnership=people.home)
    report = review.agency_reports.get()
    AgencyReport.objects.filter(pk=report.pk).update(staff_feedback_held=False)
    client.force_login(people.chair)
    page = client.get(_waive_url(review, report)).content.decode()
    assert "The staff feedback session" in page
    assert 'value="senior_sign_off"' not in page
    # A requirement met meanwhile is refused on the form, not saved.
    response = client.post(
        _waive_url(review, report), {"requirement": "senior_sign_off", "reason": "Kept"}
    )
    assert "Select a valid choice" in response.content.decode()
    client.post(_waive_url(review, report), {"requirement": "staff_feedback", "reason": "Gone"})
    # Nothing left to waive: the page is closed.
    assert client.get(_waive_url(review, report)).status_code == 403


@pytest.mark.parametrize(
    ("who", "status"),
    [("coordinator", 403), ("viewer", 403), ("other_chair", 404), ("agency_contact", 404)],
)
def test_only_the_csp_chair_may_send_the_waiver_form(client, people, who, status):
    review = FACTORY_FOR_STATUS[Status.AGENCY_REPORTS](partnership=people.home)
    review.viewers.add(people.viewer)
    report = _arrived_only(review)
    client.force_login(getattr(people, who))
    response = client.post(
        _waive_url(review, report), {"requirement": "staff_feedback", "reason": "Because"}
    )
    assert response.status_code == status
    assert not AgencyReportWaiver.objects.exists()


def test_the_agency_reports_page_offers_the_waiver_to_the_csp_chair_only(client, people):
    review = FACTORY_FOR_STATUS[Status.AGENCY_REPORTS](partnership=people.home)
    report = _arrived_only(review)
    url = reverse("reviews:agency_reports", args=[review.pk])
    client.force_login(people.chair)
    page = client.get(url).content.decode()
    assert _waive_url(review, report) in page
    assert "Received, not yet complete" in page
    client.force_login(people.coordinator)
    page = client.get(url).content.decode()
    assert _waive_url(review, report) not in page
    assert "Received, not yet complete" in page


def _reason_url(review):
    return reverse("reviews:no_recommendations", args=[review.pk])


def test_the_reason_form_explains_bad_input_and_saves_nothing(client, people):
    review = _plan_emptied(FACTORY_FOR_STATUS[Status.DRAFTING](partnership=people.home))
    client.force_login(people.chair)
    for data, message in [
        ({"reason": ""}, "Enter why the review makes no recommendations"),
        ({"reason": "   "}, "Enter why the review makes no recommendations"),
        ({"reason": "k" * 4001}, "The reason must be 4000 characters or fewer"),
    ]:
        response = client.post(_reason_url(review), data)
        page = response.content.decode()
        assert response.status_code == 200
        assert "There is a problem" in page
        assert message in page
    assert "k" * 4001 in page  # kept
    review.refresh_from_db()
    assert review.no_recommendations_reason == ""
    assert review.history.count() == 1


@pytest.mark.parametrize(
    ("who", "status"), [("coordinator", 403), ("viewer", 403), ("other_chair", 404)]
)
def test_only_the_csp_chair_may_send_the_reason(client, people, who, status):
    review = _plan_emptied(FACTORY_FOR_STATUS[Status.DRAFTING](partnership=people.home))
    review.viewers.add(people.viewer)
    client.force_login(getattr(people, who))
    assert client.post(_reason_url(review), {"reason": "None"}).status_code == status
    review.refresh_from_db()
    assert review.no_recommendations_reason == ""


def test_the_reason_page_is_closed_once_signed_off(client, people):
    review = FACTORY_FOR_STATUS[Status.SIGNED_OFF](partnership=people.home)
    client.force_login(people.chair)
    assert client.get(_reason_url(review)).status_code == 403


def test_the_whole_record_keeps_the_waivers(people):
    import io
    import json
    import zipfile

    from reviews.records import record_zip

    review = FACTORY_FOR_STATUS[Status.AGENCY_REPORTS](partnership=people.home)
    report = _arrived_only(review)
    services.agency_report_waive(
        report=report, by=people.chair, requirement="staff_feedback", reason="Left", on=TODAY
    )
    archive = zipfile.ZipFile(io.BytesIO(record_zip(review, by=people.coordinator)))
    [waiver] = json.loads(archive.read("agencyreportwaiver.json"))
    assert waiver["fields"]["reason"] == "Left"
    assert json.loads(archive.read("agencyreportwaiver-history.json"))
