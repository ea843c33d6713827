"""Factories for action plans, built on the reviews' factories: one per state, each with the
records that state implies."""

from datetime import date
from types import SimpleNamespace

import factory
from django.core.files.base import ContentFile
from django.db.models import Max
from django.utils import timezone
from factory.django import DjangoModelFactory

from recommendations.models import (
    Action,
    ActionUpdate,
    EscalatedAction,
    Escalation,
    Evidence,
    Recommendation,
)
from reviews.demo import minimal_pdf
from reviews.models import Status
from reviews.tests.factories import (
    FACTORY_FOR_STATUS,
    AgencyFactory,
    ReviewSubmittedFactory,
    UserFactory,
)

TARGET_DATE = date(2026, 6, 1)


def _next_number(recommendation) -> int:
    latest = recommendation.review.recommendations.aggregate(n=Max("number"))["n"]
    return (latest or 0) + 1


class RecommendationFactory(DjangoModelFactory):
    """A recommendation numbered after the review's last one."""

    class Meta:
        model = Recommendation
        skip_postgeneration_save = True

    review = factory.SubFactory(ReviewSubmittedFactory)
    number = factory.LazyAttribute(_next_number)
    text = factory.Sequence(lambda n: f"Recommendation text {n}")
    scope = "local"
    lead_agency = factory.SubFactory(AgencyFactory)


class ActionFactory(DjangoModelFactory):
    """An action not started, owned by its recommendation's lead agency."""

    class Meta:
        model = Action
        skip_postgeneration_save = True

    recommendation = factory.SubFactory(RecommendationFactory)
    description = factory.Sequence(lambda n: f"Action description {n}")
    owner_agency = factory.LazyAttribute(lambda o: o.recommendation.lead_agency)
    target_date = TARGET_DATE
    completion_evidence = "Training records"


class ActionInProgressFactory(ActionFactory):
    status = Action.Status.IN_PROGRESS


class ActionCompletedFactory(ActionFactory):
    status = Action.Status.COMPLETED
    completed_on = date(2026, 5, 1)


class ActionNotApplicableFactory(ActionFactory):
    status = Action.Status.NOT_APPLICABLE
    not_applicable_reason = "The service was decommissioned"


class ActionUpdateFactory(DjangoModelFactory):
    """An update awaiting the coordinator, saying work has started."""

    class Meta:
        model = ActionUpdate
        skip_postgeneration_save = True

    action = factory.SubFactory(ActionFactory)
    author = factory.SubFactory(UserFactory)
    new_status = Action.Status.IN_PROGRESS
    narrative = "Work has started"


class EvidenceFactory(DjangoModelFactory):
    """A small, real PDF sent with an update."""

    class Meta:
        model = Evidence
        skip_postgeneration_save = True

    update = factory.SubFactory(ActionUpdateFactory)
    file = factory.LazyFunction(lambda: ContentFile(minimal_pdf(), name="evidence.pdf"))
    original_name = "evidence.pdf"
    content_type = "application/pdf"
    size = factory.LazyAttribute(lambda o: o.file.size)
    uploaded_by = factory.LazyAttribute(lambda o: o.update.author)


class EscalationProposedFactory(DjangoModelFactory):
    """An action escalated by a coordinator, awaiting the chair: the escalation of its agency on
    its review, covering it (and any `more` actions of the agency on the review)."""

    class Meta:
        model = Escalation
        skip_postgeneration_save = True

    action = factory.SubFactory(ActionFactory)
    more = ()
    partnership = factory.LazyAttribute(lambda o: o.action.recommendation.review.partnership)
    agency = factory.LazyAttribute(lambda o: o.action.owner_agency)
    review = factory.LazyAttribute(lambda o: o.action.recommendation.review)
    reason = "No reply to two requests"

    @classmethod
    def _create(cls, model_class, *args, action, more, **kwargs):
        escalation = super()._create(model_class, *args, **kwargs)
        for covered in [action, *more]:
            EscalatedAction.objects.create(escalation=escalation, action=covered)
        return escalation


class EscalationApprovedFactory(EscalationProposedFactory):
    """Approved by the chair, with its letter kept (a stand-in PDF: printing one is tested with
    the escalation service)."""

    status = Escalation.Status.APPROVED
    decided_by = factory.SubFactory(UserFactory)
    decided_at = factory.LazyFunction(timezone.now)
    letter = factory.LazyFunction(lambda: ContentFile(minimal_pdf("Letter"), name="letter.pdf"))
    letter_sent_to = "chief.executive@example.org"


def plan_for(people, status: Status = Status.SUBMITTED) -> SimpleNamespace:
    """A review of the home partnership at `status` (submitted unless asked), given to the
    viewer, with one recommendation whose one action the involved agency owns."""
    review = FACTORY_FOR_STATUS[status](partnership=people.home)
    review.viewers.add(people.viewer)
    recommendation = RecommendationFactory(review=review, lead_agency=people.involved_agency)
    action = ActionFactory(recommendation=recommendation, description="Train the triage staff")
    return SimpleNamespace(review=review, recommendation=recommendation, action=action)
