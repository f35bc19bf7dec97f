"""Signing in with each demo account in a real browser (A3, C5): the login page in Chinese, the
home page with only that role's menu items, logging out; a wrong password keeps the form."""
from __future__ import annotations

from urllib.parse import urlparse

import pytest
from flask import url_for

from app.security import roles
from tests.conftest import PASSWORD
from tests.e2e.conftest import screenshot

pytestmark = pytest.mark.e2e

DEMO_ROLES = {
    "admin": roles.ADMIN,
    "demo_person": roles.INDIVIDUAL,
    "demo_unit": roles.UNIT,
    "demo_superior": roles.UNIT,
    "demo_bureau": roles.BUREAU,
    "demo_committee": roles.COMMITTEE,
    "demo_expert1": roles.EXPERT,
}

LOGIN_PATH = "/login/"


def menu_links(app) -> dict[str, str]:
    """Menu item name (the `menu_access` resource) → its URL, for every item of the menu."""
    with app.test_request_context():
        return {child.name: child.get_url()
                for item in app.appbuilder.menu.get_list() for child in item.childs if child.name != "-"}


# What each role's menu holds, written out by hand: deriving it from ROLE_PERMISSIONS, as the app
# does, would let a wrong permission through unnoticed.
INDIVIDUAL_MENU = {"ChangePassword", "Messages", "MyApplications", "NewApplication", "PersonProfile", "MyCertificates"}
# 证书库管理 (职称认定, 职称认定证书管理, 印章印模): the issuing side
CERTIFICATE_LIBRARY_MENU = {"RecognitionIssue", "CertificateManagement", "IssuerSeal"}
UNIT_MENU = {"ChangePassword", "CommitteePaths", "DataReport", "DataReview", "FinalAuthority", "Messages",
             "PermissionApplication", "RecognitionReview", "ReportedList", "TransferReview", "UnitPathReview",
             "UnitPaths",
             "UnitProfile"} | CERTIFICATE_LIBRARY_MENU
BUREAU_MENU = {"ApplicationMethods", "BackendProfile", "BusinessPeriods", "BusinessSections", "CatalogImport",
               "ChangePassword",
               "CommitteePeriods", "Committees", "ExceptionalCases", "FinalAuthorityReviews", "Messages",
               "PermissionReview", "Regions", "Specialties", "TitleLevels", "TitleSeries", "Titles", "UnitRegistry",
               "EligibilityReview", "OverdueWork", "Overview", "VoteResults"} | CERTIFICATE_LIBRARY_MENU
COMMITTEE_MENU = {"BackendProfile", "ChangePassword", "CommitteePathReview", "Messages", "EligibilityReview",
                  "ExpertPool", "Meetings", "VoteResults"}
EXPERT_MENU = {"ChangePassword", "Messages", "MyReviewTasks"}
ADMIN_ONLY_MENU = {"AuditLog", "BackendAccounts", "NewBackendAccount", "Outbox", "List Users", "List Roles",
                   "List Groups", "Base Permissions", "Views/Menus", "Permission on Views/Menus"}
# certificates, the public side: the holder's requests and who looked; the bureau's review of the requests
INDIVIDUAL_MENU |= {"HistoricalRegistration", "CertificateReissue", "CertificateVerifications"}
BUREAU_MENU |= {"HistoricalReview", "ReissueReview"}
# 初定审核 and 初定证书入库: the bureau acts for the receiving offices of its region
BUREAU_MENU |= {"InitialReview", "InitialIssue"}
EXPECTED_MENUS = {roles.INDIVIDUAL: INDIVIDUAL_MENU, roles.UNIT: UNIT_MENU, roles.BUREAU: BUREAU_MENU,
                  roles.COMMITTEE: COMMITTEE_MENU, roles.EXPERT: EXPERT_MENU}


def allowed_menu_items(role: str, links: dict[str, str]) -> set[str]:
    if role == roles.ADMIN:
        return set(links)
    return EXPECTED_MENUS[role]


def hrefs(page) -> set[str]:
    return set(page.eval_on_selector_all("a[href]", "links => links.map(a => a.getAttribute('href'))"))


def assert_login_page(page) -> None:
    assert urlparse(page.url).path == LOGIN_PATH
    lang = page.get_attribute("html", "lang")
    assert lang is None or lang.lower().startswith("zh"), f"html lang={lang!r}"
    assert page.locator(".navbar").count() >= 1
    assert "登录" in page.content()
    assert page.locator("form input[name=username]").count() == 1
    assert page.locator("form input[name=password][type=password]").count() == 1


def sign_in(page, username: str, password: str) -> None:
    form = page.locator("form:has(input[name=password])")
    form.locator("input[name=username]").fill(username)
    form.locator("input[name=password]").fill(password)
    with page.expect_navigation():
        form.locator("[type=submit]").click()


@pytest.mark.parametrize("username", list(DEMO_ROLES))
def test_demo_account_signs_in_sees_its_menu_and_signs_out(app, demo, page, username):
    links = menu_links(app)
    allowed = allowed_menu_items(DEMO_ROLES[username], links)
    assert allowed, f"{username} should see at least one menu item"

    page.goto("/")
    assert_login_page(page)

    sign_in(page, username, PASSWORD)
    assert urlparse(page.url).path == "/", f"{username} was not signed in and sent home: {page.url}"
    shown = hrefs(page)
    for name, url in links.items():
        if name in allowed:
            assert url in shown, f"{username} should see menu item {name} ({url})"
        elif url not in {links[a] for a in allowed}:
            assert url not in shown, f"{username} must not see menu item {name} ({url})"
    screenshot(page, f"home-{username}")

    # logout is a POST form in the user menu; a GET of the logout URL signs no one out
    with app.test_request_context():
        logout_url = url_for("LoginView.logout")
    assert page.request.get(logout_url).status == 405
    page.click("ul.navbar-right a.dropdown-toggle:has(.fa-user)")
    page.click("form.navbar-logout-form button")
    page.wait_for_load_state()
    page.goto("/")
    assert_login_page(page)


def test_every_expected_menu_item_exists(app):
    """Guards the test above: a renamed or removed menu item fails here instead of being skipped."""
    links = menu_links(app)
    expected = set().union(*EXPECTED_MENUS.values(), ADMIN_ONLY_MENU)
    assert expected == set(links), f"menu items changed: {sorted(expected ^ set(links))}"


def test_wrong_password_shows_error_by_the_form_and_keeps_login_name(demo, page):
    page.goto(LOGIN_PATH)
    sign_in(page, "demo_person", PASSWORD + "x")

    assert urlparse(page.url).path == LOGIN_PATH
    form = page.locator("form:has(input[name=password])")
    error = form.locator("xpath=..").locator("[role=alert]")
    assert error.count() >= 1 and error.first.is_visible()
    assert error.first.inner_text().strip()
    assert form.locator("input[name=username]").input_value() == "demo_person"
    assert form.locator("input[name=password]").input_value() == ""
    screenshot(page, "login-wrong-password")


def test_login_page_shows_captcha_when_enabled(app, page):
    app.config["CAPTCHA_ENABLED"] = True  # the tests' app turns it off; restored after the test
    page.goto(LOGIN_PATH)
    captcha = page.locator("form input[name=captcha]")
    assert captcha.count() == 1
    image = page.locator("form img").first
    image.wait_for()
    page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=image.element_handle())
    screenshot(page, "login-captcha")
