"""The dates people read: the review page, the timeline, the dashboard and the list show the
statutory and the adjusted date, worked out by hand here, with pauses and extensions."""

from datetime import date

import pytest
import time_machine
from django.urls import reverse

from dhr.models import Role, User
from reviews import services
from reviews.chase import chase_run
from reviews.tests.factories import ReviewAgencyReportsFactory, agreed_pause

TODAY = date(2026, 1, 20)


@pytest.fixture
def review(people):
    """Decided on 31 August 2025: the report is due 28 February 2026 under the statute."""
    return ReviewAgencyReportsFactory(partnership=people.home, decided_on=date(2025, 8, 31))


def _pause(review, by, start, end=None, pauses=True):
    """An inquest; `pauses`: a chair agreed to pause the clock while it ran (decision 0013),
    otherwise it has no effect on the timescale."""
    if pauses:
        agreed_pause(
            review,
            coordinator=by,
            chair=User.objects.get(
                memberships__partnership=review.partnership, memberships__role=Role.CHAIR
            ),
            kind="inquest",
            started_on=start,
            ended_on=end,
        )
        return
    services.proceeding_save(
        review=review,
        by=by,
        data={"kind": "inquest", "started_on": start, "ended_on": end, "effect": "none"},
    )


def _page(client, user, url):
    client.force_login(user)
    with time_machine.travel(TODAY, tick=False):
        return client.get(url).content.decode()


def _report_due(page: str) -> str:
    start = page.index('id="report-due"')
    return " ".join(page[start : page.index("</dd>", start)].split())


def test_with_nothing_moving_it_the_statutory_date_stands(client, people, review):
    row = _report_due(_page(client, people.coordinator, review.get_absolute_url()))
    assert "28 February 2026" in row
    assert "(39 days left)" in row
    assert "Adjusted" not in row


def test_ended_pauses_counted_once_move_the_date(client, people, review):
    _pause(review, people.coordinator, date(2025, 10, 1), date(2025, 10, 20))
    _pause(review, people.coordinator, date(2025, 10, 10), date(2025, 10, 30))  # 1-30 Oct
    _pause(review, people.coordinator, date(2025, 11, 1), date(2025, 11, 5), pauses=False)
    page = _page(client, people.coordinator, review.get_absolute_url())
    row = _report_due(page)
    assert "30 March 2026" in row  # 28 February + 30 days
    assert "(69 days left)" in row
    assert "Adjusted from the statutory date, 28 February 2026" in row
    assert "30 days paused by parallel proceedings" in page


def test_an_approved_extension_then_a_later_pause(client, people, review):
    _pause(review, people.coordinator, date(2025, 10, 1), date(2025, 10, 10))
    extension = services.extension_request(
        review=review,
        by=people.coordinator,
        requested_on=date(2025, 11, 1),
        new_due_on=date(2026, 4, 30),
        reason="Trial",
    )
    services.extension_decide(
        extension=extension,
        by=people.chair,
        approve=True,
        decided_on=date(2025, 11, 3),
        comment="",
    )
    _pause(review, people.coordinator, date(2026, 1, 1), date(2026, 1, 5))
    page = _page(client, people.coordinator, review.get_absolute_url())
    assert "5 May 2026" in _report_due(page)
    assert "An agreed extension to 30 April 2026" in page
    assert "5 days paused" in page
    timeline = _page(client, people.coordinator, reverse("reviews:timeline", args=[review.pk]))
    assert "Extension to 30 April 2026 approved" in timeline
    assert "Days paused since the extension was asked for" in timeline


# An agency report that counts as received: arrived, with its author's independence, the
# senior manager's sign-off and the staff feedback session recorded (decision 0019).
RECEIVED_COMPLETE = {
    "received_on": date(2025, 5, 1),
    "author": "Ann Author",
    "author_independence_confirmed": True,
    "senior_sign_off_by": "Sam Senior",
    "signed_off_on": date(2025, 4, 28),
    "staff_feedback_held": True,
}


def test_a_running_pause_stops_the_clock_everywhere(client, people, review):
    review.agency_reports.update(**RECEIVED_COMPLETE)  # nothing else is overdue
    _pause(review, people.coordinator, date(2026, 1, 1))
    page = _page(client, people.coordinator, review.get_absolute_url())
    row = _report_due(page)
    assert "Paused" in row
    assert "since 1 January 2026" in row
    assert "20 March 2026 at the earliest" in row  # 28 February + 20 days (1-20 January)
    dashboard = _page(client, people.coordinator, reverse("dashboard"))
    assert 'id="paused"' in dashboard
    listed = _page(client, people.coordinator, reverse("reviews:list") + "?overdue=on")
    assert review.reference not in listed


def test_an_overdue_report_is_listed_with_its_statutory_date(client, people, review):
    _pause(review, people.coordinator, date(2025, 9, 1), date(2025, 9, 10))  # due 10 March
    with time_machine.travel(date(2026, 3, 15), tick=False):
        client.force_login(people.coordinator)
        dashboard = client.get(reverse("dashboard")).content.decode()
        listed = client.get(reverse("reviews:list") + "?overdue=on").content.decode()
    assert "Overview report and executive summary" in dashboard
    assert "Due 10 March 2026" in dashboard
    assert "Statutory date 28 February 2026" in dashboard
    assert review.reference in listed


@pytest.mark.parametrize(
    ("role", "sees_reminders"),
    [("coordinator", True), ("chair", True), ("viewer", False), ("admin", True)],
)
def test_the_reminders_sent_are_shown_to_coordinators_and_chairs(
    client, people, review, role, sees_reminders
):
    review.viewers.add(people.viewer)
    chase_run(today=date(2026, 2, 28))  # due today: the coordinators are told
    page = _page(client, getattr(people, role), review.get_absolute_url())
    assert ("Reminders sent" in page) is sees_reminders
    assert ("On the day" in page) is sees_reminders


def test_an_overdue_agency_report_makes_the_review_overdue_in_the_list(client, people, review):
    # The review's own report is not due until 28 February 2026; its IMR was due 11 May 2025.
    listed = _page(client, people.coordinator, reverse("reviews:list") + "?overdue=on")
    assert review.reference in listed
    review.agency_reports.update(**RECEIVED_COMPLETE)
    listed = _page(client, people.coordinator, reverse("reviews:list") + "?overdue=on")
    assert review.reference not in listed


def test_the_timeline_says_what_each_pause_added(client, people, review):
    _pause(review, people.coordinator, date(2025, 8, 1), date(2025, 9, 10))  # 1-10 Sep count
    _pause(review, people.coordinator, date(2025, 9, 5), date(2025, 9, 8))  # inside the first
    _pause(review, people.coordinator, date(2026, 1, 11))  # still running: 11-20 January
    page = _page(client, people.coordinator, reverse("reviews:timeline", args=[review.pk]))
    assert "Inquest ended: added 10 days to the report&#x27;s clock" in page
    assert "Inquest ended: added no days (before the clock started, or inside another" in page
    assert "Inquest still running: added 10 days to the report&#x27;s clock so far" in page
    assert "Days paused since the decision" in page
