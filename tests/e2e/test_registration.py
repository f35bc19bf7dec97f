"""Registration and signing in, as in seed 000 §1 / 003 §1 (and 001 §1.1, 002 §1.1, 001 §2.1, 002 §2.1), in a
real browser: from the login page 个人注册 and 单位注册, 立即注册, the confirmation page, 确认注册, back on the login
page with 注册成功, signing in with the new account (an individual by login name and by ID number); five wrong
passwords lock the account and the login page says so (003 二.3); 忘记密码 by SMS (the code, a new password,
signing in with it) and 忘记用户名 (000 §3) are reachable from the login page and answer in Chinese. Every page runs under `strict_page`: a script error or an error response fails the test.
Screenshots in tests/e2e/artifacts/registration-*.png."""
from __future__ import annotations

import re
from urllib.parse import urlparse

import pytest

from tests.conftest import PASSWORD
from tests.e2e.conftest import assert_no_problems, screenshot

pytestmark = pytest.mark.e2e

PERSON = {"real_name": "孙七", "id_number": "110105198001010075", "username": "sunqi",
          "mobile": "13900000017", "email": "sunqi@example.cn"}
DEMO_MOBILE = "13800000001"  # demo_person's
NEW_PASSWORD = "Zc-new-2026x"
UNIT = {"name": "威海市环翠区美术馆", "contact_name": "周八", "mobile": "13900000018",
        "email": "meishuguan@example.cn", "username": "huancui_art"}


def _is_chinese(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


def _path(page) -> str:
    return urlparse(page.url).path


def _submit(page, locator) -> None:
    with page.expect_navigation():
        locator.click()


def _login_form(page):
    return page.locator("form:has(input[name=password])")


def _sign_in(page, login: str, password: str = PASSWORD) -> None:
    form = _login_form(page)
    form.locator("input[name=username]").fill(login)
    form.locator("input[name=password]").fill(password)
    _submit(page, form.locator("[type=submit]"))


def _signed_out(page) -> None:
    page.context.clear_cookies()
    page.goto("/login/")
    assert _path(page) == "/login/"


def _confirm(page) -> None:
    """The confirmation step: 确认注册 (not 返回修改)."""
    _submit(page, page.get_by_role("button", name="确认注册"))


def _flash_success(page) -> str:
    alerts = page.locator(".alert-success")
    assert alerts.count() >= 1, f"no success message on {page.url}"
    return alerts.first.inner_text()


def test_individual_registers_confirms_and_signs_in(demo, strict_page):
    page = strict_page
    page.goto("/login/")
    _submit(page, page.get_by_role("link", name="个人注册"))
    assert _path(page) == "/register/individual"
    form = page.locator("form:has(input[name=confirm_password])")
    form.locator("input[name=real_name]").fill(PERSON["real_name"])
    form.locator("input[name=id_number]").fill(PERSON["id_number"][:-1] + "9")  # wrong check digit
    form.locator("input[name=username]").fill(PERSON["username"])
    form.locator("input[name=password]").fill(PASSWORD)
    form.locator("input[name=confirm_password]").fill(PASSWORD)
    form.locator("input[name=mobile]").fill(PERSON["mobile"])
    form.locator("input[name=email]").fill(PERSON["email"])
    form.locator("select[name=ethnicity]").select_option("汉族")
    _submit(page, form.get_by_role("button", name="立即注册"))

    # bad input: the message is beside the field, in Chinese, and what was typed is kept
    assert _path(page) == "/register/individual" and page.locator("#register-summary").count() == 0
    group = page.locator(".form-group:has(input[name=id_number])")
    error = group.get_by_role("alert")
    assert error.count() == 1 and "身份证" in error.inner_text(), error.all_inner_texts()
    assert page.locator("input[name=real_name]").input_value() == PERSON["real_name"]
    assert page.locator("input[name=email]").input_value() == PERSON["email"]
    screenshot(page, "registration-01-individual-bad-id")
    page.locator("input[name=id_number]").fill(PERSON["id_number"])
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("input[name=confirm_password]").fill(PASSWORD)
    _submit(page, page.get_by_role("button", name="立即注册"))

    # 图1-3: the confirmation page shows what will be fixed; nothing is created before 确认
    summary = page.locator("#register-summary")
    assert summary.is_visible(), "the confirmation step did not show"
    text = summary.inner_text()
    assert PERSON["real_name"] in text and PERSON["id_number"] in text and "1980-01-01" in text
    assert "身份证号" in page.get_by_role("alert").first.inner_text()  # 确认之后个人姓名身份证号无法修改
    screenshot(page, "registration-02-individual-confirm")
    _confirm(page)
    assert _path(page) == "/login/"
    assert "注册成功" in _flash_success(page)
    screenshot(page, "registration-03-individual-registered")

    # 图1-4: sign in with the new account, by login name and by ID number
    _sign_in(page, PERSON["username"])
    assert _path(page) == "/", f"not signed in: {page.url}"
    assert PERSON["real_name"] in page.locator(".navbar").inner_text()
    _signed_out(page)
    _sign_in(page, PERSON["id_number"])
    assert _path(page) == "/", f"not signed in with the ID number: {page.url}"
    screenshot(page, "registration-04-individual-home")

    # a second account for the same ID number is refused beside the field
    _signed_out(page)
    page.goto("/register/individual")
    page.locator("input[name=real_name]").fill(PERSON["real_name"])
    page.locator("input[name=id_number]").fill(PERSON["id_number"])
    page.locator("input[name=username]").fill(PERSON["username"] + "2")
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("input[name=confirm_password]").fill(PASSWORD)
    page.locator("input[name=mobile]").fill(PERSON["mobile"])
    page.locator("input[name=email]").fill("other@example.cn")
    _submit(page, page.get_by_role("button", name="立即注册"))
    assert page.locator("#register-summary").count() == 0, "a second account for one ID number got to 确认"
    assert page.locator(".form-group:has(input[name=id_number])").get_by_role("alert").count() == 1
    assert_no_problems(page)


def test_unit_registers_with_the_region_cascade_confirms_and_signs_in(demo, strict_page):
    page = strict_page
    page.goto("/login/")
    _submit(page, page.get_by_role("link", name="单位注册"))
    assert _path(page) == "/register/unit"
    form = page.locator("form:has(input[name=confirm_password])")
    form.locator("input[name=name]").fill(UNIT["name"])
    form.locator("#region-province").select_option(label="山东省")
    page.wait_for_function("document.querySelectorAll('#region-city option').length > 1")
    form.locator("#region-city").select_option(label="威海市")
    page.wait_for_function("document.querySelectorAll('#region-district option').length > 1")
    form.locator("#region-district").select_option(label="环翠区")
    assert form.locator("input[name=region_id]").input_value(), "the district did not reach region_id"
    for name in ("contact_name", "mobile", "email", "username"):
        form.locator(f"input[name={name}]").fill(UNIT[name])
    form.locator("input[name=password]").fill(PASSWORD)
    form.locator("input[name=confirm_password]").fill(PASSWORD)
    screenshot(page, "registration-05-unit-form")
    _submit(page, form.get_by_role("button", name="立即注册"))

    summary = page.locator("#register-summary")
    assert summary.is_visible(), "the confirmation step did not show"
    assert UNIT["name"] in summary.inner_text() and "环翠区" in summary.inner_text()
    assert "单位名称" in page.get_by_role("alert").first.inner_text()  # 确认之后单位名称无法自行修改
    screenshot(page, "registration-06-unit-confirm")
    _confirm(page)
    assert _path(page) == "/login/"
    assert "注册成功" in _flash_success(page)

    _sign_in(page, UNIT["username"])
    assert _path(page) == "/", f"not signed in: {page.url}"
    # a new unit starts without the permission to accept applications (manual 000 §2.2 applies for it)
    page.goto("/units/permission/")
    assert page.locator("#permission-form").count() == 1
    assert page.locator("#permission-form #name").input_value() == UNIT["name"]
    screenshot(page, "registration-07-unit-permission-page")
    assert_no_problems(page)


def test_five_wrong_passwords_lock_the_account_and_the_login_page_says_so(demo, strict_page):
    page = strict_page
    page.goto("/login/")
    for attempt in range(1, 5):
        _sign_in(page, "demo_person", PASSWORD + "x")
        assert _path(page) == "/login/"
        message = page.locator(".form-error-box").inner_text()
        assert "用户名或密码错误" in message and "锁定" not in message, f"attempt {attempt}: {message}"
    _sign_in(page, "demo_person", PASSWORD + "x")
    message = page.locator(".form-error-box[role=alert]").inner_text()
    assert "账号已锁定" in message and "解锁" in message, message
    screenshot(page, "registration-08-locked")
    # while locked, the right password is refused with the same message
    _sign_in(page, "demo_person", PASSWORD)
    assert _path(page) == "/login/"
    assert "账号已锁定" in page.locator(".form-error-box").inner_text()
    # another account is not affected
    _sign_in(page, "demo_unit", PASSWORD)
    assert _path(page) == "/"
    assert_no_problems(page)


def _sms_code(app, mobile: str) -> str:
    """The code of the last SMS to `mobile`: what the applicant reads on the phone (the outbox is the sender)."""
    from sqlalchemy import select

    from app.extensions import db
    from app.models.notify import OutboxMessage

    with app.app_context():
        body = db.session.execute(select(OutboxMessage.body).where(
            OutboxMessage.channel == "sms", OutboxMessage.recipient == mobile)
            .order_by(OutboxMessage.id.desc()).limit(1)).scalar_one()
        db.session.remove()
    return re.search(r"(?<!\d)(\d{6})(?!\d)", body).group(1)


def test_forgot_password_and_forgot_login_name_answer_in_chinese(app, demo, strict_page):
    """Seed 000 §3: 忘记密码 by SMS (a code, a new password, signing in with it); 忘记用户名 by name and ID
    number, a wrong pair refused in Chinese."""
    page = strict_page
    page.goto("/login/")
    _submit(page, page.get_by_role("link", name="忘记密码"))
    assert _path(page) == "/recover/password"
    assert "找回用户名或密码" in page.locator(".panel-title").inner_text()
    page.locator("input[name=username]").fill("demo_person")
    page.locator("input[name=channel][value=sms]").check()
    screenshot(page, "registration-09-forgot-password")
    _submit(page, page.locator("form:has(input[name=username]) [type=submit]"))
    assert _path(page) == "/recover/password/reset"
    assert "短信" in page.locator(".alert-info").first.inner_text()
    code = _sms_code(app, DEMO_MOBILE)
    wrong = "000000" if code != "000000" else "111111"
    page.locator("input[name=code]").fill(wrong)
    page.locator("input[name=new_password]").fill(NEW_PASSWORD)
    page.locator("input[name=confirm]").fill(NEW_PASSWORD)
    _submit(page, page.locator("form:has(input[name=code]) [type=submit]"))
    assert _path(page) == "/recover/password/reset"
    refusal = page.get_by_role("alert").all_inner_texts()
    assert refusal and all(_is_chinese(text) for text in refusal), refusal
    screenshot(page, "registration-10-reset-wrong-code")
    page.locator("input[name=code]").fill(code)
    page.locator("input[name=new_password]").fill(NEW_PASSWORD)
    page.locator("input[name=confirm]").fill(NEW_PASSWORD)
    _submit(page, page.locator("form:has(input[name=code]) [type=submit]"))
    assert _path(page) == "/login/"
    assert "新密码" in _flash_success(page)
    _sign_in(page, "demo_person", PASSWORD)
    assert _path(page) == "/login/", "the old password still works"
    _sign_in(page, "demo_person", NEW_PASSWORD)
    assert _path(page) == "/"

    page.context.clear_cookies()
    page.goto("/login/")
    _submit(page, page.get_by_role("link", name="忘记用户名"))
    assert _path(page) == "/recover/username"
    page.locator("input[name=real_name]").fill("张晓燕")  # demo_person
    page.locator("input[name=id_number]").fill("110105198001010032")  # nobody's
    _submit(page, page.locator("form:has(input[name=real_name]) [type=submit]"))
    assert page.locator("#masked-login-name").count() == 0
    refusal = page.get_by_role("alert").all_inner_texts()
    assert refusal and all(_is_chinese(text) for text in refusal), refusal
    page.locator("input[name=id_number]").fill("37100219900315002X")
    _submit(page, page.locator("form:has(input[name=real_name]) [type=submit]"))
    masked = page.locator("#masked-login-name").inner_text()
    assert masked != "demo_person" and masked[0] == "d" and "*" in masked, masked
    assert "登录账号" in page.locator(".lead").inner_text()
    screenshot(page, "registration-11-login-name-found")
    assert_no_problems(page)
