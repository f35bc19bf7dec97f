"""R1/R2 数据审核: the unit's queue (own rows only, tabs, paging) and the review page (通过 / 退回 with a
per-section verdict), the row check in the command (forged POST by another unit) and a second 通过."""
from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from app.commands.errors import NotAllowed
from app.commands.review.pass_ import PassCommand
from app.extensions import db
from app.models.applications import Application, ApplicationEvent
from app.models.audit import AuditLog
from app.models.notify import Notification
from app.models.units import Unit
from app.services import steps
from app.workflow import sections
from tests.conftest import login
from tests.integration.test_query_counts import count_statements
from tests.factories import id_number, make_application, make_person, make_unit_account, permitted_unit


@pytest.fixture
def world(app, clock):
    with app.app_context():
        person = make_person()
        other_person = make_person(username="lisi", id_number="110105198001010032", real_name="李四")
        unit1 = permitted_unit(make_unit_account("unit1"))
        unit2 = permitted_unit(make_unit_account("unit2", name="威海市另一单位"))
        db.session.commit()
        at = dt.datetime(2026, 3, 1, 8, 0)
        mine = make_application(person, unit=unit1, status="pending_unit", current_unit_id=unit1.id,
                                submitted_at=at)
        theirs = make_application(other_person, unit=unit2, status="pending_unit", current_unit_id=unit2.id,
                                  submitted_at=at)
        # submitted: each is in its unit's queue, as submitting puts it there (the returns are counted from it)
        steps.arrive(mine, unit1.id)
        steps.arrive(theirs, unit2.id)
        db.session.commit()
        return {"mine": mine.id, "theirs": theirs.id, "unit1": unit1.id}


def _client(app, username):
    client = app.test_client()
    assert login(client, username).status_code == 302
    return client


def _status(app, application_id):
    with app.app_context():
        return db.session.get(Application, application_id).status


def test_queue_shows_only_own_unit_rows(app, world):
    client = _client(app, "unit1")
    assert 'href="/review/"' in client.get("/").get_data(as_text=True)  # 单位业务 › 数据审核
    page = client.get("/review/").get_data(as_text=True)
    assert f'data-id="{world["mine"]}"' in page and f'data-id="{world["theirs"]}"' not in page
    assert "王五" in page and "李四" not in page
    page = client.get("/review/?status=passed_unit").get_data(as_text=True)
    assert f'data-id="{world["mine"]}"' not in page
    # another unit's application: the review page is a 404
    assert client.get(f"/review/{world['theirs']}").status_code == 404
    assert client.get(f"/review/{world['mine']}").status_code == 200


def test_queue_pages_by_20_and_sorts(app, world):
    with app.app_context():
        unit = db.session.get(Unit, world["unit1"])
        for n in range(22):
            user = make_person(username=f"p{n}", id_number=id_number(100 + n), real_name=f"申报人{n:02d}")
            make_application(user, unit=unit, status="pending_unit", current_unit_id=unit.id,
                             submitted_at=dt.datetime(2026, 3, 2, 8, n))
    client = _client(app, "unit1")
    page1 = client.get("/review/").get_data(as_text=True)
    assert page1.count('data-id="') == 20 and "共 23 条" in page1
    page2 = client.get("/review/?page=2").get_data(as_text=True)
    assert page2.count('data-id="') == 3
    by_name = client.get("/review/?sort=name").get_data(as_text=True)
    assert by_name.index("申报人00") < by_name.index("申报人01")
    newest = client.get("/review/").get_data(as_text=True)
    assert newest.index("申报人21") < newest.index("申报人20")
    # person, title and level are loaded with the page: the statements do not grow with the rows
    with count_statements(app) as seen:
        client.get("/review/?level=1")
    assert len(seen) <= 11, seen


def test_pass_writes_event_audit_and_message(app, world):
    client = _client(app, "unit1")
    response = client.post(f"/review/{world['mine']}/decide", data={"action": "pass", "opinion": "材料齐全"})
    assert response.status_code == 302
    assert _status(app, world["mine"]) == "passed_unit"
    with app.app_context():
        event = db.session.execute(select(ApplicationEvent).where(
            ApplicationEvent.application_id == world["mine"])).scalar_one()
        assert (event.action, event.from_status, event.to_status) == ("pass", "pending_unit", "passed_unit")
        assert db.session.execute(select(func.count()).select_from(AuditLog).where(
            AuditLog.action == "application.pass", AuditLog.object_id == str(world["mine"]))).scalar_one() == 1
        person_user = app.appbuilder.sm.find_user(username="wangwu")
        assert db.session.execute(select(func.count()).select_from(Notification).where(
            Notification.user_id == person_user.id)).scalar_one() == 1
    page = client.get("/review/?status=passed_unit").get_data(as_text=True)
    assert f'data-id="{world["mine"]}"' in page


def test_pass_refused_while_a_section_is_not_passed(app, world):
    client = _client(app, "unit1")
    page = client.post(f"/review/{world['mine']}/decide", data={
        "action": "pass", "verdict_education": "fail", "reason_education": "证书不清晰"}).get_data(as_text=True)
    assert "有模块审核不通过" in page and "证书不清晰" in page
    assert _status(app, world["mine"]) == "pending_unit"


def test_return_with_a_rejected_section_reopens_only_that_one(app, world):
    client = _client(app, "unit1")
    response = client.post(f"/review/{world['mine']}/decide", data={
        "action": "return", "verdict_education": "fail", "reason_education": "毕业时间与证书不符",
        "verdict_work_experience": "pass", "opinion": "请修改"})
    assert response.status_code == 302
    assert _status(app, world["mine"]) == "returned"
    with app.app_context():
        application = db.session.get(Application, world["mine"])
        assert sections.editable_sections(application) == {"education"}
        assert db.session.execute(select(func.count()).select_from(AuditLog).where(
            AuditLog.action == "application.return")).scalar_one() == 1
    page = client.get("/review/?status=returned").get_data(as_text=True)
    assert f'data-id="{world["mine"]}"' in page and "退回人数：1" in page
    applicant = _client(app, "wangwu")
    page = applicant.get(f"/applications/{world['mine']}/sections/education").get_data(as_text=True)
    assert "毕业时间与证书不符" in page


def test_return_needs_a_section_not_passed_with_a_reason(app, world):
    client = _client(app, "unit1")
    page = client.post(f"/review/{world['mine']}/decide", data={"action": "return", "opinion": "x"}
                       ).get_data(as_text=True)
    assert "请至少将一个信息条目标记为不通过并填写原因" in page and "form-error-box" in page
    assert _status(app, world["mine"]) == "pending_unit"
    # 不通过 without a reason: the message is next to the field, what was typed stays
    page = client.post(f"/review/{world['mine']}/decide", data={
        "action": "return", "verdict_education": "fail", "opinion": "保留的意见"}).get_data(as_text=True)
    assert 'id="error-reason_education"' in page and "保留的意见" in page
    assert _status(app, world["mine"]) == "pending_unit"


def test_forged_post_by_another_unit_is_refused(app, world):
    client = _client(app, "unit2")
    assert client.post(f"/review/{world['mine']}/decide", data={"action": "pass"}).status_code == 404
    assert client.post(f"/review/{world['mine']}/decide", data={
        "action": "return", "verdict_education": "fail", "reason_education": "x"}).status_code == 404
    assert _status(app, world["mine"]) == "pending_unit"
    with app.app_context():
        unit2_user = app.appbuilder.sm.find_user(username="unit2")
        with pytest.raises(NotAllowed):
            PassCommand(unit2_user, world["mine"]).run()
        assert db.session.execute(select(func.count()).select_from(ApplicationEvent)).scalar_one() == 0
    assert _status(app, world["mine"]) == "pending_unit"


def test_second_pass_gets_a_clear_message(app, world):
    with app.app_context():
        unit_user = app.appbuilder.sm.find_user(username="unit1")
        PassCommand(unit_user, world["mine"]).run()
        with pytest.raises(NotAllowed, match="已审核通过"):
            PassCommand(unit_user, world["mine"]).run()
        assert db.session.execute(select(func.count()).select_from(ApplicationEvent).where(
            ApplicationEvent.application_id == world["mine"])).scalar_one() == 1
    # a second reviewer whose page was still open: told, nothing changes
    page = _client(app, "unit1").post(f"/review/{world['mine']}/decide", data={"action": "pass"}
                                      ).get_data(as_text=True)
    assert "该申报已审核通过，请勿重复操作" in page
    assert _status(app, world["mine"]) == "passed_unit"
    # the page no longer offers the buttons
    page = _client(app, "unit1").get(f"/review/{world['mine']}").get_data(as_text=True)
    assert 'id="pass"' not in page


def test_review_page_shows_sections_and_form_links(app, world):
    from app.models.applications import ApplicationSection, Attachment, SectionEntry

    with app.app_context():
        entry = SectionEntry(application_id=world["mine"], section="education", position=0,
                             data={"school": "山东大学", "graduated_on": "2010-07-01"})
        db.session.add(entry)
        db.session.flush()
        db.session.add(Attachment(application_id=world["mine"], section="education", entry_id=entry.id,
                                  original_name="毕业证.pdf", stored_name="a" * 32 + ".pdf",
                                  content_type="application/pdf", size=10, uploaded_at=dt.datetime(2026, 3, 1)))
        db.session.add(ApplicationSection(application_id=world["mine"], section="work_summary", status="filled",
                                          text="十年来组织群众文化活动", version=1))
        db.session.commit()
        attachment_id = db.session.execute(select(Attachment.id)).scalar_one()
    page = _client(app, "unit1").get(f"/review/{world['mine']}").get_data(as_text=True)
    assert 'id="section-education"' in page and 'id="base-info"' in page
    assert f"/applications/{world['mine']}/forms/review_form" in page
    assert 'name="verdict_education"' in page and 'id="return"' in page
    assert "山东大学" in page and "毕业证.pdf" in page and f"/attachments/{attachment_id}" in page
    assert "十年来组织群众文化活动" in page
