"""R6: two reviewers acting on one application at once — one wins, the other is told; nothing is lost
or applied twice. Real threads on PostgreSQL, each with its own app context and so its own session and
connection (Flask-SQLAlchemy scopes the session per app context).

How the overlap is made certain: a third connection of the test (the "gate") holds the rows with
SELECT ... FOR UPDATE while the threads start; the test waits until PostgreSQL shows every thread's
command blocked on a row lock (pg_stat_activity, wait_event_type = 'Lock'), then lets the gate go.
So both commands are inside their locking SELECT at the same time; the product code is not slowed down.
Other rounds only release the threads together at a threading.Barrier, without a gate.

SQLite has no row locks: these tests are skipped there.
"""
from __future__ import annotations

import threading
import time

import pytest
from sqlalchemy import func, select, text

from app.commands.errors import CommandError, NotAllowed
from app.commands.review.pass_ import PassCommand
from app.commands.review.report import ReportCommand
from app.commands.review.return_ import ReturnCommand
from app.clock import utcnow
from app.extensions import db
from app.models.applications import Application, ApplicationEvent, ApplicationSection
from app.models.audit import AuditLog
from app.models.notify import Notification
from app.models.units import ReportingPath, Unit
from tests.conftest import login
from tests.factories import make_application, make_person, make_unit_account, permitted_unit

GATED_ROUNDS = 3      # rounds where both threads are proven to wait on the row lock together
BARRIER_ROUNDS = 5    # rounds where the threads are only released together at a barrier
JOIN_TIMEOUT = 30     # seconds; a thread still running after this is a hang (e.g. a lock never released)

ALREADY_PASSED = "该申报已审核通过，请勿重复操作"
CANNOT_PASS = "该申报当前状态不能审核通过"
# 退回 pressed on a page that showed 待审核, after a colleague's 通过 (the command gets the status seen)
CHANGED_TO_PASSED = "该申报已被他人处理（当前状态：通过未上报），本次操作未执行，请刷新页面"


def _not_reported(application_id: int) -> str:
    return f"编号 {application_id} 的申报不在本单位“通过未上报”列表中，本次未上报任何申报"


@pytest.fixture(autouse=True)
def _postgresql_only(app):
    with app.app_context():
        dialect = db.engine.dialect.name
    if dialect != "postgresql":
        pytest.skip(f"R6 concurrency tests need row locks (SELECT ... FOR UPDATE); the test database is "
                    f"{dialect}, which has none. Run them on PostgreSQL: set ZC_TEST_DATABASE_URL or use "
                    f"scripts/pg_test_cluster.sh run .venv/bin/pytest -m 'not e2e' {__file__}")


# --- the race ----------------------------------------------------------------------------------------

def _lock_waiters(exclude_pid: int) -> int:
    """Backends of this database now blocked on a lock (a fresh connection: pg_stat_activity is a
    per-transaction snapshot)."""
    with db.engine.connect() as conn:
        return conn.execute(text(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
            "AND wait_event_type = 'Lock' AND pid <> :pid"), {"pid": exclude_pid}).scalar_one()


def _wait_for_waiters(count: int, exclude_pid: int, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while _lock_waiters(exclude_pid) < count:
        if time.monotonic() > deadline:
            pytest.fail(f"the threads never overlapped: fewer than {count} of them waited on the row lock")
        time.sleep(0.01)


def _race(app, jobs, *, gate_ids=None, ordered=False):
    """Run each job (a callable) in its own thread; return each thread's outcome in the order of `jobs`.

    gate_ids: rows the test holds FOR UPDATE until every job is blocked on them; then released.
    ordered (with gate_ids): the jobs are started one after the other, each only once the previous one
    waits on the lock, so the lock is granted in the order of `jobs` (PostgreSQL queues row-lock waiters);
    without it, all threads are released together at a barrier."""
    results: list = [None] * len(jobs)
    barrier = None if ordered else threading.Barrier(len(jobs))

    def worker(slot, job):
        try:
            if barrier is not None:
                barrier.wait(timeout=10)
            results[slot] = job()
        except BaseException as err:  # noqa: BLE001 — anything unexpected is reported by the test
            results[slot] = ("error", repr(err))

    threads = [threading.Thread(target=worker, args=(slot, job), daemon=True) for slot, job in enumerate(jobs)]
    with app.app_context():
        gate = None
        try:
            if gate_ids:
                gate = db.engine.connect()
                gate_pid = gate.execute(text("SELECT pg_backend_pid()")).scalar_one()
                locked = gate.execute(text("SELECT id FROM application WHERE id = ANY(:ids) ORDER BY id FOR UPDATE"),
                                      {"ids": list(gate_ids)}).scalars().all()
                assert sorted(locked) == sorted(gate_ids)
            for n, thread in enumerate(threads, start=1):
                thread.start()
                if gate is not None and ordered:
                    _wait_for_waiters(n, gate_pid)
            if gate is not None:
                _wait_for_waiters(len(threads), gate_pid)  # every command is inside its locking SELECT
        finally:
            if gate is not None:
                gate.rollback()
                gate.close()
    for thread in threads:
        thread.join(JOIN_TIMEOUT)
    hung = [n for n, thread in enumerate(threads) if thread.is_alive()]
    assert not hung, f"threads {hung} still running after {JOIN_TIMEOUT}s (deadlock or lock never released)"
    return results


def _command(app, user_id, make):
    """A job that runs the command `make(user)` in the thread's own app context (own session)."""

    def job():
        with app.app_context():
            user = db.session.get(app.appbuilder.sm.user_model, user_id)
            try:
                make(user).run()
                return ("ok", "")
            except NotAllowed as err:
                return ("refused", str(err.message))
            except CommandError as err:
                return ("error", f"{type(err).__name__}: {err.message}")

    return job


def _one_winner(results, facts=""):
    oks = [n for n, (kind, _message) in enumerate(results) if kind == "ok"]
    refused = [n for n, (kind, _message) in enumerate(results) if kind == "refused"]
    assert len(oks) == 1 and len(refused) == len(results) - 1, \
        f"expected one winner, the others refused: {results}; afterwards {facts}"
    return oks[0]


def _facts(application_id, person_user_id=None):
    """What the database holds for the application, for the failure messages."""
    db.session.expire_all()
    application = db.session.get(Application, application_id)
    facts = dict(status=application.status, version=application.version, events=_events(application_id),
                 audits=db.session.execute(select(AuditLog.action).where(
                     AuditLog.object_type == "application", AuditLog.object_id == str(application_id))
                     .order_by(AuditLog.id)).scalars().all())
    if person_user_id is not None:
        facts["applicant_messages"] = _notifications(person_user_id)
    return facts


def _events(application_id):
    return db.session.execute(select(ApplicationEvent.action).where(
        ApplicationEvent.application_id == application_id).order_by(ApplicationEvent.id)).scalars().all()


def _audits(application_id, action):
    return db.session.execute(select(func.count()).select_from(AuditLog).where(
        AuditLog.action == action, AuditLog.object_id == str(application_id))).scalar_one()


def _notifications(user_id):
    return db.session.execute(select(func.count()).select_from(Notification).where(
        Notification.user_id == user_id)).scalar_one()


# --- the data ----------------------------------------------------------------------------------------

@pytest.fixture
def world(app, clock):
    with app.app_context():
        unit_user = make_unit_account("unit1", "威海市环翠区测试文化馆")
        superior_user = make_unit_account("sup1", "威海市文化和旅游局（测试）", region_code="371000")
        unit, superior = permitted_unit(unit_user), permitted_unit(superior_user)
        person = make_person()
        return dict(unit_user=unit_user.id, superior_user=superior_user.id, unit=unit.id, superior=superior.id,
                    person=person.id)


def _new_application(world, status="pending_unit") -> int:
    unit = db.session.get(Unit, world["unit"])
    person_user = db.session.get(_user_model(), world["person"])
    # one open application per person, business and year: each new one is of an earlier year
    earlier = db.session.execute(select(func.count(Application.id))).scalar()
    application = make_application(person_user, unit=unit, status=status, current_unit_id=unit.id,
                                   submitted_at=utcnow(), year=utcnow().year - earlier)
    return application.id


def _user_model():
    from flask import current_app

    return current_app.appbuilder.sm.user_model


# --- a) two 通过 at once -----------------------------------------------------------------------------

def _check_passed_once(app, world, application_id, results):
    with app.app_context():
        facts = _facts(application_id, world["person"])
    winner = _one_winner(results, facts)
    loser = 1 - winner
    assert results[loser] == ("refused", ALREADY_PASSED), results
    with app.app_context():
        application = db.session.get(Application, application_id)
        assert (application.status, application.version) == ("passed_unit", 2)
        assert _events(application_id) == ["pass"]
        assert _audits(application_id, "application.pass") == 1
        assert _notifications(world["person"]) == 1


@pytest.mark.parametrize("gated", [True, False], ids=["gated", "barrier"])
def test_two_passes_at_once_one_wins_the_other_is_told(app, world, gated):
    for _round in range(GATED_ROUNDS if gated else BARRIER_ROUNDS):
        with app.app_context():
            application_id = _new_application(world)
        jobs = [_command(app, world["unit_user"], lambda user: PassCommand(user, application_id, {}, "材料齐全"))
                for _ in range(2)]
        results = _race(app, jobs, gate_ids=[application_id] if gated else None)
        _check_passed_once(app, world, application_id, results)
        with app.app_context():  # the next round's applicant message count starts again
            db.session.execute(Notification.__table__.delete())
            db.session.commit()


# --- b) 通过 and 退回 at once ------------------------------------------------------------------------

def _pass(app, world, application_id):
    return _command(app, world["unit_user"], lambda user: PassCommand(user, application_id, {}, ""))


def _return(app, world, application_id):
    return _command(app, world["unit_user"], lambda user: ReturnCommand(
        user, application_id, {"education": "证书不清晰"}, "", seen_status="pending_unit"))


def _check_one_transition(app, application_id, results):
    """results are (pass, return). Exactly one transition and one event; the loser is told why."""
    with app.app_context():
        facts = _facts(application_id)
    winner = _one_winner(results, facts)
    with app.app_context():
        application = db.session.get(Application, application_id)
        sections = db.session.execute(select(ApplicationSection.section, ApplicationSection.status).where(
            ApplicationSection.application_id == application_id)).all()
        if winner == 0:
            assert results[1] == ("refused", CHANGED_TO_PASSED), results
            assert application.status == "passed_unit"
            assert _events(application_id) == ["pass"]
            assert _audits(application_id, "application.pass") == 1
            assert _audits(application_id, "application.return") == 0
            assert sections == []
        else:
            assert results[0] == ("refused", CANNOT_PASS), results
            assert application.status == "returned"
            assert _events(application_id) == ["return"]
            assert _audits(application_id, "application.return") == 1
            assert _audits(application_id, "application.pass") == 0
            assert sections == [("education", "rejected")]
        assert application.version == 2


@pytest.mark.parametrize("first", ["return", "pass"])
def test_pass_and_return_at_once_in_a_known_order(app, world, first):
    """Both commands wait on the lock together; the lock goes to `first` (queued first)."""
    for _round in range(GATED_ROUNDS):
        with app.app_context():
            application_id = _new_application(world)
        jobs = [_pass(app, world, application_id), _return(app, world, application_id)]
        if first == "return":
            results = _race(app, jobs[::-1], gate_ids=[application_id], ordered=True)[::-1]
        else:
            results = _race(app, jobs, gate_ids=[application_id], ordered=True)
        _check_one_transition(app, application_id, results)
        assert results[0 if first == "pass" else 1][0] == "ok"


def test_pass_and_return_released_together(app, world):
    for _round in range(BARRIER_ROUNDS):
        with app.app_context():
            application_id = _new_application(world)
        results = _race(app, [_pass(app, world, application_id), _return(app, world, application_id)])
        _check_one_transition(app, application_id, results)


# --- c) two 数据上报 over overlapping selections -----------------------------------------------------

def _report_world(app, world):
    """Two passed applications [a, b] of unit1 and its effective unit path to the superior unit."""
    with app.app_context():
        a = _new_application(world, status="passed_unit")
        b = _new_application(world, status="passed_unit")
        if db.session.execute(select(ReportingPath.id)).first() is None:
            first = db.session.get(Application, a)
            db.session.add(ReportingPath(unit_id=world["unit"], business_set="review", series_id=first.series_id,
                                         level_id=first.level_id, target_unit_id=world["superior"],
                                         status="effective", created_at=utcnow()))
            db.session.commit()
        return a, b


@pytest.mark.parametrize("gated", [True, False], ids=["gated", "barrier"])
def test_two_reports_over_overlapping_selections(app, world, gated):
    for _round in range(GATED_ROUNDS if gated else BARRIER_ROUNDS):
        a, b = _report_world(app, world)
        selections = [[a, b], [b, a]]
        jobs = [_command(app, world["unit_user"], lambda user, ids=ids: ReportCommand(user, ids))
                for ids in selections]
        results = _race(app, jobs, gate_ids=[a, b] if gated else None)
        with app.app_context():
            facts = {a: _facts(a), b: _facts(b)}
        winner = _one_winner(results, facts)  # a deadlock would show here as an error of one thread
        loser = 1 - winner
        assert results[loser] == ("refused", _not_reported(selections[loser][0])), results
        with app.app_context():
            for application_id in (a, b):
                application = db.session.get(Application, application_id)
                assert (application.status, application.current_unit_id, application.version) == \
                    ("pending_unit", world["superior"], 2)
                assert _events(application_id) == ["report"]
                assert _audits(application_id, "application.report") == 1
            assert _notifications(world["superior_user"]) == 1
            db.session.execute(Notification.__table__.delete())
            db.session.commit()


# --- the same through the review page: two signed-in reviewers press 通过 --------------------------

@pytest.mark.parametrize("gated", [True, False], ids=["gated", "barrier"])
def test_two_reviewers_press_pass_on_the_review_page(app, world, gated):
    """The view loads the application (load_for_unit, no lock) before PassCommand locks it: the command
    must still see the status another reviewer committed in the meantime."""
    clients = []
    for _ in range(2):
        client = app.test_client()
        assert login(client, "unit1").status_code == 302
        clients.append(client)
    for _round in range(GATED_ROUNDS if gated else BARRIER_ROUNDS):
        with app.app_context():
            application_id = _new_application(world)

        def press(client, application_id=application_id):
            def job():
                response = client.post(f"/review/{application_id}/decide", data={"action": "pass", "opinion": "",
                                                                              "seen_status": "pending_unit"})
                page = response.get_data(as_text=True)
                if response.status_code == 302:
                    return ("ok", "")
                if response.status_code == 200 and ALREADY_PASSED in page:
                    return ("refused", ALREADY_PASSED)
                return ("error", f"{response.status_code}: {page[:300]}")

            return job

        results = _race(app, [press(c) for c in clients], gate_ids=[application_id] if gated else None)
        _check_passed_once(app, world, application_id, results)
        with app.app_context():
            db.session.execute(Notification.__table__.delete())
            db.session.commit()
