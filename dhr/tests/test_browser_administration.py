"""An administrator adds the first partnership in Chromium, with axe on every page; its new
coordinator follows the emailed invitation, chooses a password and is asked to set up an app."""

import re

import pytest
from playwright.sync_api import expect

from dhr.models import OutgoingEmail
from reviews.tests.test_browser_journey import follow, press, sign_in, sign_out

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_administrator_adds_a_partnership_and_its_coordinator_joins(browser_page, people):
    bp, page = browser_page, browser_page.page
    bp.start("/account/sign-in/")
    sign_in(bp, people.admin)
    follow(bp, "Administration")
    press(bp, "Add a partnership")
    page.get_by_label("Partnership name").fill("Eastbrook CSP")
    page.get_by_label("Coordinator's email address").fill("not an address")
    press(bp, "Add the partnership")
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("Enter the council area the partnership serves")
    expect(summary).to_contain_text("email address in the correct format")
    expect(page.get_by_label("Partnership name")).to_have_value("Eastbrook CSP")
    page.get_by_label("Council area it serves").fill("Eastbrook")
    page.get_by_label("Coordinator's full name").fill("Cora Coordinator")
    page.get_by_label("Coordinator's email address").fill("cora@eastbrook.example.org")
    page.get_by_label("CSP chair's full name").fill("Chas Chair")
    page.get_by_label("CSP chair's email address").fill("chas@eastbrook.example.org")
    press(bp, "Add the partnership")
    expect(page.get_by_role("alert")).to_contain_text("Eastbrook CSP added")
    expect(page.get_by_role("main")).to_contain_text("Eastbrook CSP (Eastbrook)")
    sign_out(bp)

    invitation = OutgoingEmail.objects.get(to=["cora@eastbrook.example.org"])
    path = re.search(r"https?://[^/\s]+(/account/password-reset/\S+/)", invitation.body)[1]
    bp.start(path)  # the link in the email
    expect(page.get_by_role("heading", level=1)).to_contain_text("password")
    page.get_by_label("New password", exact=True).fill("a-long-new-passphrase")
    page.get_by_label("New password confirmation").fill("a-long-new-passphrase")
    press(bp, "Set password")
    follow(bp, "Sign in")
    page.get_by_label("Email address").fill("cora@eastbrook.example.org")
    page.get_by_label("Password").fill("a-long-new-passphrase")
    press(bp, "Sign in")
    expect(page.get_by_role("heading", level=1)).to_have_text("Set up two-factor sign-in")
