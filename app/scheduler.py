"""APScheduler jobs (S1). Exactly one scheduler runs them, however many workers, hosts or
`flask scheduler run` processes start: each one asks the election of app/scheduler_lock.py, and only
the holder starts APScheduler, with its job store in the database. Each job pushes an app context,
calls a command, is safe to run twice (its sends are recorded once a day) and is logged.

Adding a job: one line in JOBS below (or `register_job()` from a feature module imported at start),
naming a BaseCommand subclass (its `run()` is called) or a function without arguments. The committee's
end of publicity goes here as
    Job("end_publicity", "app.commands.committee.publicity:EndPublicityCommand")
once that command exists."""
from __future__ import annotations

import datetime as dt
import logging
import os
import threading
import time
from dataclasses import dataclass

from flask import Flask
from werkzeug.utils import import_string

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Job:
    id: str
    target: str  # "module:attribute": a BaseCommand subclass or a function of no arguments
    minutes_setting: str = "DEADLINE_JOB_MINUTES"  # the config key of its interval


JOBS: list[Job] = [
    Job("unlock_expired_accounts", "app.security.lockout:clear_expired_locks", "UNLOCK_JOB_MINUTES"),
    Job("purge_expired_guards", "app.scheduler:_purge_guards", "UNLOCK_JOB_MINUTES"),
    Job("mark_overdue", "app.commands.deadlines.overdue:MarkOverdueCommand"),
    Job("deadline_reminders", "app.commands.deadlines.reminders:SendDeadlineRemindersCommand"),
    Job("period_notices", "app.commands.deadlines.notices:SendPeriodNoticesCommand"),
    Job("finalize_publicity", "app.commands.committee.publicity:finalize_due", "PUBLICITY_JOB_MINUTES"),
]


def register_job(job_id: str, target: str, minutes_setting: str = "DEADLINE_JOB_MINUTES") -> None:
    """Add (or replace) a job; call it before the scheduler starts (at import of the feature)."""
    JOBS[:] = [job for job in JOBS if job.id != job_id] + [Job(job_id, target, minutes_setting)]


_app: Flask | None = None  # the app whose jobs run in this process (jobs in the store name only their id)


def _purge_guards() -> int:
    from app.security.lockout import purge_name_guards
    from app.security.ratelimit import purge_expired

    return purge_expired() + purge_name_guards()


def call_job(job: Job):
    """Run one job's body in the current app context; a command class is built and run."""
    from app.commands.base import BaseCommand, transaction

    target = import_string(job.target.replace(":", "."))
    if isinstance(target, type) and issubclass(target, BaseCommand):
        return target().run()
    if getattr(target, "runs_own_transactions", False):  # one command per item, each kept on its own
        return target()
    with transaction():  # a plain function's work is kept, in one commit
        return target()


def run_job(job_id: str):
    """What the job store calls: the job's body in its own app context, logged, never raising."""
    job = next((j for j in JOBS if j.id == job_id), None)
    if job is None or _app is None:
        log.error("scheduler: unknown job %s (or no app)", job_id)
        return None
    started = time.monotonic()
    with _app.app_context():
        try:
            result = call_job(job)
        except Exception:  # a failing job must not stop the others; the next run tries again
            log.exception("scheduler: job %s failed", job_id)
            return None
    log.info("scheduler: job %s done in %.2fs, result %s (pid %d)", job_id, time.monotonic() - started,
             result, os.getpid())
    return result


# the bodies as the tests call them
def unlock_expired_accounts(app: Flask) -> int:
    with app.app_context():
        return call_job(_job("unlock_expired_accounts"))


def purge_expired_guards(app: Flask) -> int:
    """Ended rate-limit windows and old failure counts of unknown login names."""
    with app.app_context():
        return call_job(_job("purge_expired_guards"))


def finalize_publicity(app: Flask) -> int:
    """The committee results whose publicity is over become final (评审通过 / 评审未通过, certificates)."""
    with app.app_context():
        return call_job(_job("finalize_publicity"))


def _job(job_id: str) -> Job:
    return next(j for j in JOBS if j.id == job_id)


def _start_apscheduler(app: Flask, engine):
    from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
    from apscheduler.schedulers.background import BackgroundScheduler

    scheduler = BackgroundScheduler(jobstores={"default": SQLAlchemyJobStore(engine=engine)}, timezone="UTC")
    scheduler.start(paused=True)
    now = dt.datetime.now(dt.timezone.utc)
    for job in JOBS:  # each term starts with one run of every job, then the interval
        scheduler.add_job("app.scheduler:run_job", "interval", args=[job.id], id=job.id, name=job.id,
                          minutes=int(app.config[job.minutes_setting]), next_run_time=now,
                          replace_existing=True, coalesce=True, max_instances=1, misfire_grace_time=600)
    scheduler.resume()
    return scheduler


def serve(app: Flask, stop: threading.Event) -> None:
    """Wait to be elected, run the jobs while elected, stand by again when the lock is lost."""
    global _app
    from app.extensions import db
    from app.scheduler_lock import Election

    _app = app
    with app.app_context():
        engine = db.engine
    election = Election(engine, int(app.config["SCHEDULER_LEASE_SECONDS"]))
    standby = float(app.config["SCHEDULER_STANDBY_SECONDS"])
    announced = False
    try:
        while not stop.is_set():
            if not election.try_acquire():
                if not announced:
                    log.info("scheduler: standing by, another process runs the jobs (%s)", election.holder)
                    announced = True
                stop.wait(standby)
                continue
            log.info("scheduler: elected, running the jobs (%s)", election.holder)
            scheduler = _start_apscheduler(app, engine)
            renew_every = max(1.0, min(standby, int(app.config["SCHEDULER_LEASE_SECONDS"]) / 3))
            while not stop.wait(renew_every):
                if not election.renew():
                    log.warning("scheduler: lost the election lock; stopping the jobs (%s)", election.holder)
                    break
            scheduler.shutdown(wait=True)
            announced = False
    finally:
        election.release()
        log.info("scheduler: stopped (%s)", election.holder)


def start(app: Flask, force: bool = False) -> threading.Event | None:
    """The web process's scheduler (SCHEDULER_ENABLED): the same election, in a daemon thread."""
    # The Werkzeug reloader's parent process serves nothing and runs no jobs.
    if not force and os.environ.get("WERKZEUG_RUN_MAIN") == "false":
        return None
    stop = threading.Event()
    threading.Thread(target=serve, args=(app, stop), name="scheduler", daemon=True).start()
    return stop
