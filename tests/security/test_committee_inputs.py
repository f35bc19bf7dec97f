"""Odd input on the committee's forms is a Chinese message by the field, never a 500: digits Python accepts but
int() does not (²), dates beyond the calendar's range, ids that are not numbers."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from app.clock import utcnow
from app.extensions import db
from app.models.committee import Expert, Meeting


def test_odd_numbers_and_dates_are_refused_by_the_field(app, login_as):
    office = login_as("demo_committee")
    held_on = (utcnow().date() + dt.timedelta(days=3)).isoformat()
    for count in ("²", "٣", "99999999999", "-1", "0"):
        page = office.post("/committee/meetings/new", data={"name": "会", "held_on": held_on, "place": "地",
                                                            "expert_count": count})
        assert page.status_code == 200 and "请输入 1 到 49 之间的整数" in page.get_data(as_text=True), count
    far = office.post("/committee/meetings/new", data={"name": "会", "held_on": "9999-12-31", "place": "地",
                                                       "expert_count": "3"})
    assert far.status_code == 200 and "请按 YYYY-MM-DD 格式填写日期" in far.get_data(as_text=True)
    expert = {"name": "钱", "id_number": "370102198001010015", "mobile": "13812345678", "email": "q@example.cn",
              "work_unit_name": "单位", "level": "²", "term_start": "9999-01-01", "term_end": "9999-12-31"}
    page = office.post("/committee/experts/add", data=expert)
    assert page.status_code == 200 and "请从列表中选择" in page.get_data(as_text=True)
    from app.models.catalog import TitleLevel

    with app.app_context():
        expert["level"] = str(db.session.execute(select(TitleLevel.id)).scalars().first())
    page = office.post("/committee/experts/add", data=expert)
    assert page.status_code == 200 and "id=\"error-term_start\"" in page.get_data(as_text=True)
    assert office.get("/committee/?series=²&year=٣&unit=99999999999").status_code == 200
    assert office.get("/committee/meetings/choose?ids=²,1").status_code == 200
    with app.app_context():
        assert db.session.execute(select(Meeting.id)).first() is None
        assert db.session.execute(select(Expert.id).filter_by(name="钱")).first() is None
