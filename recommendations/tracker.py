"""The steering group's tracker report: a partnership's reviews and recommendations counted the
way its paper counts them. One function (`tracker_report`) gives the figures as plain data; the
page, the PDF, the CSV/XLSX and `manage.py tracker_report` all show that same data.

Where each recommendation stands comes from its actions, in the tracker's words:

    an action           its imported tracker status while it has one (until an update is
                        accepted here); otherwise Completed when it is completed or no longer
                        applies, Awaiting feedback while a request for updates on it is
                        unanswered, In progress or Not started as it stands
    a recommendation    completed when every action is completed; awaiting feedback when any
                        open action awaits feedback from its agency; otherwise in progress
                        (part completed, in progress or not started: open, with news)

Review figures count what happened in the period (all time when none is given): reviews
considered (notifications received), commissioned (decided to proceed), completed (submitted to
the Home Office) and published. A review imported from a tracker has no dates: it counts as all
four in the all-time figures (it reached monitoring), and in no dated period. Recommendation,
action and open-escalation figures are the tracker as it stands on the day.
"""

from collections import Counter
from dataclasses import dataclass
from datetime import date

from django.db.models import Max, Prefetch, Q

from recommendations.charts import Bar
from recommendations.models import (
    Action,
    ActionUpdate,
    Escalation,
    Recommendation,
    RequestedAgency,
    Scope,
    TrackerStatus,
)
from reviews.models import Review, Status

GROUPS = {
    "completed": "Completed",
    "in_progress": "Part completed, in progress or not started",
    "awaiting_feedback": "Awaiting feedback from the lead agency",
}
NO_THEME = "No theme"
# Stages a review has reached once its report is complete, and once it is published.
COMPLETED_STAGES = {
    Status.SUBMITTED,
    Status.QA_FEEDBACK,
    Status.REVISING,
    Status.APPROVED,
    Status.PUBLISHED,
    Status.MONITORING,
    Status.CONCLUDED,
}
PUBLISHED_STAGES = {Status.PUBLISHED, Status.MONITORING, Status.CONCLUDED}


@dataclass(frozen=True)
class Period:
    start: date | None = None
    end: date | None = None

    def q(self, field: str) -> Q:
        """Within the period (inclusive); all time when it has no ends."""
        q = Q()
        if self.start:
            q &= Q(**{f"{field}__gte": self.start})
        if self.end:
            q &= Q(**{f"{field}__lte": self.end})
        return q

    @property
    def is_all_time(self) -> bool:
        return self.start is None and self.end is None

    def as_json(self) -> dict:
        return {
            "from": self.start.isoformat() if self.start else None,
            "to": self.end.isoformat() if self.end else None,
        }

    def __str__(self):
        if self.is_all_time:
            return "All time"
        start = f"{self.start:%-d %B %Y}" if self.start else "the start"
        end = f"{self.end:%-d %B %Y}" if self.end else "today"
        return f"{start} to {end}"


def percent(count: int, total: int) -> int:
    """A whole-number percent, halves rounded up (1 of 8 is 13%)."""
    return (200 * count + total) // (2 * total) if total else 0


def awaiting_feedback_ids(partnership) -> set[int]:
    """Actions asked about in a request for updates that is still unanswered, with no update
    sent on them since the request."""
    asked = RequestedAgency.actions.through.objects.filter(
        requestedagency__request__partnership=partnership,
        requestedagency__answered_on__isnull=True,
    ).values_list("action_id", "requestedagency__request__sent_at")
    asked = list(asked)
    latest = dict(
        ActionUpdate.objects.filter(action_id__in={a for a, _ in asked})
        .values("action_id")
        .annotate(at=Max("submitted_at"))
        .values_list("action_id", "at")
    )
    return {action for action, sent in asked if latest.get(action) is None or latest[action] < sent}


def action_tracker_status(action: Action, awaiting: set[int]) -> str:
    if action.reported_status:
        return action.reported_status
    if action.status in Action.CLOSED:
        return TrackerStatus.COMPLETED
    if action.pk in awaiting:
        return TrackerStatus.AWAITING_FEEDBACK
    if action.status == Action.Status.IN_PROGRESS:
        return TrackerStatus.IN_PROGRESS
    return TrackerStatus.NOT_STARTED


def recommendation_group(words: list[str]) -> str:
    if words and all(word == TrackerStatus.COMPLETED for word in words):
        return "completed"
    if any(word == TrackerStatus.AWAITING_FEEDBACK for word in words):
        return "awaiting_feedback"
    return "in_progress"


def _ranked(counter: Counter, total: int, name: str) -> list[dict]:
    """[{name: ..., "count": N, "percent": N}], largest first, then by name."""
    items = sorted(counter.items(), key=lambda item: (-item[1], item[0].casefold()))
    return [{name: label, "count": n, "percent": percent(n, total)} for label, n in items]


def _review_figures(partnership, period: Period) -> dict:
    reviews = Review.objects.filter(partnership=partnership)
    imported = Q(imported_on__isnull=False) if period.is_all_time else Q(pk__in=[])
    return {
        "considered": reviews.filter(
            (period.q("notified_on") & Q(notified_on__isnull=False)) | imported
        ).count(),
        # Held by the chair's decision, or by a Secretary of State's direction after a decision
        # not to hold one (counted when directed).
        "commissioned": reviews.filter(
            (period.q("decided_on") & Q(proceed=True, decided_on__isnull=False))
            | (period.q("directed_on") & Q(directed_on__isnull=False))
            | imported
        ).count(),
        "completed": reviews.filter(
            (period.q("submitted_on") & Q(submitted_on__isnull=False)) | imported
        ).count(),
        "published": reviews.filter(
            (period.q("published_on") & Q(published_on__isnull=False)) | imported
        ).count(),
    }


def tracker_report(partnership, *, today: date, period: Period | None = None) -> dict:
    """Every figure of the report, as JSON-ready data (see the module's docstring)."""
    period = period or Period()
    awaiting = awaiting_feedback_ids(partnership)
    # The actions unordered by their model's ordering, which would join every recommendation
    # and review of the country to sort them: how they are counted does not depend on order.
    # Both prefetched into lists (to_attr): otherwise Django builds two querysets for each of
    # the partnership's hundreds of recommendations, which takes longer than reading the rows.
    actions = Action.objects.select_related("owner_agency").order_by()
    recommendations = list(
        Recommendation.objects.filter(review__partnership=partnership)
        .exclude(review__status=Status.NOT_PROCEEDING)
        .select_related("lead_agency")
        .prefetch_related(
            Prefetch("themes", to_attr="theme_list"),
            Prefetch("actions", queryset=actions, to_attr="action_list"),
        )
    )
    total = len(recommendations)
    groups = Counter(dict.fromkeys(GROUPS, 0))
    by_theme, by_lead, awaiting_by_lead = Counter(), Counter(), Counter()
    action_words, overdue = Counter(dict.fromkeys(TrackerStatus.values, 0)), Counter()
    actions_total = 0
    for recommendation in recommendations:
        words = []
        for action in recommendation.action_list:
            word = action_tracker_status(action, awaiting)
            words.append(word)
            action_words[word] += 1
            actions_total += 1
            if action.is_open and action.target_date < today:
                overdue[action.owner_agency.name] += 1
        group = recommendation_group(words)
        groups[group] += 1
        for theme in recommendation.theme_list or [None]:
            by_theme[theme.name if theme else NO_THEME] += 1
        by_lead[recommendation.lead_agency.name] += 1
        if group == "awaiting_feedback":
            awaiting_by_lead[recommendation.lead_agency.name] += 1
    escalations = Escalation.objects.filter(partnership=partnership)
    return {
        "partnership": partnership.name,
        "reviews_called": partnership.review_words.short,  # "DHR" or "DARDR" (dhr.wording)
        "period": period.as_json(),
        "as_of": today.isoformat(),
        "reviews": _review_figures(partnership, period),
        "recommendations": {
            "total": total,
            "by_status": dict(groups),
            "national": sum(1 for r in recommendations if r.scope == Scope.NATIONAL),
            "by_theme": _ranked(by_theme, total, "theme"),
            "by_lead_agency": _ranked(by_lead, total, "agency"),
            "awaiting_by_lead_agency": _ranked(
                awaiting_by_lead, groups["awaiting_feedback"], "agency"
            ),
        },
        "actions": {
            "total": actions_total,
            "by_status": {TrackerStatus(w).value: n for w, n in action_words.items()},
            "overdue": sum(overdue.values()),
            "overdue_by_agency": _ranked(overdue, sum(overdue.values()), "agency"),
        },
        "escalations": {
            "raised": escalations.filter(period.q("proposed_at__date")).count(),
            "open": escalations.filter(status__in=Escalation.OPEN).count(),
        },
    }


# --- the report's sections, as every format shows them


@dataclass(frozen=True)
class Line:
    label: str
    count: int
    percent: int | None = None


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    lines: list[Line]
    counted: str  # what the count column counts
    percent_of: str = ""  # what a percent is a share of; empty: no percent column
    chart: bool = True
    item: str = "Item"  # what the first column names

    def bars(self) -> list[Bar]:
        return [Bar(line.label, line.count) for line in self.lines]


def _lines(items: list[dict], name: str) -> list[Line]:
    return [Line(item[name], item["count"], item["percent"]) for item in items]


def sections(report: dict) -> list[Section]:
    reviews, recommendations = report["reviews"], report["recommendations"]
    actions, escalations = report["actions"], report["escalations"]
    total = recommendations["total"]
    return [
        Section(
            "reviews",
            "Reviews",
            [
                Line("Considered (notifications received)", reviews["considered"]),
                Line("Commissioned (decided to hold a review)", reviews["commissioned"]),
                Line("Completed (submitted to the Home Office)", reviews["completed"]),
                Line("Published", reviews["published"]),
            ],
            counted="Reviews",
        ),
        Section(
            "recommendations",
            "Recommendations",
            [
                Line("Recommendations in total", total),
                Line(
                    "For national bodies",
                    recommendations["national"],
                    percent(recommendations["national"], total),
                ),
            ],
            counted="Recommendations",
            percent_of="of all recommendations",
            chart=False,
        ),
        Section(
            "by_status",
            "Recommendations by status",
            [
                Line(label, recommendations["by_status"][key], percent(n, total))
                for key, label in GROUPS.items()
                for n in [recommendations["by_status"][key]]
            ],
            counted="Recommendations",
            percent_of="of all recommendations",
            item="Status",
        ),
        Section(
            "by_theme",
            "Recommendations by theme",
            _lines(recommendations["by_theme"], "theme"),
            counted="Recommendations",
            percent_of="of all recommendations (one may have several themes)",
            item="Theme",
        ),
        Section(
            "by_lead_agency",
            "Recommendations by lead agency",
            _lines(recommendations["by_lead_agency"], "agency"),
            counted="Recommendations",
            percent_of="of all recommendations",
            item="Agency",
        ),
        Section(
            "awaiting_by_lead_agency",
            "Awaiting feedback, by lead agency",
            _lines(recommendations["awaiting_by_lead_agency"], "agency"),
            counted="Recommendations awaiting feedback",
            percent_of="of those awaiting feedback",
            item="Agency",
        ),
        Section(
            "actions",
            "Actions by status",
            [
                Line(TrackerStatus(word).label, n, percent(n, actions["total"]))
                for word, n in actions["by_status"].items()
            ]
            + [Line("Overdue (open, past the target date)", actions["overdue"])],
            counted="Actions",
            percent_of="of all actions",
            item="Status",
        ),
        Section(
            "overdue_by_agency",
            "Overdue actions, by agency",
            _lines(actions["overdue_by_agency"], "agency"),
            counted="Overdue actions",
            percent_of="of overdue actions",
            item="Agency",
        ),
        Section(
            "escalations",
            "Escalations",
            [
                Line("Raised in the period", escalations["raised"]),
                Line("Open now", escalations["open"]),
            ],
            counted="Escalations",
            chart=False,
        ),
    ]
