"""The province-scale data set the benchmarks run on, built into the database of the current app.

Demo data, then 50,000 audit rows, 20,000 permitted units in 环翠区, 50 committees, ~67,000
applicants and 200,000 applications (30 of them demo_person's, one a year) with three section rows, two entries and one attachment
row each. demo_unit holds 20,000 of them (10,000 待审核, 10,000 通过未上报 of which half 委托评审,
see `held`) and has reported 5,000 onward. Two more unit accounts hold a queue of 100,000 and one of
1,000 待审核 (`bench_unit_big`, `bench_unit_small`: the cost of a page against the queue's length),
demo_committee's committee has 4,000 reported to it (资格复审), and 100,000 certificates are issued.
For the submission under load, 3,000 complete drafts of 100 more applicants (bench/drafts.py).
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, insert, select, text

from app.extensions import db

APPLICATIONS = 200_000
UNITS = 20_000
COMMITTEES = 50
AUDIT_ROWS = 50_000
BATCH = 10_000
SECTIONS = ("base", "work_history", "achievements")
CERTIFICATES = 100_000
BIG_QUEUE, SMALL_QUEUE = 100_000, 1_000
SUBMISSIONS = 3_000  # complete drafts, each submitted once (bench/drafts.py)


@dataclass
class Ids:
    own_application: int  # one of demo_person's, submitted
    queued_application: int  # one 待审核 at demo_unit
    drafts: tuple[int, ...] = ()  # demo_person's drafts (the section save, one per client)
    certificate_id: int = 0  # demo_person's certificate (the signed PDF)
    certificate_number: str = ""  # and what its QR code's /verify address carries
    certificate_code: str = ""
    submissions: tuple[tuple[str, tuple[int, ...]], ...] = ()  # (applicant's username, complete drafts) each


def build(now: dt.datetime | None = None, applications: int = APPLICATIONS, progress=print,
          submissions: int = SUBMISSIONS) -> Ids:
    """Load the demo data and the province on an empty, migrated database (inside an app context)."""
    from app import demo
    from app.cli import sync_roles_and_permissions

    now = now or dt.datetime(2026, 11, 22)
    sync_roles_and_permissions()
    demo.load()
    _audit(now)
    progress("demo data and audit rows")
    region_id, demo_unit = _units()
    progress(f"{UNITS:,} units")
    _committees(region_id)
    queues = _queue_units(region_id)
    people = _people(applications // YEARS + 1)
    ids = _applications(now, applications, people, demo_unit, queues)
    progress(f"{applications:,} applications with sections, entries and attachments")
    _certificates(now, region_id, ids)
    progress(f"{CERTIFICATES:,} certificates")
    if submissions:
        from bench import drafts

        ids.submissions = drafts.build(now, submissions, region_id)
        progress(f"{sum(len(d) for _u, d in ids.submissions):,} complete drafts of {len(ids.submissions)} applicants")
    db.session.commit()
    # planner statistics, as autovacuum (PostgreSQL) or a maintenance run (SQLite) gives a live system:
    # right after a bulk load the planner would guess one row per table and choose wrong plans
    db.session.execute(text("ANALYZE"))
    db.session.commit()
    progress("statistics (ANALYZE)")
    return ids


def _audit(now: dt.datetime) -> None:
    from app.models.audit import AuditLog

    for start in range(0, AUDIT_ROWS, BATCH):
        db.session.execute(insert(AuditLog), [
            {"at": now, "action": "login", "actor_name": f"user{i}", "actor_role": "Individual",
             "object_type": "user", "object_id": str(i), "from_state": "", "to_state": "", "opinion": "",
             "ip": "127.0.0.1"} for i in range(start, min(start + BATCH, AUDIT_ROWS))])


def _units() -> tuple[int, int]:
    from app.models.catalog import Region
    from app.models.units import Unit

    region_id = db.session.execute(select(Region.id).where(Region.code == "371002")).scalar_one()
    for start in range(0, UNITS, BATCH):
        db.session.execute(insert(Unit), [
            {"name": f"威海市环翠区第{i}文化服务中心", "region_id": region_id, "contact_name": "联系人",
             "mobile": "13800000000", "has_permission": True} for i in range(start, start + BATCH)])
    demo_unit = db.session.execute(select(Unit.id).where(Unit.user.has(username="demo_unit"))).scalar_one()
    return region_id, demo_unit


def _committees(region_id: int) -> None:
    from app.models.catalog import Committee, TitleLevel, TitleSeries

    series = db.session.execute(select(TitleSeries.id)).scalars().all()
    levels = db.session.execute(select(TitleLevel.id)).scalars().all()
    have = db.session.execute(select(func.count()).select_from(Committee)).scalar_one()
    db.session.execute(insert(Committee), [
        {"name": f"基准测试评委会{i}", "series_id": series[i % len(series)], "level_id": levels[i % len(levels)],
         "region_id": region_id} for i in range(max(0, COMMITTEES - have))])


def _queue_units(region_id: int) -> tuple[int, int]:
    """The units (with their accounts) holding the queue of 100,000 and the queue of 1,000."""
    from app import demo
    from app.models.units import Unit
    from app.security import roles

    ids = []
    for username, name in (("bench_unit_big", "威海市环翠区基准测试大单位"), ("bench_unit_small", "威海市环翠区基准测试小单位")):
        user = demo._user(username, "联系人", roles.UNIT)
        unit = Unit(user_id=user.id, name=name, region_id=region_id, contact_name="联系人", mobile="13800000000",
                    has_permission=True)
        db.session.add(unit)
        db.session.flush()
        ids.append(unit.id)
    return ids[0], ids[1]


def _certificates(now: dt.datetime, region_id: int, ids: "Ids") -> None:
    """100,000 issued certificates (the /verify look-up's table); demo_person's own (app/demo.py) is the one
    the bench reads."""
    from app import demo
    from app.models.accounts import Person
    from app.models.certificates import Certificate

    for start in range(0, CERTIFICATES, BATCH):
        db.session.execute(insert(Certificate), [
            {"number": f"B371000{2020 + i % 6}{i:07d}", "verify_code": f"BENCH{i:07d}", "holder_name": f"申报人{i:05d}",
             "holder_id_number": f"44052418{i:09d}X", "business": "review", "series_name": "群众文化",
             "level_name": "初级", "title_name": "助理馆员", "specialty_name": "", "issuer_kind": "bureau",
             "issuer_id": region_id, "issuer_name": "威海市人力资源和社会保障局", "region_id": region_id,
             "published_on": dt.date(2020 + i % 6, 12, 1), "year": 2020 + i % 6, "issued_at": now,
             "status": "valid", "version": 1} for i in range(start, min(start + BATCH, CERTIFICATES))])
    me = db.session.execute(select(Person.id).where(Person.id_number == demo.DEMO_PERSON_ID)).scalar_one()
    mine = db.session.execute(select(Certificate).where(Certificate.person_id == me).limit(1)).scalar_one()
    ids.certificate_id, ids.certificate_number, ids.certificate_code = mine.id, mine.number, mine.verify_code


YEARS = 3  # each made-up applicant has one open application in each of the last three years


def _people(count: int) -> tuple[int, list[int]]:
    """demo_person's id and `count` made-up applicants (accounts without a usable password), inserted in
    bulk: a person holds one open application per business and year, so 200,000 need ~67,000 people."""
    from flask_appbuilder.security.sqla.models import User

    from app.models.accounts import Person

    me = db.session.execute(select(Person.id).where(Person.user.has(username="demo_person"))).scalar_one()
    first_user = (db.session.execute(select(func.max(User.id))).scalar() or 0) + 1
    now = dt.datetime(2026, 11, 22)
    for start in range(0, count, BATCH):
        batch = range(start, min(start + BATCH, count))
        db.session.execute(insert(User), [
            {"id": first_user + i, "first_name": f"申报人{i}", "last_name": "", "username": f"bench_{i}",
             "password": "!", "active": True, "email": f"bench_{i}@example.cn", "created_on": now,
             "changed_on": now} for i in batch])
        db.session.execute(insert(Person), [
            {"user_id": first_user + i, "real_name": f"申报人{i:05d}", "id_type": "resident_id",
             "id_number": f"44052418{i:09d}X", "ethnicity": "汉族", "mobile": "13900000009"} for i in batch])
    if db.engine.dialect.name == "postgresql":  # the ids above were given, so move the sequence past them
        db.session.execute(text("SELECT setval(pg_get_serial_sequence('ab_user', 'id'), (SELECT max(id) FROM ab_user))"))
    people = db.session.execute(select(Person.id).where(Person.user_id >= first_user).order_by(Person.id)
                                ).scalars().all()
    return me, people


def held(i: int) -> bool:
    """Whether the i-th application waits at demo_unit: every tenth after demo_person's 30."""
    return i >= 30 and i % 10 == 0


def _applications(now: dt.datetime, count: int, people: tuple[int, list[int]], demo_unit: int,
                  queues: tuple[int, int]) -> Ids:
    from app.models.applications import (Application, ApplicationSection, ApplicationStep, Attachment,
                                         SectionEntry)
    from app import demo
    from app.models.catalog import ApplicationMethod, Committee, Specialty, Title
    from app.models.units import Unit

    me, others = people
    big, small = queues
    committee_id = db.session.execute(select(Committee.id).where(Committee.name == demo.DEMO_COMMITTEE)).scalar_one()
    title = db.session.execute(select(Title).limit(1)).scalar_one()
    method_id = db.session.execute(select(ApplicationMethod.id).limit(1)).scalar_one()
    unit_ids = list(db.session.execute(select(Unit.id).where(Unit.has_permission.is_(True)).limit(500)).scalars())
    specialty_id = db.session.execute(select(Specialty.id).where(Specialty.series_id == title.series_id)
                                      .limit(1)).scalar_one()
    first_id = (db.session.execute(select(func.max(Application.id))).scalar() or 0) + 1

    def where(i: int) -> tuple[str, int, int | None]:
        """(status, current unit, committee) of the i-th application."""
        if held(i):
            return ("pending_unit" if i % 20 == 0 else "passed_unit"), demo_unit, None
        if i < 30:
            return ("draft" if i % 2 else "pending_unit"), unit_ids[i % len(unit_ids)], None
        if i % 2 and i < 30 + 2 * BIG_QUEUE:
            return "pending_unit", big, None
        if i % 180 == 2 and i < 180 * SMALL_QUEUE:
            return "pending_unit", small, None
        if i % 50 == 4:
            return "pending_committee", unit_ids[i % len(unit_ids)], committee_id
        return "pending_unit", unit_ids[i % len(unit_ids)], None

    def row(i: int) -> dict:
        status, current, committee = where(i)
        # demo_person's 30 in 30 years; the others one a year each, over the last three years
        person, year = (me, 2026 - i) if i < 30 else (others[(i - 30) // YEARS], 2026 - (i - 30) % YEARS)
        return {"id": first_id + i, "person_id": person, "business": "review",
                "year": year, "status": status, "version": 1, "level_id": title.level_id,
                "series_id": title.series_id, "title_id": title.id, "specialty_id": specialty_id,
                "method_id": method_id, "unit_id": unit_ids[i % len(unit_ids)], "is_work_unit": True,
                "entrusted": i % 40 == 10, "recommendation_rank": "1/1", "work_started_on": dt.date(2010, 7, 1),
                "professional_years": 12,
                "current_unit_id": current, "committee_id": committee,
                "created_at": now, "updated_at": now, "submitted_at": now - dt.timedelta(minutes=i)}

    for start in range(0, count, BATCH):
        batch = range(start, min(start + BATCH, count))
        db.session.execute(insert(Application), [row(i) for i in batch])
        db.session.execute(insert(ApplicationSection), [
            {"application_id": first_id + i, "section": section, "status": "filled", "reason": "", "text": "",
             "version": 1, "updated_at": now} for i in batch for section in SECTIONS])
        db.session.execute(insert(SectionEntry), [
            {"application_id": first_id + i, "section": section, "position": 0,
             "data": {"start": "2010-07", "end": "", "unit": "威海市环翠区文化馆", "title": "馆员"}}
            for i in batch for section in SECTIONS[1:]])
        db.session.execute(insert(Attachment), [
            {"application_id": first_id + i, "section": "base", "original_name": "学历证书.pdf",
             "stored_name": f"bench-{first_id + i:08d}.pdf", "content_type": "application/pdf", "size": 102_400,
             "uploaded_at": now} for i in batch])
    # 5,000 pending elsewhere that demo_unit reported there
    onward = db.session.execute(select(Application.id).where(Application.status == "pending_unit",
                                                              Application.current_unit_id != demo_unit)
                                .limit(5_000)).scalars().all()
    db.session.execute(insert(ApplicationStep), [
        {"application_id": a, "unit_id": demo_unit, "arrived_at": now, "left_at": now, "outcome": "reported"}
        for a in onward])
    db.session.flush()
    if db.engine.dialect.name == "postgresql":  # the ids above were given, so move the sequence past them
        db.session.execute(text("SELECT setval(pg_get_serial_sequence('application', 'id'), "
                                "(SELECT max(id) FROM application))"))
    own = db.session.execute(select(Application.id).where(Application.person_id == me,
                                                          Application.status == "pending_unit").limit(1)).scalar_one()
    drafts = tuple(db.session.execute(select(Application.id).where(Application.person_id == me,
                                                                   Application.status == "draft")).scalars())
    queued = db.session.execute(select(Application.id).where(Application.current_unit_id == demo_unit,
                                                             Application.status == "pending_unit")
                                .limit(1)).scalar_one()
    return Ids(own, queued, drafts)
