"""Account changes are one transaction each, and the row checks live in the commands: Admin's password
reset keeps nothing when a later step fails (the password must not change while the sessions it should
end live on), opening another user's message changes nothing, and the profile API answers a refused
command with its own status instead of a 500."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from app.extensions import db
from tests.conftest import PASSWORD, login
from tests.factories import make_person

NEW_PASSWORD = "Lan-qiu92Shan"


def test_admin_password_reset_keeps_nothing_when_ending_the_sessions_fails(app, demo, monkeypatch):
    from app.security import sessions

    with app.app_context():
        user_id = make_person().id
    victim, admin = app.test_client(), app.test_client()
    assert login(victim, "wangwu").status_code == 302
    assert login(admin, "admin").status_code == 302

    def broken(_user_id):
        raise RuntimeError("the session table is unavailable")

    monkeypatch.setattr(sessions, "end_all", broken)
    response = admin.post(f"/resetpassword/form?pk={user_id}",
                          data={"password": NEW_PASSWORD, "conf_password": NEW_PASSWORD})
    assert response.status_code == 500  # the injected failure, answered by the error page
    monkeypatch.undo()
    assert login(app.test_client(), "wangwu", NEW_PASSWORD).status_code != 302
    assert login(app.test_client(), "wangwu", PASSWORD).status_code == 302
    assert victim.get("/account/person/").status_code == 200  # nothing ended, because nothing changed


def test_another_users_message_is_not_found_by_the_command(app, demo):
    from app.clock import utcnow
    from app.commands.accounts.messages import MarkMessageReadCommand
    from app.commands.errors import NotFound
    from app.models.notify import Notification

    with app.app_context():
        owner, other = make_person(), make_person("lisi", id_number="110105198001010075", real_name="李四")
        db.session.add(Notification(user_id=owner.id, title="退回通知", body="", created_at=utcnow(), read=False))
        db.session.commit()
        message_id = db.session.execute(select(Notification.id)).scalar_one()
        with pytest.raises(NotFound):
            MarkMessageReadCommand(other, message_id).run()
        assert db.session.get(Notification, message_id).read is False
        MarkMessageReadCommand(owner, message_id).run()
        db.session.expire_all()
        assert db.session.get(Notification, message_id).read is True


def test_profile_api_answers_a_vanished_profile_with_404(app, client, monkeypatch):
    from app.commands.accounts.profile import UpdatePersonProfileCommand
    from app.commands.errors import NotFound

    with app.app_context():
        make_person()
    login(client, "wangwu")

    def vanished(self):  # the profile was removed between the API's read and the command's
        raise NotFound("This account has no such profile")

    monkeypatch.setattr(UpdatePersonProfileCommand, "validate", vanished)
    response = client.put("/api/v1/profile/", json={"wechat": "wx_wangwu"})
    assert response.status_code == 404
