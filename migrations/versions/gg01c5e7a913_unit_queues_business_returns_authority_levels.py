"""Unit queues and final-review authority per level (new-user issue items 11, 13, 15, 16): the unit
queue by business, a unit's returned steps by time, the titles of a level by name, and one pending or
approved final-review authority per unit, business and certificate level (was: per unit and business).

Revision ID: gg01c5e7a913
Revises: 9a1f3c5d7e20
Create Date: 2026-12-01 13:30:00

"""
from alembic import op
import sqlalchemy as sa

revision = 'gg01c5e7a913'
down_revision = '9a1f3c5d7e20'
branch_labels = None
depends_on = None

_OPEN = sa.text("status IN ('pending', 'approved')")


def upgrade():
    with op.batch_alter_table('application', schema=None) as batch_op:
        batch_op.create_index('ix_application_unit_queue_business',
                              ['current_unit_id', 'status', 'business', 'submitted_at'], unique=False)
    with op.batch_alter_table('application_step', schema=None) as batch_op:
        batch_op.create_index('ix_application_step_unit_left', ['unit_id', 'outcome', 'left_at'], unique=False)
    with op.batch_alter_table('title', schema=None) as batch_op:
        batch_op.create_index('ix_title_level_name', ['level_id', 'name'], unique=False)
    with op.batch_alter_table('final_authority_application', schema=None) as batch_op:
        batch_op.drop_index('uq_final_authority_open')
        batch_op.create_index('uq_final_authority_open_level', ['unit_id', 'business', 'level_id'], unique=True,
                              sqlite_where=_OPEN, postgresql_where=_OPEN)


def downgrade():
    # a unit holding authorities of several levels keeps the newest open one per business
    op.execute("""
        UPDATE final_authority_application SET status = 'rejected', reason = 'downgrade: one level per business'
        WHERE status IN ('pending', 'approved') AND id NOT IN (
            SELECT MAX(id) FROM final_authority_application WHERE status IN ('pending', 'approved')
            GROUP BY unit_id, business)
    """)
    with op.batch_alter_table('final_authority_application', schema=None) as batch_op:
        batch_op.drop_index('uq_final_authority_open_level')
        batch_op.create_index('uq_final_authority_open', ['unit_id', 'business'], unique=True,
                              sqlite_where=_OPEN, postgresql_where=_OPEN)
    with op.batch_alter_table('title', schema=None) as batch_op:
        batch_op.drop_index('ix_title_level_name')
    with op.batch_alter_table('application_step', schema=None) as batch_op:
        batch_op.drop_index('ix_application_step_unit_left')
    with op.batch_alter_table('application', schema=None) as batch_op:
        batch_op.drop_index('ix_application_unit_queue_business')
