"""S1: one scheduler however many start. Two `flask scheduler run` processes started together: one is
elected and runs each job once, the other stands by and takes over when the first stops. On PostgreSQL
the election is an advisory lock, on SQLite a lease row; both are checked (make test runs both)."""
from __future__ import annotations

import datetime as dt
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

from sqlalchemy import update

from app.extensions import db
from app.models.deadlines import SchedulerLock
from app.scheduler import JOBS
from app.scheduler_lock import Election

ROOT = Path(__file__).resolve().parents[2]


def test_the_election_has_one_holder_at_a_time(app):
    with app.app_context():
        first, second = Election(db.engine, 60), Election(db.engine, 60)
        try:
            assert first.try_acquire() is True
            assert second.try_acquire() is False
            assert first.renew() is True and second.renew() is False
            first.release()
            assert second.try_acquire() is True
            assert first.try_acquire() is False
        finally:
            first.release()
            second.release()


def test_a_lease_that_ran_out_is_taken_over(app):
    """SQLite: a holder that died without releasing loses the lock when its lease has run out."""
    with app.app_context():
        if db.engine.dialect.name == "postgresql":
            return  # the advisory lock ends with the dead process's connection
        dead, alive = Election(db.engine, 60), Election(db.engine, 60)
        assert dead.try_acquire() is True
        assert alive.try_acquire() is False
        with db.engine.begin() as conn:
            conn.execute(update(SchedulerLock).values(expires_at=dt.datetime(2000, 1, 1)))
        assert alive.try_acquire() is True
        assert dead.renew() is False
        alive.release()


def _start(database_url, tmp_path, name):
    env = dict(os.environ, ZC_DATABASE_URL=database_url, ZC_SCHEDULER_ENABLED="0", ZC_CAPTCHA_ENABLED="0",
               ZC_SCHEDULER_STANDBY_SECONDS="1", ZC_SCHEDULER_LEASE_SECONDS="6", ZC_INSTANCE_DIR=str(tmp_path),
               PYTHONUNBUFFERED="1")
    log = open(tmp_path / f"{name}.log", "w")
    process = subprocess.Popen([str(Path(sys.executable).with_name("flask")), "--app", "run", "scheduler", "run"],
                               cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    return process, tmp_path / f"{name}.log"


def _runs(path: Path) -> dict[str, int]:
    counts: dict[str, int] = {}
    for job_id in re.findall(r"scheduler: job (\w+) done", path.read_text()):
        counts[job_id] = counts.get(job_id, 0) + 1
    return counts


def _wait(predicate, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.2)
    return predicate()


def test_two_scheduler_processes_run_each_job_once(app, database_url, tmp_path):
    every_job = {job.id: 1 for job in JOBS}
    (a, a_log), (b, b_log) = _start(database_url, tmp_path, "a"), _start(database_url, tmp_path, "b")
    def announced(path: Path) -> bool:
        text = path.read_text()
        return "elected" in text or "standing by" in text

    try:
        # both have reached the election (a busy machine starts them a few seconds apart)
        assert _wait(lambda: announced(a_log) and announced(b_log), 90), a_log.read_text() + b_log.read_text()
        assert _wait(lambda: sum(map(len, (_runs(a_log), _runs(b_log)))) == len(JOBS), 60), \
            a_log.read_text() + b_log.read_text()
        time.sleep(2)  # a second scheduler would have run them by now too
        runs = [_runs(a_log), _runs(b_log)]
        leader, standby = (0, 1) if runs[0] else (1, 0)
        assert runs[leader] == every_job and runs[standby] == {}
        logs = [a_log, b_log]
        assert "elected" in logs[leader].read_text() and "standing by" in logs[standby].read_text()
        assert "elected" not in logs[standby].read_text()

        # the leader stops: the one standing by takes over and runs the jobs
        processes = [a, b]
        processes[leader].send_signal(signal.SIGTERM)
        assert processes[leader].wait(30) == 0
        assert _wait(lambda: _runs(logs[standby]) == every_job, 30), logs[standby].read_text()
    finally:
        for process in (a, b):
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
                try:
                    process.wait(20)
                except subprocess.TimeoutExpired:
                    process.kill()


def test_a_job_keeps_its_work_and_a_failing_job_raises_nothing(app, clock, monkeypatch):
    """run_job, as the job store calls it: the body's work is committed (the lockout body itself does
    not commit), and a job that fails is logged, not raised into the scheduler."""
    from app import scheduler
    from app.models.accounts import AccountSecurity
    from tests.factories import make_person

    with app.app_context():
        user_id = make_person().id
        db.session.add(AccountSecurity(user_id=user_id, failed_logins=5, locked_until=clock.now))
        db.session.commit()
    clock.advance(minutes=1)
    monkeypatch.setattr(scheduler, "_app", app)
    assert scheduler.run_job("unlock_expired_accounts") == 1
    with app.app_context():
        assert db.session.get(AccountSecurity, user_id).locked_until is None
    monkeypatch.setattr(scheduler, "JOBS", [scheduler.Job("broken", "app.scheduler:no_such_body")])
    assert scheduler.run_job("broken") is None
