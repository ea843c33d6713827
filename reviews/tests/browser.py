"""Browser fixtures: Debian's Chromium driven by Playwright against pytest-django's live server,
with an axe-core check that every page the test visits must pass.

A test asks for `browser_page`, opens the start page with `browser_page.start(path)`, then clicks
and fills as a user would. After every navigation it calls `browser_page.check()`, which runs axe
and fails on any violation; when the test ends, the fixture fails it if a page was loaded and
never checked, or if any page answered with an error status or raised a JavaScript error.
"""

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import (
    Browser,
    BrowserContext,
    Page,
    Playwright,
    Response,
    sync_playwright,
)

# Debian's Chromium in two packages built from one source: `chromium-headless-shell`, the
# headless mode on its own, runs the suite's pages with the same Blink and V8 in under half the
# CPU of the full browser (`chromium`), and the CPU is what the suite waits for on two cores.
# The tests use the shell; test_browser_checker.py runs the checker's cases and a real page in
# the full browser too, so a difference between the two would show. TEST_CHROMIUM picks another.
HEADLESS_SHELL = "/usr/bin/chromium-headless-shell"
FULL_CHROMIUM = "/usr/bin/chromium"
CHROMIUM = os.environ.get("TEST_CHROMIUM", HEADLESS_SHELL)
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
STATIC_CSS = Path(__file__).resolve().parents[2] / "static" / "govuk" / "app.css"
TIMEOUT_MS = 10_000

# axe-core, loaded into every page a context opens (see new_context), and run on the page shown.
AXE_SOURCE = Axe().axe_script

# Every rule runs on the whole page, except colour contrast, the costliest by far (about three
# quarters of axe's time here). A text's colours come from the style sheet, so they are fixed by
# the chain of tags, classes and styling attributes from <html> down to the text's element: once
# one text with a chain has been checked, another with the same chain (the next row of a table,
# the same heading on the next page) would give the same answer. So contrast is checked on the
# visible texts whose chain this test has not checked yet, and the chains checked are returned to
# be passed in next time. A chain differs with any class, inline style or state attribute, so a
# change of colour is always a new chain.
AXE_RUN = """async (checked) => {
  const seen = new Set(checked);
  const STATES = ['style', 'aria-current', 'aria-disabled', 'aria-selected', 'aria-expanded',
                  'aria-invalid', 'disabled', 'open', 'type', 'role', 'hidden'];
  const step = el => el.localName + Array.from(el.classList).sort().map(c => '.' + c).join('') +
    STATES.filter(a => el.hasAttribute(a)).map(a => `[${a}=${el.getAttribute(a)}]`).join('');
  const chainOf = el => {
    const steps = [];
    for (let e = el; e; e = e.parentElement) steps.push(step(e));
    return steps.reverse().join('>');
  };
  const hasText = el => el.matches('input, select, textarea, button') ||
    Array.from(el.childNodes).some(n => n.nodeType === Node.TEXT_NODE && n.textContent.trim());
  const fresh = [], chains = [];
  for (const el of document.body ? document.body.querySelectorAll('*') : []) {
    if (!hasText(el) || !el.getClientRects().length) continue;
    const chain = chainOf(el);
    if (seen.has(chain)) continue;
    seen.add(chain);
    chains.push(chain);
    fresh.push(el);
  }
  const options = {resultTypes: ['violations']};
  const rest = await axe.run(document, {...options, rules: {'color-contrast': {enabled: false}}});
  let contrast = [];
  if (fresh.length) {
    const only = {...options, runOnly: {type: 'rule', values: ['color-contrast']}};
    contrast = (await axe.run({include: fresh}, only)).violations;
  }
  return {violations: rest.violations.concat(contrast), chains};
}"""


def new_context(browser: Browser) -> BrowserContext:
    """A fresh context (no cookies, an empty cache) in British English and London time, with
    axe-core loaded into every page before the page's own scripts (rather than sent again with
    each check)."""
    context = browser.new_context(locale="en-GB", timezone_id="Europe/London")
    context.set_default_timeout(TIMEOUT_MS)
    context.add_init_script(AXE_SOURCE)
    return context


def axe_violations(page: Page, contrast_checked: set[str]) -> list[dict]:
    """axe-core's violations (WCAG 2.x A and AA, and best practice) on the page now shown, colour
    contrast checked on the texts whose chain is not in `contrast_checked` (which gains them)."""
    result = page.evaluate(AXE_RUN, sorted(contrast_checked))
    contrast_checked.update(result["chains"])
    return result["violations"]


def format_violations(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']}")
        for node in violation["nodes"]:
            lines.append(f"    {node['target']}: {node.get('failureSummary', '')}".rstrip())
    return "\n".join(lines)


class CheckedPage:
    """A Playwright page that keeps count of the pages it loads and the axe checks run on them."""

    def __init__(self, page: Page, base_url: str):
        self.page = page
        self.base_url = base_url.rstrip("/")
        self.loads = 0
        self.checked = 0
        self.errors: list[str] = []
        self.expected_statuses: list[int] = []
        self.contrast_checked: set[str] = set()
        page.on("load", self._on_load)
        page.on("response", self._on_response)
        page.on("pageerror", lambda error: self.errors.append(f"JavaScript error: {error}"))

    def _on_load(self, _page) -> None:
        self.loads += 1

    def _on_response(self, response: Response) -> None:
        if response.status in self.expected_statuses:
            self.expected_statuses.remove(response.status)
        elif response.status >= 400:
            self.errors.append(f"{response.status} from {response.request.method} {response.url}")

    def expect_status(self, status: int) -> None:
        """The next response with this error status is the page the test means to reach (a
        locked sign-in, say): it is checked like any other, not counted as a failure."""
        self.expected_statuses.append(status)

    def start(self, path: str) -> None:
        """Open the start page: the one URL a test may type in."""
        self.page.goto(self.base_url + path)
        self.check()

    def check(self) -> None:
        """Fail on a broken page or any axe-core violation on the page now shown."""
        self.page.wait_for_load_state("load")
        assert not self.errors, "\n".join(self.errors)
        assert self.loads > self.checked, (
            f"No new page has loaded since the last check (now at {self.page.url})"
        )
        violations = axe_violations(self.page, self.contrast_checked)
        assert not violations, (
            f"axe-core found {len(violations)} violation(s) on {self.page.url} "
            f"({self.page.title()}):\n{format_violations(violations)}"
        )
        self.checked = self.loads

    def finish(self) -> None:
        assert not self.errors, "\n".join(self.errors)
        assert self.loads == self.checked, (
            f"{self.loads - self.checked} page load(s) were never checked with axe "
            f"(last page {self.page.url})"
        )


@pytest.fixture(scope="session")
def playwright_driver() -> Iterator[Playwright]:
    """Playwright's driver, started once for the test process."""
    with sync_playwright() as playwright:
        yield playwright


def launched(playwright: Playwright, executable: str) -> Iterator[Browser]:
    """A Chromium started from `executable`, closed when the caller is done with it."""
    if not STATIC_CSS.exists():
        pytest.fail("GOV.UK assets are missing: run `make assets`")
    if not Path(executable).exists():
        pytest.fail(f"{executable} is missing: run `scripts/ensure-system.sh test`")
    browser = playwright.chromium.launch(
        executable_path=executable, headless=True, args=CHROMIUM_ARGS
    )
    yield browser
    browser.close()


@pytest.fixture(scope="session")
def chromium(playwright_driver: Playwright) -> Iterator[Browser]:
    """One Chromium for the test process (each test has a context of its own, see new_context):
    starting one takes about a second, once per module before."""
    yield from launched(playwright_driver, CHROMIUM)


@pytest.fixture
def browser_page(request, chromium: Browser, live_server) -> Iterator[CheckedPage]:
    context = new_context(chromium)
    checked = CheckedPage(context.new_page(), live_server.url)
    failed_before = request.session.testsfailed
    try:
        yield checked
        if request.session.testsfailed == failed_before:  # don't pile a second failure on one
            checked.finish()
    finally:
        context.close()
