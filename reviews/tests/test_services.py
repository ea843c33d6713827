from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from dhr.errors import NotAllowed, TransitionError
from dhr.models import AuditEvent
from reviews import services, workflow
from reviews.demo import minimal_pdf, pdf_upload
from reviews.models import Status
from reviews.tests.factories import FACTORY_FOR_STATUS, PoliceFactory, ReviewProceedingFactory


def _notification(force, **overrides):
    data = {
        "notifying_force": force,
        "notified_on": date(2025, 3, 4),
        "death_type": "homicide",
        "victim_pseudonym": "Mary",
        "victim_age_band": "35-44",
        "victim_sex": "female",
        "relationship": "intimate_partner",
        "children_in_household": 0,
    }
    data.update(overrides)
    return data


def test_notifications_are_numbered_per_partnership_and_year(people):
    force = PoliceFactory()
    first = services.review_notify(
        partnership=people.home, by=people.coordinator, data=_notification(force)
    )
    second = services.review_notify(
        partnership=people.home, by=people.coordinator, data=_notification(force)
    )
    other = services.review_notify(
        partnership=people.away, by=people.other_coordinator, data=_notification(force)
    )
    next_year = services.review_notify(
        partnership=people.home,
        by=people.coordinator,
        data=_notification(force, notified_on=date(2026, 1, 2)),
    )
    assert [first.reference, second.reference] == ["DHR-2025-01", "DHR-2025-02"]
    assert other.reference == "DHR-2025-01"
    assert next_year.reference == "DHR-2026-01"
    assert first.status == Status.NOTIFIED
    assert first.history.get().history_user == people.coordinator


@pytest.mark.parametrize("role", ["chair", "viewer", "other_coordinator", "agency_contact"])
def test_only_the_partnerships_coordinators_record_notifications(people, role):
    with pytest.raises(NotAllowed):
        services.review_notify(
            partnership=people.home, by=getattr(people, role), data=_notification(PoliceFactory())
        )


def test_report_versions_are_numbered_per_document(people):
    review = FACTORY_FOR_STATUS[Status.DRAFTING](partnership=people.home)
    version = services.report_version_add(
        review=review, by=people.coordinator, kind="overview", upload=pdf_upload("v2.pdf")
    )
    assert version.version == 2
    assert version.document.original_name == "v2.pdf"
    assert version.document.file.name.startswith(f"documents/{review.pk}/")
    assert "v2" not in version.document.file.name  # stored under a random name


def test_a_failed_upload_keeps_no_document(people):
    review = FACTORY_FOR_STATUS[Status.DRAFTING](partnership=people.home)
    before = review.documents.count()
    with pytest.raises(ValidationError):
        services.report_version_add(
            review=review,
            by=people.coordinator,
            kind="overview",
            upload=SimpleUploadedFile("x.pdf", b"not a pdf"),
        )
    assert review.documents.count() == before


def test_stage_records_cannot_change_after_submission(people):
    review = FACTORY_FOR_STATUS[Status.SUBMITTED](partnership=people.home)
    with pytest.raises(TransitionError, match="can no longer be changed"):
        services.review_update_set_up(
            review=review, by=people.coordinator, data={"chair_name": "X"}
        )


def test_agreeing_the_pseudonym_renames_the_review_everywhere(people):
    review = ReviewProceedingFactory(partnership=people.home)
    review = services.review_agree_pseudonym(review=review, by=people.coordinator, pseudonym="Rosa")
    assert review.public_title == f"{review.reference} 'Rosa'"
    assert review.victim_pseudonym_agreed_with_family


def test_joint_review_marks_a_replaced_review_closed(people):
    review = ReviewProceedingFactory(partnership=people.home)
    review = services.review_set_joint_review(
        review=review, by=people.coordinator, joint_review="replaced_sar", notes="SAR instead"
    )
    assert review.is_closed


def test_document_download_is_an_audited_attachment(client, people):
    review = FACTORY_FOR_STATUS[Status.DRAFTING](partnership=people.home)
    document = review.documents.first()
    client.force_login(people.chair)
    response = client.get(document.get_absolute_url())
    body = b"".join(response.streaming_content)
    assert body == minimal_pdf()
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert AuditEvent.objects.filter(
        user=people.chair, kind=AuditEvent.Kind.DOCUMENT_DOWNLOADED, object_id=str(document.pk)
    ).exists()


def test_a_document_of_another_review_is_404_even_with_a_known_review(client, people):
    mine = FACTORY_FOR_STATUS[Status.DRAFTING](partnership=people.home)
    theirs = FACTORY_FOR_STATUS[Status.DRAFTING](partnership=people.away)
    client.force_login(people.coordinator)
    url = f"/reviews/{mine.pk}/documents/{theirs.documents.first().pk}/"
    assert client.get(url).status_code == 404


def test_demo_data_loads_once_and_spans_every_stage(db):
    from reviews import demo
    from reviews.models import Review

    demo.load()
    count = Review.objects.count()
    demo.load()
    assert Review.objects.count() == count >= 8
    # Every stage up to submission: the QA letters' demo takes some further, and the action
    # plans' demo concludes one (see recommendations' test of the whole demo).
    before_qa = set(Status) - workflow.AFTER_SUBMISSION | {Status.SUBMITTED}
    assert set(Review.objects.values_list("status", flat=True)) == before_qa


def test_only_the_partnerships_viewers_can_be_given_a_review(people):
    review = ReviewProceedingFactory(partnership=people.home)
    services.review_set_viewers(review=review, by=people.coordinator, viewers=[people.viewer])
    assert list(review.viewers.all()) == [people.viewer]
    assert review.history.latest().history_change_reason == f"Viewers changed: {people.viewer}"
    for outsider in (people.other_viewer, people.chair):
        with pytest.raises(NotAllowed):
            services.review_set_viewers(review=review, by=people.coordinator, viewers=[outsider])
    with pytest.raises(NotAllowed):
        services.review_set_viewers(review=review, by=people.chair, viewers=[])
    assert list(review.viewers.all()) == [people.viewer]
