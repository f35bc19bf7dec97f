"""The election of the one scheduler (S1): however many web workers, hosts or `flask scheduler run`
processes start, only the holder of this lock runs jobs; the others wait and take over when it goes.

PostgreSQL: a session-level advisory lock on a connection kept for the life of the process; the lock
ends when the process or its connection dies. Other databases (SQLite): one `scheduler_lock` row whose
holder renews a lease; a holder that stops renewing is replaced once its lease has run out."""
from __future__ import annotations

import datetime as dt
import os
import socket
import uuid

from sqlalchemy import insert, select, text, update
from sqlalchemy.exc import IntegrityError, OperationalError

from app.models.deadlines import SchedulerLock

ADVISORY_KEY = 7_351_246_014  # any constant; names "the scheduler" among advisory locks
LOCK_NAME = "scheduler"


def _now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)


class Election:
    def __init__(self, engine, lease_seconds: int = 60):
        self.engine, self.lease = engine, dt.timedelta(seconds=lease_seconds)
        self.holder = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
        self._conn = None  # PostgreSQL: the connection that holds the advisory lock
        self.leader = False

    @property
    def _postgres(self) -> bool:
        return self.engine.dialect.name == "postgresql"

    def try_acquire(self) -> bool:
        """Become the scheduler if nobody is; True when this process holds the lock now."""
        if self._postgres:
            if self._conn is None:
                self._conn = self.engine.connect()
            got = bool(self._conn.execute(text("SELECT pg_try_advisory_lock(:k)"), {"k": ADVISORY_KEY}).scalar())
            self._conn.commit()
            self.leader = got
            return got
        self.leader = self._take_lease()
        return self.leader

    def renew(self) -> bool:
        """Still the scheduler? (PostgreSQL: the connection is alive; otherwise the lease is extended.)"""
        if not self.leader:
            return False
        if self._postgres:
            try:
                self._conn.execute(text("SELECT 1")).scalar()
                self._conn.commit()
            except OperationalError:
                self._drop_connection()
                self.leader = False
        else:
            self.leader = self._take_lease()
        return self.leader

    def release(self) -> None:
        if self._postgres and self._conn is not None:
            try:
                self._conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": ADVISORY_KEY})
                self._conn.commit()
            except OperationalError:
                pass
            self._drop_connection()
        elif self.leader:
            with self.engine.begin() as conn:
                conn.execute(update(SchedulerLock).where(SchedulerLock.name == LOCK_NAME,
                                                         SchedulerLock.holder == self.holder)
                             .values(expires_at=_now()))
        self.leader = False

    def _drop_connection(self) -> None:
        try:
            self._conn.close()
        except OperationalError:
            pass
        self._conn = None

    def _take_lease(self) -> bool:
        """One conditional UPDATE (ours, or run out), or the first INSERT: never two holders at once."""
        now = _now()
        try:
            with self.engine.begin() as conn:
                taken = conn.execute(
                    update(SchedulerLock)
                    .where(SchedulerLock.name == LOCK_NAME,
                           (SchedulerLock.holder == self.holder) | (SchedulerLock.expires_at < now))
                    .values(holder=self.holder, expires_at=now + self.lease)).rowcount
                if taken:
                    return True
                if conn.execute(select(SchedulerLock.name).where(SchedulerLock.name == LOCK_NAME)).first():
                    return False
                conn.execute(insert(SchedulerLock).values(name=LOCK_NAME, holder=self.holder,
                                                          expires_at=now + self.lease))
                return True
        except (IntegrityError, OperationalError):  # another process inserted first, or holds the write lock
            return False
