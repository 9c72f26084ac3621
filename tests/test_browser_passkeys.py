"""A passkey, end to end in Chromium, with the browser's own virtual authenticator
(the DevTools WebAuthn domain) standing in for a phone's."""

from __future__ import annotations

import re

import pytest
from allauth.mfa.models import Authenticator
from playwright.sync_api import Page, expect

from tests.factories import PASSWORD, UserFactory
from tests.test_browser import (  # noqa: F401 (the fixtures are used by name)
    assert_only_the_live_server_was_contacted,
    browser,
    field,
    log_in,
    page,
    requested_urls,
)

pytestmark = pytest.mark.browser


def add_virtual_authenticator(tab: Page) -> None:
    """A platform authenticator that keeps passkeys and always says yes, as a phone
    whose owner touches the fingerprint reader would."""
    session = tab.context.new_cdp_session(tab)
    session.send("WebAuthn.enable")
    session.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "internal",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
                "automaticPresenceSimulation": True,
            }
        },
    )


def test_a_passkey_is_added_then_signs_in_and_opens_the_lock(
    page: Page,  # noqa: F811
    live_server,
    requested_urls: list[str],  # noqa: F811
):
    jo = UserFactory(email="jo@example.com", partner_name="Sam")
    add_virtual_authenticator(page)
    log_in(page, jo.email)

    # Adding one asks for the password first.
    page.goto("/accounts/2fa/webauthn/add/")
    field(page, "Password").fill(PASSWORD)
    page.get_by_role("button", name="Confirm").tap()
    expect(page.get_by_role("heading", name="Add a passkey")).to_be_visible()
    field(page, "A name for it, to tell it apart").fill("Jo's phone")
    page.get_by_role("button", name="Add the passkey").tap()
    page.wait_for_url(lambda url: "/webauthn/add/" not in url)
    passkey = Authenticator.objects.get(user=jo, type=Authenticator.Type.WEBAUTHN)
    assert passkey.wrap().name == "Jo's phone"
    assert passkey.wrap().is_passwordless

    # Sign out, then in with the passkey alone.
    page.goto("/accounts/logout/")
    page.get_by_role("button", name="Sign Out").tap()
    expect(page.get_by_role("heading", name="Log in")).to_be_visible()
    page.get_by_role("button", name="Use a passkey").tap()
    expect(page.get_by_role("heading", name="Log today's contact with Sam")).to_be_visible()

    # The lock opens with it too, and returns to the page asked for.
    page.goto("/journal/")
    page.get_by_role("button", name="Lock now").tap()
    expect(page.get_by_role("heading", name="Reconnect is locked")).to_be_visible()
    assert "Sam" not in page.content()
    page.get_by_role("button", name="Unlock with a passkey").tap()
    page.wait_for_url(re.compile(r"/journal/$"))
    expect(page.get_by_role("heading", name="Journal", exact=True)).to_be_visible()
    assert_only_the_live_server_was_contacted(requested_urls, live_server)
