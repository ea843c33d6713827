"""The accessibility gate: every page of the demo, as every role, in a real Chromium.

For each person in the demo (and for someone not signed in), a test of its own, on a demo of
its own, signs in as they would, then follows every link the pages offer them, from the
dashboard outwards, and on every HTML page it reaches:

- runs axe-core (WCAG 2.x A and AA, and best practice): no violations;
- keeps the HTML the server sent, for the Nu HTML Checker (the W3C validator): no errors.

Then, for every form it saw (once for a form met again on another record's page), it fills the
form badly (required fields empty, boxes unticked, impossible dates, words where numbers go) and
sends it, and checks the page that comes back showing the errors the same two ways. A form that
accepts the bad input (nothing in it is required) is counted, not failed.

Pages that differ only in the record they show are visited once per kind of record: once per
review stage for a review's pages (once in all for the administrator, who sees them as the
coordinator does), up to three times for the others. The Django admin is left
out: it is Django's own, named in the accessibility statement.

And one journey is done with the keyboard alone: an agency contact signs in, finds their action
and sends an update, pressing Tab, Space, arrows and Enter, with focus visible at every stop.
"""

import json
import logging
import re
import subprocess
import time
from collections import Counter, deque
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urldefrag, urlsplit

import pytest
from django.urls import Resolver404, resolve
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Page, expect

from dhr import two_factor
from dhr.models import User
from dhr.tests.demo_data import load_demo
from dhr.tests.two_factor import app_of, code_for
from reviews.demo import DEMO_PASSWORD
from reviews.models import Review, Status
from reviews.tests import browser
from reviews.tests.browser import format_violations

logger = logging.getLogger(__name__)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


ROOT = Path(__file__).resolve().parents[2]
VNU = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"

# Everyone in the demo, by what they do; None is someone not signed in. The longest walks come
# first, as the suite's workers take their first two tests each in this order (the
# coordinator's walk takes about twice the chair's, and the chair's the administrator's): the
# longest start first, and neither waits behind the other.
PEOPLE = {
    "coordinator": "coordinator@example.org",
    "chair": "chair@example.org",
    "administrator": "admin@example.org",
    "other partnership's coordinator": "other.coordinator@example.org",
    "viewer": "viewer@example.org",
    "police contact": "police.contact@example.org",
    "health contact": "health.contact@example.org",
    "not signed in": None,
}
LEFT_OUT = ("/admin/", "/static/", "/media/")
SAME_VIEW_LIMIT = 3  # pages of one view, for views not about a review
# The administrator sees a review's pages as the partnership's coordinator does (the two walks
# shared 120 of the administrator's 131 kinds of page): their walk takes one page of each view
# about a review, not one per stage, and spends its time on the pages only they have.
ONE_STAGE_FOR = {"administrator"}
PHASE = {
    **dict.fromkeys([Status.NOTIFIED, Status.DECISION_PENDING, Status.NOT_PROCEEDING], "decision"),
    **dict.fromkeys(
        [Status.PROCEEDING, Status.SET_UP, Status.AGENCY_REPORTS, Status.DRAFTING,
         Status.SIGNED_OFF], "review"),
    **dict.fromkeys([Status.SUBMITTED, Status.QA_FEEDBACK, Status.REVISING, Status.APPROVED],
                    "quality assurance"),
    **dict.fromkeys([Status.PUBLISHED, Status.MONITORING, Status.CONCLUDED], "action plan"),
}  # fmt: skip


@dataclass
class Seen:
    """One role's pages and forms, and what was wrong with them."""

    role: str
    pages: dict[str, tuple] = field(default_factory=dict)  # url -> its kind (see page_kind)
    forms: list[tuple[str, int]] = field(default_factory=list)  # (url, form's index)
    form_kinds: set[tuple[str, str]] = field(default_factory=set)  # (view, what FORM_OF says)
    html: list[tuple[str, str]] = field(default_factory=list)  # (what, HTML as served)
    problems: list[str] = field(default_factory=list)
    errors_shown: int = 0
    accepted: list[str] = field(default_factory=list)
    contrast_checked: set[str] = field(default_factory=set)  # see browser.axe_violations


def page_kind(path: str) -> tuple | None:
    """What makes two pages the same kind: the view, and for a review's pages the phase the
    review is in (its stage, for the review's own page, whose buttons change at every stage)."""
    try:
        match = resolve(path)
    except Resolver404:
        return None
    if match.route.startswith("reviews/<int:pk>/"):
        stage = Review.objects.filter(pk=match.kwargs["pk"]).values_list("status", flat=True)
        stage = stage.first()
        return (match.view_name, stage if match.view_name == "reviews:detail" else PHASE[stage])
    return (match.view_name, None)


def sign_in(page: Page, base: str, email: str) -> None:
    page.goto(base + "/account/sign-in/")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    user = User.objects.get(email=email)
    if two_factor.required_for(user):
        page.get_by_label("Security code").fill(code_for(app_of(user)))
        page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()


def check(page: Page, seen: Seen, what: str, html: str) -> None:
    """axe on the page now shown; its HTML kept for the Nu HTML Checker."""
    violations = browser.axe_violations(page, seen.contrast_checked)
    if violations:
        seen.problems.append(f"axe, {what}:\n{format_violations(violations)}")
    seen.html.append((what, html))


def links_on(page: Page, base: str) -> list[str]:
    hrefs = page.eval_on_selector_all("a[href]", "links => links.map(a => a.href)")
    found = []
    for href in hrefs:
        url, _ = urldefrag(href)
        if not url.startswith(base) or "download" in url.rsplit("/", 1)[-1]:
            continue
        path = url[len(base) :]
        if path and not path.startswith(LEFT_OUT):
            found.append(path)
    return found


# What makes two forms the same: where they send, how, and the names of their fields.
FORM_OF = """forms => forms.map(form => [
  (form.getAttribute('action') || '').replace(/[0-9]+/g, 'N'), form.method,
  ...Array.from(form.elements, field => field.name).filter(name => name),
].join(' '))"""


def crawl(page: Page, base: str, seen: Seen, start: str) -> None:
    """Every page reachable by links from the start, each kind of page within its limit."""
    queue, linked_from = deque([start]), {start: "the start"}
    per_kind: Counter = Counter()
    while queue:
        path = queue.popleft()
        kind = page_kind(urlsplit(path).path)
        if kind and kind[1] and seen.role in ONE_STAGE_FOR:
            kind = (kind[0], "any stage")
        limit = 1 if kind and kind[1] else SAME_VIEW_LIMIT
        if kind is None or per_kind[kind] >= limit:
            continue
        try:
            response = page.goto(base + path)
        except PlaywrightError as error:
            if "Download is starting" in str(error):
                continue  # a file, not a page
            raise
        if response.status >= 400:
            seen.problems.append(
                f"{seen.role}: {response.status} from {path}, linked from {linked_from[path]}"
            )
            continue
        html = response.text()
        if not html.lstrip().lower().startswith("<!doctype html"):
            continue  # JSON, or a fragment a page fetches for itself (a job's progress)
        per_kind[kind] += 1
        seen.pages[path] = kind
        check(page, seen, f"{seen.role}: {path}", html)
        for index, form in enumerate(page.eval_on_selector_all("main form", FORM_OF)):
            if (kind[0], form) not in seen.form_kinds:  # the same form on another review
                seen.form_kinds.add((kind[0], form))
                seen.forms.append((path, index))
        for link in links_on(page, base):
            if link not in linked_from:
                linked_from[link] = path
                queue.append(link)


# What a person might wrongly type, by what the field asks for.
FILL_BADLY = """form => {
  for (let d = form.closest('details'); d; d = d.parentElement.closest('details')) d.open = true;
  let filled = 0;
  for (const field of form.querySelectorAll('input, textarea, select')) {
    if (field.disabled || field.type === 'hidden' || field.type === 'submit') continue;
    filled += 1;
    if (field.type === 'checkbox') { field.checked = false; continue; }
    if (field.type === 'radio' || field.type === 'file') continue;
    if (field.tagName === 'SELECT') { field.selectedIndex = 0; continue; }
    const name = field.name || '';
    if (/(_0|-day|_day)$/.test(name)) field.value = '31';
    else if (/(_1|-month|_month)$/.test(name)) field.value = '2';
    else if (/(_2|-year|_year)$/.test(name)) field.value = '2026';
    else if (field.type === 'email') field.value = 'not an email address';
    else if (field.type === 'number' || field.inputMode === 'numeric') field.value = 'lots';
    else field.value = '';
  }
  return filled;
}"""


def send_badly(page: Page, base: str, seen: Seen, path: str, index: int) -> None:
    page.goto(base + path)
    form = page.locator("main form").nth(index)
    if form.evaluate(FILL_BADLY) == 0:
        return  # a button on its own (remove, sign out, build): nothing to get wrong
    what = f"{seen.role}: {path}, form {index + 1} sent with bad input"
    button = form.locator("button:not([type=button]), input[type=submit]").first
    with page.expect_navigation() as navigation:
        button.click()
    response = navigation.value
    if response.status >= 400:
        seen.problems.append(f"{response.status} from {what}")
        return
    if page.locator(".govuk-error-summary").count() == 0:
        seen.accepted.append(what)
        return
    seen.errors_shown += 1
    check(page, seen, what, response.text())


def nu_html_checker(documents: list[tuple[str, str]], folder: Path) -> list[str]:
    """The Nu HTML Checker's errors in the HTML as served, each with the page it is on."""
    names = {}
    for number, (what, html) in enumerate(documents):
        path = folder / f"{number:04d}.html"
        path.write_text(html)
        names[path.name] = what
    run = subprocess.run(
        ["java", "-jar", str(VNU), "--errors-only", "--format", "json", "--stdout",
         "--exit-zero-always", *[str(folder / name) for name in sorted(p.name for p in
                                                                     folder.iterdir())]],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    messages = json.loads(run.stdout)["messages"]
    return [
        f"Nu HTML Checker, {names[m['url'].rsplit('/', 1)[-1]]}, line {m.get('lastLine')}: "
        f"{m['message']} ({m.get('extract', '').strip()[:120]!r})"
        for m in messages
        if m["type"] == "error"
    ]


# What each walk must reach, for it to mean anything: (pages at least, forms showing errors at
# least, views it must have seen).
REACHES = {
    "coordinator": (100, 20, set()),
    "police contact": (0, 1, {"recommendations:your_actions"}),
}


@pytest.mark.parametrize("role", list(PEOPLE), ids=lambda role: re.sub(r"\W+", "_", role))
def test_every_page_of_the_demo_passes_axe_and_the_nu_html_checker(
    role, chromium, live_server, tmp_path, settings
):
    """One person's walk, on a demo of their own: what a form accepting bad input changes is
    seen by no one else's walk."""
    assert VNU.exists(), "The Nu HTML Checker is missing: run `make assets` (npm installs it)"
    settings.AXES_ENABLED = False  # bad sign-ins are part of the walk, not an attack
    load_demo()
    base, email = live_server.url, PEOPLE[role]
    started = time.monotonic()
    context = browser.new_context(chromium)
    try:
        page, seen = context.new_page(), Seen(role)
        page.on("pageerror", lambda error: seen.problems.append(f"JS: {error}"))
        if email:
            sign_in(page, base, email)
            crawl(page, base, seen, "/")
        else:
            for start in ("/account/sign-in/", "/account/password-reset/"):
                crawl(page, base, seen, start)
        logger.info("%s: %d pages, %.0f s", role, len(seen.pages), time.monotonic() - started)
        # Bad input changes nothing, and where a form accepts it (nothing in it is required)
        # the change comes after the walk.
        for path, index in seen.forms:
            send_badly(page, base, seen, path, index)
        logger.info("%s: %d forms, %.0f s", role, len(seen.forms), time.monotonic() - started)
    finally:
        context.close()

    problems = seen.problems + nu_html_checker(seen.html, tmp_path)
    logger.info(
        "Accessibility gate, %s: %d pages, %d forms, %d showing errors, %d accepting bad input",
        role, len(seen.pages), len(seen.forms), seen.errors_shown, len(seen.accepted),
    )  # fmt: skip
    assert not problems, f"{len(problems)} problem(s):\n" + "\n".join(problems)
    # The walk must have reached the pages that matter, for it to mean anything.
    pages, errors_shown, views = REACHES.get(role, (0, 0, set()))
    assert len(seen.pages) >= pages
    assert seen.errors_shown >= errors_shown
    assert views <= {kind[0] for kind in seen.pages.values()}


# The keyboard-only journey.

FOCUSED = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const label = el.labels && el.labels.length ? el.labels[0] : null;
  const name = (el.getAttribute('aria-label') || (label ? label.textContent : '') ||
                el.textContent || el.value || '').replace(/\\s+/g, ' ').trim();
  // GOV.UK's focus colour on the element (outline, shadow or background) or, for radios and
  // checkboxes, whose input hides behind its drawing, on the drawn box.
  const drawn = el.matches('.govuk-radios__input, .govuk-checkboxes__input') && label;
  const style = drawn ? getComputedStyle(label, '::before') : getComputedStyle(el);
  const yellow = 'rgb(255, 221, 0)';
  const visible = style.boxShadow.includes(yellow) || style.backgroundColor === yellow ||
    (style.outlineColor === yellow && style.outlineStyle !== 'none');
  return {tag: el.tagName.toLowerCase(), name, visible};
}"""


def tab_to(page: Page, name: str, *, most: int = 120) -> dict:
    """Press Tab until the element named `name` has focus; every stop on the way must show
    where focus is."""
    for _ in range(most):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED)
        if focused is None:
            continue
        assert focused["visible"], f"Focus is not visible on {focused}"
        if focused["name"] == name or focused["name"].startswith(name):
            return focused
    raise AssertionError(f"Tab never reached {name!r} on {page.url}")


def enter(page: Page) -> None:
    """Enter on the focused link or button, which loads a new page."""
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.wait_for_load_state("load")


def test_an_agency_contact_sends_an_update_with_the_keyboard_alone(chromium, live_server):
    load_demo()
    context = browser.new_context(chromium)
    page = context.new_page()
    checked = browser.CheckedPage(page, live_server.url)
    try:
        checked.start("/account/sign-in/")
        page.keyboard.press("Tab")
        assert page.evaluate(FOCUSED)["name"] == "Skip to main content"  # the first stop

        tab_to(page, "Email address")
        page.keyboard.type("police.contact@example.org")
        tab_to(page, "Password")
        page.keyboard.type(DEMO_PASSWORD)
        tab_to(page, "Sign in")
        enter(page)
        checked.check()
        expect(page.get_by_role("heading", level=1)).to_have_text("Dashboard")

        tab_to(page, "Your actions")
        enter(page)
        checked.check()
        expect(page.get_by_role("heading", level=1)).to_have_text("Your actions")
        first_action = page.locator("main table a").first.text_content().strip()
        tab_to(page, first_action)
        enter(page)
        checked.check()
        expect(page.get_by_role("heading", level=1)).to_contain_text("Action for Northvale Police")

        tab_to(page, "Send an update")
        enter(page)  # a link styled as a button: Enter follows it
        checked.check()

        # Sent with nothing chosen: the error summary takes focus, and its link leads to the
        # question.
        tab_to(page, "Send update")
        enter(page)
        checked.check()
        summary = page.locator(".govuk-error-summary")
        expect(summary).to_be_focused()
        tab_to(page, "Select where the action is now")
        page.keyboard.press("Enter")
        assert page.evaluate(FOCUSED)["name"] == "In progress"

        page.keyboard.press("ArrowDown")  # arrows move between the radios, and choose
        assert page.evaluate(FOCUSED)["name"] == "Completed"
        expect(page.get_by_label("Completed", exact=True)).to_be_checked()
        tab_to(page, "What has been done")
        page.keyboard.type("Training delivered to every response team in October.")
        tab_to(page, "Send update")
        enter(page)
        checked.check()
        expect(page.get_by_role("alert")).to_contain_text("Update sent")
        checked.finish()
    finally:
        context.close()
