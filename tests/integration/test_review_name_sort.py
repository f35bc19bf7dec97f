"""数据审核 sorted by 姓名: walking the pages shows every row of the unit's tab once, in name order with ties
(namesakes, and one applicant's several applications) by id, forward and back, whether the page is read
from the queue and sorted (a short queue) or from the applicants in name order (a long one, SQLite's
CROSS JOIN); and on SQLite the long queue's page query sorts no more than the rows of one name."""
from __future__ import annotations

import datetime as dt
import re

import pytest
from sqlalchemy import event

from app.extensions import db
from tests.factories import id_number, make_application, make_person, make_unit_account, permitted_unit
from tests.integration.test_paging import _client, _ids, _link, _walk

BASE = dt.datetime(2026, 3, 1, 8, 0)
# namesakes (two 张三, two 王五), names that sort before and after them, and one applicant per name below
NAMES = ["张三", "李四", "张三", "王五", "王五", "赵六", "阿七", "钱八"]


@pytest.fixture
def named_queue(app, clock):
    """unit1's 通过未上报 tab: 3 applications of each of 8 applicants (ids interleaved across them), and
    rows that must not show: another status, another unit."""
    with app.app_context():
        unit = permitted_unit(make_unit_account("unit1"))
        other = permitted_unit(make_unit_account("unit2"))
        people = [make_person(username=f"n{n}", id_number=id_number(500 + n), real_name=name)
                  for n, name in enumerate(NAMES)]
        name_of = {}
        for year in range(3):
            for n, person in enumerate(people):
                application = make_application(person, unit=unit, status="passed_unit", current_unit_id=unit.id,
                                                year=2026 - year, submitted_at=BASE + dt.timedelta(minutes=n))
                name_of[application.id] = NAMES[n]
        for n, person in enumerate(people[:3]):
            make_application(person, unit=unit, status="pending_unit", current_unit_id=unit.id, year=2020,
                             submitted_at=BASE)
            make_application(person, unit=other, status="passed_unit", current_unit_id=other.id, year=2019,
                             submitted_at=BASE)
        db.session.commit()
    return name_of


@pytest.mark.parametrize("threshold", [10**6, 0], ids=["sorted", "from-applicants"])
def test_name_sorted_queue_pages_every_row_once_in_order(app, named_queue, monkeypatch, threshold):
    monkeypatch.setitem(app.config, "NAME_SORT_FROM_PERSON_ABOVE", threshold)
    # worked out here: name (the C collation of the test databases: UTF-8 bytes), then id
    expected = sorted(named_queue, key=lambda i: (named_queue[i].encode(), i))
    client = _client(app)
    url = "/review/?status=passed_unit&sort=name&per_page=10"
    forward = _walk(client, url)
    assert [len(p) for p in forward] == [10, 10, 4]
    assert [i for p in forward for i in p] == expected
    backward = _walk(client, url + "&last=1", "prev")
    assert backward == forward[::-1]
    # 末页 then 上一页 lands on the middle page
    last = client.get(url + "&last=1").get_data(as_text=True)
    assert _ids(client.get(_link(last, "prev")).get_data(as_text=True)) == expected[10:20]


def _page_statement(app, client, url):
    with app.app_context():
        engine = db.engine
    ran = []

    def listener(conn, cursor, statement, parameters, *args):
        if "ORDER BY person.real_name" in statement:
            ran.append((statement, parameters))

    event.listen(engine, "before_cursor_execute", listener)
    try:
        assert client.get(url).status_code == 200
    finally:
        event.remove(engine, "before_cursor_execute", listener)
    assert len(ran) == 1, ran
    return ran[0]


def test_long_queue_walks_the_name_index_on_sqlite(app, named_queue, monkeypatch):
    with app.app_context():
        if db.engine.dialect.name != "sqlite":
            pytest.skip("SQLite's join order; PostgreSQL chooses its own (person first for a long queue)")
    client = _client(app)
    plans = {}
    for threshold in (0, 10**6):
        monkeypatch.setitem(app.config, "NAME_SORT_FROM_PERSON_ABOVE", threshold)
        first = client.get("/review/?status=passed_unit&sort=name&per_page=10").get_data(as_text=True)
        for url in ("/review/?status=passed_unit&sort=name&per_page=10", _link(first, "next"), _link(first, "last")):
            statement, parameters = _page_statement(app, client, url)
            with app.app_context():
                rows = db.session.connection().exec_driver_sql("EXPLAIN QUERY PLAN " + statement, parameters).all()
                db.session.rollback()
            plans.setdefault(threshold, []).append((statement, "\n".join(r[-1] for r in rows)))
    for statement, plan in plans[0]:
        # person is the outer loop, read in name order from its index; the queue is not sorted, only
        # the ids of one name (USE TEMP B-TREE FOR RIGHT PART OF ORDER BY, if at all)
        assert "CROSS JOIN application" in statement and "person AS person_1" not in statement, statement
        assert re.search(r"^(SCAN|SEARCH) person USING (COVERING )?INDEX ix_person_real_name", plan, re.M), plan
        # and each applicant's applications by person_id, not the unit's whole queue once per applicant
        assert re.search(r"^SEARCH application USING INDEX ix_application_person_year \(person_id=", plan, re.M), plan
        assert "USE TEMP B-TREE FOR ORDER BY" not in plan, plan
    for statement, plan in plans[10**6]:  # a short queue: read from the unit's index and sorted
        assert "CROSS JOIN" not in statement and "USE TEMP B-TREE FOR ORDER BY" in plan, plan


def test_name_sort_count_does_not_join_the_applicant(app, named_queue):
    from tests.integration.test_query_counts import count_statements

    client = _client(app)
    with count_statements(app) as seen:
        assert client.get("/review/?status=passed_unit&sort=name").status_code == 200
    counts = [s for s in seen if "count(*)" in s.lower()]
    assert len(counts) == 1 and "person" not in counts[0], counts
