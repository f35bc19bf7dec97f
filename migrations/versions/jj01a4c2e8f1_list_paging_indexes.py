"""Indexes for the paged lists (benchmark issue item 4): the 数据上报 tabs by 是否委托评审 and time, the
unit queue filtered by level, 我的申报信息 newest first, and the 姓名 sort. Each ends with the sort key
and id, the order the keyset pages read (app/daos/paging.py).

Revision ID: jj01a4c2e8f1
Revises: ee1a2b3c4d5e
Create Date: 2026-12-01 14:00:00

"""
from alembic import op

revision = 'jj01a4c2e8f1'
down_revision = 'ee1a2b3c4d5e'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('application', schema=None) as batch_op:
        batch_op.create_index('ix_application_report_tab',
                              ['current_unit_id', 'status', 'entrusted', 'submitted_at', 'id'], unique=False)
        batch_op.create_index('ix_application_unit_queue_level',
                              ['current_unit_id', 'status', 'level_id', 'submitted_at'], unique=False)
        batch_op.create_index('ix_application_person_created', ['person_id', 'created_at', 'id'], unique=False)
    with op.batch_alter_table('person', schema=None) as batch_op:
        batch_op.create_index('ix_person_real_name', ['real_name'], unique=False)


def downgrade():
    with op.batch_alter_table('person', schema=None) as batch_op:
        batch_op.drop_index('ix_person_real_name')
    with op.batch_alter_table('application', schema=None) as batch_op:
        batch_op.drop_index('ix_application_person_created')
        batch_op.drop_index('ix_application_unit_queue_level')
        batch_op.drop_index('ix_application_report_tab')
