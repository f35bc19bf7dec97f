"""职称初定 (seed 004 ch. 2): 所属行政区划, 工作单位性质, 行政主管部门 and 报送受理部门 (chosen by
region and series) on the base form, each checked at its field; the printable 申报表 (two copies); and
“未查到相关的评委会 / 受理部门” instead of an empty select."""
from __future__ import annotations

import datetime as dt
import io

import pytest
from pypdf import PdfReader
from sqlalchemy import select, update

from app.extensions import db
from app.models.applications import Application
from app.models.catalog import CommitteePeriod, Region, TitleSeries
from app.models.offices import AcceptingOffice
from tests.integration.test_applications import agree, base_form, catalog_ids, own_applications


@pytest.fixture
def person(app, clock, login_as):
    client = login_as("demo_person")
    assert agree(client, "initial").status_code == 302
    return client


def _ids(app) -> dict:
    ids = catalog_ids(app)
    with app.app_context():
        one = lambda q: db.session.execute(q).scalar_one()  # noqa: E731
        ids["huancui"] = one(select(Region.id).filter_by(code="371002"))
        ids["weihai"] = one(select(Region.id).filter_by(code="371000"))
        ids["shandong"] = one(select(Region.id).filter_by(code="370000"))
        ids["lixia"] = one(select(Region.id).filter_by(code="370102"))
        ids["district_office"] = one(select(AcceptingOffice.id).filter_by(name="威海市环翠区人力资源和社会保障局"))
        ids["culture_office"] = one(select(AcceptingOffice.id).filter_by(name="威海市文化和旅游局"))
        ids["engineering"] = one(select(TitleSeries.id).filter_by(name="工程"))
    return ids


def _initial_form(ids, **overrides) -> dict:
    data = dict(region_id=ids["huancui"], work_unit_nature="事业单位", competent_department="威海市文化和旅游局",
                accepting_office_id=ids["culture_office"], committee_id="")
    data.update(overrides)
    return base_form(ids, **data)


def _create(client, ids, **overrides):
    return client.post("/applications/new/initial", data=_initial_form(ids, **overrides))


def test_an_initial_application_keeps_the_four_fields(app, person):
    ids = _ids(app)
    response = _create(person, ids)
    assert response.status_code == 302, response.get_data(as_text=True)
    (application,) = own_applications(app)
    assert application.business == "initial" and application.region_id == ids["huancui"]
    assert application.work_unit_nature == "事业单位" and application.competent_department == "威海市文化和旅游局"
    assert application.accepting_office_id == ids["culture_office"] and application.committee_id is None
    show = person.get(f"/applications/{application.id}").get_data(as_text=True)
    assert "所属行政区划" in show and "环翠区" in show and "报送受理部门" in show and "威海市文化和旅游局" in show
    edit = person.get(f"/applications/{application.id}/edit").get_data(as_text=True)
    assert 'name="region_id" value="%d"' % ids["huancui"] in edit
    assert f'<option value="{ids["culture_office"]}" selected>' in edit


@pytest.mark.parametrize("field,value,message", [
    ("region_id", "", "请选择工作单位所属行政区划"),
    ("region_id", "shandong", "请选择到市或区县"),
    ("work_unit_nature", "", "请选择工作单位性质"),
    ("work_unit_nature", "国企", "请选择工作单位性质"),
    ("competent_department", "", "没有请填“无”"),
    ("competent_department", "部" * 129, "128"),
    ("accepting_office_id", "", "请选择报送受理部门"),
    ("accepting_office_id", "office_elsewhere", "该受理部门不受理"),
    ("accepting_office_id", "abc", "该受理部门不受理"),
])
def test_each_field_is_checked_next_to_it(app, person, field, value, message):
    ids = _ids(app)
    if value == "shandong":
        value = ids["shandong"]
    if value == "office_elsewhere":  # an office of 历下区 does not serve 环翠区
        with app.app_context():
            office = AcceptingOffice(name="济南市历下区人力资源和社会保障局", region_id=ids["lixia"])
            db.session.add(office)
            db.session.commit()
            value = office.id
    response = _create(person, ids, **{field: value})
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    error = page.split(f'id="error-{field}"', 1)
    assert len(error) == 2 and message in error[1].split("</span>", 1)[0]
    assert own_applications(app) == []
    # what was typed is still in the form
    assert 'value="威海市文化和旅游局"' in page or field == "competent_department"


def test_the_offices_follow_region_and_series(app, person):
    ids = _ids(app)
    rows = person.get(f"/pickers/offices?region={ids['huancui']}&series={ids['series']}").get_json()
    names = {row["name"] for row in rows}
    assert names == {"威海市环翠区人力资源和社会保障局", "威海市人力资源和社会保障局", "威海市文化和旅游局"}
    rows = person.get(f"/pickers/offices?region={ids['huancui']}&series={ids['engineering']}").get_json()
    assert {row["name"] for row in rows} == {"威海市环翠区人力资源和社会保障局", "威海市人力资源和社会保障局"}
    assert person.get(f"/pickers/offices?region={ids['lixia']}&series={ids['series']}").get_json() == []
    assert person.get("/pickers/offices?region=&series=").get_json() == []
    # the culture bureau does not take engineering
    response = _create(person, ids, accepting_office_id=ids["culture_office"], series_id=ids["engineering"])
    assert response.status_code == 200 and own_applications(app) == []


def test_no_office_says_so_instead_of_an_empty_select(app, person):
    ids = _ids(app)
    response = _create(person, ids, region_id=ids["lixia"], accepting_office_id="")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    none = page.split('id="accepting_office_id-none"', 1)[1].split("</p>", 1)[0]
    assert "未查到相关的受理部门" in none and "display:none" not in none
    assert "未查到相关的受理部门" in page.split('id="error-accepting_office_id"', 1)[1].split("</span>", 1)[0]
    # with offices to choose from the message stays hidden
    page = _create(person, ids, competent_department="").get_data(as_text=True)
    assert "display:none" in page.split('id="accepting_office_id-none"', 1)[1].split(">", 1)[0]


def test_no_committee_says_so_instead_of_an_empty_select(app, login_as, clock):
    client = login_as("demo_person")
    agree(client, "review")
    ids = catalog_ids(app)
    with app.app_context():  # every period of this year closed
        db.session.execute(update(CommitteePeriod).values(ends_on=dt.date(2026, 1, 31)))
        db.session.commit()
    response = client.post("/applications/new/review", data=base_form(ids, committee_id=""))
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    none = page.split('id="committee_id-none"', 1)[1].split("</p>", 1)[0]
    assert "未查到相关的评委会" in none and "display:none" not in none
    assert "未查到相关的评委会" in page.split('id="error-committee_id"', 1)[1].split("</span>", 1)[0]


def test_the_application_form_prints_the_four_fields_in_two_copies(app, person):
    ids = _ids(app)
    assert _create(person, ids).status_code == 302
    (application,) = own_applications(app)
    page = person.get(f"/applications/{application.id}/forms/initial_form").get_data(as_text=True)
    assert "专业技术资格初定申报表" in page and "一式两份" in page
    for text in ("所属行政区划", "山东省威海市环翠区", "工作单位性质", "事业单位", "行政主管部门", "报送受理部门",
                 "威海市文化和旅游局", "受理部门意见"):
        assert text in page, text
    assert 'id="pdf-refusal"' in page  # a draft: preview only
    with app.app_context():
        row = db.session.get(Application, application.id)
        row.status, row.submitted_at = "pending_unit", dt.datetime(2026, 11, 22, 2)
        db.session.commit()
    response = person.get(f"/applications/{application.id}/forms/initial_form.pdf")
    assert response.status_code == 200 and response.data.startswith(b"%PDF")
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(response.data)).pages)
    assert "专业技术资格初定申报表" in text and "威海市文化和旅游局" in text and "一式两份" in text
    assert person.get(f"/applications/{application.id}/forms/review_form").status_code == 404
