"""P4–P6, P9: the section pages — add, change and delete entries, the text section, field errors
that keep what was typed, two tabs saving the same section, and after a return only the sections marked
不通过 accept saves (also a forged POST)."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from app.commands.review.return_ import ReturnCommand
from app.extensions import db
from app.models.applications import Application, ApplicationSection
from app.models.units import Unit
from app.workflow import sections
from tests.conftest import login
from tests.factories import make_application, make_person, make_unit_account

EDU = {"kind": "全日制学历", "education": "大学本科", "degree": "学士", "school": "山东大学", "major": "音乐学",
       "graduated_on": "2010-07-01", "schooling": "4年", "chsi_code": "A1B2C3D4E5F6G7H8"}
JOB = {"started_on": "2015-07-01", "ended_on": "", "unit": "威海市群众艺术馆-创作部-助理馆员",
       "professional_work": "群众文化辅导", "post": "无"}


@pytest.fixture
def world(app, clock):
    with app.app_context():
        person = make_person()
        make_person(username="lisi", id_number="110105198001010032", real_name="李四")
        unit_user = make_unit_account("unit1")
        unit = db.session.execute(select(Unit).where(Unit.user_id == unit_user.id)).scalar_one()
        unit.has_permission = True
        return make_application(person, unit=unit).id


@pytest.fixture
def client(app, world):
    client = app.test_client()
    assert login(client, "wangwu").status_code == 302
    return client


def _url(application_id, code, tail=""):
    return f"/applications/{application_id}/sections/{code}{tail}"


def _entries(app, application_id, code):
    with app.app_context():
        return [e.data for e in sections.entries_of(application_id, code)]


def _version(html: str) -> str:
    return re.search(r'name="version" value="(\d+)"', html).group(1)


def test_section_page_shows_form_and_back_link(client, world):
    response = client.get(_url(world, "education"))
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "学历信息" in page and "学信网验证码" in page and "尚未填写" in page
    assert f'href="/applications/{world}"' in page  # 返回申报信息
    assert client.get(_url(world, "no_such_section")).status_code == 404


def test_other_person_gets_404(app, world):
    other = app.test_client()
    login(other, "lisi")
    assert other.get(_url(world, "education")).status_code == 404
    response = other.post(_url(world, "education", "/entries"), data={**EDU, "version": "1"})
    assert response.status_code == 404 and _entries(app, world, "education") == []


def test_add_edit_delete_entry(app, client, world):
    response = client.post(_url(world, "education", "/entries"), data={**EDU, "version": "1"})
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "成功保存" in page and "山东大学" in page
    (entry,) = _entries(app, world, "education")
    with app.app_context():
        entry_id = sections.entries_of(world, "education")[0].id
    page = client.get(_url(world, "education") + f"?entry={entry_id}").get_data(as_text=True)
    assert 'value="山东大学"' in page and f'name="entry_id" value="{entry_id}"' in page
    client.post(_url(world, "education", "/entries"), data={**EDU, "school": "中国海洋大学", "version": "2",
                                                          "entry_id": str(entry_id)})
    assert [e["school"] for e in _entries(app, world, "education")] == ["中国海洋大学"]
    response = client.post(_url(world, "education", f"/entries/{entry_id}/delete"), data={"version": "3"},
                           follow_redirects=True)
    assert "已删除" in response.get_data(as_text=True) and _entries(app, world, "education") == []


def test_field_errors_keep_what_was_typed(app, client, world):
    response = client.post(_url(world, "education", "/entries"),
                           data={**EDU, "chsi_code": "", "major": "作曲与作曲技术理论", "version": "1"})
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "2001年之后取得的国内学历，学信网验证码为必填项" in page
    assert 'value="作曲与作曲技术理论"' in page and "has-error" in page
    assert _entries(app, world, "education") == []


def test_text_section(app, client, world):
    page = client.post(_url(world, "work_summary", "/text"), data={"text": "字" * 1201, "version": "1"}
                       ).get_data(as_text=True)
    assert "字数上限为1200字" in page and "字" * 1201 in page
    response = client.post(_url(world, "work_summary", "/text"),
                           data={"text": "长期从事群众文化工作，组织活动百余场。", "version": "1"}, follow_redirects=True)
    assert "成功保存" in response.get_data(as_text=True)
    page = client.post(_url(world, "work_summary", "/text"), data={"text": "我是王五。", "version": "2"}
                       ).get_data(as_text=True)
    assert "匿名评审" in page


def test_two_tabs_the_later_save_is_told(app, client, world):
    tab1 = client.get(_url(world, "work_experience")).get_data(as_text=True)
    tab2 = client.get(_url(world, "work_experience")).get_data(as_text=True)
    assert _version(tab1) == _version(tab2) == "1"
    client.post(_url(world, "work_experience", "/entries"), data={**JOB, "version": _version(tab1)})
    page = client.post(_url(world, "work_experience", "/entries"),
                       data={**JOB, "started_on": "2010-07-01", "ended_on": "2015-06-30", "version": _version(tab2)}
                       ).get_data(as_text=True)
    assert "此内容已在其他页面修改，请刷新后再编辑" in page
    assert len(_entries(app, world, "work_experience")) == 1
    # the same for the text section
    client.post(_url(world, "work_summary", "/text"), data={"text": "第一页的内容。", "version": "1"})
    page = client.post(_url(world, "work_summary", "/text"), data={"text": "第二页的内容。", "version": "1"}
                       ).get_data(as_text=True)
    assert "其他页面修改" in page and "第二页的内容。" in page
    with app.app_context():
        row = db.session.execute(select(ApplicationSection).filter_by(application_id=world,
                                                                      section="work_summary")).scalar_one()
        assert row.text == "第一页的内容。"


def test_read_only_after_submission(app, client, world):
    with app.app_context():
        db.session.get(Application, world).status = "pending_unit"
        db.session.commit()
    page = client.get(_url(world, "education")).get_data(as_text=True)
    assert "仅供查看" in page and 'id="entry-form"' not in page
    response = client.post(_url(world, "education", "/entries"), data={**EDU, "version": "1"})
    assert "不能再修改" in response.get_data(as_text=True) and _entries(app, world, "education") == []


def test_after_a_return_only_rejected_sections_accept_saves(app, client, world):
    with app.app_context():
        application = db.session.get(Application, world)
        unit_user = app.appbuilder.sm.find_user(username="unit1")
        application.status, application.current_unit_id = "pending_unit", application.unit_id
        db.session.commit()
        ReturnCommand(unit_user, world, {"education": "毕业时间与证书不符"}, "请修改").run()
        application = db.session.get(Application, world)
        assert sections.editable_sections(application) == {"education"}
    page = client.get(_url(world, "education")).get_data(as_text=True)
    assert "审核不通过原因" in page and "毕业时间与证书不符" in page and 'id="entry-form"' in page
    # a forged POST to a section that was not rejected is refused by the server
    page = client.post(_url(world, "work_experience", "/entries"), data={**JOB, "version": "1"}
                       ).get_data(as_text=True)
    assert "只能修改审核不通过的信息条目" in page and _entries(app, world, "work_experience") == []
    page = client.get(_url(world, "work_experience")).get_data(as_text=True)
    assert 'id="entry-form"' not in page
    # the rejected one: saved, becomes filled with the reason still shown, and stays editable
    version = _version(client.get(_url(world, "education")).get_data(as_text=True))
    assert client.post(_url(world, "education", "/entries"), data={**EDU, "version": version}).status_code == 302
    with app.app_context():
        application = db.session.get(Application, world)
        state = {s.code: s for s in sections.section_states(application)}["education"]
        assert state.status == "filled" and state.reason == "毕业时间与证书不符" and state.editable
    page = client.get(_url(world, "education")).get_data(as_text=True)
    assert "毕业时间与证书不符" in page
    version = _version(page)
    assert client.post(_url(world, "education", "/entries"),
                       data={**EDU, "school": "曲阜师范大学", "version": version}).status_code == 302
    assert len(_entries(app, world, "education")) == 2


def test_publicity_template_download(client, world):
    response = client.get(_url(world, "publicity_proof", "/template"))
    assert response.status_code == 200 and "attachment;" in response.headers["Content-Disposition"]
    assert "王五" in response.get_data(as_text=True)
    assert client.get(_url(world, "education", "/template")).status_code == 404
    page = client.get(_url(world, "publicity_proof")).get_data(as_text=True)
    assert "下载模板" in page and "上传附件" in page


def test_overview_lists_section_states(app, client, world):
    client.post(_url(world, "education", "/entries"), data={**EDU, "version": "1"})
    response = client.get(f"/applications/{world}")
    if response.status_code == 404:
        pytest.skip("the application overview is not registered")
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and 'data-code="education"' in page and "section-filled" in page


def test_csrf_is_checked_on_section_forms(app, client, world):
    import io

    from tests.conftest import csrf_token

    app.config["WTF_CSRF_ENABLED"] = True
    page = client.get(_url(world, "other_attachments")).get_data(as_text=True)
    token = csrf_token(page)
    refused = client.post(_url(world, "other_attachments", "/attachments"), content_type="multipart/form-data",
                          data={"file": (io.BytesIO(b"%PDF-1.4\n"), "a.pdf"), "version": "1"})
    assert refused.status_code == 400
    response = client.post(_url(world, "other_attachments", "/attachments"), content_type="multipart/form-data",
                           data={"file": (io.BytesIO(b"%PDF-1.4\n"), "a.pdf"), "version": "1", "csrf_token": token},
                           follow_redirects=True)
    assert "上传成功" in response.get_data(as_text=True)
    refused = client.post(_url(world, "education", "/entries"), data={**EDU, "version": "1"})
    assert refused.status_code == 400 and _entries(app, world, "education") == []
