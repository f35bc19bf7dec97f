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
        with db.engine.begin() as conn:  # what a database upgraded before b7d41c2e9a10 was edited has
            conn.execute(sa.text(f"DROP INDEX {QUEUE_INDEX}"))
        assert QUEUE_INDEX not in _schema()["application"]
        upgrade()
        assert QUEUE_INDEX in _schema()["application"]
        downgrade(revision="ae37a06883d8")  # and b7d41c2e9a10's downgrade still finds it to drop
        assert "application_step" not in _schema() and QUEUE_INDEX not in _schema()["application"]


def test_queue_index_already_made_by_the_edited_revision_is_kept(scratch_app):
    with scratch_app.app_context():
        upgrade(revision=BEFORE_REPAIR)
        assert QUEUE_INDEX in _schema()["application"]  # the edited revision made it
        upgrade()
        assert QUEUE_INDEX in _schema()["application"]
        downgrade(revision=BEFORE_REPAIR)
        assert QUEUE_INDEX in _schema()["application"]


def test_a_database_left_mid_chain_by_the_other_order_upgrades(scratch_app):
    """The code of one afternoon ran jj01a4c2e8f1 right after gg01c5e7a913; a database it left there holds
    jj01's indexes but not ff01a7c3e5b2 … ee1a2b3c4d5e. scripts/restamp_reordered.py records it as at gg01, and
    the upgrade then applies every revision once; on a database at the head it does nothing."""
    import importlib.util
    from pathlib import Path

    from flask_migrate import stamp

    spec = importlib.util.spec_from_file_location(
        "restamp", Path(__file__).resolve().parents[2] / "scripts" / "restamp_reordered.py")
    restamp = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(restamp)
    with scratch_app.app_context():
        url = db.engine.url.render_as_string(hide_password=False)
        upgrade(revision="gg01c5e7a913")
        with db.engine.begin() as conn:  # what jj01a4c2e8f1 made there
            conn.execute(sa.text("CREATE INDEX ix_application_report_tab ON application "
                                 "(current_unit_id, status, entrusted, submitted_at, id)"))
            conn.execute(sa.text("CREATE INDEX ix_application_unit_queue_level ON application "
                                 "(current_unit_id, status, level_id, submitted_at)"))
            conn.execute(sa.text("CREATE INDEX ix_application_person_created ON application (person_id, created_at, id)"))
            conn.execute(sa.text("CREATE INDEX ix_person_real_name ON person (real_name)"))
        stamp(revision="jj01a4c2e8f1")
        db.engine.dispose()
        assert restamp.restamp(url) is True
        upgrade()
        schema = _schema()
        assert "accepting_office" in schema and "ix_application_report_tab" in schema["application"]
        db.engine.dispose()
        assert restamp.restamp(url) is False
