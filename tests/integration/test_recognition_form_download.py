"""Issue item 9 (seed 001: 确定申报后可在【我的申报信息】页面中点击【认定表预览】下载职称认定表): the applicant
downloads the 认定表 once submitted; until 终审通过 the form says, on the page and in the PDF, that it is not
final."""
from __future__ import annotations

import datetime as dt
import io

from pypdf import PdfReader

from app.extensions import db
from app.models.applications import Application
from tests.conftest import login
from tests.factories import make_application, make_person

NOT_FINAL = "非最终版本"


def _recognition(app, status):
    with app.app_context():
        user = make_person(username="zhaoliu", real_name="赵六", id_number="11010519491231002X")
        columns = {"submitted_at": dt.datetime(2026, 11, 20, 1)} if status != "draft" else {}
        return make_application(user, business="recognition", status=status, **columns).id


def _pdf_text(data: bytes) -> str:
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def test_applicant_downloads_the_recognition_form_once_submitted_marked_not_final(app, client):
    application_id = _recognition(app, "pending_unit")
    login(client, "zhaoliu")
    page = client.get(f"/applications/{application_id}/forms/recognition_form").get_data(as_text=True)
    assert 'id="pdf-download"' in page and 'id="pdf-refusal"' not in page
    assert 'id="form-provisional"' in page and NOT_FINAL in page and "待单位审核" in page
    response = client.get(f"/applications/{application_id}/forms/recognition_form.pdf")
    assert response.status_code == 200 and response.data.startswith(b"%PDF")
    text = _pdf_text(response.data)
    assert "赵六" in text and NOT_FINAL in text


def test_the_final_recognition_form_has_no_mark(app, client):
    application_id = _recognition(app, "pending_unit")
    with app.app_context():
        db.session.get(Application, application_id).status = "final_passed"
        db.session.commit()
    login(client, "zhaoliu")
    page = client.get(f"/applications/{application_id}/forms/recognition_form").get_data(as_text=True)
    assert 'id="form-provisional"' not in page and NOT_FINAL not in page
    response = client.get(f"/applications/{application_id}/forms/recognition_form.pdf")
    assert response.status_code == 200 and NOT_FINAL not in _pdf_text(response.data)


def test_a_draft_recognition_form_is_still_preview_only(app, client):
    application_id = _recognition(app, "draft")
    login(client, "zhaoliu")
    response = client.get(f"/applications/{application_id}/forms/recognition_form.pdf")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/applications/{application_id}/forms/recognition_form")
    page = client.get(f"/applications/{application_id}/forms/recognition_form").get_data(as_text=True)
    assert 'id="pdf-refusal"' in page and 'id="form-provisional"' in page


def test_the_review_form_is_never_marked(app, client):
    with app.app_context():
        user = make_person(username="zhaoliu", real_name="赵六", id_number="11010519491231002X")
        application_id = make_application(user, status="pending_unit", submitted_at=dt.datetime(2026, 11, 20, 1)).id
    login(client, "zhaoliu")
    page = client.get(f"/applications/{application_id}/forms/review_form").get_data(as_text=True)
    assert 'id="form-provisional"' not in page
