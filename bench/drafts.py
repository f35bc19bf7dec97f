"""Complete drafts for the submission (确认申报) under load, built into the bench database in bulk.

A person holds at most one open application per business and year (uq_application_one_open_per_year), so
the drafts are spread over `count / YEARS_EACH` bench applicants (`bench_submit_000`, … with the demo
password), each holding one 职称评审 draft in each of the last YEARS_EACH years. Every draft goes to the
bench committee `COMMITTEE` (a period open today for each of those years, so the committee check of the
submit command passes as for a real draft) at the unit `bench_unit_submit` (whose account gets the
"waiting for your review" message), and has every section the configuration requires filled with entries
that pass the section rules, the work summary's text and the publicity proof's file: the real submit
command accepts each of them once.
"""
from __future__ import annotations

import datetime as dt

from sqlalchemy import func, insert, select, text

from app.extensions import db

YEARS_EACH = 30  # drafts per applicant: one a year, this year and the 29 before
COMMITTEE = "基准测试评委会（确认申报）"
SUMMARY = "本人任现职以来，认真履行岗位职责，组织群众文化活动，辅导基层文艺骨干，完成各项工作任务。" * 4
ENTRIES = {  # one entry of each required entries section (field names of app/workflow/sections/definitions.py)
    "education": {"kind": "全日制学历", "education": "大学本科", "degree": "学士", "school": "山东大学",
                  "major": "文化产业管理", "graduated_on": "2010-06-30", "schooling": "4年", "foreign": False,
                  "chsi_code": "A1234567890123"},
    "current_title": {"level": "初级", "series": "群众文化", "title": "助理馆员", "obtained_on": "2015-12-01",
                      "appointed_on": "2016-01-01", "appointment_years": "10"},
    "assessment": {"year": 2025, "post": "助理馆员", "result": "合格", "assessor": "威海市环翠区基准测试申报单位"},
    "language_computer": {"kind": "外语", "language": "英语", "level": "大学英语四级", "obtained_on": "2009-06-01"},
    "work_experience": {"started_on": "2010-07-01", "ended_on": "", "unit": "威海市环翠区基准测试申报单位-群文部-助理馆员",
                        "professional_work": "组织群众文化活动", "post": "助理馆员", "summary": ""},
    "achievements": {"name": "《社区文化建设实践》", "category": "论文/著作", "date": "2023-05-01", "rank": "1/3",
                     "note": "山东省文化和旅游厅", "grade": "省部级"},
}


def build(now: dt.datetime, count: int, region_id: int) -> tuple[tuple[str, tuple[int, ...]], ...]:
    """`count` complete drafts (rounded up to whole applicants); ((username, draft ids), ...) per applicant."""
    from flask import current_app
    from flask_appbuilder.security.sqla.models import User, assoc_user_role

    from app import demo
    from app.clock import utcnow
    from app.commands.accounts.password import set_password
    from app.models.accounts import Person
    from app.models.applications import Application, ApplicationSection, Attachment, SectionEntry
    from app.models.catalog import ApplicationMethod, Committee, CommitteePeriod, Specialty, Title
    from app.models.units import Unit
    from app.security import roles

    people = -(-count // YEARS_EACH)
    this_year, today = utcnow().year, utcnow().date()
    years = [this_year - k for k in range(YEARS_EACH)]
    unit_user = demo._user("bench_unit_submit", "联系人", roles.UNIT)
    unit = Unit(user_id=unit_user.id, name="威海市环翠区基准测试申报单位", region_id=region_id, contact_name="联系人",
                mobile="13800000000", has_permission=True)
    title = db.session.execute(select(Title).limit(1)).scalar_one()
    committee = Committee(name=COMMITTEE, series_id=title.series_id, level_id=title.level_id, region_id=region_id)
    db.session.add_all([unit, committee])
    db.session.flush()
    db.session.execute(insert(CommitteePeriod), [
        {"committee_id": committee.id, "year": year, "starts_on": today - dt.timedelta(days=30),
         "ends_on": today + dt.timedelta(days=45)} for year in years])

    # the accounts: one password hash for all (hashing is slow on purpose), the Individual role each
    probe = User()
    set_password(probe, current_app.config["DEMO_PASSWORD"])
    role_id = current_app.appbuilder.sm.find_role(roles.INDIVIDUAL).id
    first_user = (db.session.execute(select(func.max(User.id))).scalar() or 0) + 1
    names = [f"bench_submit_{i:03d}" for i in range(people)]
    db.session.execute(insert(User), [
        {"id": first_user + i, "first_name": f"确认申报人{i:03d}", "last_name": "", "username": name,
         "password": probe.password, "active": True, "email": f"{name}@example.cn", "created_on": now,
         "changed_on": now} for i, name in enumerate(names)])
    db.session.execute(insert(assoc_user_role), [{"user_id": first_user + i, "role_id": role_id}
                                                 for i in range(people)])
    db.session.execute(insert(Person), [
        {"user_id": first_user + i, "real_name": f"确认申报人{i:03d}", "id_type": "resident_id",
         "id_number": f"44052419{i:09d}X", "ethnicity": "汉族", "mobile": "13900000009"} for i in range(people)])
    if db.engine.dialect.name == "postgresql":  # the ids above were given, so move the sequence past them
        db.session.execute(text("SELECT setval(pg_get_serial_sequence('ab_user', 'id'), (SELECT max(id) FROM ab_user))"))
    persons = db.session.execute(select(Person.id).where(Person.user_id >= first_user).order_by(Person.user_id)
                                 ).scalars().all()

    method_id = db.session.execute(select(ApplicationMethod.id).where(ApplicationMethod.name == "正常晋升")
                                   ).scalar_one()
    specialty_id = db.session.execute(select(Specialty.id).where(Specialty.series_id == title.series_id)
                                      .limit(1)).scalar_one()
    first_id = (db.session.execute(select(func.max(Application.id))).scalar() or 0) + 1
    total = people * YEARS_EACH
    db.session.execute(insert(Application), [
        {"id": first_id + i, "person_id": persons[i // YEARS_EACH], "business": "review",
         "year": years[i % YEARS_EACH], "status": "draft", "version": 1, "level_id": title.level_id,
         "series_id": title.series_id, "title_id": title.id, "specialty_id": specialty_id, "method_id": method_id,
         "unit_id": unit.id, "is_work_unit": True, "entrusted": False, "recommendation_rank": "1/3",
         "work_started_on": dt.date(2010, 7, 1), "professional_years": 15, "committee_id": committee.id,
         "created_at": now, "updated_at": now} for i in range(total)])
    sections = (*ENTRIES, "work_summary", "publicity_proof")
    db.session.execute(insert(ApplicationSection), [
        {"application_id": first_id + i, "section": section, "status": "filled", "reason": "",
         "text": SUMMARY if section == "work_summary" else "", "version": 1, "updated_at": now}
        for i in range(total) for section in sections])
    db.session.execute(insert(SectionEntry), [
        {"application_id": first_id + i, "section": section, "position": 0, "data": data}
        for i in range(total) for section, data in ENTRIES.items()])
    db.session.execute(insert(Attachment), [
        {"application_id": first_id + i, "section": "publicity_proof", "original_name": "公示情况报告.pdf",
         "stored_name": f"bench-submit-{first_id + i:08d}.pdf", "content_type": "application/pdf", "size": 102_400,
         "uploaded_at": now} for i in range(total)])
    if db.engine.dialect.name == "postgresql":
        db.session.execute(text("SELECT setval(pg_get_serial_sequence('application', 'id'), "
                                "(SELECT max(id) FROM application))"))
    return tuple((name, tuple(first_id + p * YEARS_EACH + k for k in range(YEARS_EACH)))
                 for p, name in enumerate(names))
