"""Before `flask db upgrade`: a database made by the code that ordered the migrations ff01a7c3e5b2 …
ee1a2b3c4d5e before jj01a4c2e8f1 stands at jj02b7d3f9a2 with all of them applied; in today's order they
follow jj02b7d3f9a2, so record that it holds everything up to ee1a2b3c4d5e (docs/deploy.md §3).
Does nothing on any other database."""
from __future__ import annotations

import os
import sys

import sqlalchemy as sa

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
os.environ.setdefault("ZC_SCHEDULER_ENABLED", "0")

from config import Config  # noqa: E402

url = os.environ.get("ZC_DATABASE_URL") or Config.DATABASE_URL
engine = sa.create_engine(url)
with engine.begin() as conn:
    inspector = sa.inspect(conn)
    tables = set(inspector.get_table_names())
    if "alembic_version" in tables and "accepting_office" in tables:
        version = conn.execute(sa.text("SELECT version_num FROM alembic_version")).scalar()
        if version == "jj02b7d3f9a2":
            conn.execute(sa.text("UPDATE alembic_version SET version_num = 'ee1a2b3c4d5e'"))
            print("migrations: this database already holds ff01a7c3e5b2 … ee1a2b3c4d5e; recorded as ee1a2b3c4d5e")
engine.dispose()
