"""P10: work history, assessments, achievements and education print by date in every form and on
the review page, whatever order they were entered in; an open-ended job prints 至今."""
from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models.applications import SectionEntry
from app.models.units import Unit
from tests.conftest import login
from tests.factories import make_application, make_person

# (section, data) in the order the applicant typed them
ENTRIES = [
    ("work_experience", {"started_on": "2015-07-01", "ended_on": "2018-06-30", "unit": "乙馆-辅导部-助理馆员",
                         "post": "助理馆员"}),
    ("work_experience", {"started_on": "2018-07-01", "ended_on": "", "unit": "丙馆-活动部-馆员", "post": "馆员"}),
    ("work_experience", {"started_on": "2011-07-01", "ended_on": "2015-06-30", "unit": "甲馆-文艺部-干事",
                         "post": "干事"}),
    ("assessment", {"year": 2021, "post": "馆员", "result": "优秀", "assessor": "考核单位二零二一"}),
    ("assessment", {"year": 2019, "post": "馆员", "result": "合格", "assessor": "考核单位二零一九"}),
    ("assessment", {"year": 2020, "post": "馆员", "result": "合格", "assessor": "考核单位二零二零"}),
    ("achievements", {"name": "成果二零一九", "category": "论文/著作", "date": "2019-05-01", "rank": "1/1"}),
    ("achievements", {"name": "成果二零二三", "category": "获奖", "date": "2023-05-01", "rank": "1/2"}),
    ("achievements", {"name": "成果二零二一", "category": "课题", "date": "2021-05-01", "rank": "2/3"}),
    ("education", {"kind": "全日制学历", "education": "硕士研究生", "degree": "硕士", "school": "研究生院校",
                   "major": "文化管理", "graduated_on": "2014-06-30", "schooling": "3年", "foreign": False}),
    ("education", {"kind": "全日制学历", "education": "大学本科", "degree": "学士", "school": "本科院校",
                   "major": "音乐学", "graduated_on": "2011-06-30", "schooling": "4年", "foreign": False}),
]
WORK = ["甲馆-文艺部-干事", "乙馆-辅导部-助理馆员", "丙馆-活动部-馆员"]  # oldest first
ASSESSMENTS = ["考核单位二零一九", "考核单位二零二零", "考核单位二零二一"]  # oldest first
ACHIEVEMENTS = ["成果二零二三", "成果二零二一", "成果二零一九"]  # newest first
EDUCATION = ["本科院校", "研究生院校"]  # oldest first


@pytest.fixture
def application_id(app):
    with app.app_context():
        user = make_person(username="wangwu", real_name="王五", id_number="11010519491231002X")
        application = make_application(user, status="pending_unit", submitted_at=dt.datetime(2026, 11, 20, 1))
        for position, (section, data) in enumerate(ENTRIES, start=1):
            db.session.add(SectionEntry(application_id=application.id, section=section, position=position,
                                        data=data))
        db.session.commit()
        return application.id


def _in_order(page: str, names: list[str]) -> None:
    positions = [page.index(name) for name in names]
    assert positions == sorted(positions), list(zip(names, positions))


def _open_job_ends_until_now(page: str) -> None:
    row = page[page.index("丙馆-活动部-馆员") - 400:page.index("丙馆-活动部-馆员")]
    assert "至今" in row.rsplit("<tr", 1)[-1]
    earlier = page[page.index("甲馆-文艺部-干事") - 400:page.index("甲馆-文艺部-干事")].rsplit("<tr", 1)[-1]
    assert "至今" not in earlier and "2015-06-30" in page


def test_the_review_form_prints_by_date(app, client, application_id):
    login(client, "wangwu")
    page = client.get(f"/applications/{application_id}/forms/review_form").get_data(as_text=True)
    for names in (WORK, ASSESSMENTS, ACHIEVEMENTS, EDUCATION):
        _in_order(page, names)
    _open_job_ends_until_now(page)


def test_the_brief_form_prints_by_date(app, client, application_id):
    login(client, "wangwu")
    page = client.get(f"/applications/{application_id}/forms/review_brief").get_data(as_text=True)
    for names in (ASSESSMENTS, ACHIEVEMENTS, EDUCATION):
        _in_order(page, names)


def test_the_pdf_prints_by_date(app, client, application_id):
    import io

    from pypdf import PdfReader

    login(client, "wangwu")
    response = client.get(f"/applications/{application_id}/forms/review_form.pdf")
    assert response.status_code == 200
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(response.data)).pages).replace("\n", "")
    for names in (WORK, ASSESSMENTS, ACHIEVEMENTS):
        _in_order(text, names)
    assert "至今" in text


def test_the_review_page_prints_by_date(app, client, application_id):
    with app.app_context():
        from app.models.applications import Application
        from tests.factories import make_unit_account

        unit_user = make_unit_account("unit_holder", name="威海市环翠区文化馆二")
        unit = db.session.execute(select(Unit).where(Unit.user_id == unit_user.id)).scalar_one()
        unit.has_permission = True
        db.session.get(Application, application_id).current_unit_id = unit.id
        db.session.commit()
    login(client, "unit_holder")
    response = client.get(f"/review/{application_id}")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    for names in (WORK, ASSESSMENTS, ACHIEVEMENTS, EDUCATION):
        _in_order(page, names)
    _open_job_ends_until_now(page)
