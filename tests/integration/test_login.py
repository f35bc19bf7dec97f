"""A3, A4 and sessions: login by name or ID number, lockout, idle timeout, final logout."""
from __future__ import annotations

import threading

from sqlalchemy import func, select

from app.extensions import db
from app.models.accounts import AccountSecurity
from app.models.audit import AuditLog
from tests.conftest import PASSWORD, login
from tests.factories import make_person


def _body(response):
    return response.get_data(as_text=True)


def test_login_with_login_name_and_with_id_number(app, client):
    with app.app_context():
        make_person()
    assert login(client, "wangwu").status_code == 302
    client.post("/logout/")
    assert login(client, "11010519491231002x").status_code == 302  # lowercase x accepted


def test_unknown_user_and_wrong_password_get_the_same_answer(app, client):
    with app.app_context():
        make_person()
    unknown = login(client, "nobody", "Wrong-pass1")
    wrong = login(client, "wangwu", "Wrong-pass1")
    assert unknown.status_code == wrong.status_code == 200
    strip = lambda html: html.replace("nobody", "X").replace("wangwu", "X")  # noqa: E731
    assert strip(_body(unknown)) == strip(_body(wrong))


def test_five_wrong_passwords_lock_for_fifteen_minutes(app, client, clock):
    with app.app_context():
        user_id = make_person().id
    for _ in range(4):
        login(client, "wangwu", "Wrong-pass1")
    fifth = login(client, "wangwu", "Wrong-pass1")
    assert "10:15" in _body(fifth)  # 02:00 UTC + 15 min = 10:15 in Asia/Shanghai
    # the right password is refused while locked, and the message says when the lock ends
    refused = login(client, "wangwu")
    assert refused.status_code == 200 and "10:15" in _body(refused)
    clock.advance(minutes=15, seconds=1)
    assert login(client, "wangwu").status_code == 302
    with app.app_context():
        row = db.session.get(AccountSecurity, user_id)
        assert row.failed_logins == 0
        actions = db.session.execute(select(AuditLog.action).where(AuditLog.actor_id == user_id)).scalars().all()
        assert actions.count("login_failed") == 5 and "account_locked" in actions
        assert "login_refused_locked" in actions and actions[-1] == "login"


def test_lockout_settings_are_honoured(app, client, clock):
    app.config["LOCKOUT_ATTEMPTS"] = 2
    app.config["LOCKOUT_MINUTES"] = 1
    with app.app_context():
        make_person()
    login(client, "wangwu", "Wrong-pass1")
    login(client, "wangwu", "Wrong-pass1")
    assert login(client, "wangwu").status_code == 200
    clock.advance(minutes=1, seconds=1)
    assert login(client, "wangwu").status_code == 302


def test_success_resets_the_count(app, client):
    with app.app_context():
        user_id = make_person().id
    for _ in range(4):
        login(client, "wangwu", "Wrong-pass1")
    assert login(client, "wangwu").status_code == 302
    client.post("/logout/")
    for _ in range(4):
        login(client, "wangwu", "Wrong-pass1")
    assert login(client, "wangwu").status_code == 302
    with app.app_context():
        assert db.session.get(AccountSecurity, user_id).locked_until is None


def test_parallel_wrong_attempts_still_lock(app):
    with app.app_context():
        user_id = make_person().id
    barrier = threading.Barrier(20)

    def attempt():
        client = app.test_client()
        barrier.wait()
        login(client, "wangwu", "Wrong-pass1")

    threads = [threading.Thread(target=attempt) for _ in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    with app.app_context():
        assert db.session.get(AccountSecurity, user_id).locked_until is not None
        failures = db.session.execute(
            select(func.count()).select_from(AuditLog).where(AuditLog.action == "login_failed")).scalar()
        assert failures + db.session.execute(select(func.count()).select_from(AuditLog).where(
            AuditLog.action == "login_refused_locked")).scalar() == 20
    assert login(app.test_client(), "wangwu").status_code == 200  # still locked


def test_api_login_obeys_the_same_lock(app, client):
    with app.app_context():
        make_person()
    payload = {"username": "wangwu", "password": "Wrong-pass1", "provider": "db"}
    for _ in range(5):
        assert client.post("/api/v1/security/login", json=payload).status_code == 401
    good = dict(payload, password=PASSWORD)
    assert client.post("/api/v1/security/login", json=good).status_code == 401
    assert login(client, "wangwu").status_code == 200  # and the page is locked too


def test_api_login_works_when_not_locked(app, client):
    with app.app_context():
        make_person()
    response = client.post("/api/v1/security/login",
                           json={"username": "wangwu", "password": PASSWORD, "provider": "db"})
    assert response.status_code == 200 and "access_token" in response.get_json()


def test_scheduled_job_clears_expired_locks(app, client, clock):
    from app.scheduler import unlock_expired_accounts

    with app.app_context():
        user_id = make_person().id
    for _ in range(5):
        login(client, "wangwu", "Wrong-pass1")
    assert unlock_expired_accounts(app) == 0  # not yet expired
    clock.advance(minutes=16)
    assert unlock_expired_accounts(app) == 1
    assert unlock_expired_accounts(app) == 0  # safe to run twice
    with app.app_context():
        assert db.session.get(AccountSecurity, user_id).locked_until is None


def test_captcha_is_required_when_enabled(app, client, monkeypatch):
    app.config["CAPTCHA_ENABLED"] = True
    import app.security.captcha as captcha_module

    monkeypatch.setattr(captcha_module, "_random_text", lambda: "AAAA")
    with app.app_context():
        make_person()
    image = client.get("/captcha/image.png")
    assert image.status_code == 200 and image.data[:8] == b"\x89PNG\r\n\x1a\n"
    with client.session_transaction() as sess:
        copied = dict(sess)  # the cookie that names this image
    response = login(client, "wangwu")  # no captcha answer
    assert response.status_code == 200
    with client.session_transaction() as sess:
        sess.clear()
        sess.update(copied)  # replay the old cookie, now with the right answer
    response = client.post("/login/", data={"username": "wangwu", "password": PASSWORD, "captcha": "AAAA"})
    assert response.status_code == 200  # consumed: the same image cannot be tried again
    with client.session_transaction() as sess:
        assert "_user_id" not in sess


def test_captcha_right_answer_logs_in(app, client, monkeypatch):
    app.config["CAPTCHA_ENABLED"] = True
    import app.security.captcha as captcha_module

    monkeypatch.setattr(captcha_module, "_random_text", lambda: "AAAA")
    with app.app_context():
        make_person()
    client.get("/captcha/image.png")
    response = client.post("/login/", data={"username": "wangwu", "password": PASSWORD, "captcha": "aaaa"})
    assert response.status_code == 302


def test_logout_ends_the_session_for_good(app, client):
    with app.app_context():
        make_person()
    login(client, "wangwu")
    assert client.get("/account/person/").status_code == 200
    with client.session_transaction() as sess:
        copied = dict(sess)
    assert client.get("/logout/").status_code == 405  # a GET signs no one out
    assert client.get("/account/person/").status_code == 200
    assert client.post("/logout/").status_code == 302
    with client.session_transaction() as sess:
        sess.update(copied)  # replay the cookie taken before logout
    response = client.get("/account/person/")
    assert response.status_code == 302 and "/login/" in response.headers["Location"]


def test_idle_timeout(app, client, clock):
    with app.app_context():
        make_person()
    login(client, "wangwu")
    clock.advance(minutes=29)
    assert client.get("/account/person/").status_code == 200
    clock.advance(minutes=29)  # activity above refreshed the session
    assert client.get("/account/person/").status_code == 200
    clock.advance(minutes=31)
    response = client.get("/account/person/")
    assert response.status_code == 302 and "/login/" in response.headers["Location"]


def test_new_session_at_login(app, client):
    with app.app_context():
        make_person()
    with client.session_transaction() as sess:
        sess["planted"] = "by an attacker"
    login(client, "wangwu")
    with client.session_transaction() as sess:
        assert "planted" not in sess and sess.get("sid")


def test_session_cookie_flags(app, client):
    with app.app_context():
        make_person()
    response = login(client, "wangwu")
    cookie = response.headers.get("Set-Cookie", "")
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_audit_has_no_secrets(app, client):
    with app.app_context():
        make_person()
    login(client, "wangwu", "Wrong-pass1")
    login(client, "11010519491231002X")
    with app.app_context():
        rows = db.session.execute(select(AuditLog)).scalars().all()
        text = " ".join(f"{r.opinion} {r.object_id} {r.actor_name}" for r in rows)
        assert "Wrong-pass1" not in text and PASSWORD not in text and "11010519491231002X" not in text


def test_nul_byte_in_login_name_is_refused_cleanly(client):
    response = client.post("/login/", data={"username": "adm\x00in", "password": "x", "captcha": ""})
    assert response.status_code == 400
