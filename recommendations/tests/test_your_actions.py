"""'Your actions' a page at a time: an agency may own hundreds of actions across partnerships.
Open ones come first by target date, closed ones after, each paged; the page makes the same
number of queries however many actions there are."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from recommendations import services
from recommendations.models import Action
from recommendations.tests.factories import ActionFactory, plan_for
from reviews.models import Status


def _actions(plan, count, name="Action number", **fields):
    today = timezone.localdate()
    return [
        ActionFactory(
            recommendation=plan.recommendation,
            owner_agency=plan.action.owner_agency,
            description=f"{name} {n:03d}",
            target_date=today + timedelta(days=n),
            **fields,
        )
        for n in range(count)
    ]


def test_open_actions_are_paged_soonest_first(client, people):
    plan = plan_for(people, Status.MONITORING)
    Action.objects.filter(pk=plan.action.pk).delete()
    _actions(plan, 30)
    _actions(plan, 3, name="Finished", status=Action.Status.COMPLETED)
    client.force_login(people.agency_contact)
    url = reverse("recommendations:your_actions")
    first = client.get(url).content.decode()
    assert 'Open <strong class="govuk-tag govuk-tag--blue">30</strong>' in first
    assert "Action number 000" in first
    assert "Action number 024" in first
    assert "Action number 025" not in first
    assert "Page 1 of 2" in first
    second = client.get(url + "?open=2").content.decode()
    assert "Action number 025" in second
    assert "Action number 000" not in second
    assert "Done or no longer needed" in second


def test_the_page_makes_as_many_queries_with_many_actions_as_with_few(
    client, people, django_assert_max_num_queries
):
    plan = plan_for(people, Status.MONITORING)
    _actions(plan, 1, name="Closed", status=Action.Status.COMPLETED)
    client.force_login(people.agency_contact)
    url = reverse("recommendations:your_actions")
    client.get(url)  # sessions and caches warmed
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get(url)
    _actions(plan, 80)
    _actions(plan, 40, status=Action.Status.COMPLETED)
    with django_assert_max_num_queries(len(few)):
        response = client.get(url)
    assert response.status_code == 200


@pytest.mark.parametrize(
    ("role", "asked"), [("agency_contact", True), ("away_agency_contact", False)]
)
def test_a_request_for_updates_is_shown_to_the_contacts_serving_its_partnership(
    client, people, role, asked
):
    """Home asks the involved agency: its contact for home sees the request, its contact for
    the away partnership does not (nor home's actions)."""
    plan_for(people, Status.MONITORING)
    services.update_request_send(
        partnership=people.home, by=people.coordinator, due_on=date(2030, 2, 1)
    )
    client.force_login(getattr(people, role))
    page = client.get(reverse("recommendations:your_actions")).content.decode()
    assert ("Updates requested" in page) is asked
    assert ("Home CSP asks Involved Agency" in " ".join(page.split())) is asked
    assert ('Open <strong class="govuk-tag govuk-tag--blue">1</strong>' in page) is asked
