"""Demo QA letters: the demo reviews past submission are taken through the Home Office QA panel's
letter, the answers to its points, the chair's approval and publication. Every name, place and
date is invented. `python manage.py load_demo` calls `load()` after the reviews' demo and
before the action plans'."""

from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from dhr.models import Partnership, User
from qa_feedback import checklist, publication, selectors, services
from qa_feedback.documents import docx_document
from qa_feedback.models import QALetter, QAPoint, ReportCopy
from qa_feedback.services import PointInput
from reviews import services as review_services
from reviews.models import Review, Status

LETTER = """Interpersonal Abuse Unit
2 Marsham Street
London SW1P 4DF

{letter_date}

Dear Ms Coordinator,

Thank you for submitting the Domestic Homicide Review (DHR) report ('{pseudonym}') for Northvale
Community Safety Partnership to the Home Office Quality Assurance (QA) Panel. The report was
considered at the QA Panel meeting on {panel_date}.

The QA Panel commend the report's clear chronology and the way it centres {pseudonym}'s voice.
The work with the victim's sister is good practice.

The QA Panel felt that there are some aspects of the report which may benefit from further
revision, but the Home Office is content that on completion of these changes, the DHR may be
published.

Areas for final development:

- Paragraph 4.7 describes the relationship as "volatile"; the Panel felt this risks implying
  mutual responsibility and should be reworded to keep the focus on the victim.
- Section 6.2 should say more about how the GP practice responded to the disclosure, and whether
  a referral to the local specialist service was considered.
- Recommendation 3 and recommendation 5 both concern information sharing with housing; the
  Panel suggests they are merged, with a named lead agency.
- Please check the dates in the chronology at 3.1.4 against the police log.
- The executive summary names the street where the victim lived; remove it to protect the
  family's anonymity.

Once completed the Home Office would be grateful if you could provide us with a digital copy of
the revised final version of the report with all finalised attachments and appendices and the
weblink to the site where the report will be published. Please ensure this letter is published
alongside the report as an annex, and the action plan added to the report as an annex, in a
single PDF smaller than 20 MB.

Please also send a digital copy to the Domestic Abuse Commissioner.

Yours sincerely,

Morgan Example
Chair of the Home Office DHR Quality Assurance Panel
"""

# Lena's letter groups its points under theme headings, as some letters do: each bullet is a
# point, its heading the proposed category (Structure names none: kept as the letter's heading).
THEMED_POINTS = """Language:
- Paragraph 4.7 describes the relationship as "volatile"; the Panel felt this risks implying
  mutual responsibility and should be reworded to keep the focus on the victim.

Agency involvement:
- Section 6.2 should say more about how the GP practice responded to the disclosure, and whether
  a referral to the local specialist service was considered.

Structure:
- The executive summary should come before the chronology, not after it.
- Number the paragraphs of the conclusions, so that the action plan can refer to them.

Anonymity:
- The executive summary names the street where the victim lived; remove it.
"""
_PLAIN_POINTS = LETTER[LETTER.index("- Paragraph 4.7") : LETTER.index("\nOnce completed")]


def _letter_text(review, **dates) -> str:
    text = LETTER.format(pseudonym=review.victim_pseudonym, **dates)
    if review.victim_pseudonym == "Lena":
        text = text.replace(_PLAIN_POINTS.format(pseudonym="Lena"), THEMED_POINTS)
    return text


def _summary(pseudonym: str) -> list[tuple[str, str]]:
    return [
        ("h1", "The review process"),
        ("p", f"This summary sets out how agencies worked with {pseudonym}, a woman in her "
              "forties who lived in Northvale, in the three years before her death."),
        ("h1", "Key findings"),
        ("p", f"{pseudonym} told her GP and a housing officer about the abuse. Neither shared "
              "what they knew with the MARAC, and no risk assessment was completed."),
        ("h1", "Recommendations"),
        ("p", "The panel made recommendations on information sharing, training for housing "
              "staff and GP referrals, set out in the action plan at Annex A."),
    ]  # fmt: skip


def _overview(pseudonym: str) -> list[tuple[str, str]]:
    blocks = [
        ("h1", "Introduction"),
        ("p", f"This review was commissioned by Northvale Community Safety Partnership after "
              f"the death of {pseudonym}. The family chose the pseudonym."),
        ("h2", "Terms of reference"),
        ("p", "The panel examined the contact agencies had with the victim and the "
              "perpetrator over the three years before her death."),
        ("h2", "Involvement of the family"),
        ("p", f"{pseudonym}'s sister met the chair twice and read the report before it was "
              "finalised. Her words open the analysis."),
    ]  # fmt: skip
    for section in ("Chronology", "Analysis", "Conclusions"):
        blocks.append(("h1", section))
        for n in range(1, 5):
            blocks.append(
                ("p", f"{section} {n}: the panel considered what each agency knew, what it "
                      f"did with what it knew, and whether {pseudonym} was seen and heard. "
                      "Practitioners were not given time or training to ask about abuse.")
            )  # fmt: skip
    return blocks


def _revised_reports(review, coordinator) -> None:
    """The author's revised report and summary after QA, as Word documents."""
    for kind, blocks in (
        ("executive_summary", _summary(review.victim_pseudonym)),
        ("overview", _overview(review.victim_pseudonym)),
    ):
        data = docx_document(blocks)
        review_services.report_version_add(
            review=review,
            by=coordinator,
            kind=kind,
            upload=SimpleUploadedFile(f"{kind}-revised.docx", data),
            notes="Revised after the Home Office QA letter",
        )


def _copies(review, coordinator, approved, *, commissioner: bool) -> None:
    """Copies of the approved report: every agency's senior manager (the first only, on a
    review still waiting for publication) and, when `commissioner`, the Commissioner."""
    agencies = selectors.participating_agencies(review)
    for agency in agencies if commissioner else agencies[:1]:
        publication.copy_record(
            review=review,
            by=coordinator,
            agency=agency,
            sent_on=approved + timedelta(days=3),
            method=ReportCopy.Method.SECURE,
            sent_to=f"Senior manager, {agency.name}",
        )
    if commissioner:
        publication.copy_record(
            review=review,
            by=coordinator,
            agency=None,
            sent_on=approved + timedelta(days=12),
            method=ReportCopy.Method.EMAIL,
            sent_to="The Commissioner's DHR team",
        )


def _final_pdf(review, coordinator) -> None:
    """The final PDF, built as the worker would (the checklist checks it, nobody ticks it)."""
    bundle = services.bundle_request(review=review, by=coordinator, final=True)
    services.bundle_build(bundle_id=bundle.pk)


# How far each demo review goes after submission (the others stay with the panel).
TAKE_TO = {
    "Lena": Status.QA_FEEDBACK,
    "Kate": Status.REVISING,
    "Maya": Status.APPROVED,
    "Nell": Status.PUBLISHED,
    "Iris": Status.MONITORING,
    "June": Status.MONITORING,
}


@transaction.atomic
def load() -> dict:
    coordinator = User.objects.get(email="coordinator@example.org")
    chair = User.objects.get(email="chair@example.org")
    reviews = Review.objects.filter(
        partnership__slug="northvale",
        status=Status.SUBMITTED,
        victim_pseudonym__in=TAKE_TO,
    )
    for review in reviews:
        _take(review, TAKE_TO[review.victim_pseudonym], coordinator=coordinator, chair=chair)
    northvale = Partnership.objects.get(slug="northvale")
    if not northvale.own_publication_steps.exists():
        # From today: on the checklist of the reviews approved from now on.
        publication.own_step_add(
            partnership=northvale,
            by=coordinator,
            text="Brief the Northvale Safeguarding Adults Board before publication",
        )
    return {"letters": QALetter.objects.count()}


def _take(review, target, *, coordinator, chair) -> None:
    submitted = review.submitted_on
    received = submitted + timedelta(days=60)
    text = _letter_text(
        review,
        letter_date=f"{received - timedelta(days=2):%-d %B %Y}",
        panel_date=f"{submitted + timedelta(days=40):%-d %B %Y}",
    )
    letter = services.letter_propose(review=review, by=coordinator, text=text)
    points = [
        PointInput(p.text, p.paragraphs, p.recommendation_numbers, p.category, proposed=n)
        for n, p in enumerate(letter.points.all(), start=1)
    ]
    data = {
        "received_on": received,
        "letter_date": letter.letter_date,
        "panel_date": letter.panel_date,
        "signatory": letter.signatory,
        "outcome": letter.outcome,
        "good_practice": letter.good_practice,
    }
    letter = services.letter_record(letter=letter, by=coordinator, data=data, points=points)
    if target == Status.QA_FEEDBACK:
        return
    review = review_services.review_transition(
        review=review, by=coordinator, action="start_revising", on=received + timedelta(days=1)
    )
    _revised_reports(review, coordinator)
    answered = list(letter.points.all())
    if target == Status.REVISING:
        answered = answered[:2]  # two answered, the rest still open
    for point in answered:
        services.point_respond(
            point=point,
            by=coordinator,
            data={
                "status": QAPoint.Status.ADDRESSED,
                "response": "The independent chair revised the paragraph; the panel agreed.",
                "owner": "Independent chair and author",
            },
        )
    if target == Status.REVISING:
        return
    approved = received + timedelta(days=30)
    review = review_services.review_transition(
        review=review, by=chair, action="approve_for_publication", on=approved
    )
    tickable = [row.key for row in checklist.rows(review) if row.tickable]
    for key in tickable if target != Status.APPROVED else tickable[:2]:
        services.step_tick(
            review=review, by=coordinator, item=key, done_on=approved + timedelta(days=10)
        )
    _copies(review, coordinator, approved, commissioner=target != Status.APPROVED)
    if target == Status.APPROVED:
        return  # the Commissioner's copy still to send: due, on the dashboard and the review
    _final_pdf(review, coordinator)
    review = review_services.review_publish(
        review=review,
        by=coordinator,
        on=approved + timedelta(days=10),
        url=f"https://www.northvale.example.org/dhr/{review.reference.lower()}",
    )
    if target == Status.PUBLISHED:
        return
    review_services.review_transition(
        review=review, by=coordinator, action="start_monitoring", on=approved + timedelta(days=20)
    )
