"""Requests per second and SQL statements of the main pages, through the Flask test client on a
fresh SQLite database with the demo data, 50,000 audit rows, 20,000 units with permission and
200,000 applications (30 of them demo_person's), the province-scale target. demo_unit holds 20,000
of them (10,000 待审核, 10,000 通过未上报 of which half 委托评审) and has reported 5,000 onward.

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
        own_application_id, queued_id = _province_scale(now)
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
             ("数据上报 已上报, 5,000 rows (单位)", "demo_unit", "/report/?tab=reported")]
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


def _province_scale(now: dt.datetime) -> tuple[int, int]:
    """20,000 permitted units in 环翠区 and 200,000 applications: 30 of demo_person, the rest of one
    other applicant; every tenth held by demo_unit, and 5,000 others reported onward by it. Returns the
    id of one of demo_person's applications and of one in demo_unit's queue."""
    from sqlalchemy import select

    from app.commands.accounts.create import new_user
    from app.models.accounts import Person
    from app.models.applications import Application, ApplicationStep
    from app.models.catalog import ApplicationMethod, Region, Specialty, Title
    from app.models.units import Unit

    region_id = db.session.execute(select(Region.id).where(Region.code == "371002")).scalar_one()
    db.session.execute(insert(Unit), [
        {"name": f"威海市环翠区第{i}文化服务中心", "region_id": region_id, "contact_name": "联系人",
         "mobile": "13800000000", "has_permission": True} for i in range(20_000)])
    other = new_user(username="bench_other", real_name="赵七", email="bench_other@example.cn",
                     role_name="Individual", password="Bench-pass-2026")
    db.session.add(Person(user_id=other.id, real_name="赵七", id_number="440524188001010014", ethnicity="汉族",
                          mobile="13900000009"))
    db.session.flush()
    me = db.session.execute(select(Person.id).where(Person.user.has(username="demo_person"))).scalar_one()
    other_id = db.session.execute(select(Person.id).where(Person.user_id == other.id)).scalar_one()
    title = db.session.execute(select(Title).limit(1)).scalar_one()
    method_id = db.session.execute(select(ApplicationMethod.id).limit(1)).scalar_one()
    unit_ids = list(db.session.execute(select(Unit.id).where(Unit.has_permission.is_(True)).limit(500)).scalars())
    specialty_id = db.session.execute(select(Specialty.id).where(Specialty.series_id == title.series_id)
                                      .limit(1)).scalar_one()
    demo_unit = db.session.execute(select(Unit.id).where(Unit.user.has(username="demo_unit"))).scalar_one()

    def held(i: int) -> bool:
        return i >= 30 and i % 10 == 0

    rows = [{"person_id": me if i < 30 else other_id, "business": "review", "year": 2026 - i % 3,
             "status": ("pending_unit" if i % 20 == 0 else "passed_unit") if held(i)
             else ("draft" if i % 2 else "pending_unit"), "version": 1, "level_id": title.level_id,
             "series_id": title.series_id, "title_id": title.id, "specialty_id": specialty_id,
             "method_id": method_id, "unit_id": unit_ids[i % len(unit_ids)], "is_work_unit": True,
             "entrusted": i % 40 == 10, "recommendation_rank": "1/1", "work_started_on": dt.date(2010, 7, 1),
             "professional_years": 12, "current_unit_id": demo_unit if held(i) else unit_ids[i % len(unit_ids)],
             "created_at": now, "updated_at": now, "submitted_at": now - dt.timedelta(minutes=i)}
            for i in range(200_000)]
    for start in range(0, len(rows), 20_000):
        db.session.execute(insert(Application), rows[start:start + 20_000])
    # 5,000 pending elsewhere that demo_unit reported there
    onward = db.session.execute(select(Application.id).where(Application.status == "pending_unit",
                                                              Application.current_unit_id != demo_unit)
                                .limit(5_000)).scalars().all()
    db.session.execute(insert(ApplicationStep), [
        {"application_id": a, "unit_id": demo_unit, "arrived_at": now, "left_at": now, "outcome": "reported"}
        for a in onward])
    db.session.commit()
    own = db.session.execute(select(Application.id).where(Application.person_id == me).limit(1)).scalar_one()
    queued = db.session.execute(select(Application.id).where(Application.current_unit_id == demo_unit,
                                                             Application.status == "pending_unit")
                                .limit(1)).scalar_one()
    return own, queued


if __name__ == "__main__":
    main()
