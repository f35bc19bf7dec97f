"""M1a 评委管理: adding an expert (a new Expert login, or the Expert role for the account that has the ID
number), the term limit, 入库 / 出库, and the Excel/CSV import, all rows or none; the FAB list and the API."""
from __future__ import annotations

import io

from openpyxl import Workbook
from sqlalchemy import func, select

from app.extensions import db
from app.models.committee import Expert
from app.models.notify import OutboxMessage

FORM = {"name": "钱学文", "id_number": "370102198001010015", "mobile": "13812345678", "email": "qian@example.cn",
        "work_unit_name": "济南市群众艺术馆", "specialty": "", "level": "", "term_start": "2026-01-01",
        "term_end": "2028-12-31"}


def _level(app, name="副高级"):
    from app.models.catalog import TitleLevel

    with app.app_context():
        return str(db.session.execute(select(TitleLevel.id).filter_by(name=name)).scalar_one())


def _expert(app, id_number):
    with app.app_context():
        expert = db.session.execute(select(Expert).filter_by(id_number=id_number)).scalar_one_or_none()
        return expert and (expert.id, expert.status, expert.user.username, sorted(r.name for r in expert.user.roles))


def test_adding_an_expert_makes_a_login_or_binds_the_account_with_the_id_number(app, login_as):
    office = login_as("demo_committee")
    level = _level(app)
    refused = office.post("/committee/experts/add", data={**FORM, "level": level, "term_end": "2029-01-01"})
    assert "聘期最长 3 年" in refused.get_data(as_text=True) and _expert(app, FORM["id_number"]) is None
    wrong_id = office.post("/committee/experts/add", data={**FORM, "level": level, "id_number": "370102198001010016"})
    assert "身份证号校验位不正确" in wrong_id.get_data(as_text=True)
    assert office.post("/committee/experts/add", data={**FORM, "level": level}).status_code == 302
    expert_id, status, username, roles = _expert(app, FORM["id_number"])
    assert status == "in_pool" and roles == ["Expert"] and username.startswith("zj")
    with app.app_context():  # the login name goes out by SMS; no password does
        sms = db.session.execute(select(OutboxMessage.body).filter_by(channel="sms", recipient="13812345678")).scalar_one()
        assert username in sms and "密码" in sms
    again = office.post("/committee/experts/add", data={**FORM, "level": level})
    assert "该身份证号已在专家库中" in again.get_data(as_text=True)

    # demo_person's ID number: that account becomes an expert too, no second login
    person = {**FORM, "name": "张晓燕", "id_number": "37100219900315002X", "email": "", "level": level}
    assert office.post("/committee/experts/add", data=person).status_code == 302
    assert _expert(app, "37100219900315002X")[2:] == ("demo_person", ["Expert", "Individual"])

    # 出库 and 入库, each once
    assert office.post(f"/committee/experts/{expert_id}/pool", data={"action": "retire"}).status_code == 302
    assert _expert(app, FORM["id_number"])[1] == "out_of_pool"
    page = office.post(f"/committee/experts/{expert_id}/pool", data={"action": "retire"}, follow_redirects=True)
    assert "已出库" in page.get_data(as_text=True)
    office.post(f"/committee/experts/{expert_id}/pool", data={"action": "enroll"})
    assert _expert(app, FORM["id_number"])[1] == "in_pool"
    listing = office.get("/committee/experts/").get_data(as_text=True)
    assert "370102********0015" in listing and "138****5678" in listing and "13812345678" not in listing


def _csv(rows) -> bytes:
    header = "姓名,身份证号,手机号,电子邮箱,工作单位,专业,现职称级别,聘期开始,聘期结束\n"
    return (header + "\n".join(rows) + "\n").encode("utf-8-sig")


GOOD = ["孙一,370102198001010031,13811110001,sun1@example.cn,济南市文化馆,,副高级,2026-01-01,2027-12-31",
        "孙二,370102198001010058,13811110002,sun2@example.cn,济南市图书馆,,正高级,2026-01-01,2027-12-31"]


def _count(app):
    with app.app_context():
        return db.session.execute(select(func.count(Expert.id))).scalar()


def test_import_is_all_or_nothing_with_the_wrong_rows_listed(app, login_as):
    office = login_as("demo_committee")
    before = _count(app)
    bad = GOOD + ["孙三,123,138,bad,济南市,,特级,2026-01-01,2030-12-31", GOOD[0].replace("孙一", "孙一一")]
    page = office.post("/committee/experts/import", data={"file": (io.BytesIO(_csv(bad)), "experts.csv")},
                       content_type="multipart/form-data").get_data(as_text=True)
    assert "未导入任何数据：有 2 行错误" in page
    assert "第4行" in page and "第5行" in page and "与第 2 行身份证号重复" in page
    assert _count(app) == before

    book = Workbook()
    sheet = book.active
    sheet.append(["姓名", "身份证号", "手机号", "电子邮箱", "工作单位", "专业", "现职称级别", "聘期开始", "聘期结束"])
    for row in GOOD:
        sheet.append(row.split(","))
    content = io.BytesIO()
    book.save(content)
    response = office.post("/committee/experts/import", data={"file": (io.BytesIO(content.getvalue()), "experts.xlsx")},
                           content_type="multipart/form-data")
    assert response.status_code == 302 and _count(app) == before + 2
    assert _expert(app, "370102198001010058")[1] == "in_pool"


def test_fab_lists_and_the_api_show_the_offices_rows(app, login_as):
    from tests.committee_factories import reported_application, unit_named

    with app.app_context():
        application_id = reported_application(1, unit_named("威海市环翠区文化馆"), real_name="赵申报").id
    office = login_as("demo_committee")
    listing = office.get("/committee/fab/applications/list/").get_data(as_text=True)
    assert "赵申报" in listing and "待评审" in listing
    office.post("/committee/fab/applications/action_post",
                data={"action": "eligibility_pass", "rowid": [str(application_id)]})
    from app.models.applications import Application

    with app.app_context():
        assert db.session.get(Application, application_id).status == "eligible"
    pool = office.get("/committee/fab/experts/list/").get_data(as_text=True)
    assert "刘建国" in pool and "371002*" in pool  # the demo pool, ID numbers masked
    from tests.conftest import PASSWORD

    token = app.test_client().post("/api/v1/security/login", json={
        "username": "demo_committee", "password": PASSWORD, "provider": "db"})
    headers = {"Authorization": "Bearer " + token.get_json()["access_token"]}
    api = app.test_client()
    rows = api.get("/api/v1/committee_applications/", headers=headers).get_json()["result"]
    assert [r["id"] for r in rows] == [application_id] and rows[0]["status"] == "eligible"
    refused = api.post(f"/api/v1/committee_applications/{application_id}/eligibility",
                       json={"action": "return", "sections": {}}, headers=headers)
    assert refused.status_code == 400
    assert refused.get_json()["message"] == {"sections": ["请至少将一个信息条目标记为不通过并填写原因"]}


def test_a_term_is_renewed_within_the_limit_and_on_the_version_shown(app, login_as):
    office = login_as("demo_committee")
    with app.app_context():
        expert = db.session.execute(select(Expert).join(Expert.user).where(
            Expert.name == "刘建国")).scalar_one()
        expert_id, version = expert.id, expert.version
    form = office.get(f"/committee/experts/{expert_id}/term").get_data(as_text=True)
    assert f'name="version" value="{version}"' in form
    too_long = office.post(f"/committee/experts/{expert_id}/term",
                           data={"term_start": "2027-01-01", "term_end": "2030-01-01", "version": str(version)})
    assert "聘期最长 3 年" in too_long.get_data(as_text=True)
    assert office.post(f"/committee/experts/{expert_id}/term", data={
        "term_start": "2027-01-01", "term_end": "2029-12-31", "version": str(version)}).status_code == 302
    stale = office.post(f"/committee/experts/{expert_id}/term",
                        data={"term_start": "2027-01-01", "term_end": "2028-12-31", "version": str(version)})
    assert "该记录已被他人处理，本次操作未执行，请刷新页面" in stale.get_data(as_text=True)
    with app.app_context():
        expert = db.session.get(Expert, expert_id)
        assert (expert.term_start.isoformat(), expert.term_end.isoformat()) == ("2027-01-01", "2029-12-31")
