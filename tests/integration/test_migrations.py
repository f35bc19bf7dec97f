"""The migrations go up, all the way down and up again, on a database of their own (SQLite and
PostgreSQL alike), and the repaired revision adds the queue index whether or not it is there."""
from __future__ import annotations

import pytest
import sqlalchemy as sa
from flask_migrate import downgrade, upgrade

from app import create_app
from app.extensions import db

QUEUE_INDEX = "ix_application_unit_queue_time"
BEFORE_REPAIR = "b7d41c2e9a10"


@pytest.fixture
def scratch_app(database_url, tmp_path):
    """An app on an empty database next to the suite's one, dropped afterwards."""
    if database_url.startswith("postgresql"):
        admin = sa.create_engine(database_url, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(sa.text("DROP DATABASE IF EXISTS zc_migrations"))
            conn.execute(sa.text("CREATE DATABASE zc_migrations"))
        url = sa.make_url(database_url).set(database="zc_migrations").render_as_string(hide_password=False)
    else:
        url = f"sqlite:///{tmp_path / 'migrations.db'}"
    app = create_app({"DATABASE_URL": url, "TESTING": True, "SCHEDULER_ENABLED": False})
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()
    if database_url.startswith("postgresql"):
        with admin.connect() as conn:
            conn.execute(sa.text("DROP DATABASE IF EXISTS zc_migrations"))
        admin.dispose()


def _schema() -> dict[str, set[str]]:
    inspector = sa.inspect(db.engine)
    return {table: {ix["name"] for ix in inspector.get_indexes(table)}
            for table in inspector.get_table_names() if table != "alembic_version"}


def test_upgrade_downgrade_to_base_and_upgrade_again(scratch_app):
    with scratch_app.app_context():
        upgrade()
        first = _schema()
        assert {"application", "application_step", "unit", "ab_user", "audit_log"} <= set(first)
        downgrade(revision="base")
        assert _schema() == {}
        upgrade()
        assert _schema() == first


def test_queue_index_is_added_where_the_landed_revision_lacked_it(scratch_app):
    with scratch_app.app_context():
        upgrade(revision=BEFORE_REPAIR)
        assert QUEUE_INDEX not in _schema()["application"]
        upgrade()
        assert QUEUE_INDEX in _schema()["application"]


def test_queue_index_already_made_by_the_edited_revision_is_kept(scratch_app):
    with scratch_app.app_context():
        upgrade(revision=BEFORE_REPAIR)
        with db.engine.begin() as conn:  # what a database upgraded with the edited revision has
            conn.execute(sa.text(f"CREATE INDEX {QUEUE_INDEX} ON application (current_unit_id, status, submitted_at)"))
        upgrade()
        assert QUEUE_INDEX in _schema()["application"]
        downgrade(revision=BEFORE_REPAIR)
        assert QUEUE_INDEX not in _schema()["application"]
