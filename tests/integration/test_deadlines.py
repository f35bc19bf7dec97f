"""Periods, reminders and overdue marks with an injected clock: reminders exactly once on 7, 3 and 1 days
before each close, no submission after the close, an application overdue on the 11th day."""
from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from app.commands.applications.submit import SubmitCommand
from app.commands.deadlines.overdue import MarkOverdueCommand
from app.commands.deadlines.reminders import SendDeadlineRemindersCommand
from app.commands.errors import NotAllowed
from app.extensions import db
from app.models.accounts import BackendBinding
from app.models.applications import Application, ApplicationStep
from app.models.catalog import CommitteePeriod
from app.models.deadlines import BusinessPeriod
from app.models.notify import Notification
from tests.factories import (id_number, make_application, make_backend, make_person, make_unit_account,
                             permitted_unit, require_only)

CLOSE = dt.date(2026, 11, 30)
UNIT_CLOSE = dt.date(2026, 12, 10)
RESUBMIT_CLOSE = dt.date(2026, 12, 5)


def local_morning(day: dt.date) -> dt.datetime:
    """09:00 in Shanghai as naive UTC (how the clock gives the time)."""
    return dt.datetime(day.year, day.month, day.day, 1, 0)


@pytest.fixture
def world(app, clock):
    clock.now = local_morning(dt.date(2026, 11, 10))
    with app.app_context():
        person = make_person()
        other = make_person("zhaoliu", id_number(7), "赵六")
        unit = permitted_unit(make_unit_account())
        draft = make_application(person, unit=unit)
        period = db.session.execute(select(CommitteePeriod).where(
            CommitteePeriod.committee_id == draft.committee_id, CommitteePeriod.year == 2026)).scalar_one()
        period.starts_on, period.ends_on = dt.date(2026, 11, 1), CLOSE
        period.unit_review_ends_on, period.resubmit_ends_on = UNIT_CLOSE, RESUBMIT_CLOSE
        waiting = make_application(other, unit=unit, status="pending_unit", current_unit_id=unit.id,
                                   submitted_at=clock.now)
        db.session.add(ApplicationStep(application_id=waiting.id, unit_id=unit.id, arrived_at=clock.now, outcome=""))
        office = make_backend("office1", "Committee", "371002")
        db.session.get(BackendBinding, office.id).committee_id = draft.committee_id
        db.session.commit()
        return {"person": person.id, "unit_user": unit.user_id, "draft": draft.id, "waiting": waiting.id,
                "unit": unit.id, "office": office.id, "committee": draft.committee_id}


def submit(application_id: int):
    """确认申报 as the application's applicant (in an app context)."""
    user = db.session.get(Application, application_id).person.user
    return SubmitCommand(user, application_id).run()


def titles_of(user_id: int) -> list[str]:
    return list(db.session.execute(select(Notification.title).where(Notification.user_id == user_id)
                                   .order_by(Notification.id)).scalars())


def test_reminders_go_out_once_on_7_3_and_1_days_before_each_close(app, clock, world):
    sent_on: dict[int, list[int]] = {world["person"]: [], world["unit_user"]: []}
    day = dt.date(2026, 11, 18)
    while day <= UNIT_CLOSE:
        for hour in (1, 7):  # the job runs often; twice a day here, each time twice
            clock.now = dt.datetime(day.year, day.month, day.day, hour, 0)
            with app.app_context():
                before = {u: len(titles_of(u)) for u in sent_on}
                SendDeadlineRemindersCommand().run()
                SendDeadlineRemindersCommand().run()
                for user_id in sent_on:
                    if len(titles_of(user_id)) > before[user_id]:
                        sent_on[user_id].append(day.toordinal())
        day += dt.timedelta(days=1)
    assert [CLOSE.toordinal() - d for d in sent_on[world["person"]]] == [7, 3, 1]
    assert [UNIT_CLOSE.toordinal() - d for d in sent_on[world["unit_user"]]] == [7, 3, 1]
    with app.app_context():
        assert titles_of(world["person"]) == ["申报截止提醒：还剩 7 天", "申报截止提醒：还剩 3 天",
                                              "申报截止提醒：还剩 1 天"]
        body = db.session.execute(select(Notification.body).where(
            Notification.user_id == world["unit_user"])).scalars().first()
        assert "1 份申报等待贵单位审核或上报" in body and "2026-12-10" in body
        assert titles_of(world["office"]) == []  # nothing reported to the committee yet


def test_settings_choose_the_reminder_days(app, clock, world):
    app.config["REMINDER_DAYS"] = "2"
    with app.app_context():
        assert SendDeadlineRemindersCommand(CLOSE - dt.timedelta(days=7)).run() == 0
        assert SendDeadlineRemindersCommand(CLOSE - dt.timedelta(days=2)).run() == 1


def test_no_submission_after_the_close(app, clock, world):
    with app.app_context():
        require_only("review")
    clock.now = local_morning(CLOSE + dt.timedelta(days=1))
    with app.app_context(), pytest.raises(NotAllowed) as refused:
        submit(world["draft"])
    message = str(refused.value)
    assert "申报期已于 2026-11-30 截止" in message and "评审委员会" in message and "2026-11-01 至 2026-11-30" in message
    with app.app_context():
        assert db.session.get(Application, world["draft"]).status == "draft"
    clock.now = dt.datetime(2026, 11, 30, 15, 0)  # 23:00 in Shanghai on the last day: still open
    with app.app_context():
        assert submit(world["draft"]).status == "pending_unit"


def test_resubmission_after_its_deadline_is_refused(app, clock, world):
    with app.app_context():
        require_only("review")
        application = db.session.get(Application, world["draft"])
        application.status = "returned"
        db.session.commit()
    clock.now = local_morning(RESUBMIT_CLOSE + dt.timedelta(days=1))
    with app.app_context(), pytest.raises(NotAllowed) as refused:
        submit(world["draft"])
    assert "退回修改截止日期为 2026-12-05" in str(refused.value)


def test_a_business_period_of_a_region_holds_below_it(app, clock, world):
    """认定 without a committee: the city's period applies to a district's unit."""
    with app.app_context():
        require_only("recognition")
        from app.models.catalog import Region

        city = db.session.execute(select(Region).where(Region.code == "371000")).scalar_one()
        db.session.add(BusinessPeriod(business="recognition", region_id=city.id, year=2026,
                                      starts_on=dt.date(2026, 12, 1), ends_on=dt.date(2026, 12, 20)))
        user = make_person("sunqi", id_number(8), "孙七")
        application = make_application(user, unit=db.session.get(Application, world["draft"]).unit,
                                       business="recognition", committee_id=None)
        application_id = application.id
    with app.app_context(), pytest.raises(NotAllowed) as refused:
        submit(application_id)
    assert "尚未开始" in str(refused.value) and "威海市" in str(refused.value)


def test_overdue_marking_on_the_11th_day(app, clock, world):
    arrived = clock.now  # 2026-11-10, 09:00 local
    for day_number, expected in ((10, 0), (11, 1), (12, 0)):
        clock.now = arrived + dt.timedelta(days=day_number, hours=-8)  # 01:00 local that day
        with app.app_context():
            assert MarkOverdueCommand().run() == expected, day_number
    with app.app_context():
        step = db.session.execute(select(ApplicationStep).where(
            ApplicationStep.application_id == world["waiting"])).scalar_one()
        assert step.overdue_at is not None
        assert titles_of(world["unit_user"]) == ["贵单位有 1 份申报已超期"]


def test_no_data_report_after_the_unit_review_deadline(app, clock, world):
    from app.commands.review.report import ReportCommand

    with app.app_context():
        application = db.session.get(Application, world["waiting"])
        application.status = "passed_unit"
        db.session.commit()
    clock.now = local_morning(UNIT_CLOSE + dt.timedelta(days=1))
    with app.app_context(), pytest.raises(NotAllowed) as refused:
        unit_user = db.session.get(Application, world["waiting"]).unit.user
        ReportCommand(unit_user, [world["waiting"]]).run()
    assert "单位审核截止日期为 2026-12-10" in str(refused.value)
    with app.app_context():
        assert db.session.get(Application, world["waiting"]).status == "passed_unit"


def test_period_notices_on_the_opening_day_and_the_day_after_the_close(app, clock, world):
    from app.commands.deadlines.notices import SendPeriodNoticesCommand

    with app.app_context():
        for day in (dt.date(2026, 10, 31), dt.date(2026, 11, 1), dt.date(2026, 11, 1)):
            SendPeriodNoticesCommand(day).run()
        opened = [t for t in titles_of(world["unit_user"]) if t.startswith("申报期开始")]
        assert len(opened) == 1 and "评审委员会" in opened[0]
        assert titles_of(world["person"]) == []  # applicants are not in a region's unit list
        for day in (CLOSE, CLOSE + dt.timedelta(days=1), CLOSE + dt.timedelta(days=1)):
            SendPeriodNoticesCommand(day).run()
        assert [t[:6] for t in titles_of(world["person"])] == ["申报期已截止"]  # the one with a draft
        unit_closed = [b for b in db.session.execute(select(Notification.body).where(
            Notification.user_id == world["unit_user"])).scalars() if "2026-12-10 前完成" in b]
        assert len(unit_closed) == 1


def test_days_left_take_the_nearest_regions_period(app, clock, world):
    """A district's own period wins over its city's; a committee's period gives the unit its 单位审核截止."""
    from app.models.catalog import Region
    from app.services.periods import marks_for

    with app.app_context():
        region = {code: db.session.execute(select(Region.id).where(Region.code == code)).scalar_one()
                  for code in ("371000", "371002")}
        db.session.add_all([
            BusinessPeriod(business="recognition", region_id=region["371000"], year=2026,
                           starts_on=dt.date(2026, 11, 1), ends_on=dt.date(2026, 12, 20)),
            BusinessPeriod(business="recognition", region_id=region["371002"], year=2026,
                           starts_on=dt.date(2026, 11, 1), ends_on=dt.date(2026, 12, 15))])
        user = make_person("sunqi", id_number(8), "孙七")
        draft = make_application(user, unit=db.session.get(Application, world["draft"]).unit,
                                 business="recognition", committee_id=None)
        waiting = db.session.get(Application, world["waiting"])
        marks = marks_for([draft, waiting])
        assert (marks[draft.id].close, marks[draft.id].days_left) == (dt.date(2026, 12, 15), 35)
        assert marks[waiting.id].close == UNIT_CLOSE and marks[waiting.id].waited_days is None


def test_committee_office_is_reminded_of_unreviewed_applications(app, clock, world):
    with app.app_context():
        db.session.get(Application, world["waiting"]).status = "pending_committee"
        db.session.commit()
        assert SendDeadlineRemindersCommand(UNIT_CLOSE - dt.timedelta(days=3)).run() == 1
        assert SendDeadlineRemindersCommand(UNIT_CLOSE - dt.timedelta(days=3)).run() == 0
        assert titles_of(world["office"]) == ["评委会待评审提醒：距截止还有 3 天"]
        assert titles_of(world["unit_user"]) == []  # nothing waits at the unit now
