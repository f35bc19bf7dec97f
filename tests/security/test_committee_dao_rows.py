"""The committee's DAO reads apply their row rule themselves: 加入会议's meeting choices are the office's own
meetings being prepared, 我的评审任务 the expert's own seats, and either is empty for any other account."""
from __future__ import annotations

from flask_appbuilder.security.sqla.models import User
from sqlalchemy import select

from app.daos import committee as dao
from app.extensions import db
from app.models.committee import Meeting
from tests.security.test_committee_rows import _client, two_committees  # noqa: F401 (the fixture)

NAME_A = "威海市环翠区群众文化专业职务资格初级评审委员会会议"
NAME_B = "济南市历下区群众文化专业职务资格初级评审委员会会议"


def _user(username: str) -> User:
    return db.session.execute(select(User).filter_by(username=username)).scalar_one()


def test_meeting_choices_and_tasks_are_the_accounts_own(app, two_committees):  # noqa: F811
    ids = two_committees
    with app.app_context():
        for meeting_id in (ids["meeting_a"], ids["meeting_b"]):
            db.session.get(Meeting, meeting_id).status = "preparing"
        db.session.commit()
        assert [m.id for m in dao.preparing_meetings(_user("sec_office_b"))] == [ids["meeting_b"]]
        assert [m.id for m in dao.preparing_meetings(_user("demo_committee"))] == [ids["meeting_a"]]
        assert [a.meeting_id for a in dao.own_tasks(_user("expert2"))] == [ids["meeting_b"]]
        assert dao.own_tasks(_user("sec_office_b")) == [] and dao.preparing_meetings(_user("expert2")) == []
    choose = _client(app, "sec_office_b").get(f"/committee/meetings/choose?ids={ids['app_b']}").get_data(as_text=True)
    assert NAME_B in choose and NAME_A not in choose
    tasks = _client(app, "expert2").get("/expert/").get_data(as_text=True)
    assert NAME_B in tasks and NAME_A not in tasks
