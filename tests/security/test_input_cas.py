"""Hole 5, command by command: another worker changes the row between this command's read and its write
(what two gunicorn workers on SQLite do; there is no row lock to wait on). The command's UPDATE is a
compare-and-set on the version it read, so it matches no row and the command is refused with nothing
of it kept. The other worker is a second connection of the test, run just before the command's first
write statement. SQLite only: on PostgreSQL the command holds the row lock (FOR UPDATE), so the second
connection would wait for it — there the two-process races of test_input_race.py run instead."""
from __future__ import annotations

import pytest
from sqlalchemy import event, func, select, text

from app.commands.errors import ChangedMeanwhile
from app.extensions import db
from app.models.applications import Application, ApplicationEvent, ApplicationSection
from app.models.audit import AuditLog
from app.models.units import Unit
from tests.factories import make_application, require_only

SUMMARY = "自参加工作以来，长期从事群众文化工作，组织基层文艺活动百余场，辅导业余团队十余支。"


@pytest.fixture(autouse=True)
def _sqlite_only(app):
    with app.app_context():
        if db.engine.dialect.name != "sqlite":
            pytest.skip("the command holds a row lock on PostgreSQL; see test_input_race.py")


def _interleave(table: str, row_id: int):
    """Before the next write statement of the session, another connection bumps the row's version."""
    state = {"done": False}

    def other_worker(conn, cursor, statement, parameters, context, executemany):
        if state["done"] or statement.lstrip().upper().startswith("SELECT"):
            return
        state["done"] = True
        with db.engine.connect() as other:
            other.execute(text(f"UPDATE {table} SET version = version + 1 WHERE id = :id"), {"id": row_id})
            other.commit()

    event.listen(db.engine, "before_cursor_execute", other_worker)
    return lambda: event.remove(db.engine, "before_cursor_execute", other_worker)


def _user(app, username):
    return app.appbuilder.sm.find_user(username=username)


def _demo_unit():
    return db.session.execute(select(Unit).filter_by(name="威海市环翠区文化馆")).scalar_one()


def _counts(application_id):
    events = db.session.execute(select(func.count()).select_from(ApplicationEvent).where(
        ApplicationEvent.application_id == application_id)).scalar_one()
    audits = db.session.execute(select(func.count()).select_from(AuditLog).where(
        AuditLog.object_type == "application", AuditLog.object_id == str(application_id))).scalar_one()
    return events, audits


def _refused(run, table, row_id):
    stop = _interleave(table, row_id)
    try:
        with pytest.raises(ChangedMeanwhile):
            run()
    finally:
        stop()
    db.session.rollback()
    db.session.expire_all()


def test_submit_loses_to_a_change_in_between(app, demo, clock):
    from app.commands.applications.sections import SaveTextCommand
    from app.commands.applications.submit import SubmitCommand

    with app.app_context():
        require_only("review", "work_summary")
        application_id = make_application(_user(app, "demo_person"), unit=_demo_unit()).id
        SaveTextCommand(_user(app, "demo_person"), application_id, "work_summary", SUMMARY).run()
        before = _counts(application_id)
        _refused(lambda: SubmitCommand(_user(app, "demo_person"), application_id).run(), "application", application_id)
        application = db.session.get(Application, application_id)
        assert (application.status, application.submitted_at) == ("draft", None)
        assert _counts(application_id) == before


def test_cancel_loses_to_a_change_in_between(app, demo, clock):
    from app.commands.applications.cancel import CancelApplicationCommand

    with app.app_context():
        application_id = make_application(_user(app, "demo_person"), unit=_demo_unit()).id
        _refused(lambda: CancelApplicationCommand(_user(app, "demo_person"), application_id).run(),
                 "application", application_id)
        assert db.session.get(Application, application_id).status == "draft"
        assert _counts(application_id) == (0, 0)


def test_a_section_save_loses_to_a_save_in_another_tab(app, demo, clock):
    from app.commands.applications.sections import SaveTextCommand

    with app.app_context():
        application_id = make_application(_user(app, "demo_person"), unit=_demo_unit()).id
        SaveTextCommand(_user(app, "demo_person"), application_id, "work_summary", SUMMARY).run()
        row = db.session.execute(select(ApplicationSection).filter_by(
            application_id=application_id, section="work_summary")).scalar_one()
        row_id, seen = row.id, row.version
        _refused(lambda: SaveTextCommand(_user(app, "demo_person"), application_id, "work_summary", "改过的内容",
                                         version=seen).run(), "application_section", row_id)
        row = db.session.get(ApplicationSection, row_id)
        assert (row.text, row.version) == (SUMMARY, seen + 1)  # the other tab's bump only


def test_report_fields_lose_to_a_decision_in_between(app, demo, clock):
    from app.clock import utcnow
    from app.commands.review.report import UpdateReportFieldsCommand

    with app.app_context():
        unit = _demo_unit()
        application_id = make_application(_user(app, "demo_person"), unit=unit, status="passed_unit",
                                          current_unit_id=unit.id, submitted_at=utcnow()).id
        rank = db.session.get(Application, application_id).recommendation_rank
        _refused(lambda: UpdateReportFieldsCommand(_user(app, "demo_unit"), application_id, "1", "1/1").run(),
                 "application", application_id)
        assert db.session.get(Application, application_id).recommendation_rank == rank
        assert _counts(application_id) == (0, 0)
