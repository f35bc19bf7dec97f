"""The suite hashes passwords cheaply for speed (tests/conftest.py); this test signs in on an app
with the settings it really runs with: scrypt for stored passwords and for unknown accounts."""
from __future__ import annotations

from app import create_app
from app.commands.accounts.create import new_user
from app.extensions import db
from tests.conftest import PASSWORD


def test_real_settings_store_scrypt_hashes_and_sign_in(database_url):
    real = create_app({"DATABASE_URL": database_url, "TESTING": True, "CAPTCHA_ENABLED": False,
                       "SCHEDULER_ENABLED": False, "WTF_CSRF_ENABLED": False})
    assert "FAB_PASSWORD_HASH_METHOD" not in real.config or real.config["FAB_PASSWORD_HASH_METHOD"] == "scrypt"
    assert real.config["AUTH_DB_FAKE_PASSWORD_HASH_CHECK"].startswith("scrypt:")
    with real.app_context():
        user = new_user(username="realhash", real_name="真哈希", email="realhash@example.cn",
                        role_name="Individual", password=PASSWORD)
        db.session.commit()
        assert user.password.startswith("scrypt:")
        client = real.test_client()
        wrong = client.post("/login/", data={"username": "realhash", "password": PASSWORD + "x", "captcha": ""})
        assert wrong.status_code == 200
        right = client.post("/login/", data={"username": "realhash", "password": PASSWORD, "captcha": ""})
        assert right.status_code == 302
        db.session.remove()
        db.engine.dispose()
