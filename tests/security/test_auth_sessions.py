"""Hole 6: sessions and tokens end when they should. A password change ends every other session
and every API token of the account (the browser that changed it gets a fresh session); API
logout, deactivation and a password reset end tokens; logout is a POST with the CSRF token."""
from __future__ import annotations

from sqlalchemy import update

from app.extensions import db
from tests.conftest import PASSWORD, csrf_token, login
from tests.factories import make_person

NEW_PASSWORD = "Lan-qiu92Shan"
PROFILE = "/account/person/"
API = "/api/v1/my_applications/"


def _signed_in(client) -> bool:
    return client.get(PROFILE).status_code == 200


def _tokens(client, username="wangwu", password=PASSWORD) -> dict:
    response = client.post("/api/v1/security/login", json={"username": username, "password": password,
                                                            "provider": "db", "refresh": True})
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()


def _bearer(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}


def _change_password(client):
    response = client.post("/account/password/", data={"old_password": PASSWORD, "new_password": NEW_PASSWORD,
                                                       "confirm": NEW_PASSWORD})
    assert response.status_code == 302, response.get_data(as_text=True)


def test_cookie_taken_before_password_change_is_dead_after_it(app):
    with app.app_context():
        make_person()
    browser, thief = app.test_client(), app.test_client()
    assert login(browser, "wangwu").status_code == 302
    thief.set_cookie("session", browser.get_cookie("session").value)  # the stolen cookie
    assert _signed_in(thief)
    _change_password(browser)
    assert not _signed_in(thief)
    assert _signed_in(browser)  # the browser that changed it keeps going, on a new session


def test_password_change_ends_other_sessions(app):
    with app.app_context():
        make_person()
    first, second = app.test_client(), app.test_client()
    login(first, "wangwu")
    login(second, "wangwu")
    _change_password(first)
    response = second.get(PROFILE)
    assert response.status_code == 302 and "/login/" in response.headers["Location"]


def test_password_change_ends_api_tokens(app, client):
    with app.app_context():
        make_person()
    tokens = _tokens(app.test_client())
    assert client.get(API, headers=_bearer(tokens["access_token"])).status_code == 200
    login(client, "wangwu")
    _change_password(client)
    assert app.test_client().get(API, headers=_bearer(tokens["access_token"])).status_code == 401
    refresh = app.test_client().post("/api/v1/security/refresh", headers=_bearer(tokens["refresh_token"]))
    assert refresh.status_code == 401


def test_api_logout_ends_access_and_refresh_token(app, client):
    with app.app_context():
        make_person()
    tokens = _tokens(client)
    assert client.post("/api/v1/security/logout", headers=_bearer(tokens["access_token"])).status_code == 200
    assert client.get(API, headers=_bearer(tokens["access_token"])).status_code == 401
    assert client.post("/api/v1/security/refresh", headers=_bearer(tokens["refresh_token"])).status_code == 401


def test_api_logout_leaves_other_tokens_alone(app, client):
    with app.app_context():
        make_person()
    ended, kept = _tokens(client), _tokens(client)
    client.post("/api/v1/security/logout", headers=_bearer(ended["access_token"]))
    assert client.get(API, headers=_bearer(kept["access_token"])).status_code == 200


def test_refresh_keeps_the_session_and_its_end(app, client):
    with app.app_context():
        make_person()
    tokens = _tokens(client)
    refreshed = client.post("/api/v1/security/refresh", headers=_bearer(tokens["refresh_token"]))
    assert refreshed.status_code == 200
    access = refreshed.get_json()["access_token"]
    assert client.get(API, headers=_bearer(access)).status_code == 200
    client.post("/api/v1/security/logout", headers=_bearer(tokens["refresh_token"]))
    assert client.get(API, headers=_bearer(access)).status_code == 401


def test_deactivation_ends_tokens_and_sessions(app, client):
    with app.app_context():
        user_id = make_person().id
    tokens = _tokens(app.test_client())
    login(client, "wangwu")
    with app.app_context():
        user_model = app.appbuilder.sm.user_model
        db.session.execute(update(user_model).where(user_model.id == user_id).values(active=False))
        db.session.commit()
    other = app.test_client()
    assert other.get(API, headers=_bearer(tokens["access_token"])).status_code == 401
    assert other.post("/api/v1/security/refresh", headers=_bearer(tokens["refresh_token"])).status_code == 401
    assert not _signed_in(client)


def test_token_without_a_session_is_refused(app, client):
    """A token signed with the key but naming no server-side session (as FAB alone would issue)."""
    from flask_jwt_extended import create_access_token

    with app.app_context():
        user_id = make_person().id
    with app.test_request_context():
        bare = create_access_token(identity=str(user_id), fresh=True)
        forged = create_access_token(identity=str(user_id), additional_claims={"sid": "no-such-session"})
    assert client.get(API, headers=_bearer(bare)).status_code == 401
    assert client.get(API, headers=_bearer(forged)).status_code == 401


def test_revoked_token_answer_is_chinese(app, client):
    with app.app_context():
        make_person()
    tokens = _tokens(client)
    client.post("/api/v1/security/logout", headers=_bearer(tokens["access_token"]))
    response = client.get(API, headers=_bearer(tokens["access_token"]))
    assert response.status_code == 401 and response.get_json()["message"] == "登录已失效，请重新登录"


def test_logout_by_get_signs_no_one_out(app, client):
    with app.app_context():
        make_person()
    login(client, "wangwu")
    assert client.get("/logout/").status_code == 405
    assert _signed_in(client)


def test_logout_post_needs_the_csrf_token(app, client):
    with app.app_context():
        make_person()
    login(client, "wangwu")
    app.config["WTF_CSRF_ENABLED"] = True
    assert client.post("/logout/").status_code == 400  # a forged cross-site POST
    assert _signed_in(client)
    token = csrf_token(client.get(PROFILE).get_data(as_text=True))
    assert client.post("/logout/", data={"csrf_token": token}).status_code == 302
    assert not _signed_in(client)


def test_navbar_logs_out_with_a_post_form(app, client):
    with app.app_context():
        make_person()
    login(client, "wangwu")
    page = client.get(PROFILE).get_data(as_text=True)
    assert '<form method="post" action="/logout/"' in page
    assert 'href="/logout/"' not in page


def test_admin_password_reset_ends_the_account_sessions_and_tokens(app, demo):
    """The same hole by another door: FAB's 重置密码 page of the user list."""
    with app.app_context():
        user_id = make_person().id
    victim, admin = app.test_client(), app.test_client()
    login(victim, "wangwu")
    tokens = _tokens(app.test_client())
    assert login(admin, "admin").status_code == 302
    response = admin.post(f"/resetpassword/form?pk={user_id}",
                          data={"password": NEW_PASSWORD, "conf_password": NEW_PASSWORD})
    assert response.status_code == 302
    assert not _signed_in(victim)
    assert victim.get(API, headers=_bearer(tokens["access_token"])).status_code == 401
    assert login(app.test_client(), "wangwu", NEW_PASSWORD).status_code == 302
    assert admin.get("/").status_code == 200  # the admin's own session is another account's


def test_admin_password_reset_of_a_missing_account_is_404(app, demo):
    admin = app.test_client()
    login(admin, "admin")
    response = admin.post("/resetpassword/form?pk=999999", data={"password": NEW_PASSWORD,
                                                                 "conf_password": NEW_PASSWORD})
    assert response.status_code == 404
