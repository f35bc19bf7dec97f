"""Write the rows a command added to the session as multi-row INSERTs instead of one INSERT … RETURNING
per row, for rows whose ids nobody reads afterwards (timeline events, audit rows, steps, messages).

SQLAlchemy's unit of work fetches each new row's id; on SQLite, which gives no order guarantee for a
multi-row RETURNING, it then sends one INSERT per row, so a 数据上报 of 500 cost 2,000 inserts. Called in
the command's transaction: the rows are committed or rolled back with everything else."""
from __future__ import annotations

from sqlalchemy import inspect, insert

from app.extensions import db


def insert_pending(*models) -> None:
    """INSERT the pending (added, not flushed) objects of `models` in one executemany per model; the
    objects leave the session (they have no id; nothing may use them afterwards). Other pending changes
    stay pending (no autoflush here): the caller's `cas.write()` sends them and checks the versions."""
    batches = []
    for model in models:
        pending = [obj for obj in db.session.new if type(obj) is model]
        if pending:
            columns = [c.key for c in inspect(model).column_attrs if not c.columns[0].primary_key]
            batches.append((model, [{key: getattr(obj, key) for key in columns} for obj in pending]))
            for obj in pending:
                db.session.expunge(obj)
    with db.session.no_autoflush:
        for model, rows in batches:
            db.session.execute(insert(model), rows)
