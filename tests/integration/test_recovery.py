"""A7 找回用户名或密码: a one-time code by e-mail or SMS resets a forgotten password; real name and
ID number show the login name, masked."""
from __future__ import annotations

import html
import re
from pathlib import Path

import pytest
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from flask_babel import gettext
from sqlalchemy import select

from app.commands.accounts.create import new_user
from app.commands.accounts.recovery import mask_login_name
from app.extensions import db
from app.models.accounts import AccountSecurity, Person, RecoveryCode, UserSession
from app.models.audit import AuditLog
from app.models.catalog import Region
from app.models.notify import OutboxMessage
from app.models.units import Unit
from app.security import captcha
from tests.conftest import PASSWORD, login

NEW_PASSWORD = "Lan-qiu92Shan"
ID_NUMBER = "11010519491231002X"
PO_FILE = Path(__file__).resolve().parents[2] / "translations/zh/LC_MESSAGES/parts/recovery.po"


# --- helpers -----------------------------------------------------------------------------------

def make_person(app, username="wangwu", real_name="王五", id_number=ID_NUMBER, mobile="13900000000",
                email=None):
    with app.app_context():
        user = new_user(username=username, real_name=real_name, email=email or f"{username}@example.cn",
                        role_name="Individual", password=PASSWORD)
        db.session.add(Person(user_id=user.id, real_name=real_name, id_number=id_number, ethnicity="汉族",
                              mobile=mobile))
        db.session.commit()
        return user.id


def make_unit(app, username="unit1", mobile="13900000001"):
    with app.app_context():
        region = db.session.execute(select(Region)).scalars().first()
        user = new_user(username=username, real_name="联系人", email=f"{username}@example.cn",
                        role_name="Unit", password=PASSWORD)
        db.session.add(Unit(user_id=user.id, name="威海市测试单位", region=region, contact_name="联系人",
                            mobile=mobile, email=user.email))
        db.session.commit()
        return user.id


# one answer for a wrong, used, expired or void code, and for an unknown account (hole 7)
WRONG_CODE = "The code is wrong or no longer valid; check it, or request a new code (a code is void after %(n)d wrong tries)"


def t(app, msgid: str, **variables) -> str:
    """The message as the pages show it in the default language."""
    with app.test_request_context():
        return gettext(msgid, **variables)


def text_of(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def outbox(app, channel=None):
    with app.app_context():
        query = select(OutboxMessage).order_by(OutboxMessage.id)
        if channel:
            query = query.where(OutboxMessage.channel == channel)
        rows = db.session.execute(query).scalars().all()
        db.session.expunge_all()
        return rows


def code_in(message) -> str:
    return re.search(r"(?<!\d)(\d{6})(?!\d)", message.body).group(1)


def request_code(client, username="wangwu", channel="email", follow=False):
    return client.post("/recover/password", data={"username": username, "channel": channel, "captcha": ""},
                       follow_redirects=follow)


def reset(client, code, password=NEW_PASSWORD, confirm=None, follow=False):
    return client.post("/recover/password/reset",
                       data={"code": code, "new_password": password,
                             "confirm": password if confirm is None else confirm},
                       follow_redirects=follow)


def audit_rows(app):
    with app.app_context():
        rows = db.session.execute(select(AuditLog).order_by(AuditLog.id)).scalars().all()
        db.session.expunge_all()
        return rows


@pytest.fixture
def zh_catalog(app, tmp_path):
    """This part's Chinese catalog compiled and loaded, whether or not the full catalog is built."""
    target = tmp_path / "zh" / "LC_MESSAGES"
    target.mkdir(parents=True)
    with PO_FILE.open("rb") as po, (target / "messages.mo").open("wb") as mo:
        write_mo(mo, read_po(po, locale="zh"))
    babel = app.extensions["babel"]
    babel.translation_directories.append(str(tmp_path))
    babel.instance.domain_instance.cache.clear()
    yield
    babel.translation_directories.remove(str(tmp_path))
    babel.instance.domain_instance.cache.clear()


# --- forgotten password ------------------------------------------------------------------------

def test_code_by_email_resets_the_password(app, client):
    user_id = make_person(app)
    response = request_code(client)
    assert response.status_code == 302 and response.location.endswith("/recover/password/reset")
    page = client.get("/recover/password/reset")
    assert t(app, "If the account exists, a code has been sent to the e-mail address bound to it; "
                  "it is valid for %(n)d minutes", n=10) in text_of(page)

    [mail] = outbox(app)
    assert mail.channel == "email" and mail.recipient == "wangwu@example.cn"
    assert mail.delivered_by == "outbox"
    code = code_in(mail)
    with app.app_context():
        row = db.session.execute(select(RecoveryCode)).scalar_one()
        assert row.user_id == user_id and row.channel == "email" and code not in row.code_hash
        assert (row.expires_at - row.created_at).total_seconds() == 600

    done = reset(client, code)
    assert done.status_code == 302 and "/login" in done.location
    assert t(app, "Your password has been reset; please sign in with the new password") in \
        text_of(client.get(done.location))
    assert login(client, "wangwu", PASSWORD).status_code == 200  # the old password no longer works
    assert login(client, "wangwu", NEW_PASSWORD).status_code == 302

    rows = audit_rows(app)
    assert "password_reset" in [r.action for r in rows]
    for row in rows:  # neither the code nor the password is ever written to the audit log
        for value in (row.opinion, row.object_id, row.from_state, row.to_state):
            assert code not in value and NEW_PASSWORD not in value


def test_code_is_usable_once(app, client):
    make_person(app)
    request_code(client)
    code = code_in(outbox(app)[0])
    assert reset(client, code).status_code == 302
    # the login name has left the session: a second try starts again at page 1
    assert reset(client, code).location.endswith("/recover/password")
    with client.session_transaction() as sess:
        sess["recovery_login"] = "wangwu"
    again = reset(client, code, password="Other-pass83Zhou")
    assert again.status_code == 200
    assert t(app, WRONG_CODE, n=5) in text_of(again)
    assert login(client, "wangwu", "Other-pass83Zhou").status_code == 200


def test_code_expires_after_ten_minutes(app, client, clock):
    make_person(app)
    request_code(client)
    code = code_in(outbox(app)[0])
    clock.advance(minutes=11)
    response = reset(client, code)
    assert response.status_code == 200
    assert t(app, WRONG_CODE, n=5) in text_of(response)
    assert login(client, "wangwu", PASSWORD).status_code == 302


def test_code_is_still_valid_just_before_ten_minutes(app, client, clock):
    make_person(app)
    request_code(client)
    clock.advance(minutes=9, seconds=59)
    assert reset(client, code_in(outbox(app)[0])).status_code == 302


def test_five_wrong_codes_void_the_code(app, client):
    make_person(app)
    request_code(client)
    code = code_in(outbox(app)[0])
    wrong = "000000" if code != "000000" else "111111"
    for attempt in range(1, 6):
        response = reset(client, wrong)
        assert response.status_code == 200
        assert t(app, WRONG_CODE, n=5) in text_of(response)
    void = t(app, WRONG_CODE, n=5)
    sixth = reset(client, code)  # the right code, too late
    assert sixth.status_code == 200 and void in text_of(sixth)
    assert login(client, "wangwu", PASSWORD).status_code == 302
    with app.app_context():
        assert db.session.execute(select(RecoveryCode.failed_tries)).scalar_one() == 5


def test_max_tries_setting_is_honoured(app, client):
    app.config["RECOVERY_MAX_TRIES"] = 2
    make_person(app)
    request_code(client)
    code = code_in(outbox(app)[0])
    wrong = "000000" if code != "000000" else "111111"
    reset(client, wrong)
    reset(client, wrong)
    assert reset(client, code).status_code == 200


def test_a_new_request_voids_the_earlier_code(app, client):
    make_person(app)
    request_code(client)
    request_code(client)
    first, second = outbox(app)
    if code_in(first) != code_in(second):
        assert reset(client, code_in(first)).status_code == 200
    assert reset(client, code_in(second)).status_code == 302


def test_same_answer_for_existing_and_unknown_login_name(app, client):
    make_person(app)
    known = request_code(client, "wangwu")
    known_page = text_of(client.get(known.location))
    other = app.test_client()
    unknown = request_code(other, "nobody")
    unknown_page = text_of(other.get(unknown.location))
    assert known.status_code == unknown.status_code == 302 and known.location == unknown.location
    assert known_page.replace("wangwu", "X") == unknown_page.replace("nobody", "X")
    assert len(outbox(app)) == 1  # only the real account got a code
    # and page 2 answers a wrong code the same way for an account that does not exist
    code = code_in(outbox(app)[0])
    wrong = "000000" if code != "000000" else "111111"
    known_wrong, unknown_wrong = reset(client, wrong), reset(other, wrong)
    assert known_wrong.status_code == unknown_wrong.status_code == 200
    assert t(app, WRONG_CODE, n=5) in text_of(unknown_wrong)
    assert text_of(known_wrong).replace("wangwu", "X") == text_of(unknown_wrong).replace("nobody", "X")


def test_sms_goes_to_the_person_mobile(app, client):
    make_person(app, mobile="13912345678")
    response = request_code(client, channel="sms", follow=True)
    assert t(app, "If the account exists, a code has been sent by SMS to the mobile bound to it; "
                  "it is valid for %(n)d minutes", n=10) in text_of(response)
    [sms] = outbox(app)
    assert sms.channel == "sms" and sms.recipient == "13912345678" and sms.delivered_by == "outbox"
    assert reset(client, code_in(sms)).status_code == 302
    assert login(client, "wangwu", NEW_PASSWORD).status_code == 302


def test_sms_goes_to_the_unit_mobile(app, client):
    make_unit(app, mobile="13800001111")
    request_code(client, "unit1", channel="sms")
    [sms] = outbox(app, "sms")
    assert sms.recipient == "13800001111"
    assert reset(client, code_in(sms)).status_code == 302


def test_account_without_mobile_answers_the_same(app, client):
    with app.app_context():
        new_user(username="bureau1", real_name="人社局", email="bureau1@example.cn", role_name="Bureau",
                 password=PASSWORD)
        db.session.commit()
    no_mobile = request_code(client, "bureau1", channel="sms", follow=True)
    other = app.test_client()
    unknown = request_code(other, "nobody", channel="sms", follow=True)
    assert text_of(no_mobile).replace("bureau1", "X") == text_of(unknown).replace("nobody", "X")
    assert outbox(app) == []


def test_locked_account_recovers_and_logs_in(app, client):
    user_id = make_person(app)
    for _ in range(5):
        login(client, "wangwu", "Wrong-pass1")
    assert login(client, "wangwu", PASSWORD).status_code == 200  # locked
    request_code(client)
    assert reset(client, code_in(outbox(app)[0])).status_code == 302
    assert login(client, "wangwu", NEW_PASSWORD).status_code == 302
    with app.app_context():
        row = db.session.get(AccountSecurity, user_id)
        assert row.failed_logins == 0 and row.locked_until is None


def test_reset_ends_every_live_session(app, client):
    user_id = make_person(app)
    signed_in = app.test_client()
    assert login(signed_in, "wangwu").status_code == 302
    assert signed_in.get("/account/password/").status_code == 200
    request_code(client)
    assert reset(client, code_in(outbox(app)[0])).status_code == 302
    with app.app_context():
        live = db.session.execute(select(UserSession).where(UserSession.user_id == user_id,
                                                            UserSession.ended_at.is_(None))).all()
        assert live == []
    assert signed_in.get("/account/password/").status_code == 302  # sent back to the login page


def test_page_two_checks_the_new_password(app, client):
    make_person(app)
    request_code(client)
    code = code_in(outbox(app)[0])
    differ = reset(client, code, confirm="Lan-qiu92Shax")
    assert t(app, "The two new passwords differ") in text_of(differ)
    weak = reset(client, code, password="abc")
    assert t(app, "The password must have at least %(n)d characters", n=8) in text_of(weak)
    assert 'value="abc"' not in weak.get_data(as_text=True)  # passwords are never echoed
    assert f'value="{code}"' in weak.get_data(as_text=True)  # what was typed is kept
    # refused passwords cost no try: the code still works
    assert reset(client, code).status_code == 302
    with app.app_context():
        assert db.session.execute(select(RecoveryCode.failed_tries)).scalar_one() == 0


def test_page_two_without_page_one_goes_back(client):
    response = client.get("/recover/password/reset")
    assert response.status_code == 302 and response.location.endswith("/recover/password")


def test_page_one_keeps_what_was_typed_and_checks_channel(app, client):
    response = request_code(client, "wangwu", channel="fax")
    assert response.status_code == 200
    assert t(app, "Choose SMS or e-mail") in text_of(response)
    assert 'value="wangwu"' in response.get_data(as_text=True)
    empty = client.post("/recover/password", data={})
    assert empty.status_code == 200 and t(app, "This field is required") in text_of(empty)


@pytest.mark.parametrize("data", [
    {"username": "x" * 5000, "channel": "email"},
    {"username": "'; DROP TABLE ab_user; --", "channel": "sms"},
    {"username": ["a", "b"], "channel": ["sms", "email"]},
])
def test_page_one_never_fails(client, data):
    response = client.post("/recover/password", data=data)
    assert response.status_code in (200, 302)
    if response.status_code == 302:  # page 2 with that login name in the session
        assert reset(client, "123456").status_code == 200


@pytest.mark.parametrize("data", [
    {"real_name": "x" * 5000, "id_number": "y" * 5000},
    {"real_name": ["王五", "李四"], "id_number": [ID_NUMBER, "z"]},
])
def test_login_name_page_never_fails(app, client, data):
    make_person(app)
    assert client.post("/recover/username", data=data).status_code == 200


@pytest.mark.parametrize("code", ["", "12345", "1234567", "abcdef", "１２３４５", "x" * 5000, "①②③④⑤⑥⑦"])
def test_malformed_code_costs_no_try(app, client, code):
    make_person(app)
    request_code(client)
    response = reset(client, code)
    assert response.status_code == 200
    with app.app_context():
        assert db.session.execute(select(RecoveryCode.failed_tries)).scalar_one() == 0


@pytest.mark.parametrize("url,data", [
    ("/recover/password", {"username": "王五\x00", "channel": "email"}),
    ("/recover/username", {"real_name": "王五\x00", "id_number": ID_NUMBER}),
    ("/recover/username", {"real_name": "王五", "id_number": ID_NUMBER + "\x00"}),
])
def test_nul_bytes_are_refused_before_any_query(client, url, data):
    """PostgreSQL cannot store NUL; the app-wide input guard answers 400 (a Chinese page), not 500."""
    assert client.post(url, data=data).status_code == 400


def test_full_width_digits_and_blanks_are_accepted(app, client):
    make_person(app)
    request_code(client)
    code = code_in(outbox(app)[0])
    typed = " ".join(chr(ord(d) - ord("0") + ord("０")) for d in code)  # "１ ２ ３ ..." from a Chinese IME
    assert reset(client, typed).status_code == 302


def test_wrong_captcha_is_refused_at_the_captcha_field(app, client, monkeypatch):
    app.config["CAPTCHA_ENABLED"] = True
    make_person(app)
    page = client.get("/recover/password")
    assert "/captcha/image.png" in page.get_data(as_text=True)
    response = request_code(client)
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    message = html.escape(t(app, "The captcha is wrong; please enter the new one"), quote=False)
    assert re.search(r'id="captcha"[^>]*>.*?<span class="field-error" role="alert">' + re.escape(message),
                     body, re.S)
    assert outbox(app) == []
    # the right answer to a drawn image goes through (the challenge is server-side: no forging it)
    monkeypatch.setattr(captcha, "_random_text", lambda: "ABCD")
    assert client.get("/captcha/image.png").status_code == 200
    ok = client.post("/recover/password", data={"username": "wangwu", "channel": "email", "captcha": "abcd"})
    assert ok.status_code == 302 and len(outbox(app)) == 1


def test_messages_are_chinese(app, client, zh_catalog):
    make_person(app)
    page = text_of(request_code(client, follow=True))
    assert "如果账号存在，验证码已发送至该账号绑定的邮箱，10分钟内有效" in page
    [mail] = outbox(app)
    assert mail.subject == "[职称申报评审系统] 找回密码验证码"
    assert "验证码为" in mail.body and "10分钟内有效" in mail.body
    request_code(client, channel="sms")
    sms = outbox(app, "sms")[0]
    assert sms.body.startswith("【职称申报评审系统】您的找回密码验证码为")


# --- forgotten login name ----------------------------------------------------------------------

def find_name(client, real_name="王五", id_number=ID_NUMBER):
    return client.post("/recover/username", data={"real_name": real_name, "id_number": id_number, "captcha": ""})


def test_login_name_shown_masked(app, client):
    make_person(app, username="wangwu2026")
    response = find_name(client, id_number=ID_NUMBER.lower())  # a lower-case x is accepted
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert "wa****6" in body and "wangwu2026" not in body
    rows = [r for r in audit_rows(app) if r.action == "login_name_lookup"]
    assert len(rows) == 1 and "found" in rows[0].opinion and ID_NUMBER not in rows[0].opinion


def test_login_name_not_found(app, client):
    make_person(app)
    for name, number in (("李四", ID_NUMBER), ("王五", "11010519491231003X"[:17] + "8")):
        response = find_name(client, name, number)
        assert response.status_code == 200
        assert t(app, "No matching account was found; please check the name and ID number") in text_of(response)
        assert "wa****u" not in text_of(response)
    for row in audit_rows(app):
        assert ID_NUMBER not in row.opinion


def test_login_name_not_found_in_chinese(app, client, zh_catalog):
    response = find_name(client, "李四")
    assert "未找到匹配的账号，请核对姓名和身份证号" in text_of(response)
    assert 'value="李四"' in response.get_data(as_text=True)


def test_login_name_bad_id_number_is_shown_at_the_field(app, client):
    response = find_name(client, id_number="123")
    body = response.get_data(as_text=True)
    assert response.status_code == 200 and 'value="123"' in body
    assert t(app, "An ID number has 18 characters: 17 digits, then a digit or X") in text_of(response)


def test_login_name_captcha(app, client):
    app.config["CAPTCHA_ENABLED"] = True
    make_person(app)
    response = find_name(client)
    assert t(app, "The captcha is wrong; please enter the new one") in text_of(response)
    assert "wa****u" not in text_of(response)


def test_mask_login_name():
    assert mask_login_name("wangwu") == "wa****u"
    assert mask_login_name("abcd") == "ab****d"
    assert mask_login_name("ab") == "a****"


def test_pages_render_and_link_each_other(client):
    for path in ("/recover/password", "/recover/username"):
        response = client.get(path)
        body = response.get_data(as_text=True)
        assert response.status_code == 200
        assert 'href="/recover/password"' in body and 'href="/recover/username"' in body
        assert 'href="/login/"' in body
    login_page = client.get("/login/").get_data(as_text=True)
    assert 'href="/recover/password"' in login_page and 'href="/recover/username"' in login_page


def test_refusals_keep_their_audit_rows(app, client):
    """A refused look-up or reset is answered only after its record is saved: the not-found and the
    deactivated look-up and the reset for an unknown login name each leave their row."""
    from flask_appbuilder.security.sqla.models import User

    gone_id = make_person(app, username="gone1", real_name="赵六", id_number="110105198001010075")
    with app.app_context():
        db.session.get(User, gone_id).active = False
        db.session.commit()
    assert t(app, "No matching account was found; please check the name and ID number") in text_of(
        find_name(client, "李四"))
    assert "go****1" in text_of(find_name(client, "赵六", "110105198001010075"))
    request_code(client, username="nobody")
    assert reset(client, "123456").status_code == 200
    rows = [(r.action, r.opinion) for r in audit_rows(app)]
    assert ("login_name_lookup", "110105********002X not found") in rows
    assert ("login_name_lookup", "110105********0075 deactivated") in rows
    assert ("password_reset_failed", "unknown or inactive account") in rows
