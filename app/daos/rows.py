"""One row of a row-filtered query, the way a command loads what it is about to change."""
from __future__ import annotations

from app.commands.errors import NotFound
from app.extensions import db


def one_row(stmt, *, for_update: bool = False, of=None, missing=None):
    """The single row of `stmt`, or None; NotFound(`missing`) instead when a message is given. `for_update`
    locks the row (only the table `of` where the query outer-joins others: PostgreSQL locks no row of those)
    and refreshes a copy the request loaded before the lock: the locked row is what a decision is checked
    against."""
    if for_update:
        stmt = stmt.with_for_update(of=of).execution_options(populate_existing=True)
    row = db.session.execute(stmt).unique().scalar_one_or_none()
    if row is None and missing is not None:
        raise NotFound(missing)
    return row
