"""Issue item 8 in a real browser (seed 004 ch. 2): the 职称初定 base form with 所属行政区划 (province → city →
district), 工作单位性质, 行政主管部门 and 报送受理部门 loaded for the region and series; “未查到相关的受理部门”
for a region no office serves, and “未查到相关的评委会” on the review form when no committee is open."""
from __future__ import annotations

import re
from urllib.parse import urlparse

import pytest

from tests.conftest import PASSWORD
from tests.e2e.conftest import screenshot

pytestmark = pytest.mark.e2e
UNIT_NAME = "威海市环翠区文化馆"


def _sign_in(page) -> None:
    page.goto("/login/")
    form = page.locator("form:has(input[name=password])")
    form.locator("input[name=username]").fill("demo_person")
    form.locator("input[name=password]").fill(PASSWORD)
    with page.expect_navigation():
        form.locator("[type=submit]").click()


def _choose(page, select: str, label: str) -> None:
    page.wait_for_function("([s, l]) => Array.from(document.querySelectorAll(s + ' option'))"
                           ".some(o => o.textContent.trim() === l)", arg=[select, label])
    page.select_option(select, label=label)


def _open(page, business: str) -> None:
    page.goto(f"/applications/new/{business}")
    if "/commitment/" in page.url:
        with page.expect_navigation():
            page.locator("#agree").click()
    page.locator("#base-form").wait_for()


def _common(page, level: str) -> None:
    _choose(page, "#level_id", level)
    _choose(page, "#series_id", "群众文化")
    page.wait_for_function("document.querySelectorAll('#title_id option').length > 1")
    page.select_option("#title_id", index=1)
    page.wait_for_function("document.querySelectorAll('#specialty_id option').length > 1")
    page.select_option("#specialty_id", index=1)
    _choose(page, "#method_id", "正常晋升")
    page.locator("#group-unit_id .select2-selection, #unit_id + .select2 .select2-selection").first.click()
    page.locator(".select2-search__field").fill("文化馆")
    page.locator(".select2-results__option", has_text=UNIT_NAME).first.click()


def test_initial_form_offices_by_region_and_series(app, demo, page):
    _sign_in(page)
    _open(page, "initial")
    assert page.locator("#committee_id").count() == 0  # 职称初定 goes to an office, not a committee
    _common(page, "初级")
    _choose(page, "#region-province", "山东省")
    _choose(page, "#region-city", "济南市")
    _choose(page, "#region-district", "历下区")
    page.locator("#accepting_office_id-none").wait_for(state="visible")
    assert "未查到相关的受理部门" in page.locator("#accepting_office_id-none").inner_text()
    screenshot(page, "initial-01-no-office")
    _choose(page, "#region-city", "威海市")
    _choose(page, "#region-district", "环翠区")
    _choose(page, "#accepting_office_id", "威海市文化和旅游局")
    assert not page.locator("#accepting_office_id-none").is_visible()
    page.select_option("#work_unit_nature", "事业单位")
    page.fill("#competent_department", "威海市文化和旅游局")
    page.fill("#recommendation_rank", "1/1")
    page.fill("#work_started_on", "2015-07-01")
    page.fill("#professional_years", "10")
    screenshot(page, "initial-02-base-form")
    with page.expect_navigation():
        page.locator("#save").click()
    match = re.search(r"/applications/(\d+)$", urlparse(page.url).path)
    assert match, page.url
    overview = page.content()
    assert "环翠区" in overview and "事业单位" in overview and "威海市文化和旅游局" in overview
    page.goto(f"/applications/{match.group(1)}/forms/initial_form")
    assert "专业技术资格初定申报表" in page.content() and "一式两份" in page.content()
    screenshot(page, "initial-03-application-form")


def test_review_form_says_when_no_committee_is_open(app, demo, page):
    _sign_in(page)
    _open(page, "review")
    _common(page, "中级")  # no 群众文化 committee at 中级 in the demo data
    page.locator("#committee_id-none").wait_for(state="visible")
    assert "未查到相关的评委会" in page.locator("#committee_id-none").inner_text()
    screenshot(page, "initial-04-no-committee")
