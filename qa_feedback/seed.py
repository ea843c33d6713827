"""National-scale fictional data, for the benchmark (`bench/`) and for trying pages at size:
`manage.py seed_national [--partnerships 350 --reviews 3000 --recommendations 30000]`.

Every partnership gets a coordinator, a chair and a viewer; agencies are shared as in life (a
police force and a health board for every few partnerships, a council each, regional probation,
national bodies). Reviews are spread over every stage with dates that fit it; reviews from
drafting on have recommendations (two actions each by default) and the actions have updates;
reviews past submission have a recorded QA letter with points. Everything is written in bulk,
with its history, one partnership at a time so that memory stays flat. Every name is invented.
"""

import logging
import random
from contextlib import contextmanager
from datetime import date, datetime, time, timedelta
from itertools import islice

from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from dhr.models import Agency, AgencyContact, Membership, Partnership, Role, User
from qa_feedback.models import Category, Outcome, QALetter, QAPoint
from recommendations.models import Action, ActionUpdate, Recommendation, Theme
from recommendations.themes import themes_install
from reviews import clocks
from reviews.models import AgeBand, DeathType, Relationship, Review, Sex, Status

logger = logging.getLogger(__name__)
PASSWORD = "national-seed-2026"  # every seeded account; fictional people only
SLUG_PREFIX = "national-"
FIRST = ["North", "South", "East", "West", "Upper", "Lower", "Great", "Little", "Old", "New"]
MIDDLE = ["vale", "mere", "ford", "wick", "ham", "bury", "field", "brook", "stead", "ley",
          "worth", "cliffe", "dale", "marsh", "holm"]  # fmt: skip
LAST = ["", " Downs", " Hills", " Coast", " Valley", " Moor", " Forest"]
PSEUDONYMS = ["Ada", "Bea", "Cleo", "Dana", "Edie", "Faye", "Gwen", "Hana", "Iona", "Jude",
              "Kira", "Lena", "Mina", "Nora", "Orla", "Pia", "Rhea", "Sian", "Tara",
              "Vera"]  # fmt: skip
WORDS = ["risk", "assessment", "MARAC", "referral", "training", "housing", "GP", "probation",
         "information", "sharing", "safeguarding", "children", "employer", "family", "policy",
         "audit", "checklist", "police", "advocate", "mental", "health", "alcohol"]  # fmt: skip

# Each stage: its weight among reviews, and the days from notification to reaching it.
STAGES = [
    (Status.NOTIFIED, 3, 0),
    (Status.DECISION_PENDING, 4, 7),
    (Status.NOT_PROCEEDING, 10, 20),
    (Status.PROCEEDING, 3, 20),
    (Status.SET_UP, 5, 41),
    (Status.AGENCY_REPORTS, 10, 42),
    (Status.DRAFTING, 10, 120),
    (Status.SIGNED_OFF, 3, 200),
    (Status.SUBMITTED, 5, 210),
    (Status.QA_FEEDBACK, 3, 270),
    (Status.REVISING, 3, 272),
    (Status.APPROVED, 2, 285),
    (Status.PUBLISHED, 4, 295),
    (Status.MONITORING, 25, 300),
    (Status.CONCLUDED, 10, 700),
]
ORDER = [status for status, _, _ in STAGES]
# The date each stage sets, and its day from notification.
DATES = [
    ("referred_for_decision_on", Status.DECISION_PENDING, 7),
    ("decided_on", Status.PROCEEDING, 20),
    ("chair_appointed_on", Status.SET_UP, 30),
    ("terms_of_reference_agreed_on", Status.SET_UP, 40),
    ("set_up_completed_on", Status.SET_UP, 41),
    ("agency_reports_started_on", Status.AGENCY_REPORTS, 42),
    ("drafting_started_on", Status.DRAFTING, 120),
    ("signed_off_on", Status.SIGNED_OFF, 200),
    ("submitted_on", Status.SUBMITTED, 210),
    ("qa_feedback_received_on", Status.QA_FEEDBACK, 270),
    ("revision_started_on", Status.REVISING, 272),
    ("approved_for_publication_on", Status.APPROVED, 285),
    ("published_on", Status.PUBLISHED, 295),
    ("monitoring_started_on", Status.MONITORING, 300),
    ("concluded_on", Status.CONCLUDED, 700),
]
PLAN_FROM = ORDER.index(Status.DRAFTING)
QA_FROM = ORDER.index(Status.QA_FEEDBACK)


def area_names(count: int, rng: random.Random) -> list[str]:
    names = [f"{a}{b}{c}" for c in LAST for a in FIRST for b in MIDDLE]
    if count > len(names):
        names += [f"{n} {i}" for i in range(2, count // len(names) + 2) for n in names]
    rng.shuffle(names)
    return names[:count]


@contextmanager
def _set_dates_by_hand(*fields):
    """Let bulk_create keep the dates given (of the past), not stamp them with now."""
    saved = [(f, f.auto_now, f.auto_now_add) for f in fields]
    for field in fields:
        field.auto_now = field.auto_now_add = False
    try:
        yield
    finally:
        for field, now, now_add in saved:
            field.auto_now, field.auto_now_add = now, now_add


def _aware(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(10, 0)))


def _chunks(items, size):
    items = iter(items)
    while chunk := list(islice(items, size)):
        yield chunk


class Seeder:
    def __init__(self, *, partnerships, reviews, recommendations, actions_per, updates_per,
                 seed, today, say):  # fmt: skip
        self.rng = random.Random(seed)
        self.counts = {"partnerships": partnerships, "reviews": reviews,
                       "recommendations": recommendations}  # fmt: skip
        self.actions_per, self.updates_per = actions_per, updates_per
        self.today, self.say = today, say
        self.password = make_password(PASSWORD)
        self.written = dict.fromkeys(
            ["partnerships", "users", "agencies", "reviews", "recommendations", "actions",
             "updates", "qa_letters", "qa_points"], 0)  # fmt: skip

    # --- people and agencies

    def _users(self, rows) -> list[User]:
        users = [
            User(email=email, name=name, password=self.password, date_joined=timezone.now())
            for email, name in rows
        ]
        users = bulk_create_with_history(users, User, batch_size=1000)
        self.written["users"] += len(users)
        return users

    def _agencies(self, areas: list[str]) -> dict:
        per = 8  # partnerships served by one police force or health board
        specs = []
        for i in range(0, len(areas), per):
            region = areas[i]
            specs += [(f"{region} Police", Agency.Kind.POLICE),
                      (f"{region} Integrated Care Board", Agency.Kind.HEALTH)]  # fmt: skip
        specs += [(f"{a} Council", Agency.Kind.LOCAL_AUTHORITY) for a in areas]
        specs += [(f"Probation Service region {n}", Agency.Kind.PROBATION) for n in range(1, 13)]
        specs += [("Home Office (national seed)", Agency.Kind.NATIONAL),
                  ("Department for Work and Pensions (national seed)", Agency.Kind.NATIONAL),
                  ("NHS England (national seed)", Agency.Kind.NATIONAL)]  # fmt: skip
        agencies = bulk_create_with_history(
            [Agency(name=name, kind=kind) for name, kind in specs], Agency, batch_size=1000
        )
        self.written["agencies"] += len(agencies)
        contacts = self._users(
            (f"contact{n}@national.example.org", f"Agency Contact {n}")
            for n in range(len(agencies))
        )
        # Each named for the partnerships made later that the agency serves (`_served`).
        self.contact_rows = {
            c.agency_id: c
            for c in AgencyContact.objects.bulk_create(
                AgencyContact(user=u, agency=a) for u, a in zip(contacts, agencies, strict=True)
            )
        }
        by_name = {a.name: a for a in agencies}
        self.contact_of = {a.pk: u for a, u in zip(agencies, contacts, strict=True)}
        self.national = [a for a in agencies if a.kind == Agency.Kind.NATIONAL]
        self.probation = [a for a in agencies if a.kind == Agency.Kind.PROBATION]
        return {
            area: {
                "police": by_name[f"{areas[i - i % per]} Police"],
                "health": by_name[f"{areas[i - i % per]} Integrated Care Board"],
                "council": by_name[f"{area} Council"],
            }
            for i, area in enumerate(areas)
        }

    # --- reviews

    def _stage(self) -> int:
        weights = [w for _, w, _ in STAGES]
        return self.rng.choices(range(len(STAGES)), weights=weights)[0]

    def _review(self, partnership, local, number, stage: int) -> Review:
        status, _, reached = STAGES[stage]
        rng = self.rng
        # Notified long enough ago to have reached the stage, but not the next one.
        following = STAGES[stage + 1][2] if stage + 1 < len(STAGES) else reached + 1500
        if status == Status.NOT_PROCEEDING:
            following = reached + 2000
        age = rng.randint(reached, max(reached, following - 1))
        notified = self.today - timedelta(days=age)
        review = Review(
            partnership=partnership,
            reference=f"DHR-{notified.year}-{number:03d}",
            status=status,
            guidance_version=partnership.guidance_version,
            notifying_force=local["police"],
            notified_on=notified,
            death_type=rng.choice([DeathType.HOMICIDE] * 3 + [DeathType.SUICIDE]),
            victim_pseudonym=rng.choice(PSEUDONYMS),
            victim_name=f"Fictional Name {number}",
            victim_age_band=rng.choice([b for b in AgeBand.values if b != AgeBand.UNKNOWN]),
            victim_sex=rng.choice([Sex.FEMALE] * 4 + [Sex.MALE]),
            relationship=rng.choice(list(Relationship.values)),
        )
        if status == Status.NOT_PROCEEDING:
            review.referred_for_decision_on = notified + timedelta(days=7)
            review.decided_on, review.proceed = notified + timedelta(days=20), False
            review.decision_reasons = "The criteria for a review were not met"
        else:
            for field, from_status, day in DATES:
                if ORDER.index(from_status) <= stage:
                    setattr(review, field, notified + timedelta(days=day))
            if review.decided_on:
                review.proceed = True
                review.decision_reasons = "The criteria for a review were met"
        if review.published_on:
            review.published_url = "https://example.org/dhr/published.pdf"
        review.decision_due_on = clocks.decision_due(review)
        review.scoping_due_on = clocks.scoping_due(review)
        review.report_due_on, _ = clocks.stored_report_due(review, pauses=[], extension=None)
        return review

    def _plan(self, reviews, per_review: list[int], local, themes, coordinator):
        rng = self.rng
        recommendations = []
        for review, count in zip(reviews, per_review, strict=True):
            for number in range(1, count + 1):
                lead = rng.choice(
                    [local["police"], local["health"], local["council"],
                     rng.choice(self.probation)] * 3 + [rng.choice(self.national)]
                )  # fmt: skip
                recommendations.append(
                    Recommendation(
                        review=review,
                        number=number,
                        text=f"{lead.name} should " + " ".join(rng.choices(WORDS, k=12)),
                        scope="national" if lead.kind == Agency.Kind.NATIONAL else "local",
                        lead_agency=lead,
                    )
                )
        recommendations = bulk_create_with_history(
            recommendations, Recommendation, batch_size=2000, default_user=coordinator
        )
        Through = Recommendation.themes.through
        Through.objects.bulk_create(
            Through(recommendation_id=r.pk, theme_id=rng.choice(themes).pk) for r in recommendations
        )
        self.written["recommendations"] += len(recommendations)
        return recommendations

    def _actions(self, recommendations, review_of, coordinator):
        rng = self.rng
        actions = []
        for recommendation in recommendations:
            review = review_of[recommendation.review_id]
            concluded = review.status == Status.CONCLUDED
            for _ in range(self.actions_per):
                start = review.drafting_started_on
                status = (
                    Action.Status.COMPLETED
                    if concluded
                    else rng.choice([Action.Status.NOT_STARTED, Action.Status.IN_PROGRESS,
                                     Action.Status.IN_PROGRESS, Action.Status.COMPLETED])
                )  # fmt: skip
                actions.append(
                    Action(
                        recommendation=recommendation,
                        description=" ".join(rng.choices(WORDS, k=10)).capitalize(),
                        owner_agency=recommendation.lead_agency,
                        target_date=start + timedelta(days=rng.randint(90, 720)),
                        completion_evidence="A report to the steering group",
                        status=status,
                        completed_on=self.today if status == Action.Status.COMPLETED else None,
                        updated_at=_aware(start),
                    )
                )
        with _set_dates_by_hand(Action._meta.get_field("updated_at")):
            actions = bulk_create_with_history(
                actions, Action, batch_size=2000, default_user=coordinator
            )
        self.written["actions"] += len(actions)
        return actions

    def _updates(self, actions, review_of, recommendation_of, coordinator):
        rng = self.rng
        updates = []
        for action in actions:
            review = review_of[recommendation_of[action.recommendation_id].review_id]
            author = self.contact_of[action.owner_agency_id]
            first = review.drafting_started_on
            span = max(1, (self.today - first).days)
            count = rng.randint(0, 2 * self.updates_per)
            for day in sorted(rng.randint(1, span) for _ in range(count)):
                when = _aware(first + timedelta(days=day))
                updates.append(
                    ActionUpdate(
                        action=action,
                        author=author,
                        submitted_at=when,
                        new_status=rng.choice([Action.Status.IN_PROGRESS, action.status]),
                        narrative=" ".join(rng.choices(WORDS, k=15)).capitalize(),
                        state=ActionUpdate.State.ACCEPTED,
                        reviewed_by=coordinator,
                        reviewed_at=when + timedelta(days=2),
                    )
                )
        with _set_dates_by_hand(ActionUpdate._meta.get_field("submitted_at")):
            for chunk in _chunks(updates, 5000):
                bulk_create_with_history(chunk, ActionUpdate, batch_size=5000)
        self.written["updates"] += len(updates)

    def _qa(self, reviews, coordinator):
        rng = self.rng
        letters = [
            QALetter(
                review=review,
                state=QALetter.State.RECORDED,
                received_on=review.qa_feedback_received_on,
                letter_date=review.qa_feedback_received_on - timedelta(days=3),
                outcome=rng.choice([Outcome.ADEQUATE, Outcome.PUBLISH_AFTER_REVISION]),
                full_text="Dear Chair, the panel considered the report. (Seeded, fictional.)",
                created_by=coordinator,
                recorded_by=coordinator,
                recorded_at=_aware(review.qa_feedback_received_on),
            )
            for review in reviews
            if review.qa_feedback_received_on
        ]
        letters = bulk_create_with_history(letters, QALetter, batch_size=1000)
        resolved = ORDER.index(Status.APPROVED)
        points = [
            QAPoint(
                letter=letter,
                number=n,
                text=" ".join(rng.choices(WORDS, k=14)).capitalize(),
                category=rng.choice(list(Category.values)),
                status=(
                    QAPoint.Status.ADDRESSED
                    if ORDER.index(letter.review.status) >= resolved
                    else QAPoint.Status.OPEN
                ),
                response="Changed in the report" if ORDER.index(letter.review.status) >= resolved
                else "",
            )
            for letter in letters
            for n in range(1, 6)
        ]  # fmt: skip
        bulk_create_with_history(points, QAPoint, batch_size=2000)
        self.written["qa_letters"] += len(letters)
        self.written["qa_points"] += len(points)

    def _served(self, partnership, local: dict) -> None:
        """The partnership's contacts: its area's police, health board and council, and every
        probation region and national body (the seed's reviews may name any of them)."""
        agencies = [*local.values(), *self.probation, *self.national]
        through = AgencyContact.partnerships.through
        through.objects.bulk_create(
            through(agencycontact_id=self.contact_rows[a.pk].pk, partnership_id=partnership.pk)
            for a in agencies
        )

    # --- the whole

    def run(self) -> dict[str, int]:
        themes_install()
        themes = list(Theme.objects.all())
        n = self.counts["partnerships"]
        areas = area_names(n, self.rng)
        with transaction.atomic():
            local = self._agencies(areas)
        # Reviews and recommendations spread over partnerships as evenly as whole numbers go.
        reviews_for = [self.counts["reviews"] // n + (i < self.counts["reviews"] % n)
                       for i in range(n)]  # fmt: skip
        stages = [self._stage() for _ in range(self.counts["reviews"])]
        with_plan = sum(1 for s in stages if s >= PLAN_FROM and STAGES[s][0] != "not_proceeding")
        per_plan = self.counts["recommendations"] / max(1, with_plan)
        stage_iter = iter(stages)
        plan_left = self.counts["recommendations"]
        for index, area in enumerate(areas):
            with transaction.atomic():
                partnership = Partnership.objects.create(
                    name=f"{area} Community Safety Partnership (national seed)",
                    slug=f"{SLUG_PREFIX}{index + 1:03d}",
                    area=area,
                )
                self.written["partnerships"] += 1
                self._served(partnership, local[area])
                slug = partnership.slug
                coordinator, chair, viewer = self._users(
                    [(f"coordinator@{slug}.example.org", f"Coordinator {index + 1}"),
                     (f"chair@{slug}.example.org", f"Chair {index + 1}"),
                     (f"viewer@{slug}.example.org", f"Viewer {index + 1}")]
                )  # fmt: skip
                Membership.objects.bulk_create(
                    [Membership(user=coordinator, partnership=partnership, role=Role.COORDINATOR),
                     Membership(user=chair, partnership=partnership, role=Role.CHAIR),
                     Membership(user=viewer, partnership=partnership, role=Role.VIEWER)]
                )  # fmt: skip
                reviews = [
                    self._review(partnership, local[area], number, next(stage_iter))
                    for number in range(1, reviews_for[index] + 1)
                ]
                reviews = bulk_create_with_history(
                    reviews, Review, batch_size=1000, default_user=coordinator
                )
                self.written["reviews"] += len(reviews)
                planned = [
                    r for r in reviews
                    if ORDER.index(r.status) >= PLAN_FROM and r.status != Status.NOT_PROCEEDING
                ]  # fmt: skip
                counts = []
                for review in planned:
                    count = min(plan_left, max(1, round(self.rng.gauss(per_plan, 2))))
                    if index == len(areas) - 1 and review is planned[-1]:
                        count = plan_left  # the last review takes what is left
                    plan_left -= count
                    counts.append(count)
                review_of = {r.pk: r for r in reviews}
                recommendations = self._plan(planned, counts, local[area], themes, coordinator)
                actions = self._actions(recommendations, review_of, coordinator)
                recommendation_of = {r.pk: r for r in recommendations}
                self._updates(actions, review_of, recommendation_of, coordinator)
                self._qa([r for r in reviews if ORDER.index(r.status) >= QA_FROM], coordinator)
            if (index + 1) % 25 == 0 or index + 1 == n:
                self.say(f"{index + 1} of {n} partnerships: {self.written}")
        return self.written


def seed_national(
    *,
    partnerships=350,
    reviews=3000,
    recommendations=30000,
    actions_per=2,
    updates_per=4,
    seed=1,
    today=None,
    say=logger.info,
) -> dict[str, int]:
    if Partnership.objects.filter(slug__startswith=SLUG_PREFIX).exists():
        raise ValueError("The national seed is already loaded (partnerships national-…)")
    written = Seeder(
        partnerships=partnerships,
        reviews=reviews,
        recommendations=recommendations,
        actions_per=actions_per,
        updates_per=updates_per,
        seed=seed,
        today=today or timezone.localdate(),
        say=say,
    ).run()
    _analyze()
    return written


def _analyze() -> None:
    """Give PostgreSQL's planner statistics of what was just loaded, as its manual advises after
    a bulk load. Until autovacuum gets round to the tables (never, where it is off) the planner
    guesses from their size alone, and plans for thousands of rows where a page reads tens:
    the pages are then measured as no database with its statistics would serve them."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
