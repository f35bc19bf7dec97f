"""Extended statistics on the 数据上报 tab's correlated columns (PostgreSQL only)

PostgreSQL multiplies the selectivities of current_unit_id, status and entrusted as if they were
independent; they are not (a unit's passed applications are the ones it decides on being entrusted),
so it guessed 24 rows for a 5,000-row tab. Dependencies and most-common values on the three columns
let ANALYZE see the correlation. SQLite has no such statistics: nothing to do there.

Revision ID: km01a2b3c4d5
Revises: kl01e2f3a4b5
Create Date: 2026-12-01 17:10:00
"""
from alembic import op

revision = 'km01a2b3c4d5'
down_revision = 'kl01e2f3a4b5'
branch_labels = None
depends_on = None

NAME = 'st_application_unit_status_entrusted'


def upgrade():
    if op.get_bind().dialect.name == 'postgresql':
        op.execute(f'CREATE STATISTICS IF NOT EXISTS {NAME} (dependencies, mcv) '
                   'ON current_unit_id, status, entrusted FROM application')
        op.execute('ANALYZE application')


def downgrade():
    if op.get_bind().dialect.name == 'postgresql':
        op.execute(f'DROP STATISTICS IF EXISTS {NAME}')
