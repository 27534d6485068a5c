"""The first-use privacy notice (issue #6, acceptance 4): shown once, then never
again for that user — not after a reload, not after logging in again, not on
another phone; and an official offline in a basement is not locked out by it."""

import pytest
from e2e_support import PASSWORD, TABS, tab_labels, wait_for_service_worker, wait_until
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e


@pytest.fixture
def newcomer(transactional_db):
    """A staff member who has never seen the notice."""
    from backend.accounts.models import OrgUnit, User

    team = OrgUnit.objects.create(code="e2e-privacy", name="招商二组", kind="team")
    return User.objects.create_user(username="e2e_newcomer", password=PASSWORD, role="staff", display_name="新同事", org_unit=team)


def acknowledgements(user):
    from backend.accounts.models import PrivacyAcknowledgement

    return list(PrivacyAcknowledgement.objects.filter(user=user).values_list("version", flat=True))


def submit_login(page, username):
    page.goto("/#/login")
    page.locator("#tab-password").click()
    page.locator("#username").fill(username)
    page.locator("#password").fill(PASSWORD)
    page.locator("#login-submit").click()


def test_it_shows_the_notice_once_and_then_never_again_for_that_user(page, new_context, newcomer, settings):
    page.add_init_script(
        "window.__csp = []; document.addEventListener('securitypolicyviolation',"
        " (e) => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));"
    )
    submit_login(page, "e2e_newcomer")

    notice = page.locator("#privacy-notice")
    expect(notice).to_be_visible()
    assert page.evaluate("location.hash").startswith("#/privacy")
    expect(page.locator("#tabbar")).to_be_hidden()
    # What an official is told: positions only at check-in, who sees them, how long, flags.
    for section in ("location", "visibility", "retention", "flags"):
        expect(page.locator(f"#privacy-{section}")).to_be_visible()
    expect(page.locator("#privacy-retention")).to_contain_text(f"{settings.LOCATION_RETENTION_DAYS} 天")
    expect(page.locator("#privacy-flags")).to_contain_text("无法识别虚拟定位")
    assert notice.get_attribute("data-version") == settings.PRIVACY_NOTICE_VERSION

    # No way around it: another route comes back to the notice.
    page.goto("/#/visits")
    expect(notice).to_be_visible()
    assert acknowledgements(newcomer) == []

    assert page.evaluate("window.__csp") == []  # the notice and its buttons, under the app's own CSP
    page.locator("#privacy-agree").click()
    page.locator("#tabbar a[href='#/me']").wait_for()
    assert page.evaluate("location.hash") == "#/visits"  # where the user was going
    assert tab_labels(page) == TABS["staff"]
    assert acknowledgements(newcomer) == [settings.PRIVACY_NOTICE_VERSION]

    page.reload()
    page.locator("#tabbar a[href='#/me']").wait_for()
    expect(page.locator("#privacy-notice")).to_have_count(0)

    # Log out and in again on this phone: no notice.
    page.goto("/#/me")
    page.locator("#logout").click()
    page.locator("#login-submit").wait_for()
    submit_login(page, "e2e_newcomer")
    page.locator("#tabbar a[href='#/me']").wait_for()
    expect(page.locator("#privacy-notice")).to_have_count(0)

    # Another phone: the server remembers.
    other = new_context().new_page()
    submit_login(other, "e2e_newcomer")
    other.locator("#tabbar a[href='#/me']").wait_for()
    expect(other.locator("#privacy-notice")).to_have_count(0)
    assert acknowledgements(newcomer) == [settings.PRIVACY_NOTICE_VERSION]

    # Still readable from 我的, without asking again.
    page.goto("/#/me")
    page.locator("#privacy-row").click()
    expect(page.locator("#privacy-notice")).to_be_visible()
    expect(page.locator("#privacy-done")).to_be_visible()
    expect(page.locator("#privacy-agree")).to_have_count(0)


def test_it_lets_an_official_offline_acknowledge_and_sends_it_later(page, context, gate, newcomer, settings):
    submit_login(page, "e2e_newcomer")
    expect(page.locator("#privacy-notice")).to_be_visible()
    wait_for_service_worker(page)

    # The basement: no network for the page or its service worker.
    gate.block()
    context.set_offline(True)
    page.locator("#privacy-agree").click()
    page.locator("#tabbar a[href='#/me']").wait_for()  # not locked out of checking in
    assert acknowledgements(newcomer) == []

    # Back upstairs: the acknowledgement goes out by itself.
    gate.open()
    context.set_offline(False)
    wait_until(page, "!localStorage.getItem('dxe.privacyAck')")
    assert acknowledgements(newcomer) == [settings.PRIVACY_NOTICE_VERSION]
    page.reload()
    page.locator("#tabbar a[href='#/me']").wait_for()
    expect(page.locator("#privacy-notice")).to_have_count(0)


def test_it_logs_out_whoever_declines_and_asks_again_next_time(page, newcomer):
    submit_login(page, "e2e_newcomer")
    page.locator("#privacy-decline").click()
    page.locator("#login-submit").wait_for()
    assert acknowledgements(newcomer) == []
    assert page.request.get("/api/auth/me").status == 401

    submit_login(page, "e2e_newcomer")
    expect(page.locator("#privacy-agree")).to_be_visible()
