"""Every read of reviews that a view makes, scoped to the user.

`reviews_visible_to(user)` is the one rule: the reviews this user may know of. Lists use it as
it is; a single review is looked up through it, so a review outside it is a 404, never a 403.
"""

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from dhr.models import AuditEvent, Partnership, Role
from dhr.permissions import is_admin, may_see_confidential, partnership_ids_with
from reviews import clocks
from reviews.models import Review, Status


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


def partnerships_recording_for(user) -> QuerySet[Partnership]:
    """The partnerships in which the user may record a new notification."""
    if is_admin(user):
        return Partnership.objects.all()
    return Partnership.objects.filter(pk__in=partnership_ids_with(user, Role.COORDINATOR))


def confidential_view_record(*, user, review: Review) -> bool:
    """Say whether the user may see the review's confidential fields, and audit it if so."""
    if not may_see_confidential(user, review.partnership_id):
        return False
    AuditEvent.objects.create(
        user=user,
        kind=AuditEvent.Kind.CONFIDENTIAL_VIEWED,
        object_type="review",
        object_id=str(review.pk),
        detail=review.reference,
    )
    return True


@dataclass(frozen=True)
class Deadline:
    review: Review
    what: str
    due: date
    days_left: int

    @property
    def overdue(self) -> bool:
        return self.days_left < 0


def review_deadline(review: Review, today: date) -> Deadline | None:
    """The next statutory date the review is working towards, if any."""
    if review.status in (Status.NOTIFIED, Status.DECISION_PENDING):
        due, what = clocks.decision_due(review), "Decision"
    elif review.status in (
        Status.PROCEEDING,
        Status.SET_UP,
        Status.AGENCY_REPORTS,
        Status.DRAFTING,
    ):
        due, what = clocks.report_due(review), "Overview report"
    else:
        return None
    if due is None or review.is_closed:
        return None
    return Deadline(review=review, what=what, due=due, days_left=(due - today).days)


def dashboard(*, user, upcoming: int = 8) -> dict:
    """The user's reviews counted by stage, and the statutory dates falling due next."""
    visible = reviews_visible_to(user)
    counts = dict(visible.order_by().values_list("status").annotate(n=Count("pk")))
    by_stage = [(status, counts.get(status.value, 0)) for status in Status]
    today = timezone.localdate()
    open_reviews = visible.exclude(status__in=[Status.NOT_PROCEEDING, Status.SUBMITTED])
    deadlines = [d for r in open_reviews if (d := review_deadline(r, today)) is not None]
    deadlines.sort(key=lambda d: d.due)
    return {
        "by_stage": by_stage,
        "total": sum(counts.values()),
        "deadlines": deadlines[:upcoming],
        "overdue_count": sum(1 for d in deadlines if d.overdue),
    }
