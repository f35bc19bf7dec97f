"""Compare-and-set on `version` (R6). The versioned tables map `version` as SQLAlchemy's version column
(`version_id_col`, bumped by the commands with bump()),
so every UPDATE of such a row is `UPDATE … SET …, version = :seen + 1 WHERE id = :id AND version = :seen`,
on SQLite (no row locks) as on PostgreSQL. When another worker changed the row after this one read it,
the UPDATE matches 0 rows and `write()` turns that into ChangedMeanwhile: nothing of the command is kept."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy.orm.exc import StaleDataError

from app.commands.errors import ChangedMeanwhile
from app.extensions import db

CHANGED_MEANWHILE = _l("Someone else has dealt with this meanwhile; nothing was done. Reload the page.")


def bump(row) -> None:
    row.version = (row.version or 0) + 1


def write(message=CHANGED_MEANWHILE) -> None:
    """Flush now, so that a lost compare-and-set is refused here with `message` (the caller rolls back)."""
    try:
        db.session.flush()
    except StaleDataError:
        raise ChangedMeanwhile(message) from None
