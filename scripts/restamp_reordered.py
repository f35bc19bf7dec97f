"""Before `flask db upgrade`: the code of 2026-12-01 18:30–21:20 UTC ordered the migrations jj01a4c2e8f1 and
jj02b7d3f9a2 before ff01a7c3e5b2 … ee1a2b3c4d5e; they are back in the order that landed first (ee1a2b3c4d5e,
then jj01a4c2e8f1). A database that code left at jj01a4c2e8f1 or jj02b7d3f9a2 lacks ff01 … ee1a2b3c4d5e
(no table accepting_office), which today's order counts as applied. Undo jj01a4c2e8f1's indexes (what its
downgrade drops; jj02b7d3f9a2's trigram index is made again only if missing) and record the database as at
gg01c5e7a913, so that the upgrade applies all of them in order (docs/deploy.md §3). Does nothing on any other
database, a database at the head included."""
from __future__ import annotations

import os
import sys

import sqlalchemy as sa

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
os.environ.setdefault("ZC_SCHEDULER_ENABLED", "0")

from config import Config  # noqa: E402

JJ01_INDEXES = ("ix_application_report_tab", "ix_application_unit_queue_level", "ix_application_person_created",
                "ix_person_real_name")


def restamp(url: str) -> bool:
    """True when the database was one of those and is now recorded as at gg01c5e7a913."""
    engine = sa.create_engine(url)
    try:
        with engine.begin() as conn:
            tables = set(sa.inspect(conn).get_table_names())
            if "alembic_version" not in tables or "accepting_office" in tables:
                return False
            version = conn.execute(sa.text("SELECT version_num FROM alembic_version")).scalar()
            if version not in ("jj01a4c2e8f1", "jj02b7d3f9a2"):
                return False
            for name in JJ01_INDEXES:
                conn.execute(sa.text(f"DROP INDEX IF EXISTS {name}"))
            conn.execute(sa.text("UPDATE alembic_version SET version_num = 'gg01c5e7a913'"))
            return True
    finally:
        engine.dispose()


if __name__ == "__main__":
    if restamp(os.environ.get("ZC_DATABASE_URL") or Config.DATABASE_URL):
        print("migrations: this database stood at jj01a4c2e8f1/jj02b7d3f9a2 of the other order without "
              "ff01a7c3e5b2 … ee1a2b3c4d5e; recorded as gg01c5e7a913, the upgrade applies them in order")
