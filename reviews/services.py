"""Every write to a review. Each function is atomic, locks the review row, checks the workflow
guard, and records who made the change and why in the review's history."""

import re
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from dhr.email import absolute_url, email_queue
from dhr.errors import NotAllowed, TransitionError
from dhr.models import AuditEvent, GuidanceVersion, Membership, Partnership, Role, User
from dhr.people import emails_of_role
from dhr.permissions import may_record, may_see_confidential
from dhr.services import record_apply, record_delete, record_save
from dhr.spreadsheets import SpreadsheetError
from dhr.wording import REFERENCE_PREFIXES, ReviewWording
from reviews import chronology, clocks, workflow
from reviews.documents import checked_upload, safe_name
from reviews.models import (
    AgeBand,
    AgencyReport,
    AgencyReportWaiver,
    ChronologyFile,
    Document,
    Extension,
    FamilyContact,
    HomeOfficeNotice,
    ImrRequirement,
    JointReview,
    PanelMember,
    ParallelProceeding,
    ReportVersion,
    Review,
    Status,
)
from reviews.selectors import clock_inputs, home_office_notice_fields

# Asked at the decision on a victim aged 16 or 17 (briefing 4.3): whether a Child Safeguarding
# Practice Review takes precedence, runs jointly, or there is none (the review's `joint_review`).
CHILD_REVIEW_CHOICES = (JointReview.REPLACED_CSPR, JointReview.JOINT_CSPR, JointReview.NONE)

NOTIFICATION_FIELDS = (
    "notifying_force",
    "notified_on",
    "death_type",
    "date_of_death",
    "children_in_household",
    "children_notes",
    "victim_pseudonym",
    "victim_name",
    "victim_date_of_birth",
    "victim_age_band",
    "victim_sex",
    "victim_characteristics",
    "perpetrator_pseudonym",
    "perpetrator_name",
    "perpetrator_date_of_birth",
    "perpetrator_age_band",
    "perpetrator_sex",
    "perpetrator_characteristics",
    "relationship",
)
SET_UP_FIELDS = (
    "chair_name",
    "chair_appointed_on",
    "chair_independence_confirmed",
    "chair_training_confirmed",
    "terms_of_reference",
    "terms_of_reference_agreed_on",
    "scoping_completed_on",
)
PROCEEDING_FIELDS = ("kind", "started_on", "ended_on", "outcome")
AGENCY_REPORT_FIELDS = (
    "requested_on",
    "due_on",
    "received_on",
    "author",
    "author_independence_confirmed",
    "senior_sign_off_by",
    "signed_off_on",
    "staff_feedback_held",
)


def review_lock(review: Review) -> Review:
    """The review's row, locked until the transaction ends: every write to a review or what
    hangs from it takes this first."""
    return Review.objects.select_for_update().get(pk=review.pk)


def _save(obj, *, by, reason: str) -> None:
    if isinstance(obj, Review):
        _set_clock_dates(obj)
    record_save(obj, by=by, reason=reason)


def _set_clock_dates(review: Review) -> None:
    """Work out the statutory dates the review row keeps (see `clocks.py`)."""
    pauses, extension = clock_inputs(review) if review.pk else ([], None)
    review.decision_due_on = clocks.decision_due(review)
    review.scoping_due_on = clocks.scoping_due(review)
    review.report_due_on, review.report_paused_since = clocks.stored_report_due(
        review, pauses=pauses, extension=extension
    )


def review_refresh_clock_dates(*, review: Review) -> None:
    """After a proceeding or an extension changed: rewrite the dates, not the history."""
    _set_clock_dates(review)
    Review.objects.filter(pk=review.pk).update(
        **{name: getattr(review, name) for name in Review.CLOCK_FIELDS}
    )


def _next_reference(partnership: Partnership, year: int) -> str:
    """'DHR-2026-03', or 'DARDR-2026-03' when the partnership calls its reviews DARDRs: numbered
    on from the year's references under either name, so a change of wording never reuses one."""
    prefixes = [f"{short}-{year}-" for short in REFERENCE_PREFIXES]
    taken = Review.objects.filter(partnership=partnership, reference__regex=_taken(prefixes))
    numbers = [
        int(reference.split("-")[-1]) for reference in taken.values_list("reference", flat=True)
    ]
    return f"{partnership.review_words.short}-{year}-{max(numbers, default=0) + 1:02d}"


def _taken(prefixes: list[str]) -> str:
    return r"^(?:" + "|".join(re.escape(prefix) for prefix in prefixes) + r")\d+$"


def document_store(*, review: Review, by, upload) -> Document:
    """Check an upload by its content and keep it under a random name."""
    return Document.objects.create(review=review, uploaded_by=by, **checked_upload(upload))


@transaction.atomic
def review_notify(*, partnership: Partnership, by, data: dict) -> Review:
    """Record a police notification: the review starts here, at 'notified'."""
    if not may_record(by, partnership.pk):
        raise NotAllowed("Only a coordinator can record a notification.")
    # Lock the partnership so two notifications recorded at once get different references.
    Partnership.objects.select_for_update().get(pk=partnership.pk)
    review = Review(
        partnership=partnership,
        status=Status.NOTIFIED,
        guidance_version=partnership.guidance_version,
    )
    record_apply(review, data, NOTIFICATION_FIELDS)
    review.reference = _next_reference(partnership, review.notified_on.year)
    _save(review, by=by, reason="Notification recorded")
    return review


@transaction.atomic
def review_update_notification(*, review: Review, by, data: dict) -> Review:
    review = review_lock(review)
    workflow.guard_edit(review, "notification", by)
    record_apply(review, data, NOTIFICATION_FIELDS)
    _save(review, by=by, reason="Notification details changed")
    return review


@transaction.atomic
def review_set_joint_review(*, review: Review, by, joint_review: str, notes: str) -> Review:
    """Mark a review as run jointly with, or replaced by, a CSPR or SAR."""
    review = review_lock(review)
    workflow.guard_edit(review, "joint_review", by)
    review.joint_review = joint_review
    review.joint_review_notes = notes
    _save(review, by=by, reason="Joint review arrangement changed")
    return review


@transaction.atomic
def review_set_viewers(*, review: Review, by, viewers) -> Review:
    """Give these viewers (members of the partnership with the viewer role) the review."""
    review = review_lock(review)
    if not may_record(by, review.partnership_id):
        raise NotAllowed("Only a coordinator can choose who views a review.")
    allowed = set(
        Membership.objects.filter(
            partnership_id=review.partnership_id, role=Role.VIEWER
        ).values_list("user_id", flat=True)
    )
    chosen = list(viewers)
    if any(user.pk not in allowed for user in chosen):
        raise NotAllowed("Only viewers of this partnership can be given a review.")
    review.viewers.set(chosen)
    names = ", ".join(sorted(str(user) for user in chosen)) or "nobody"
    review._history_user = by
    review._change_reason = f"Viewers changed: {names}"
    review.save(update_fields=["updated_at"])
    return review


@transaction.atomic
def review_transition(*, review: Review, by, action: str, on: date) -> Review:
    """The transitions that need only a date: refer, complete set-up, start agency reports,
    start drafting, sign off, submit, start revising, resubmit, approve for publication and
    start monitoring."""
    review = review_lock(review)
    transition = workflow.guard(review, action, by)
    stamp = workflow.DATE_STAMPS[action]
    setattr(review, stamp, on)
    if action in workflow.BY_STAMPS:
        setattr(review, workflow.BY_STAMPS[action], by)
    review.status = transition.target
    _save(review, by=by, reason=transition.label)
    if transition.target not in workflow.REPORT_CLOCK_RUNS_IN:
        _close_undecided_extensions(review, by=by, on=on, why=transition.label)
    return review


@transaction.atomic
def review_publish(*, review: Review, by, on: date, url: str) -> Review:
    """The report is on the partnership's website: record when and where, once every
    publication step is done (the checks `qa_feedback` registers for "publish")."""
    review = review_lock(review)
    transition = workflow.guard(review, "publish", by)
    review.published_on = on
    review.published_url = url
    review.status = transition.target
    _save(review, by=by, reason=transition.label)
    return review


def _close_undecided_extensions(review: Review, *, by, on: date, why: str) -> None:
    """Once the report's timescale no longer runs, an extension still awaiting the chair has
    nothing left to decide."""
    for extension in review.extensions.filter(status=Extension.Status.REQUESTED):
        workflow.EXTENSIONS.move(extension, "withdraw")
        extension.decided_on = on
        extension.decision_comment = f"Closed undecided: {why.lower()}."
        _save(extension, by=by, reason="Extension closed undecided")
    asked = ParallelProceeding.PauseStatus.REQUESTED
    for proceeding in review.proceedings.filter(pause_status=asked):
        workflow.PAUSES.move(proceeding, "withdraw")
        proceeding.effect = ParallelProceeding.Effect.NONE
        proceeding.pause_decided_on = on
        proceeding.pause_decision_comment = f"Closed undecided: {why.lower()}."
        _save(proceeding, by=by, reason="Pause of the clock closed undecided")


def _check_child_review(
    review: Review, child_review: str | None, notes: str, told_on: date | None
) -> None:
    if review.victim_age_band != AgeBand.UNDER_18:
        return
    if child_review is None or child_review not in CHILD_REVIEW_CHOICES:
        raise ValidationError(
            {
                "child_review": "Select whether a Child Safeguarding Practice Review takes "
                "precedence, runs jointly, or there is none"
            }
        )
    if child_review and not notes.strip():
        raise ValidationError({"child_review_notes": "Enter a note on the child review"})
    if told_on and review.notified_on and told_on < review.notified_on:
        raise ValidationError(
            {
                "safeguarding_told_on": "The date the safeguarding partners were told must be "
                f"on or after the notification, {review.notified_on:%-d %B %Y}"
            }
        )


@transaction.atomic
def review_record_decision(
    *,
    review: Review,
    by,
    decided_on: date,
    proceed: bool,
    reasons: str,
    situations_of_concern: list[str],
    other_reviews_considered: list[str],
    other_reviews_notes: str = "",
    home_office_told_on: date | None = None,
    family_told_on: date | None = None,
    child_review: str | None = None,
    child_review_notes: str = "",
    safeguarding_told_on: date | None = None,
) -> Review:
    """The chair's decision whether to hold a review, with its reasons: the first, or a fresh
    one when the Home Office QA panel asked for a decision not to hold one to be reconsidered
    (the Home Office is then told of the fresh decision). For a victim aged 16 or 17, whether a
    Child Safeguarding Practice Review takes precedence or runs jointly (`child_review`, kept as
    the review's joint review), and when the safeguarding partners were told."""
    review = review_lock(review)
    action = "decide_to_proceed" if proceed else "decide_not_to_proceed"
    transition = workflow.guard(review, action, by)
    _check_child_review(review, child_review, child_review_notes, safeguarding_told_on)
    fresh = review.reconsideration_asked_on is not None and review.decided_on is not None
    if fresh and decided_on < review.reconsideration_asked_on:
        raise ValidationError(
            {
                "decided_on": "The date of the fresh decision must be on or after the panel "
                f"asked for it, {review.reconsideration_asked_on:%-d %B %Y}"
            }
        )
    if fresh and not proceed and reasons.strip() == review.decision_reasons.strip():
        raise ValidationError(
            {"reasons": "Enter the reasons for the fresh decision: these are the reasons before"}
        )
    review.decided_on = decided_on
    review.decided_by = by
    review.proceed = proceed
    review.decision_reasons = reasons
    review.situations_of_concern = list(situations_of_concern)
    review.other_reviews_considered = list(other_reviews_considered)
    review.other_reviews_notes = other_reviews_notes
    review.home_office_told_on = home_office_told_on
    review.family_told_on = family_told_on
    if review.victim_age_band == AgeBand.UNDER_18:
        review.joint_review, review.joint_review_notes = child_review, child_review_notes
        review.safeguarding_told_on = safeguarding_told_on or review.safeguarding_told_on
    review.status = transition.target
    reason = ("Fresh decision: " if fresh else "") + transition.label
    _save(review, by=by, reason=reason)
    if home_office_told_on is not None:
        _keep_home_office_notice(review, by=by, told_on=home_office_told_on)
    return review


def _keep_home_office_notice(review: Review, *, by, told_on: date) -> HomeOfficeNotice:
    """What the Home Office was sent, from the review as it stands (its dates already set)."""
    fields = home_office_notice_fields(review)
    return HomeOfficeNotice.objects.create(
        review=review,
        told_on=told_on,
        decision_on=review.decided_on,
        proceed=bool(review.proceed),
        fields=[[f.label, f.value] for f in fields],
        missing=[f.label for f in fields if f.missing],
        recorded_by=by,
    )


def _refuse_a_csp_chair(review: Review, name: str) -> None:
    """The independent chair is independent of the partnership's agencies (2016 statutory
    guidance): never one of its CSP chairs, found by name or email, whatever the case (see
    docs/decisions/0015-two-chairs.md)."""
    csp_chairs = User.objects.filter(
        memberships__partnership_id=review.partnership_id, memberships__role=Role.CHAIR
    ).filter(Q(name__iexact=name) | Q(email__iexact=name))
    if csp_chairs.exists():
        raise ValidationError(
            {
                "chair_name": f"{name} is a CSP chair of {review.partnership.name}: the "
                "independent chair must be independent of the partnership and its agencies, "
                "so appoint someone else"
            }
        )


@transaction.atomic
def review_update_set_up(*, review: Review, by, data: dict, terms_of_reference_file=None) -> Review:
    review = review_lock(review)
    workflow.guard_edit(review, "set_up", by)
    new_chair = data.get("chair_name", review.chair_name).strip()
    if new_chair and new_chair.casefold() != review.chair_name.strip().casefold():
        _refuse_a_csp_chair(review, new_chair)
    record_apply(review, data, SET_UP_FIELDS)
    if terms_of_reference_file is not None:
        review.terms_of_reference_document = document_store(
            review=review, by=by, upload=terms_of_reference_file
        )
    _save(review, by=by, reason="Set-up details changed")
    return review


@transaction.atomic
def panel_member_add(*, review: Review, by, name: str, agency, role: str) -> PanelMember:
    review = review_lock(review)
    workflow.guard_edit(review, "set_up", by)
    member = PanelMember(review=review, name=name, agency=agency, role=role)
    _save(member, by=by, reason="Panel member added")
    return member


@transaction.atomic
def panel_member_remove(*, member: PanelMember, by) -> None:
    review = review_lock(member.review)
    workflow.guard_edit(review, "set_up", by)
    record_delete(member, by=by, reason="Panel member removed")


@transaction.atomic
def agency_report_request(
    *, review: Review, by, agency, requested_on: date, due_on: date
) -> AgencyReport:
    review = review_lock(review)
    workflow.guard_edit(review, "agency_reports", by)
    report = AgencyReport(review=review, agency=agency, requested_on=requested_on, due_on=due_on)
    _save(report, by=by, reason="Agency report requested")
    return report


@transaction.atomic
def agency_report_update(
    *, report: AgencyReport, by, data: dict, document_file=None
) -> AgencyReport:
    review = review_lock(report.review)
    workflow.guard_edit(review, "agency_reports", by)
    report = AgencyReport.objects.select_for_update().get(pk=report.pk)
    record_apply(report, data, AGENCY_REPORT_FIELDS)
    if document_file is not None:
        report.document = document_store(review=review, by=by, upload=document_file)
    _save(report, by=by, reason="Agency report updated")
    return report


@transaction.atomic
def chronology_upload(*, review: Review, by, agency, upload, today: date | None = None):
    """Keep an agency's chronology as sent, with the rows read from it and the rows that could
    not be (each by its row number, for the agency to correct and send again). A file that
    cannot be read as a chronology at all is refused whole: a ValidationError on `file`."""
    review = review_lock(review)
    workflow.guard_edit(review, "agency_reports", by)
    data = upload.read()
    upload.seek(0)
    try:
        reading = chronology.read_chronology(upload.name, data, agency=agency.name, today=today)
    except SpreadsheetError as error:
        raise ValidationError({"file": str(error)}) from error
    kept = ChronologyFile(
        review=review,
        agency=agency,
        file=upload,
        original_name=safe_name(upload.name, "chronology"),
        content_type=chronology.content_type(upload.name),
        size=upload.size,
        uploaded_by=by,
        rows=[chronology.stored(entry) for entry in reading.rows],
        problems=[
            {"row": p.row, "column": p.column, "message": p.message} for p in reading.problems
        ],
    )
    _save(kept, by=by, reason=f"Chronology received from {agency.name}")
    return kept


@transaction.atomic
def agency_report_waive(
    *, report: AgencyReport, by, requirement: str, reason: str, on: date
) -> AgencyReportWaiver:
    """The CSP chair waives one requirement of an agency report (the author's independence, the
    senior manager's sign-off or the staff feedback session), with the reason: the report can
    then count as received without it."""
    review = review_lock(report.review)
    workflow.guard_edit(review, "agency_reports", by, role=Role.CHAIR)
    report = AgencyReport.objects.select_for_update().get(pk=report.pk)
    if requirement not in workflow.waivable(report):
        raise TransitionError(
            "This requirement is already met or waived: there is nothing to waive."
        )
    if not reason.strip():
        raise ValidationError({"reason": "Enter why the requirement is waived"})
    waiver = AgencyReportWaiver(
        report=report, requirement=requirement, reason=reason.strip(), waived_by=by, waived_on=on
    )
    _save(
        waiver,
        by=by,
        reason=f"{ImrRequirement(requirement).label} waived by the CSP chair",
    )
    return waiver


@transaction.atomic
def review_record_no_recommendations(*, review: Review, by, reason: str) -> Review:
    """The CSP chair records why the review makes no recommendations, so that the report may be
    signed off with an action plan that has none (the check `recommendations` registers)."""
    review = review_lock(review)
    workflow.guard_edit(review, "no_recommendations", by, role=Role.CHAIR)
    if not reason.strip():
        raise ValidationError({"reason": "Enter why the review makes no recommendations"})
    review.no_recommendations_reason = reason.strip()
    _save(review, by=by, reason="CSP chair recorded why the review makes no recommendations")
    return review


@transaction.atomic
def family_contact_add(*, review: Review, by, data: dict) -> FamilyContact:
    review = review_lock(review)
    workflow.guard_edit(review, "family", by)
    contact = FamilyContact(review=review)
    record_apply(contact, data, ("contacted_on", "who", "method", "advocate_involved", "notes"))
    _save(contact, by=by, reason="Family contact recorded")
    return contact


@transaction.atomic
def review_record_home_office_told(*, review: Review, by, told_on: date) -> Review:
    """The day the Home Office was told of the decision, recorded after the decision, with the
    notification template's fields as they were sent (`HomeOfficeNotice`)."""
    review = review_lock(review)
    workflow.guard_edit(review, "home_office_notice", by)
    if told_on < review.decided_on:
        raise ValidationError(
            {
                "told_on": "The date the Home Office was told must be on or after the decision, "
                f"{review.decided_on:%-d %B %Y}"
            }
        )
    if told_on > timezone.localdate():
        raise ValidationError(
            {"told_on": "The date the Home Office was told must be today or in the past"}
        )
    review.home_office_told_on = told_on
    _save(review, by=by, reason="Home Office told of the decision")
    _keep_home_office_notice(review, by=by, told_on=told_on)
    return review


@transaction.atomic
def review_agree_pseudonym(*, review: Review, by, pseudonym: str) -> Review:
    review = review_lock(review)
    workflow.guard_edit(review, "family", by)
    review.victim_pseudonym = pseudonym
    review.victim_pseudonym_agreed_with_family = True
    _save(review, by=by, reason="Pseudonym agreed with the family")
    return review


def _proceeding_effect(proceeding: ParallelProceeding, review: Review, effect: str, *, by, on):
    """What the coordinator says the CSP agreed about the report's timescale (decision 0013):
    nothing moves a date here. A pause is asked of the chairs; an extension is asked for next,
    through the extension's own form; an agreed pause stays."""
    Effect, Status_ = ParallelProceeding.Effect, ParallelProceeding.PauseStatus
    if proceeding.pause_status == Status_.AGREED:
        if effect != Effect.PAUSE:
            raise ValidationError(
                {"effect": "A chair agreed to pause the clock while this runs: that stays"}
            )
        return
    if effect == Effect.EXTENSION and review.status not in workflow.EDITABLE_IN["extensions"]:
        raise ValidationError(
            {
                "effect": "An extension can be asked for only from the decision to hold a "
                "review until the report is signed off"
            }
        )
    if effect == Effect.PAUSE and proceeding.pause_status != Status_.REQUESTED:
        try:
            workflow.check_pause_open(review)
        except TransitionError as error:
            raise ValidationError({"effect": str(error)}) from error
        workflow.PAUSES.move(proceeding, "request")
        proceeding.pause_requested_on = on
        proceeding.pause_requested_by = by
        proceeding.pause_decided_on = proceeding.pause_decided_by = None
        proceeding.pause_decision_comment = ""
    elif effect != Effect.PAUSE and proceeding.pause_status == Status_.REQUESTED:
        workflow.PAUSES.move(proceeding, "withdraw")
    proceeding.effect = effect


@transaction.atomic
def proceeding_save(
    *,
    review: Review,
    by,
    data: dict,
    proceeding: ParallelProceeding | None = None,
    on: date | None = None,
) -> ParallelProceeding:
    """Record a parallel proceeding, and what the CSP agreed about the report's timescale
    because of it (`data["effect"]`). An inquest left unsaid has no effect: the coroner
    suspends an inquest while a homicide charge is pending. A trial or an investigation must
    say. A pause asked for is put to the chairs."""
    on = on or timezone.localdate()
    review = review_lock(review)
    workflow.guard_edit(review, "proceedings", by)
    if proceeding is None:
        proceeding, reason = ParallelProceeding(review=review), "Parallel proceeding added"
    else:
        proceeding = ParallelProceeding.objects.select_for_update().get(pk=proceeding.pk)
        reason = "Parallel proceeding updated"
    record_apply(proceeding, data, PROCEEDING_FIELDS)
    effect = data.get("effect") or ""
    if not effect:
        if proceeding.pk is not None:
            effect = proceeding.effect
        elif proceeding.kind == ParallelProceeding.Kind.INQUEST:
            effect = ParallelProceeding.Effect.NONE
        else:
            raise ValidationError(
                {"effect": "Select what the partnership agreed about the report's timescale"}
            )
    if effect not in ParallelProceeding.Effect.values:
        raise ValidationError({"effect": "Select one of the choices given"})
    asked = proceeding.pause_status
    _proceeding_effect(proceeding, review, effect, by=by, on=on)
    if proceeding.pause_awaiting_chair and asked != proceeding.pause_status:
        reason += ": pause of the clock asked for"
    _save(proceeding, by=by, reason=reason)
    review_refresh_clock_dates(review=review)
    if proceeding.pause_awaiting_chair and asked != proceeding.pause_status:
        email_queue(
            to=emails_of_role(review.partnership_id, Role.CHAIR),
            subject=f"Pause of the clock awaiting your agreement: {review.public_title}",
            template="email/pause_requested",
            context={
                "review": review,
                "proceeding": proceeding,
                "url": absolute_url(proceeding_pause_url(proceeding)),
            },
            partnership=review.partnership,
        )
    return proceeding


def proceeding_pause_url(proceeding: ParallelProceeding) -> str:
    return reverse("reviews:proceeding_pause", args=[proceeding.review_id, proceeding.pk])


@transaction.atomic
def proceeding_pause_decide(
    *, proceeding: ParallelProceeding, by, agree: bool, decided_on: date, comment: str
) -> ParallelProceeding:
    """A chair agrees or refuses a pause of the report's clock while a proceeding runs; the
    coordinators are told. Only an agreed pause moves the report's date (from the day the
    proceeding began, for every day it runs: what the chair agrees to). A refused one leaves
    the proceeding with no effect on the timescale."""
    review = review_lock(proceeding.review)
    proceeding = ParallelProceeding.objects.select_for_update().get(pk=proceeding.pk)
    workflow.guard_pause_decide(proceeding, review, by)
    if not agree and not comment.strip():
        raise ValidationError({"comment": "Say why the pause is refused"})
    workflow.PAUSES.move(proceeding, "agree" if agree else "refuse")
    if not agree:
        proceeding.effect = ParallelProceeding.Effect.NONE
    proceeding.pause_decided_on = decided_on
    proceeding.pause_decided_by = by
    proceeding.pause_decision_comment = comment
    verdict = proceeding.get_pause_status_display().lower()
    _save(proceeding, by=by, reason=f"Pause of the clock {verdict}")
    review_refresh_clock_dates(review=review)
    email_queue(
        to=emails_of_role(review.partnership_id, Role.COORDINATOR),
        subject=f"Pause of the clock {verdict}: {review.public_title}",
        template="email/pause_decided",
        context={
            "review": review,
            "proceeding": proceeding,
            "url": absolute_url(reverse("reviews:proceedings", args=[review.pk])),
        },
        partnership=review.partnership,
    )
    return proceeding


@transaction.atomic
def report_version_add(*, review: Review, by, kind: str, upload, notes: str = "") -> ReportVersion:
    """A new version of the overview report or executive summary, numbered in order."""
    review = review_lock(review)
    workflow.guard_edit(review, "drafting", by)
    latest = review.report_versions.filter(kind=kind).order_by("-version").first()
    version = ReportVersion(
        review=review,
        kind=kind,
        version=(latest.version + 1) if latest else 1,
        document=document_store(review=review, by=by, upload=upload),
        notes=notes,
        uploaded_by=by,
    )
    version.save()
    review._history_user = by
    review._change_reason = f"{version} uploaded"
    review.save(update_fields=["updated_at"])
    return version


@transaction.atomic
def extension_request(
    *,
    review: Review,
    by,
    requested_on: date,
    new_due_on: date,
    reason: str,
    proceeding: ParallelProceeding | None = None,
) -> Extension:
    """A coordinator asks for a longer timescale for the overview report; the chairs are told.
    `proceeding`: the parallel proceeding it is asked for because of (decision 0013)."""
    review = review_lock(review)
    workflow.guard_edit(review, "extensions", by)
    if review.extensions.filter(status=Extension.Status.REQUESTED).exists():
        raise TransitionError(
            "An extension is already awaiting a decision: wait for the CSP chair to decide it."
        )
    pauses, current = clock_inputs(review)
    clock = clocks.report_clock(review, pauses=pauses, extension=current, today=requested_on)
    if clock is not None and new_due_on <= clock.adjusted:
        raise ValidationError(
            f"The new date must be after the date the report is now due, {clock.adjusted:%-d %B %Y}"
        )
    latest = clocks.latest_extension(review)
    if latest is not None and new_due_on > latest:
        raise ValidationError(
            f"The new date must be no later than {latest:%-d %B %Y}, "
            f"{clocks.EXTENSION_LIMIT_YEARS} years after the statutory date"
        )
    extension = Extension(
        review=review,
        requested_on=requested_on,
        requested_by=by,
        new_due_on=new_due_on,
        reason=reason,
        proceeding=proceeding if proceeding and proceeding.review_id == review.pk else None,
    )
    _save(extension, by=by, reason="Extension requested")
    email_queue(
        to=emails_of_role(review.partnership_id, Role.CHAIR),
        subject=f"Extension awaiting your decision: {review.public_title}",
        template="email/extension_requested",
        context={
            "review": review,
            "extension": extension,
            "clock": clock,
            "url": absolute_url(review.get_absolute_url()),
        },
        partnership=review.partnership,
    )
    return extension


@transaction.atomic
def extension_decide(
    *, extension: Extension, by, approve: bool, decided_on: date, comment: str
) -> Extension:
    """A chair approves or refuses an extension; the coordinators are told. An approval moves
    the report's due date."""
    review = review_lock(extension.review)
    extension = Extension.objects.select_for_update().get(pk=extension.pk)
    workflow.guard_extension_decide(extension, review, by)
    if not approve and not comment.strip():
        raise ValidationError("Say why the extension is refused")
    workflow.EXTENSIONS.move(extension, "approve" if approve else "refuse")
    extension.decided_on = decided_on
    extension.decided_by = by
    extension.decision_comment = comment
    _save(extension, by=by, reason=f"Extension {extension.get_status_display().lower()}")
    review_refresh_clock_dates(review=review)
    email_queue(
        to=emails_of_role(review.partnership_id, Role.COORDINATOR),
        subject=f"Extension {extension.get_status_display().lower()}: {review.public_title}",
        template="email/extension_decided",
        context={
            "review": review,
            "extension": extension,
            "url": absolute_url(review.get_absolute_url()),
        },
        partnership=review.partnership,
    )
    return extension


PARTNERSHIP_SETTINGS_FIELDS = (
    "guidance_version",
    "reminder_days_before",
    "overdue_reminder_every_days",
    "qa_revision_days",
    "national_reply_days",
    "commissioner_copy_days",
    "retention_years",
    "review_wording",
)


@transaction.atomic
def partnership_update_settings(*, partnership: Partnership, by, data: dict) -> Partnership:
    """How the partnership's deadlines are chased, and the guidance new reviews start under."""
    partnership = Partnership.objects.select_for_update().get(pk=partnership.pk)
    if not may_record(by, partnership.pk):
        raise NotAllowed("Only a coordinator can change the partnership's settings.")
    if data.get("guidance_version", partnership.guidance_version) not in GuidanceVersion:
        raise ValidationError("Choose a guidance version")
    if data.get("review_wording", partnership.review_wording) not in ReviewWording:
        raise ValidationError("Select what the partnership calls its reviews")
    record_apply(partnership, data, PARTNERSHIP_SETTINGS_FIELDS)
    _save(partnership, by=by, reason="Settings changed")
    return partnership


@transaction.atomic
def review_conclude(*, review: Review, by, on: date, closing_audit: str) -> Review:
    """A chair confirms the closing audit: every action is done or no longer applies."""
    review = review_lock(review)
    transition = workflow.guard(review, "conclude", by)
    if not closing_audit.strip():
        raise ValidationError("Enter what the closing audit found")
    review.concluded_on, review.concluded_by = on, by
    review.closing_audit = closing_audit
    review.status = transition.target
    _save(review, by=by, reason=transition.label)
    return review


def confidential_view_record(*, user, review: Review) -> bool:
    """Say whether the user may see the review's confidential fields, and audit it if so (a
    read that writes: hence here, not among the selectors)."""
    if not may_see_confidential(user, review.partnership_id):
        return False
    AuditEvent.objects.create(
        user=user,
        kind=AuditEvent.Kind.CONFIDENTIAL_VIEWED,
        object_type="review",
        object_id=str(review.pk),
        detail=review.reference,
        review_id=review.pk,
    )
    return True
