"""The open deadlines of a set of reviews: one read, used by the dashboard, the review list and
the chase job, so that what a coordinator sees as due is exactly what gets chased.

Each deadline is found in SQL from the dates the review rows keep (see `clocks.py`): the
decision, telling the Home Office of it, the terms of reference (agreed within the decision's
month, briefing 6.5), the overview report (not while an agreed pause is running), the DARDR
scoping review, every agency report not yet received, every extension or pause of the clock
awaiting a chair, and telling the children's safeguarding partners of a review of a victim aged
16 or 17. Each says whom the chase reminds: the people the workflow is waiting for. The other
apps add theirs through `extensions.deadline_sources()`: action targets, update requests and QA
revision targets.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import OuterRef, QuerySet, Subquery
from django.urls import reverse

from dhr.models import Agency, Partnership
from reviews import clocks, extensions, workflow
from reviews.models import (
    AgeBand,
    AgencyReport,
    Extension,
    JointReview,
    ParallelProceeding,
    Review,
    Status,
)

REPLACED = [JointReview.REPLACED_CSPR, JointReview.REPLACED_SAR]


class Chase:
    """Whom a deadline's reminders go to."""

    COORDINATORS = "coordinators"
    CHAIRS = "chairs"  # with the coordinators copied in
    AGENCY = "agency"  # the agency's contacts (the coordinators when it has none)


@dataclass(frozen=True)
class Deadline:
    object_type: str  # with object_id and cycle, what the reminder log keys a deadline by
    object_id: str
    partnership: Partnership
    review: Review | None  # None for what spans a partnership's reviews (an update request)
    what: str
    due: date
    days_left: int
    chase: str = Chase.COORDINATORS
    cycle: str = ""  # changes only when the deadline is agreed anew (see `Reminder`)
    remind_before: bool = True  # False: chased from the day it falls due, not before
    agency: Agency | None = None
    url: str = ""
    statutory: date | None = None  # set when extensions or pauses moved the date
    agency_may_open: bool = False  # the url is a page the agency's contacts can open
    coordinators_form: bool = False  # the url is a form only the coordinators may send
    kind: str = ""  # what kind of task it is, as the work queues group them (`reviews.work`)
    # An agency report that arrived without its requirements: what is still to be recorded,
    # in words (`AgencyReport.incomplete`), for the agency's queue and reminders.
    missing: tuple[str, ...] = ()
    # The task as its doer reads it, where its words need the deadline's own context
    # (`reviews.work` words the others by kind).
    todo: str = ""

    @classmethod
    def on(cls, due: date, *, today: date, object_id, **fields) -> "Deadline":
        """A deadline falling due on `due`, seen from `today` (a statutory date kept only when
        the due date moved from it)."""
        if fields.get("statutory") == due:
            fields["statutory"] = None
        return cls(due=due, days_left=(due - today).days, object_id=str(object_id), **fields)

    @property
    def overdue(self) -> bool:
        return self.days_left < 0

    def reminder_step(self, today: date) -> int | None:
        """The reminder step this deadline has reached today under its partnership's settings
        (`clocks.reminder_step`; None before the first): the chase's rule, which the work
        queues follow too."""
        return clocks.reminder_step(
            self.due,
            today,
            days_before=self.partnership.reminder_days_before if self.remind_before else [0],
            overdue_every=self.partnership.overdue_reminder_every_days,
        )

    @property
    def title(self) -> str:
        """How the deadline's subject is named: the review's public title, or the partnership."""
        return self.review.public_title if self.review else self.partnership.name


def _decision_cycle(review: Review) -> str:
    """A decision asked for again (the QA panel's request to reconsider) is due anew, and so is
    telling the Home Office of it: their reminders start again."""
    asked = review.reconsideration_asked_on
    return f"reconsider-{asked.isoformat()}" if asked else ""


def _open(reviews: QuerySet[Review]) -> QuerySet[Review]:
    return reviews.exclude(joint_review__in=REPLACED)


def _agency_reports_open(reviews: QuerySet[Review]) -> QuerySet[AgencyReport]:
    """Not yet counting as received (arrived without its requirements, it is still owed)."""
    return AgencyReport.objects.outstanding().filter(
        review__in=reviews, review__status__in=workflow.AGENCY_REPORTS_DUE_IN
    )


def open_deadlines(
    *, reviews: QuerySet[Review], today: date, until: date | None = None
) -> list[Deadline]:
    """Every deadline of these reviews still to be met, due on or before `until` (all of them
    when None), soonest first."""
    reviews = _open(reviews).select_related("partnership")
    deadlines = []

    def add(review, object_type, object_id, what, due, **more):
        deadlines.append(
            Deadline.on(
                due,
                today=today,
                object_type=object_type,
                object_id=object_id,
                partnership=review.partnership,
                review=review,
                what=what,
                url=more.pop("url", None) or review.get_absolute_url(),
                **more,
            )
        )

    def upto(queryset, field):
        return queryset if until is None else queryset.filter(**{f"{field}__lte": until})

    # The decision, the report and the scoping review are dates on the review rows: one read of
    # the reviews whose clocks run, sorted out here (three reads of them cost a page more).
    # Each with its latest approved extension, whose agreement starts the report's reminders
    # anew.
    latest_extension = (
        Extension.objects.filter(review=OuterRef("pk"), status=Extension.Status.APPROVED)
        .order_by("-pk")
        .values("pk")[:1]
    )
    clocked = list(
        reviews.filter(
            status__in=workflow.DECISION_CLOCK_RUNS_IN | workflow.REPORT_CLOCK_RUNS_IN
        ).annotate(latest_extension=Subquery(latest_extension))
    )
    reporting = [r for r in clocked if r.status in workflow.REPORT_CLOCK_RUNS_IN]

    def by_until(day) -> bool:
        """Due on or before `until`, as a `__lte` filter would keep it (a missing date is not)."""
        return until is None or (day is not None and day <= until)

    deciding = [r for r in clocked if r.status in workflow.DECISION_CLOCK_RUNS_IN]
    for review in (r for r in deciding if by_until(r.decision_due_on)):
        waiting_for_chair = review.status == Status.DECISION_PENDING
        add(
            review,
            "review.decision",
            review.pk,
            "Fresh decision, as the Home Office QA panel asked"
            if review.reconsideration_asked_on
            else "Decision on whether to hold a review",
            review.decision_due_on,
            chase=Chase.CHAIRS if waiting_for_chair else Chase.COORDINATORS,
            cycle=_decision_cycle(review),
            kind="decision",
        )

    untold = upto(
        reviews.filter(
            status__in=workflow.HOME_OFFICE_TOLD_DUE_IN,
            decided_on__isnull=False,
            home_office_told_on__isnull=True,
            decision_due_on__isnull=False,
        ),
        "decision_due_on",
    )
    for review in untold:
        add(
            review,
            "review.home_office_notice",
            review.pk,
            "Notice of the fresh decision to the Home Office"
            if review.reconsideration_asked_on
            else "Notice of the decision to the Home Office",
            review.decision_due_on,
            url=reverse("reviews:home_office_told", args=[review.pk]),
            cycle=_decision_cycle(review),
            kind="home-office-notice",
            coordinators_form=True,
        )

    # A victim aged 16 or 17: the safeguarding partners are told, by the decision's date
    # (`clocks.safeguarding_notice_due`: no period of its own is given).
    untold_partners = upto(
        reviews.filter(
            status__in=workflow.SAFEGUARDING_NOTICE_DUE_IN,
            victim_age_band=AgeBand.UNDER_18,
            safeguarding_told_on__isnull=True,
            decision_due_on__isnull=False,
        ),
        "decision_due_on",
    )
    for review in untold_partners:
        add(
            review,
            "review.safeguarding_notice",
            review.pk,
            "Notice of the review to the children's safeguarding partners",
            clocks.safeguarding_notice_due(review),
            url=reverse("reviews:safeguarding_told", args=[review.pk]),
            cycle=_decision_cycle(review),
            kind="safeguarding-notice",
            coordinators_form=True,
        )

    reports = [
        r
        for r in reporting
        if r.report_paused_since is None
        and r.report_due_on is not None
        and by_until(r.report_due_on)
    ]
    for review in reports:
        extension = review.latest_extension
        add(
            review,
            "review.report",
            review.pk,
            "Overview report and executive summary",
            review.report_due_on,
            cycle=f"extension-{extension}" if extension else "",
            statutory=clocks.statutory_report_due(review),
            kind="report",
        )

    # The terms of reference, due within the decision's month (`clocks.terms_of_reference_due`):
    # chased from the decision to hold a review until their agreement is recorded (set-up
    # cannot be completed without it).
    for review in (r for r in reporting if r.terms_of_reference_agreed_on is None):
        terms_due = clocks.terms_of_reference_due(review)
        if terms_due is not None and by_until(terms_due):
            add(
                review,
                "review.terms_of_reference",
                review.pk,
                "Terms of reference",
                terms_due,
                url=reverse("reviews:set_up", args=[review.pk]),
                kind="terms-of-reference",
                coordinators_form=True,
            )

    scoping = [r for r in reporting if r.scoping_completed_on is None]
    for review in (r for r in scoping if r.scoping_due_on and by_until(r.scoping_due_on)):
        add(
            review,
            "review.scoping",
            review.pk,
            "Scoping review",
            review.scoping_due_on,
            kind="scoping",
        )

    agency_reports = upto(_agency_reports_open(reviews), "due_on")
    agency_reports = agency_reports.select_related("agency", "review__partnership")
    for report in agency_reports.prefetch_related("waivers"):
        add(
            report.review,
            "agency_report",
            report.pk,
            f"Agency report (IMR) from {report.agency.name}"
            + (" (received, not yet complete)" if report.received_on else ""),
            report.due_on,
            chase=Chase.AGENCY,
            cycle=report.due_on.isoformat(),  # a new due date agreed with the agency
            agency=report.agency,
            url=reverse("reviews:agency_reports", args=[report.review_id]),
            kind="imr",
            missing=tuple(report.incomplete()) if report.received_on else (),
        )

    awaiting = Extension.objects.filter(
        review__in=reviews.filter(status__in=workflow.REPORT_CLOCK_RUNS_IN),
        status=Extension.Status.REQUESTED,
    ).select_related("review__partnership")
    if until is not None:
        awaiting = awaiting.filter(
            requested_on__lte=until - timedelta(days=clocks.EXTENSION_DECISION_DAYS)
        )
    for extension in awaiting:
        add(
            extension.review,
            "extension",
            extension.pk,
            f"Decision on the extension to {extension.new_due_on:%-d %B %Y}",
            extension.requested_on + timedelta(days=clocks.EXTENSION_DECISION_DAYS),
            chase=Chase.CHAIRS,
            remind_before=False,  # the chairs were told when it was asked for
            # The review's page: chairs decide from there, and anyone else sees it is awaited.
            url=reverse("reviews:detail", args=[extension.review_id]) + "#awaiting-extension",
            kind="extension",
            todo=f"Decide on the extension to {extension.new_due_on:%-d %B %Y}",
        )

    asked = ParallelProceeding.objects.filter(
        review__in=reviews.filter(status__in=workflow.PAUSE_DECIDED_IN),
        pause_status=ParallelProceeding.PauseStatus.REQUESTED,
    ).select_related("review__partnership")
    if until is not None:
        asked = asked.filter(
            pause_requested_on__lte=until - timedelta(days=clocks.EXTENSION_DECISION_DAYS)
        )
    for proceeding in asked:
        add(
            proceeding.review,
            "proceeding.pause",
            proceeding.pk,
            f"Decision on pausing the clock: {proceeding.described}",
            proceeding.pause_requested_on + timedelta(days=clocks.EXTENSION_DECISION_DAYS),
            chase=Chase.CHAIRS,
            remind_before=False,  # the chairs were told when it was asked for
            # The proceedings page, which anyone on the review may read: chairs decide from
            # there (their work queue links to the decision itself).
            url=reverse("reviews:proceedings", args=[proceeding.review_id])
            + f"#proceeding-{proceeding.pk}",
            kind="pause",
            todo=f"Decide on pausing the clock: {proceeding.described}",
        )

    # The apps above add theirs (action targets, update requests, QA revisions).
    for source in extensions.deadline_sources():
        deadlines += source(reviews=reviews, today=today, until=until)
    deadlines.sort(key=lambda d: (d.due, d.title, d.object_type, d.object_id))
    return deadlines


def paused_reviews(reviews: QuerySet[Review]) -> QuerySet[Review]:
    """Reviews whose report clock a parallel proceeding has stopped."""
    return _open(reviews).filter(
        status__in=workflow.REPORT_CLOCK_RUNS_IN, report_paused_since__isnull=False
    )


def overdue_reviews(reviews: QuerySet[Review], today: date) -> QuerySet[Review]:
    """Reviews with a deadline past: any of `open_deadlines` (the dashboard's and the chase's
    list, every app's included: actions, requests for updates, revised reports after QA)."""
    late = open_deadlines(reviews=reviews, today=today, until=today - timedelta(days=1))
    return reviews.filter(pk__in={d.review.pk for d in late if d.review is not None})


def of_review(review: Review, today: date) -> list[Deadline]:
    """One review's open deadlines (its review page's "Overdue" and dates), from the same read
    as everyone's: none of its partnership's that belong to no review."""
    found = open_deadlines(reviews=Review.objects.filter(pk=review.pk), today=today)
    return [d for d in found if d.review is not None and d.review.pk == review.pk]


def next_deadlines(reviews: list[Review], today: date) -> dict[int, Deadline]:
    """Each review's most urgent open deadline (the longest overdue, or the soonest due), read
    for all of them at once: what the review list shows as its next date."""
    found: dict[int, Deadline] = {}
    ids = [review.pk for review in reviews]
    for deadline in open_deadlines(reviews=Review.objects.filter(pk__in=ids), today=today):
        if deadline.review is not None:
            found.setdefault(deadline.review.pk, deadline)  # soonest first
    return found
