"""Hole 7: the answers do not tell whether an account exists. A locked account and an unknown
login name answer alike and do the same work; recovery answers a wrong code of a real account
like one of an unknown name, however many were tried; registration looks nothing up before its
captcha is solved."""
from __future__ import annotations

import html
import re

import pytest
from sqlalchemy import func, select

import app.commands.accounts.authenticate as authenticate_module
import app.security.captcha as captcha_module
from app.extensions import db
from app.models.notify import OutboxMessage
from tests.conftest import PASSWORD, login
from tests.factories import make_person

WRONG = "Wrong-pass1"


def _error(response) -> str:
    """The form's message (the alert box), without the page around it."""
    found = re.findall(r'role="alert"[^>]*>(.*?)<', response.get_data(as_text=True), re.S)
    return html.unescape(" ".join(m.strip() for m in found))


def _fail_until_locked(client, name: str) -> list[str]:
    return [_error(login(client, name, WRONG)) for _ in range(5)]


def test_locked_account_and_unknown_name_answer_alike(app, clock):
    with app.app_context():
        make_person()
    known, unknown = app.test_client(), app.test_client()
    known_answers = _fail_until_locked(known, "wangwu")
    unknown_answers = _fail_until_locked(unknown, "nobody")
    assert known_answers == unknown_answers
    assert "锁定" in known_answers[-1]  # the fifth says the account is locked, and until when
    # locked: the right password of the real account gets the same answer as any unknown name
    assert _error(login(known, "wangwu", PASSWORD)) == _error(login(unknown, "nobody", PASSWORD))
    assert login(app.test_client(), "wangwu").status_code == 200  # still locked


def test_unknown_name_unlocks_like_an_account(app, clock):
    client = app.test_client()
    _fail_until_locked(client, "nobody")
    clock.advance(minutes=app.config["LOCKOUT_MINUTES"], seconds=1)
    assert "锁定" not in _error(login(client, "nobody", WRONG))


@pytest.mark.parametrize("case", ["locked", "unknown", "wrong"])
def test_every_refusal_hashes_the_password_once(app, clock, monkeypatch, case):
    """The same work, hence about the same time, for a locked account, an unknown name and a
    wrong password (a locked account used to answer 7 times faster, without hashing)."""
    with app.app_context():
        make_person()
    client = app.test_client()
    if case == "locked":
        _fail_until_locked(client, "wangwu")
    calls = []
    real_check = authenticate_module.check_password_hash
    monkeypatch.setattr(authenticate_module, "check_password_hash",
                        lambda *args: calls.append(1) or real_check(*args))
    name = {"locked": "wangwu", "unknown": "nobody", "wrong": "wangwu"}[case]
    assert login(client, name, PASSWORD if case == "locked" else WRONG).status_code == 200
    assert len(calls) == 1


def _code_of_latest_mail(app) -> str:
    with app.app_context():
        body = db.session.execute(select(OutboxMessage.body).order_by(OutboxMessage.id.desc())).scalars().first()
    return re.search(r"(?<!\d)(\d{6})(?!\d)", body).group(1)


def test_wrong_codes_answer_alike_for_a_real_and_an_unknown_account(app):
    with app.app_context():
        make_person()
    real, fake = app.test_client(), app.test_client()
    for client, name in ((real, "wangwu"), (fake, "nobody")):
        client.post("/recover/password", data={"username": name, "channel": "email", "captcha": ""})
    code = _code_of_latest_mail(app)
    wrong = "000000" if code != "000000" else "111111"
    data = {"code": wrong, "new_password": "Lan-qiu92Shan", "confirm": "Lan-qiu92Shan"}
    for attempt in range(7):  # past the five tries that void the real code
        real_answer = real.post("/recover/password/reset", data=data)
        fake_answer = fake.post("/recover/password/reset", data=data)
        assert real_answer.status_code == fake_answer.status_code == 200
        assert _error(real_answer) == _error(fake_answer), f"try {attempt + 1} tells them apart"
    # the right code, now void, answers like the unknown account too
    real_answer = real.post("/recover/password/reset", data=dict(data, code=code))
    assert _error(real_answer) == _error(fake.post("/recover/password/reset", data=dict(data, code=code)))


def test_used_code_answers_like_a_wrong_one(app):
    with app.app_context():
        make_person()
    client = app.test_client()
    client.post("/recover/password", data={"username": "wangwu", "channel": "email", "captcha": ""})
    code = _code_of_latest_mail(app)
    data = {"code": code, "new_password": "Lan-qiu92Shan", "confirm": "Lan-qiu92Shan"}
    assert client.post("/recover/password/reset", data=data).status_code == 302
    with client.session_transaction() as sess:
        sess["recovery_login"] = "wangwu"
    used = _error(client.post("/recover/password/reset", data=dict(data, new_password="Other-pass83Zhou",
                                                                     confirm="Other-pass83Zhou")))
    fake = app.test_client()
    fake.post("/recover/password", data={"username": "nobody", "channel": "email", "captcha": ""})
    assert used == _error(fake.post("/recover/password/reset", data=data))


REGISTRATION = {"real_name": "王五", "id_type": "resident_id", "id_number": "11010519491231002X",
                "username": "wangwu", "password": "Lan-shan7Yue", "confirm_password": "Lan-shan7Yue",
                "mobile": "13912345678", "email": "wangwu@example.cn", "ethnicity": "汉族"}


def test_registration_needs_a_captcha_before_it_tells_a_name_is_taken(app, client, monkeypatch):
    app.config["CAPTCHA_ENABLED"] = True
    monkeypatch.setattr(captcha_module, "_random_text", lambda: "AAAA")
    with app.app_context():
        make_person()  # wangwu, 11010519491231002X, wangwu@example.cn are taken
    page = client.post("/register/individual", data=dict(REGISTRATION, captcha="")).get_data(as_text=True)
    assert "验证码错误" in page
    for taken in ("登录名", "身份证号", "邮箱"):
        assert f"该{taken}" not in page and "已被" not in page and "已注册" not in page
    # with the captcha solved the taken login name is shown, so a person can choose another
    client.get("/captcha/image.png")
    page = client.post("/register/individual", data=dict(REGISTRATION, captcha="AAAA")).get_data(as_text=True)
    assert "验证码错误" not in page and ("已被" in page or "已注册" in page)


def test_registration_confirmation_cannot_skip_the_captcha(app, client):
    app.config["CAPTCHA_ENABLED"] = True
    data = dict(REGISTRATION, username="lisi2026", id_number="110105198001010016", email="lisi@example.cn",
                confirm="1")
    page = client.post("/register/individual", data=data).get_data(as_text=True)
    assert "验证码错误" in page
    with app.app_context():
        users = db.session.execute(select(func.count()).select_from(app.appbuilder.sm.user_model)).scalar_one()
    assert users == 0


def test_registration_with_captcha_works_and_its_pass_cannot_be_replayed(app, client, monkeypatch):
    app.config["CAPTCHA_ENABLED"] = True
    monkeypatch.setattr(captcha_module, "_random_text", lambda: "AAAA")
    client.get("/captcha/image.png")
    data = dict(REGISTRATION, username="lisi2026", id_number="110105198001010016", email="lisi@example.cn")
    first = client.post("/register/individual", data=dict(data, captcha="AAAA"))
    assert first.status_code == 200 and 'name="confirm"' in first.get_data(as_text=True)
    saved = client.get_cookie("session").value  # the cookie that carries the pass
    assert client.post("/register/individual", data=dict(data, confirm="1")).status_code == 302
    client.set_cookie("session", saved)  # replay it to ask about other data without a captcha
    other = dict(REGISTRATION, confirm="1")
    page = client.post("/register/individual", data=other).get_data(as_text=True)
    assert "验证码错误" in page
    with app.app_context():
        names = db.session.execute(select(app.appbuilder.sm.user_model.username)).scalars().all()
    assert names == ["lisi2026"]
