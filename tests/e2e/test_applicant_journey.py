"""The applicant's journey of manual 003 in a real browser: register as an individual, agree to the
承诺书, 新增申报信息 with the 申报级别 → 申报系列 → 申报职称 cascade and the unit picker (select2),
try 确认申报 and see which sections are missing, fill them (one with an attachment), 确认申报, see
待单位审核 in 状态跟踪 and download the 评审表 PDF. Screenshots in tests/e2e/artifacts/."""
from __future__ import annotations

import re
import struct
import zlib
from urllib.parse import urlparse

import pytest

from tests.conftest import PASSWORD
from tests.e2e.conftest import assert_no_problems, screenshot

pytestmark = pytest.mark.e2e

PERSON = {"real_name": "赵六", "id_number": "110105198001010032", "username": "zhaoliu",
          "mobile": "13900000009", "email": "zhaoliu@example.cn"}
UNIT_NAME = "威海市环翠区文化馆"  # demo_unit, with permission (U2)

# the required sections of 职称评审申报 (app/catalog_data.py) with entries that pass their rules
ENTRIES = {
    "education": {"kind": "全日制学历", "education": "大学本科", "degree": "学士", "school": "山东大学",
                  "major": "文化产业管理", "graduated_on": "2015-06-30", "schooling": "4年",
                  "chsi_code": "A1234567890123"},
    "current_title": {"level": "初级", "series": "群众文化", "title": "助理馆员", "obtained_on": "2019-12-01"},
    "assessment": {"year": "2024", "post": "助理馆员", "result": "合格", "assessor": UNIT_NAME},
    "language_computer": {"kind": "外语", "language": "英语", "level": "大学英语四级"},
    "work_experience": {"started_on": "2015-07-01", "unit": f"{UNIT_NAME}-群文部-助理馆员",
                        "professional_work": "群众文化活动组织与辅导", "post": "助理馆员"},
    "achievements": {"name": "《社区文化建设实践》获市群星奖二等奖", "category": "获奖", "date": "2023-05-01",
                     "rank": "1/3", "note": "威海市文化和旅游局", "grade": "市厅级"},
}
WORK_SUMMARY = "任现职以来，主持开展社区群众文化活动三十余场，组织培训文艺骨干二百余人次。"


def _png(path) -> str:
    """A real 1×1 PNG (the upload checks the content, not the name)."""
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    raw = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)) + \
        chunk(b"IDAT", zlib.compress(b"\x00\xff\xff\xff")) + chunk(b"IEND", b"")
    path.write_bytes(raw)
    return str(path)


def _register(page) -> None:
    page.goto("/register/individual")
    form = page.locator("form:has(input[name=password])")
    form.locator("input[name=real_name]").fill(PERSON["real_name"])
    form.locator("input[name=id_number]").fill(PERSON["id_number"])
    form.locator("input[name=username]").fill(PERSON["username"])
    form.locator("input[name=password]").fill(PASSWORD)
    form.locator("input[name=confirm_password]").fill(PASSWORD)
    form.locator("input[name=mobile]").fill(PERSON["mobile"])
    form.locator("input[name=email]").fill(PERSON["email"])
    form.locator("select[name=ethnicity]").select_option("汉族")
    with page.expect_navigation():
        form.locator("[type=submit]").click()
    assert page.locator("#register-summary").is_visible(), "the confirmation step did not show"
    screenshot(page, "journey-01-register-confirm")
    with page.expect_navigation():
        page.locator("form:has(input[name=confirm]) button[type=submit]:not([name=back])").click()
    assert urlparse(page.url).path == "/login/"


def _sign_in(page) -> None:
    form = page.locator("form:has(input[name=password])")
    form.locator("input[name=username]").fill(PERSON["username"])
    form.locator("input[name=password]").fill(PASSWORD)
    with page.expect_navigation():
        form.locator("[type=submit]").click()
    assert urlparse(page.url).path == "/"


def _choose(page, select: str, label: str) -> None:
    """Pick an option of a cascade select once the picker has loaded it."""
    page.wait_for_function("([s, l]) => Array.from(document.querySelectorAll(s + ' option'))"
                           ".some(o => o.textContent.trim() === l)", arg=[select, label])
    page.select_option(select, label=label)


def _base_form(page) -> int:
    page.goto("/applications/new")
    with page.expect_navigation():
        page.locator("#businesses a", has_text="职称评审申报").click()
    assert "承诺书" in page.content()
    screenshot(page, "journey-02-commitment")
    with page.expect_navigation():
        page.locator("#agree").click()

    page.locator("#base-form").wait_for()
    _choose(page, "#level_id", "初级")
    _choose(page, "#series_id", "群众文化")
    _choose(page, "#title_id", "助理馆员")
    page.wait_for_function("document.querySelectorAll('#specialty_id option').length > 1")
    page.select_option("#specialty_id", index=1)
    _choose(page, "#method_id", "正常晋升")
    # the unit picker: select2 searching /pickers/units as one types
    page.locator("#group-unit_id .select2-selection, #unit_id + .select2 .select2-selection").first.click()
    page.locator(".select2-search__field").fill("文化馆")
    page.locator(".select2-results__option", has_text=UNIT_NAME).first.click()
    _choose(page, "#committee_id", "威海市环翠区群众文化专业职务资格初级评审委员会")
    page.fill("#recommendation_rank", "1/3")
    page.fill("#work_started_on", "2015-07-01")
    page.fill("#professional_years", "10")
    screenshot(page, "journey-03-base-form")
    with page.expect_navigation():
        page.locator("#save").click()
    match = re.search(r"/applications/(\d+)$", urlparse(page.url).path)
    assert match, f"not on the application overview after saving: {page.url}"
    return int(match.group(1))


def _submit(page) -> None:
    page.once("dialog", lambda dialog: dialog.accept())
    with page.expect_navigation():
        page.locator("#submit").click()


def _fill_sections(page, application_id: int, upload: str) -> None:
    for code, values in ENTRIES.items():
        page.goto(f"/applications/{application_id}/sections/{code}")
        form = page.locator("#entry-form form")
        for name, value in values.items():
            field = form.locator(f"#f-{name}")
            if field.evaluate("e => e.tagName") == "SELECT":
                field.select_option(value)
            else:
                field.fill(value)
        with page.expect_navigation():
            form.locator("#save-entry").click()
        assert page.locator("#entries tbody tr[id^=entry-]").count() == 1, f"{code} was not saved"
    page.goto(f"/applications/{application_id}/sections/work_summary")
    page.fill("#f-text", WORK_SUMMARY)
    with page.expect_navigation():
        page.locator("#save-text").click()
    page.goto(f"/applications/{application_id}/sections/publicity_proof")
    page.locator("#attachments input[type=file]").set_input_files(upload)
    with page.expect_navigation():
        page.locator("#attachments .upload-form button[type=submit]").click()
    assert page.locator("#attachments .attachment-list li").count() == 1
    screenshot(page, "journey-05-attachment")


def test_applicant_registers_applies_submits_and_downloads_the_review_form(demo, strict_page, tmp_path):
    page = strict_page  # script errors, console errors and error responses fail the test
    _register(page)
    _sign_in(page)
    application_id = _base_form(page)

    _submit(page)  # nothing filled yet: the overview names the missing sections
    missing = page.locator("#missing-sections")
    assert missing.is_visible()
    assert "学历信息" in missing.inner_text() or "Education" in missing.inner_text()
    screenshot(page, "journey-04-missing-sections")

    _fill_sections(page, application_id, _png(tmp_path / "公示证明.png"))
    page.goto(f"/applications/{application_id}")
    assert page.locator("#sections a.section-empty:has(.text-danger)").count() == 0, "a required section is empty"
    assert page.locator("#sections a.section-filled").count() >= len(ENTRIES) + 2
    _submit(page)
    assert urlparse(page.url).path.endswith(f"/applications/{application_id}/timeline"), page.url
    assert "待单位审核" in page.content()
    screenshot(page, "journey-06-timeline")

    page.goto(f"/applications/{application_id}/forms/review_form")
    assert PERSON["real_name"] in page.content() and "助理馆员" in page.content()
    screenshot(page, "journey-07-review-form")
    with page.expect_download() as info:
        page.locator("#pdf-download").click()
    download = info.value
    assert download.suggested_filename == f"{PERSON['real_name']}-评审表.pdf"
    saved = tmp_path / "review_form.pdf"
    download.save_as(saved)
    assert saved.read_bytes().startswith(b"%PDF")
    assert_no_problems(page)
