"""Fictional action plans for the demo reviews that have reached drafting, built through the
services so they have real history. Every word is invented."""

from datetime import timedelta
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from dhr.models import Agency, Partnership, User
from recommendations import services, tracker_import, workflow
from recommendations.models import Action, Theme
from recommendations.themes import themes_install
from reviews import services as review_services
from reviews.demo import pdf_upload
from reviews.models import Review, Status

PLAN = [
    (
        "Northvale Police should make sure every officer attending a domestic incident "
        "completes the risk checklist and shares it with the MARAC coordinator the same day.",
        "local",
        "Northvale Police",
        ["Risk assessment", "Information sharing and multi-agency working"],
        [
            (
                "Northvale Police",
                "Audit 50 domestic incident reports for risk checklist use "
                "and report the findings to the steering group.",
                60,
                "The audit report and its findings",
            ),
            (
                "Northvale Police",
                "Refresh training on the risk checklist for all response officers.",
                70,
                "Training records showing 90% of officers trained",
            ),
        ],
    ),
    (
        "The Integrated Care Board should ask GP practices to record and act on disclosures "
        "of domestic abuse, with a named safeguarding lead in each practice.",
        "local",
        "Northvale Integrated Care Board",
        ["Awareness and training for healthcare professionals"],
        [
            (
                "Northvale Integrated Care Board",
                "Write to every GP practice naming the "
                "safeguarding lead expected and the recording standard.",
                45,
                "A copy of the letter and the list of named leads",
            ),
        ],
    ),
    (
        "The Home Office should publish guidance on sharing information with families "
        "during parallel proceedings.",
        "national",
        "Northvale Council Children's Services",
        ["Agency-specific policies or issues"],
        [
            (
                "Northvale Homes",
                "Add a question on domestic abuse to the tenancy review "
                "visit and train housing officers to respond to it.",
                120,
                "The revised visit form and training attendance",
            ),
        ],
    ),
]


def recommendations_write(review: Review, *, by) -> None:
    """The demo plan's recommendations, written by the coordinator with the overview report:
    the demo of reviews calls this before the CSP chair signs the report off, which needs one
    (`extensions.demo_steps`). Their actions come with the rest of the plan (`load`)."""
    themes_install()
    start = _start(review)
    for text, scope, lead, themes, _ in PLAN:
        # The national recommendation is addressed to the Home Office, sent 20 days in.
        national = (
            {"addressee": "home_office", "sent_to_body_on": start + timedelta(days=20)}
            if scope == "national"
            else {}
        )
        services.recommendation_save(
            review=review,
            by=by,
            data={
                "text": text,
                "scope": scope,
                "lead_agency": Agency.objects.get(name=lead),
                "themes": list(Theme.objects.filter(name__in=themes)),
                **national,
            },
        )


def _start(review: Review):
    """The day the plan's dates count from: spread around today, so that some targets are
    overdue and some coming up. Both of the police's actions are overdue on most plans, so the
    chase proposes one escalation covering both."""
    return timezone.localdate() - timedelta(days=90 + 10 * review.pk % 30)


def _actions_write(review: Review, *, by) -> None:
    start = _start(review)
    recommendations = review.recommendations.order_by("number")
    for recommendation, (*_, actions) in zip(recommendations, PLAN, strict=True):
        for owner, description, days, evidence in actions:
            services.action_save(
                recommendation=recommendation,
                by=by,
                data={
                    "description": description,
                    "owner_agency": Agency.objects.get(name=owner),
                    "target_date": start + timedelta(days=days),
                    "completion_evidence": evidence,
                },
            )


@transaction.atomic
def load() -> dict:
    """Action plans for the demo reviews at drafting and beyond, once."""
    themes_install()
    coordinator = User.objects.get(email="coordinator@example.org")
    police = User.objects.get(email="police.contact@example.org")
    reviews = Review.objects.filter(
        partnership__slug="northvale",
        status__in=workflow.PLAN_EDITABLE_IN - {Status.AGENCY_REPORTS},
    )
    for index, review in enumerate(reviews.order_by("pk")):
        if Action.objects.filter(recommendation__review=review).exists():
            continue  # loaded before, or imported from the tracker
        if not review.recommendations.exists():  # else written before sign-off
            recommendations_write(review, by=coordinator)
        _actions_write(review, by=coordinator)
        _national_reply(
            index, review.recommendations.get(scope="national"), coordinator, _start(review)
        )
        # The police have reported on their first action; the coordinator accepted it.
        first = Action.objects.filter(
            recommendation__review=review, owner_agency__name="Northvale Police"
        ).first()
        update = services.action_update_submit(
            action=first,
            by=police,
            new_status=Action.Status.IN_PROGRESS,
            narrative="The audit has started: 20 of the 50 reports have been read.",
            files=[pdf_upload("audit-progress.pdf", "Audit progress")],
        )
        services.action_update_accept(update=update, by=coordinator)
        if review.victim_pseudonym == "June":
            _carry_out(review, coordinator=coordinator, police=police)
    return {"actions": Action.objects.count()}


def _national_reply(index: int, recommendation, coordinator, start) -> None:
    """Where the plans' national recommendations are with the Home Office, by the plan's place:
    every other one replied to; the second plan's overdue (sent more than the partnership's
    days ago), for the coordinator to chase; the fourth's falling due within the month; the
    rest sent lately, not yet due."""
    if index % 2 == 0:
        _home_office_replies(recommendation, coordinator, start)
        return
    if index == 1:
        return  # sent 20 days after the plan's start, long enough ago to be overdue
    days = recommendation.review.partnership.national_reply_days
    ago = max(days - 16, 0) if index == 3 else min(10, days - 1)
    services.national_reply_record(
        recommendation=recommendation,
        by=coordinator,
        data={"sent_to_body_on": timezone.localdate() - timedelta(days=ago)},
    )


def _home_office_replies(recommendation, coordinator, start) -> None:
    """The Home Office's reply to a plan's national recommendation."""
    services.national_reply_record(
        recommendation=recommendation,
        by=coordinator,
        data={
            "body_replied_on": start + timedelta(days=50),
            "body_reply": "The Home Office will consider guidance on sharing information with "
            "families during parallel proceedings in its next revision of the statutory "
            "guidance, and will write to the partnership when it is published.",
        },
    )


def _carry_out(review, *, coordinator, police) -> None:
    """Every action of the plan reported done and accepted, then the closing audit."""
    for action in Action.objects.filter(recommendation__review=review).exclude(
        status__in=Action.CLOSED
    ):
        update = services.action_update_submit(
            action=action,
            by=police if action.owner_agency.name == "Northvale Police" else coordinator,
            new_status=Action.Status.COMPLETED,
            narrative="Done, and checked against the evidence named in the plan.",
        )
        services.action_update_accept(update=update, by=coordinator)
    review_services.review_conclude(
        review=review,
        by=User.objects.get(email="chair@example.org"),
        on=timezone.localdate(),
        closing_audit="The steering group checked each action's evidence at its meeting: "
        "every action was carried out.",
    )


TRACKER = Path(__file__).with_name("demo_tracker.csv")


def load_tracker() -> dict:
    """Three older reviews from an imported tracker (the partnership's spreadsheet before this
    system), as a coordinator would import them; importing again changes nothing."""
    partnership = Partnership.objects.get(slug="northvale")
    reading = tracker_import.read_tracker(TRACKER.name, TRACKER.read_bytes(), partnership)
    with transaction.atomic():
        return services.tracker_write(partnership=partnership, rows=reading.rows, by=None)
