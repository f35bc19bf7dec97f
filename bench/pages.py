"""Requests per second and SQL statements of the foundation pages, through the Flask test client
on a fresh SQLite database with the demo data (and 50,000 audit rows for the audit list).

    .venv/bin/python bench/pages.py [--requests 300]

Single process, no network: it measures the app (routing, FAB, templates, queries), not a server.
"""
from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("ZC_SCHEDULER_ENABLED", "0")

from sqlalchemy import event, insert  # noqa: E402

from app import create_app  # noqa: E402
from app.extensions import db  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=300)
    args = parser.parse_args()
    workdir = tempfile.mkdtemp(prefix="zc-bench-")
    app = create_app({"DATABASE_URL": f"sqlite:///{workdir}/bench.db", "CAPTCHA_ENABLED": False,
                      "WTF_CSRF_ENABLED": False, "SCHEDULER_ENABLED": False})
    from flask_migrate import upgrade

    from app import demo
    from app.cli import sync_roles_and_permissions
    from app.models.audit import AuditLog

    with app.app_context():
        upgrade()
        sync_roles_and_permissions()
        demo.load()
        now = dt.datetime(2026, 11, 22)
        db.session.execute(insert(AuditLog), [
            {"at": now, "action": "login", "actor_name": f"user{i}", "actor_role": "Individual",
             "object_type": "user", "object_id": str(i), "from_state": "", "to_state": "", "opinion": "",
             "ip": "127.0.0.1"} for i in range(50_000)])
        db.session.commit()
        engine = db.engine

    statements = {"n": 0}
    event.listen(engine, "before_cursor_execute", lambda *a, **k: statements.__setitem__("n", statements["n"] + 1))
    password = app.config["DEMO_PASSWORD"]

    def client_for(username):
        client = app.test_client()
        if username:
            assert client.post("/login/", data={"username": username, "password": password}).status_code == 302
        return client

    pages = [("login page (anonymous)", None, "/login/"),
             ("start page (个人)", "demo_person", "/"),
             ("basic information (个人)", "demo_person", "/account/person/"),
             ("audit log, 50,000 rows (admin)", "admin", "/admin/audit/list/")]
    print(f"{'page':40} {'req/s':>8} {'ms/req':>8} {'SQL/req':>8}")
    for label, user, url in pages:
        client = client_for(user)
        assert client.get(url).status_code == 200, url
        statements["n"] = 0
        start = time.perf_counter()
        for _ in range(args.requests):
            client.get(url)
        elapsed = time.perf_counter() - start
        print(f"{label:40} {args.requests / elapsed:8.0f} {1000 * elapsed / args.requests:8.2f} "
              f"{statements['n'] / args.requests:8.1f}")


if __name__ == "__main__":
    main()
