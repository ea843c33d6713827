"""Everyone's next task: the work queues at the top of the dashboard.

"Waiting for you" holds what the person must do now, "Waiting for others" what they are
watching others do, both grouped by kind (`KINDS`, in order: the statutory steps first, the
agencies' actions last) and most urgent first within a group. A task is one of two things:

- a deadline (`reviews.deadlines.open_deadlines`, the same list the chase works from) that the
  chase is chasing today: overdue, or within its partnership's reminder days
  (`clocks.reminder_step`), so the queue holds exactly what the chase would remind of;
- a task with no date that waits for someone: an update to accept, an escalation to decide, a
  QA letter's points to answer... (each app's `work_sources`, see `reviews.extensions`).

Whose a task is follows who must act: the coordinators, the chairs or an agency's contacts (the
overview report and the scoping review are the panel's and the report author's work, watched
by the coordinators and chairs). Deadlines not yet chased, due within 30 days, are "coming up".
"""

from dataclasses import dataclass, field, replace
from datetime import date, timedelta

from django.db.models import QuerySet
from django.urls import reverse

from dhr.models import Agency, Partnership, Role
from dhr.permissions import agency_ids, may_record, partnership_ids_with, serves
from reviews import clocks, extensions
from reviews.deadlines import Chase, Deadline, open_deadlines
from reviews.models import AgencyReport, Review, Status

# data-kind: the group's heading, in the order the groups are shown.
KINDS = {
    "decision": "Decisions on whether to hold a review",
    "home-office-notice": "Home Office to be told of the decision",
    "safeguarding-notice": "Children's safeguarding partners to be told",
    "terms-of-reference": "Terms of reference",
    "extension": "Extensions to decide",
    "pause": "Pauses of the clock to agree",
    "imr": "Agency reports (IMRs)",
    "update-to-review": "Updates to accept or return",
    "update-request": "Requests for updates",
    "escalation": "Escalations",
    "national-reply": "Replies from national bodies",
    "qa-letter": "QA points to answer",
    "revised-report": "Revised reports after QA",
    "qa-approval": "Reports to approve for publication",
    "publication-step": "Publication steps",
    "commissioner-copy": "Copies to the Domestic Abuse Commissioner",
    "closing-audit": "Closing audits",
    "action": "Actions",
}
# A task as the person who does it reads it, by kind: the deadline names what is due ("Notice
# of the decision to the Home Office"), the doer's queue says what to do. The kinds not here keep
# their own words (`_instruction`: they need the context their deadline gives them).
INSTRUCTIONS = {
    "home-office-notice": "Tell the Home Office of the decision",
    "safeguarding-notice": "Tell the children's safeguarding partners of the review",
    "terms-of-reference": "Agree the terms of reference",
    "update-request": "Send the updates asked for on your agency's actions",
    "revised-report": "Revise the report on the Home Office QA panel's points",
    "commissioner-copy": "Send the Domestic Abuse Commissioner a copy of the report",
}
# What others do that a person watches, but nobody in the service does themselves.
WATCHED = {
    "report": "Overview reports",
    "scoping": "Scoping reviews",
}
HORIZON_DAYS = 30


class Actor:
    """Who must act on a task."""

    COORDINATORS = "coordinators"
    CHAIRS = "chairs"
    AGENCY = "agency"  # the agency's contacts
    PANEL = "panel"  # the review panel and its report author, outside the service


@dataclass(frozen=True)
class Item:
    kind: str  # a key of KINDS (or of WATCHED)
    actor: str
    partnership: Partnership
    review: Review | None
    what: str  # what is due or waiting, as anyone watching reads it
    url: str
    today: date
    due: date | None = None  # a deadline's date
    statutory: date | None = None  # the statutory date, when extensions or pauses moved it
    since: date | None = None  # a task without a date: since when it has waited
    agency: Agency | None = None
    note: str = ""  # more for the person acting (the reason an update was returned)
    key: tuple[str, str] = ("", "")  # (object type, id): the same task from two sources is one
    todo: str = ""  # the task as an instruction to the one who does it, when `what` is not one

    @classmethod
    def of_review(cls, review: Review, **fields) -> "Item":
        """A task on a review (of the review's partnership)."""
        return cls(partnership=review.partnership, review=review, **fields)

    @property
    def instruction(self) -> str:
        """What the one who does it reads in their queue ("Tell the Home Office of the
        decision")."""
        return self.todo or self.what

    @property
    def days_left(self) -> int | None:
        return clocks.days_left(self.due, self.today)

    @property
    def overdue(self) -> bool:
        return self.due is not None and self.due < self.today

    @property
    def urgency(self) -> tuple:
        """Most urgent first: the longest overdue, then the soonest due, then the longest
        waiting."""
        return (self.due or self.since or self.today, self.what, self.key)

    @property
    def title(self) -> str:
        return self.review.public_title if self.review else self.partnership.name

    @property
    def watch_url(self) -> str:
        """For someone watching rather than doing it: the review's page, which everyone who
        can see the review can open (the page where it is done may be the doer's alone)."""
        return self.review.get_absolute_url() if self.review else ""

    @property
    def where(self) -> str:
        """The review (or partnership), and the agency when the task is not the agency's own."""
        if self.agency is not None and self.actor != Actor.AGENCY:
            return f"{self.title}, {self.agency.name}"
        return self.title


@dataclass(frozen=True)
class Group:
    kind: str
    heading: str
    items: list[Item]


@dataclass(frozen=True)
class Work:
    mine: list[Group]
    others: list[Group]
    coming_up: list[Deadline] = field(default_factory=list)

    @property
    def mine_count(self) -> int:
        return sum(len(g.items) for g in self.mine)

    @property
    def others_count(self) -> int:
        return sum(len(g.items) for g in self.others)


def chased_today(deadline: Deadline, today: date) -> bool:
    """Whether the chase is reminding of this deadline today: it has reached one of its
    partnership's reminder steps (or is overdue)."""
    return deadline.reminder_step(today) is not None or deadline.overdue


def _actor(deadline: Deadline) -> str:
    if deadline.kind in WATCHED:
        return Actor.PANEL
    if deadline.kind == "imr":
        # The coordinator chases an agency's overdue report; before then it is the agency's.
        return Actor.COORDINATORS if deadline.overdue else Actor.AGENCY
    return {
        Chase.CHAIRS: Actor.CHAIRS,
        Chase.COORDINATORS: Actor.COORDINATORS,
        Chase.AGENCY: Actor.AGENCY,
    }[deadline.chase]


def _url(deadline: Deadline) -> str:
    """Where the task is done (the deadline's own link, where that is the place)."""
    review_id = deadline.review.pk if deadline.review else None
    if deadline.kind == "decision":
        if deadline.chase == Chase.CHAIRS:
            return reverse("reviews:decision", args=[review_id])
        return reverse("reviews:transition", args=[review_id, "refer_for_decision"])
    if deadline.kind == "extension":
        return reverse("reviews:extension_decide", args=[review_id, deadline.object_id])
    if deadline.kind == "pause":
        return reverse("reviews:proceeding_pause", args=[review_id, deadline.object_id])
    if deadline.kind == "imr" and _actor(deadline) == Actor.COORDINATORS:
        return reverse("reviews:agency_report", args=[review_id, deadline.object_id])
    return deadline.url


def _instruction(deadline: Deadline) -> str:
    """The deadline as an instruction to the one who must meet it (`INSTRUCTIONS`); a task
    whose words need its deadline's context (an agency, a date, a recommendation) keeps them,
    with what to do added where the deadline's own words do not say it."""
    fresh = deadline.review is not None and deadline.review.reconsideration_asked_on
    if deadline.kind == "decision":
        if deadline.chase == Chase.COORDINATORS:
            return "Put it to the CSP chair to decide whether to hold a review"
        if fresh:
            return "Make a fresh decision, as the Home Office QA panel asked"
        return "Decide whether to hold a review"
    if deadline.kind == "home-office-notice" and fresh:
        return "Tell the Home Office of the fresh decision"
    if deadline.kind == "imr" and _actor(deadline) == Actor.COORDINATORS:
        return f"{deadline.what}: chase the agency, or record it as received"
    if deadline.kind == "national-reply":
        return f"{deadline.what}: chase it, or record the reply"
    return deadline.todo or INSTRUCTIONS.get(deadline.kind, "")


def item_from_deadline(deadline: Deadline, today: date) -> Item:
    return Item(
        kind=deadline.kind,
        actor=_actor(deadline),
        partnership=deadline.partnership,
        review=deadline.review,
        what=deadline.what,
        todo=_instruction(deadline),
        url=_url(deadline),
        today=today,
        due=deadline.due,
        statutory=deadline.statutory,
        agency=deadline.agency,
        key=(deadline.object_type, deadline.object_id),
    )


def _agency_report_to_send(deadline: Deadline, today: date) -> Item:
    """The agency's own report as its contacts see it: to send, or, arrived without its
    requirements, what is still to be recorded (they send it to the coordinator, outside the
    service for now, so there is no page to link to)."""
    if deadline.missing:
        todo = "Agency report (IMR) received, not yet complete: send the partnership's "
        todo += "coordinator what is still to be recorded"
        note = f"Still to be recorded: {'; '.join(deadline.missing)}."
    else:
        todo, note = f"{deadline.what}: send it to the partnership's coordinator", ""
    return replace(
        item_from_deadline(deadline, today),
        actor=Actor.AGENCY,
        url="",
        key=(f"{deadline.object_type}.agency", deadline.object_id),
        todo=todo,
        note=note,
    )


def _agency_reports_of(agencies: list[int], today: date) -> list[Item]:
    """An agency's own reports (IMRs) not yet counting as received, for its contacts, from the
    day the chase reminds them."""
    if not agencies:
        return []
    asked = Review.objects.filter(
        agency_reports__in=AgencyReport.objects.outstanding().filter(agency_id__in=agencies)
    )
    return [
        _agency_report_to_send(d, today)
        for d in open_deadlines(reviews=asked.distinct(), today=today)
        if d.kind == "imr" and d.agency.pk in agencies and chased_today(d, today)
    ]


def _reconsiderations(reviews: QuerySet[Review], today: date) -> list[Item]:
    """A decision the Home Office QA panel asked the partnership to reconsider waits for the
    chair from the day it is asked, not only once the chase reminds of it: the same task as
    the decision's deadline (its key), which it replaces."""
    asked = reviews.filter(
        status=Status.DECISION_PENDING, reconsideration_asked_on__isnull=False
    ).select_related("partnership")
    return [
        Item.of_review(
            review,
            kind="decision",
            actor=Actor.CHAIRS,
            what="Reconsider the decision not to hold a review: the Home Office QA panel asked "
            f"on {review.reconsideration_asked_on:%-d %B %Y}",
            url=reverse("reviews:decision", args=[review.pk]),
            today=today,
            due=review.decision_due_on,
            key=("review.decision", str(review.pk)),
        )
        for review in asked
    ]


def _is_mine(item: Item, *, coordinating: set, chairing: set, user) -> bool:
    if item.actor == Actor.COORDINATORS:
        return item.partnership.pk in coordinating
    if item.actor == Actor.CHAIRS:
        return item.partnership.pk in chairing
    if item.actor == Actor.AGENCY:
        # The agency's tasks of the partnerships the contact serves for it: the sources read
        # every partnership's tasks of the agency, as they read every review's.
        return item.agency is not None and serves(user, item.agency.pk, item.partnership.pk)
    return False


def _groups(items: list[Item], headings: dict[str, str]) -> list[Group]:
    by_kind: dict[str, list[Item]] = {}
    for item in sorted(items, key=lambda i: i.urgency):
        by_kind.setdefault(item.kind, []).append(item)
    return [
        Group(kind, heading, by_kind[kind]) for kind, heading in headings.items() if kind in by_kind
    ]


def work_for(user, *, reviews: QuerySet[Review], today: date) -> Work:
    """What waits for this person now, what they watch others do, and what is coming up, in
    the reviews they can see (and, for an agency's contacts, their agency's tasks)."""
    agencies = agency_ids(user)
    # Far enough ahead for every reminder step of these reviews' partnerships, and the horizon.
    steps = Partnership.objects.filter(pk__in=reviews.values("partnership")).values_list(
        "reminder_days_before", flat=True
    )
    furthest = max([HORIZON_DAYS, *(max(s, default=0) for s in steps)])
    deadlines = open_deadlines(reviews=reviews, today=today, until=today + timedelta(furthest))
    now = [item_from_deadline(d, today) for d in deadlines if chased_today(d, today)]
    now += _agency_reports_of(agencies, today)
    for source in extensions.work_sources():
        now += source(reviews=reviews, agencies=agencies, today=today)
    now += _reconsiderations(reviews, today)
    unique = list({(item.kind, item.key): item for item in now}.values())

    roles = {
        "coordinating": set(partnership_ids_with(user, Role.COORDINATOR)),
        "chairing": set(partnership_ids_with(user, Role.CHAIR)),
        "user": user,
    }
    mine = [item for item in unique if _is_mine(item, **roles)]
    # Others' tasks in the reviews this person can see (an agency's contact sees none).
    visible = set(reviews.values_list("pk", flat=True))
    others = [
        item
        for item in unique
        if not _is_mine(item, **roles) and item.review is not None and item.review.pk in visible
    ]
    shown = {item.key for item in unique}
    horizon = today + timedelta(days=HORIZON_DAYS)
    # A coordinators' form is linked for those who may send it; the others read the review.
    coming_up = [
        d
        if not d.coordinators_form or may_record(user, d.partnership.pk) or d.review is None
        else replace(d, url=d.review.get_absolute_url())
        for d in deadlines
        if not d.overdue and d.due <= horizon and (d.object_type, d.object_id) not in shown
    ]
    return Work(
        mine=_groups(mine, KINDS),
        others=_groups(others, {**KINDS, **WATCHED}),
        coming_up=coming_up,
    )
