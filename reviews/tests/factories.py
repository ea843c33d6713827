"""Factories: one per review state, each with the records that state implies."""

from datetime import date, timedelta

import factory
from factory.django import DjangoModelFactory

from dhr.models import Agency, AgencyContact, Membership, Partnership, Role, User
from reviews import services
from reviews.demo import pdf_upload
from reviews.models import AgencyReport, PanelMember, ReportVersion, Review, Status


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    name = factory.Sequence(lambda n: f"Person {n}")
    password = factory.django.Password("test-password-1")


class PartnershipFactory(DjangoModelFactory):
    class Meta:
        model = Partnership
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Partnership {n} CSP")
    slug = factory.Sequence(lambda n: f"partnership-{n}")
    area = "Fictional area"


class AgencyFactory(DjangoModelFactory):
    class Meta:
        model = Agency
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Agency {n}")
    kind = Agency.Kind.HEALTH


class PoliceFactory(AgencyFactory):
    name = factory.Sequence(lambda n: f"Police force {n}")
    kind = Agency.Kind.POLICE


class MembershipFactory(DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    partnership = factory.SubFactory(PartnershipFactory)
    role = Role.COORDINATOR


class AgencyContactFactory(DjangoModelFactory):
    class Meta:
        model = AgencyContact
        skip_postgeneration_save = True

    user = factory.SubFactory(UserFactory)
    agency = factory.SubFactory(AgencyFactory)

    @factory.post_generation
    def partnerships(self, create, extracted, **kwargs):
        """The partnerships given; without any, every partnership there is now, as the upgrade
        gave the contacts there were (dhr migration 0017)."""
        if create:
            self.partnerships.set(extracted if extracted is not None else Partnership.objects.all())


NOTIFIED_ON = date(2025, 1, 31)


class ReviewFactory(DjangoModelFactory):
    """A review just notified."""

    class Meta:
        model = Review
        skip_postgeneration_save = True

    partnership = factory.SubFactory(PartnershipFactory)
    # Three digits from 100: never one of the two-digit references tests write by hand.
    reference = factory.Sequence(lambda n: f"DHR-2025-{n + 100}")
    status = Status.NOTIFIED
    notifying_force = factory.SubFactory(PoliceFactory)
    notified_on = NOTIFIED_ON
    death_type = "homicide"
    date_of_death = NOTIFIED_ON - timedelta(days=4)
    victim_pseudonym = "Mary"
    victim_name = "Fictional Victim Name"
    victim_date_of_birth = date(1980, 3, 3)
    victim_age_band = "35-44"
    victim_sex = "female"
    perpetrator_pseudonym = "John"
    perpetrator_name = "Fictional Perpetrator Name"
    perpetrator_date_of_birth = date(1978, 5, 6)
    relationship = "intimate_partner"

    @factory.post_generation
    def clock_dates(obj, create, extracted, **kwargs):
        """The statutory dates the row keeps, as the services would have written them."""
        if create:
            services.review_refresh_clock_dates(review=obj)


class ReviewDecisionPendingFactory(ReviewFactory):
    status = Status.DECISION_PENDING
    referred_for_decision_on = NOTIFIED_ON + timedelta(days=7)


class ReviewNotProceedingFactory(ReviewDecisionPendingFactory):
    status = Status.NOT_PROCEEDING
    decided_on = NOTIFIED_ON + timedelta(days=20)
    proceed = False
    decision_reasons = "Criteria not met"
    home_office_told_on = NOTIFIED_ON + timedelta(days=21)


class ReviewProceedingFactory(ReviewDecisionPendingFactory):
    status = Status.PROCEEDING
    decided_on = NOTIFIED_ON + timedelta(days=20)
    proceed = True
    decision_reasons = "Criteria met"
    home_office_told_on = NOTIFIED_ON + timedelta(days=21)


class ReviewReadyForSetUpFactory(ReviewProceedingFactory):
    """Proceeding, with everything set-up needs recorded."""

    chair_name = "Independent Chair"
    chair_appointed_on = NOTIFIED_ON + timedelta(days=30)
    chair_independence_confirmed = True
    chair_training_confirmed = True
    terms_of_reference = "Terms"
    terms_of_reference_agreed_on = NOTIFIED_ON + timedelta(days=40)

    @factory.post_generation
    def panel(obj, create, extracted, **kwargs):
        if create:
            PanelMember.objects.create(review=obj, name="Panel Member", role="Member")


class ReviewSetUpFactory(ReviewReadyForSetUpFactory):
    status = Status.SET_UP
    set_up_completed_on = NOTIFIED_ON + timedelta(days=41)

    @factory.post_generation
    def reports(obj, create, extracted, **kwargs):
        if create:
            AgencyReport.objects.create(
                review=obj,
                agency=AgencyFactory(),
                requested_on=NOTIFIED_ON + timedelta(days=42),
                due_on=NOTIFIED_ON + timedelta(days=100),
            )


class ReviewAgencyReportsFactory(ReviewSetUpFactory):
    status = Status.AGENCY_REPORTS
    agency_reports_started_on = NOTIFIED_ON + timedelta(days=42)


class ReviewReadyToDraftFactory(ReviewAgencyReportsFactory):
    """At the agency reports stage, with every report received."""

    @factory.post_generation
    def received(obj, create, extracted, **kwargs):
        if create:
            obj.agency_reports.update(
                received_on=NOTIFIED_ON + timedelta(days=110),
                author="Author",
                author_independence_confirmed=True,
                senior_sign_off_by="Senior Manager",
                signed_off_on=NOTIFIED_ON + timedelta(days=108),
                staff_feedback_held=True,
            )


class ReviewDraftingFactory(ReviewReadyToDraftFactory):
    status = Status.DRAFTING
    drafting_started_on = NOTIFIED_ON + timedelta(days=120)


class ReviewReadyToSignOffFactory(ReviewDraftingFactory):
    """Drafting, with both documents uploaded."""

    @factory.post_generation
    def versions(obj, create, extracted, **kwargs):
        if create:
            uploader = UserFactory()
            for kind in ReportVersion.Kind:
                document = obj.documents.create(
                    file=pdf_upload(f"{kind.value}.pdf"),
                    original_name=f"{kind.value}.pdf",
                    content_type="application/pdf",
                    size=100,
                    uploaded_by=uploader,
                )
                ReportVersion.objects.create(
                    review=obj, kind=kind, version=1, document=document, uploaded_by=uploader
                )

    @factory.post_generation
    def plan(obj, create, extracted, **kwargs):
        """A recommendation in its action plan, as sign-off needs (the later states' factories
        leave the plan to the tests that need one)."""
        if create and obj.status == Status.DRAFTING:
            from recommendations.models import Recommendation  # the app above, in tests only

            Recommendation.objects.create(
                review=obj, number=1, text="Agencies share risk", lead_agency=AgencyFactory()
            )


class ReviewSignedOffFactory(ReviewReadyToSignOffFactory):
    status = Status.SIGNED_OFF
    signed_off_on = NOTIFIED_ON + timedelta(days=200)


class ReviewSubmittedFactory(ReviewSignedOffFactory):
    status = Status.SUBMITTED
    submitted_on = NOTIFIED_ON + timedelta(days=210)


class ReviewQAFeedbackFactory(ReviewSubmittedFactory):
    """The QA letter recorded (the letter itself comes from qa_feedback's factories)."""

    status = Status.QA_FEEDBACK
    qa_feedback_received_on = NOTIFIED_ON + timedelta(days=270)


class ReviewRevisingFactory(ReviewQAFeedbackFactory):
    status = Status.REVISING
    revision_started_on = NOTIFIED_ON + timedelta(days=272)


class ReviewApprovedFactory(ReviewRevisingFactory):
    status = Status.APPROVED
    approved_for_publication_on = NOTIFIED_ON + timedelta(days=285)


class ReviewPublishedFactory(ReviewApprovedFactory):
    status = Status.PUBLISHED
    published_on = NOTIFIED_ON + timedelta(days=295)
    published_url = "https://example.org/community-safety/dhr-published.pdf"


class ReviewMonitoringFactory(ReviewPublishedFactory):
    status = Status.MONITORING
    monitoring_started_on = NOTIFIED_ON + timedelta(days=300)


class ReviewConcludedFactory(ReviewMonitoringFactory):
    status = Status.CONCLUDED
    concluded_on = NOTIFIED_ON + timedelta(days=700)
    closing_audit = "Every action was checked against its evidence."


FACTORY_FOR_STATUS = {
    Status.NOTIFIED: ReviewFactory,
    Status.DECISION_PENDING: ReviewDecisionPendingFactory,
    Status.NOT_PROCEEDING: ReviewNotProceedingFactory,
    Status.PROCEEDING: ReviewReadyForSetUpFactory,
    Status.SET_UP: ReviewSetUpFactory,
    Status.AGENCY_REPORTS: ReviewReadyToDraftFactory,
    Status.DRAFTING: ReviewReadyToSignOffFactory,
    Status.SIGNED_OFF: ReviewSignedOffFactory,
    Status.SUBMITTED: ReviewSubmittedFactory,
    Status.QA_FEEDBACK: ReviewQAFeedbackFactory,
    Status.REVISING: ReviewRevisingFactory,
    Status.APPROVED: ReviewApprovedFactory,
    Status.PUBLISHED: ReviewPublishedFactory,
    Status.MONITORING: ReviewMonitoringFactory,
    Status.CONCLUDED: ReviewConcludedFactory,
}


def agreed_pause(review, *, coordinator, chair, on=None, **data):
    """A parallel proceeding whose pause of the clock a coordinator asked for and a chair agreed
    (decision 0013: only then does it stop the report's clock). `data`: kind, started_on,
    ended_on, outcome."""
    on = on or data["started_on"]
    proceeding = services.proceeding_save(
        review=review,
        by=coordinator,
        data={"kind": "criminal_trial", "effect": "pause", **data},
        on=on,
    )
    return services.proceeding_pause_decide(
        proceeding=proceeding, by=chair, agree=True, decided_on=on, comment=""
    )
