"""Hole 5 (R6): two workers deciding one application at once — exactly one decision, one timeline event,
one audit row, one message, on SQLite as on PostgreSQL.

Two real worker processes, each with its own app and engine on the test database (the same SQLite file),
like two gunicorn workers. How the overlap is made certain on SQLite (no row locks): each worker holds
before its first write statement until the other one is there too, so both have read the application
(version 1) before either writes; then both write. Without the compare-and-set on `version` both UPDATEs
succeed and two decisions are applied (as the issue saw in 6 of 6 rounds). On PostgreSQL the workers only
start together (a held worker would wait on the other's row lock); the row lock decides there."""
from __future__ import annotations

import multiprocessing as mp
import queue

import pytest
from sqlalchemy import func, select

from app.clock import utcnow
from app.extensions import db
from app.models.applications import Application, ApplicationEvent
from app.models.audit import AuditLog
from app.models.notify import Notification
from app.models.units import Unit
from tests.conftest import PASSWORD
from tests.factories import make_application, make_person, make_unit_account, permitted_unit

ROUNDS = 3
CHANGED = "该申报已被他人处理，本次操作未执行，请刷新页面"
ALREADY_PASSED = "该申报已审核通过，请勿重复操作"
CANNOT_PASS = "该申报当前状态不能审核通过"
CHANGED_TO_PASSED = "该申报已被他人处理（当前状态：通过未上报），本次操作未执行，请刷新页面"
RECORD_CHANGED = "该记录已被他人处理，本次操作未执行，请刷新页面"
NOT_WAITING = "该申请不在待审核状态"
CHANGED_TO_RETURNED = "该申报已被他人处理（当前状态：已退回），本次操作未执行，请刷新页面"


# --- the worker process ------------------------------------------------------------------------------

def _worker(settings: dict, hold_before_write: bool, barrier, jobs, results) -> None:
    """Runs in its own process: one app, one engine; runs each job it is sent and reports the outcome."""
    from sqlalchemy import event

    from app import create_app
    from app.commands.errors import CommandError, NotAllowed
    from app.commands.review.pass_ import PassCommand
    from app.commands.review.return_ import ReturnCommand
    from app.commands.units.permission import DecidePermissionCommand

    app = create_app(settings)
    with app.app_context():
        held = {"done": True}

        @event.listens_for(db.engine, "before_cursor_execute")
        def hold(conn, cursor, statement, parameters, context, executemany):
            if not held["done"] and not statement.lstrip().upper().startswith("SELECT"):
                held["done"] = True
                barrier.wait(timeout=30)  # the other worker has read the row too

        while True:
            job = jobs.get()
            if job is None:
                return
            kind, user_id, application_id = job
            db.session.remove()
            user = db.session.get(app.appbuilder.sm.user_model, user_id)
            held["done"] = not hold_before_write
            if not hold_before_write:
                barrier.wait(timeout=30)
            try:
                if kind == "pass":
                    PassCommand(user, application_id, {}, "材料齐全", seen_status="pending_unit").run()
                elif kind in ("approve", "reject"):  # the bureau decides a permission application (U1)
                    DecidePermissionCommand(user, application_id, kind == "approve", reason="材料不全").run()
                else:
                    ReturnCommand(user, application_id, {"education": "证书不清晰"}, "",
                                  seen_status="pending_unit").run()
                results.put((kind, "ok", ""))
            except NotAllowed as err:
                results.put((kind, "refused", str(err.message)))
            except CommandError as err:
                results.put((kind, "error", f"{type(err).__name__}: {err.message}"))
            except Exception as err:  # noqa: BLE001 — reported to the test, which fails on it
                results.put((kind, "error", repr(err)))


@pytest.fixture
def workers(app, database_url):
    """Two worker processes on the test database; yields run(jobs) → the outcome of each job."""
    with app.app_context():
        dialect = db.engine.dialect.name
    settings = {key: app.config[key] for key in ("DATABASE_URL", "TESTING", "CAPTCHA_ENABLED", "SCHEDULER_ENABLED",
                                                 "WTF_CSRF_ENABLED", "ATTACHMENT_DIR")}
    settings["DEMO_PASSWORD"] = PASSWORD
    context = mp.get_context("spawn")  # a fresh interpreter, as a second server process would be
    barrier, results = context.Barrier(2), context.Queue()
    inboxes = [context.Queue() for _ in range(2)]
    processes = [context.Process(target=_worker, args=(settings, dialect == "sqlite", barrier, inbox, results),
                                 daemon=True) for inbox in inboxes]
    for process in processes:
        process.start()

    def run(jobs):
        for inbox, job in zip(inboxes, jobs):
            inbox.put(job)
        outcomes = []
        for _ in jobs:
            try:
                outcomes.append(results.get(timeout=90))
            except queue.Empty:
                pytest.fail(f"a worker gave no answer within 90 s (hung or crashed); so far {outcomes}")
        return sorted(outcomes, key=lambda o: o[1] != "ok")  # the winner first

    yield run
    for inbox in inboxes:
        inbox.put(None)
    for process in processes:
        process.join(20)
        if process.is_alive():
            process.kill()


@pytest.fixture
def race_world(app):
    with app.app_context():
        unit_user = make_unit_account("unit1", "威海市环翠区测试文化馆")
        unit = permitted_unit(unit_user)
        person = make_person()
        return dict(unit_user=unit_user.id, unit=unit.id, person=person.id)


def _new_application(race_world, round_no: int) -> int:
    """A fresh application per round, one year apart (a person holds one open application a year)."""
    unit = db.session.get(Unit, race_world["unit"])
    person_user = db.session.get(Unit.user.property.mapper.class_, race_world["person"])
    return make_application(person_user, unit=unit, status="pending_unit", current_unit_id=unit.id,
                            submitted_at=utcnow(), year=2026 - round_no).id


def _what_happened(application_id: int, person_user_id: int) -> dict:
    db.session.expire_all()
    application = db.session.get(Application, application_id)
    return dict(
        status=application.status, version=application.version,
        events=db.session.execute(select(ApplicationEvent.action).where(
            ApplicationEvent.application_id == application_id).order_by(ApplicationEvent.id)).scalars().all(),
        audits=db.session.execute(select(AuditLog.action).where(
            AuditLog.object_type == "application", AuditLog.object_id == str(application_id))
            .order_by(AuditLog.id)).scalars().all(),
        messages=db.session.execute(select(func.count()).select_from(Notification).where(
            Notification.user_id == person_user_id)).scalar_one())


def test_two_workers_pass_at_once_one_decision(app, race_world, workers):
    for round_no in range(ROUNDS):
        with app.app_context():
            application_id = _new_application(race_world, round_no)
        outcomes = workers([("pass", race_world["unit_user"], application_id)] * 2)
        with app.app_context():
            facts = _what_happened(application_id, race_world["person"])
            db.session.execute(Notification.__table__.delete())
            db.session.commit()
        assert facts == dict(status="passed_unit", version=2, events=["pass"], audits=["application.pass"],
                             messages=1), (outcomes, facts)
        assert outcomes[0] == ("pass", "ok", ""), outcomes
        # SQLite: the loser's UPDATE matched no row; PostgreSQL: it waited on the lock and saw 通过未上报
        assert outcomes[1] in {("pass", "refused", CHANGED), ("pass", "refused", ALREADY_PASSED)}, outcomes


def test_two_workers_pass_and_return_at_once_one_decision(app, race_world, workers):
    for round_no in range(ROUNDS):
        with app.app_context():
            application_id = _new_application(race_world, round_no)
        outcomes = workers([("pass", race_world["unit_user"], application_id),
                            ("return", race_world["unit_user"], application_id)])
        with app.app_context():
            facts = _what_happened(application_id, race_world["person"])
            db.session.execute(Notification.__table__.delete())
            db.session.commit()
        winner, loser = outcomes
        assert winner[1] == "ok", outcomes
        if winner[0] == "pass":
            assert facts == dict(status="passed_unit", version=2, events=["pass"], audits=["application.pass"],
                                 messages=1), (outcomes, facts)
            assert loser in {("return", "refused", CHANGED), ("return", "refused", CHANGED_TO_PASSED)}, outcomes
        else:
            assert facts == dict(status="returned", version=2, events=["return"], audits=["application.return"],
                                 messages=1), (outcomes, facts)
            assert loser in {("pass", "refused", CHANGED), ("pass", "refused", CHANGED_TO_RETURNED),
                             ("pass", "refused", CANNOT_PASS)}, outcomes


# That a second SQLite writer waits (busy_timeout) rather than failing at once is checked in
# tests/integration/test_durability.py::test_sqlite_runs_in_wal_mode_with_full_syncs_and_a_busy_timeout.


def test_two_bureau_workers_decide_one_permission_application_once(app, race_world, workers):
    from app.models.units import UnitPermissionApplication
    from tests.factories import make_backend

    with app.app_context():
        bureau = make_backend("bureau1", "Bureau", region_code="371000").id
        unit_user = db.session.get(Unit, race_world["unit"]).user_id
    for round_no in range(ROUNDS):
        with app.app_context():
            db.session.execute(UnitPermissionApplication.__table__.delete())  # ids are reused: audits too
            db.session.execute(AuditLog.__table__.delete().where(AuditLog.object_type == "UnitPermissionApplication"))
            unit = db.session.get(Unit, race_world["unit"])
            unit.has_permission = False
            row = UnitPermissionApplication(
                unit_id=unit.id, credit_code="12371000MB1234567X", name=unit.name, region_id=unit.region_id,
                unit_type="事业单位", competent_department="威海市文化和旅游局", status="submitted",
                submitted_at=utcnow(), updated_at=utcnow())
            db.session.add(row)
            db.session.commit()
            row_id = row.id
        outcomes = workers([("approve", bureau, row_id), ("reject", bureau, row_id)])
        with app.app_context():
            db.session.expire_all()
            row = db.session.get(UnitPermissionApplication, row_id)
            audits = db.session.execute(select(AuditLog.action).where(
                AuditLog.object_type == "UnitPermissionApplication", AuditLog.object_id == str(row_id))).scalars().all()
            messages = db.session.execute(select(func.count()).select_from(Notification).where(
                Notification.user_id == unit_user)).scalar_one()
            granted = db.session.get(Unit, race_world["unit"]).has_permission
            facts = (row.status, row.version, audits, messages, granted)
            db.session.execute(Notification.__table__.delete())
            db.session.commit()
        winner, loser = outcomes
        assert winner[1] == "ok" and loser[1] == "refused", outcomes
        assert loser[2] in {RECORD_CHANGED, NOT_WAITING}, outcomes
        expected = "approved" if winner[0] == "approve" else "rejected"
        assert facts == (
            expected, 2, [f"unit_permission.{winner[0]}"], 1, winner[0] == "approve"), outcomes
