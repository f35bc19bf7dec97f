"""Seed 003 items 14–16: 工作经历 asks 从事专业技术工作 and 经历简介; 代表性成果
asks 等级 and a required 批准机关; 继续教育 imports the platform's CSV/Excel export (year, course, hours) and
shows each year's total against the required hours (a setting, 90 by default). The 评审表 prints them."""
from __future__ import annotations

import io
import re

import pytest
from openpyxl import Workbook

# the applicant "wangwu" with a draft at a permitted unit, signed in, and the section pages' helpers
from tests.integration.test_section_pages import _entries, _url, _version, client, world  # noqa: F401

JOB = {"started_on": "2015-07-01", "ended_on": "", "unit": "威海市群众艺术馆-创作部-助理馆员",
       "professional_work": "群众文化活动组织与辅导", "post": "助理馆员", "summary": "负责社区舞蹈培训"}
ACH = {"name": "《社区文化建设实践》获市群星奖二等奖", "category": "获奖", "date": "2023-05-01", "rank": "1/3",
       "note": "威海市文化和旅游局", "grade": "市厅级"}
CSV = "年度,课程名称,学时\n2024,公需科目：数字经济,30\n2024,专业科目：群众文化活动策划,40.5\n2025,专业科目：舞蹈编导,90\n"


def _field_error(html: str, name: str) -> str:
    match = re.search(rf'id="f-{name}".*?(?:<span class="help-block">[^<]*</span>\s*)?'
                      rf'<span class="field-error" role="alert">([^<]+)</span>', html, re.S)
    return match.group(1) if match else ""


def _import(client, application_id, content: bytes, filename: str, version: str | None = None):
    if version is None:
        version = _version(client.get(_url(application_id, "continuing_education")).get_data(as_text=True))
    return client.post(_url(application_id, "continuing_education", "/import"),
                       data={"version": version, "file": (io.BytesIO(content), filename)},
                       content_type="multipart/form-data", follow_redirects=True)


# --- 工作经历 --------------------------------------------------------------------------------------------------

def test_work_experience_asks_professional_work_and_summary(app, client, world):
    page = client.get(_url(world, "work_experience")).get_data(as_text=True)
    assert "从事专业技术工作" in page and "经历简介" in page
    html = client.post(_url(world, "work_experience", "/entries"),
                       data={**JOB, "professional_work": "", "version": "1"}).get_data(as_text=True)
    assert _field_error(html, "professional_work") == "此项为必填项"
    assert _entries(app, world, "work_experience") == []
    client.post(_url(world, "work_experience", "/entries"), data={**JOB, "version": "1"})
    [saved] = _entries(app, world, "work_experience")
    assert (saved["professional_work"], saved["summary"]) == ("群众文化活动组织与辅导", "负责社区舞蹈培训")


# --- 代表性成果 ------------------------------------------------------------------------------------------------

def test_achievement_needs_grade_and_approving_body(app, client, world):
    page = client.get(_url(world, "achievements")).get_data(as_text=True)
    assert re.search(r'<label class="control-label" for="f-note"><span class="text-danger">\*</span> 批准机关</label>',
                     page)
    assert re.search(r'<label class="control-label" for="f-grade"><span class="text-danger">\*</span> 等级</label>',
                     page)
    for grade in ("国家级", "省部级", "市厅级"):
        assert f'<option value="{grade}"' in page
    html = client.post(_url(world, "achievements", "/entries"),
                       data={**ACH, "note": "", "grade": "宇宙级", "version": "1"}).get_data(as_text=True)
    assert _field_error(html, "note") == "此项为必填项"
    assert _field_error(html, "grade") == "请从列表中选择"
    assert _entries(app, world, "achievements") == []
    client.post(_url(world, "achievements", "/entries"), data={**ACH, "version": "1"})
    [saved] = _entries(app, world, "achievements")
    assert (saved["note"], saved["grade"]) == ("威海市文化和旅游局", "市厅级")


def test_review_form_prints_the_new_fields(app, client, world):
    client.post(_url(world, "work_experience", "/entries"), data={**JOB, "version": "1"})
    client.post(_url(world, "achievements", "/entries"), data={**ACH, "version": "1"})
    page = client.get(f"/applications/{world}/forms/review_form").get_data(as_text=True)
    for text in ("<th>从事专业技术工作</th>", "<th>经历简介</th>", "<th>批准机关</th>", "<th>等级</th>",
                 "群众文化活动组织与辅导", "负责社区舞蹈培训", "威海市文化和旅游局", "市厅级"):
        assert text in page, text


# --- 继续教育 --------------------------------------------------------------------------------------------------

def _year_row(html: str, year: int) -> tuple[str, str, str]:
    match = re.search(rf'<tr id="year-{year}" class="(\w+)">.*?<td class="total">([^<]+)</td>.*?'
                      r'<td class="result">([^<]+)</td>', html, re.S)
    assert match, f"no total for {year}"
    return match.group(1), match.group(2), match.group(3).strip()


def test_csv_import_adds_rows_and_shows_totals_per_year(app, client, world):
    page = _import(client, world, CSV.encode("utf-8"), "继续教育.csv").get_data(as_text=True)
    assert "已导入3条" in page
    rows = _entries(app, world, "continuing_education")
    assert [(r["year"], r["content"], r["hours"]) for r in rows] == [
        (2024, "公需科目：数字经济", "30"), (2024, "专业科目：群众文化活动策划", "40.5"), (2025, "专业科目：舞蹈编导", "90")]
    assert "要求：每年90学时" in page
    assert _year_row(page, 2024) == ("danger", "70.5", "差19.5学时")
    assert _year_row(page, 2025) == ("success", "90", "达标")


def test_required_hours_is_a_setting(app, client, world):
    app.config["CONTINUING_EDUCATION_HOURS_PER_YEAR"] = 60
    page = _import(client, world, CSV.encode("utf-8"), "ce.csv").get_data(as_text=True)
    assert "要求：每年60学时" in page
    assert _year_row(page, 2024) == ("success", "70.5", "达标")


def test_gbk_csv_and_xlsx_exports_are_read(app, client, world):
    _import(client, world, CSV.encode("gb18030"), "ce.csv")
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["山东省专业技术人员继续教育公共服务平台 学时证明"])  # a title row above the header
    sheet.append(["序号", "年度", "课程名称", "学时"])
    sheet.append([1, 2023, "公需科目：法治建设", 24])
    sheet.append([2, 2023, "专业科目：非遗保护", 66.5])
    buffer = io.BytesIO()
    workbook.save(buffer)
    page = _import(client, world, buffer.getvalue(), "学时.xlsx").get_data(as_text=True)
    assert "已导入2条" in page
    rows = _entries(app, world, "continuing_education")
    assert len(rows) == 5 and {(r["year"], r["hours"]) for r in rows if r["year"] == 2023} == {(2023, "24"),
                                                                                                (2023, "66.5")}
    assert _year_row(page, 2023) == ("success", "90.5", "达标")


def test_a_wrong_row_imports_nothing_and_is_named(app, client, world):
    bad = "年度,课程名称,学时\n2024,公需科目,30\n2024,,12\n20x4,专业科目,abc\n"
    page = _import(client, world, bad.encode("utf-8"), "ce.csv").get_data(as_text=True)
    assert "未导入任何数据" in page
    assert "第3行，课程名称（培训内容）：此项为必填项" in page
    assert "第4行，年度" in page and "第4行，学时" in page
    assert _entries(app, world, "continuing_education") == []


def test_importing_the_same_export_twice_adds_nothing(app, client, world):
    _import(client, world, CSV.encode("utf-8"), "ce.csv")
    page = _import(client, world, CSV.encode("utf-8"), "ce.csv").get_data(as_text=True)
    assert "已导入0条；跳过已录入的3条" in page
    assert len(_entries(app, world, "continuing_education")) == 3


@pytest.mark.parametrize("content, message", [
    (b"", "请选择从继续教育平台导出的文件"),
    (b"name,value\n1,2\n", "文件开头须有“年度”“课程名称”“学时”三列的表头"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 64, "不支持旧版 .xls 文件"),
    (b"PK\x03\x04broken", "无法读取该 Excel 文件"),
])
def test_unreadable_files_get_a_clear_message(app, client, world, content, message):
    response = _import(client, world, content, "x.csv")
    assert response.status_code == 200 and message in response.get_data(as_text=True)
    assert _entries(app, world, "continuing_education") == []
