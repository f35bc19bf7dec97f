"""one application per person, business and year that is not cancelled or failed (new-applicant issue
item 7): a partial unique index on SQLite and PostgreSQL

Revision ID: ee1a2b3c4d5e
Revises: bb01a1c2d3e4
Create Date: 2026-12-01 13:30:00

"""
from alembic import op
import sqlalchemy as sa

revision = 'ee1a2b3c4d5e'
down_revision = 'bb01a1c2d3e4'
branch_labels = None
depends_on = None

HOLDS_PLACE = "status NOT IN ('cancelled', 'review_failed', 'blacklisted')"


def upgrade():
    duplicates = op.get_bind().execute(sa.text(
        f"SELECT person_id, business, year, COUNT(*) FROM application WHERE {HOLDS_PLACE} "
        "GROUP BY person_id, business, year HAVING COUNT(*) > 1")).all()
    if duplicates:
        # deciding which duplicate is the real one is a person's job, not a migration's
        listed = "; ".join(f"person {p} {b} {y}: {n} applications" for p, b, y, n in duplicates[:20])
        raise RuntimeError("Duplicate open applications must be cancelled before this upgrade "
                           f"(keep one per person, business and year): {listed}")
    with op.batch_alter_table('application', schema=None) as batch_op:
        batch_op.create_index('uq_application_one_open_per_year', ['person_id', 'business', 'year'], unique=True,
                              sqlite_where=sa.text(HOLDS_PLACE), postgresql_where=sa.text(HOLDS_PLACE))


def downgrade():
    with op.batch_alter_table('application', schema=None) as batch_op:
        batch_op.drop_index('uq_application_one_open_per_year', sqlite_where=sa.text(HOLDS_PLACE),
                            postgresql_where=sa.text(HOLDS_PLACE))
