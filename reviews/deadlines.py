"""The open deadlines of a set of reviews: one read, used by the dashboard, the review list and
the chase job, so that what a coordinator sees as due is exactly what gets chased.

Each deadline is found in SQL from the dates the review rows keep (see `clocks.py`): the
decision, the overview report (not while a pause is running), the DARDR scoping review and every
agency report not yet received. Later issues add action targets, update requests and QA
revision targets here.
"""

from dataclasses import dataclass
from datetime import date

from django.db.models import Q, QuerySet
from django.urls import reverse

from dhr.models import Agency
from reviews import clocks, workflow
from reviews.models import AgencyReport, JointReview, Review

REPLACED = [JointReview.REPLACED_CSPR, JointReview.REPLACED_SAR]


@dataclass(frozen=True)
class Deadline:
    object_type: str  # with object_id, what the reminder log keys a deadline by
    object_id: str
    review: Review
    what: str
    due: date
    days_left: int
    agency: Agency | None = None  # set when the agency's contacts are the ones to chase
    url: str = ""
    statutory: date | None = None  # set when extensions or pauses moved the date

    @property
    def overdue(self) -> bool:
        return self.days_left < 0


def _open(reviews: QuerySet[Review]) -> QuerySet[Review]:
    return reviews.exclude(joint_review__in=REPLACED)


def open_deadlines(
    *, reviews: QuerySet[Review], today: date, until: date | None = None
) -> list[Deadline]:
    """Every deadline of these reviews still to be met, due on or before `until` (all of them
    when None), soonest first."""
    reviews = _open(reviews).select_related("partnership")
    deadlines = []

    def add(review, object_type, object_id, what, due, agency=None, url=None, statutory=None):
        deadlines.append(
            Deadline(
                object_type=object_type,
                object_id=str(object_id),
                review=review,
                what=what,
                due=due,
                days_left=(due - today).days,
                agency=agency,
                url=url or review.get_absolute_url(),
                statutory=statutory if statutory != due else None,
            )
        )

    decisions = reviews.filter(status__in=workflow.DECISION_CLOCK_RUNS_IN)
    reports = reviews.filter(
        status__in=workflow.REPORT_CLOCK_RUNS_IN, report_paused_since__isnull=True
    ).exclude(report_due_on__isnull=True)
    if until is not None:
        decisions = decisions.filter(decision_due_on__lte=until)
        reports = reports.filter(report_due_on__lte=until)
    for review in decisions:
        add(
            review,
            "review.decision",
            review.pk,
            "Decision on whether to hold a review",
            review.decision_due_on,
        )
    for review in reports:
        add(
            review,
            "review.report",
            review.pk,
            "Overview report and executive summary",
            review.report_due_on,
            statutory=clocks.statutory_report_due(review),
        )

    scoping_versions = [v for v, rules in clocks.RULES.items() if rules.has_scoping_review]
    scoping = reviews.filter(
        guidance_version__in=scoping_versions,
        status__in=workflow.REPORT_CLOCK_RUNS_IN,
        scoping_completed_on__isnull=True,
    )
    for review in scoping:
        due = clocks.scoping_due(review)
        if due is not None and (until is None or due <= until):
            add(review, "review.scoping", review.pk, "Scoping review", due)

    agency_reports = AgencyReport.objects.filter(
        review__in=reviews,
        review__status__in=workflow.AGENCY_REPORTS_DUE_IN,
        received_on__isnull=True,
    ).select_related("agency", "review__partnership")
    if until is not None:
        agency_reports = agency_reports.filter(due_on__lte=until)
    for report in agency_reports:
        add(
            report.review,
            "agency_report",
            report.pk,
            f"Agency report (IMR) from {report.agency.name}",
            report.due_on,
            agency=report.agency,
            url=reverse("reviews:agency_reports", args=[report.review_id]),
        )
    deadlines.sort(key=lambda d: (d.due, d.review.reference, d.object_type))
    return deadlines


def paused_reviews(reviews: QuerySet[Review]) -> QuerySet[Review]:
    """Reviews whose report clock a parallel proceeding has stopped."""
    return _open(reviews).filter(
        status__in=workflow.REPORT_CLOCK_RUNS_IN, report_paused_since__isnull=False
    )


def overdue_reviews(reviews: QuerySet[Review], today: date) -> QuerySet[Review]:
    """Reviews past the statutory date they are working towards (decision or report)."""
    return _open(reviews).filter(
        Q(status__in=workflow.DECISION_CLOCK_RUNS_IN, decision_due_on__lt=today)
        | Q(
            status__in=workflow.REPORT_CLOCK_RUNS_IN,
            report_paused_since__isnull=True,
            report_due_on__lt=today,
        )
    )
