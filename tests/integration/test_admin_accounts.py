"""Issue item 18: an account with history is never deleted (the person would be stranded: the ID number
taken, 忘记用户名 finding nothing); Admin deactivates (停用) and reactivates (启用) it instead."""
from __future__ import annotations

from sqlalchemy import select

from app.commands.accounts.create import new_user
from app.extensions import db
from app.models.accounts import Person, UserSession
from app.models.audit import AuditLog
from tests.conftest import PASSWORD, login
from tests.factories import make_application, make_person

ID_NUMBER = "11010519491231002X"


def _user(app, username):
    with app.app_context():
        user = app.appbuilder.sm.find_user(username=username)
        return None if user is None else (user.id, bool(user.active))


def _person_with_application(app):
    with app.app_context():
        user = make_person("wangwu", ID_NUMBER, "王五")
        make_application(user)
        db.session.commit()
        return user.id


def _admin(app, demo):
    client = app.test_client()
    assert login(client, "admin").status_code == 302
    return client


def test_deleting_an_applicant_with_history_is_refused_in_chinese(app, demo):
    user_id = _person_with_application(app)
    admin = _admin(app, demo)
    page = admin.post(f"/users/delete/{user_id}", follow_redirects=True)
    assert page.status_code == 200
    assert "不能删除，请改为停用" in page.get_data(as_text=True)
    assert _user(app, "wangwu") == (user_id, True)
    with app.app_context():
        assert db.session.execute(select(Person).where(Person.user_id == user_id)).scalar_one()
        assert not db.session.execute(select(AuditLog).where(AuditLog.action == "user_deleted")).first()


def test_an_account_without_history_can_still_be_deleted(app, demo):
    with app.app_context():
        user = new_user(username="typo_account", real_name="误建", email="typo@example.cn",
                        role_name="Bureau", password=PASSWORD)
        db.session.commit()
        user_id = user.id
    admin = _admin(app, demo)
    admin.post(f"/users/delete/{user_id}", follow_redirects=True)
    assert _user(app, "typo_account") is None


def test_deactivate_then_reactivate(app, demo):
    user_id = _person_with_application(app)
    person = app.test_client()
    assert login(person, "wangwu").status_code == 302  # a live session that deactivation must end

    admin = _admin(app, demo)
    page = admin.post("/users/action_post", data={"action": "deactivate", "rowid": [str(user_id)]},
                      follow_redirects=True)
    assert "已停用 1 个账号" in page.get_data(as_text=True)
    assert _user(app, "wangwu") == (user_id, False)
    with app.app_context():
        assert db.session.execute(select(UserSession).where(UserSession.user_id == user_id,
                                                            UserSession.ended_at.is_(None))).first() is None
    assert person.get("/applications/").status_code == 302  # the old session is over
    assert login(app.test_client(), "wangwu").status_code != 302

    # the person is not stranded: 忘记用户名 finds the account and says it is deactivated
    found = app.test_client().post("/recover/username", data={"real_name": "王五", "id_number": ID_NUMBER,
                                                                 "captcha": ""})
    assert "已停用，请联系管理员启用" in found.get_data(as_text=True)
    assert "wa****u" in found.get_data(as_text=True)

    page = admin.post("/users/action_post", data={"action": "activate", "rowid": [str(user_id)]},
                      follow_redirects=True)
    assert "已启用 1 个账号" in page.get_data(as_text=True)
    assert _user(app, "wangwu") == (user_id, True)
    assert login(app.test_client(), "wangwu").status_code == 302
    with app.app_context():
        rows = db.session.execute(select(AuditLog.action, AuditLog.from_state, AuditLog.to_state)
                                  .where(AuditLog.action.in_(["user_deactivated", "user_activated"]),
                                         AuditLog.object_id == str(user_id))
                                  .order_by(AuditLog.id)).all()
        assert [tuple(r) for r in rows] == [("user_deactivated", "active", "inactive"),
                                            ("user_activated", "inactive", "active")]


def test_deactivating_twice_writes_one_audit_row(app, demo):
    user_id = _person_with_application(app)
    admin = _admin(app, demo)
    for _ in range(2):
        admin.post("/users/action_post", data={"action": "deactivate", "rowid": [str(user_id)]})
    with app.app_context():
        assert len(db.session.execute(select(AuditLog).where(AuditLog.action == "user_deactivated")).all()) == 1


def test_admin_cannot_deactivate_itself(app, demo):
    admin_id, _active = _user(app, "admin")
    admin = _admin(app, demo)
    page = admin.post("/users/action_post", data={"action": "deactivate", "rowid": [str(admin_id)]},
                      follow_redirects=True)
    assert "不能停用自己的账号" in page.get_data(as_text=True)
    assert _user(app, "admin") == (admin_id, True)


def test_users_list_offers_both_actions_in_chinese(app, demo):
    page = _admin(app, demo).get("/users/list/").get_data(as_text=True)
    assert 'name="action"' in page or "action_post" in page
    assert "停用" in page and "启用" in page


def test_show_page_action_deactivates_one_account(app, demo):
    user_id = _person_with_application(app)
    admin = _admin(app, demo)
    show = admin.get(f"/users/show/{user_id}").get_data(as_text=True)
    assert f"/users/action/deactivate/{user_id}" in show
    admin.post(f"/users/action/deactivate/{user_id}")
    assert _user(app, "wangwu") == (user_id, False)
    admin.post(f"/users/action/activate/{user_id}")
    assert _user(app, "wangwu") == (user_id, True)


def test_deactivation_is_a_compare_and_set(app, demo):
    """A change committed by someone else between the command's read and its UPDATE is not overwritten
    nor audited twice."""
    import pytest
    from flask_appbuilder.security.sqla.models import User
    from sqlalchemy import update

    from app.commands.accounts.activation import SetAccountActiveCommand
    from app.commands.errors import StaleError

    user_id = _person_with_application(app)
    with app.test_request_context():
        admin = app.appbuilder.sm.find_user(username="admin")
        seen = db.session.get(User, user_id)  # the command's read (kept in the session's identity map)
        assert seen.active is True
        with db.engine.begin() as other:  # a colleague deactivates it before our UPDATE
            other.execute(update(User).where(User.id == user_id).values(active=False))
        with pytest.raises(StaleError):
            SetAccountActiveCommand(admin, user_id, active=False).run()
        assert db.session.execute(select(AuditLog).where(AuditLog.action == "user_deactivated")).first() is None
