"""timeline: the sections a 退回 marked 不通过 with their reasons, kept on the event (new-applicant issue item 10)

Revision ID: ff01a7c3e5b2
Revises: gg01c5e7a913
Create Date: 2026-12-01 13:20:00

"""
from alembic import op
import sqlalchemy as sa

revision = 'ff01a7c3e5b2'
down_revision = 'gg01c5e7a913'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('application_event', schema=None) as batch_op:
        batch_op.add_column(sa.Column('rejected_sections', sa.JSON(), nullable=True))


def downgrade():
    with op.batch_alter_table('application_event', schema=None) as batch_op:
        batch_op.drop_column('rejected_sections')
