"""Fixtures: app → client → login(role), and factories.

The database is real: SQLite in a temp dir (in /dev/shm where there is one) by default, or PostgreSQL when ZC_TEST_DATABASE_URL
is set (`make test` runs the suite on both). The schema is built by the migrations.
"""
from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import tempfile
from pathlib import Path

import pytest
from flask_appbuilder import Model
from sqlalchemy import text
from werkzeug.security import generate_password_hash

from app import create_app
from app.extensions import db

# Tests hash passwords cheaply (scrypt costs ~50 ms per login or account); one test,
# tests/integration/test_password_hashing.py, keeps the real settings.
TEST_PASSWORD_HASH = "pbkdf2:sha256:1000"
KEEP_TABLES = {"ab_permission", "ab_view_menu", "ab_permission_view", "ab_role", "ab_permission_view_role",
               "alembic_version"}
PASSWORD = "Qiu-lan7Hai"
_SHM_FOLDERS: list[Path] = []  # test databases in /dev/shm, removed when the session ends


class FakeClock:
    """An injectable 'now' for lockout, sessions and code expiry tests."""

    def __init__(self, start: dt.datetime | None = None):
        self.now = start or dt.datetime(2026, 11, 22, 2, 0, 0)

    def __call__(self) -> dt.datetime:
        return self.now

    def advance(self, **delta) -> None:
        self.now += dt.timedelta(**delta)


@pytest.fixture(scope="session")
def database_url(tmp_path_factory):
    url = os.environ.get("ZC_TEST_DATABASE_URL")
    if url:
        return url
    # The suite's SQLite file lives in memory-backed /dev/shm where there is one: the SQLite pass
    # was bound by disk syncs, which a throwaway database does not need.
    shm = Path("/dev/shm")
    if shm.is_dir() and os.access(shm, os.W_OK):
        folder = Path(tempfile.mkdtemp(prefix="zc-test-", dir=shm))
        _SHM_FOLDERS.append(folder)
    else:
        folder = tmp_path_factory.mktemp("db")
    return f"sqlite:///{folder / 'test.db'}"


def pytest_sessionfinish(session, exitstatus):
    for folder in _SHM_FOLDERS:
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(scope="session")
def app(database_url, tmp_path_factory):
    app = create_app({
        "DATABASE_URL": database_url,
        "TESTING": True,
        "CAPTCHA_ENABLED": False,
        "RATE_LIMITS_ENABLED": False,  # tests/security/test_auth_* switch it on with small limits
        "API_PASSWORD_LOGIN": True,  # API tests sign in by password; tests/security checks the default (off)
        "SCHEDULER_ENABLED": False,
        "OVERVIEW_CACHE_SECONDS": 0,  # tests change the data between two looks; test_overview keeps them once
        "WTF_CSRF_ENABLED": False,
        "ATTACHMENT_DIR": str(tmp_path_factory.mktemp("attachments")),
        "DEMO_PASSWORD": PASSWORD,
        "SQLITE_SYNCHRONOUS": "OFF",  # a throwaway database need not wait for the disk
        "FAB_PASSWORD_HASH_METHOD": TEST_PASSWORD_HASH,
        "AUTH_DB_FAKE_PASSWORD_HASH_CHECK": generate_password_hash("not a password", method=TEST_PASSWORD_HASH),
    })
    from flask_migrate import downgrade, upgrade

    from app.cli import sync_roles_and_permissions

    with app.app_context():
        if database_url.startswith("postgresql"):
            downgrade(revision="base")  # a re-used test database starts empty
        upgrade()
        sync_roles_and_permissions()
    return app


def _clean(app) -> None:
    with app.app_context():
        db.session.rollback()
        tables = [t for t in reversed(Model.metadata.sorted_tables) if t.name not in KEEP_TABLES]
        with db.engine.begin() as conn:
            for table in tables:
                conn.execute(table.delete())


@pytest.fixture
def clock(app):
    fake = FakeClock()
    app.config["CLOCK"] = fake
    yield fake
    app.config["CLOCK"] = None


@pytest.fixture(autouse=True)
def _fresh_data(request):
    """Each test that uses the app starts with regions and roles only, and the default settings."""
    if request.path.parent.name == "unit":  # pure unit tests need no database
        yield
        return
    yield from fresh_data(request)


def fresh_data(request):
    """The body of _fresh_data, for conftest files below that replace it for some of their tests."""
    app = request.getfixturevalue("app")
    saved = dict(app.config)
    with app.app_context():
        from app.demo import load_regions

        load_regions()
        db.session.commit()
    yield
    app.config.clear()
    app.config.update(saved)
    _clean(app)
    with app.app_context():
        db.session.remove()


@pytest.fixture
def ctx(app):
    with app.app_context():
        yield
        db.session.rollback()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def demo(app):
    """The demo accounts (password PASSWORD)."""
    with app.app_context():
        from app import demo as demo_data

        demo_data.load()


def login(client, username: str, password: str = PASSWORD, follow: bool = False):
    return client.post("/login/", data={"username": username, "password": password, "captcha": ""},
                       follow_redirects=follow)


@pytest.fixture
def login_as(client, demo):
    def _login(username: str):
        response = login(client, username)
        assert response.status_code == 302, f"login of {username} failed"
        return client

    return _login


def csrf_token(html: str) -> str:
    match = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html) or \
        re.search(r'id="csrf_token" name="csrf_token" type="hidden" value="([^"]+)"', html)
    assert match, "no CSRF token in the page"
    return match.group(1)


def execute(sql: str, **params):
    return db.session.execute(text(sql), params)
