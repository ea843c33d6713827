"""Fictional demo data, built through the services so that every review has a real history.

Every name, place and date here is invented. `python manage.py load_demo` calls `load()`.
"""

import csv
import io
from datetime import date, timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from dhr import two_factor
from dhr.models import Agency, AgencyContact, Membership, Partnership, Role, User
from dhr.wording import ReviewWording
from reviews import chronology, decision_route, extensions, services
from reviews.models import DecisionQAView, JointReview, Review

DEMO_PASSWORD = "demo-password-2026"


def minimal_pdf(text: str = "Demo document") -> bytes:
    """A small, valid one-page PDF (enough for an upload to pass the content check)."""
    stream = f"BT /F1 14 Tf 72 720 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    for offset in offsets:
        out += f"{offset:010d} 00000 n \n".encode()
    out += (
        f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    )
    return bytes(out)


def pdf_upload(name: str = "document.pdf", text: str = "Demo document") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, minimal_pdf(text), content_type="application/pdf")


AGENCIES = [
    ("Northvale Police", Agency.Kind.POLICE, "Chief Constable A. Example"),
    ("Eastfield Constabulary", Agency.Kind.POLICE, "Chief Constable B. Example"),
    ("Northvale Integrated Care Board", Agency.Kind.HEALTH, "C. Example"),
    ("Northvale Hospitals NHS Trust", Agency.Kind.HEALTH, "D. Example"),
    ("Probation Service (Northvale)", Agency.Kind.PROBATION, "E. Example"),
    ("Northvale Council Children's Services", Agency.Kind.CHILDRENS_SERVICES, "F. Example"),
    ("Northvale Homes", Agency.Kind.HOUSING, "G. Example"),
    ("Safe Haven Domestic Abuse Service", Agency.Kind.VOLUNTARY, "H. Example"),
]

PEOPLE = [
    ("coordinator@example.org", "Priya Coordinator", "northvale", Role.COORDINATOR),
    ("chair@example.org", "Chris Chair", "northvale", Role.CHAIR),
    ("viewer@example.org", "Vic Viewer", "northvale", Role.VIEWER),
    ("other.coordinator@example.org", "Olu Othercoordinator", "southmere", Role.COORDINATOR),
]
# (email, name, agency, the partnerships they serve for it): Northvale Police serves both
# partnerships, with a contact named for each.
CONTACTS = [
    ("police.contact@example.org", "Pat Police", "Northvale Police", ["northvale"]),
    ("southmere.police@example.org", "Sam Southmere", "Northvale Police", ["southmere"]),
    (
        "health.contact@example.org",
        "Hana Health",
        "Northvale Integrated Care Board",
        ["northvale"],
    ),
]

# (pseudonym, stage reached, days since notification)
REVIEWS = [
    ("Mary", "notified", 10),
    ("Aisha", "decision_pending", 40),
    ("Joan", "not_proceeding", 90),
    ("Sofia", "proceeding", 70),
    ("Grace", "set_up", 120),
    ("Beth", "agency_reports", 160),
    ("Nadia", "drafting", 260),
    ("Rose", "signed_off", 330),
    ("Helen", "submitted", 420),
    # Submitted here; the QA demo records the panel's letter and takes each on to its stage
    # (Iris and June through publication to monitoring). The action-plan demo then carries out
    # June's plan and concludes it.
    ("Lena", "qa_feedback", 450),
    ("Kate", "revising", 480),
    ("Maya", "approved", 520),
    ("Nell", "published", 560),
    ("Iris", "monitoring", 600),
    ("June", "concluded", 900),
]
ORDER = [r[1] for r in REVIEWS]
# Victims aged 16 or 17: the decision asks about a child review and the safeguarding partners
# are told (Sofia's were; Aisha's, still awaiting the decision, not yet: overdue).
AGED_16_17 = {"Aisha", "Sofia"}


# The demo's authenticator app, shared by its coordinators, chairs and administrator: the
# RFC 6238 test key (base32 GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ). Never for real accounts;
# `manage.py demo_code EMAIL` prints its current code when DEBUG is on.
DEMO_TOTP_KEY = "3132333435363738393031323334353637383930"


def _user(email, name, *, password, superuser=False) -> User:
    user = User.objects.filter(email=email).first()
    if user is None:
        make = User.objects.create_superuser if superuser else User.objects.create_user
        user = make(email=email, password=password, name=name)
    return user


@transaction.atomic
def load(*, today: date | None = None) -> dict:
    """Create the demo partnership, people and reviews, once. Returns what exists."""
    today = today or timezone.localdate()
    northvale, _ = Partnership.objects.get_or_create(
        slug="northvale",
        defaults={"name": "Northvale Community Safety Partnership", "area": "Northvale"},
    )
    southmere, _ = Partnership.objects.get_or_create(
        slug="southmere",
        # Southmere calls its reviews Domestic Abuse Related Death Reviews (dhr.wording).
        defaults={
            "name": "Southmere Community Safety Partnership",
            "area": "Southmere",
            "review_wording": ReviewWording.DARDR,
        },
    )
    partnerships = {"northvale": northvale, "southmere": southmere}
    agencies = {}
    for name, kind, ceo in AGENCIES:
        agencies[name], _ = Agency.objects.get_or_create(
            name=name, defaults={"kind": kind, "chief_executive_name": ceo}
        )
    users = {}
    for email, name, slug, role in PEOPLE:
        users[email] = _user(email, name, password=DEMO_PASSWORD)
        Membership.objects.get_or_create(
            user=users[email], partnership=partnerships[slug], defaults={"role": role}
        )
    for email, name, agency, slugs in CONTACTS:
        users[email] = _user(email, name, password=DEMO_PASSWORD)
        contact, _ = AgencyContact.objects.get_or_create(user=users[email], agency=agencies[agency])
        contact.partnerships.add(*(partnerships[slug] for slug in slugs))
    _user("admin@example.org", "Ada Admin", password=DEMO_PASSWORD, superuser=True)
    for user in User.objects.filter(email__endswith="@example.org"):
        if two_factor.required_for(user) and two_factor.device_of(user) is None:
            TOTPDevice.objects.create(
                user=user, name=two_factor.DEVICE_NAME, key=DEMO_TOTP_KEY, confirmed=True
            )

    if not Review.objects.filter(partnership=northvale).exists():
        coordinator, chair = users["coordinator@example.org"], users["chair@example.org"]
        for number, (pseudonym, stage, age) in enumerate(REVIEWS, start=1):
            review = _demo_review(
                partnership=northvale,
                coordinator=coordinator,
                chair=chair,
                agencies=agencies,
                pseudonym=pseudonym,
                stage=stage,
                notified_on=today - timedelta(days=age),
                number=number,
            )
            if number <= 3:
                review.viewers.add(users["viewer@example.org"])
        other = users["other.coordinator@example.org"]
        services.review_notify(
            partnership=southmere, by=other, data=_notification(agencies, "Eve", today, 5, 99)
        )
    return {"partnerships": 2, "reviews": Review.objects.count()}


# Invented names: what a leak of a real name would look like in a report, and what the
# publishable PDF's anonymity check looks for.
VICTIM_NAMES = [
    "Alys Ashcombe", "Bronwen Brackley", "Carys Carrow", "Delyth Dunmere", "Eira Elsworth",
    "Ffion Fenwade", "Gwenllian Garside", "Heledd Halloran", "Iona Ingleby", "Jessamy Jessop",
    "Kerensa Kettleby", "Lowenna Lanyon", "Morwenna Mawgan", "Nerys Netherby", "Orla Oakhurst",
    "Petra Penhallow",
]  # fmt: skip
PERPETRATOR_NAMES = [
    "Aldous Quarmby", "Barnaby Rowcliffe", "Caspian Sedgwick", "Dorian Thackwray",
    "Emlyn Upshall", "Fitzroy Vardy", "Gideon Wexcombe", "Hamish Yarwood", "Ivor Zeller",
    "Jago Ambrose-Pike", "Kit Blenkinsop", "Lorcan Cradock", "Magnus Drabble", "Nye Eskdale",
    "Osric Fothergill", "Piran Gascoyne",
]  # fmt: skip


def _notification(agencies, pseudonym, today, age, number) -> dict:
    notified_on = today - timedelta(days=age)
    return {
        "notifying_force": agencies["Northvale Police"],
        "notified_on": notified_on,
        "death_type": "homicide" if number % 4 else "suicide",
        "date_of_death": notified_on - timedelta(days=3),
        "children_in_household": number % 3,
        "victim_pseudonym": pseudonym,
        "victim_name": VICTIM_NAMES[number % len(VICTIM_NAMES)],
        "victim_date_of_birth": date(1970 + number % 30, number % 12 + 1, 1 + number % 28),
        "victim_age_band": "35-44",
        "victim_sex": "female",
        "perpetrator_pseudonym": f"Partner {number}",
        "perpetrator_name": PERPETRATOR_NAMES[number % len(PERPETRATOR_NAMES)],
        "perpetrator_date_of_birth": date(1968 + number % 30, 2, 1 + number % 28),
        "perpetrator_age_band": "45-54",
        "perpetrator_sex": "male",
        "relationship": "intimate_partner" if number % 4 else "former_partner",
    }


def _agency_reports_arriving(review, *, coordinator, chair, step) -> None:
    """At the agency reports stage: the police's report complete; the Integrated Care Board's
    arrived without a staff feedback session, which the CSP chair waived with a reason; the
    housing association's still to come."""
    reports = {r.agency.name: r for r in review.agency_reports.select_related("agency")}
    complete = {
        "author": "Pat Reviewer, Professional Standards",
        "author_independence_confirmed": True,
        "senior_sign_off_by": "Detective Chief Superintendent Lee",
        "signed_off_on": step(104),
        "staff_feedback_held": True,
    }
    for name, data in (
        ("Northvale Police", complete),
        (
            "Northvale Integrated Care Board",
            {
                **complete,
                "author": "Dr Rowan Ellis, Designated Nurse",
                "senior_sign_off_by": "Chief Nursing Officer",
                "staff_feedback_held": False,
            },
        ),
    ):
        report = reports[name]
        services.agency_report_update(
            report=report,
            by=coordinator,
            data={
                "requested_on": report.requested_on,
                "due_on": report.due_on,
                "received_on": step(106),
                **data,
            },
        )
    services.agency_report_waive(
        report=reports["Northvale Integrated Care Board"],
        by=chair,
        requirement="staff_feedback",
        reason="The GP who saw the victim has retired and left the area; the practice's "
        "safeguarding lead has shared the learning with the remaining staff instead.",
        on=step(108),
    )
    _chronologies_sent(review, coordinator=coordinator, reports=reports)


def _chronologies_sent(review, *, coordinator, reports) -> None:
    """The police's and the Integrated Care Board's chronologies, from the year before the
    notification: one event both reported (flagged for the author), and one police row with a
    date that does not exist, listed for the police to correct."""
    victim, partner = review.victim_pseudonym, review.perpetrator_pseudonym
    year = review.notified_on.year - 1
    sent = {
        "Northvale Police": [
            [f"14/03/{year}", "23:10", "", "Incident log 4471",
             f"Officers attended the home after a 999 call from {victim}; {partner} had left",
             f"{victim}, {partner}", "Risk assessed as medium"],
            [f"02/05/{year}", "", "", "Custody record",
             f"{partner} arrested for criminal damage at the home", partner, ""],
            [f"31/02/{year}", "", "", "Incident log 4502", "Neighbour reported shouting",
             victim, ""],
        ],
        "Northvale Integrated Care Board": [
            [f"14/03/{year}", "", "", "GP record",
             f"Police attended the home after a 999 call from {victim}; {partner} had left",
             victim, ""],
            [f"20/03/{year}", "", "", "GP record", f"{victim} saw the GP about sleeping badly",
             victim, "No routine enquiry about abuse was made"],
        ],
    }  # fmt: skip
    for name, rows in sent.items():
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow([header for _, header, _ in chronology.COLUMNS])
        writer.writerows(rows)
        services.chronology_upload(
            review=review,
            by=coordinator,
            agency=reports[name].agency,
            upload=SimpleUploadedFile(
                f"{name} chronology.csv", out.getvalue().encode(), content_type="text/csv"
            ),
        )


def _demo_review(
    *, partnership, coordinator, chair, agencies, pseudonym, stage, notified_on, number
) -> Review:
    data = _notification(agencies, pseudonym, notified_on + timedelta(days=0), 0, number)
    child = pseudonym in AGED_16_17
    if child:
        data["victim_age_band"] = "16-17"
        data["victim_date_of_birth"] = notified_on - timedelta(days=365 * 17 - 40)
        data["perpetrator_age_band"] = "18-24"
    review = services.review_notify(partnership=partnership, by=coordinator, data=data)
    reached = ORDER.index(stage)
    step = lambda days: notified_on + timedelta(days=days)  # noqa: E731

    if reached >= ORDER.index("decision_pending"):
        review = services.review_transition(
            review=review, by=coordinator, action="refer_for_decision", on=step(7)
        )
    if stage == "not_proceeding":
        review = services.review_record_decision(
            review=review,
            by=chair,
            decided_on=step(20),
            proceed=False,
            reasons="The criteria are not met: the death was found to be accidental.",
            situations_of_concern=[],
            other_reviews_considered=["sar"],
            other_reviews_notes="A Safeguarding Adults Review was considered and not needed.",
            home_office_told_on=step(22),
            family_told_on=step(23),
        )
        # The Home Office referred the decision to its QA panel, which agreed with it.
        decision_route.review_record_decision_qa_view(
            review=review,
            by=coordinator,
            view=DecisionQAView.View.AGREES,
            received_on=step(60),
            comment="The panel agrees that the death does not meet the criteria for a review.",
        )
        review.refresh_from_db()
        return review
    if reached < ORDER.index("proceeding"):
        return review
    review = services.review_record_decision(
        review=review,
        by=chair,
        decided_on=step(21),
        proceed=True,
        reasons="The death meets the criteria in section 9 of the 2004 Act.",
        situations_of_concern=["risk_not_recognised", "marac"],
        other_reviews_considered=["iopc"],
        other_reviews_notes="The police had contact in the year before the death.",
        # The newest review's coordinator has not yet recorded telling the Home Office.
        home_office_told_on=None if stage == "proceeding" else step(24),
        family_told_on=step(25),
        **(
            {
                "child_review": JointReview.JOINT_CSPR,
                "child_review_notes": "The safeguarding partners run a Child Safeguarding "
                "Practice Review; the two panels share agency reports and one chair.",
                "safeguarding_told_on": step(22),
            }
            if child
            else {}
        ),
    )
    # The criminal trial: the partnership agreed to pause the review's clock while it runs (the
    # coordinator asked, a chair agreed). Still running for the newest, over for the rest.
    trial_ends = {4: None, 5: 95, 6: 130}.get(number, 150)
    trial = services.proceeding_save(
        review=review,
        by=coordinator,
        data={
            "kind": "criminal_trial",
            "started_on": step(30),
            "ended_on": None if trial_ends is None else step(trial_ends),
            "outcome": "" if trial_ends is None else "Convicted of murder",
            "effect": "pause",
        },
        on=step(30),
    )
    services.proceeding_pause_decide(
        proceeding=trial,
        by=chair,
        agree=True,
        decided_on=step(32),
        comment="Agreed at the partnership's board: the trial comes first.",
    )
    if number == 6:
        # An inquest opened and suspended while the charge was pending: no effect on the
        # timescale (the default for an inquest; decision 0013).
        services.proceeding_save(
            review=review,
            by=coordinator,
            data={
                "kind": "inquest",
                "started_on": step(9),
                "outcome": "Opened and suspended by the coroner while the charge was pending.",
            },
            on=step(9),
        )
    if number == 5:
        # An IOPC investigation, whose pause of the clock is still awaiting a chair.
        services.proceeding_save(
            review=review,
            by=coordinator,
            data={"kind": "iopc", "started_on": step(100), "effect": "pause"},
            on=step(100),
        )
    services.family_contact_add(
        review=review,
        by=coordinator,
        data={
            "contacted_on": step(28),
            "who": "The victim's sister",
            "method": "letter",
            "advocate_involved": True,
            "notes": "Letter sent with the Home Office leaflet, through the advocate.",
        },
    )
    services.review_update_set_up(
        review=review,
        by=coordinator,
        data={
            "chair_name": "Independent Chair " + chr(ord("A") + number),
            "chair_appointed_on": step(24),
            "chair_independence_confirmed": True,
            "chair_training_confirmed": True,
            "terms_of_reference": "To establish what lessons are to be learned from the "
            "death about the way agencies worked, individually and together.",
            # Within the decision's month (briefing 6.5), but late for Grace, and not yet
            # agreed for the newest (overdue, chased).
            "terms_of_reference_agreed_on": {4: None, 5: step(50)}.get(number, step(27)),
        },
    )
    if reached < ORDER.index("set_up"):
        return review
    services.panel_member_add(
        review=review,
        by=coordinator,
        name="Sam Panel",
        agency=agencies["Northvale Police"],
        role="Detective Inspector, Public Protection",
    )
    review = services.review_transition(
        review=review, by=coordinator, action="complete_set_up", on=step(52)
    )
    for agency_name in ("Northvale Police", "Northvale Integrated Care Board", "Northvale Homes"):
        services.agency_report_request(
            review=review,
            by=coordinator,
            agency=agencies[agency_name],
            requested_on=step(55),
            due_on=step(115),
        )
    if reached < ORDER.index("agency_reports"):
        return review
    review = services.review_transition(
        review=review, by=coordinator, action="start_agency_reports", on=step(55)
    )
    if reached < ORDER.index("drafting"):
        _agency_reports_arriving(review, coordinator=coordinator, chair=chair, step=step)
        # An extension asked for and awaiting the CSP chair.
        services.extension_request(
            review=review,
            by=coordinator,
            requested_on=step(150),
            new_due_on=step(400),
            reason="The police report is late because of the trial, and the family have asked "
            "to meet the panel before the report is written.",
        )
        return review
    if stage == "drafting":
        extension = services.extension_request(
            review=review,
            by=coordinator,
            requested_on=step(200),
            new_due_on=step(360),
            reason="The trial ended later than expected; the panel needs two more meetings.",
        )
        services.extension_decide(
            extension=extension,
            by=chair,
            approve=True,
            decided_on=step(205),
            comment="Agreed: keep the family informed.",
        )
    for report in review.agency_reports.all():
        services.agency_report_update(
            report=report,
            by=coordinator,
            data={
                "received_on": step(110),
                "author": "IMR Author",
                "author_independence_confirmed": True,
                "senior_sign_off_by": "Senior Manager",
                "signed_off_on": step(108),
                "staff_feedback_held": True,
            },
        )
    review = services.review_transition(
        review=review, by=coordinator, action="start_drafting", on=step(120)
    )
    for kind in ("overview", "executive_summary"):
        services.report_version_add(
            review=review,
            by=coordinator,
            kind=kind,
            upload=pdf_upload(f"{kind}.pdf"),
            notes="First draft",
        )
    if reached < ORDER.index("signed_off"):
        return review
    for prepare in extensions.demo_steps("sign_off"):  # the action plan, which sign-off needs
        prepare(review, by=coordinator)
    review = services.review_transition(review=review, by=chair, action="sign_off", on=step(300))
    if reached < ORDER.index("submitted"):
        return review
    return services.review_transition(review=review, by=coordinator, action="submit", on=step(310))
