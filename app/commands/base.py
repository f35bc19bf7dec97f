"""How every command is built and how it keeps or discards its work.

A command is a class with `validate()` (load and check: raises a CommandError from
app/commands/errors.py) and `run()` (do it), as Superset's commands. `run()` is wrapped in `transaction()`:
the session commits once when the outermost command ends and rolls back, then re-raises, on any error,
so nothing of a refused command is kept. A command called by another command joins the caller's
transaction (only the outermost commits). Scheduler jobs and CLI commands call commands too; nothing
else in app/ commits or rolls back (`discard()` is for error handlers that meet a broken session).
"""
from __future__ import annotations

import functools
from abc import ABC, abstractmethod
from contextlib import contextmanager
from typing import Callable, Iterator

from app.extensions import db

_DEPTH = "zc_transaction_depth"


@contextmanager
def transaction(on_error: Callable[[Exception], Exception | None] | None = None) -> Iterator[None]:
    """Commit once at the end of the outermost block, or roll back and re-raise. `on_error` may turn a
    low-level error (an IntegrityError of a unique index) into a CommandError, which is raised instead."""
    info = db.session.info
    depth = info.get(_DEPTH, 0)
    info[_DEPTH] = depth + 1
    try:
        yield
        if depth == 0:
            db.session.commit()
    except Exception as err:
        if depth == 0:
            db.session.rollback()
        replacement = on_error(err) if on_error is not None else None
        if replacement is not None and replacement is not err:
            raise replacement from err
        raise
    finally:
        info[_DEPTH] = depth


def transactional(fn=None, *, on_error: Callable[[Exception], Exception | None] | None = None):
    """`transaction()` as a decorator: `@transactional` or `@transactional(on_error=...)`."""
    def wrap(f):
        @functools.wraps(f)
        def inner(*args, **kwargs):
            with transaction(on_error):
                return f(*args, **kwargs)
        inner._zc_transactional = True
        return inner
    return wrap(fn) if fn is not None else wrap


def in_transaction() -> bool:
    return db.session.info.get(_DEPTH, 0) > 0


def discard() -> None:
    """Throw away whatever the session holds (an error handler meeting a failed flush or a lock timeout)."""
    db.session.info[_DEPTH] = 0
    db.session.rollback()


class BaseCommand(ABC):
    """Subclasses implement validate() and run(); run() is transactional (subclasses decorate it with
    @transactional, or are wrapped here automatically)."""

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        run = cls.__dict__.get("run")
        if run is not None and not getattr(run, "_zc_transactional", False):
            cls.run = transactional(run)

    @abstractmethod
    def validate(self) -> None:
        """Load what the command acts on and check it; raise a CommandError to refuse."""

    @abstractmethod
    def run(self):
        """Do it (call self.validate() first); runs inside transaction()."""
