"""P3: an empty or partly wrong base form (新增申报信息 / edit) shows every
field's error at once, each beside its own field; nothing is saved."""
from __future__ import annotations

import re

from sqlalchemy import func, select

from app.extensions import db
from app.models.applications import Application
from tests.integration.test_applications import agree, base_form, catalog_ids, create, own_applications, person  # noqa: F401

EMPTY = {name: "" for name in ("level_id", "series_id", "title_id", "specialty_id", "method_id",
                               "exceptional_case_id", "unit_id", "is_work_unit", "work_unit_name",
                               "agency_unit_name", "entrusted", "recommendation_rank", "work_started_on",
                               "professional_years", "committee_id", "title_obtained_year")}


def _errors(html: str) -> dict[str, str]:
    """{field: message} of the errors shown inside each field's own group."""
    found = {}
    for name, body in re.findall(r'<div class="form-group[^"]*" id="group-(\w+)"[^>]*>(.*?)</div>', html, re.S):
        match = re.search(rf'<span class="field-error" role="alert" id="error-{name}">([^<]+)</span>', body)
        if match:
            found[name] = match.group(1)
    return found


def test_empty_review_form_shows_every_required_fields_error(app, person):
    agree(person)
    response = person.post("/applications/new/review", data=EMPTY)
    assert response.status_code == 200
    errors = _errors(response.get_data(as_text=True))
    assert errors == {
        "level_id": "请选择申报级别",
        "series_id": "请选择申报系列",
        "title_id": "请选择申报职称",
        "specialty_id": "请选择现从事专业",
        "method_id": "请选择申报方式",
        "unit_id": "请选择申报单位",
        "recommendation_rank": "请按“n/m”格式填写（1 ≤ n ≤ m），如 3/5 或 1/1",
        "work_started_on": "请按 2015-07-01 的格式填写日期",
        "professional_years": "请填写 0 至 70 之间的整数年",
        "committee_id": "请选择评委会",
    }
    with app.app_context():
        assert db.session.execute(select(func.count(Application.id))).scalar() == 0


def test_several_wrong_fields_are_all_shown_and_right_ones_kept(app, person):
    ids = catalog_ids(app)
    agree(person)
    response = create(person, ids, recommendation_rank="6/5", work_started_on="2015-02-30",
                      is_work_unit="0", work_unit_name="", agency_unit_name="某人才中心")
    html = response.get_data(as_text=True)
    assert set(_errors(html)) == {"recommendation_rank", "work_started_on", "work_unit_name"}
    assert 'value="某人才中心"' in html  # what was typed stays
    assert own_applications(app) == []


def test_edit_shows_every_error_too(app, person):
    ids = catalog_ids(app)
    agree(person)
    assert create(person, ids).status_code == 302
    application = own_applications(app)[0]
    data = base_form(ids, recommendation_rank="", professional_years="abc", specialty_id="")
    data["version"] = str(application.version)
    response = person.post(f"/applications/{application.id}/edit", data=data)
    assert set(_errors(response.get_data(as_text=True))) == {"recommendation_rank", "professional_years",
                                                             "specialty_id"}
    assert own_applications(app)[0].recommendation_rank == "3/5"
