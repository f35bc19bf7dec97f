"""Steps shared by the browser tests of seeds 001 (全日制职称认定) and 002 (外地调入资格确认): a unit applies for
its final-review authority and the bureau approves it (001 §2.2 + §3.1, 002 §2.2 + §3.1), the applicant fills
and submits an application (§1.2), the unit reviews it and presses 终审通过 (§2.3 / §2.2), the applicant
downloads the form as a PDF (001 图1-11, 002 图2-14)."""
from __future__ import annotations

import io
import re
from urllib.parse import urlparse

from tests.conftest import PASSWORD
from tests.e2e.conftest import screenshot

UNIT = "威海市环翠区文化馆"  # demo_unit, with the permission to accept applications
APPLICANT = "张晓燕"  # demo_person
EDUCATION = {"kind": "全日制学历", "education": "大学本科", "degree": "学士", "school": "山东大学",
             "major": "文化产业管理", "graduated_on": "2015-06-30", "schooling": "4年",
             "chsi_code": "A1234567890123"}
WORK = {"started_on": "2015-07-01", "unit": f"{UNIT}-群文部-助理馆员", "professional_work": "群众文化活动组织与辅导",
        "post": "助理馆员"}


def path(page) -> str:
    return urlparse(page.url).path


def click(page, locator) -> None:
    with page.expect_navigation():
        locator.click()


def sign_in(page, username: str) -> None:
    page.context.clear_cookies()  # signs the previous user out (logout may be POST-only)
    page.goto("/login/")
    form = page.locator("form:has(input[name=password])")
    form.locator("input[name=username]").fill(username)
    form.locator("input[name=password]").fill(PASSWORD)
    click(page, form.locator("[type=submit]"))
    assert path(page) == "/", f"{username} was not signed in: {page.url}"


def flash(page) -> str:
    alerts = page.locator(".alert-success")
    assert alerts.count() >= 1, "no success message on " + page.url
    return alerts.first.inner_text()


def no_form_error(page) -> None:
    errors = page.locator(".form-error-box, .field-error, .alert-danger")
    assert errors.count() == 0, f"error on {page.url}: {errors.all_inner_texts()}"


def menu(page, category: str, item: str) -> None:
    """Open a menu item through the navbar, by the manual's words (【category】【item】)."""
    page.locator(".navbar .dropdown-toggle", has_text=category).first.click()
    click(page, page.locator(".navbar .dropdown-menu a", has_text=item).first)


# ---------------------------------------------------------------- 终审权限申请 and its review
def grant_final_authority(page, business: str, level: str, shot: str) -> None:
    """demo_unit applies for the final-review authority of `business` at `level`; demo_bureau approves it."""
    label = {"recognition": "职称认定证书发放权限", "transfer": "外地调入终审权限"}[business]
    sign_in(page, "demo_unit")
    menu(page, "单位业务", "终审权限申请")
    assert path(page) == "/units/final-authority/"
    row = page.locator(f"#authorities tr[data-business={business}]")
    assert label in row.inner_text() and "未申请" in row.inner_text(), row.inner_text()
    click(page, row.locator(f"#apply-{business}"))
    assert path(page) == f"/units/final-authority/apply/{business}"
    form = page.locator("#authority-form")
    form.locator("#level_id").select_option(label=level)
    form.locator("#organisation").fill(UNIT)
    screenshot(page, f"{shot}-01-authority-form")
    click(page, form.locator("#save"))
    no_form_error(page)
    assert path(page) == "/units/final-authority/"
    assert "等待所属地区人社局审核" in flash(page)
    row = page.locator(f"#authorities tr[data-business={business}]")
    assert level in row.inner_text() and "待审核" in row.inner_text(), row.inner_text()

    # 3.1 终审权限审核 (【权限管理】) by the bureau of 威海市
    sign_in(page, "demo_bureau")
    menu(page, "权限管理", "终审权限审核")
    assert path(page) == "/units/final-authority-review/"
    row = page.locator("#authority-queue tbody tr", has_text=UNIT)
    assert row.count() == 1, "the unit's application is not in the bureau's queue"
    assert label in row.inner_text() and level in row.inner_text() and "待审核" in row.inner_text()
    screenshot(page, f"{shot}-02-authority-review")
    click(page, row.locator("form[action$='/approve'] button[type=submit]"))
    assert path(page) == "/units/final-authority-review/"
    assert "审核通过" in flash(page)

    sign_in(page, "demo_unit")
    page.goto("/units/final-authority/")
    row = page.locator(f"#authorities tr[data-business={business}]")
    granted = row.locator(".authority-level", has_text=level)
    assert granted.count() == 1 and "审核通过" in granted.inner_text(), row.inner_text()
    assert row.locator(f"a#apply-{business}").count() == 1, "the unit may still apply for another level"
    screenshot(page, f"{shot}-03-authority-granted")


# ---------------------------------------------------------------- the applicant
def _choose(page, select: str, label: str) -> None:
    """Pick an option of a cascade select once the picker has loaded it."""
    page.wait_for_function("([s, l]) => Array.from(document.querySelectorAll(s + ' option'))"
                           ".some(o => o.textContent.trim() === l)", arg=[select, label])
    page.select_option(select, label=label)


def _set(page, selector: str, value: str) -> None:
    field = page.locator(selector)
    if field.evaluate("e => e.tagName") == "SELECT":
        field.select_option(value)
    else:
        field.fill(value)


def new_application(page, business_label: str, shot: str, extra: dict[str, str] | None = None,
                    missing: tuple[str, str, str] | None = None) -> int:
    """【新增申报信息】 of `business_label`: 承诺书 → 我同意, the base form with the cascade and the unit picker
    (and the `extra` fields: selector → value), 保存; returns the new application's id.

    `missing` = (field name, words of the message, value): the first 保存 leaves that field empty and must be
    refused with the message beside the field, everything chosen kept; then it is filled and saved again."""
    sign_in(page, "demo_person")
    page.goto("/applications/")
    click(page, page.locator("#new-application"))
    click(page, page.locator("#businesses a", has_text=business_label))
    assert "承诺书" in page.content()
    click(page, page.locator("#agree"))
    form = page.locator("#base-form")
    form.wait_for()
    assert business_label in page.locator("h3.page-header").inner_text()
    _choose(page, "#level_id", "初级")
    _choose(page, "#series_id", "群众文化")
    _choose(page, "#title_id", "助理馆员")
    page.wait_for_function("document.querySelectorAll('#specialty_id option').length > 1")
    page.select_option("#specialty_id", index=1)
    _choose(page, "#method_id", "正常晋升")
    page.locator("#unit_id + .select2 .select2-selection").click()
    page.locator(".select2-search__field").fill("文化馆")
    page.locator(".select2-results__option", has_text=UNIT).first.click()
    page.fill("#recommendation_rank", "1/1")
    page.fill("#work_started_on", "2015-07-01")
    page.fill("#professional_years", "10")
    for selector, value in (extra or {}).items():
        _set(page, selector, value)
    screenshot(page, f"{shot}-04-base-form")
    click(page, page.locator("#save"))
    if missing is not None:
        name, words, value = missing
        error = page.locator(f"#group-{name}").get_by_role("alert")
        assert error.count() == 1 and words in error.inner_text(), f"no message beside {name} on {page.url}"
        assert page.locator(".field-error").count() == 1, page.locator(".field-error").all_inner_texts()
        assert page.locator("#title_id option:checked").inner_text().strip() == "助理馆员", "the title was lost"
        assert UNIT in page.locator("#unit_id option:checked").inner_text(), "the chosen unit was lost"
        assert page.locator("#recommendation_rank").input_value() == "1/1"
        screenshot(page, f"{shot}-04b-base-form-refused")
        _set(page, f"#{name}", value)
        click(page, page.locator("#save"))
    no_form_error(page)
    match = re.fullmatch(r"/applications/(\d+)", path(page))
    assert match, f"not on the application overview after saving: {page.url}"
    return int(match.group(1))


def fill_entries(page, application_id: int, sections: dict[str, dict[str, str]]) -> None:
    """Each section: one entry with these values, saved."""
    for code, values in sections.items():
        page.goto(f"/applications/{application_id}/sections/{code}")
        form = page.locator("#entry-form form")
        for name, value in values.items():
            field = form.locator(f"#f-{name}")
            if field.evaluate("e => e.tagName") == "SELECT":
                field.select_option(value)
            else:
                field.fill(value)
        click(page, form.locator("#save-entry"))
        no_form_error(page)
        assert page.locator("#entries tbody tr[id^=entry-]").count() == 1, f"{code} was not saved"


def submit(page, application_id: int, shot: str) -> None:
    """【确定申报】 on the overview (a confirm dialog), then 状态跟踪 reads 待单位审核."""
    page.goto(f"/applications/{application_id}")
    assert page.locator("#sections a.section-empty:has(.text-danger)").count() == 0, "a required section is empty"
    screenshot(page, f"{shot}-05-overview")
    page.once("dialog", lambda dialog: dialog.accept())
    click(page, page.locator("#submit"))
    no_form_error(page)
    assert path(page) == f"/applications/{application_id}/timeline", page.url
    assert page.locator("#current-status").inner_text().strip() == "待单位审核"


# ---------------------------------------------------------------- the unit's review
def final_pass(page, application_id: int, queue: str, business_label: str, opinion: str, shot: str) -> None:
    """demo_unit: 【职称认定和外地调入】【queue】, 审核, every section 通过, 终审通过."""
    sign_in(page, "demo_unit")
    menu(page, "职称认定和外地调入", queue)
    assert path(page) == "/review/"
    assert queue in page.locator("h3").first.inner_text()
    row = page.locator(f"#review-queue tr[data-id='{application_id}']")
    assert row.count() == 1, f"application {application_id} is not in {queue}"
    assert APPLICANT in row.inner_text() and "待单位审核" in row.inner_text(), row.inner_text()
    assert page.locator("#review-queue tbody tr").count() == 1, "another business shows in " + queue
    click(page, row.locator("a", has_text="审核"))
    assert path(page) == f"/review/{application_id}"
    assert business_label in page.locator(".page-header h3").inner_text()
    assert page.locator("#final-pass").count() == 1, "终审通过 is not offered to the unit with the authority"
    assert page.locator("#pass").count() == 0, "通过 (to report on) is offered instead of 终审通过"
    radios = page.locator("#review-form input[type=radio][value=pass]")
    assert radios.count() >= 1
    for i in range(radios.count()):
        radios.nth(i).check()
    page.fill("#opinion", opinion)
    screenshot(page, f"{shot}-06-review")
    click(page, page.locator("#final-pass"))
    no_form_error(page)
    assert path(page) == "/review/", page.url
    assert "该申报已终审通过" in flash(page)
    screenshot(page, f"{shot}-07-final-passed")


# ---------------------------------------------------------------- the applicant's PDF
def download_form(page, application_id: int, form_label: str, tmp_path, shot: str, status: str = "终审通过") -> str:
    """demo_person: 我的申报信息 reads `status`; the form's preview, 下载 → a PDF; returns its text."""
    from pypdf import PdfReader

    sign_in(page, "demo_person")
    page.goto("/applications/")
    row = page.locator(f"#my-applications tr[data-id='{application_id}']")
    assert status in row.inner_text(), row.inner_text()
    click(page, row.locator("a", has_text=form_label))
    assert path(page).startswith(f"/applications/{application_id}/forms/"), page.url
    assert APPLICANT in page.content()
    screenshot(page, f"{shot}-08-form-preview")
    with page.expect_download() as info:
        page.locator("#pdf-download").click()
    download = info.value
    assert download.suggested_filename == f"{APPLICANT}-{form_label}.pdf"
    saved = tmp_path / f"{shot}.pdf"
    download.save_as(saved)
    data = saved.read_bytes()
    assert data.startswith(b"%PDF"), data[:20]
    reader = PdfReader(io.BytesIO(data))
    # no normalising: the text must be the real characters (文, not the Kangxi radical ⽂)
    return "".join(p.extract_text() or "" for p in reader.pages)
