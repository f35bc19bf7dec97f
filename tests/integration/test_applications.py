"""P2, P3, P11, P12: the commitment letter, the base form with each of its rules, 我的申报信息,
取消申请, the blacklist and row access to the applicant's pages."""
from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models.applications import Application, ApplicationEvent, Blacklist, CommitmentAgreement
from app.models.audit import AuditLog
from app.models.catalog import (ApplicationMethod, Committee, CommitteePeriod, ExceptionalCase, Region, Specialty,
                                Title, TitleLevel, TitleSeries)
from app.models.units import Unit
from app.daos.applications import person_of
from tests.conftest import login
from tests.factories import make_application, make_person
from tests.integration.test_query_counts import count_statements

DEMO_COMMITTEE = "威海市环翠区群众文化专业职务资格初级评审委员会"


# ---- helpers shared by test_lifecycle.py and test_application_api.py ---------------------------

def catalog_ids(app) -> dict:
    with app.app_context():
        one = lambda q: db.session.execute(q).scalar_one()  # noqa: E731
        level = one(select(TitleLevel.id).filter_by(name="初级"))
        series = one(select(TitleSeries.id).filter_by(name="群众文化"))
        return {
            "level": level, "series": series,
            "title": one(select(Title.id).filter_by(level_id=level, series_id=series)),
            "specialty": one(select(Specialty.id).filter_by(series_id=series, name="舞蹈")),
            "normal": one(select(ApplicationMethod.id).filter_by(name="正常晋升")),
            "exceptional": one(select(ApplicationMethod.id).filter_by(name="破格")),
            "case": db.session.execute(select(ExceptionalCase.id)).scalars().first(),
            "unit": one(select(Unit.id).filter_by(name="威海市环翠区文化馆")),
            "committee": one(select(Committee.id).filter_by(name=DEMO_COMMITTEE)),
            "engineering_committee": one(select(Committee.id).filter_by(name="威海市工程技术专业中级评审委员会")),
            "level_mid": one(select(TitleLevel.id).filter_by(name="中级")),
        }


def base_form(ids: dict, **overrides) -> dict:
    data = {"level_id": ids["level"], "series_id": ids["series"], "title_id": ids["title"],
            "specialty_id": ids["specialty"], "method_id": ids["normal"], "exceptional_case_id": "",
            "unit_id": ids["unit"], "is_work_unit": "1", "work_unit_name": "", "agency_unit_name": "",
            "entrusted": "0", "recommendation_rank": "3/5", "work_started_on": "2015-07-01",
            "professional_years": "10", "committee_id": ids["committee"], "title_obtained_year": ""}
    data.update(overrides)
    return {k: "" if v is None else str(v) for k, v in data.items()}


def agree(client, business: str = "review"):
    return client.post(f"/applications/commitment/{business}", data={"choice": "agree"})


def create(client, ids, business: str = "review", **overrides):
    return client.post(f"/applications/new/{business}", data=base_form(ids, **overrides))


def own_applications(app, username: str = "demo_person") -> list[Application]:
    with app.app_context():
        user = app.appbuilder.sm.find_user(username=username)
        return db.session.execute(select(Application).where(Application.person_id == person_of(user).id)
                                  .order_by(Application.id)).scalars().all()


@pytest.fixture
def person(app, clock, login_as):
    """demo_person signed in, with the catalogs loaded on the fake clock's date."""
    return login_as("demo_person")


# ---- P2 承诺书 ---------------------------------------------------------------------------------

def test_new_application_goes_to_the_commitment_letter_first(app, person):
    response = person.get("/applications/new/review")
    assert response.status_code == 302 and response.headers["Location"].endswith("/applications/commitment/review")
    html = person.get("/applications/commitment/review").get_data(as_text=True)
    assert "我同意" in html and "不同意" in html and "承诺书" in html


def test_disagreeing_records_nothing(app, person):
    response = person.post("/applications/commitment/review", data={"choice": "disagree"})
    assert response.status_code == 302 and response.headers["Location"].endswith("/applications/")
    assert person.get("/applications/new/review").status_code == 302
    with app.app_context():
        assert db.session.execute(select(func.count(CommitmentAgreement.id))).scalar_one() == 0


def test_agreeing_opens_the_form_and_is_recorded_once(app, person, clock):
    response = agree(person)
    assert response.headers["Location"].endswith("/applications/new/review")
    agree(person)
    html = person.get("/applications/new/review").get_data(as_text=True)
    assert 'id="base-form"' in html and "申报级别" in html and "单位推荐排序" in html
    with app.app_context():
        rows = db.session.execute(select(CommitmentAgreement)).scalars().all()
        assert [(r.business, r.agreed_at) for r in rows] == [("review", clock.now)]
        assert db.session.execute(select(func.count(AuditLog.id)).filter_by(action="commitment.agree")
                                  ).scalar_one() == 1
    # each business has its own letter
    assert person.get("/applications/new/transfer").status_code == 302


def test_unknown_business_is_404(app, person):
    assert person.get("/applications/commitment/other").status_code == 404
    assert person.get("/applications/new/other").status_code == 404


def test_choose_business_page_lists_the_four_businesses(app, person):
    html = person.get("/applications/new").get_data(as_text=True)
    for word in ("职称评审申报", "全日制职称认定", "外地调入资格确认", "职称初定"):
        assert word in html


# ---- P3 base form ----------------------------------------------------------------------------

def test_create_a_draft(app, person, clock):
    ids = catalog_ids(app)
    agree(person)
    response = create(person, ids, agency_unit_name="威海人才服务中心", recommendation_rank=" 1 ／ 1 ")
    [application] = own_applications(app)
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/applications/{application.id}")
    assert (application.status, application.version, application.year) == ("draft", 1, 2026)
    assert application.recommendation_rank == "1/1" and application.agency_unit_name == "威海人才服务中心"
    assert application.committee_id == ids["committee"] and application.current_unit_id is None
    with app.app_context():
        events = db.session.execute(select(ApplicationEvent)).scalars().all()
        assert [(e.action, e.to_status, e.actor_name) for e in events] == [("create", "draft", "张晓燕")]
        assert db.session.execute(select(AuditLog).filter_by(action="application.create")).scalar_one()
    html = person.get(f"/applications/{application.id}").get_data(as_text=True)
    assert "助理馆员" in html and "威海市环翠区文化馆" in html and "草稿" in html


def _refused(app, person, ids, field, business="review", **overrides):
    """Post a bad form: 200, the message beside `field`, what was typed kept, nothing saved."""
    response = create(person, ids, business=business, **overrides)
    html = response.get_data(as_text=True)
    assert response.status_code == 200, field
    assert f'id="error-{field}"' in html, html[:3000]
    assert own_applications(app) == []
    return html


def test_exceptional_case_only_and_always_with_the_exceptional_method(app, person):
    ids = catalog_ids(app)
    agree(person)
    html = _refused(app, person, ids, "exceptional_case_id", method_id=ids["exceptional"])
    assert "请选择破格情况" in html
    # what was typed stays in the form
    assert 'value="3/5"' in html and 'value="2015-07-01"' in html
    assert f'<option value="{ids["unit"]}" selected>威海市环翠区文化馆</option>' in html
    assert f'<option value="{ids["title"]}" selected>助理馆员</option>' in html
    assert f'<option value="{ids["specialty"]}" selected>舞蹈</option>' in html
    assert f'<option value="{ids["committee"]}" selected>{DEMO_COMMITTEE}</option>' in html
    # a case sent with a normal method is dropped
    create(person, ids, exceptional_case_id=ids["case"])
    [application] = own_applications(app)
    assert application.exceptional_case_id is None
    person.post(f"/applications/{application.id}/cancel")  # one open application per business and year
    create(person, ids, method_id=ids["exceptional"], exceptional_case_id=ids["case"])
    assert own_applications(app)[1].exceptional_case_id == ids["case"]


def test_work_unit_is_required_when_the_applying_unit_is_not_it(app, person):
    ids = catalog_ids(app)
    agree(person)
    html = _refused(app, person, ids, "work_unit_name", is_work_unit="0")
    assert "请填写实际工作单位" in html
    create(person, ids, is_work_unit="0", work_unit_name="某人力资源公司（劳务派遣）")
    [application] = own_applications(app)
    assert application.is_work_unit is False and application.work_unit_name == "某人力资源公司（劳务派遣）"


@pytest.mark.parametrize("rank", ["", "3", "0/5", "6/5", "a/b", "3/5/7", "-1/2"])
def test_recommendation_rank_must_be_n_of_m(app, person, rank):
    ids = catalog_ids(app)
    agree(person)
    html = _refused(app, person, ids, "recommendation_rank", recommendation_rank=rank)
    assert "1 ≤ n ≤ m" in html


def test_title_must_match_level_and_series(app, person):
    ids = catalog_ids(app)
    agree(person)
    _refused(app, person, ids, "title_id", level_id=ids["level_mid"])
    _refused(app, person, ids, "level_id", level_id="")
    _refused(app, person, ids, "title_id", title_id="999999")


def test_committee_is_required_open_and_matching(app, person, clock):
    ids = catalog_ids(app)
    agree(person)
    _refused(app, person, ids, "committee_id", committee_id="")
    # a forged id of a committee of another series and level
    _refused(app, person, ids, "committee_id", committee_id=ids["engineering_committee"])
    _refused(app, person, ids, "committee_id", committee_id="abc")
    # the right committee, but its period has closed
    with app.app_context():
        period = db.session.execute(select(CommitteePeriod).filter_by(committee_id=ids["committee"])).scalar_one()
        period.ends_on = clock.now.date() - dt.timedelta(days=1)
        db.session.commit()
    _refused(app, person, ids, "committee_id")


def test_committee_of_another_region_is_refused(app, person):
    ids = catalog_ids(app)
    with app.app_context():
        region = db.session.execute(select(Region).filter_by(code="370102")).scalar_one()
        unit = Unit(name="济南市历下区文化馆", region=region, contact_name="联系人", mobile="13900000009",
                    has_permission=True)
        db.session.add(unit)
        db.session.commit()
        unit_id = unit.id
    agree(person)
    _refused(app, person, ids, "committee_id", unit_id=unit_id)


def test_unit_without_permission_is_refused(app, person):
    ids = catalog_ids(app)
    with app.app_context():
        region = db.session.execute(select(Region).filter_by(code="371002")).scalar_one()
        unit = Unit(name="环翠区未获权限单位", region=region, contact_name="联系人", mobile="13900000009",
                    has_permission=False)
        db.session.add(unit)
        db.session.commit()
        unit_id = unit.id
    agree(person)
    html = _refused(app, person, ids, "unit_id", unit_id=unit_id)
    assert "没有职称申报权限" in html
    _refused(app, person, ids, "unit_id", unit_id="")


def test_dates_and_years(app, person, clock):
    ids = catalog_ids(app)
    agree(person)
    _refused(app, person, ids, "work_started_on", work_started_on="2015/07/01")
    _refused(app, person, ids, "work_started_on", work_started_on="2030-01-01")
    _refused(app, person, ids, "professional_years", professional_years="-1")
    _refused(app, person, ids, "professional_years", professional_years="40")


def test_transfer_needs_the_year_the_title_was_obtained(app, person):
    ids = catalog_ids(app)
    agree(person, "transfer")
    html = person.get("/applications/new/transfer").get_data(as_text=True)
    assert "职称获得年度" in html
    _refused(app, person, ids, "title_obtained_year", business="transfer")
    _refused(app, person, ids, "title_obtained_year", business="transfer", title_obtained_year="2027")
    create(person, ids, business="transfer", title_obtained_year="2019", committee_id="")
    [application] = own_applications(app)
    assert (application.business, application.title_obtained_year, application.committee_id) == ("transfer", 2019, None)


def test_form_page_never_lists_the_units(app, person):
    ids = catalog_ids(app)
    with app.app_context():
        region = db.session.execute(select(Region).filter_by(code="371002")).scalar_one()
        db.session.add(Unit(name="另一家有权限单位", region=region, contact_name="联系人", mobile="13900000009",
                            has_permission=True))
        db.session.commit()
    agree(person)
    html = person.get("/applications/new/review").get_data(as_text=True)
    assert "另一家有权限单位" not in html and "威海市环翠区文化馆" not in html
    assert "/static/js/application_form.js" in html and "/pickers/units" in html
    assert ids


# ---- edit with the version check -------------------------------------------------------------

def test_edit_base_form_and_stale_version(app, person):
    ids = catalog_ids(app)
    agree(person)
    create(person, ids)
    [application] = own_applications(app)
    url = f"/applications/{application.id}/edit"
    html = person.get(url).get_data(as_text=True)
    assert 'name="version" value="1"' in html and 'value="3/5"' in html
    assert person.post(url, data=dict(base_form(ids, recommendation_rank="2/5"), version="1")).status_code == 302
    [application] = own_applications(app)
    assert (application.recommendation_rank, application.version) == ("2/5", 2)
    # a second tab still holding version 1
    response = person.post(url, data=dict(base_form(ids, recommendation_rank="4/5"), version="1"))
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "另一个窗口" in html and 'value="4/5"' in html
    [application] = own_applications(app)
    assert (application.recommendation_rank, application.version) == ("2/5", 2)
    # a rule broken on edit: message at the field, nothing saved
    html = person.post(url, data=dict(base_form(ids, recommendation_rank="9/5"), version="2")).get_data(as_text=True)
    assert 'id="error-recommendation_rank"' in html
    assert own_applications(app)[0].recommendation_rank == "2/5"


def test_base_form_is_read_only_after_submission(app, person):
    ids = catalog_ids(app)
    with app.app_context():
        user = app.appbuilder.sm.find_user(username="demo_person")
        application_id = make_application(user, status="pending_unit").id
    response = person.get(f"/applications/{application_id}/edit")
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/applications/{application_id}")
    response = person.post(f"/applications/{application_id}/edit", data=dict(base_form(ids), version="1"))
    assert response.status_code == 302
    assert own_applications(app)[0].recommendation_rank == "1/3"


# ---- P12 blacklist ---------------------------------------------------------------------------

def test_blacklisted_person_cannot_create(app, person, clock):
    ids = catalog_ids(app)
    agree(person)
    with app.app_context():
        user = app.appbuilder.sm.find_user(username="demo_person")
        db.session.add(Blacklist(person_id=person_of(user).id, until=dt.date(2027, 6, 30), reason="材料造假",
                                 created_at=clock.now))
        db.session.commit()
    response = person.get("/applications/new/review", follow_redirects=True)
    assert "2027-06-30" in response.get_data(as_text=True)
    response = create(person, ids)
    assert own_applications(app) == []
    clock.advance(days=300)  # after 2027-06-30 the ban is over
    login(person, "demo_person")
    with app.app_context():
        period = db.session.execute(select(CommitteePeriod).filter_by(committee_id=ids["committee"])).scalar_one()
        period.year, period.ends_on = 2027, dt.date(2027, 12, 31)
        db.session.commit()
    assert create(person, ids).status_code == 302
    assert len(own_applications(app)) == 1


# ---- 取消申请 ---------------------------------------------------------------------------------

def test_cancel_a_draft(app, person):
    with app.app_context():
        user = app.appbuilder.sm.find_user(username="demo_person")
        application_id = make_application(user).id
    assert person.post(f"/applications/{application_id}/cancel").status_code == 302
    [application] = own_applications(app)
    assert application.status == "cancelled"
    with app.app_context():
        assert db.session.execute(select(ApplicationEvent.action)).scalars().all() == ["cancel"]
        assert db.session.execute(select(AuditLog).filter_by(action="application.cancel")).scalar_one()
    # only a draft: a second cancel changes nothing
    person.post(f"/applications/{application_id}/cancel")
    with app.app_context():
        assert db.session.execute(select(func.count(ApplicationEvent.id))).scalar_one() == 1
    html = person.get("/applications/").get_data(as_text=True)
    assert "已取消" in html


# ---- P11 我的申报信息 and row access ------------------------------------------------------------

def test_my_applications_lists_only_own_rows(app, person):
    with app.app_context():
        mine = make_application(app.appbuilder.sm.find_user(username="demo_person"), status="pending_unit",
                                submitted_at=dt.datetime(2026, 11, 20, 1, 30))
        other = make_person("lisi", "110105198001010016", "李四")
        make_application(other, series="工程", level="中级")
        mine_id = mine.id
    html = person.get("/applications/").get_data(as_text=True)
    assert html.count('<tr data-id="') == 1 and f'data-id="{mine_id}"' in html
    assert "助理馆员" in html and "工程师" not in html
    assert "待单位审核" in html and "2026-11-20 09:30" in html
    assert "职称评审申报" in html and "初级" in html


def test_another_persons_application_is_404_on_every_page(app, person):
    ids = catalog_ids(app)
    with app.app_context():
        other = make_person("lisi", "110105198001010016", "李四")
        application_id = make_application(other).id
    for url in (f"/applications/{application_id}", f"/applications/{application_id}/edit",
                f"/applications/{application_id}/timeline"):
        assert person.get(url).status_code == 404, url
    for url in (f"/applications/{application_id}/edit", f"/applications/{application_id}/submit",
                f"/applications/{application_id}/cancel"):
        assert person.post(url, data=dict(base_form(ids), version="1")).status_code == 404, url
    with app.app_context():
        assert db.session.get(Application, application_id).status == "draft"
        assert db.session.execute(select(func.count(ApplicationEvent.id))).scalar_one() == 0


def test_list_is_paged_and_statements_are_bounded(app, person):
    with app.app_context():
        user = app.appbuilder.sm.find_user(username="demo_person")
        for year in range(1996, 2026):  # one open application per business and year
            make_application(user, year=year)
    person.get("/applications/")
    with count_statements(app) as seen:
        html = person.get("/applications/").get_data(as_text=True)
    assert html.count('<tr data-id="') == 20 and "30" in html
    assert len(seen) <= 10, "\n".join(seen)  # 8, and the navbar's unread count and the periods of the days left
    with count_statements(app) as seen:
        html = person.get("/applications/?page=2").get_data(as_text=True)
    assert html.count('<tr data-id="') == 10
    assert len(seen) <= 10, "\n".join(seen)


def test_menu_shows_my_applications_and_new_application(app, person):
    html = person.get("/").get_data(as_text=True)
    assert 'href="/applications/"' in html and 'href="/applications/new"' in html
    assert "我的申报信息" in html and "新增申报信息" in html and "专业技术职称" in html
