"""The new-applicant issue in a real browser: 用户信息 in the navbar opens the account's own page (item 1),
民族 there is the list (item 2), and an empty base form shows every field's error beside it (item 6)."""
from __future__ import annotations

from urllib.parse import urlparse

import pytest

from tests.conftest import PASSWORD
from tests.e2e.conftest import screenshot
from tests.e2e.test_login_roles import sign_in

REQUIRED_REVIEW_FIELDS = ("level_id", "series_id", "title_id", "specialty_id", "method_id", "unit_id",
                          "recommendation_rank", "work_started_on", "professional_years", "committee_id")


@pytest.mark.parametrize("username, path", [("demo_person", "/account/person/"), ("demo_unit", "/account/unit/"),
                                            ("demo_committee", "/account/backend/")])
def test_navbar_userinfo_opens_the_own_account_page(demo, page, username, path):
    page.goto("/login/")
    sign_in(page, username, PASSWORD)
    page.locator(".navbar-right .dropdown-toggle:has(span.fa-user)").click()
    with page.expect_navigation():
        page.locator(".navbar-right .dropdown-menu a:has(span.fa-fw.fa-user)").click()
    assert urlparse(page.url).path == path
    assert "403" not in page.title() and username in page.content()


def test_ethnicity_is_chosen_from_the_list(demo, page):
    page.goto("/login/")
    sign_in(page, "demo_person", PASSWORD)
    page.goto("/account/person/")
    select = page.locator("select[name=ethnicity]")
    assert select.input_value() == "汉族"
    options = select.locator("option").all_inner_texts()
    assert "回族" in options and "基诺族" in options and len([o for o in options if o.endswith("族")]) == 56
    select.select_option("回族")
    with page.expect_navigation():
        page.locator("form:has(select[name=ethnicity]) button[type=submit]").click()
    assert page.locator("select[name=ethnicity]").input_value() == "回族"


def test_empty_base_form_shows_every_error_at_its_field(demo, page):
    page.goto("/login/")
    sign_in(page, "demo_person", PASSWORD)
    page.goto("/applications/commitment/review")
    with page.expect_navigation():
        page.locator("#agree").click()
    page.locator("#base-form").wait_for()
    with page.expect_navigation():
        page.locator("#save").click()
    for name in REQUIRED_REVIEW_FIELDS:
        error = page.locator(f"#group-{name} .field-error")
        assert error.count() == 1 and error.is_visible(), name
    assert page.locator("#base-form .field-error").count() == len(REQUIRED_REVIEW_FIELDS)
    screenshot(page, "new-applicant-empty-base-form")
