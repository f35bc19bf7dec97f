"""Models and migrations agree; the audit log is append-only."""
from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_appbuilder import Model

from app.clock import utcnow
from app.extensions import db
from app.models.audit import AuditLog, AuditLogIsAppendOnly
from app.models.search_indexes import include_object


def test_migrations_match_the_models(app):
    with app.app_context():
        with db.engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={"compare_type": True,
                                                             "include_object": include_object})
            diff = compare_metadata(context, Model.metadata)
    assert diff == [], f"models and migrations differ; run `flask db migrate`: {diff}"


def test_audit_rows_cannot_be_changed_or_deleted(app):
    with app.app_context():
        row = AuditLog(at=utcnow(), action="login")
        db.session.add(row)
        db.session.commit()
        row.action = "forged"
        with pytest.raises(AuditLogIsAppendOnly):
            db.session.commit()
        db.session.rollback()
        db.session.delete(db.session.get(AuditLog, row.id))
        with pytest.raises(AuditLogIsAppendOnly):
            db.session.commit()
        db.session.rollback()
