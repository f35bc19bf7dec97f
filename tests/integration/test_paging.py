"""Paging of the lists (benchmark issue item 4, app/daos/paging.py): a page costs the same SQL at 10 and
100 rows per page, at 1,000 and 10,000 rows in the queue, on the first and on the last page (keyset, a
bounded count, no OFFSET); walking the pages shows every row once, ties in the sort key included; the
unit picker's name search uses the trigram index on PostgreSQL."""
from __future__ import annotations

import contextlib
import datetime as dt
import html
import random
import re

import pytest
from sqlalchemy import event, insert, select, text, update

from app.daos import unit_picker
from app.extensions import db
from app.models.applications import Application
from app.models.catalog import Region
from app.models.units import Unit
from tests.conftest import login
from tests.factories import id_number, make_application, make_person, make_unit_account, permitted_unit
from tests.integration.test_query_counts import count_statements

BASE = dt.datetime(2026, 3, 1, 8, 0)


@pytest.fixture
def queue(app, clock):
    """A unit with one pending application; `fill(n, ...)` adds copies until its queue holds n."""
    with app.app_context():
        person = make_person()
        unit = permitted_unit(make_unit_account("unit1"))
        first = make_application(person, unit=unit, status="pending_unit", current_unit_id=unit.id,
                                 submitted_at=BASE)
        db.session.commit()
        template = {c.name: getattr(first, c.name) for c in Application.__table__.columns if c.name != "id"}
        unit_id, person_id = unit.id, first.person_id

    def fill(n, submitted_at=lambda i: BASE + dt.timedelta(minutes=i), **columns):
        with app.app_context():
            have = db.session.execute(select(db.func.count()).select_from(Application)).scalar_one()
            # one year apart: a person holds one open application per business and year
            rows = [dict(template, submitted_at=submitted_at(i), year=template["year"] - i, **columns)
                    for i in range(have, n)]
            if rows:
                db.session.execute(insert(Application), rows)
            db.session.commit()
            return have

    return {"fill": fill, "unit": unit_id, "person": person_id}


def _client(app, username="unit1"):
    client = app.test_client()
    assert login(client, username).status_code == 302
    return client


def _ids(page: str) -> list[int]:
    return [int(x) for x in re.findall(r'<tr data-id="(\d+)"', page)]


def _link(page: str, name: str) -> str | None:
    """The href of 首页/上一页/下一页/末页 (first/prev/next/last), or None when it is not offered."""
    found = re.search(rf'id="page-{name}" rel="{name}" href="([^"]+)"', page)
    return html.unescape(found.group(1)) if found else None


@contextlib.contextmanager
def _offsets(app):
    """The OFFSET values the statements ran with (SQLite writes `OFFSET 0` when there is none)."""
    with app.app_context():
        engine = db.engine
    seen = []

    def listener(conn, cursor, statement, parameters, *args):
        if re.search(r"OFFSET (\?|%\(\w+\)s)\)?( AS \w+)?\s*$", statement.strip()):
            seen.append(parameters[-1] if isinstance(parameters, (tuple, list)) else list(parameters.values())[-1])
        elif "OFFSET" in statement.upper():
            seen.append(statement)

    event.listen(engine, "before_cursor_execute", listener)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", listener)


def _measure(app, client, url):
    with count_statements(app) as seen, _offsets(app) as offsets:
        response = client.get(url)
    assert response.status_code == 200, url
    assert all(offset == 0 for offset in offsets), offsets  # keyset: no OFFSET walk
    return response.get_data(as_text=True), list(seen)


def test_queue_statements_same_for_page_size_queue_length_first_and_last(app, queue):
    client = _client(app)
    client.get("/review/")  # the level choices are read once, then kept (CHOICE_CACHE_SECONDS)
    counts = {}
    for length in (1_000, 10_000):
        queue["fill"](length)
        for per_page in (10, 100):
            first, seen_first = _measure(app, client, f"/review/?per_page={per_page}")
            assert len(_ids(first)) == per_page and f"共 {length} 条" in first
            last, seen_last = _measure(app, client, _link(first, "last"))
            assert len(_ids(last)) == per_page  # 1,000 and 10,000 are whole pages of 10 and 100
            assert _link(last, "next") is None and _link(last, "prev")
            middle, seen_middle = _measure(app, client, _link(first, "next"))
            assert len(_ids(middle)) == per_page and not set(_ids(middle)) & set(_ids(first))
            counts[(length, per_page)] = (len(seen_first), len(seen_last), len(seen_middle))
            for statement in seen_first + seen_last + seen_middle:
                if "count(*)" in statement.lower():  # the count of the queue stops at the cap
                    assert "LIMIT" in statement.upper(), statement
    assert len(set(counts.values())) == 1, counts
    assert len(set(counts[(1_000, 10)])) == 1, counts  # the first, a middle and the last page alike


def test_count_is_bounded_by_the_cap(app, queue, monkeypatch):
    queue["fill"](60)
    monkeypatch.setitem(app.config, "PAGING_COUNT_CAP", 50)
    client = _client(app)
    page = client.get("/review/").get_data(as_text=True)
    assert "超过 50 条" in page and "共 60 条" not in page
    last = client.get(_link(page, "last")).get_data(as_text=True)
    assert len(_ids(last)) == 20 and _link(last, "next") is None  # the last 20 rows, by the reversed order
    monkeypatch.setitem(app.config, "PAGING_COUNT_CAP", 60)
    assert "共 60 条" in client.get("/review/").get_data(as_text=True)


def _walk(client, url, direction="next"):
    pages = []
    while url:
        page = client.get(url).get_data(as_text=True)
        ids = _ids(page)
        pages.append(ids)
        url = _link(page, direction)
        assert len(pages) < 50, "the pages do not end"
    return pages


def _expected(app, unit_id, nulls_high):
    """The queue's order, worked out here: newest first, ties by id, NULL times where the database puts
    them in a descending order (first on PostgreSQL, last on SQLite)."""
    with app.app_context():
        rows = db.session.execute(select(Application.id, Application.submitted_at).where(
            Application.current_unit_id == unit_id, Application.status == "pending_unit")).all()
    timed = sorted((r for r in rows if r.submitted_at), key=lambda r: (r.submitted_at, r.id), reverse=True)
    untimed = sorted((r for r in rows if not r.submitted_at), key=lambda r: r.id, reverse=True)
    order = untimed + timed if nulls_high else timed + untimed
    return [r.id for r in order]


def test_keyset_pages_show_every_row_once_with_ties(app, queue):
    # 47 rows whose times tie in threes, and three with no time at all
    queue["fill"](47, submitted_at=lambda i: BASE + dt.timedelta(minutes=i // 3))
    queue["fill"](50, submitted_at=lambda i: None)
    with app.app_context():
        nulls_high = db.engine.dialect.name == "postgresql"
    expected = _expected(app, queue["unit"], nulls_high)
    assert len(expected) == 50
    client = _client(app)
    forward = _walk(client, "/review/?per_page=10")
    assert [len(p) for p in forward] == [10] * 5
    assert [i for p in forward for i in p] == expected
    # from the last page back with 上一页: the same pages in reverse
    last = client.get("/review/?per_page=10&last=1").get_data(as_text=True)
    assert _link(last, "prev") and _link(last, "next") is None
    backward = _walk(client, "/review/?per_page=10&last=1", "prev")
    assert backward == forward[::-1]
    # a last page that is not full holds what is left over, as the forward walk does
    seven = _walk(client, "/review/?per_page=20")
    assert [len(p) for p in seven] == [20, 20, 10]
    tail = client.get("/review/?per_page=20&last=1").get_data(as_text=True)
    assert _ids(tail) == seven[-1] and "第 3 / 3 页" in tail


def test_report_sort_by_name_with_ties_pages_both_ways(app, queue):
    with app.app_context():
        unit = db.session.get(Unit, queue["unit"])
        people = [make_person(username=f"p{n}", id_number=id_number(300 + n), real_name=name)
                  for n, name in enumerate(["张三", "李四", "张三"])]
        name_of = {}
        for n in range(26):
            application = make_application(people[n % 3], unit=unit, status="passed_unit",
                                            current_unit_id=unit.id, entrusted=True, year=2026 - n,
                                            submitted_at=BASE + dt.timedelta(minutes=n))
            name_of[application.id] = ["张三", "李四", "张三"][n % 3]
        db.session.commit()
    # by 姓名 ascending, ties (two people called 张三, and each person's several rows) by id
    client = _client(app)
    url = "/report/?tab=entrusted&sort=name&dir=asc&per_page=10"
    forward = _walk(client, url)
    flat = [i for p in forward for i in p]
    assert [len(p) for p in forward] == [10, 10, 6] and sorted(flat) == sorted(name_of)
    expected = sorted(name_of, key=lambda i: (name_of[i].encode(), i))  # the C collation of the test databases
    assert flat == expected
    backward = _walk(client, url + "&last=1", "prev")
    assert backward == forward[::-1]
    # the row numbers (序号) go on across pages
    second = client.get(_link(client.get(url).get_data(as_text=True), "next")).get_data(as_text=True)
    assert re.search(r'id="select-\d+"> 11</td>', second)


def test_my_applications_page_statements_same_at_10_and_100(app, queue):
    queue["fill"](250, status="draft", current_unit_id=None, submitted_at=lambda i: None)
    with app.app_context():  # all created at one time: the id breaks every tie
        db.session.execute(update(Application).values(created_at=BASE))
        db.session.commit()
    client = _client(app, "wangwu")
    counts = set()
    for per_page in (10, 100):
        first, seen_first = _measure(app, client, f"/applications/?per_page={per_page}")
        last, seen_last = _measure(app, client, _link(first, "last"))
        assert len(_ids(first)) == per_page and len(_ids(last)) == (250 % per_page or per_page)
        counts |= {len(seen_first), len(seen_last)}
    assert len(counts) == 1, counts
    pages = _walk(client, "/applications/?per_page=100")
    flat = [i for p in pages for i in p]
    assert len(flat) == len(set(flat)) == 250 and flat == sorted(flat, reverse=True)


WORDS = ["建筑", "工程", "有限", "公司", "学校", "中学", "小学", "文化", "研究所", "设计院", "集团", "科技", "农业",
         "合作社", "图书馆", "艺术", "卫生院", "交通", "水利", "电力"]


def test_picker_name_search_uses_the_trigram_index(app, queue):
    with app.app_context():
        if db.engine.dialect.name != "postgresql":
            pytest.skip("the trigram index exists on PostgreSQL only (migration jj02b7d3f9a2); SQLite scans")
        # Chinese characters make trigrams only under a UTF-8 LC_CTYPE (scripts/pg_test_cluster.sh, deploy.md)
        assert db.session.execute(text("SELECT show_trgm('人民医院')")).scalar()
        region = db.session.execute(select(Region.id).where(Region.code == "371002")).scalar_one()
        words = random.Random(4)
        db.session.execute(insert(Unit), [
            {"name": f"威海市{n}{words.choice(WORDS)}{words.choice(WORDS)}"
                     + ("人民医院" if n % 4000 == 7 else words.choice(WORDS)),
             "region_id": region, "contact_name": "联系人", "mobile": "13900000002", "has_permission": True}
            for n in range(20_000)])
        db.session.commit()
        # what autovacuum does after a bulk load: move the GIN index's pending entries into the index
        db.session.execute(text("SELECT gin_clean_pending_list('ix_unit_name_trgm')"))
        db.session.execute(text("ANALYZE unit"))
        query = unit_picker.permitted_units("人民医院").limit(21)
        assert len(db.session.execute(query).all()) == 5
        compiled = query.compile(dialect=db.engine.dialect)
        plan = "\n".join(db.session.connection().exec_driver_sql("EXPLAIN " + str(compiled), compiled.params)
                         .scalars())
        db.session.rollback()
    assert "ix_unit_name_trgm" in plan, plan


def test_unit_registry_pages_by_name_with_ties(app, demo, clock):
    from app.models.units import UnitRegistryEntry

    names = [f"威海市单位{n % 4}" for n in range(45)]
    with app.app_context():
        db.session.execute(insert(UnitRegistryEntry), [
            {"credit_code": f"X{n:017d}", "name": name, "imported_at": BASE} for n, name in enumerate(names)])
        db.session.commit()
    expected = [f"X{n:017d}" for n in sorted(range(45), key=lambda n: (names[n], n))]  # ids follow n
    client = _client(app, "demo_bureau")

    def codes(page):
        return re.findall(r"<tr><td>(X\d{17})</td>", page)

    pages, url = [], "/units/registry/?per_page=10"
    while url:
        page = client.get(url).get_data(as_text=True)
        pages.append(codes(page))
        url = _link(page, "next")
    assert [len(p) for p in pages] == [10, 10, 10, 10, 5] and [c for p in pages for c in p] == expected
    counts = set()
    for per_page in (10, 100):
        first, seen_first = _measure(app, client, f"/units/registry/?per_page={per_page}")
        last, seen_last = _measure(app, client, f"/units/registry/?per_page={per_page}&last=1")
        assert codes(last) == expected[-(45 % per_page or per_page):]
        counts |= {len(seen_first), len(seen_last)}
    assert len(counts) == 1, counts


def test_queue_pages_read_the_index_on_postgresql(app, queue):
    """The page query of the queue, EXPLAINed as the view ran it: an index range scan that starts at the
    cursor (no Sort over the queue, no OFFSET), on the first, a middle and the last page."""
    with app.app_context():
        if db.engine.dialect.name != "postgresql":
            pytest.skip("the plan is PostgreSQL's; SQLite's planner is not what production runs")
    queue["fill"](10_000)
    with app.app_context():
        db.session.execute(text("ANALYZE application"))
        db.session.commit()
        engine = db.engine
    client = _client(app)
    ran = []

    def listener(conn, cursor, statement, parameters, *args):
        if "FROM application" in statement and "ORDER BY application.submitted_at" in statement:
            ran.append((statement, parameters))

    first = client.get("/review/").get_data(as_text=True)
    event.listen(engine, "before_cursor_execute", listener)
    try:
        for url in ("/review/", _link(first, "next"), _link(first, "last")):
            assert client.get(url).status_code == 200
    finally:
        event.remove(engine, "before_cursor_execute", listener)
    assert len(ran) == 3
    with app.app_context():
        for n, (statement, parameters) in enumerate(ran):
            plan = "\n".join(db.session.connection().exec_driver_sql("EXPLAIN " + statement, parameters).scalars())
            # read in order from an index of application, stopped by the LIMIT: no full Sort, no Seq Scan
            assert re.search(r"Index Scan (Backward )?using ix_application_\w+ on application", plan), plan
            assert "Seq Scan on application" not in plan and not re.search(r"(^|->  )Sort ", plan), plan
            if n == 1:  # 下一页: the cursor bounds the index scan, it does not filter from the top
                assert re.search(r"Index Cond: .*submitted_at <=? ", plan), plan
        db.session.rollback()
