"""P5: uploads checked by their first bytes, size limit, random names outside the web root,
nothing left behind by a failed upload, downloads only for those who may see the application."""
from __future__ import annotations

import io
import os
import re

import pytest
from sqlalchemy import select

from app.commands.applications.attachments import UploadAttachmentCommand
from app.commands.errors import NotAllowed
from app.extensions import db
from app.models.applications import Application, Attachment
from app.models.units import Unit
from tests.conftest import login
from tests.factories import make_application, make_backend, make_person, make_unit_account

JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 200
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 200
GIF = b"GIF89a" + b"\x00" * 200
PDF = b"%PDF-1.4\n" + b"1 0 obj\n" * 20
EXE = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 200
HTML = b"<html><script>alert(1)</script></html>"
LIMIT = 5 * 1024 * 1024


@pytest.fixture
def world(app, clock):
    """王五's draft at unit1 (环翠区), plus other accounts."""
    with app.app_context():
        person = make_person()
        make_person(username="lisi", id_number="110105198001010032", real_name="李四")
        unit_user = make_unit_account("unit1")
        unit = db.session.execute(select(Unit).where(Unit.user_id == unit_user.id)).scalar_one()
        unit.has_permission = True
        make_unit_account("unit2", name="济南市测试单位", region_code="370102")
        make_backend("bureau_wh", "Bureau", region_code="371000")
        make_backend("bureau_jn", "Bureau", region_code="370100")
        application = make_application(person, unit=unit)
        from app.models.catalog import Committee

        other = db.session.execute(select(Committee).where(Committee.id != application.committee_id)).scalars().first()
        make_backend("committee_own", "Committee", committee=application.committee)
        make_backend("committee_other", "Committee", committee=other)
        return application.id


def _client(app, username="wangwu"):
    client = app.test_client()
    assert login(client, username).status_code == 302
    return client


def _upload(client, application_id, content, name, code="other_attachments", version="1", entry_id=None,
            follow=False):
    data = {"file": (io.BytesIO(content), name), "version": version}
    if entry_id:
        data["entry_id"] = str(entry_id)
    return client.post(f"/applications/{application_id}/sections/{code}/attachments", data=data,
                       content_type="multipart/form-data", follow_redirects=follow)


def _rows(app):
    with app.app_context():
        return db.session.execute(select(Attachment).order_by(Attachment.id)).scalars().all()


def _files(app):
    folder = app.config["ATTACHMENT_DIR"]
    return sorted(os.listdir(folder)) if os.path.isdir(folder) else []


@pytest.mark.parametrize("content,name,ctype", [(JPEG, "毕业证.jpg", "image/jpeg"), (PNG, "a.png", "image/png"),
                                                (GIF, "a.gif", "image/gif"), (PDF, "备案表.pdf", "application/pdf")])
def test_allowed_types_are_stored(app, world, content, name, ctype):
    client = _client(app)
    response = _upload(client, world, content, name, follow=True)
    assert "上传成功" in response.get_data(as_text=True)
    (row,) = _rows(app)
    assert row.content_type == ctype and row.original_name == name and row.size == len(content)


@pytest.mark.parametrize("content,name", [(HTML, "photo.jpg"), (EXE, "report.pdf"), (PNG[:4], "x.png"),
                                          (b"", "empty.pdf")])
def test_wrong_magic_bytes_refused(app, world, content, name):
    before = _files(app)
    response = _upload(_client(app), world, content, name, follow=True)
    page = response.get_data(as_text=True)
    assert "上传成功" not in page and ("格式" in page or "空" in page)
    assert _rows(app) == [] and _files(app) == before


def test_extension_not_allowed_even_with_good_content(app, world):
    response = _upload(_client(app), world, PDF, "scan.exe", follow=True)
    assert "只支持上传" in response.get_data(as_text=True)
    assert _rows(app) == []


def test_size_limit_exact_bytes(app, world):
    client = _client(app)
    ok = JPEG + b"\x00" * (LIMIT - len(JPEG))
    assert len(ok) == 5_242_880
    _upload(client, world, ok, "ok.jpg")
    assert len(_rows(app)) == 1 and _rows(app)[0].size == 5_242_880
    before = _files(app)
    response = _upload(client, world, ok + b"\x00", "big.jpg", version="2", follow=True)
    assert "文件大小超过5MB" in response.get_data(as_text=True)
    assert len(_rows(app)) == 1 and _files(app) == before


def test_much_too_large_request_gets_a_clear_message(app, world):
    before = _files(app)
    response = _upload(_client(app), world, JPEG + b"\x00" * (LIMIT * 2), "huge.jpg", follow=True)
    assert response.status_code == 200 and "文件大小超过5MB" in response.get_data(as_text=True)
    assert _rows(app) == [] and _files(app) == before


def test_stored_outside_the_web_root_with_a_random_name(app, world):
    _upload(_client(app), world, PDF, "../../etc/备案表.pdf")
    (row,) = _rows(app)
    assert re.fullmatch(r"[0-9a-f]{32}\.pdf", row.stored_name)
    assert row.original_name == "备案表.pdf"
    path = os.path.realpath(os.path.join(app.config["ATTACHMENT_DIR"], row.stored_name))
    assert os.path.isfile(path)
    assert not path.startswith(os.path.realpath(app.static_folder))
    assert not any(name.endswith(".part") for name in _files(app))


def test_failed_upload_leaves_no_file_and_no_row(app, world, monkeypatch):
    from app.commands.applications import sections as section_commands

    def broken(*args, **kwargs):
        raise RuntimeError("database down")

    before = _files(app)
    with app.app_context():
        user = app.appbuilder.sm.find_user(username="wangwu")
        monkeypatch.setattr(section_commands.audit, "record", broken)
        with pytest.raises(RuntimeError):
            UploadAttachmentCommand(user, world, "other_attachments", io.BytesIO(JPEG), "a.jpg", version=1).run()
        monkeypatch.undo()
        with pytest.raises(NotAllowed):  # an entry of nobody's: refused before anything is written
            UploadAttachmentCommand(user, world, "education", io.BytesIO(JPEG), "a.jpg", entry_id=999999).run()
    assert _rows(app) == [] and _files(app) == before


def test_upload_to_an_entry_and_stale_version(app, world):
    from app.commands.applications.sections import SaveEntryCommand

    with app.app_context():
        user = app.appbuilder.sm.find_user(username="wangwu")
        entry = SaveEntryCommand(user, world, "work_experience", {
            "started_on": "2015-07-01", "ended_on": "", "unit": "单位-部门-助理馆员", "professional_work": "群众文化辅导",
            "post": "无"}).run()
        entry_id = entry.id
    client = _client(app)
    response = _upload(client, world, JPEG, "证明.jpg", code="work_experience", version="1", follow=True)
    assert "其他页面修改" in response.get_data(as_text=True)  # the entry save moved the version to 2
    _upload(client, world, JPEG, "证明.jpg", code="work_experience", version="2", entry_id=entry_id)
    (row,) = _rows(app)
    assert row.entry_id == entry_id and row.section == "work_experience"


def _stored(app, world):
    _upload(_client(app), world, PDF, "职称 公示\x07报告.pdf")
    (row,) = _rows(app)
    return row


def test_download_headers(app, world):
    row = _stored(app, world)
    response = _client(app).get(f"/attachments/{row.id}")
    assert response.status_code == 200 and response.data == PDF
    assert response.headers["Content-Type"] == "application/pdf"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith("attachment;") and "filename*=UTF-8''" in disposition
    assert "%E5%85%AC%E7%A4%BA_%E6%8A%A5%E5%91%8A.pdf" in disposition  # 公示_报告: control char replaced
    assert "\x07" not in disposition and "\n" not in disposition


@pytest.mark.parametrize("username,allowed", [
    ("lisi", False), ("unit1", True), ("unit2", False), ("bureau_wh", True), ("bureau_jn", False),
    ("committee_own", True), ("committee_other", False)])
def test_download_only_for_those_who_see_the_application(app, world, username, allowed):
    row = _stored(app, world)
    with app.app_context():  # submitted to unit1 and reported to the committee: a draft is the applicant's alone
        from app.services import steps

        application = db.session.get(Application, world)
        application.status, application.current_unit_id = "pending_committee", application.unit_id
        steps.arrive(application, application.unit_id)
        db.session.commit()
    response = _client(app, username).get(f"/attachments/{row.id}")
    assert response.status_code == (200 if allowed else 404)


def test_download_anonymous_goes_to_login(app, world):
    row = _stored(app, world)
    response = app.test_client().get(f"/attachments/{row.id}")
    assert response.status_code == 302 and "/login/" in response.headers["Location"]


def test_delete_attachment_owner_and_editable_only(app, world):
    row = _stored(app, world)
    path = os.path.join(app.config["ATTACHMENT_DIR"], row.stored_name)
    other = _client(app, "lisi").post(f"/applications/{world}/attachments/{row.id}/delete", data={"version": "2"})
    assert other.status_code == 404 and os.path.exists(path)
    with app.app_context():
        db.session.get(Application, world).status = "pending_unit"
        db.session.commit()
    client = _client(app)
    response = client.post(f"/applications/{world}/attachments/{row.id}/delete", data={"version": "2"},
                           follow_redirects=True)
    assert "不能再修改" in response.get_data(as_text=True) and os.path.exists(path)
    with app.app_context():
        db.session.get(Application, world).status = "draft"
        db.session.commit()
    response = client.post(f"/applications/{world}/attachments/{row.id}/delete", data={"version": "2"},
                           follow_redirects=True)
    assert "已删除" in response.get_data(as_text=True)
    assert _rows(app) == [] and not os.path.exists(path)


def test_upload_refused_after_submission(app, world):
    with app.app_context():
        db.session.get(Application, world).status = "pending_unit"
        db.session.commit()
    before = _files(app)
    response = _upload(_client(app), world, JPEG, "a.jpg", follow=True)
    assert "不能再修改" in response.get_data(as_text=True)
    assert _rows(app) == [] and _files(app) == before


def test_upload_to_someone_elses_application_is_404(app, world):
    response = _upload(_client(app, "lisi"), world, JPEG, "a.jpg")
    assert response.status_code == 404 and _rows(app) == []
