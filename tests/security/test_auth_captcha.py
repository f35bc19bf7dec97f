"""Hole 3: the captcha cannot be replayed. Its challenge is server-side, single-use, bound to the
session that drew it and expires after CAPTCHA_MINUTES."""
from __future__ import annotations

import pytest

import app.security.captcha as captcha_module
from app.extensions import db
from tests.conftest import PASSWORD
from tests.factories import make_person

ANSWER = "AAAA"
CAPTCHA_ERROR = "验证码错误"  # "The captcha is wrong; please enter the new one", as the page shows it


@pytest.fixture
def captcha_on(app, monkeypatch):
    app.config["CAPTCHA_ENABLED"] = True
    monkeypatch.setattr(captcha_module, "_random_text", lambda: ANSWER)
    with app.app_context():
        make_person()
        db.session.commit()


def _draw(client) -> str:
    """GET a captcha image; return the session cookie that names it."""
    assert client.get("/captcha/image.png").status_code == 200
    return client.get_cookie("session").value


def _signed_in(client) -> bool:
    with client.session_transaction() as sess:
        return "_user_id" in sess


def test_login_captcha_cookie_replayed_ten_times_passes_once(app, captcha_on):
    client = app.test_client()
    cookie = _draw(client)
    passes = 0
    for _ in range(10):
        client.set_cookie("session", cookie)  # the same cookie, the same right answer
        response = client.post("/login/", data={"username": "wangwu", "password": PASSWORD, "captcha": ANSWER})
        if response.status_code == 302 and _signed_in(client):
            passes += 1
            client.post("/logout/")
        else:
            assert CAPTCHA_ERROR in response.get_data(as_text=True)
    assert passes == 1


def test_recover_username_captcha_cookie_replayed_passes_once(app, captcha_on):
    client = app.test_client()
    cookie = _draw(client)
    found = 0
    for _ in range(10):
        client.set_cookie("session", cookie)
        page = client.post("/recover/username", data={"real_name": "王五", "id_number": "11010519491231002X",
                                                      "captcha": ANSWER}).get_data(as_text=True)
        if "wa****u" in page:
            found += 1
        else:
            assert CAPTCHA_ERROR in page
    assert found == 1


def test_wrong_answer_uses_the_challenge_up(app, captcha_on):
    client = app.test_client()
    cookie = _draw(client)
    client.post("/login/", data={"username": "wangwu", "password": PASSWORD, "captcha": "BBBB"})
    client.set_cookie("session", cookie)
    response = client.post("/login/", data={"username": "wangwu", "password": PASSWORD, "captcha": ANSWER})
    assert response.status_code == 200 and not _signed_in(client)


def test_challenge_expires(app, captcha_on, clock):
    client = app.test_client()
    _draw(client)
    clock.advance(minutes=app.config["CAPTCHA_MINUTES"], seconds=1)
    response = client.post("/login/", data={"username": "wangwu", "password": PASSWORD, "captcha": ANSWER})
    assert response.status_code == 200 and CAPTCHA_ERROR in response.get_data(as_text=True)


def test_challenge_is_still_good_just_before_it_expires(app, captcha_on, clock):
    client = app.test_client()
    _draw(client)
    clock.advance(minutes=app.config["CAPTCHA_MINUTES"] - 1, seconds=59)
    response = client.post("/login/", data={"username": "wangwu", "password": PASSWORD, "captcha": ANSWER})
    assert response.status_code == 302 and _signed_in(client)


def test_answer_of_another_session_does_not_pass(app, captcha_on):
    drawer, other = app.test_client(), app.test_client()
    _draw(drawer)
    other.get("/login/")  # a session of its own, without an image
    response = other.post("/login/", data={"username": "wangwu", "password": PASSWORD, "captcha": ANSWER})
    assert response.status_code == 200 and not _signed_in(other)


def test_a_new_image_voids_the_previous_one(app, captcha_on):
    client = app.test_client()
    first = _draw(client)
    _draw(client)
    client.set_cookie("session", first)
    response = client.post("/login/", data={"username": "wangwu", "password": PASSWORD, "captcha": ANSWER})
    assert response.status_code == 200 and not _signed_in(client)


def test_session_cookie_holds_no_answer_digest(app, captcha_on):
    client = app.test_client()
    _draw(client)
    with client.session_transaction() as sess:
        values = " ".join(str(v) for v in sess.values())
    with app.test_request_context():
        import hashlib

        old_style = hashlib.sha256((app.secret_key + ANSWER).encode()).hexdigest()
    assert old_style not in values and set(sess) <= {"captcha_id", "csrf_token", "locale"}
