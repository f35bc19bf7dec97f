"""Durability (X6): SQLite in WAL mode with full syncs and a busy timeout, a lock not granted in time
answered by the Chinese "please retry" page (never a 500), `flask backup`/`flask restore` round trips,
and a worker killed with SIGKILL right after its commits loses none of them."""
from __future__ import annotations

import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
import sqlalchemy as sa

from app import create_app
from app.extensions import db
from app.models.audit import AuditLog
from tests.conftest import PASSWORD, login
from tests.factories import make_application, make_person

ROOT = Path(__file__).resolve().parents[2]


def _is_sqlite(url: str) -> bool:
    return url.startswith("sqlite")


def test_sqlite_runs_in_wal_mode_with_full_syncs_and_a_busy_timeout(tmp_path):
    app = create_app({"DATABASE_URL": f"sqlite:///{tmp_path / 'wal.db'}", "SCHEDULER_ENABLED": False})
    with app.app_context():
        with db.engine.connect() as conn:
            assert conn.execute(sa.text("PRAGMA journal_mode")).scalar() == "wal"
            assert conn.execute(sa.text("PRAGMA synchronous")).scalar() == 2  # FULL
            assert conn.execute(sa.text("PRAGMA busy_timeout")).scalar() == 10_000
        db.engine.dispose()


def test_postgresql_sessions_wait_at_most_the_lock_timeout(app, database_url):
    if _is_sqlite(database_url):
        pytest.skip("PostgreSQL only: on SQLite the busy timeout above is the same setting")
    with app.app_context(), db.engine.connect() as conn:
        assert conn.execute(sa.text("SHOW lock_timeout")).scalar() == "10s"


@pytest.fixture
def busy_app(database_url):
    """A second app on the suite's database that waits only 300 ms for a lock."""
    busy = create_app({"DATABASE_URL": database_url, "TESTING": True, "CAPTCHA_ENABLED": False,
                       "SCHEDULER_ENABLED": False, "WTF_CSRF_ENABLED": False, "DB_LOCK_TIMEOUT_MS": 300})
    yield busy
    with busy.app_context():
        db.session.remove()
        db.engine.dispose()


def _hold_lock(database_url: str):
    """Another connection that holds the write lock (SQLite) or demo_person's user row (PostgreSQL)."""
    if _is_sqlite(database_url):
        conn = sqlite3.connect(sa.make_url(database_url).database, isolation_level=None)
        conn.execute("BEGIN EXCLUSIVE")
        return conn.close
    engine = sa.create_engine(database_url)
    conn = engine.connect()
    conn.begin()
    conn.execute(sa.text("SELECT id FROM ab_user WHERE username = 'demo_person' FOR UPDATE"))

    def release():
        conn.close()
        engine.dispose()
    return release


def _login_count(app) -> int:
    with app.app_context():
        return db.session.execute(sa.text("SELECT login_count FROM ab_user WHERE username = 'demo_person'")
                                  ).scalar() or 0


def test_a_write_waiting_too_long_for_a_lock_gets_the_retry_page(app, demo, busy_app, database_url):
    before = _login_count(app)
    release = _hold_lock(database_url)
    try:
        answer = busy_app.test_client().post("/login/", data={"username": "demo_person", "password": PASSWORD})
    finally:
        release()
    page = answer.get_data(as_text=True)
    assert answer.status_code == 503, page[:500]
    assert "系统繁忙" in page and "本次操作未执行" in page
    assert _login_count(app) == before  # nothing was changed
    assert busy_app.test_client().post("/login/", data={"username": "demo_person",
                                                         "password": PASSWORD}).status_code == 302


def _snapshot(app) -> dict:
    with app.app_context():
        files = {p.relative_to(app.config["ATTACHMENT_DIR"]).as_posix(): p.read_bytes()
                 for p in Path(app.config["ATTACHMENT_DIR"]).rglob("*") if p.is_file()}
        audit = db.session.execute(sa.select(AuditLog.id, AuditLog.action, AuditLog.actor_name)
                                   .order_by(AuditLog.id)).all()
        from app.services.backup import row_counts

        return {"rows": row_counts(), "files": files, "audit": [tuple(r) for r in audit]}


def test_backup_and_restore_round_trip(app, demo, tmp_path):
    with app.app_context():
        application = make_application(make_person(), status="draft")
        folder = Path(app.config["ATTACHMENT_DIR"])
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "scan-1.pdf").write_bytes(b"%PDF-1.4 first scan")
        (folder / "sub").mkdir(exist_ok=True)
        (folder / "sub" / "scan-2.png").write_bytes(b"\x89PNG\r\n\x1a\n second")
        created_at = application.created_at
        db.session.add(AuditLog(at=created_at, action="backup.test", actor_name="测试"))
        db.session.commit()
    client = app.test_client()
    assert login(client, "demo_person").status_code == 302
    before = _snapshot(app)
    archive = tmp_path / "backup.tar.gz"
    runner = app.test_cli_runner()
    result = runner.invoke(args=["backup", str(archive)])
    assert result.exit_code == 0, result.output
    assert archive.is_file()

    # what happens after the backup and is undone by the restore
    with app.app_context():
        db.session.add(AuditLog(at=created_at, action="after.backup", actor_name="测试"))
        db.session.execute(sa.text("DELETE FROM application"))
        db.session.commit()
    (Path(app.config["ATTACHMENT_DIR"]) / "scan-1.pdf").unlink()
    (Path(app.config["ATTACHMENT_DIR"]) / "new.pdf").write_bytes(b"%PDF-1.4 after")
    assert _snapshot(app) != before

    result = runner.invoke(args=["restore", str(archive), "--yes"])
    assert result.exit_code == 0, result.output
    after = _snapshot(app)
    assert after["rows"] == before["rows"]
    assert after["files"] == before["files"]
    assert after["audit"] == before["audit"]
    assert before["rows"]["application"] == 1 and before["rows"]["audit_log"] >= 2


def test_restore_refuses_a_changed_archive_and_changes_nothing(app, demo, tmp_path):
    import io
    import tarfile

    archive = tmp_path / "backup.tar.gz"
    runner = app.test_cli_runner()
    assert runner.invoke(args=["backup", str(archive)]).exit_code == 0
    forged = tmp_path / "forged.tar.gz"
    with tarfile.open(archive, "r:gz") as src, tarfile.open(forged, "w:gz") as dst:
        for member in src.getmembers():
            data = src.extractfile(member).read()
            if member.name.startswith("database"):
                data = data[:-1] + bytes([data[-1] ^ 1])
            dst.addfile(member, io.BytesIO(data))
    before = _snapshot(app)
    result = runner.invoke(args=["restore", str(forged), "--yes"])
    assert result.exit_code != 0 and "checksum" in result.output
    assert _snapshot(app) == before


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_a_worker_killed_right_after_its_commits_loses_none(app, demo, database_url, tmp_path):
    """gunicorn with one worker; 10 sign-ins, each committed before its answer; SIGKILL the worker
    the moment the last answer arrives; every sign-in's audit row is in the database."""
    port = _free_port()
    env = dict(os.environ, ZC_DATABASE_URL=database_url, ZC_CAPTCHA_ENABLED="0", ZC_SCHEDULER_ENABLED="0",
               ZC_WTF_CSRF_ENABLED="0", ZC_DEMO_PASSWORD=PASSWORD, ZC_INSTANCE_DIR=str(tmp_path))
    master = subprocess.Popen([str(Path(sys.executable).with_name("gunicorn")), "-w", "1", "-b", f"127.0.0.1:{port}",
                               "--chdir", str(ROOT), "run:app"], env=env, start_new_session=True,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    opener = urllib.request.build_opener(NoRedirect)

    def sign_in() -> int:
        form = urllib.parse.urlencode({"username": "demo_person", "password": PASSWORD}).encode()
        try:
            return opener.open(base + "/login/", data=form, timeout=30).status
        except urllib.error.HTTPError as answer:
            return answer.code

    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                opener.open(base + "/login/", timeout=5)
                break
            except OSError:
                assert time.monotonic() < deadline, "gunicorn did not start"
                time.sleep(0.3)
        workers = subprocess.run(["pgrep", "-P", str(master.pid)], capture_output=True, text=True).stdout.split()
        assert len(workers) == 1
        with app.app_context():
            count = sa.select(sa.func.count()).select_from(AuditLog).where(AuditLog.action == "login")
            before = db.session.execute(count).scalar_one()
        for _ in range(10):
            assert sign_in() == 302
        os.kill(int(workers[0]), signal.SIGKILL)
        with app.app_context():
            db.session.remove()
            assert db.session.execute(count).scalar_one() == before + 10
        deadline = time.monotonic() + 60  # the master starts a new worker, which answers
        while sign_in() != 302:
            assert time.monotonic() < deadline
            time.sleep(0.3)
    finally:
        os.killpg(master.pid, signal.SIGTERM)
        master.wait(timeout=30)
