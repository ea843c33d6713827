"""What the review pages show, to whom: confidential fields, statutory dates, history, lists."""

import html
import re
from datetime import date, timedelta

import lxml.html
import pytest
import time_machine
from django.urls import reverse

from dhr.models import AuditEvent, Role
from reviews.models import Status
from reviews.tests.factories import (
    FACTORY_FOR_STATUS,
    MembershipFactory,
    ReviewDecisionPendingFactory,
    ReviewFactory,
    ReviewProceedingFactory,
    ReviewSignedOffFactory,
)

CONFIDENTIAL = ["Fictional Victim Name", "Fictional Perpetrator Name", "3 March 1980"]


@pytest.mark.parametrize(
    ("role", "shown"), [("coordinator", True), ("chair", True), ("admin", True), ("viewer", False)]
)
def test_confidential_fields_only_for_coordinators_and_chairs_and_each_view_audited(
    client, people, role, shown
):
    review = ReviewProceedingFactory(partnership=people.home)
    review.viewers.add(people.viewer)
    user = getattr(people, role)
    client.force_login(user)
    audited = AuditEvent.objects.filter(
        user=user, kind=AuditEvent.Kind.CONFIDENTIAL_VIEWED, object_id=str(review.pk)
    )
    # Hidden until asked for, and nothing logged for a page where they stayed hidden.
    page = client.get(review.get_absolute_url()).content.decode()
    assert not any(value in page for value in CONFIDENTIAL)
    assert ("Show confidential details" in page) is shown
    assert not audited.exists()
    assert review.public_title.replace("'", "&#x27;") in page

    response = client.post(
        reverse("reviews:confidential", args=[review.pk]),
        {"show": "yes", "next": review.get_absolute_url()},
    )
    assert response.status_code == (302 if shown else 403)
    page = client.get(review.get_absolute_url()).content.decode()
    for value in CONFIDENTIAL:
        assert (value in page) is shown, value
    assert audited.count() == (1 if shown else 0)


def test_the_review_page_shows_the_statutory_dates_for_its_own_dates(client, people):
    review = ReviewProceedingFactory(
        partnership=people.home, notified_on=date(2024, 1, 31), decided_on=date(2024, 8, 31)
    )
    client.force_login(people.coordinator)
    page = client.get(review.get_absolute_url()).content.decode()
    assert "Decision due" in page
    assert "29 February 2024" in page
    assert "Overview report due" in page
    assert "28 February 2025" in page


@time_machine.travel(date(2025, 2, 10), tick=False)
def test_days_left_and_overdue_are_shown(client, people):
    due_soon = ReviewFactory(partnership=people.home, notified_on=date(2025, 1, 20))
    late = ReviewDecisionPendingFactory(partnership=people.home, notified_on=date(2024, 12, 1))
    client.force_login(people.coordinator)
    assert "(10 days left)" in client.get(due_soon.get_absolute_url()).content.decode()
    assert "40 days overdue" in client.get(late.get_absolute_url()).content.decode()


def test_the_task_list_marks_each_stage(client, people):
    review = FACTORY_FOR_STATUS[Status.SET_UP](partnership=people.home)
    client.force_login(people.coordinator)
    page = " ".join(client.get(review.get_absolute_url()).content.decode().split())
    assert "Set-up: independent chair, panel and terms of reference</a>" in page
    assert "0 of 1 received" in page
    assert "Start the agency reports stage" in page


def test_history_shows_who_changed_what_and_masks_confidential_values_for_viewers(client, people):
    from reviews import services

    review = ReviewProceedingFactory(partnership=people.home)
    review.viewers.add(people.viewer)
    data = {"victim_name": "Changed Secret Name", "children_notes": "Two children, fictional"}
    services.review_update_notification(review=review, by=people.coordinator, data=data)

    client.force_login(people.coordinator)
    url = reverse("reviews:history", args=[review.pk])
    page = client.get(url).content.decode()
    assert "Changed Secret Name" not in page  # until asked for
    client.post(reverse("reviews:confidential", args=[review.pk]), {"show": "yes", "next": url})
    page = client.get(url).content.decode()
    assert "Notification details changed" in page
    assert people.coordinator.name in page
    assert "Changed Secret Name" in page
    assert "Two children, fictional" in page

    client.force_login(people.viewer)
    page = client.get(reverse("reviews:history", args=[review.pk])).content.decode()
    assert "Changed Secret Name" not in page
    assert "(confidential)" in page
    assert "Two children, fictional" in page


def test_history_writes_values_as_a_person_would(client, people):
    from reviews import services
    from reviews.demo import pdf_upload
    from reviews.models import SituationOfConcern

    review = ReviewDecisionPendingFactory(partnership=people.home)
    services.review_record_decision(
        review=review,
        by=people.chair,
        decided_on=date(2025, 2, 7),
        proceed=True,
        reasons="Criteria met",
        situations_of_concern=[SituationOfConcern.MARAC],
        other_reviews_considered=[],
    )
    services.review_update_set_up(
        review=review,
        by=people.coordinator,
        data={"chair_appointed_on": date(2025, 3, 3), "chair_independence_confirmed": True},
        terms_of_reference_file=pdf_upload("terms-of-reference-v2.pdf"),
    )

    client.force_login(people.coordinator)
    page = client.get(reverse("reviews:history", args=[review.pk])).content.decode()
    text = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())
    for change in [
        "Decided on: not set → 7 February 2025",
        f"Decided by (CSP chair): not set → {people.chair}",
        "Proceed: not set → Yes",
        "Status: Decision pending → Proceeding",
        f"Situations of concern: not set → {SituationOfConcern.MARAC.label}",
        "Date the independent chair was appointed: not set → 3 March 2025",
        "Independent chair's independence confirmed: No → Yes",
        "Terms of reference document: not set → terms-of-reference-v2.pdf",
    ]:
        assert change in text, change
    assert "(blank)" not in text
    assert "2025-02-07" not in text
    assert "marac" not in text


def test_history_keeps_the_capitals_of_a_fields_name(client, people):
    """Only a field name's first letter is raised: "Home Office" stays as it is written."""
    from reviews import services

    review = ReviewSignedOffFactory(partnership=people.home)
    services.review_transition(
        review=review, by=people.coordinator, action="submit", on=date(2025, 9, 1)
    )
    client.force_login(people.coordinator)
    page = client.get(reverse("reviews:history", args=[review.pk])).content.decode()
    text = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())
    assert "Date submitted to the Home Office: not set → 1 September 2025" in text
    assert "home office" not in text


def test_history_names_a_record_deleted_since_without_failing(client, people):
    from reviews import services
    from reviews.models import Review

    review = ReviewDecisionPendingFactory(partnership=people.home)
    services.review_record_decision(
        review=review,
        by=people.chair,
        decided_on=date(2025, 2, 7),
        proceed=True,
        reasons="Criteria met",
        situations_of_concern=[],
        other_reviews_considered=[],
    )
    # A history keeps the id of what it pointed to, with no constraint that it still exists.
    Review.history.filter(id=review.pk, decided_by_id=people.chair.pk).update(decided_by_id=0)
    client.force_login(people.coordinator)
    response = client.get(reverse("reviews:history", args=[review.pk]))
    assert response.status_code == 200
    assert "Decided by (CSP chair): not set → deleted since" in response.content.decode()


@pytest.fixture
def listed(people):
    make = lambda **kw: ReviewFactory(partnership=people.home, **kw)  # noqa: E731
    return {
        "mary": make(
            reference="DHR-2024-01", victim_pseudonym="Mary", notified_on=date(2024, 3, 1)
        ),
        "aisha": ReviewProceedingFactory(
            partnership=people.home,
            reference="DHR-2025-02",
            victim_pseudonym="Aisha",
            notified_on=date(2025, 1, 2),
            decided_on=date(2025, 1, 20),
        ),
        "joan": make(
            reference="DHR-2025-03", victim_pseudonym="Joan", notified_on=date(2025, 5, 1)
        ),
    }


@time_machine.travel(date(2025, 5, 20), tick=False)
@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", {"mary", "aisha", "joan"}),
        ("q=aish", {"aisha"}),
        ("q=2024-01", {"mary"}),
        ("status=proceeding", {"aisha"}),
        ("year=2025", {"aisha", "joan"}),
        # Mary's decision; Aisha's terms of reference, due 2 February (briefing 6.5), not agreed.
        ("overdue=on", {"mary", "aisha"}),
        ("year=2025&status=notified", {"joan"}),
    ],
)
def test_review_list_filters(client, people, listed, query, expected):
    client.force_login(people.coordinator)
    page = client.get(reverse("reviews:list") + "?" + query).content.decode()
    shown = {key for key, review in listed.items() if review.reference in page}
    assert shown == expected


def test_review_list_bad_year_is_explained_not_a_500(client, people, listed):
    client.force_login(people.coordinator)
    response = client.get(reverse("reviews:list") + "?year=abc&q=Mary")
    assert response.status_code == 200
    assert "Enter a year, like 2024" in response.content.decode()


def test_review_list_is_paginated(client, people):
    for number in range(23):
        ReviewFactory(
            partnership=people.home, notified_on=date(2025, 1, 1) + timedelta(days=number)
        )
    client.force_login(people.coordinator)
    first = client.get(reverse("reviews:list")).content.decode()
    second = client.get(reverse("reviews:list") + "?page=2").content.decode()
    assert "23 reviews" in first
    assert first.count('class="govuk-table__row"') == 21  # header + 20
    assert second.count('class="govuk-table__row"') == 4
    assert 'rel="next"' in first


def _list_columns(client, user) -> list[str]:
    client.force_login(user)
    page = client.get(reverse("reviews:list")).content.decode()
    return [th.text_content().strip() for th in lxml.html.fromstring(page).xpath("//thead//th")]


@pytest.mark.parametrize(
    ("role", "shown"),
    [
        ("coordinator", False),
        ("chair", False),
        ("viewer", False),
        ("admin", True),  # every partnership's reviews
        ("coordinator_of_two", True),
    ],
)
def test_the_review_list_names_each_review_s_partnership_only_to_those_who_see_several(
    client, people, role, shown
):
    ReviewFactory(partnership=people.home)
    ReviewFactory(partnership=people.away)
    if role == "coordinator_of_two":
        MembershipFactory(user=people.coordinator, partnership=people.away, role=Role.CHAIR)
        role = "coordinator"
    columns = ["Review", "Partnership", "Notified", "Stage", "Next date"]
    if not shown:
        columns.remove("Partnership")
    assert _list_columns(client, getattr(people, role)) == columns


def test_an_administrator_of_a_service_with_one_partnership_is_not_shown_its_name(client, people):
    people.away.delete()
    assert "Partnership" not in _list_columns(client, people.admin)


@time_machine.travel(date(2025, 2, 10), tick=False)
def test_dashboard_counts_by_stage_and_lists_what_falls_due(client, people):
    ReviewFactory(partnership=people.home, notified_on=date(2025, 1, 20))
    ReviewDecisionPendingFactory(partnership=people.home, notified_on=date(2024, 12, 1))
    ReviewFactory(partnership=people.away, notified_on=date(2025, 1, 20))
    client.force_login(people.coordinator)
    response = client.get(reverse("dashboard"))
    assert response.context["total"] == 2
    work = response.context["work"]
    # The overdue decision is the chair's; the coordinator watches it.
    assert [(g.kind, [i.due for i in g.items]) for g in work.others] == [
        ("decision", [date(2025, 1, 1)])
    ]
    # The notified review's decision falls due in 10 days: within the first reminder (14 days
    # before), so the chase reminds the coordinator, who puts it to the chair.
    assert [(g.kind, [i.due for i in g.items]) for g in work.mine] == [
        ("decision", [date(2025, 2, 20)])
    ]
    assert work.coming_up == []


def test_dashboard_for_an_agency_contact_shows_no_reviews(client, people):
    ReviewFactory(partnership=people.home)
    client.force_login(people.agency_contact)
    response = client.get(reverse("dashboard"))
    assert response.status_code == 200
    assert response.context["total"] == 0
    assert "agency contact" in response.content.decode()


def test_the_review_page_says_who_the_next_step_waits_for(client, people):
    review = FACTORY_FOR_STATUS[Status.DRAFTING](partnership=people.home)
    client.force_login(people.coordinator)
    page = client.get(review.get_absolute_url()).content.decode()
    assert "A CSP chair to sign off the report" in page
    client.force_login(people.chair)
    page = client.get(review.get_absolute_url()).content.decode()
    assert "A CSP chair to sign off the report" not in page
    assert reverse("reviews:transition", args=[review.pk, "sign_off"]) in page


def test_confidential_details_stay_shown_until_hidden_and_each_showing_is_audited(client, people):
    review = ReviewProceedingFactory(partnership=people.home)
    other = ReviewProceedingFactory(partnership=people.home, reference="DHR-2025-88")
    client.force_login(people.chair)
    url = reverse("reviews:confidential", args=[review.pk])
    response = client.post(
        url, {"show": "yes", "next": reverse("reviews:history", args=[review.pk])}
    )
    assert response.url == reverse("reviews:history", args=[review.pk]) + "#confidential"
    for _ in range(2):
        page = client.get(review.get_absolute_url()).content.decode()
        assert "Fictional Victim Name" in page
        assert "Hide confidential details" in page
    # Another review's stay hidden.
    assert "Fictional Victim Name" not in client.get(other.get_absolute_url()).content.decode()
    client.post(url, {"show": "no"})
    assert "Fictional Victim Name" not in client.get(review.get_absolute_url()).content.decode()
    audited = AuditEvent.objects.filter(kind=AuditEvent.Kind.CONFIDENTIAL_VIEWED)
    assert list(audited.values_list("object_id", flat=True)) == [str(review.pk)]


def test_showing_confidential_details_goes_back_only_to_this_site(client, people):
    review = ReviewProceedingFactory(partnership=people.home)
    client.force_login(people.coordinator)
    url = reverse("reviews:confidential", args=[review.pk])
    for elsewhere in ("https://elsewhere.example/", "0", "//elsewhere.example/"):
        response = client.post(url, {"show": "yes", "next": elsewhere})
        assert response.url == review.get_absolute_url() + "#confidential"
    assert client.get(url).status_code == 405  # a button, never a link


@pytest.mark.parametrize("role", ["other_coordinator", "agency_contact", "stranger"])
def test_outsiders_cannot_ask_for_confidential_details(client, people, role):
    review = ReviewProceedingFactory(partnership=people.home)
    client.force_login(getattr(people, role))
    response = client.post(reverse("reviews:confidential", args=[review.pk]), {"show": "yes"})
    assert response.status_code == 404
    assert not AuditEvent.objects.filter(kind=AuditEvent.Kind.CONFIDENTIAL_VIEWED).exists()
