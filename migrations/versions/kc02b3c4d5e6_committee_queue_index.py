"""资格复审's list: a committee's applications by status, newest first, read a keyset page at a time
(app/daos/committee.py, app/daos/paging.py)

Revision ID: kc02b3c4d5e6
Revises: kc01a1b2c3d4
Create Date: 2026-12-01 16:36:00

"""
from alembic import op

revision = 'kc02b3c4d5e6'
down_revision = 'kc01a1b2c3d4'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index('ix_application_committee_queue', 'application', ['committee_id', 'status', 'submitted_at', 'id'])


def downgrade():
    op.drop_index('ix_application_committee_queue', table_name='application')
