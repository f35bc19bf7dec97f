"""R3 数据上报 list page (app/views/report.py): tabs split by 是否委托评审 and 已上报, paging, sorting, filters,
数据上报 of the selected rows (all or nothing, refusal shown at the top with the selection kept), forged
ids, the per-row 是否委托评审/单位推荐排序 edit, SQL statements per page and CSRF."""
from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models.applications import Application, ApplicationEvent
from app.models.audit import AuditLog
from app.models.units import ReportingPath, Unit
from app.services import steps
from tests.conftest import csrf_token, login
from tests.factories import id_number, make_application, make_person, make_unit_account, permitted_unit
from tests.integration.test_query_counts import count_statements

SUPERIOR = "威海市文化和旅游局（测试）"


def _passed(unit: Unit, n: int, *, entrusted: bool = False, level: str = "初级", year: int | None = None,
            minute: int = 0) -> int:
    """A passed, not reported application of a new applicant 申报人<n> held by `unit` (arrived by submission)."""
    person = make_person(username=f"p{n}", id_number=id_number(100 + n), real_name=f"申报人{n:02d}")
    columns = dict(year=year) if year else {}
    application = make_application(person, unit=unit, level=level, status="passed_unit", current_unit_id=unit.id,
                                   entrusted=entrusted, submitted_at=dt.datetime(2026, 3, 2, 8, minute % 60),
                                   **columns)
    steps.arrive(application, unit.id)
    db.session.commit()
    return application.id


@pytest.fixture
def world(app, clock):
    with app.app_context():
        unit = permitted_unit(make_unit_account("unit1", "威海市环翠区测试文化馆"))
        superior = permitted_unit(make_unit_account("sup1", SUPERIOR, region_code="371000"))
        other = permitted_unit(make_unit_account("unit2", "威海市另一测试单位"))
        ids = {"entrusted": _passed(unit, 1, entrusted=True, minute=1),
               "plain_a": _passed(unit, 2, minute=2), "plain_b": _passed(unit, 3, minute=3),
               "plain_c": _passed(unit, 4, minute=4),
               "middle": _passed(unit, 5, level="中级", minute=5), "last_year": _passed(unit, 6, year=2025, minute=6),
               "theirs": _passed(other, 7, minute=7)}
        return dict(ids, unit=unit.id, superior=superior.id, other=other.id)


def _client(app, username="unit1"):
    client = app.test_client()
    assert login(client, username).status_code == 302
    return client


def _rows(page: str) -> list[int]:
    import re

    return [int(x) for x in re.findall(r'<tr data-id="(\d+)"', page)]


def _path(app, world):
    """An effective 单位路径 of unit1 (review, 群众文化 初级) to the superior unit."""
    with app.app_context():
        application = db.session.get(Application, world["plain_a"])
        db.session.add(ReportingPath(unit_id=world["unit"], business_set="review", series_id=application.series_id,
                                     level_id=application.level_id, target_unit_id=world["superior"],
                                     status="effective", created_at=dt.datetime(2026, 1, 1)))
        db.session.commit()


def _state(app, *ids):
    with app.app_context():
        return [(a.status, a.current_unit_id, a.entrusted, a.recommendation_rank)
                for a in (db.session.get(Application, i) for i in ids)]


def _count(app, model, *where):
    with app.app_context():
        return db.session.execute(select(func.count()).select_from(model).where(*where)).scalar_one()


def test_tabs_split_by_entrusted_and_show_only_own_rows(app, world):
    client = _client(app)
    assert 'href="/report/"' in client.get("/").get_data(as_text=True)  # 单位业务 › 数据上报
    entrusted = client.get("/report/?tab=entrusted").get_data(as_text=True)
    assert "委托评审人员未上报" in entrusted and "非委托评审人员未上报" in entrusted and "已上报" in entrusted
    assert _rows(entrusted) == [world["entrusted"]]
    plain = _rows(client.get("/report/?tab=not_entrusted").get_data(as_text=True))
    assert set(plain) == {world[k] for k in ("plain_a", "plain_b", "plain_c", "middle", "last_year")}
    assert world["theirs"] not in plain
    assert _rows(client.get("/report/?tab=reported").get_data(as_text=True)) == []
    # the other unit sees its own row only
    assert _rows(_client(app, "unit2").get("/report/?tab=not_entrusted").get_data(as_text=True)) == [world["theirs"]]
    # an applicant has no access
    with app.app_context():
        make_person(username="lisi", id_number=id_number(999), real_name="李四")
    assert _client(app, "lisi").get("/report/").status_code in (302, 403)


def test_filters_by_level_year_and_unit_name(app, world):
    client = _client(app)
    with app.app_context():
        middle = db.session.get(Application, world["middle"])
        level_id, title_name = middle.level_id, middle.title.name
    assert _rows(client.get(f"/report/?tab=not_entrusted&level={level_id}").get_data(as_text=True)) == [
        world["middle"]]
    page = client.get(f"/report/?tab=not_entrusted&level={level_id}&title={title_name}").get_data(as_text=True)
    assert _rows(page) == [world["middle"]] and f'value="{title_name}" selected' in page
    assert _rows(client.get("/report/?tab=not_entrusted&year=2025").get_data(as_text=True)) == [world["last_year"]]
    assert len(_rows(client.get("/report/?tab=not_entrusted&unit_name=环翠区测试").get_data(as_text=True))) == 5
    assert _rows(client.get("/report/?tab=not_entrusted&unit_name=另一").get_data(as_text=True)) == []
    # LIKE wildcards are taken literally
    assert _rows(client.get("/report/?tab=not_entrusted&unit_name=%25").get_data(as_text=True)) == []


def test_pages_by_20_and_sorts_both_ways(app, world):
    with app.app_context():
        unit = db.session.get(Unit, world["unit"])
        for n in range(20, 40):  # 20 more: 25 non-entrusted rows in all
            _passed(unit, n, minute=n)
    client = _client(app)
    page1 = client.get("/report/?tab=not_entrusted").get_data(as_text=True)
    page2 = client.get("/report/?tab=not_entrusted&page=2").get_data(as_text=True)
    assert len(_rows(page1)) == 20 and len(_rows(page2)) == 5 and "共 25 条" in page1
    assert not set(_rows(page1)) & set(_rows(page2))
    ascending = client.get("/report/?tab=not_entrusted&sort=name&dir=asc").get_data(as_text=True)
    assert ascending.index("申报人02") < ascending.index("申报人03") < ascending.index("申报人34")
    assert "申报人35" not in ascending  # 02–06 and 20–34 fill the first page
    assert "sort=name" in ascending and 'id="sort-name" href="/report/?' in ascending
    assert "dir=desc" in ascending.split('id="sort-name" href="')[1].split('"')[0]  # the header toggles
    descending = client.get("/report/?tab=not_entrusted&sort=name&dir=desc").get_data(as_text=True)
    assert descending.index("申报人39") < descending.index("申报人38")
    newest_first = client.get("/report/?tab=not_entrusted").get_data(as_text=True)
    assert newest_first.index("申报人39") < newest_first.index("申报人38")
    for sort in ("submitted", "level", "title", "name", "unit"):
        for direction in ("asc", "desc"):
            assert len(_rows(client.get(f"/report/?tab=not_entrusted&sort={sort}&dir={direction}")
                             .get_data(as_text=True))) == 20


def _plan(page: str) -> str:
    import html
    import re

    return html.unescape(re.search(r'name="plan" value="([^"]*)"', page).group(1))


def _confirmed(client, data: dict):
    """数据上报 and then 确定 on the confirmation page, as a user does."""
    page = client.post("/report/report", data=data)
    assert page.status_code == 200 and 'id="confirm-button"' in page.get_data(as_text=True)
    return client.post("/report/report", data=dict(data, confirm="1", plan=_plan(page.get_data(as_text=True))))


def test_report_two_selected_moves_them_to_reported(app, world):
    _path(app, world)
    client = _client(app)
    page = client.get("/report/?tab=not_entrusted").get_data(as_text=True)
    assert 'id="select-all"' in page and f'name="ids" value="{world["plain_a"]}"' in page
    response = _confirmed(client, {"ids": [world["plain_a"], world["plain_b"]], "tab": "not_entrusted"})
    assert response.status_code == 302 and "tab=not_entrusted" in response.headers["Location"]
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert f"已将 2 条申报信息上报至{SUPERIOR}" in page
    assert world["plain_a"] not in _rows(page) and world["plain_c"] in _rows(page)
    assert _state(app, world["plain_a"], world["plain_b"]) == [("pending_unit", world["superior"], False, "1/3")] * 2
    assert _state(app, world["plain_c"])[0][:2] == ("passed_unit", world["unit"])
    page = client.get("/report/?tab=reported").get_data(as_text=True)
    assert sorted(_rows(page)) == sorted([world["plain_a"], world["plain_b"]])
    assert 'name="ids"' not in page and 'id="report-button"' not in page  # nothing to report or edit there
    assert f'href="/review/{world["plain_c"]}"' in client.get("/report/?tab=not_entrusted").get_data(as_text=True)
    # the superior now has them in its review queue, not in its report list
    superior = _client(app, "sup1")
    assert f'data-id="{world["plain_a"]}"' in superior.get("/review/").get_data(as_text=True)
    assert _rows(superior.get("/report/?tab=reported").get_data(as_text=True)) == []


def test_report_without_path_is_refused_and_keeps_selection_and_filters(app, world):
    client = _client(app)
    before = _state(app, world["plain_a"], world["plain_b"])
    page = client.post("/report/report", data={"ids": [world["plain_a"], world["plain_b"]], "tab": "not_entrusted",
                                               "unit_name": "测试文化馆", "sort": "name", "dir": "asc"}
                       ).get_data(as_text=True)
    assert "form-error-box" in page and "尚无生效的上报路径：职称评审申报 群众文化 初级" in page
    for kept in (world["plain_a"], world["plain_b"]):
        assert f'id="select-{kept}" checked' in page
    assert f'id="select-{world["plain_c"]}">' in page  # not selected, not checked
    assert 'name="unit_name" id="unit_name" class="form-control input-sm" maxlength="64" value="测试文化馆"' in page
    assert _state(app, world["plain_a"], world["plain_b"]) == before
    assert _count(app, ApplicationEvent) == 0
    # nothing selected
    page = client.post("/report/report", data={"tab": "not_entrusted"}).get_data(as_text=True)
    assert "请至少选择一条申报信息" in page


def test_forged_ids_of_another_unit_are_refused(app, world):
    _path(app, world)
    client = _client(app)
    before = _state(app, world["plain_a"], world["theirs"])
    page = client.post("/report/report", data={"ids": [world["plain_a"], world["theirs"]]}).get_data(as_text=True)
    assert f"编号 {world['theirs']} 的申报不在本单位“通过未上报”列表中" in page
    assert _state(app, world["plain_a"], world["theirs"]) == before
    assert _count(app, ApplicationEvent) == 0
    # the fields of another unit's row
    page = client.post(f"/report/{world['theirs']}/fields", data={"entrusted": "1", "recommendation_rank": "1/1"})
    assert page.status_code == 200 and "不在本单位" in page.get_data(as_text=True)
    assert _state(app, world["theirs"]) == before[1:]
    assert _count(app, AuditLog, AuditLog.action == "application.report_fields") == 0


def test_fields_edit_is_saved_and_audited_and_a_bad_rank_is_shown_next_to_it(app, world):
    client = _client(app)
    target = world["plain_a"]
    page = client.post(f"/report/{target}/fields", data={"entrusted": "1", "recommendation_rank": "3/2",
                                                         "tab": "not_entrusted"}).get_data(as_text=True)
    error = page.split(f'id="error-recommendation_rank-{target}"')
    assert len(error) == 2 and "请按“n/m”格式填写" in error[1][:200]
    assert f'id="recommendation_rank-{target}" placeholder="n/m"' in page and 'value="3/2"' in page
    assert _state(app, target) == [("passed_unit", world["unit"], False, "1/3")]
    assert _count(app, AuditLog, AuditLog.action == "application.report_fields") == 0
    page = client.post(f"/report/{target}/fields", data={"entrusted": "x", "recommendation_rank": "1/1",
                                                         "tab": "not_entrusted"}).get_data(as_text=True)
    assert f'id="error-entrusted-{target}"' in page and "请选择是否委托评审" in page
    # a row that is not on the page shown (another tab): the message goes to the top
    page = client.post(f"/report/{target}/fields", data={"entrusted": "1", "recommendation_rank": "0/2",
                                                         "tab": "entrusted"}).get_data(as_text=True)
    assert "form-error-box" in page and "请按“n/m”格式填写" in page
    response = client.post(f"/report/{target}/fields", data={"entrusted": "1", "recommendation_rank": "2/5",
                                                             "tab": "not_entrusted"})
    assert response.status_code == 302
    assert _state(app, target) == [("passed_unit", world["unit"], True, "2/5")]
    assert _count(app, AuditLog, AuditLog.action == "application.report_fields",
                  AuditLog.object_id == str(target)) == 1
    # it moved to the 委托 tab
    assert target in _rows(client.get("/report/?tab=entrusted").get_data(as_text=True))
    assert target not in _rows(client.get("/report/?tab=not_entrusted").get_data(as_text=True))


def test_statements_per_page_do_not_grow_with_the_rows(app, world):
    client = _client(app)
    client.get("/report/?tab=not_entrusted")
    with count_statements(app) as few:
        client.get("/report/?tab=not_entrusted&sort=unit&unit_name=测试")
    with app.app_context():
        unit = db.session.get(Unit, world["unit"])
        for n in range(20, 40):
            _passed(unit, n, minute=n)
    with count_statements(app) as many:
        page = client.get("/report/?tab=not_entrusted&sort=unit&unit_name=测试").get_data(as_text=True)
    assert len(_rows(page)) == 20
    # the page, its count, the row's applicant/unit/level/title by id (selectinload), the filters, the user
    assert len(many) == len(few) <= 14, many  # the page, its rows by id, the navbar count and the deadline marks
    _path(app, world)
    assert _confirmed(client, {"ids": [world["plain_a"], world["plain_b"]]}).status_code == 302
    with count_statements(app) as reported:
        client.get("/report/?tab=reported&sort=title")
    assert len(reported) <= 15, reported


def test_report_needs_the_csrf_token(app, world):
    _path(app, world)
    client = _client(app)
    app.config["WTF_CSRF_ENABLED"] = True  # restored after the test by the _fresh_data fixture
    response = client.post("/report/report", data={"ids": [world["plain_a"]]})
    assert response.status_code in (302, 400)
    response = client.post(f"/report/{world['plain_a']}/fields", data={"entrusted": "1", "recommendation_rank": "1/1"})
    assert response.status_code in (302, 400)
    assert _state(app, world["plain_a"]) == [("passed_unit", world["unit"], False, "1/3")]
    token = csrf_token(client.get("/report/?tab=not_entrusted").get_data(as_text=True))
    page = client.post("/report/report", data={"ids": [world["plain_a"]], "csrf_token": token}
                       ).get_data(as_text=True)
    assert _state(app, world["plain_a"])[0][:2] == ("passed_unit", world["unit"])
    # 确定 without the token of its own page is refused too
    response = client.post("/report/report", data={"ids": [world["plain_a"]], "confirm": "1", "plan": _plan(page)})
    assert response.status_code == 400
    assert _state(app, world["plain_a"])[0][:2] == ("passed_unit", world["unit"])
    response = client.post("/report/report", data={"ids": [world["plain_a"]], "confirm": "1", "plan": _plan(page),
                                                   "csrf_token": csrf_token(page)})
    assert response.status_code == 302
    assert _state(app, world["plain_a"])[0][:2] == ("pending_unit", world["superior"])


def test_report_is_sent_only_after_confirming_count_and_target(app, world):
    """Issue item 14: seed 000 §2.4 has a 确定 step; 数据上报 first shows how many go where, and sends
    nothing until 确定 (a second POST, no JavaScript needed)."""
    _path(app, world)
    client = _client(app)
    before = _state(app, world["plain_a"], world["plain_b"])
    response = client.post("/report/report", data={"ids": [world["plain_a"], world["plain_b"]],
                                                   "tab": "not_entrusted", "unit_name": "测试"})
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and 'id="report-confirm"' in page
    assert "确定上报 2 条申报信息？" in page
    row = page.split('class="plan-row"')[1]
    assert f'<td class="plan-target">{SUPERIOR}</td><td class="plan-count">2</td>' in row
    assert 'id="confirm-button"' in page and 'name="confirm" value="1"' in page
    for kept in (world["plain_a"], world["plain_b"]):
        assert f'name="ids" value="{kept}"' in page
    assert 'href="/report/?tab=not_entrusted' in page.split('id="cancel-button"')[1][:200]
    assert _state(app, world["plain_a"], world["plain_b"]) == before  # nothing reported yet
    assert _count(app, ApplicationEvent) == 0
    # 确定 with a plan that no longer holds (the path now leads elsewhere): shown again, nothing sent
    with app.app_context():
        path = db.session.execute(select(ReportingPath).where(ReportingPath.unit_id == world["unit"])).scalar_one()
        path.target_unit_id = world["other"]
        db.session.commit()
    again = client.post("/report/report", data={"ids": [world["plain_a"], world["plain_b"]], "confirm": "1",
                                                "plan": _plan(page)}).get_data(as_text=True)
    assert 'id="plan-changed"' in again and "威海市另一测试单位" in again.split('id="report-plan"')[1]
    assert _state(app, world["plain_a"], world["plain_b"]) == before
    assert _count(app, ApplicationEvent) == 0
    # 确定 on the page shown now sends them
    response = client.post("/report/report", data={"ids": [world["plain_a"], world["plain_b"]], "confirm": "1",
                                                   "plan": _plan(again), "tab": "not_entrusted"})
    assert response.status_code == 302
    assert [s[:2] for s in _state(app, world["plain_a"], world["plain_b"])] == [("pending_unit", world["other"])] * 2
    assert _count(app, ApplicationEvent, ApplicationEvent.action == "report") == 2
