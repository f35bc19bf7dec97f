"""Hole 7 (and the API part of 3): what an anonymous visitor can repeat is rate-limited per address
and per account, by Flask-Limiter on a storage every worker shares (the app's database by default).
The limits are made small through config; the limiter and its storage are the real ones."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from app import create_app
from app.extensions import db
from app.models.guards import RateLimitCounter
from app.models.notify import OutboxMessage
from config import Config
from tests.conftest import PASSWORD, login
from tests.factories import make_person

LIMIT_MESSAGE = "尝试次数过多，请稍后再试"  # "Too many tries; please wait a while before trying again"


@pytest.fixture
def limits_on(app):
    app.config["RATE_LIMITS_ENABLED"] = True
    with app.app_context():
        make_person()


def _from(app, address: str):
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    return client


def _request_code(client, username="wangwu", channel="sms"):
    return client.post("/recover/password", data={"username": username, "channel": channel, "captcha": ""})


def _sms_count(app) -> int:
    with app.app_context():
        return db.session.execute(select(func.count()).select_from(OutboxMessage)
                                  .where(OutboxMessage.channel == "sms")).scalar_one()


def test_the_default_storage_is_shared_by_workers():
    assert Config.RATE_LIMITS_ENABLED is True
    assert Config.RATELIMIT_STORAGE_URI == "appdb://"


def test_fifteen_code_requests_send_one_sms(app, limits_on):
    app.config["RATELIMIT_RECOVERY_CODE_PER_ACCOUNT"] = "1/minute"
    app.config["RATELIMIT_RECOVERY_PER_ADDRESS"] = "100/minute"
    client = _from(app, "10.0.0.1")
    answers = [_request_code(client).status_code for _ in range(15)]
    assert answers.count(302) == 1 and answers.count(429) == 14
    assert _sms_count(app) == 1
    assert LIMIT_MESSAGE in _request_code(client).get_data(as_text=True)


def test_code_limit_per_account_holds_across_addresses(app, limits_on):
    app.config["RATELIMIT_RECOVERY_CODE_PER_ACCOUNT"] = "2/hour"
    answers = [_request_code(_from(app, f"10.0.1.{n}")).status_code for n in range(6)]
    assert answers == [302, 302, 429, 429, 429, 429]
    assert _sms_count(app) == 2


def test_code_limit_answers_the_same_for_an_unknown_login_name(app, limits_on):
    app.config["RATELIMIT_RECOVERY_CODE_PER_ACCOUNT"] = "1/hour"
    known = [_request_code(_from(app, "10.0.2.1"), "wangwu").status_code for _ in range(3)]
    unknown = [_request_code(_from(app, "10.0.2.2"), "nobody").status_code for _ in range(3)]
    assert known == unknown == [302, 429, 429]


def test_recovery_limit_per_address(app, limits_on):
    app.config["RATELIMIT_RECOVERY_PER_ADDRESS"] = "3/minute"
    client = _from(app, "10.0.3.1")
    answers = [_request_code(client, f"name{n}").status_code for n in range(5)]
    assert answers == [302, 302, 302, 429, 429]
    assert _request_code(_from(app, "10.0.3.2"), "name9").status_code == 302  # another address is not held


def test_code_tries_are_limited_per_account_across_codes(app, limits_on):
    """A fresh code every few tries does not give an attacker more guesses."""
    app.config["RATELIMIT_RECOVERY_RESET_PER_ACCOUNT"] = "4/hour"
    app.config["RATELIMIT_RECOVERY_PER_ADDRESS"] = "100/minute"
    app.config["RATELIMIT_RECOVERY_CODE_PER_ACCOUNT"] = "100/minute"
    client = _from(app, "10.0.4.1")
    for _ in range(2):
        _request_code(client, channel="email")
        for _ in range(2):
            response = client.post("/recover/password/reset", data={"code": "000000", "new_password": "Lan-qiu92Shan",
                                                                    "confirm": "Lan-qiu92Shan"})
            assert response.status_code == 200
    _request_code(client, channel="email")
    with app.app_context():
        import re

        body = db.session.execute(select(OutboxMessage.body).order_by(OutboxMessage.id.desc())).scalars().first()
        code = re.search(r"(?<!\d)(\d{6})(?!\d)", body).group(1)
    response = client.post("/recover/password/reset", data={"code": code, "new_password": "Lan-qiu92Shan",
                                                            "confirm": "Lan-qiu92Shan"})
    assert response.status_code == 429 and LIMIT_MESSAGE in response.get_data(as_text=True)
    assert login(app.test_client(), "wangwu", PASSWORD).status_code == 302  # the password is unchanged


def test_login_limit_per_address(app, limits_on):
    app.config["RATELIMIT_LOGIN_PER_ADDRESS"] = "3/minute"
    client = _from(app, "10.0.5.1")
    for _ in range(3):
        assert login(client, "nobody", "Wrong-pass1").status_code == 200
    response = login(client, "wangwu")  # the right password, but over the limit
    assert response.status_code == 429 and "该地址登录尝试次数过多" in response.get_data(as_text=True)
    with client.session_transaction() as sess:
        assert "_user_id" not in sess
    assert login(_from(app, "10.0.5.2"), "wangwu").status_code == 302


def test_api_password_login_is_off_by_default(app, client):
    assert Config.API_PASSWORD_LOGIN is False
    app.config["API_PASSWORD_LOGIN"] = Config.API_PASSWORD_LOGIN
    with app.app_context():
        make_person()
    response = client.post("/api/v1/security/login", json={"username": "wangwu", "password": PASSWORD,
                                                            "provider": "db"})
    assert response.status_code == 404 and "access_token" not in response.get_json()
    assert "API密钥" in response.get_json()["message"]


def test_api_password_login_when_on_is_rate_limited(app, limits_on):
    app.config["RATELIMIT_API_LOGIN_PER_ADDRESS"] = "3/minute"
    client = _from(app, "10.0.6.1")
    wrong = {"username": "wangwu", "password": "Wrong-pass1", "provider": "db"}
    assert [client.post("/api/v1/security/login", json=wrong).status_code for _ in range(3)] == [401] * 3
    response = client.post("/api/v1/security/login", json=dict(wrong, password=PASSWORD))
    assert response.status_code == 429 and "access_token" not in response.get_json()


def test_api_key_made_by_the_admin_reaches_the_api(app, client):
    with app.app_context():
        user = make_person()
        key = app.appbuilder.sm.create_api_key(user, "integration")["key"]
        db.session.commit()
    assert client.get("/api/v1/my_applications/", headers={"Authorization": f"Bearer {key}"}).status_code == 200
    assert client.get("/api/v1/my_applications/", headers={"Authorization": "Bearer sst_wrong"}).status_code == 401


def test_registration_limit_per_address(app, limits_on):
    app.config["RATELIMIT_REGISTER_PER_ADDRESS"] = "2/minute"
    client = _from(app, "10.0.7.1")
    data = {"real_name": "王小丽", "id_type": "resident_id", "id_number": "110105194912310021",
            "username": "wangxl", "password": "x", "confirm_password": "x", "mobile": "1", "email": "x",
            "ethnicity": "汉族"}
    answers = [client.post("/register/individual", data=data).status_code for _ in range(4)]
    assert answers == [200, 200, 429, 429]
    assert "该地址注册次数过多" in client.post("/register/individual", data=data).get_data(as_text=True)


def test_captcha_images_are_limited_per_address(app, limits_on):
    app.config["RATELIMIT_CAPTCHA_PER_ADDRESS"] = "2/minute"
    client = _from(app, "10.0.8.1")
    assert [client.get("/captcha/image.png").status_code for _ in range(3)] == [200, 200, 429]


def test_counters_are_shared_between_two_app_processes(app, database_url, tmp_path, limits_on):
    """A second app on the same database (another gunicorn worker) sees the first one's count."""
    app.config["RATELIMIT_LOGIN_PER_ADDRESS"] = "2/minute"
    worker2 = create_app({"DATABASE_URL": database_url, "TESTING": True, "CAPTCHA_ENABLED": False,
                          "SCHEDULER_ENABLED": False, "WTF_CSRF_ENABLED": False, "RATE_LIMITS_ENABLED": True,
                          "RATELIMIT_LOGIN_PER_ADDRESS": "2/minute", "ATTACHMENT_DIR": str(tmp_path)})
    assert worker2.appbuilder.sm.limiter is not app.appbuilder.sm.limiter
    login(_from(app, "10.0.9.1"), "nobody", "Wrong-pass1")
    login(_from(app, "10.0.9.1"), "nobody", "Wrong-pass1")
    assert login(_from(worker2, "10.0.9.1"), "wangwu").status_code == 429
    with worker2.app_context():
        assert db.session.execute(select(func.count()).select_from(RateLimitCounter)).scalar_one() >= 1
        db.session.remove()


def test_our_limits_count_with_flask_limiter_switched_off(app, database_url, tmp_path, limits_on):
    """RATELIMIT_ENABLED=0 switches Flask-Limiter off (it then builds no strategy): a sign-in is still
    answered, not a 500, and our limits, which only RATE_LIMITS_ENABLED turns off, still refuse."""
    worker = create_app({"DATABASE_URL": database_url, "TESTING": True, "CAPTCHA_ENABLED": False,
                         "SCHEDULER_ENABLED": False, "WTF_CSRF_ENABLED": False, "RATE_LIMITS_ENABLED": True,
                         "RATELIMIT_ENABLED": False, "RATELIMIT_LOGIN_PER_ADDRESS": "2/minute",
                         "ATTACHMENT_DIR": str(tmp_path)})
    client = _from(worker, "10.0.10.1")
    assert [login(client, "nobody", "Wrong-pass1").status_code for _ in range(3)] == [200, 200, 429]
    with worker.app_context():
        db.session.remove()


def test_admin_creates_an_api_key_with_the_cli(app, client):
    with app.app_context():
        make_person()
    result = app.test_cli_runner().invoke(args=["create-api-key", "wangwu", "integration"])
    assert result.exit_code == 0, result.output
    key = result.output.strip().splitlines()[-1]
    assert client.get("/api/v1/my_applications/", headers={"Authorization": f"Bearer {key}"}).status_code == 200
    refused = app.test_cli_runner().invoke(args=["create-api-key", "nobody", "integration"])
    assert refused.exit_code != 0


def test_purge_job_removes_ended_windows_and_old_name_counts(app, clock, limits_on):
    import datetime as dt
    import time

    from app.models.guards import LoginNameGuard
    from app.scheduler import purge_expired_guards

    with app.app_context():
        db.session.add_all([RateLimitCounter(key="ended", count=3, expires_at=time.time() - 1),
                            RateLimitCounter(key="running", count=1, expires_at=time.time() + 60),
                            LoginNameGuard(name_digest="old", failed_logins=2,
                                           last_failed_at=clock.now - dt.timedelta(days=2)),
                            LoginNameGuard(name_digest="recent", failed_logins=2, last_failed_at=clock.now),
                            LoginNameGuard(name_digest="locked", failed_logins=0,
                                           last_failed_at=clock.now - dt.timedelta(days=2),
                                           locked_until=clock.now + dt.timedelta(minutes=5))])
        db.session.commit()
    assert purge_expired_guards(app) == 2
    assert purge_expired_guards(app) == 0  # safe to run twice
    with app.app_context():
        assert set(db.session.execute(select(RateLimitCounter.key)).scalars()) == {"running"}
        assert set(db.session.execute(select(LoginNameGuard.name_digest)).scalars()) == {"recent", "locked"}


def test_login_name_lookups_are_limited_per_id_number_across_addresses(app, limits_on):
    app.config["RATELIMIT_RECOVERY_LOOKUP_PER_ID_NUMBER"] = "2/hour"
    data = {"real_name": "王五", "id_number": "11010519491231002X", "captcha": ""}
    pages = [_from(app, f"10.0.10.{n}").post("/recover/username", data=data) for n in range(3)]
    assert [p.status_code for p in pages] == [200, 200, 429]
    assert "wa****u" in pages[0].get_data(as_text=True) and "wa****u" not in pages[2].get_data(as_text=True)
    assert LIMIT_MESSAGE in pages[2].get_data(as_text=True)
