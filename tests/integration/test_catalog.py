"""Catalog maintenance (C1–C4, C6, P1): CRUD pages for Admin and the bureau, region scope, audit,
references on delete, and the CSV import."""
from __future__ import annotations

import io

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models.applications import BusinessSection
from app.models.audit import AuditLog
from app.models.catalog import (ApplicationMethod, Committee, CommitteePeriod, Region, Specialty, Title, TitleLevel,
                                TitleSeries)
from tests.factories import make_backend


def _id(model, **keys):
    return db.session.execute(select(model.id).filter_by(**keys)).scalar_one()


def _count(model, **keys):
    return db.session.execute(select(func.count()).select_from(model).filter_by(**keys)).scalar_one()


def _audits(action):
    return db.session.execute(select(AuditLog).where(AuditLog.action == action)).scalars().all()


def _culture_committee():
    """The demo committee of 环翠区 (群众文化, 初级), with a period this year."""
    return db.session.execute(select(Committee).where(Committee.name.like("威海市环翠区群众文化%"))).scalar_one()


def _page(client, url, **kwargs):
    return client.post(url, follow_redirects=True, **kwargs).get_data(as_text=True)


# ---- CRUD pages ---------------------------------------------------------------------------------

def test_admin_adds_and_edits_a_level_with_audit(app, ctx, login_as):
    client = login_as("admin")
    assert client.post("/catalog/levels/add", data={"name": "特级", "rank": "9"}).status_code == 302
    level_id = _id(TitleLevel, name="特级")
    assert [a.object_id for a in _audits("catalog_added")] == [str(level_id)]
    response = client.post(f"/catalog/levels/edit/{level_id}", data={"name": "特级二", "rank": "9"})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(TitleLevel, level_id).name == "特级二"
    changed = _audits("catalog_changed")
    assert len(changed) == 1 and "特级 → 特级二" in changed[0].opinion and changed[0].actor_name == "admin"
    html = client.get("/catalog/levels/list/").get_data(as_text=True)
    assert "特级二" in html and "级别名称" in html


def test_admin_adds_a_title_and_a_duplicate_is_a_clear_message(app, ctx, login_as):
    client = login_as("admin")
    series, level = _id(TitleSeries, name="群众文化"), _id(TitleLevel, name="初级")
    data = {"series": str(series), "level": str(level), "name": "文化助理"}
    assert client.post("/catalog/titles/add", data=data).status_code == 302
    response = client.post("/catalog/titles/add", data=data)  # the form comes back with what was typed
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "已存在相同的记录" in html and 'value="文化助理"' in html
    assert _count(Title, name="文化助理") == 1


def test_admin_configures_a_business_section_override(app, ctx, login_as):
    client = login_as("admin")
    committee = _culture_committee()
    data = {"business": "review", "section": "achievements", "position": "7", "required": "y", "shown": "y",
            "max_entries": "5", "committee": str(committee.id), "year": "2026"}
    assert client.post("/catalog/business-sections/add", data=data).status_code == 302
    row = db.session.execute(select(BusinessSection).filter_by(committee_id=committee.id, year=2026)).scalar_one()
    assert (row.section, row.max_entries, row.required, row.shown) == ("achievements", 5, True, True)
    html = client.get("/catalog/business-sections/list/").get_data(as_text=True)
    assert "代表性成果" in html and "职称评审申报" in html


def test_bureau_adds_a_committee_and_its_period_in_its_region(app, ctx, login_as):
    client = login_as("demo_bureau")  # 威海市
    html = client.get("/catalog/committees/add").get_data(as_text=True)
    assert "环翠区" in html and "玄武区" not in html and "南京市" not in html
    data = {"name": "威海市文登区图书资料初级评审委员会", "series": str(_id(TitleSeries, name="图书资料")),
            "level": str(_id(TitleLevel, name="初级")), "region": str(_id(Region, code="371003"))}
    assert client.post("/catalog/committees/add", data=data).status_code == 302
    committee_id = _id(Committee, name=data["name"])
    period = {"committee": str(committee_id), "year": "2027", "starts_on": "2027-05-01", "ends_on": "2027-04-01"}
    response = client.post("/catalog/periods/add", data=period)
    assert response.status_code == 200 and "结束日期不能早于开始日期" in response.get_data(as_text=True)
    assert _count(CommitteePeriod, committee_id=committee_id) == 0
    period["ends_on"] = "2027-06-30"
    assert client.post("/catalog/periods/add", data=period).status_code == 302
    assert _count(CommitteePeriod, committee_id=committee_id, year=2027) == 1
    again = client.post("/catalog/periods/add", data=period)
    assert again.status_code == 200 and "已存在相同的记录" in again.get_data(as_text=True)
    data["region"] = str(_id(Region, code="371082"))
    assert client.post(f"/catalog/committees/edit/{committee_id}", data=data).status_code == 302
    assert "region: 山东省威海市文登区 → 山东省威海市荣成市" in _audits("catalog_changed")[0].opinion
    assert {a.object_type for a in _audits("catalog_added")} == {"committee", "committee_period"}


def test_bureau_is_refused_a_committee_of_another_region(app, ctx, login_as):
    client = login_as("demo_bureau")
    nanjing = _id(Region, code="320102")
    data = {"name": "南京市玄武区艺术初级评审委员会", "series": str(_id(TitleSeries, name="艺术")),
            "level": str(_id(TitleLevel, name="初级")), "region": str(nanjing)}
    response = client.post("/catalog/committees/add", data=data)  # a forged POST: the region is not offered
    assert response.status_code == 200 and "该字段是必填字段" in response.get_data(as_text=True)
    assert _count(Committee, name=data["name"]) == 0
    # a committee of 江苏 made by the admin is invisible to the 威海 bureau and cannot be edited
    admin = _culture_committee()
    other = Committee(name=data["name"], series_id=admin.series_id, level_id=admin.level_id, region_id=nanjing)
    db.session.add(other)
    db.session.commit()
    assert data["name"] not in client.get("/catalog/committees/list/").get_data(as_text=True)
    assert client.get(f"/catalog/committees/edit/{other.id}").status_code == 404
    data["name"] = "改名"
    assert client.post(f"/catalog/committees/edit/{other.id}", data=data).status_code == 404
    # moving its own committee to 江苏 is refused too
    own = {"name": admin.name, "series": str(admin.series_id), "level": str(admin.level_id), "region": str(nanjing)}
    html = _page(client, f"/catalog/committees/edit/{admin.id}", data=own)
    db.session.expire_all()
    assert db.session.get(Committee, admin.id).region.code == "371002"
    period = {"committee": str(other.id), "year": "2027", "starts_on": "2027-05-01", "ends_on": "2027-06-01"}
    _page(client, "/catalog/periods/add", data=period)
    assert _count(CommitteePeriod, committee_id=other.id) == 0


def test_scope_check_refuses_other_regions_in_the_command_layer(app, ctx, demo):
    from flask_appbuilder.security.sqla.models import User

    from app.commands.catalog import scope
    from app.commands.errors import NotAllowed

    bureau = db.session.execute(select(User).filter_by(username="demo_bureau")).scalar_one()
    scope.check_region(bureau, _id(Region, code="371002"))
    with pytest.raises(NotAllowed) as err:
        scope.check_region(bureau, _id(Region, code="320102"))
    assert "只能维护本地区" in str(err.value.message)
    assert not scope.may_edit_province_wide(bureau)
    province = make_backend("sd_bureau", "Bureau", region_code="370000")
    assert scope.may_edit_province_wide(province)


def test_a_city_bureau_does_not_change_province_wide_catalogs(app, ctx, login_as):
    client = login_as("demo_bureau")
    assert client.get("/catalog/levels/list/").status_code == 200
    html = _page(client, "/catalog/levels/add", data={"name": "特级", "rank": "9"})
    assert "只有系统管理员或省级人社部门可以修改" in html
    assert _count(TitleLevel, name="特级") == 0


def test_a_provincial_bureau_changes_province_wide_catalogs(app, ctx, login_as):
    make_backend("sd_bureau", "Bureau", region_code="370000")
    client = login_as("sd_bureau")
    assert client.post("/catalog/series/add", data={"name": "卫生"}).status_code == 302
    assert _count(TitleSeries, name="卫生") == 1


@pytest.mark.parametrize("username", ["demo_person", "demo_unit", "demo_committee"])
def test_other_roles_get_403_on_catalog_pages(app, login_as, username):
    client = login_as(username)
    for url in ("/catalog/levels/list/", "/catalog/committees/add", "/catalog/periods/list/",
                "/catalog/business-sections/list/", "/catalog/import/", "/catalog/import/template/titles.csv"):
        assert client.get(url).status_code == 403, url
    assert client.post("/catalog/levels/add", data={"name": "特级", "rank": "9"}).status_code == 403


def test_deleting_a_referenced_level_is_refused_with_a_message(app, ctx, login_as):
    client = login_as("admin")
    level_id = _id(TitleLevel, name="初级")
    html = _page(client, f"/catalog/levels/delete/{level_id}")
    assert "仍被" in html and "职称名称" in html
    assert db.session.get(TitleLevel, level_id) is not None
    assert _audits("catalog_deleted") == []
    client.post("/catalog/levels/add", data={"name": "特级", "rank": "9"})
    unused = _id(TitleLevel, name="特级")
    client.post(f"/catalog/levels/delete/{unused}")
    assert _count(TitleLevel, name="特级") == 0
    assert [a.from_state for a in _audits("catalog_deleted")] == ["特级"]


# ---- CSV import ---------------------------------------------------------------------------------

TITLES_CSV = "级别,系列,职称名称,专业\n中级,群众文化,文化馆员,舞蹈；社区文化\n初级,工程,助理工程师,测绘;勘察\n"


def _upload(client, kind, content: bytes, filename="data.csv"):
    return client.post("/catalog/import/", data={"kind": kind, "file": (io.BytesIO(content), filename)},
                       content_type="multipart/form-data")


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk"])
def test_import_titles_in_every_encoding(app, ctx, login_as, encoding):
    client = login_as("admin")
    response = _upload(client, "titles", TITLES_CSV.encode(encoding))
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and 'id="import-result"' in html, html
    assert _count(Title, name="文化馆员") == 1
    assert _count(Specialty, name="社区文化") == 1 and _count(Specialty, name="勘察") == 1
    assert _count(Specialty, name="测绘") == 1
    entry = _audits("catalog_imported")[0]
    assert entry.object_id == "titles" and entry.to_state == "added 4, skipped 2"  # 助理工程师 and none else exist


def test_reimport_is_idempotent(app, ctx, login_as):
    client = login_as("admin")
    _upload(client, "titles", TITLES_CSV.encode())
    titles, specialties = _count(Title), _count(Specialty)
    html = _upload(client, "titles", TITLES_CSV.encode()).get_data(as_text=True)
    assert "新增：0" in html
    assert (_count(Title), _count(Specialty)) == (titles, specialties)


def test_a_bad_row_reports_its_line_and_saves_nothing(app, ctx, login_as):
    client = login_as("admin")
    content = TITLES_CSV + "初级,不存在的系列,某职称,\n特级,群众文化,,\n"
    before = _count(Title), _count(Specialty)
    html = _upload(client, "titles", content.encode()).get_data(as_text=True)
    assert "第4行：系列“不存在的系列”不存在" in html
    assert "第5行：级别“特级”不存在" in html and "第5行：职称名称为空" in html
    assert (_count(Title), _count(Specialty)) == before
    assert _audits("catalog_imported") == []


def test_binary_and_oversized_content_is_refused(app, ctx, login_as):
    client = login_as("admin")
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256))
    html = _upload(client, "titles", png, filename="x.csv").get_data(as_text=True)
    assert "不是CSV文本文件" in html
    html = _upload(client, "titles", b"x" * (2 * 1024 * 1024 + 10)).get_data(as_text=True)
    assert "大于2MB" in html
    html = _upload(client, "titles", "名称,系列\n甲,乙\n".encode()).get_data(as_text=True)
    assert "第一行必须是列名" in html


def test_import_committees_with_periods_in_scope(app, ctx, login_as):
    client = login_as("demo_bureau")
    content = ("名称,系列,级别,地区代码,年度,开始日期,结束日期\n"
               "威海市荣成市美术初级评审委员会,美术,初级,371082,2027,2027-03-01,2027/4/30\n"
               "南京市美术初级评审委员会,美术,初级,320100,2027,2027-03-01,2027-04-30\n")
    html = _upload(client, "committees", content.encode("gbk")).get_data(as_text=True)
    assert "第3行：地区“南京市”不在您的管辖范围内" in html
    assert _count(Committee, name="威海市荣成市美术初级评审委员会") == 0
    good = content.splitlines()[:2]
    response = _upload(client, "committees", ("\n".join(good) + "\n").encode("gbk"))
    assert 'id="import-result"' in response.get_data(as_text=True)
    committee_id = _id(Committee, name="威海市荣成市美术初级评审委员会")
    assert _count(CommitteePeriod, committee_id=committee_id, year=2027) == 1
    html = _upload(client, "committees", ("\n".join(good) + "\n").encode()).get_data(as_text=True)
    assert "新增：0" in html


def test_a_city_bureau_may_not_import_titles(app, ctx, login_as):
    client = login_as("demo_bureau")
    html = _upload(client, "titles", TITLES_CSV.encode()).get_data(as_text=True)
    assert "只有系统管理员或省级人社部门可以修改" in html
    assert _count(Title, name="文化馆员") == 0


def test_the_template_downloads(app, login_as):
    client = login_as("admin")
    response = client.get("/catalog/import/template/committees.csv")
    assert response.status_code == 200 and response.data.startswith(b"\xef\xbb\xbf")
    assert "名称,系列,级别,地区代码" in response.data.decode("utf-8-sig")
    assert client.get("/catalog/import/template/other.csv").status_code == 404


def test_a_second_general_business_row_is_refused(app, ctx, login_as):
    client = login_as("admin")
    data = {"business": "review", "section": "education", "position": "0", "required": "y", "shown": "y"}
    response = client.post("/catalog/business-sections/add", data=data)
    assert response.status_code == 200 and "已存在相同的记录" in response.get_data(as_text=True)
    assert _count(BusinessSection, business="review", section="education") == 1
    row = db.session.execute(select(BusinessSection).filter_by(business="review", section="education")).scalar_one()
    data["required"] = ""
    assert client.post(f"/catalog/business-sections/edit/{row.id}", data=data).status_code == 302
    db.session.expire_all()
    assert db.session.get(BusinessSection, row.id).required is False


def test_a_city_bureau_sees_general_rows_but_changes_only_its_overrides(app, ctx, login_as):
    client = login_as("demo_bureau")
    row = db.session.execute(select(BusinessSection).filter_by(business="review", section="education")).scalar_one()
    html = _page(client, f"/catalog/business-sections/edit/{row.id}",
                 data={"business": "review", "section": "education", "position": "0", "shown": "y"})
    assert "只有系统管理员或省级人社部门可以修改" in html
    db.session.expire_all()
    assert db.session.get(BusinessSection, row.id).required is True
    committee = _culture_committee()
    data = {"business": "review", "section": "societies", "position": "9", "shown": "", "committee": str(committee.id),
            "year": "2027"}
    assert client.post("/catalog/business-sections/add", data=data).status_code == 302
    override = db.session.execute(select(BusinessSection).filter_by(committee_id=committee.id)).scalar_one()
    assert override.shown is False and override.year == 2027


def test_admin_adds_a_method_that_is_not_exceptional(app, ctx, login_as):
    client = login_as("admin")
    assert client.post("/catalog/methods/add", data={"name": "转评", "position": "9"}).status_code == 302
    assert _count(ApplicationMethod, name="转评", is_exceptional=False) == 1


@pytest.mark.parametrize("base,model", [
    ("levels", TitleLevel), ("series", TitleSeries), ("titles", Title), ("specialties", Specialty),
    ("methods", ApplicationMethod), ("committees", Committee), ("periods", CommitteePeriod),
    ("business-sections", BusinessSection)])
def test_every_page_renders_in_chinese(app, ctx, login_as, base, model):
    client = login_as("admin")
    row_id = db.session.execute(select(model.id).order_by(model.id)).scalars().first()
    for url in (f"/catalog/{base}/list/", f"/catalog/{base}/add", f"/catalog/{base}/show/{row_id}",
                f"/catalog/{base}/edit/{row_id}"):
        response = client.get(url)
        assert response.status_code == 200, url
    assert "基础数据" in client.get(f"/catalog/{base}/list/").get_data(as_text=True)


def test_a_forged_delete_of_another_regions_committee_is_a_404(app, ctx, login_as):
    client = login_as("demo_bureau")
    admin = _culture_committee()
    other = Committee(name="南京市艺术初级评审委员会", series_id=admin.series_id, level_id=admin.level_id,
                      region_id=_id(Region, code="320100"))
    db.session.add(other)
    db.session.commit()
    assert client.post(f"/catalog/committees/delete/{other.id}").status_code == 404
    assert _count(Committee, name="南京市艺术初级评审委员会") == 1
    html = _page(client, f"/catalog/committees/delete/{admin.id}")  # its own, but it has periods
    assert "申报时间段" in html and _count(Committee, id=admin.id) == 1
