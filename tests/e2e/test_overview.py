"""The message centre, the bureau's 统计 overview and the Excel lists in the browser: the navbar's unread
count, 全部标为已读, the overview's SVG charts, a 催办 of the overdue list, and an Excel download read back
with openpyxl (ID numbers masked)."""
from __future__ import annotations

import datetime as dt

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from app.clock import utcnow
from app.commands.deadlines.overdue import MarkOverdueCommand
from app.extensions import db
from app.models.applications import ApplicationStep
from app.models.units import Unit
from app.services import notify
from tests.e2e.conftest import assert_no_problems, screenshot
from tests.e2e.manual_steps import click, flash, menu, path, sign_in
from tests.factories import id_number, make_application, make_person

pytestmark = pytest.mark.e2e


def test_message_centre_overview_and_excel(app, demo, strict_page, tmp_path):
    page = strict_page
    with app.app_context():
        unit = db.session.execute(select(Unit).where(Unit.name == "威海市环翠区文化馆")).scalar_one()
        arrived = utcnow() - dt.timedelta(days=15)
        for seq in range(2):
            a = make_application(make_person(f"e2e{seq}", id_number(40 + seq), f"统计人{seq}"), unit=unit,
                                 status="pending_unit", current_unit_id=unit.id, submitted_at=arrived)
            db.session.add(ApplicationStep(application_id=a.id, unit_id=unit.id, arrived_at=arrived))
        bureau = app.appbuilder.sm.find_user(username="demo_bureau")
        notify.notify_user(bureau, "年度职称工作通知", "请关注申报进度", email=False)
        db.session.commit()
        MarkOverdueCommand().run()

    sign_in(page, "demo_bureau")
    badge = page.locator(".navbar-messages .unread-count")
    assert badge.inner_text() == "1"
    click(page, page.locator(".navbar-messages a"))
    assert path(page) == "/account/messages/list/" and "年度职称工作通知" in page.content()
    screenshot(page, "messages")
    click(page, page.get_by_role("button", name="全部标为已读"))
    assert "已将 1 条消息标为已读" in flash(page)
    assert page.locator(".navbar-messages .unread-count").count() == 0

    menu(page, "统计", "统计概览")
    assert path(page) == "/overview/"
    assert page.locator("svg.overview-chart").count() >= 4
    assert page.locator("#table-status td", has_text="待单位审核").count() == 1
    screenshot(page, "overview")
    with page.expect_download() as download_info:
        page.locator("a.export-applications").click()
    target = tmp_path / "list.xlsx"
    download_info.value.save_as(target)
    rows = list(load_workbook(target).active.iter_rows(min_row=2, values_only=True))
    assert rows[0][:3] == ("序号", "姓名", "身份证号")
    assert {r[1] for r in rows[1:]} == {"统计人0", "统计人1"}
    assert all("*" in r[2] for r in rows[1:]) and id_number(40) not in str(rows)

    menu(page, "统计", "超期未办")
    row = page.locator(".overdue-units tr", has_text="威海市环翠区文化馆")
    assert row.locator("td").nth(1).inner_text() == "2"
    row.locator("input[name=note]").fill("请尽快处理")
    click(page, row.get_by_role("button", name="催办"))
    assert "已向 威海市环翠区文化馆 催办（超期 2 份）" in flash(page)
    screenshot(page, "overdue")

    sign_in(page, "demo_unit")
    assert page.locator(".navbar-messages .unread-count").inner_text() == "2"  # overdue notice and the 催办
    assert_no_problems(page)
