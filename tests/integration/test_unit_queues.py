"""The new-user issue, items 11–13 and 16, on the unit queues (app/views/review.py, app/views/report.py):
the 申报业务 column and filter with the manuals' 职称认定审核 / 外地调入审核 entries, where an application is
now (已上报) and who sent it (a superior's queue), 本年度退回人数 counted from the returns themselves, and
the 申报职称 / 年度 filters."""
from __future__ import annotations

import datetime as dt
import re

from sqlalchemy import select

from app.demo import DEMO_COMMITTEE
from app.extensions import db
from app.models.applications import Application
from app.models.catalog import Title, TitleLevel, TitleSeries
from app.models.units import ReportingPath, Unit
from app.services import steps
from tests.factories import id_number, make_application, make_person
from tests.integration.test_query_counts import count_statements
from tests.integration.test_unit_chain import (_approve_unit_path, _client, _decide, _post, _report, _save_summary,
                                               _submitted, _user, world)  # noqa: F401 (world is a fixture)

UNIT, SUPERIOR = "威海市环翠区文化馆", "威海市环翠区文化和旅游局"


def _row(page: str, application_id: int) -> str:
    found = re.search(rf'<tr data-id="{application_id}">(.*?)</tr>', page, re.S)
    assert found, f"row {application_id} is not on the page"
    return found.group(1)


def _cell(row: str, css: str) -> str:
    return re.search(rf'<td class="{css}">(.*?)</td>', row, re.S).group(1).strip()


def _rows(page: str) -> list[int]:
    return [int(x) for x in re.findall(r'<tr data-id="(\d+)"', page)]


def _returned_count(page: str) -> str:
    return re.search(r'id="returned-count">(.*?)</p>', page, re.S).group(1)


def _pending_at(unit_name: str, n: int, business: str, **columns) -> int:
    person = make_person(username=f"q{n}", id_number=id_number(300 + n), real_name=f"申报人{n:02d}")
    unit = db.session.execute(select(Unit).filter_by(name=unit_name)).scalar_one()
    application = make_application(person, unit=unit, business=business, status="pending_unit",
                                   current_unit_id=unit.id, submitted_at=dt.datetime(2026, 3, 2, 8, n), **columns)
    steps.arrive(application, unit.id)
    db.session.commit()
    return application.id


def test_queue_shows_the_business_and_the_manuals_entries_filter_it(app, world):
    """Item 11: four rows of four businesses were indistinguishable; now each says its 申报业务, the queue
    filters by it, and 职称认定审核 / 外地调入审核 are the same queue filtered."""
    with app.app_context():
        ids = {"review": _pending_at(UNIT, 1, "review"), "recognition": _pending_at(UNIT, 2, "recognition"),
               "transfer": _pending_at(UNIT, 3, "transfer"), "review_2": _pending_at(UNIT, 4, "review")}
    unit = _client(app, "demo_unit")
    page = unit.get("/review/").get_data(as_text=True)
    expected = {"review": "职称评审申报", "recognition": "全日制职称认定", "transfer": "外地调入资格确认",
                "review_2": "职称评审申报"}
    for key, name in expected.items():
        assert _cell(_row(page, ids[key]), "business") == name
    assert '<select name="business" id="business"' in page
    page = unit.get("/review/?business=recognition").get_data(as_text=True)
    assert _rows(page) == [ids["recognition"]]
    assert '<option value="recognition" selected>' in page
    # the tabs keep the business
    assert "business=recognition" in page.split('class="nav nav-tabs status-tabs"')[1].split("</ul>")[0]
    page = unit.get("/review/?business=transfer").get_data(as_text=True)
    assert _rows(page) == [ids["transfer"]]
    assert sorted(_rows(unit.get("/review/?business=review").get_data(as_text=True))) == sorted(
        [ids["review"], ids["review_2"]])
    assert len(_rows(unit.get("/review/?business=nonsense").get_data(as_text=True))) == 4  # unknown: no filter
    # the manuals' menu entries under 职称认定和外地调入, with their own heading
    home = unit.get("/").get_data(as_text=True)
    assert "职称认定和外地调入" in home
    assert 'href="/review/?business=recognition"' in home and 'href="/review/?business=transfer"' in home
    assert '<h3 class="page-header">职称认定审核</h3>' in unit.get("/review/?business=recognition").get_data(
        as_text=True)
    assert '<h3 class="page-header">外地调入审核</h3>' in unit.get("/review/?business=transfer").get_data(
        as_text=True)
    # an applicant has neither entry
    assert 'href="/review/?business=recognition"' not in _client(app, "demo_person").get("/").get_data(as_text=True)


def test_where_it_is_now_and_who_sent_it(app, world):
    """Item 12: 已上报 rows say which unit (or committee) holds the application now; a superior's queue
    says which lower unit sent it (the first unit's queue: the applicant)."""
    application_id = world["application"]
    person, unit, superior = (_client(app, n) for n in ("demo_person", "demo_unit", "demo_superior"))
    committee = _client(app, "demo_committee")
    _approve_unit_path(app, unit, superior, "review", application_id)
    assert _post(superior, "/units/paths/new/committee",
                 {"business_set": "review", "committee_id": world["committee"]}).status_code == 302
    with app.app_context():
        path_id = db.session.execute(select(ReportingPath.id).filter_by(status="pending")).scalar_one()
    assert _post(committee, f"/units/path-review/{path_id}/approve", {}).status_code == 302
    _submitted(app, person, application_id)
    assert _cell(_row(unit.get("/review/").get_data(as_text=True), application_id), "sender") == "申报人本人"
    assert _decide(unit, application_id, "pass").status_code == 302
    assert _report(unit, application_id).status_code == 302
    # the superior's queue names the unit that reported it
    row = _row(superior.get("/review/").get_data(as_text=True), application_id)
    assert _cell(row, "sender") == UNIT
    # the unit's 已上报 names the superior holding it now
    row = _row(unit.get("/report/?tab=reported").get_data(as_text=True), application_id)
    assert _cell(row, "where-now") == SUPERIOR
    # returned to the unit and reported again: the superior still sees the unit as the sender
    assert _decide(superior, application_id, "return", verdict_work_summary="fail",
                   reason_work_summary="需补充").status_code == 302
    assert application_id not in _rows(unit.get("/report/?tab=reported").get_data(as_text=True))
    assert _cell(_row(unit.get("/review/").get_data(as_text=True), application_id), "sender") == "申报人本人"
    assert _decide(unit, application_id, "pass").status_code == 302
    assert _report(unit, application_id).status_code == 302
    assert _cell(_row(superior.get("/review/").get_data(as_text=True), application_id), "sender") == UNIT
    # on to the committee: both units' 已上报 name the committee
    assert _decide(superior, application_id, "pass").status_code == 302
    assert _report(superior, application_id).status_code == 302
    for client in (unit, superior):
        row = _row(client.get("/report/?tab=reported").get_data(as_text=True), application_id)
        assert _cell(row, "where-now") == DEMO_COMMITTEE


def test_returned_this_year_counts_the_returns_not_the_applications_still_returned(app, world, clock):
    """Item 13: the count was of applications still 已退回; a return followed by a resubmission counted
    nothing. Now each unit counts the applicants it returned this (local) calendar year."""
    application_id = world["application"]
    person, unit, superior = (_client(app, n) for n in ("demo_person", "demo_unit", "demo_superior"))
    _approve_unit_path(app, unit, superior, "review", application_id)
    _submitted(app, person, application_id)
    assert "：0" in _returned_count(unit.get("/review/").get_data(as_text=True))
    assert _decide(unit, application_id, "pass").status_code == 302
    assert _report(unit, application_id).status_code == 302
    assert _decide(superior, application_id, "return", verdict_work_summary="fail",
                   reason_work_summary="需补充").status_code == 302
    # the superior returned it (to the unit); the unit has returned nobody yet
    assert _returned_count(superior.get("/review/").get_data(as_text=True)).endswith("：1")
    assert _returned_count(unit.get("/review/").get_data(as_text=True)).endswith("：0")
    assert _decide(unit, application_id, "return", verdict_work_summary="fail",
                   reason_work_summary="需补充").status_code == 302
    assert _returned_count(unit.get("/review/").get_data(as_text=True)) == "本年度（2026年）退回人数：1"
    # resubmitted: no longer 已退回, but it was returned this year
    _save_summary(app, application_id, "任现职以来主持全区广场舞大赛三届，获市级优秀组织奖。" * 2)
    assert person.post(f"/applications/{application_id}/submit").status_code == 302
    with app.app_context():
        assert db.session.get(Application, application_id).status == "pending_unit"
    assert _returned_count(unit.get("/review/").get_data(as_text=True)) == "本年度（2026年）退回人数：1"
    # returned a second time: still one applicant
    assert _decide(unit, application_id, "return", verdict_work_summary="fail",
                   reason_work_summary="仍需补充").status_code == 302
    assert _returned_count(unit.get("/review/").get_data(as_text=True)).endswith("：1")
    # another business filtered: not counted there
    assert _returned_count(unit.get("/review/?business=recognition").get_data(as_text=True)).endswith("：0")
    # the next year (1 January, 08:30 in China, still 31 December in UTC) starts again from 0
    clock.now = dt.datetime(2026, 12, 31, 16, 30)
    unit = _client(app, "demo_unit")  # a new session: the old one has been idle too long
    assert _returned_count(unit.get("/review/").get_data(as_text=True)) == "本年度（2027年）退回人数：0"


def test_title_filter_lists_each_name_once_and_year_filter_no_future_year(app, world, clock):
    """Item 16: 助理馆员 is a title of three series and was listed three times; the year filter offered
    next year."""
    with app.app_context():
        level = db.session.execute(select(TitleLevel).filter_by(name="初级")).scalar_one()
        level_id = level.id
        library = _pending_at(UNIT, 5, "review", series_id=db.session.execute(
            select(TitleSeries.id).filter_by(name="图书资料")).scalar_one())
        db.session.get(Application, library).title_id = db.session.execute(
            select(Title.id).join(TitleSeries).where(TitleSeries.name == "图书资料", Title.level_id == level_id,
                                                     Title.name == "助理馆员")).scalar_one()
        culture = _pending_at(UNIT, 6, "review")  # 群众文化 初级: 助理馆员
        museum_level_title = _pending_at(UNIT, 7, "review", level="中级")
        db.session.commit()
    unit = _client(app, "demo_unit")
    for url in (f"/review/?level={level_id}", f"/report/?level={level_id}"):
        page = unit.get(url).get_data(as_text=True)
        options = re.findall(r"<option value=\"([^\"]*)\"", page.split('id="title"')[1].split("</select>")[0])
        assert options.count("助理馆员") == 1, options
        assert len(options) == len(set(options))
        years = re.findall(r"<option value=\"(\d+)\"", page.split('id="year"')[1].split("</select>")[0])
        assert years[0] == "2026" and "2027" not in years, years
    page = unit.get(f"/review/?level={level_id}&title=助理馆员").get_data(as_text=True)
    assert sorted(_rows(page)) == sorted([library, culture]) and museum_level_title not in _rows(page)
    assert '<option value="助理馆员" selected>' in page
    # the statements of the filtered page do not grow with the rows
    with count_statements(app) as seen:
        unit.get(f"/review/?level={level_id}&title=助理馆员&business=review")
    # 10 (the levels are kept between requests; 本年度退回人数 and 上报单位 are one statement), the navbar's
    # unread count and the deadline marks (one query)
    assert len(seen) <= 12, seen


def test_queue_statements_do_not_grow_with_the_rows(app, world):
    """The new columns (business, sender) and the count come with a fixed number of statements."""
    with app.app_context():
        _pending_at(UNIT, 1, "review")
    unit = _client(app, "demo_unit")
    unit.get("/review/")
    with count_statements(app) as few:
        unit.get("/review/")
    with app.app_context():
        for n in range(2, 25):
            _pending_at(UNIT, n, "recognition" if n % 2 else "review")
    with count_statements(app) as many:
        page = unit.get("/review/").get_data(as_text=True)
    assert len(_rows(page)) == 20
    assert len(many) == len(few), many

