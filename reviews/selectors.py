"""Every read of reviews that a view makes, scoped to the user.

`reviews_visible_to(user)` is the one rule: the reviews this user may know of. Lists use it as
it is; a single review is looked up through it, so a review outside it is a 404, never a 403.
"""

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from dhr.models import AuditEvent, OutgoingEmail, Partnership, Role, User
from dhr.permissions import is_admin, partnership_ids_with
from reviews import chronology, clocks, work, workflow
from reviews.deadlines import REPLACED, next_deadlines, paused_reviews
from reviews.models import (
    AgeBand,
    DecisionQAView,
    Extension,
    ParallelProceeding,
    Reminder,
    Review,
    Status,
)


def reviews_visible_to(user) -> QuerySet[Review]:
    """Admins: every review. Coordinators and chairs: all of their partnerships' reviews.
    Viewers: the reviews of their partnership they have been given. Others: none."""
    reviews = Review.objects.select_related("partnership", "notifying_force")
    if not user.is_authenticated:
        return reviews.none()
    if is_admin(user):
        return reviews
    owned = partnership_ids_with(user, Role.COORDINATOR, Role.CHAIR)
    viewed = partnership_ids_with(user, Role.VIEWER)
    rule = reviews.filter(partnership_id__in=owned)
    if viewed:
        rule = rule | reviews.filter(partnership_id__in=viewed, viewers=user)
    return rule.distinct() if viewed else rule


def review_get(*, user, pk: int) -> Review:
    return get_object_or_404(reviews_visible_to(user), pk=pk)


def review_list(*, user) -> QuerySet[Review]:
    return reviews_visible_to(user).order_by("-notified_on", "-pk")


def review_list_spans_partnerships(user) -> bool:
    """Whether the reviews the user may list can come from more than one partnership: an
    administrator's (once there are two partnerships), or those of someone with a role in
    several. Only then does the list name each review's partnership."""
    if is_admin(user):
        return Partnership.objects.count() > 1
    return len(partnership_ids_with(user, Role.COORDINATOR, Role.CHAIR, Role.VIEWER)) > 1


def partnerships_recording_for(user) -> QuerySet[Partnership]:
    """The partnerships in which the user may record a new notification."""
    if is_admin(user):
        return Partnership.objects.all()
    return Partnership.objects.filter(pk__in=partnership_ids_with(user, Role.COORDINATOR))


def may_record_notifications(user) -> bool:
    """Whether `partnerships_recording_for(user)` has any: from the user's roles, already read
    for the request, without asking the database again (a membership's partnership exists)."""
    if is_admin(user):
        return Partnership.objects.exists()
    return bool(partnership_ids_with(user, Role.COORDINATOR))


def audit_events(*, review: Review) -> QuerySet[AuditEvent]:
    """Every audited read of the review (confidential fields seen, files downloaded)."""
    return (
        AuditEvent.objects.filter(review_id=review.pk).select_related("user").order_by("-at", "-pk")
    )


def clock_inputs(review: Review) -> tuple[list[clocks.Pause], clocks.Extension | None]:
    """What moves the report's clock: the proceedings whose pause a chair agreed (decision
    0013: none by being recorded), and the latest approved extension."""
    agreed = review.proceedings.filter(pause_status=ParallelProceeding.PauseStatus.AGREED)
    pauses = [clocks.Pause(p.started_on, p.ended_on) for p in agreed]
    latest = (
        review.extensions.filter(status=Extension.Status.APPROVED)
        .order_by("-decided_on", "-pk")
        .first()
    )
    extension = clocks.Extension(latest.requested_on, latest.new_due_on) if latest else None
    return pauses, extension


def review_report_clock(review: Review, today: date) -> clocks.ReportClock | None:
    pauses, extension = clock_inputs(review)
    return clocks.report_clock(review, pauses=pauses, extension=extension, today=today)


@dataclass(frozen=True)
class ReviewDeadline:
    """The statutory date a review is working towards now, as its list row and page show it."""

    what: str
    due: date | None
    days_left: int | None
    paused_since: date | None = None
    statutory: date | None = None  # set when extensions or pauses moved the date

    @property
    def overdue(self) -> bool:
        return self.days_left is not None and self.days_left < 0


def list_deadlines(reviews: list[Review], today: date) -> list[tuple]:
    """The review list's rows: each review with its next date, its most urgent open deadline
    (the same list the dashboard and the chase read, so a review after sign-off shows its
    revised report or its actions' dates), or its paused report."""
    found = next_deadlines(reviews, today)
    rows = []
    for review in reviews:
        deadline = found.get(review.pk)
        if deadline is not None:
            row = ReviewDeadline(
                deadline.what, deadline.due, deadline.days_left, statutory=deadline.statutory
            )
        else:
            row = review_deadline(review, today)  # a paused report, or nothing due
        rows.append((review, row))
    return rows


def review_deadline(review: Review, today: date) -> ReviewDeadline | None:
    """From the dates the row keeps: no query."""
    if review.is_closed:
        return None
    if review.status in workflow.DECISION_CLOCK_RUNS_IN:
        due = review.decision_due_on
        return ReviewDeadline("Decision", due, clocks.days_left(due, today))
    if review.status in workflow.REPORT_CLOCK_RUNS_IN and review.report_due_on:
        if review.report_paused_since:
            return ReviewDeadline("Overview report", None, None, review.report_paused_since)
        due, statutory = review.report_due_on, clocks.statutory_report_due(review)
        return ReviewDeadline(
            "Overview report",
            due,
            clocks.days_left(due, today),
            statutory=statutory if statutory != due else None,
        )
    return None


def dashboard(*, user) -> dict:
    """The user's reviews counted by stage; what waits for them and for others, and what is
    coming up (`reviews.work`); the emails that failed and need the coordinator's attention."""
    visible = reviews_visible_to(user)
    counts = dict(visible.order_by().values_list("status").annotate(n=Count("pk")))
    by_stage = [(status, counts.get(status.value, 0)) for status in Status]
    today = timezone.localdate()
    return {
        "by_stage": by_stage,
        "total": sum(counts.values()),
        "work": work.work_for(user, reviews=visible, today=today),
        "horizon_days": work.HORIZON_DAYS,
        "paused": paused_reviews(visible).order_by("report_paused_since"),
        "failed_emails": failed_emails(user=user),
    }


def failed_emails(*, user) -> QuerySet[OutgoingEmail]:
    """Emails given up on, for the partnerships the user records for (coordinators)."""
    partnerships = partnership_ids_with(user, Role.COORDINATOR)
    if is_admin(user):
        scope = OutgoingEmail.objects.all()
    else:
        scope = OutgoingEmail.objects.filter(partnership_id__in=partnerships)
    return scope.filter(status=OutgoingEmail.Status.FAILED).order_by("-created_at")


def review_reminders(review: Review) -> QuerySet[Reminder]:
    return review.reminders.select_related("email").order_by("-created_at", "-pk")


def review_extensions(review: Review) -> QuerySet[Extension]:
    return review.extensions.select_related("requested_by", "decided_by")


def review_proceedings(review: Review) -> QuerySet[ParallelProceeding]:
    """The review's parallel proceedings, with who asked for and decided each pause, and the
    extensions asked for because of each."""
    return review.proceedings.select_related(
        "pause_requested_by", "pause_decided_by"
    ).prefetch_related("extensions")


def proceedings_and_the_clock(review: Review) -> tuple[list, list]:
    """The review's proceedings as its page explains its report date (decision 0013): those
    whose agreed pause moved it, and the others, each with why it did not."""
    moved, unmoved = [], []
    for proceeding in review_proceedings(review):
        if proceeding.pauses_review:
            moved.append(proceeding)
            continue
        extension = next(iter(proceeding.extensions.all()), None)
        if proceeding.pause_awaiting_chair:
            why = "a pause of the clock is awaiting a CSP chair's agreement"
        elif proceeding.effect == ParallelProceeding.Effect.EXTENSION and extension is None:
            why = "an extension is to be asked for; nothing moves until a CSP chair approves one"
        elif proceeding.effect == ParallelProceeding.Effect.EXTENSION:
            why = f"an extension to {extension.new_due_on:%-d %B %Y} was asked for instead " + (
                "(approved, above)"
                if extension.status == Extension.Status.APPROVED
                else f"({extension.get_status_display().lower()})"
            )
        elif proceeding.pause_status == ParallelProceeding.PauseStatus.REFUSED:
            why = "a chair refused to pause the clock"
        else:
            why = "no pause or extension was agreed"
        unmoved.append((proceeding, why))
    return moved, unmoved


def extension_get(*, review: Review, pk: int) -> Extension:
    return get_object_or_404(review.extensions, pk=pk)


@dataclass(frozen=True)
class DecisionMade:
    """One decision of the CSP chair on whether to hold a review: the first, or a fresh one
    the Home Office QA panel asked for, with when the Home Office and the family were told of
    it and the panel's views on it."""

    decided_on: date
    due_on: date | None
    proceed: bool | None
    decided_by: User | None  # the CSP chair; None when not recorded
    reasons: str
    home_office_told_on: date | None
    family_told_on: date | None
    fresh: bool  # made after the panel asked for a decision to be reconsidered
    qa_views: tuple[DecisionQAView, ...] = ()  # the panel's views on it, in order

    @property
    def reconsideration_asked_on(self) -> date | None:
        """The day the panel asked for it to be reconsidered (then a fresh decision follows)."""
        asked = [v.received_on for v in self.qa_views if v.asks_to_reconsider]
        return asked[-1] if asked else None


def review_decisions(review: Review) -> list[DecisionMade]:
    """Every decision made on the review, the first first. A decision the Home Office QA panel
    asked to be reconsidered is read from the panel's view, which kept it as it stood (the
    fresh decision overwrites the review's fields); the review's own is the last, unless it is
    the one under reconsideration, awaiting the fresh decision (then it is already kept)."""
    decisions: list[DecisionMade] = []
    views: list[DecisionQAView] = []
    for qa_view in review.decision_qa_views.select_related("decided_by"):
        views.append(qa_view)
        if qa_view.asks_to_reconsider:
            decisions.append(
                DecisionMade(
                    decided_on=qa_view.decision_on,
                    due_on=qa_view.decision_due_on,
                    proceed=False,  # the panel considers only decisions not to hold a review
                    decided_by=qa_view.decided_by,
                    reasons=qa_view.decision_reasons,
                    home_office_told_on=qa_view.home_office_told_on,
                    family_told_on=qa_view.family_told_on,
                    fresh=bool(decisions),
                    qa_views=tuple(views),
                )
            )
            views = []
    if review.decided_on and not review.awaiting_fresh_decision:
        decisions.append(
            DecisionMade(
                decided_on=review.decided_on,
                due_on=clocks.decision_due(review),
                proceed=review.proceed,
                decided_by=review.decided_by,
                reasons=review.decision_reasons,
                home_office_told_on=review.home_office_told_on,
                family_told_on=review.family_told_on,
                fresh=bool(decisions),
                qa_views=tuple(views),
            )
        )
    return decisions


def review_home_office_notices(review: Review) -> list:
    """The notices sent to the Home Office, each saying which decision it told (`of`):
    "earlier" (a decision the QA panel asked to be reconsidered, since decided afresh), "under
    reconsideration" (the one awaiting the CSP chair's fresh decision), "fresh" (the decision
    made afresh) or "" (the only decision); with the panel's request about it (`reconsidered`).
    Told by the order they were recorded in, not by their dates: an earlier decision, its
    notice, the panel's letter and the fresh decision can all fall on one day."""
    asked = list(
        review.decision_qa_views.filter(view=DecisionQAView.View.RECONSIDER).order_by(
            "recorded_at", "pk"
        )
    )
    notices = list(review.home_office_notices.select_related("recorded_by"))
    for notice in notices:
        notice.reconsidered = next((v for v in asked if v.recorded_at > notice.recorded_at), None)
        if notice.reconsidered is None:
            notice.of = "fresh" if asked else ""
        elif notice.reconsidered is asked[-1] and review.awaiting_fresh_decision:
            notice.of = "under reconsideration"
        else:
            notice.of = "earlier"
        notice.of_the = {
            "": "the decision",
            "under reconsideration": "the decision under reconsideration",
        }.get(notice.of, f"the {notice.of} decision")
    return notices


def review_earlier_decisions(review: Review) -> list[DecisionMade]:
    """The decisions a fresh decision replaced, latest first: shown under the decision that
    stands (or the one under reconsideration, which is not replaced yet)."""
    # The last is the review's own: the decision that stands, or the one under
    # reconsideration (kept on the panel's request, the review's fields not yet overwritten).
    return list(reversed(review_decisions(review)[:-1]))


def decision_under_reconsideration(review: Review) -> DecisionQAView | None:
    """While the fresh decision is awaited, the panel's request, which kept the decision it
    asks to be reconsidered."""
    if not review.awaiting_fresh_decision:
        return None
    return review.decision_qa_views.filter(view=DecisionQAView.View.RECONSIDER).last()


@dataclass(frozen=True)
class TimelineEntry:
    on: date
    what: str
    state: str  # done, due, overdue, paused, moved
    # The order written in (the order things happen): what keeps entries of one day in order.
    sequence: int = 0

    @property
    def tag(self) -> tuple[str, str]:
        return {
            "done": ("Done", ""),
            "due": ("Due", "govuk-tag--blue"),
            "overdue": ("Overdue", "govuk-tag--red"),
            "paused": ("Paused", "govuk-tag--yellow"),
            "moved": ("Timescale changed", "govuk-tag--purple"),
        }[self.state]


@dataclass(frozen=True)
class Timeline:
    entries: list[TimelineEntry]
    report_clock: clocks.ReportClock | None


def review_timeline(review: Review, today: date) -> Timeline:
    """Every date of the review in order: what happened, and the statutory dates still to come
    (statutory and adjusted), with the pauses and extensions that moved them; and the report's
    clock they were worked out from. Entries of one day keep the order they are written in
    here, which is the order things happen (a decision, then the Home Office told of it)."""
    entries: list[TimelineEntry] = []
    pauses, extension = clock_inputs(review)
    clock = clocks.report_clock(review, pauses=pauses, extension=extension, today=today)

    def add(on, what, state):
        entries.append(TimelineEntry(on, what, state, sequence=len(entries)))

    def done(on, what):
        if on:
            add(on, what, "done")

    def due(on, what, *, still_open: bool):
        if on is not None and still_open:
            add(on, what, "overdue" if on < today else "due")

    deciding = review.status in workflow.DECISION_CLOCK_RUNS_IN and not review.is_closed
    reporting = review.status in workflow.REPORT_CLOCK_RUNS_IN and not review.is_closed
    done(review.notified_on, "Notification received from the police")
    done(review.referred_for_decision_on, "Put to the CSP chair for a decision")
    _timeline_decisions(review, done, due, deciding=deciding)
    done(review.safeguarding_told_on, "Children's safeguarding partners told")
    if review.victim_age_band == AgeBand.UNDER_18:
        due(
            clocks.safeguarding_notice_due(review),
            "Children's safeguarding partners to be told of the review",
            still_open=review.status in workflow.SAFEGUARDING_NOTICE_DUE_IN
            and not review.is_closed
            and review.safeguarding_told_on is None,
        )
    done(review.directed_on, "Secretary of State directed a review: the review opened")
    scoping = clocks.scoping_due(review)
    due(scoping, "Scoping review due", still_open=reporting and not review.scoping_completed_on)
    done(review.scoping_completed_on, "Scoping review completed")
    done(review.chair_appointed_on, "Independent chair appointed")
    terms_due = clocks.terms_of_reference_due(review)
    due(
        terms_due,
        "Terms of reference due to be agreed",
        still_open=reporting and not review.terms_of_reference_agreed_on,
    )
    done(review.terms_of_reference_agreed_on, "Terms of reference agreed")
    done(review.set_up_completed_on, "Set-up completed")
    for report in review.agency_reports.select_related("agency").prefetch_related("waivers"):
        done(report.requested_on, f"Agency report requested from {report.agency.name}")
        if report.received_on:
            complete = "" if report.is_received else " (not yet complete)"
            done(report.received_on, f"Agency report received from {report.agency.name}{complete}")
        else:
            due(
                report.due_on,
                f"Agency report due from {report.agency.name}",
                still_open=review.status in workflow.AGENCY_REPORTS_DUE_IN,
            )
    proceedings = list(review.proceedings.all())
    pausing = [p for p in proceedings if p.pauses_review]
    if clock is None:
        added = dict.fromkeys(pausing, 0)
    else:
        anchor = extension.requested_on if extension else clocks.proceeding_from(review)
        spans = [clocks.Pause(p.started_on, p.ended_on) for p in pausing]
        days = clocks.pause_contributions(spans, after=anchor, today=today)
        added = dict(zip(pausing, days, strict=True))
    for proceeding in proceedings:
        kind = proceeding.get_kind_display()
        if not proceeding.pauses_review:
            why = {
                ParallelProceeding.Effect.EXTENSION: "an extension asked for instead of a pause",
                ParallelProceeding.Effect.PAUSE: "a pause asked for, not yet agreed",
            }.get(proceeding.effect, "no change to the timescale agreed")
            done(proceeding.started_on, f"{kind} began (the clock ran on: {why})")
            done(proceeding.ended_on, f"{kind} ended")
            continue
        add(proceeding.started_on, f"{kind} began", "paused")
        if proceeding.pause_decided_on:
            add(
                proceeding.pause_decided_on,
                f"Pause of the clock agreed by a CSP chair: {kind}",
                "moved",
            )
        days = added[proceeding]
        moved = (
            f"added {days} day{'s' if days != 1 else ''} to the report's clock"
            if days
            else "added no days (before the clock started, or inside another pause)"
        )
        if proceeding.ended_on:
            done(proceeding.ended_on, f"{kind} ended: {moved}")
        elif days:
            add(today, f"{kind} still running: {moved} so far", "paused")
    for extension in review.extensions.all():
        add(
            extension.requested_on,
            f"Extension to {extension.new_due_on:%-d %B %Y} asked for",
            "done",
        )
        if extension.decided_on:
            add(
                extension.decided_on,
                f"Extension to {extension.new_due_on:%-d %B %Y} "
                f"{extension.get_status_display().lower()}",
                "moved" if extension.status == Extension.Status.APPROVED else "done",
            )
    if clock is not None:
        if clock.moved or clock.is_paused:
            add(clock.statutory, "Overview report due under the statutory six months", "moved")
        if review.signed_off_on is None and reporting:
            what = "Overview report due"
            if clock.is_paused:
                what += f" (at the earliest: paused since {clock.paused_since:%-d %B %Y})"
            elif clock.moved:
                what += " (adjusted)"
            overdue = clock.adjusted < today
            state = "paused" if clock.is_paused else ("overdue" if overdue else "due")
            add(clock.adjusted, what, state)
    done(review.drafting_started_on, "Drafting of the overview report started")
    done(review.signed_off_on, "Signed off by the CSP chair")
    done(review.submitted_on, "Submitted to the Home Office QA panel")
    done(review.qa_feedback_received_on, "Home Office QA letter received")
    done(review.revision_started_on, "Revision of the report after QA started")
    done(review.approved_for_publication_on, "Approved for publication by the CSP chair")
    done(review.published_on, "Report published")
    done(review.monitoring_started_on, "Monitoring of the action plan started")
    done(review.concluded_on, "Review concluded")
    entries.sort(key=lambda e: (e.on, e.sequence))
    return Timeline(entries, clock)


def _timeline_decisions(review: Review, done, due, *, deciding: bool) -> None:
    """The decision's route, in the order it runs: each decision (with its due date), the
    Home Office and the family told of it (the Home Office's due date while it is still to be
    told), the QA panel's views on it; then a fresh decision still awaited."""
    decisions = review_decisions(review)
    home_office_due = (
        review.status in workflow.HOME_OFFICE_TOLD_DUE_IN and review.joint_review not in REPLACED
    )
    for number, decision in enumerate(decisions, start=1):
        which = "fresh decision" if decision.fresh else "decision"
        verdict = "to hold a review" if decision.proceed else "not to hold a review"
        made = f"Decided {verdict}"
        if decision.fresh:
            made = f"Fresh decision: decided {verdict}"
        if decision.due_on:
            made += f" (due {decision.due_on:%-d %B %Y})"
        done(decision.decided_on, made)
        if decision.home_office_told_on:
            done(decision.home_office_told_on, f"Home Office told of the {which}")
        else:
            due(
                decision.due_on,
                f"Home Office to be told of the {which}",
                still_open=home_office_due and number == len(decisions),
            )
        done(decision.family_told_on, f"Family told of the {which}")
        for qa_view in decision.qa_views:
            done(qa_view.received_on, f"Home Office QA panel: {qa_view.get_view_display().lower()}")
    if review.awaiting_fresh_decision:
        due(
            clocks.decision_due(review),
            "Fresh decision due (and the Home Office told of it)",
            still_open=deciding,
        )
    elif not decisions:
        due(
            clocks.decision_due(review),
            "Decision due (and the Home Office told)",
            still_open=deciding,
        )


@dataclass(frozen=True)
class NoticeField:
    """One field of the Home Office's notification template, filled from the review."""

    label: str
    value: str  # empty when the review does not record it yet
    missing: str = ""  # what to record, when it should be there and is not
    confidential: bool = False


def home_office_notice_fields(review: Review) -> list[NoticeField]:
    """The fields of the Home Office's notification of a decision (the CSP, the date of death,
    the dates of notification and decision, the decision and its reasons, other reviews
    considered, the independent chair if appointed, the expected completion date), in that
    order, filled from the review, each saying what is missing where it should be there."""

    def day(value) -> str:
        return f"{value:%-d %B %Y}" if value else ""

    holding = bool(clocks.proceeding_from(review))
    if review.proceed is None:
        decision = ""
    elif holding:
        decision = "To hold a review"
    else:
        decision = "Not to hold a review"
    others = ". ".join(
        part.strip().rstrip(".")
        for part in (
            ", ".join(review.other_reviews_labels()) or "None",
            review.other_reviews_notes,
            review.get_joint_review_display() if review.joint_review else "",
        )
        if part.strip()
    )
    chair = review.chair_name or ("Not yet appointed" if holding else "None: no review is held")
    completion = day(review.report_due_on) if holding else "None: no review is held"
    return [
        NoticeField("Community Safety Partnership", review.partnership.name),
        NoticeField(
            "Date of death",
            day(review.date_of_death),
            "" if review.date_of_death else "Record the date of death",
            confidential=True,
        ),
        NoticeField(
            "Date of notification",
            day(review.notified_on),
            "" if review.notified_on else "Record the date the notification was received",
        ),
        NoticeField(
            "Date of decision",
            day(review.decided_on),
            "" if review.decided_on else "Record the decision",
        ),
        NoticeField("Decision", decision, "" if decision else "Record the decision"),
        NoticeField(
            "Reasons for the decision",
            review.decision_reasons,
            "" if review.decision_reasons.strip() else "Record the reasons for the decision",
        ),
        NoticeField("Other reviews considered", others),
        NoticeField("Independent chair", chair),
        NoticeField(
            "Expected completion date",
            completion,
            "" if completion else "The report's due date is not known yet",
        ),
    ]


@dataclass
class Chronology:
    """A review's multi-agency chronology: the newest file of each agency (the older ones are
    kept, not merged), their rows merged in order, and the events two agencies both reported."""

    files: list
    entries: list[chronology.Entry]
    duplicates: list[list[chronology.Entry]]


def review_chronology(review: Review) -> Chronology:
    newest = {}
    for kept in review.chronology_files.select_related("agency").order_by(
        "agency__name", "-uploaded_at", "-pk"
    ):
        newest.setdefault(kept.agency_id, kept)
    files = list(newest.values())
    readings = [
        chronology.Reading(
            agency=kept.agency.name, rows=[chronology.from_stored(row) for row in kept.rows]
        )
        for kept in files
    ]
    entries = chronology.merge(readings)
    return Chronology(files=files, entries=entries, duplicates=chronology.duplicates(entries))
