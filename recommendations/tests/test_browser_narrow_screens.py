"""The pages people open on a phone, in a real Chromium 320 and 390 pixels wide (and, to show
nothing changed there, 1280): none scrolls sideways, each table lays its rows out as their
cells' names and values, references stay on one line, the tracker's charts are read at 16px and
lie whole inside their drawings, and the notification form's number of children is a GOV.UK
number input. axe-core checks every page on the way."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from dhr.models import OutgoingEmail, Role
from recommendations import services
from recommendations.themes import themes_install
from reviews.tests.browser import CheckedPage
from reviews.tests.factories import (
    AgencyContactFactory,
    AgencyFactory,
    MembershipFactory,
    PartnershipFactory,
    PoliceFactory,
    ReviewDecisionPendingFactory,
    ReviewMonitoringFactory,
    ReviewProceedingFactory,
)
from reviews.tests.test_browser_journey import follow, go, press, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


WIDTHS = [320, 390, 1280]
PHONE = 640  # GOV.UK's tablet breakpoint is 641px: narrower is a phone's layout
LONG_AGENCY = "Northvale and Southmere University Hospitals NHS Foundation Trust"
CHART_TEXTS = """() => Array.from(document.querySelectorAll('svg.app-chart')).flatMap(svg => {
  const box = svg.viewBox.baseVal;
  const scale = svg.getBoundingClientRect().width / box.width;
  return Array.from(svg.querySelectorAll('text'), text => {
    const b = text.getBBox();
    return {
      text: text.textContent,
      px: parseFloat(getComputedStyle(text).fontSize) * scale,
      inside: b.x >= box.x && b.y >= box.y && b.x + b.width <= box.x + box.width
        && b.y + b.height <= box.y + box.height,
    };
  });
})"""


@pytest.fixture
def northvale():
    """A partnership's reviews at several stages, one being monitored with an action plan whose
    actions are overdue, a lead agency with a long name, and an email that could not be sent."""
    themes_install()  # flushed between transactional tests
    partnership = PartnershipFactory(name="Northvale Community Safety Partnership", slug="nv")
    coordinator = MembershipFactory(partnership=partnership, role=Role.COORDINATOR).user
    police = PoliceFactory(name="Northvale Police")
    hospitals = AgencyFactory(name=LONG_AGENCY)
    today = timezone.localdate()
    ReviewDecisionPendingFactory(partnership=partnership, notified_on=today - timedelta(days=40))
    ReviewProceedingFactory(partnership=partnership)
    review = ReviewMonitoringFactory(partnership=partnership, victim_pseudonym="Iris")
    for number, agency in enumerate([police, hospitals], start=1):
        recommendation = services.recommendation_save(
            review=review,
            by=coordinator,
            data={
                "text": f"Recommendation {number}: share risk with the MARAC within a day.",
                "scope": "local",
                "lead_agency": agency,
            },
        )
        services.action_save(
            recommendation=recommendation,
            by=coordinator,
            data={
                "description": "Audit fifty incident reports for the risk checklist's use",
                "owner_agency": agency,
                "target_date": today - timedelta(days=1000 + number),
                "completion_evidence": "The audit report",
            },
        )
    OutgoingEmail.objects.create(
        partnership=partnership,
        to=["a.long.address.for.the.safeguarding.lead@northvale-hospitals.example.org"],
        subject="Overdue by 7 days: an action plan update",
        body="-",
        status=OutgoingEmail.Status.FAILED,
        attempts=5,
        last_error="SMTPRecipientsRefused: a.long.address.for.the.safeguarding.lead@example.org",
    )
    return {
        "coordinator": coordinator,
        "review": review,
        "contact": AgencyContactFactory(agency=police).user,
    }


def on_a_screen(bp: CheckedPage, width: int) -> None:
    bp.page.set_viewport_size({"width": width, "height": 800})


def menu(bp: CheckedPage, name: str) -> None:
    """A link of the service's menu, opened first where a phone shows only its button."""
    toggle = bp.page.get_by_role("button", name="Menu")
    if toggle.is_visible():
        toggle.click()
    go(bp, bp.page.get_by_role("navigation", name="Menu").get_by_role("link", name=name))


def fits(bp: CheckedPage, width: int) -> None:
    """Nothing on the page is wider than the screen: it does not scroll sideways."""
    wide = bp.page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert wide == [width, width], f"{bp.page.url} is {wide[0]}px wide on a {width}px screen"


def chromium_role(bp: CheckedPage, selector: str) -> str:
    """The role Chromium gives assistive technology for the first element the CSS selector
    finds (Playwright's own role queries read the HTML, not what the browser made of it)."""
    session = bp.page.context.new_cdp_session(bp.page)
    try:
        root = session.send("DOM.getDocument")["root"]["nodeId"]
        node = session.send("DOM.querySelector", {"nodeId": root, "selector": selector})
        tree = session.send(
            "Accessibility.getPartialAXTree", {"nodeId": node["nodeId"], "fetchRelatives": False}
        )
    finally:
        session.detach()
    return tree["nodes"][0]["role"]["value"]


def laid_out_for(bp: CheckedPage, table: str, width: int) -> None:
    """On a phone each cell of the table (a CSS selector) shows its column's name and the head
    is hidden from sight, while assistive technology still finds a table with its column
    headers and cells; on a wider screen the head shows and the names do not."""
    labels = bp.page.locator(f"{table} .app-table__label")
    assert labels.count()
    head = bp.page.locator(f"{table} thead")
    if width <= PHONE:
        expect(labels.first).to_be_visible()
        assert head.bounding_box()["width"] <= 1  # visually hidden
        assert chromium_role(bp, table) == "table"
        assert chromium_role(bp, f"{table} thead th") == "columnheader"
        assert chromium_role(bp, f"{table} tbody td") == "cell"
    else:
        expect(labels.first).to_be_hidden()
        expect(head).to_be_visible()


@pytest.mark.parametrize("width", WIDTHS)
def test_a_coordinator_s_pages_fit_the_screen(browser_page, northvale, width):
    bp, page = browser_page, browser_page.page
    on_a_screen(bp, width)
    bp.start("/account/sign-in/")
    sign_in(bp, northvale["coordinator"])
    fits(bp, width)
    expect(page.locator("#failed-emails")).to_contain_text("an action plan update")
    laid_out_for(bp, "#failed-emails", width)

    menu(bp, "Reviews")
    fits(bp, width)
    reviews = page.get_by_role("table", name="3 reviews")
    laid_out_for(bp, "table.app-table--stacked", width)
    # One partnership: its name is not repeated on every row.
    expect(reviews.get_by_role("columnheader")).to_have_text(
        ["Review", "Notified", "Stage", "Next date"]
    )
    # Each reference on one line.
    for reference in reviews.locator("th .app-nowrap").all():
        assert len(reference.evaluate("el => Array.from(el.getClientRects())")) == 1

    follow(bp, northvale["review"].public_title)
    follow(bp, "Action plan")
    fits(bp, width)

    menu(bp, "Dashboard")
    follow(bp, "Tracker report: Northvale Community Safety Partnership")
    fits(bp, width)
    laid_out_for(bp, "#reviews + .govuk-grid-row table", width)
    texts = page.evaluate(CHART_TEXTS)
    assert any(LONG_AGENCY.startswith(t["text"]) for t in texts)  # the long name, wrapped
    for text in texts:
        assert text["px"] >= 16, text
        assert text["inside"], text

    menu(bp, "Dashboard")
    press(bp, "Record a police notification")
    fits(bp, width)
    children = page.get_by_label("Children in the household")
    expect(children).to_have_attribute("inputmode", "numeric")
    expect(children).to_have_class("govuk-input govuk-input--width-3")
    expect(page.get_by_text("Enter 0 if there were none")).to_be_visible()
    # Three characters wide, GOV.UK's width for a small number, whatever the screen.
    assert children.bounding_box()["width"] < 100
    children.fill("two")
    press(bp, "Record notification")
    expect(children).to_have_value("two")
    expect(children).to_have_class("govuk-input govuk-input--width-3 govuk-input--error")
    error = page.locator(".govuk-form-group--error", has=children)
    expect(error).to_contain_text("The number of children must be a whole number, like 2")
    fits(bp, width)


@pytest.mark.parametrize("width", WIDTHS)
def test_an_agency_contact_s_actions_fit_the_screen(browser_page, northvale, width):
    bp, page = browser_page, browser_page.page
    on_a_screen(bp, width)
    bp.start("/account/sign-in/")
    sign_in(bp, northvale["contact"])
    menu(bp, "Your actions")
    fits(bp, width)
    actions = page.get_by_role("table", name="Open actions")
    laid_out_for(bp, "table.app-table--stacked", width)
    expect(actions).to_contain_text("days overdue")
    reference = actions.locator(".app-nowrap").first
    assert len(reference.evaluate("el => Array.from(el.getClientRects())")) == 1
