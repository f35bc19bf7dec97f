"""The message centre (unread count, 全部标为已读), the bureau's overdue list with 催办 (mail by a real
local SMTP server), the 统计 overview with its Excel lists, the unit's 一览表, and the deadline marks."""
from __future__ import annotations

import datetime as dt
import io

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from app.commands.deadlines.overdue import MarkOverdueCommand
from app.commands.deadlines.reminders import SendDeadlineRemindersCommand
from app.extensions import db
from app.models.applications import Application, ApplicationStep
from app.models.audit import AuditLog
from app.models.catalog import CommitteePeriod, Region
from app.models.deadlines import UnitUrge
from app.models.notify import Notification
from app.models.units import Unit
from app.services import notify
from tests.factories import id_number, make_application, make_person
from tests.integration.test_notify_smtp import smtp_server  # noqa: F401  (the aiosmtpd fixture)

NOW = dt.datetime(2026, 11, 22, 2, 0)  # 10:00 in Shanghai


@pytest.fixture
def world(app, clock, demo):
    """Five applicants at 威海市环翠区文化馆 (demo_unit) and one in 南京 (another bureau's region)."""
    clock.now = NOW
    with app.app_context():
        unit = db.session.execute(select(Unit).where(Unit.name == "威海市环翠区文化馆")).scalar_one()
        people = [make_person(f"p{i}", id_number(i), f"申报人{i}") for i in range(5)]
        statuses = ["pending_unit", "pending_unit", "passed_unit", "pending_committee", "draft"]
        ids = []
        for person, status in zip(people, statuses):
            a = make_application(person, unit=unit, status=status, current_unit_id=unit.id,
                                 submitted_at=None if status == "draft" else NOW - dt.timedelta(days=12))
            if status != "draft":
                db.session.add(ApplicationStep(application_id=a.id, unit_id=unit.id, arrived_at=NOW - dt.timedelta(days=12),
                                               outcome="reported" if status == "pending_committee" else ""))
            ids.append(a.id)
        nanjing = Unit(name="南京市某单位", region=db.session.execute(select(Region).where(Region.code == "320102"))
                       .scalar_one(), contact_name="x", mobile="13900000009", has_permission=True)
        db.session.add(nanjing)
        db.session.flush()
        far = make_application(make_person("far", id_number(99), "外地人"), unit=nanjing, status="pending_unit",
                               current_unit_id=nanjing.id, submitted_at=NOW - dt.timedelta(days=30))
        db.session.add(ApplicationStep(application_id=far.id, unit_id=nanjing.id, arrived_at=NOW - dt.timedelta(days=30)))
        db.session.commit()
        return {"unit": unit.id, "ids": ids, "far": far.id, "unit_user": unit.user_id}


def _unread(user_id):
    return db.session.execute(select(Notification).where(Notification.user_id == user_id,
                                                         Notification.read.is_(False))).scalars().all()


def test_message_centre_counts_unread_and_marks_all_read(app, login_as, world):
    with app.app_context():
        person = app.appbuilder.sm.find_user(username="demo_person")
        for n in range(3):
            notify.notify_user(person, f"消息{n}", "内容", email=False)
        notify.notify_user(db.session.get(Unit, world["unit"]).user, "单位的消息", email=False)
        db.session.commit()
        person_id = person.id
    client = login_as("demo_person")
    page = client.get("/account/messages/list/").get_data(as_text=True)
    assert '<span class="badge unread-count"' in page and ">3</span>" in page
    assert "未读 3 条" in page and "全部标为已读" in page
    response = client.post("/account/messages-all/read")
    assert response.status_code == 302
    with app.app_context():
        assert _unread(person_id) == []
        assert len(_unread(world["unit_user"])) == 1  # only one's own
    assert "unread-count" not in client.get("/account/messages/list/").get_data(as_text=True)


def test_overdue_list_and_urge_by_mail(app, client, login_as, world, smtp_server):  # noqa: F811
    with app.app_context():
        assert MarkOverdueCommand().run() == 4  # the unit's three waiting ones and 南京's
    bureau = login_as("demo_bureau")
    page = bureau.get("/deadlines/overdue/").get_data(as_text=True)
    assert "威海市环翠区文化馆" in page and "申报人0" in page and "申报人2" in page
    assert "申报人3" not in page and "外地人" not in page  # at the committee; another region
    assert '<td class="waited">12</td>' in page
    response = bureau.post("/deadlines/overdue/urge", data={"unit_id": world["unit"], "note": "请本周内处理"},
                           follow_redirects=True)
    assert "已向 威海市环翠区文化馆 催办（超期 3 份）" in response.get_data(as_text=True)
    with app.app_context():
        [urge] = db.session.execute(select(UnitUrge)).scalars().all()
        assert urge.overdue_count == 3 and urge.note == "请本周内处理"
        assert db.session.execute(select(AuditLog).where(AuditLog.action == "unit.urge")).scalar_one().object_id \
            == str(world["unit"])
    mails = [(to, m) for to, m in smtp_server.messages if "催办" in str(m["Subject"])]
    [(recipients, mail)] = mails
    assert recipients == ["demo_unit@demo.zhicheng.local"]
    assert str(mail["Subject"]) == "人社局催办：3 份申报已超期"
    assert "请尽快处理贵单位待处理的 3 份超期申报" in mail.get_content() and "请本周内处理" in mail.get_content()
    again = bureau.post("/deadlines/overdue/urge", data={"unit_id": world["unit"]}, follow_redirects=True)
    assert "今天已向 威海市环翠区文化馆 催办过" in again.get_data(as_text=True)


def test_reminder_mail_is_delivered_by_smtp(app, clock, world, smtp_server):  # noqa: F811
    with app.app_context():
        draft = db.session.get(Application, world["ids"][4])
        period = db.session.execute(select(CommitteePeriod).where(
            CommitteePeriod.committee_id == draft.committee_id)).scalar_one()
        period.ends_on = dt.date(2026, 11, 25)  # 3 days after NOW
        db.session.commit()
        assert SendDeadlineRemindersCommand().run() == 1
    [(recipients, mail)] = smtp_server.messages
    assert recipients == ["p4@example.cn"]
    assert str(mail["Subject"]) == "申报截止提醒：还剩 3 天"
    assert "您有 1 份申报尚未提交，申报截止日期为 2026-11-25" in mail.get_content()


def test_overview_counts_and_excel_lists(app, login_as, world):
    bureau = login_as("demo_bureau")
    page = bureau.get("/overview/?year=2026").get_data(as_text=True)
    assert "<svg" in page and "按状态" in page and "按单位" in page
    # 4 submitted in 威海 (the draft and 南京 do not count): 2 待单位审核, 1 通过未上报, 1 待评审
    assert '<tr><td>待单位审核</td><td class="count">2</td></tr>' in page
    assert '<tr><td>威海市环翠区文化馆</td><td class="count">4</td></tr>' in page
    assert "南京市某单位" not in page
    response = bureau.get("/overview/export/applications.xlsx?year=2026")
    assert response.status_code == 200 and response.mimetype.endswith("spreadsheetml.sheet")
    sheet = load_workbook(io.BytesIO(response.data)).active
    rows = list(sheet.iter_rows(min_row=3, values_only=True))
    assert [r[1] for r in rows] == ["申报人0", "申报人1", "申报人2", "申报人3"]
    assert rows[0][2] == id_number(0)[:6] + "********" + id_number(0)[-4:]
    assert id_number(0) not in str(rows)
    by_status = load_workbook(io.BytesIO(bureau.get("/overview/export/status.xlsx?year=2026").data)).active
    assert ("待单位审核", 2) in list(by_status.iter_rows(min_row=3, values_only=True))
    assert bureau.get("/overview/export/nothing.xlsx").status_code == 404


def test_overview_counts_are_kept_a_while_and_say_when_they_were_counted(app, login_as, world):
    """With OVERVIEW_CACHE_SECONDS the second look reads the kept counts (no GROUP BY over the region) and shows
    the same figures and the same 统计时间, even after a change; once the seconds are up it counts again."""
    from tests.integration.test_query_counts import count_statements

    def grouped(seen):
        return [s for s in seen if "GROUP BY application.status, application.business" in s]

    app.config["OVERVIEW_CACHE_SECONDS"] = 60
    try:
        bureau = login_as("demo_bureau")
        with count_statements(app) as first:
            page = bureau.get("/overview/?year=2026").get_data(as_text=True)
        assert len(grouped(first)) == 1
        assert '<tr><td>待单位审核</td><td class="count">2</td></tr>' in page
        assert "统计时间：2026-11-22 10:00:00（每 60 秒更新）" in page
        with app.app_context():
            db.session.get(Application, world["ids"][0]).status = "passed_unit"
            db.session.commit()
        with count_statements(app) as second:
            again = bureau.get("/overview/?year=2026").get_data(as_text=True)
        assert grouped(second) == [] and '<tr><td>待单位审核</td><td class="count">2</td></tr>' in again
        app.config["OVERVIEW_CACHE_SECONDS"] = 0.001
        import time
        time.sleep(0.01)
        with count_statements(app) as third:
            fresh = bureau.get("/overview/?year=2026").get_data(as_text=True)
        assert len(grouped(third)) == 1 and '<tr><td>待单位审核</td><td class="count">1</td></tr>' in fresh
    finally:
        app.config["OVERVIEW_CACHE_SECONDS"] = 0
        app.extensions.pop("zc_overview_counts", None)


def test_unit_downloads_the_list_of_reported_applicants(app, login_as, world):
    with app.app_context():
        reported = db.session.get(Application, world["ids"][3])
        reported.entrusted, reported.recommendation_rank = True, "2/5"
        db.session.commit()
    response = login_as("demo_unit").get("/report/applicant-list/?year=2026")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.data)).active
    header, *rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert header == ("序号", "姓名", "工作单位", "申报职称", "单位推荐排序", "是否委托评审")
    assert rows == [(1, "申报人3", "威海市环翠区文化馆", "助理馆员", "2/5", "是")]


def test_lists_show_the_days_left_and_the_overdue_mark(app, login_as, world):
    with app.app_context():
        MarkOverdueCommand().run()
        draft = db.session.get(Application, world["ids"][4])
        period = db.session.execute(select(CommitteePeriod).where(
            CommitteePeriod.committee_id == draft.committee_id)).scalar_one()
        period.ends_on, period.unit_review_ends_on = dt.date(2026, 11, 29), dt.date(2026, 12, 2)
        db.session.commit()
    unit_page = login_as("demo_unit").get("/review/").get_data(as_text=True)
    assert "超期，已等待 12 天" in unit_page and "还剩 10 天" in unit_page  # 单位审核截止 12-02


def test_a_status_change_tells_whom_it_concerns_once_by_message_and_mail(app, client, world, smtp_server):  # noqa: F811
    """A change whose command sends nothing itself (a committee's 评审通过 here) is told to the applicant
    by the timeline's hook; a change whose command messages the applicant itself is not told twice."""
    from app.commands.base import transaction
    from app.services import timeline

    reported, pending = world["ids"][3], world["ids"][0]
    with app.app_context():
        with transaction():
            application = db.session.get(Application, reported)
            application.status = "review_passed"
            timeline.record(application, "review_pass", "pending_committee", "review_passed", opinion="材料齐全")
        user_id = application.person.user_id
        [note] = db.session.execute(select(Notification).where(Notification.user_id == user_id)).scalars().all()
        assert note.title == "您的职称申报：评审通过" and "当前状态：评审通过" in note.body and "材料齐全" in note.body
    [(recipients, mail)] = smtp_server.messages
    assert recipients == ["p3@example.cn"] and str(mail["Subject"]) == "您的职称申报：评审通过"
    assert "职称评审申报 2026年度 助理馆员" in mail.get_content()

    unit_client = client
    from tests.conftest import login

    assert login(unit_client, "demo_unit").status_code == 302
    unit_client.post(f"/review/{pending}/decide", data={"action": "pass", "seen_status": "pending_unit"})
    with app.app_context():
        application = db.session.get(Application, pending)
        assert application.status == "passed_unit"
        titles = db.session.execute(select(Notification.title).where(
            Notification.user_id == application.person.user_id)).scalars().all()
    assert len(titles) == 1  # the review command's own message, not a second one from the hook
