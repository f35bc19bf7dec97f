"""数据审核 sorted by 姓名, read from the applicants in name order (a long queue): the walk over all
applicants still shows the signed-in unit's own rows only, and forged paging parameters give a page of
them, never a 500 or another unit's row."""
from __future__ import annotations

import datetime as dt

import pytest

from app.extensions import db
from tests.factories import id_number, make_application, make_person, make_unit_account, permitted_unit
from tests.integration.test_paging import _client, _ids, _walk
from tests.security.test_paging_params import GARBAGE, _cursor

BASE = dt.datetime(2026, 3, 1, 8, 0)


@pytest.fixture
def two_units(app, clock):
    """unit1 and unit2 each hold 通过未上报 applications of the same applicants (namesakes among them)."""
    with app.app_context():
        units = [permitted_unit(make_unit_account(name)) for name in ("unit1", "unit2")]
        people = [make_person(username=f"s{n}", id_number=id_number(700 + n), real_name=name)
                  for n, name in enumerate(["张三", "张三", "李四"])]
        held = {0: set(), 1: set()}
        for year in range(4):
            for n, person in enumerate(people):
                which = (year + n) % 2
                unit = units[which]
                application = make_application(person, unit=unit, status="passed_unit", current_unit_id=unit.id,
                                                year=2026 - year, submitted_at=BASE + dt.timedelta(minutes=n))
                held[which].add(application.id)
        db.session.commit()
    return held


def test_walk_from_the_applicants_shows_own_rows_only(app, two_units, monkeypatch):
    monkeypatch.setitem(app.config, "NAME_SORT_FROM_PERSON_ABOVE", 0)
    for which, username in enumerate(("unit1", "unit2")):
        client = _client(app, username)
        pages = _walk(client, "/review/?status=passed_unit&sort=name&per_page=10")
        flat = [i for p in pages for i in p]
        assert sorted(flat) == sorted(two_units[which]) and len(flat) == len(set(flat))


def test_forged_name_cursors_give_own_rows(app, two_units, monkeypatch):
    monkeypatch.setitem(app.config, "NAME_SORT_FROM_PERSON_ABOVE", 0)
    client = _client(app, "unit1")
    other = max(two_units[1])
    forged = GARBAGE + ["after=" + _cursor("张三", other), "before=" + _cursor("李四", other, 3),
                        "after=" + _cursor("", 1), "after=" + _cursor("\U0010ffff" * 200, 1)]
    for query in forged:
        response = client.get("/review/?status=passed_unit&sort=name&" + query)
        assert response.status_code == 200, (query, response.status_code)
        assert set(_ids(response.get_data(as_text=True))) <= two_units[0], query
