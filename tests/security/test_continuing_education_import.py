"""POST /applications/<id>/sections/continuing_education/import (new route): only the applicant's own
application, only while the section is editable, within the size limit; a refusal adds nothing."""
from __future__ import annotations

import io

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models.applications import SectionEntry
from tests.conftest import login
from tests.factories import make_application, make_person, make_unit_account

CSV = "年度,课程名称,学时\n2024,公需科目,30\n".encode("utf-8")


@pytest.fixture
def applications(app, clock):
    with app.app_context():
        mine = make_application(make_person()).id
        other = make_person(username="lisi", id_number="110105198001010032", real_name="李四")
        theirs = make_application(other).id
        submitted = make_application(make_person(username="zhaoliu", id_number="110105198001010016",
                                                 real_name="赵六"), status="pending_unit").id
        make_unit_account("unit1")
        return mine, theirs, submitted


def _count() -> int:
    return db.session.execute(select(func.count(SectionEntry.id))).scalar()


def _post(client, application_id, content=CSV):
    return client.post(f"/applications/{application_id}/sections/continuing_education/import",
                       data={"version": "1", "file": (io.BytesIO(content), "ce.csv")},
                       content_type="multipart/form-data")


def test_another_applicants_application_is_a_404(app, client, applications):
    mine, theirs, _submitted = applications
    login(client, "wangwu")
    assert _post(client, theirs).status_code == 404
    with app.app_context():
        assert _count() == 0


def test_a_unit_cannot_import_into_an_application(app, client, applications):
    mine, _theirs, _submitted = applications
    login(client, "unit1")
    assert _post(client, mine).status_code == 403
    with app.app_context():
        assert _count() == 0


def test_a_submitted_application_refuses_the_import(app, client, applications):
    _mine, _theirs, submitted = applications
    login(client, "zhaoliu")
    response = _post(client, submitted)
    assert response.status_code == 200 and "不能再修改" in response.get_data(as_text=True)
    with app.app_context():
        assert _count() == 0


@pytest.mark.parametrize("rows", [300, 20000])  # over the limit; and over it by more than the form's slack
def test_an_oversized_file_is_refused(app, client, applications, rows):
    mine, _theirs, _submitted = applications
    app.config["CONTINUING_EDUCATION_IMPORT_MAX_BYTES"] = 2048
    login(client, "wangwu")
    response = _post(client, mine, CSV + b"2024,x,1\n" * rows)
    if response.status_code == 302:  # refused from the Content-Length, before the body is read
        response = client.get(response.headers["Location"])
    assert response.status_code == 200 and "文件超过2 KB" in response.get_data(as_text=True)
    with app.app_context():
        assert _count() == 0
