"""The unit picker's name search (U2, `name LIKE '%q%'`) on PostgreSQL: the pg_trgm extension and a GIN
trigram index on unit.name, which a `%…%` pattern can use (a btree cannot). Nothing on SQLite, whose
picker stays a scan of the units with 职称申报权限. Creating the extension needs a superuser once
(docs/deploy.md); the model does not declare the index (app/models/search_indexes.py says why).

Revision ID: jj02b7d3f9a2
Revises: jj01a4c2e8f1
Create Date: 2026-12-01 14:05:00

"""
from alembic import op

revision = 'jj02b7d3f9a2'
down_revision = 'jj01a4c2e8f1'
branch_labels = None
depends_on = None

INDEX = 'ix_unit_name_trgm'


def upgrade():
    if op.get_bind().dialect.name != 'postgresql':
        return
    op.execute('CREATE EXTENSION IF NOT EXISTS pg_trgm')
    op.execute(f'CREATE INDEX IF NOT EXISTS {INDEX} ON unit USING gin (name gin_trgm_ops)')


def downgrade():
    if op.get_bind().dialect.name != 'postgresql':
        return
    op.execute(f'DROP INDEX IF EXISTS {INDEX}')  # the extension stays: other databases' objects may use it
