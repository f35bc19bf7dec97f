"""The units' chain of manual 000 §2.2–2.6 in a real browser: 权限申请 of a new unit approved by the bureau on
职称申报权限审核; 单位路径申请 (the superior unit chosen in the select2 picker) approved on 单位路径审核;
评委会路径申请 approved on the committee's 评委会路径审核; 数据审核 (every section 通过) and 数据上报 (全选) at
demo_unit; 退回 by demo_superior with one section 不通过 and its reason, seen again at demo_unit; 通过 and
上报 up to the committee, after which the applicant reads 待评审. Screenshots in tests/e2e/artifacts/.

Set up in the database only what this part of the manual does not cover: the new unit's account (§2.1
registration), and demo_person's submitted application (manual 003) with 工作成绩及表现 as its one
required section."""
from __future__ import annotations

import re
from urllib.parse import parse_qs, urlparse

import pytest
from sqlalchemy import select

from app.demo import DEMO_COMMITTEE
from app.extensions import db
from tests.conftest import PASSWORD
from tests.e2e.conftest import assert_no_problems, screenshot

pytestmark = pytest.mark.e2e

NEW_UNIT = {"username": "huancui_lib", "name": "威海市环翠区图书馆", "credit_code": "91350100M000100Y43",
            "unit_type": "事业单位", "competent_department": "威海市环翠区文化和旅游局"}
UNIT = "威海市环翠区文化馆"  # demo_unit
SUPERIOR = "威海市环翠区文化和旅游局"  # demo_superior
SUMMARY = "自参加工作以来，长期从事群众文化工作，组织基层文艺活动百余场，辅导业余团队十余支。"
REASON = "业绩描述缺少任现职以来的内容"


# ---------------------------------------------------------------- set-up outside §2.2–2.6
def _new_unit_account(app) -> None:
    from app.models.units import Unit
    from tests.factories import make_unit_account

    with app.app_context():
        user = make_unit_account(NEW_UNIT["username"], NEW_UNIT["name"], region_code="371002")
        unit = db.session.execute(select(Unit).filter_by(user_id=user.id)).scalar_one()
        assert not unit.has_permission
        db.session.remove()


def _submitted_application(app) -> int:
    """demo_person's application at demo_unit, 工作成绩及表现 filled, submitted (待单位审核)."""
    from app.commands.applications.sections import SaveTextCommand
    from app.commands.applications.submit import SubmitCommand
    from app.models.applications import Application
    from app.models.catalog import Committee
    from app.models.units import Unit
    from tests.factories import make_application, require_only

    with app.app_context():
        require_only("review", "work_summary")
        person = app.appbuilder.sm.find_user(username="demo_person")
        committee = db.session.execute(select(Committee).filter_by(name=DEMO_COMMITTEE)).scalar_one()
        unit = db.session.execute(select(Unit).filter_by(name=UNIT)).scalar_one()
        application_id = make_application(person, unit=unit, committee_id=committee.id).id
        SaveTextCommand(person, application_id, "work_summary", SUMMARY).run()
        SubmitCommand(person, application_id).run()
        application = db.session.get(Application, application_id)
        assert (application.status, application.current_unit_id) == ("pending_unit", unit.id)
        db.session.remove()
        return application_id


# ---------------------------------------------------------------- browser helpers
def _path(page) -> str:
    return urlparse(page.url).path


def _query(page) -> dict:
    return {k: v[0] for k, v in parse_qs(urlparse(page.url).query).items()}


def _sign_in(page, username: str) -> None:
    page.context.clear_cookies()  # signs the previous user out
    page.goto("/login/")
    form = page.locator("form:has(input[name=password])")
    form.locator("input[name=username]").fill(username)
    form.locator("input[name=password]").fill(PASSWORD)
    with page.expect_navigation():
        form.locator("[type=submit]").click()
    assert _path(page) == "/", f"{username} was not signed in: {page.url}"


def _click(page, locator) -> None:
    with page.expect_navigation():
        locator.click()


def _flash(page) -> str:
    alerts = page.locator(".alert-success")
    assert alerts.count() >= 1, "no success message on " + page.url
    return alerts.first.inner_text()


def _no_form_error(page) -> None:
    errors = page.locator(".form-error-box, .field-error, .alert-danger")
    assert errors.count() == 0, f"error on {page.url}: {errors.all_inner_texts()}"


def _approve_path(page, applicant: str) -> None:
    """单位路径审核 / 评委会路径审核: 审核通过 on the pending row of `applicant`."""
    page.goto("/units/path-review/")
    row = page.locator("#path-review tbody tr", has_text=applicant)
    assert row.count() == 1, f"no pending path of {applicant}"
    assert "未生效" in row.inner_text()
    _click(page, row.locator("form[action$='/approve'] button[type=submit]"))
    assert _path(page) == "/units/path-review/"
    assert "审核通过，路径已生效" in _flash(page)


def _approve_chosen_path(page, applicant: str) -> None:
    """The same with FAB's list action: the row chosen, 操作 → 审核通过, confirmed in the dialog."""
    page.goto("/units/path-review/")
    row = page.locator("#path-review tbody tr", has_text=applicant)
    assert row.count() == 1 and "未生效" in row.inner_text(), f"no pending path of {applicant}"
    page.locator(".dropdown-toggle", has_text="操作").click()
    page.locator("a.approve_menu_item").click()  # nothing chosen yet: said in Chinese, not FAB's English
    alert = page.locator("#modal-alert")
    alert.locator(".modal-text", has_text="请至少选择一条记录").wait_for()
    alert.locator("button[data-dismiss=modal]").click()
    alert.wait_for(state="hidden")
    row.locator("input.action_check").check()
    page.locator(".dropdown-toggle", has_text="操作").click()
    page.locator("a.approve_menu_item").click()
    dialog = page.locator("#modal-confirm")
    dialog.wait_for(state="visible")
    # FAB's OK button is a link to "#": its same-page navigation may come before the form's POST, so wait
    # for the page the POST leads to (the list with its flash), not for the next navigation
    dialog.locator("#modal-confirm-ok").click()
    page.locator(".alert-success").first.wait_for()
    assert _path(page) == "/units/path-review/"
    assert "审核通过，路径已生效" in _flash(page)


def _open_review(page, application_id: int) -> None:
    """数据审核: the application is in the 待审核 tab (the default); 审核 opens it."""
    page.goto("/review/")
    row = page.locator(f"#review-queue tr[data-id='{application_id}']")
    assert row.count() == 1, f"application {application_id} is not in the queue of {page.url}"
    assert "待单位审核" in row.inner_text()
    _click(page, row.locator("a", has_text="审核"))
    assert _path(page) == f"/review/{application_id}"


def _pass(page, application_id: int) -> None:
    """On the review page: every section 通过, then 通过 → back on the queue with the message."""
    radios = page.locator("#review-form input[type=radio][value=pass]")
    assert radios.count() >= 1
    for i in range(radios.count()):
        radios.nth(i).check()
    _click(page, page.locator("#pass"))
    assert _path(page) == "/review/", page.url
    assert "该申报已审核通过" in _flash(page)
    # 通过未上报
    _click(page, page.locator(".status-tabs a", has_text="通过未上报"))
    assert _query(page).get("status") == "passed_unit"
    row = page.locator(f"#review-queue tr[data-id='{application_id}']")
    assert row.count() == 1, "the passed application is not under 通过未上报"
    assert "通过未上报" in row.inner_text(), row.inner_text()


def _status_of(app, application_id: int) -> str:
    from app.models.applications import Application

    with app.app_context():
        status = db.session.get(Application, application_id).status
        db.session.remove()
    return status


def _report(app, page, application_id: int, target: str, shot: str, select_all: bool) -> None:
    """数据上报: 非委托评审人员未上报 (the default for a unit's applicants), tick the row, 数据上报; the 确定
    page (seed 000 §2.4) names the count and the target, and nothing is reported before 确定."""
    page.goto("/report/")
    _click(page, page.locator("#tab-not_entrusted"))
    assert _query(page).get("tab") == "not_entrusted"
    row = page.locator(f"#report-list tr[data-id='{application_id}']")
    assert row.count() == 1, "the passed application is not listed to report"
    box = page.locator(f"#select-{application_id}")
    if select_all:
        page.locator("#select-all").check()
        assert box.is_checked(), "全选 did not tick the row"
    else:
        box.check()
    screenshot(page, shot)
    _click(page, page.locator("#report-button"))
    _no_form_error(page)
    assert page.locator("#report-confirm").count() == 1, "数据上报 did not ask to confirm"
    assert "确定上报 1 条申报信息" in page.locator("#report-confirm").inner_text()
    plan = page.locator("#report-plan .plan-row")
    assert plan.count() == 1 and plan.locator(".plan-target").inner_text() == target
    assert plan.locator(".plan-count").inner_text() == "1"
    assert _status_of(app, application_id) == "passed_unit", "reported before 确定"
    screenshot(page, f"{shot}-confirm")
    _click(page, page.locator("#confirm-button"))
    _no_form_error(page)
    assert _path(page) == "/report/"
    message = _flash(page)
    assert "已将 1 条申报信息上报至" in message and target in message, message
    assert page.locator(f"#report-list tr[data-id='{application_id}']").count() == 0
    _click(page, page.locator("#tab-reported"))
    row = page.locator(f"#report-list tr[data-id='{application_id}']")
    assert row.count() == 1, "the reported application is not under 已上报"


# ---------------------------------------------------------------- the chain
def test_units_permission_paths_review_report_and_return(app, demo, strict_page):
    page = strict_page  # script errors, console errors and error responses fail the test
    _new_unit_account(app)

    # §2.2 权限申请: 保存申请, 提交申请 (the code is not in the registry → the bureau reviews it)
    _sign_in(page, NEW_UNIT["username"])
    page.goto("/units/permission/")
    form = page.locator("#permission-form")
    assert form.locator("#name").input_value() == NEW_UNIT["name"]
    form.locator("#credit_code").fill(NEW_UNIT["credit_code"])
    assert form.locator("#region_id").input_value(), "the region is preselected"
    form.locator("#unit_type").select_option(label=NEW_UNIT["unit_type"])
    form.locator("#competent_department").fill(NEW_UNIT["competent_department"])
    _click(page, form.locator("#save"))
    _no_form_error(page)
    assert "申请已保存" in _flash(page)
    assert page.locator("#credit_code").input_value() == NEW_UNIT["credit_code"], "the saved code is shown"
    screenshot(page, "unit-chain-01-permission")
    _click(page, page.locator("#submit"))
    _no_form_error(page)
    assert "申请已提交，等待所属地区人社局审核" in _flash(page)
    assert "待审核" in page.locator("#permission-status").inner_text()
    assert page.locator("#permission-form").count() == 0, "a submitted application is read-only"
    assert NEW_UNIT["credit_code"] in page.locator("#permission-readonly").inner_text()
    screenshot(page, "unit-chain-02-permission-submitted")

    # 职称申报权限审核 by demo_bureau (威海市)
    _sign_in(page, "demo_bureau")
    page.goto("/units/permission-review/")
    row = page.locator("#permission-queue tbody tr", has_text=NEW_UNIT["name"])
    assert row.count() == 1 and NEW_UNIT["credit_code"] in row.inner_text() and "待审核" in row.inner_text()
    _click(page, row.locator("a"))
    assert re.fullmatch(r"/units/permission-review/\d+", _path(page)), page.url
    assert page.locator("#registry-entry").inner_text().strip() == "单位名录中无此代码"
    screenshot(page, "unit-chain-03-permission-review")
    _click(page, page.locator("form[action$='/approve'] button[type=submit]"))
    assert _path(page) == "/units/permission-review/"
    assert "审核通过" in _flash(page)
    page.goto("/units/permission-review/?status=approved")
    row = page.locator("#permission-queue tbody tr", has_text=NEW_UNIT["name"])
    assert row.count() == 1 and "审核通过" in row.inner_text()

    _sign_in(page, NEW_UNIT["username"])
    page.goto("/units/permission/")
    assert page.locator("#permission-granted").inner_text().strip() == "本单位已具有职称申报权限。"
    screenshot(page, "unit-chain-04-permission-granted")
    page.goto("/units/paths/?kind=unit")
    assert page.locator("#new-path").count() == 1, "a unit with the permission may apply for paths"

    # §2.5.1 单位路径申请 by demo_unit to demo_superior, chosen in the select2 picker
    _sign_in(page, "demo_unit")
    page.goto("/units/paths/?kind=unit")
    _click(page, page.locator("#new-path"))
    assert _path(page) == "/units/paths/new/unit"
    form = page.locator("#path-form")
    form.locator("#business_set").select_option(label="职称评审")
    form.locator("#series_id").select_option(label="群众文化")
    form.locator("#level_id").select_option(label="初级")
    form.locator("#target_unit_id + .select2 .select2-selection").click()
    page.locator(".select2-search__field").fill("文化和旅游")
    page.locator(".select2-results__option", has_text=SUPERIOR).first.click()
    assert SUPERIOR in form.locator("#target_unit_id option:checked").inner_text()
    screenshot(page, "unit-chain-05-unit-path-form")
    _click(page, form.locator("#save"))
    _no_form_error(page)
    assert _path(page) == "/units/paths/" and _query(page).get("kind") == "unit", page.url
    row = page.locator("#paths tbody tr", has_text=SUPERIOR)
    assert row.count() == 1 and "未生效" in row.inner_text() and "群众文化" in row.inner_text()
    screenshot(page, "unit-chain-06-unit-path-pending")

    # §2.6 单位路径审核 by demo_superior
    _sign_in(page, "demo_superior")
    page.goto("/units/path-review/")
    screenshot(page, "unit-chain-07-unit-path-review")
    _approve_path(page, UNIT)
    _sign_in(page, "demo_unit")
    page.goto("/units/paths/?kind=unit")
    row = page.locator("#paths tbody tr", has_text=SUPERIOR)
    assert row.count() == 1 and "已生效" in row.inner_text()

    # §2.5.2 评委会路径申请 by demo_superior, approved on the committee's 评委会路径审核
    _sign_in(page, "demo_superior")
    page.goto("/units/paths/?kind=committee")
    _click(page, page.locator("#new-path"))
    assert _path(page) == "/units/paths/new/committee"
    form = page.locator("#path-form")
    form.locator("#business_set").select_option(label="职称评审")
    committee_value = form.locator("#committee_id option", has_text=DEMO_COMMITTEE).first.get_attribute("value")
    form.locator("#committee_id").select_option(committee_value)
    screenshot(page, "unit-chain-08-committee-path-form")
    _click(page, form.locator("#save"))
    _no_form_error(page)
    assert _path(page) == "/units/paths/" and _query(page).get("kind") == "committee", page.url
    row = page.locator("#paths tbody tr", has_text=DEMO_COMMITTEE)
    assert row.count() == 1 and "未生效" in row.inner_text()
    _sign_in(page, "demo_committee")
    page.goto("/units/path-review/")
    assert page.locator("h3", has_text="评委会路径审核").count() == 1
    screenshot(page, "unit-chain-09-committee-path-review")
    _approve_chosen_path(page, SUPERIOR)
    _sign_in(page, "demo_superior")
    page.goto("/units/paths/?kind=committee")
    row = page.locator("#paths tbody tr", has_text=DEMO_COMMITTEE)
    assert row.count() == 1 and "已生效" in row.inner_text()

    # §2.3 数据审核 at demo_unit: every section 通过, 通过 → 通过未上报
    application_id = _submitted_application(app)
    _sign_in(page, "demo_unit")
    _open_review(page, application_id)
    assert page.locator("#status").inner_text().strip() == "待单位审核"
    assert SUMMARY in page.locator("#section-work_summary").inner_text()
    assert page.locator("#return").count() == 1 and page.locator("#blacklist-open").count() == 1
    assert page.locator("#review-form input[name=seen_status]").input_value() == "pending_unit"
    screenshot(page, "unit-chain-10-review")
    _pass(page, application_id)
    screenshot(page, "unit-chain-11-passed-not-reported")

    # §2.4 数据上报 at demo_unit (全选) → demo_superior
    _report(app, page, application_id, SUPERIOR, "unit-chain-12-report", select_all=True)
    screenshot(page, "unit-chain-13-reported")

    # demo_superior: 数据审核, 工作成绩及表现 不通过 with its reason, 退回 → demo_unit
    _sign_in(page, "demo_superior")
    _open_review(page, application_id)
    assert page.locator("#return-to").inner_text().strip() == f"退回至：{UNIT}"
    page.locator("input[name=verdict_work_summary][value=fail]").check()
    page.fill("#reason_work_summary", REASON)
    screenshot(page, "unit-chain-14-superior-return")
    _click(page, page.locator("#return"))
    _no_form_error(page)
    assert _path(page) == "/review/"
    assert f"已退回至{UNIT}" in _flash(page)

    _sign_in(page, "demo_unit")
    _open_review(page, application_id)  # back in 待审核
    assert f"不通过：{REASON}" in page.locator("#section-work_summary .panel-heading").inner_text()
    assert page.locator("input[name=verdict_work_summary][value=fail]").is_checked()
    assert page.locator("#reason_work_summary").input_value() == REASON
    screenshot(page, "unit-chain-15-returned-to-unit")
    # 通过 while the superior's mark is still chosen: refused with the message, nothing changes
    _click(page, page.locator("#pass"))
    assert "有模块审核不通过，请使用“退回”" in page.locator(".form-error-box").inner_text()
    assert page.locator("#status").inner_text().strip() == "待单位审核"

    # demo_unit passes and reports again; demo_superior passes and reports to the committee
    _pass(page, application_id)
    _report(app, page, application_id, SUPERIOR, "unit-chain-16-report-again", select_all=False)
    _sign_in(page, "demo_superior")
    _open_review(page, application_id)
    assert "不通过" not in page.locator("#section-work_summary .panel-heading").inner_text()
    _pass(page, application_id)
    _report(app, page, application_id, DEMO_COMMITTEE, "unit-chain-17-report-to-committee", select_all=True)
    screenshot(page, "unit-chain-18-reported-to-committee")

    # the applicant reads 待评审
    _sign_in(page, "demo_person")
    page.goto("/applications/")
    row = page.locator(f"#my-applications tr[data-id='{application_id}']")
    assert "待评审" in row.inner_text(), row.inner_text()
    _click(page, row.locator("a", has_text="状态跟踪"))
    assert _path(page) == f"/applications/{application_id}/timeline"
    assert page.locator("#current-status").inner_text().strip() == "待评审"
    screenshot(page, "unit-chain-19-applicant-pending-committee")

    assert_no_problems(page)
