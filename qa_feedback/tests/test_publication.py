"""After a chair approves the report for publication (issue 20, rules 8 and 9): the copies of
the report (the Domestic Abuse Commissioner's, due and chased; each participating agency's
senior manager's) and the publication checklist built from the law, the guidance, the letter's
own instructions and the partnership's own steps."""

import json
from datetime import date, timedelta
from io import StringIO

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.management import call_command

from dhr.errors import NotAllowed, TransitionError
from dhr.models import GuidanceVersion
from qa_feedback import checklist, publication, selectors, services
from qa_feedback.checklist import checklist_missing
from qa_feedback.instructions import whose_steps
from qa_feedback.models import (
    ChecklistItem,
    OwnPublicationStep,
    PublicationBundle,
    PublicationStep,
    QALetter,
    ReportCopy,
)
from qa_feedback.parser import parse_letter
from qa_feedback.tests.factories import QALetterFactory, approved_with_steps
from qa_feedback.tests.samples import sample
from reviews.chase import chase_run
from reviews.deadlines import of_review, open_deadlines
from reviews.models import AgencyReport, PanelMember, Review
from reviews.selectors import reviews_visible_to
from reviews.tests.factories import (
    AgencyFactory,
    ReviewApprovedFactory,
    ReviewPublishedFactory,
    ReviewRevisingFactory,
)
from reviews.work import work_for

APPROVED = date(2026, 3, 2)

# A fictional letter in the shape of those of around 2020: the Home Office copies the PCC.
LETTER_2020 = """Interpersonal Abuse Unit
2 Marsham Street
London SW1P 4DF

12 June 2020

Dear Chair,

Thank you for submitting the Domestic Homicide Review report ('Ruth') for Eastmoor Community
Safety Partnership to the Home Office Quality Assurance Panel. The report was considered at the
QA Panel meeting on 20 May 2020. The Panel judged the report adequate and it may now be
published.

Please include this letter as an annex to the report when it is published, and send a digital
copy of the published report and its web link to DHREnquiries@homeoffice.gov.uk.

We will share a copy of this letter with the Police and Crime Commissioner for your area.

Yours sincerely,

Alex Example
Chair of the Home Office DHR Quality Assurance Panel

cc: Police and Crime Commissioner for Eastmoor
"""
# The same letter asking the partnership to copy the PCC itself.
LETTER_ASKING_THE_CSP = LETTER_2020.replace(
    "We will share a copy of this letter with the Police and Crime Commissioner for your area.",
    "Please also send a copy of the report to the Police and Crime Commissioner.",
).replace("cc: Police and Crime Commissioner for Eastmoor\n", "")


def _approved(people, **fields):
    fields.setdefault("approved_for_publication_on", APPROVED)
    return ReviewApprovedFactory(partnership=people.home, **fields)


def _letter(review, text):
    parsed = parse_letter(text)
    whose = whose_steps(text, parsed.requirements)
    return QALetterFactory(
        review=review,
        full_text=text,
        requirements=whose.partnership,
        home_office_steps=whose.home_office,
    )


def _commissioner_deadlines(today):
    return [
        d
        for d in open_deadlines(reviews=Review.objects.all(), today=today)
        if d.kind == "commissioner-copy"
    ]


# --- rule 8: the Commissioner's copy, due and chased


def test_the_commissioner_copy_is_due_the_partnership_s_days_after_the_chair_s_approval(people):
    review = _approved(people)
    [deadline] = _commissioner_deadlines(APPROVED)
    assert (deadline.review, deadline.due) == (review, APPROVED + timedelta(days=28))
    assert deadline.url == f"/reviews/{review.pk}/qa/copies/"
    assert deadline.what == "Copy of the report for the Domestic Abuse Commissioner"
    people.home.commissioner_copy_days = 10
    people.home.save()
    [deadline] = _commissioner_deadlines(APPROVED)
    assert deadline.due == APPROVED + timedelta(days=10)


def test_recording_the_copy_ends_the_deadline_and_keeps_when_how_and_who(people):
    review = _approved(people)
    copy = publication.copy_record(
        review=review,
        by=people.coordinator,
        agency=None,
        sent_on=APPROVED + timedelta(days=5),
        method=ReportCopy.Method.EMAIL,
        sent_to="The Commissioner's DHR team",
    )
    assert (copy.sent_on, copy.method, copy.recorded_by) == (
        APPROVED + timedelta(days=5),
        "email",
        people.coordinator,
    )
    assert copy.history.latest().history_change_reason == (
        "Copy to the Domestic Abuse Commissioner: recorded"
    )
    assert not _commissioner_deadlines(APPROVED + timedelta(days=40))
    row = checklist.row_of(review, ChecklistItem.COMMISSIONER)
    assert (row.done, row.checked, row.done_on) == (True, True, APPROVED + timedelta(days=5))
    # Corrected, not doubled.
    publication.copy_record(
        review=review, by=people.coordinator, agency=None, sent_on=APPROVED + timedelta(days=6)
    )
    assert ReportCopy.objects.get().sent_on == APPROVED + timedelta(days=6)


def test_the_copy_is_chased_exactly_once_per_reminder_step(people):
    review = _approved(people)
    due = APPROVED + timedelta(days=28)
    # The partnership's steps: 14 and 3 days before, the day itself, then every 7 days overdue.
    for day in (due - timedelta(days=14), due - timedelta(days=3), due, due + timedelta(days=7)):
        mail.outbox.clear()
        assert chase_run(today=day).reminders_sent == 1, day
        [message] = mail.outbox
        assert message.to == [people.coordinator.email]
        assert "Copy of the report for the Domestic Abuse Commissioner" in message.subject
        assert review.public_title in message.subject
        assert chase_run(today=day).reminders_sent == 0, day
        assert chase_run(today=day + timedelta(days=1)).reminders_sent == 0, day


def test_once_recorded_or_published_nothing_is_chased(people):
    review = _approved(people)
    publication.copy_record(review=review, by=people.coordinator, agency=None, sent_on=APPROVED)
    ReviewPublishedFactory(partnership=people.home)  # a record from before the rule
    assert chase_run(today=APPROVED + timedelta(days=60)).reminders_sent == 0


def test_the_copy_is_in_the_coordinator_s_queue_and_overdue_on_the_review(people):
    review = _approved(people)
    late = APPROVED + timedelta(days=31)
    work = work_for(people.coordinator, reviews=reviews_visible_to(people.coordinator), today=late)
    [group] = [g for g in work.mine if g.kind == "commissioner-copy"]
    [item] = group.items
    assert item.review == review
    assert item.url == f"/reviews/{review.pk}/qa/copies/"
    [overdue] = [d for d in of_review(review, late) if d.overdue]
    assert (overdue.kind, overdue.days_left) == ("commissioner-copy", -3)


# --- rule 8: the senior managers' copies


def test_agencies_with_a_report_or_a_panel_member_took_part_and_only_they_get_copies(people):
    review = _approved(people)
    already = set(selectors.participating_agencies(review))  # the factory's IMRs
    health, voluntary, stranger = AgencyFactory(), AgencyFactory(), AgencyFactory()
    AgencyReport.objects.create(
        review=review, agency=health, requested_on=APPROVED, due_on=APPROVED
    )
    PanelMember.objects.create(review=review, name="Sam Advocate", agency=voluntary, role="IDVA")
    PanelMember.objects.create(review=review, name="Jo Expert", role="Specialist")  # no agency
    assert set(selectors.participating_agencies(review)) == already | {health, voluntary}
    copy = publication.copy_record(
        review=review, by=people.coordinator, agency=health, sent_on=APPROVED, sent_to="Director"
    )
    assert str(copy) == f"Copy to the senior manager of {health}"
    commissioner, agencies = selectors.copies_of(review)
    assert commissioner is None
    copies = {row.agency: row.copy for row in agencies}
    assert copies == {health: copy, voluntary: None} | dict.fromkeys(already)
    assert [row.agency.name for row in agencies] == sorted(a.name for a in copies)
    with pytest.raises(TransitionError, match="did not take part"):
        publication.copy_record(
            review=review, by=people.coordinator, agency=stranger, sent_on=APPROVED
        )
    publication.copy_remove(copy=copy, by=people.coordinator)
    assert not ReportCopy.objects.exists()


@pytest.mark.parametrize(
    ("sent_on", "message"),
    [
        (APPROVED - timedelta(days=1), "on or after the CSP chair's approval for publication"),
        (date(2999, 1, 1), "must be today or in the past"),
    ],
)
def test_a_copy_cannot_be_dated_before_the_approval_or_in_the_future(people, sent_on, message):
    review = _approved(people)
    with pytest.raises(ValidationError, match=message):
        publication.copy_record(review=review, by=people.coordinator, agency=None, sent_on=sent_on)
    assert not ReportCopy.objects.exists()


def test_only_a_coordinator_records_copies_and_only_after_approval(people):
    review = _approved(people)
    with pytest.raises(NotAllowed):
        publication.copy_record(review=review, by=people.chair, agency=None, sent_on=APPROVED)
    revising = ReviewRevisingFactory(partnership=people.home)
    with pytest.raises(TransitionError, match="before a CSP chair approves it"):
        publication.copy_record(
            review=revising, by=people.coordinator, agency=None, sent_on=APPROVED
        )
    assert not ReportCopy.objects.exists()


# --- rule 9: the checklist follows the law, the guidance and the letter


def _keys(review):
    return {row.key: row.whose for row in checklist.rows(review)}


def test_a_2023_letter_s_own_instructions_make_the_checklist(people):
    review = _approved(people)
    _letter(review, sample("qa-letter-2023.txt"))
    rows = checklist.rows(review)
    assert [row.key for row in rows] == [
        "home_office",
        "commissioner",
        "letter_annexed",
        "action_plan_annexed",
        "one_pdf",
    ]
    assert all(row.asked for row in rows)
    assert [row.key for row in rows if row.checked] == ["commissioner", "one_pdf"]
    assert all(row.whose == checklist.Whose.PARTNERSHIP for row in rows)


def test_a_2014_letter_asks_only_for_its_annex_beside_the_law_and_the_guidance(people):
    review = _approved(people)
    _letter(review, sample("qa-letter-2014.txt"))
    rows = {row.key: row for row in checklist.rows(review)}
    assert list(rows) == ["home_office", "commissioner", "letter_annexed"]
    assert rows["letter_annexed"].asked
    assert not rows["home_office"].asked  # the 2016 guidance's, not the letter's


def test_a_letter_with_no_instructions_gets_the_recent_letters_steps(people):
    review = _approved(people)
    QALetterFactory(review=review, requirements=[])
    assert list(_keys(review)) == [
        "home_office",
        "commissioner",
        "letter_annexed",
        "action_plan_annexed",
        "one_pdf",
    ]


def test_the_home_office_copies_the_pcc_in_a_2020_letter_and_nobody_ticks_it(people):
    review = _approved(people)
    letter = _letter(review, LETTER_2020)
    assert letter.home_office_steps == [ChecklistItem.PCC]
    assert ChecklistItem.PCC not in letter.requirements
    rows = {row.key: row for row in checklist.rows(review)}
    assert rows["pcc"].is_home_offices
    assert not rows["pcc"].tickable
    with pytest.raises(TransitionError, match="The Home Office does this itself"):
        services.step_tick(review=review, by=people.coordinator, item="pcc", done_on=APPROVED)
    assert not any("Police and Crime" in m for m in checklist_missing(review))


def test_a_letter_asking_the_partnership_to_copy_the_pcc_makes_it_theirs(people):
    review = _approved(people)
    letter = _letter(review, LETTER_ASKING_THE_CSP)
    assert letter.home_office_steps == []
    assert _keys(review)["pcc"] == checklist.Whose.PARTNERSHIP
    services.step_tick(review=review, by=people.coordinator, item="pcc", done_on=APPROVED)
    assert PublicationStep.objects.get().item == "pcc"


def test_reading_a_letter_keeps_whose_each_step_is(people):
    review = ReviewApprovedFactory(partnership=people.home)
    review.status = "submitted"
    review.save()
    letter = services.letter_propose(review=review, by=people.coordinator, text=LETTER_2020)
    assert (letter.requirements, letter.home_office_steps) == (
        ["home_office", "letter_annexed"],
        ["pcc"],
    )


@pytest.mark.parametrize(
    ("text", "partnership", "home_office"),
    [
        (LETTER_2020, ["home_office", "letter_annexed"], ["pcc"]),
        (LETTER_ASKING_THE_CSP, ["home_office", "pcc", "letter_annexed"], []),
    ],
)
def test_parse_qa_letter_says_whose_each_step_is_as_the_page_records_it(
    tmp_path, text, partnership, home_office
):
    path = tmp_path / "letter.txt"
    path.write_text(text, encoding="utf-8")
    out = StringIO()
    call_command("parse_qa_letter", str(path), "--json", stdout=out)
    steps = json.loads(out.getvalue())["publication_steps"]
    assert steps == {"partnership": partnership, "home_office": home_office}
    out = StringIO()
    call_command("parse_qa_letter", str(path), stdout=out)
    said = {
        line.split(":", 1)[0]: line.split(":", 1)[1].strip()
        for line in out.getvalue().splitlines()[:7]
    }
    assert ("Police and Crime Commissioner copied" in said["Home Office"]) == bool(home_office)
    assert ("Police and Crime Commissioner copied" in said["Steps"]) != bool(home_office)


def test_a_dardr_s_guidance_asks_for_the_commissioner_s_copy_too(people):
    review = _approved(people, guidance_version=GuidanceVersion.DARDR_2024_DRAFT)
    _letter(review, sample("qa-letter-2014.txt"))
    assert "commissioner" in _keys(review)


def test_the_pdf_and_the_commissioner_s_copy_are_checked_not_ticked(people):
    review = approved_with_steps(people.home, checked=False)
    assert checklist_missing(review) == [
        "Record the copy sent to the Domestic Abuse Commissioner",
        "Build the final PDF (one PDF under 20 MB)",
    ]
    for key in ("one_pdf", "commissioner"):
        with pytest.raises(TransitionError, match="The service checks this itself"):
            services.step_tick(review=review, by=people.coordinator, item=key, done_on=APPROVED)
    # A bundle that failed (over 20 MB) does not count; a final one built does.
    PublicationBundle.objects.create(
        review=review, number=1, final=True, state=PublicationBundle.State.FAILED,
        requested_by=people.coordinator,
    )  # fmt: skip
    assert not checklist.row_of(review, "one_pdf").done
    PublicationBundle.objects.create(
        review=review, number=2, final=True, state=PublicationBundle.State.DONE,
        size=5_000_000, pages=30, requested_by=people.coordinator,
    )  # fmt: skip
    assert checklist.row_of(review, "one_pdf").done
    assert checklist_missing(review) == ["Record the copy sent to the Domestic Abuse Commissioner"]


# --- rule 9: the partnership's own steps


def test_a_partnership_s_own_step_applies_to_reviews_approved_from_the_day_it_was_added(people):
    earlier = _approved(people, approved_for_publication_on=date(2026, 1, 5))
    step = publication.own_step_add(
        partnership=people.home, by=people.coordinator, text="  Tell the   Safeguarding Board "
    )
    assert step.text == "Tell the Safeguarding Board"
    later = _approved(people, approved_for_publication_on=step.added_on)
    assert f"own-{step.pk}" not in _keys(earlier)
    assert f"own-{step.pk}" in _keys(later)
    assert f"Tick '{step.text}'" in checklist_missing(later)
    tick = services.step_tick(
        review=later, by=people.coordinator, item=f"own-{step.pk}", done_on=step.added_on
    )
    assert (tick.own_step, tick.item) == (step, "")
    assert f"Tick '{step.text}'" not in checklist_missing(later)
    publication.own_step_edit(step=step, by=people.coordinator, text="Tell the SAB")
    assert checklist.row_of(later, f"own-{step.pk}").label == "Tell the SAB"


def test_a_removed_step_stays_on_the_reviews_approved_before_and_leaves_the_later(people):
    step = publication.own_step_add(partnership=people.home, by=people.coordinator, text="Brief")
    step.added_on = date(2026, 1, 1)
    step.save()
    before = _approved(people, approved_for_publication_on=date(2026, 2, 1))
    step = publication.own_step_remove(step=step, by=people.coordinator)
    assert step.removed_on is not None
    after = _approved(people, approved_for_publication_on=step.removed_on)
    assert f"own-{step.pk}" in _keys(before)
    assert f"own-{step.pk}" not in _keys(after)
    assert selectors.own_steps_of(people.home) == []
    with pytest.raises(TransitionError, match="removed"):
        publication.own_step_edit(step=step, by=people.coordinator, text="Brief again")


def test_own_steps_refuse_a_blank_or_repeated_step_and_anyone_but_a_coordinator(people):
    publication.own_step_add(partnership=people.home, by=people.coordinator, text="Brief")
    with pytest.raises(ValidationError, match="Enter what the step is"):
        publication.own_step_add(partnership=people.home, by=people.coordinator, text="   ")
    with pytest.raises(ValidationError, match="already has this step"):
        publication.own_step_add(partnership=people.home, by=people.coordinator, text="brief")
    with pytest.raises(NotAllowed):
        publication.own_step_add(partnership=people.home, by=people.chair, text="Other")
    assert OwnPublicationStep.objects.count() == 1
    assert QALetter.objects.count() == 0


@pytest.mark.parametrize(
    ("sentence", "whose"),
    [
        ("I am copying this letter to the Police and Crime Commissioner.", "home_office"),
        ("The Home Office will also share this letter with the PCC for Eastmoor.", "home_office"),
        ("We have sent a copy of this letter to the Police and Crime Commissioner.", "home_office"),
        ("Copy to: Police and Crime Commissioner, Eastmoor", "home_office"),
        ("Please copy the report to the Police and Crime Commissioner.", "partnership"),
        ("You should send the Police and Crime Commissioner the report.", "partnership"),
        (
            "We would be grateful if you could send the Police and Crime Commissioner a copy.",
            "partnership",
        ),
        ("The Police and Crime Commissioner should receive a copy.", "partnership"),
    ],
)
def test_who_copies_the_pcc_is_read_from_the_letter_s_words(sentence, whose):
    found = whose_steps(f"Dear Chair,\n\n{sentence}\n\nYours sincerely,\n", ["pcc"])
    expected = (["pcc"], []) if whose == "partnership" else ([], ["pcc"])
    assert (found.partnership, found.home_office) == expected


def test_a_letter_that_never_names_the_pcc_has_no_pcc_step():
    found = whose_steps(sample("qa-letter-2023.txt"), ["home_office", "commissioner"])
    assert (found.partnership, found.home_office) == (["home_office", "commissioner"], [])
