"""P10: the forms as preview and as PDF, rendered by the real wkhtmltopdf with the CJK font."""
from __future__ import annotations

import datetime as dt
import io
import stat
from urllib.parse import quote

import pytest
from pypdf import PdfReader

from app.daos.applications import unit_of
from app.extensions import db
from app.models.applications import Application, ApplicationSection, SectionEntry
from app.models.units import Unit
from tests.conftest import login
from tests.factories import make_application, make_person, make_unit_account

SUBMITTED = dt.datetime(2026, 11, 20, 1, 0, 0)


def _application(app, status="draft", person="wangwu", real_name="王五", id_number="11010519491231002X",
                 unit_id=None, **columns):
    with app.app_context():
        user = make_person(username=person, real_name=real_name, id_number=id_number)
        if status != "draft":
            columns.setdefault("submitted_at", SUBMITTED)
        unit = db.session.get(Unit, unit_id) if unit_id else None
        application = make_application(user, unit=unit, status=status, **columns)
        return application.id, application.title.name, application.unit_id


def _pdf_text(data: bytes) -> str:
    """The text of a PDF as extracted, not normalised: 文 must come out as 文."""
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def test_preview_shows_name_and_title_for_the_applicant(app, client):
    application_id, title, _unit = _application(app)
    with app.app_context():
        db.session.add(ApplicationSection(application_id=application_id, section="work_summary", status="filled",
                                          text="主持社区文化活动三十场"))
        db.session.add(SectionEntry(application_id=application_id, section="education", position=0,
                                    data={"kind": "全日制学历", "school": "山东大学", "major": "文化管理",
                                          "foreign": False}))
        db.session.commit()
    login(client, "wangwu")
    response = client.get(f"/applications/{application_id}/forms/review_form")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "王五" in page and title in page
    assert "11010519491231002X" in page  # the applicant sees the full ID number
    assert "山东大学" in page and "主持社区文化活动三十场" in page
    with app.test_request_context():
        from app.workflow.sections import SECTIONS

        school = str(SECTIONS["education"].field("school").label)
    assert f"<th>{school}</th>" in page  # entries print under the field labels of the section
    assert "评审表" in page and "评审简表" in page
    assert 'id="pdf-refusal"' in page and 'id="pdf-download"' not in page
    assert client.get(f"/applications/{application_id}/forms/review_brief").status_code == 200


def test_pdf_is_refused_while_draft(app, client):
    application_id, _title, _unit = _application(app)
    login(client, "wangwu")
    response = client.get(f"/applications/{application_id}/forms/review_form.pdf")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/applications/{application_id}/forms/review_form")
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "提交" in page  # the flash says the PDF comes after submission


def test_pdf_after_submission_has_the_cjk_text(app, client):
    application_id, title, _unit = _application(app, status="pending_unit")
    login(client, "wangwu")
    page = client.get(f"/applications/{application_id}/forms/review_form").get_data(as_text=True)
    assert 'id="pdf-download"' in page
    response = client.get(f"/applications/{application_id}/forms/review_form.pdf")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert response.data.startswith(b"%PDF")
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert f"filename*=UTF-8''{quote('王五-评审表.pdf')}" in disposition
    text = _pdf_text(response.data)
    assert "王五" in text and title in text  # the CJK font is embedded
    brief = client.get(f"/applications/{application_id}/forms/review_brief.pdf")
    assert brief.status_code == 200 and "王五" in _pdf_text(brief.data)
    assert quote("王五-评审简表.pdf") in brief.headers["Content-Disposition"]


def test_another_applicant_gets_404(app, client):
    application_id, _title, _unit = _application(app, status="pending_unit")
    with app.app_context():
        make_person(username="lisi", real_name="李四", id_number="110105198001010032")
    login(client, "lisi")
    assert client.get(f"/applications/{application_id}/forms/review_form").status_code == 404
    assert client.get(f"/applications/{application_id}/forms/review_form.pdf").status_code == 404


def test_units_see_their_own_applications_only(app, client):
    with app.app_context():
        make_unit_account("unit_jinan", name="济南市测试单位", region_code="370102")
        own = make_unit_account("unit_own", name="威海市环翠区文化馆")
        own_unit = unit_of(own)
        own_unit.has_permission = True
        db.session.commit()
        own_unit_id = own_unit.id
    application_id, _title, _unit = _application(app, status="pending_unit", unit_id=own_unit_id,
                                                  current_unit_id=own_unit_id)
    login(client, "unit_jinan")
    assert client.get(f"/applications/{application_id}/forms/review_form").status_code == 404
    assert client.get(f"/applications/{application_id}/forms/review_form.pdf").status_code == 404
    client.post("/logout/")
    login(client, "unit_own")
    page = client.get(f"/applications/{application_id}/forms/review_form").get_data(as_text=True)
    # only the holder sees the full ID number (docs/security.md, row access); the unit a masked one
    assert "11010519491231002X" not in page and "110105********002X" in page
    response = client.get(f"/applications/{application_id}/forms/review_form.pdf")
    assert response.status_code == 200 and response.data.startswith(b"%PDF")
    text = _pdf_text(response.data)
    assert "11010519491231002X" not in text and "110105********002X" in text


def test_bureau_preview_masks_the_id_number(app, client, demo):
    application_id, _title, _unit = _application(app, status="pending_unit")
    login(client, "demo_bureau")
    page = client.get(f"/applications/{application_id}/forms/review_form").get_data(as_text=True)
    assert "王五" in page
    assert "11010519491231002X" not in page and "110105********002X" in page


def test_kind_must_match_the_business(app, client):
    application_id, _title, _unit = _application(app, status="pending_unit")
    login(client, "wangwu")
    for kind in ("recognition_form", "transfer_form", "nothing"):
        assert client.get(f"/applications/{application_id}/forms/{kind}").status_code == 404
        assert client.get(f"/applications/{application_id}/forms/{kind}.pdf").status_code == 404


@pytest.mark.parametrize("business,kind,label", [("transfer", "transfer_form", "转入表")])
def test_applicant_downloads_the_transfer_form_after_final_review(app, client, business, kind, label):
    application_id, title, _unit = _application(app, status="pending_unit", business=business,
                                                title_obtained_year=2019)
    login(client, "wangwu")
    assert client.get(f"/applications/{application_id}/forms/{kind}").status_code == 200
    assert client.get(f"/applications/{application_id}/forms/review_form").status_code == 404
    assert client.get(f"/applications/{application_id}/forms/{kind}.pdf").status_code == 302
    with app.app_context():
        db.session.get(Application, application_id).status = "final_passed"
        db.session.commit()
    response = client.get(f"/applications/{application_id}/forms/{kind}.pdf")
    assert response.status_code == 200
    assert quote(f"王五-{label}.pdf") in response.headers["Content-Disposition"]
    text = _pdf_text(response.data)
    assert "王五" in text and title in text


def test_user_data_stays_text(app, client):
    evil = "<script>alert(1)</script>"
    application_id, _title, _unit = _application(app, status="pending_unit", real_name=evil)
    with app.app_context():
        db.session.add(ApplicationSection(application_id=application_id, section="work_summary", status="filled",
                                          text='<img src="http://example.invalid/x.png">'))
        db.session.commit()
    login(client, "wangwu")
    page = client.get(f"/applications/{application_id}/forms/review_form").get_data(as_text=True)
    assert evil not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert '<img src="http://example.invalid' not in page
    response = client.get(f"/applications/{application_id}/forms/review_form.pdf")
    assert response.status_code == 200
    assert "<script>alert(1)</script>" in _pdf_text(response.data)  # printed as text, never run


def test_a_failing_renderer_gives_a_clear_page(app, client, tmp_path):
    application_id, _title, _unit = _application(app, status="pending_unit")
    login(client, "wangwu")
    app.config["WKHTMLTOPDF_PATH"] = str(tmp_path / "missing-wkhtmltopdf")
    response = client.get(f"/applications/{application_id}/forms/review_form.pdf")
    assert response.status_code == 503
    assert "PDF" in response.get_data(as_text=True) and "生成" in response.get_data(as_text=True)

    slow = tmp_path / "slow-wkhtmltopdf"
    slow.write_text("#!/bin/sh\nexec sleep 5\n")
    slow.chmod(slow.stat().st_mode | stat.S_IEXEC)
    app.config["WKHTMLTOPDF_PATH"] = str(slow)
    app.config["PDF_TIMEOUT_SECONDS"] = 0.5
    response = client.get(f"/applications/{application_id}/forms/review_form.pdf")
    assert response.status_code == 503

    app.config.update(WKHTMLTOPDF_PATH="/usr/bin/wkhtmltopdf", PDF_MAX_CONCURRENT=0)  # every slot taken
    assert client.get(f"/applications/{application_id}/forms/review_form.pdf").status_code == 503


def test_anonymous_visitors_are_sent_to_login(app, client):
    application_id, _title, _unit = _application(app, status="pending_unit")
    response = client.get(f"/applications/{application_id}/forms/review_form.pdf")
    assert response.status_code == 302 and "/login/" in response.headers["Location"]


def test_brief_form_shows_only_its_sections(app, client):
    application_id, _title, _unit = _application(app)
    with app.app_context():
        for section, data in (("education", {"school": "山东大学"}), ("work_experience", {"unit": "某某文化馆"})):
            db.session.add(SectionEntry(application_id=application_id, section=section, position=0, data=data))
        db.session.commit()
    login(client, "wangwu")
    full = client.get(f"/applications/{application_id}/forms/review_form").get_data(as_text=True)
    brief = client.get(f"/applications/{application_id}/forms/review_brief").get_data(as_text=True)
    assert "某某文化馆" in full and "山东大学" in full
    assert "某某文化馆" not in brief and "山东大学" in brief


def test_transfer_form_shows_the_year_the_title_was_obtained(app, client):
    application_id, _title, _unit = _application(app, status="pending_unit", business="transfer",
                                                title_obtained_year=2017)
    login(client, "wangwu")
    page = client.get(f"/applications/{application_id}/forms/transfer_form").get_data(as_text=True)
    assert "职称获得年度" in page and "2017" in page and "转入表" in page
