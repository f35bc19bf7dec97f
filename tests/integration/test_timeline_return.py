"""P8: the timeline's 退回 row shows the return's opinion and the sections marked 不通过 with
their reasons, as they were at the return (the applicant's later changes do not rewrite it)."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from app.commands.applications.sections import SaveTextCommand
from app.extensions import db
from app.models.applications import ApplicationEvent
from app.models.audit import AuditLog
from app.models.units import Unit
from tests.conftest import login
from tests.factories import make_application, require_only

SUMMARY = "自参加工作以来，长期从事群众文化工作，组织基层文艺活动百余场。"


@pytest.fixture
def submitted(app, clock, demo, client):
    """An application of demo_person submitted to 威海市环翠区文化馆 (demo_unit) through the page."""
    with app.app_context():
        require_only("review", "work_summary")
        person = app.appbuilder.sm.find_user(username="demo_person")
        unit = db.session.execute(select(Unit).filter_by(name="威海市环翠区文化馆")).scalar_one()
        application_id = make_application(person, unit=unit).id
        SaveTextCommand(person, application_id, "work_summary", SUMMARY).run()
    login(client, "demo_person")
    assert client.post(f"/applications/{application_id}/submit").status_code == 302
    assert client.post("/logout/").status_code == 302
    return application_id


def _return_row(html: str) -> str:
    rows = re.findall(r"<tr>(.*?)</tr>", html, re.S)
    returned = [row for row in rows if "<td>退回申报人</td>" in row]
    assert len(returned) == 1, rows
    return returned[0]


def test_the_return_row_shows_the_opinion_and_the_sections_with_reasons(app, client, submitted):
    login(client, "demo_unit")
    response = client.post(f"/review/{submitted}/decide", data={
        "action": "return", "seen_status": "pending_unit", "opinion": "请按要求修改后重新提交",
        "verdict_work_summary": "fail", "reason_work_summary": "未写明任现职以来的主要业绩"})
    assert response.status_code == 302
    assert client.post("/logout/").status_code == 302
    login(client, "demo_person")
    row = _return_row(client.get(f"/applications/{submitted}/timeline").get_data(as_text=True))
    assert "请按要求修改后重新提交" in row
    assert "审核不通过的模块" in row and "工作成绩及表现" in row and "未写明任现职以来的主要业绩" in row
    with app.app_context():
        audit = db.session.execute(select(AuditLog).filter_by(action="application.return")).scalar_one()
        assert "未写明任现职以来的主要业绩" in audit.opinion and "请按要求修改后重新提交" in audit.opinion

    # the applicant fixes the section and submits again: the return row still says why it came back
    with app.app_context():
        person = app.appbuilder.sm.find_user(username="demo_person")
        SaveTextCommand(person, submitted, "work_summary", SUMMARY + "获市级优秀辅导员称号。").run()
    assert client.post(f"/applications/{submitted}/submit").status_code == 302
    row = _return_row(client.get(f"/applications/{submitted}/timeline").get_data(as_text=True))
    assert "工作成绩及表现" in row and "未写明任现职以来的主要业绩" in row


def test_a_return_without_an_opinion_still_says_which_sections(app, client, submitted):
    login(client, "demo_unit")
    response = client.post(f"/review/{submitted}/decide", data={
        "action": "return", "seen_status": "pending_unit", "opinion": "",
        "verdict_work_summary": "fail", "reason_work_summary": "字数不足"})
    assert response.status_code == 302
    with app.app_context():
        event = db.session.execute(select(ApplicationEvent).filter_by(application_id=submitted, action="return")
                                   ).scalar_one()
        assert event.rejected_sections == [["work_summary", "字数不足"]]
    assert client.post("/logout/").status_code == 302
    login(client, "demo_person")
    row = _return_row(client.get(f"/applications/{submitted}/timeline").get_data(as_text=True))
    assert "工作成绩及表现" in row and "字数不足" in row
