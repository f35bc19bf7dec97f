"""Requests per second and SQL statements of the main pages, through the Flask test client on a
fresh SQLite database with the province-scale data set of bench/dataset.py. For a real server with
several workers, PostgreSQL and the baselines, see bench/load.py (`make bench`).

    .venv/bin/python bench/pages.py [--requests 300]

Single process, no network: it measures the app (routing, FAB, templates, queries), not a server.
"""
from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("ZC_SCHEDULER_ENABLED", "0")

from sqlalchemy import event  # noqa: E402

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

    from bench import dataset

    with app.app_context():
        upgrade()
        ids = dataset.build()
        own_application_id, queued_id = ids.own_application, ids.queued_application
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
             ("audit log, 50,000 rows (admin)", "admin", "/admin/audit/list/"),
             ("unit picker, 20,000 units (个人)", "demo_person", "/pickers/units?q=%E6%96%87%E5%8C%96&page=3"),
             ("我的申报信息, 200,000 rows (个人)", "demo_person", "/applications/"),
             ("application overview (个人)", "demo_person", f"/applications/{own_application_id}"),
             ("数据审核 queue, 10,000 待审核 (单位)", "demo_unit", "/review/"),
             ("数据审核 queue sorted by 姓名 (单位)", "demo_unit", "/review/?status=passed_unit&sort=name"),
             ("review page of one application (单位)", "demo_unit", f"/review/{queued_id}"),
             ("数据上报 委托评审 tab, 5,000 rows (单位)", "demo_unit", "/report/?tab=entrusted"),
             ("数据上报 sorted by 职称名称 (单位)", "demo_unit", "/report/?tab=not_entrusted&sort=title&dir=asc"),
             ("数据上报 已上报, 5,000 rows (单位)", "demo_unit", "/report/?tab=reported"),
             ("统计 overview of 200,000 applications (人社局)", "demo_bureau", "/overview/"),
             ("统计 by unit as Excel (人社局)", "demo_bureau", "/overview/export/unit.xlsx"),
             ("超期未办 (人社局)", "demo_bureau", "/deadlines/overdue/")]
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
