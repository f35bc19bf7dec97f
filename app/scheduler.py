"""APScheduler jobs (S1). Each job pushes an app context and calls a command; each is safe to run
twice and from several workers (the work is a conditional UPDATE)."""
from __future__ import annotations

import logging
import os

from flask import Flask

from app.extensions import scheduler

log = logging.getLogger(__name__)


def unlock_expired_accounts(app: Flask) -> int:
    from app.security.lockout import clear_expired_locks

    with app.app_context():
        return clear_expired_locks()


def purge_expired_guards(app: Flask) -> int:
    """Ended rate-limit windows and old failure counts of unknown login names."""
    from app.security.lockout import purge_name_guards
    from app.security.ratelimit import purge_expired

    with app.app_context():
        return purge_expired() + purge_name_guards()


def finalize_publicity(app: Flask) -> int:
    """The committee results whose publicity is over become final (评审通过 / 评审未通过, certificates)."""
    from app.commands.committee.publicity import finalize_due

    with app.app_context():
        return finalize_due()


def start(app: Flask, force: bool = False) -> None:
    # One scheduler per process that serves; the Werkzeug reloader's parent process does not.
    if scheduler.running or (not force and os.environ.get("WERKZEUG_RUN_MAIN") == "false"):
        return
    scheduler.add_job(unlock_expired_accounts, "interval", args=[app], id="unlock_expired_accounts",
                      minutes=app.config["UNLOCK_JOB_MINUTES"], replace_existing=True, coalesce=True,
                      max_instances=1)
    scheduler.add_job(purge_expired_guards, "interval", args=[app], id="purge_expired_guards",
                      minutes=60, replace_existing=True, coalesce=True, max_instances=1)
    scheduler.add_job(finalize_publicity, "interval", args=[app], id="finalize_publicity",
                      minutes=app.config["PUBLICITY_JOB_MINUTES"], replace_existing=True, coalesce=True,
                      max_instances=1)
    scheduler.start()
