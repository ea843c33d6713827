"""Signing in as a user must, clicked through in Chromium with axe on every page: a coordinator
sets up an authenticator app on first sign-in (a wrong code first), is asked for a code the
next time; too many wrong passwords lock sign-in with a page that says why."""

import base64

import pytest
from django.conf import settings
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from conftest import PASSWORD
from dhr import two_factor
from dhr.tests.two_factor import app_of
from reviews.tests.test_browser_journey import follow, press, sign_in, sign_out

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _heading(page):
    return page.get_by_role("heading", level=1)


def test_a_coordinator_sets_up_an_app_then_signs_in_with_it(browser_page, people):
    bp, page = browser_page, browser_page.page
    bp.start("/account/sign-in/")
    page.get_by_label("Email address").fill(people.coordinator.email)
    page.get_by_label("Password").fill(PASSWORD)
    press(bp, "Sign in")
    expect(_heading(page)).to_have_text("Set up two-factor sign-in")
    expect(page.get_by_role("img", name="QR code")).to_be_visible()

    page.get_by_label("Security code").fill("123456")
    press(bp, "Continue")
    expect(page.get_by_role("alert")).to_contain_text("The code is not right or has expired")
    expect(page.get_by_label("Security code")).to_have_value("123456")

    secret = page.locator("#secret").inner_text().replace(" ", "")
    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    TOTPDevice.objects.get(user=people.coordinator).throttle_reset()
    page.get_by_label("Security code").fill(f"{TOTP(key).token():06d}")
    press(bp, "Continue")
    # Recovery codes, shown this once.
    expect(_heading(page)).to_have_text("Save your recovery codes")
    expect(page.get_by_role("alert")).to_contain_text("Two-factor sign-in is set up")
    expect(page.get_by_role("list", name="Your recovery codes").locator("li")).to_have_count(10)
    press(bp, "I have saved my recovery codes")
    expect(_heading(page)).to_have_text("Dashboard")
    sign_out(bp)

    # The next time, a code is asked for (the shared helper reads it from the app).
    sign_in(bp, people.coordinator)
    page.get_by_role("link", name="your account").click()
    page.wait_for_load_state("load")
    bp.check()
    expect(page.locator(".govuk-summary-list")).to_contain_text(
        "On: a code from your authenticator app"
    )


def test_too_many_wrong_passwords_lock_sign_in(browser_page, people):
    bp, page = browser_page, browser_page.page
    bp.start("/account/sign-in/")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        page.get_by_label("Email address").fill(people.viewer.email)
        page.get_by_label("Password").fill("not-my-password")
        press(bp, "Sign in")
        expect(page.get_by_role("alert")).to_contain_text("Enter a correct email address")
    page.get_by_label("Password").fill("not-my-password")
    bp.expect_status(429)
    press(bp, "Sign in")
    expect(_heading(page)).to_have_text("Sign-in locked")
    expect(page.get_by_text("signing in is locked for 15 minutes")).to_be_visible()


def test_the_accessibility_statement_is_linked_from_every_page(browser_page):
    bp, page = browser_page, browser_page.page
    bp.start("/account/sign-in/")
    page.get_by_role("link", name="Accessibility statement").click()
    page.wait_for_load_state("load")
    bp.check()
    expect(_heading(page)).to_have_text("Accessibility statement for the DHR case manager")
    expect(page.get_by_text("WCAG) version 2.2 AA")).to_be_visible()


def test_without_the_phone_a_recovery_code_signs_in_once(browser_page, people):
    bp, page = browser_page, browser_page.page
    app_of(people.chair)
    codes = two_factor.recovery_codes_make(people.chair)
    bp.start("/account/sign-in/")
    page.get_by_label("Email address").fill(people.chair.email)
    page.get_by_label("Password").fill(PASSWORD)
    press(bp, "Sign in")
    expect(_heading(page)).to_have_text("Enter your security code")
    page.get_by_text("I do not have my app").click()
    follow(bp, "Sign in with a recovery code")
    expect(_heading(page)).to_have_text("Sign in with a recovery code")
    page.get_by_label("Recovery code").fill("zzzz zzzz")
    press(bp, "Continue")
    expect(page.get_by_role("alert")).to_contain_text("not right or has been used")
    expect(page.get_by_label("Recovery code")).to_have_value("zzzz zzzz")
    TOTPDevice.objects.filter(user=people.chair).update(throttling_failure_count=0)
    StaticDevice.objects.filter(user=people.chair).update(throttling_failure_count=0)
    page.get_by_label("Recovery code").fill(codes[3])
    press(bp, "Continue")
    expect(_heading(page)).to_have_text("Dashboard")
    expect(page.get_by_text("You signed in with a recovery code. You have 9 left")).to_be_visible()


def test_an_administrator_resets_a_lost_phone(browser_page, people):
    bp, page = browser_page, browser_page.page
    app_of(people.chair)
    bp.start("/account/sign-in/")
    sign_in(bp, people.admin)
    follow(bp, "Administration")
    follow(bp, "Find a person")
    page.get_by_label("Name or email address").fill(people.chair.name)
    press(bp, "Search")
    follow(bp, people.chair.name)
    expect(page.locator(".govuk-summary-list")).to_contain_text("Set up: an authenticator app")
    press(bp, "Reset two-factor sign-in")
    press(bp, "Reset two-factor sign-in")  # nothing filled in
    expect(page.get_by_role("alert")).to_contain_text("Enter why you are resetting")
    page.get_by_label("Why are you resetting it?").fill("Lost phone: called back on 01632 960002")
    page.get_by_label("I have checked this request really comes from this person").check()
    press(bp, "Reset two-factor sign-in")
    expect(page.get_by_role("alert")).to_contain_text("Two-factor sign-in reset for")
    expect(page.locator(".govuk-summary-list")).to_contain_text("Not set up yet")
    expect(page.get_by_role("table")).to_contain_text("called back on 01632 960002")
