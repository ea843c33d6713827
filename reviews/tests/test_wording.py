"""Rule 13 (issue 20): a partnership may call its reviews "Domestic Abuse Related Death Reviews"
(DARDR) instead of "Domestic Homicide Reviews" (DHR). Every page, email, letter and PDF then says
so, through one place (dhr.wording, the `wording` filter); new references take the short name;
the guidance version a review runs under does not change."""

import io
import re
from datetime import date, timedelta
from pathlib import Path

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.template import Context, Template
from django.urls import reverse
from pypdf import PdfReader

from dhr.errors import NotAllowed
from dhr.models import GuidanceVersion, OutgoingEmail, Partnership
from dhr.wording import DEFAULT, WORDINGS, ReviewWording, wording_of
from qa_feedback.models import PublicationBundle
from qa_feedback.services import bundle_build
from qa_feedback.tests.factories import ready_to_publish
from recommendations import exports, tracker
from recommendations import services as plans
from recommendations.tasks import write_escalation_letter
from reviews import clocks, services
from reviews.chase import chase_run
from reviews.tests.factories import (
    AgencyContactFactory,
    PoliceFactory,
    ReviewAgencyReportsFactory,
    ReviewFactory,
    ReviewSubmittedFactory,
    UserFactory,
)
from reviews.tests.test_services import _notification

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
DHR_WORDS = re.compile(r"(?i:domestic\s+homicide\s+reviews?)|\bDHRs?\b")
# The footer's statement of the law names both, on every page.
LAW = "Domestic Homicide Reviews (Domestic Abuse Related Death Reviews) are held"
# Where the words stay: the service's own name on pages about no partnership, and the footer's
# statement of the law, which names both.
ALLOWED = {
    "base.html": [LAW],
    "accessibility.html": [
        "DHR case manager",
        "the service Community Safety Partnerships use to run Domestic Homicide Reviews",
    ],
    "account/email/password_reset.html": ["Domestic homicide reviews service"],
    "account/email/password_reset.txt": ["Domestic homicide reviews service"],
    "account/email/password_reset_subject.txt": ["Domestic homicide reviews"],
}


def _dardr(partnership: Partnership) -> Partnership:
    partnership.review_wording = ReviewWording.DARDR
    partnership.save(update_fields=["review_wording"])
    return partnership


def _says_dardr_not_dhr(text: str) -> None:
    flat = " ".join(text.split()).replace(LAW, "")
    # The guidance a review runs under is named by its own title: wording is not the rules.
    for rules in clocks.RULES.values():
        flat = flat.replace(rules.title, "")
    assert "DARDR" in flat or "Domestic Abuse Related Death Review" in flat
    found = DHR_WORDS.search(flat)
    assert not found, flat[max(0, found.start() - 200) : found.end() + 40]


# --- one place --------------------------------------------------------------------------------


def test_no_template_hard_codes_the_dhr_words_outside_the_allow_list():
    found = []
    for path in sorted(TEMPLATES.rglob("*")):
        if not path.is_file() or path.suffix not in (".html", ".txt", ".xml", ".svg"):
            continue
        name = path.relative_to(TEMPLATES).as_posix()
        text = " ".join(path.read_text(encoding="utf-8").split())
        for allowed in ALLOWED.get(name, []):
            assert allowed in text, f"{name}: the allow-list names text no longer there"
            text = text.replace(allowed, "")
        text = re.sub(r"\{#.*?#\}", "", text)  # template comments are for programmers
        found += [f"{name}: {m.group()!r}" for m in DHR_WORDS.finditer(text)]
    assert found == []


def test_each_wording_has_every_form():
    dhr, dardr = WORDINGS[ReviewWording.DHR], WORDINGS[ReviewWording.DARDR]
    assert (dhr.long, dhr.short, dhr.plural, dhr.short_plural) == (
        "Domestic Homicide Review",
        "DHR",
        "Domestic Homicide Reviews",
        "DHRs",
    )
    assert (dardr.long, dardr.short, dardr.plural, dardr.short_plural) == (
        "Domestic Abuse Related Death Review",
        "DARDR",
        "Domestic Abuse Related Death Reviews",
        "DARDRs",
    )
    assert dardr.service == "Domestic abuse related death reviews"
    assert DEFAULT is dhr


def test_the_words_are_found_from_anything_of_a_partnership(people):
    _dardr(people.home)
    review = ReviewFactory(partnership=people.home)
    assert wording_of(people.home).short == "DARDR"
    assert wording_of(review).short == "DARDR"
    assert wording_of(type("Letter", (), {"review": review})()).short == "DARDR"
    assert wording_of(people.away).short == "DHR"
    assert wording_of(None) is DEFAULT
    assert wording_of("") is DEFAULT


def test_the_filter_gives_each_form_and_the_long_name_by_default(people):
    _dardr(people.home)
    review = ReviewFactory(partnership=people.home)
    template = Template(
        "{% load dhr_tags %}{{ r|wording }}|{{ r|wording:'short' }}|{{ r|wording:'plural' }}|"
        "{{ r|wording:'short_plural' }}|{{ r|wording:'nonsense' }}|{{ nothing|wording:'short' }}"
    )
    assert template.render(Context({"r": review})) == (
        "Domestic Abuse Related Death Review|DARDR|Domestic Abuse Related Death Reviews|DARDRs|"
        "Domestic Abuse Related Death Review|DHR"
    )


# --- the setting, through the service ---------------------------------------------------------


def test_a_coordinator_changes_the_wording_and_the_guidance_stays(people):
    review = ReviewFactory(partnership=people.home)
    pinned = review.guidance_version
    services.partnership_update_settings(
        partnership=people.home, by=people.coordinator, data={"review_wording": "dardr"}
    )
    home = Partnership.objects.get(pk=people.home.pk)
    assert home.review_wording == ReviewWording.DARDR
    assert home.guidance_version == GuidanceVersion.DHR_2016  # wording is not the rules
    review.refresh_from_db()
    assert review.guidance_version == pinned
    latest = home.history.latest()
    assert (latest.history_user, latest.history_change_reason) == (
        people.coordinator,
        "Settings changed",
    )


def test_the_service_refuses_an_unknown_wording_and_saves_nothing(people):
    with pytest.raises(ValidationError, match="Select what the partnership calls its reviews"):
        services.partnership_update_settings(
            partnership=people.home, by=people.coordinator, data={"review_wording": "dvhr"}
        )
    assert Partnership.objects.get(pk=people.home.pk).review_wording == ReviewWording.DHR


@pytest.mark.parametrize("role", ["chair", "viewer", "other_coordinator", "agency_contact"])
def test_only_the_partnerships_coordinator_changes_the_wording(people, role):
    with pytest.raises(NotAllowed):
        services.partnership_update_settings(
            partnership=people.home, by=getattr(people, role), data={"review_wording": "dardr"}
        )
    assert Partnership.objects.get(pk=people.home.pk).review_wording == ReviewWording.DHR


# --- references -------------------------------------------------------------------------------


def _notify(people, day):
    data = _notification(PoliceFactory(), notified_on=day)
    return services.review_notify(partnership=people.home, by=people.coordinator, data=data)


def test_new_references_take_the_partnerships_short_name_and_number_on(people):
    first = _notify(people, date(2026, 1, 5))
    assert first.reference == "DHR-2026-01"
    _dardr(people.home)
    second = _notify(people, date(2026, 2, 5))
    assert second.reference == "DARDR-2026-02"  # numbered on: never a second "01" that year
    third = _notify(people, date(2027, 1, 5))
    assert third.reference == "DARDR-2027-01"
    first.refresh_from_db()
    assert first.reference == "DHR-2026-01"  # a reference once given stays


# --- pages, emails and PDFs -------------------------------------------------------------------


def test_a_dardr_partnerships_review_page_says_dardr_not_dhr(client, people):
    _dardr(people.home)
    review = _notify(people, date(2026, 1, 5))
    client.force_login(people.coordinator)
    page = client.get(reverse("reviews:detail", args=[review.pk])).content.decode()
    assert "<title>" in page
    title = page.split("<title>")[1].split("</title>")[0]
    assert "Domestic abuse related death reviews" in title
    assert "DARDR-2026-01" in page
    _says_dardr_not_dhr(page)


def test_a_dhr_partnerships_review_page_keeps_the_dhr_words(client, people):
    review = _notify(people, date(2026, 1, 5))
    client.force_login(people.coordinator)
    page = client.get(reverse("reviews:detail", args=[review.pk])).content.decode()
    assert "Domestic homicide reviews" in page
    assert "DARDR" not in page
    assert "Domestic abuse related" not in page


def test_the_joint_review_page_says_dardr(client, people):
    _dardr(people.home)
    review = _notify(people, date(2026, 1, 5))
    client.force_login(people.coordinator)
    response = client.get(reverse("reviews:joint_review", args=[review.pk]))
    if response.status_code == 200:  # the stage may be closed at this point of the review
        _says_dardr_not_dhr(response.content.decode())


def test_an_agency_reminder_email_says_dardr_not_dhr(people):
    _dardr(people.home)
    review = ReviewAgencyReportsFactory(partnership=people.home, reference="DARDR-2025-01")
    report = review.agency_reports.get()
    AgencyContactFactory(agency=report.agency)
    chase_run(today=report.due_on - timedelta(days=3))
    [message] = mail.outbox
    assert f"DARDR coordinator: {people.coordinator.email}" in message.body
    assert "Domestic abuse related death reviews" in message.body  # the signature
    _says_dardr_not_dhr(message.body)
    _says_dardr_not_dhr(message.alternatives[0][0])


def test_the_publishable_pdf_of_a_dardr_review_says_dardr_on_its_cover(people):
    _dardr(people.home)
    review = ready_to_publish(people.home, reference="DARDR-2024-03")
    requested = PublicationBundle.objects.create(
        review=review, number=1, final=False, requested_by=UserFactory()
    )
    built = bundle_build(bundle_id=requested.pk)
    with built.file.open("rb") as stored:
        reader = PdfReader(io.BytesIO(stored.read()))
    cover = reader.pages[0].extract_text()
    assert "Domestic Abuse Related Death Review:" in " ".join(cover.split())
    assert not DHR_WORDS.search(cover)
    assert reader.metadata.title.startswith("Domestic Abuse Related Death Review")
    assert "Domestic Abuse Related Death Review" in reader.metadata.subject
    assert "Homicide" not in reader.metadata.title + reader.metadata.subject
    # Up to the Home Office's own letter, annexed as written (its words are its own).
    texts = [page.extract_text() for page in reader.pages]
    letter_starts = next(n for n, text in enumerate(texts) if "Dear " in text)
    for text in texts[:letter_starts]:
        assert not DHR_WORDS.search(text), DHR_WORDS.search(text)


def test_the_tracker_report_pdf_of_a_dardr_partnership_says_dardr(people):
    _dardr(people.home)
    report = tracker.tracker_report(people.home, today=date(2026, 6, 1))
    assert report["reviews_called"] == "DARDR"
    pdf = exports.tracker_pdf(report, tracker.sections(report), tracker.Period(None, None))
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert "DARDR recommendations: tracker report" in " ".join(text.split())
    _says_dardr_not_dhr(text)


def test_the_tracker_page_of_a_dardr_partnership_says_dardr(client, people):
    _dardr(people.home)
    client.force_login(people.coordinator)
    page = client.get(reverse("recommendations:tracker", args=["home"])).content.decode()
    assert "paper on DARDR recommendations" in page
    _says_dardr_not_dhr(page)


def test_the_settings_page_offers_both_wordings_and_a_chair_reads_the_choice(client, people):
    client.force_login(people.coordinator)
    page = client.get(reverse("reviews:settings", args=["home"])).content.decode()
    assert "Domestic Abuse Related Death Review (DARDR)" in page
    assert 'value="dhr" checked' in " ".join(page.split())
    _dardr(people.home)
    client.force_login(people.chair)
    page = client.get(reverse("reviews:settings", args=["home"])).content.decode()
    assert "What the partnership calls its reviews" in page
    assert "Domestic Abuse Related Death Review (DARDR)" in page
    assert 'name="review_wording"' not in page


def test_the_chairs_escalation_letter_and_its_email_say_dardr_not_dhr(people):
    _dardr(people.home)
    review = ReviewSubmittedFactory(partnership=people.home, reference="DARDR-2026-04")
    recommendation = plans.recommendation_save(
        review=review,
        by=people.coordinator,
        data={"text": "Share risk", "scope": "local", "lead_agency": people.involved_agency},
    )
    action = plans.action_save(
        recommendation=recommendation,
        by=people.coordinator,
        data={
            "description": "Write the information-sharing protocol",
            "owner_agency": people.involved_agency,
            "target_date": date(2026, 4, 1),
            "completion_evidence": "The signed protocol",
        },
    )
    escalation = plans.escalation_raise(by=people.coordinator, reason="No reply", action=action)
    escalation = plans.escalation_decide(
        escalation=escalation,
        by=people.chair,
        approve=True,
        comment="",
        send_to="chief.executive@example.org",
    )
    write_escalation_letter(escalation.letter_job.pk)
    escalation.refresh_from_db()
    with escalation.letter.open("rb") as stored:
        reader = PdfReader(io.BytesIO(stored.read()))
    text = " ".join(page.extract_text() for page in reader.pages)
    assert "Domestic Abuse Related Death Review steering group" in " ".join(text.split())
    _says_dardr_not_dhr(text)
    letter_email = OutgoingEmail.objects.get(to=["chief.executive@example.org"])
    assert letter_email.subject.startswith("Domestic Abuse Related Death Review action plan")
    for written in (letter_email.subject, letter_email.body, letter_email.html):
        _says_dardr_not_dhr(written)
