"""a version column on permission applications, reporting paths and final-review authorities: each
decision is a compare-and-set on it (R6, app/commands/cas.py)

Revision ID: cc01a7e5d2b3
Revises: ff02b4d6e8a1
Create Date: 2026-12-01 13:20:00

"""
from alembic import op
import sqlalchemy as sa

revision = 'cc01a7e5d2b3'
down_revision = 'ff02b4d6e8a1'
branch_labels = None
depends_on = None

TABLES = ('unit_permission_application', 'reporting_path', 'final_authority_application')


def upgrade():
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column('version', sa.Integer(), server_default='1', nullable=False))


def downgrade():
    for table in reversed(TABLES):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column('version')
