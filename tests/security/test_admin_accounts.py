"""Issue item 18's new actions (停用/启用 on /users/action_post) are Admin's alone, POST only and
CSRF-protected; the favicon route is public and static."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models.audit import AuditLog
from tests.conftest import login
from tests.factories import make_person


def _target(app):
    with app.app_context():
        return make_person("wangwu").id


def _state(app, user_id):
    with app.app_context():
        user = app.appbuilder.sm.get_user_by_id(user_id)
        audited = db.session.execute(select(AuditLog.id).where(
            AuditLog.action.in_(["user_deactivated", "user_activated"]))).first()
        return bool(user.active), audited is not None


@pytest.mark.parametrize("username", ["demo_person", "demo_unit", "demo_bureau", "demo_committee"])
def test_other_roles_cannot_deactivate(app, demo, username):
    user_id = _target(app)
    client = app.test_client()
    assert login(client, username).status_code == 302
    response = client.post("/users/action_post", data={"action": "deactivate", "rowid": [str(user_id)]})
    assert response.status_code in (302, 403)
    assert _state(app, user_id) == (True, False)


def test_anonymous_cannot_deactivate(app, demo):
    user_id = _target(app)
    response = app.test_client().post("/users/action_post", data={"action": "deactivate", "rowid": [str(user_id)]})
    assert response.status_code in (302, 401, 403)
    assert _state(app, user_id) == (True, False)


def test_deactivate_by_get_is_refused(app, demo):
    user_id = _target(app)
    client = app.test_client()
    assert login(client, "admin").status_code == 302
    client.get(f"/users/action/deactivate/{user_id}")
    assert _state(app, user_id) == (True, False)


def test_deactivate_needs_the_csrf_token(app, demo):
    user_id = _target(app)
    client = app.test_client()
    assert login(client, "admin").status_code == 302
    app.config["WTF_CSRF_ENABLED"] = True  # restored after the test by _fresh_data
    response = client.post("/users/action_post", data={"action": "deactivate", "rowid": [str(user_id)]})
    assert response.status_code == 400
    assert _state(app, user_id) == (True, False)


def test_favicon_is_public_and_static(app):
    response = app.test_client().get("/favicon.ico")
    assert response.status_code == 200
    assert response.mimetype == "image/vnd.microsoft.icon"
    assert "Set-Cookie" not in response.headers


@pytest.mark.parametrize("username", ["admin", "demo_bureau"])
def test_an_unknown_action_is_a_404_not_a_500(app, demo, username):
    client = app.test_client()
    assert login(client, username).status_code == 302
    for url in ("/users/action_post", "/catalog/regions/action_post"):
        response = client.post(url, data={"action": "no_such_action", "rowid": ["1"]})
        assert response.status_code == 404, url
        assert "页面不存在" in response.get_data(as_text=True)
