"""application steps: the units an application passed through (R5, issue 4 item 8); the unit queue
ordered by submission time

Revision ID: b7d41c2e9a10
Revises: ae37a06883d8
Create Date: 2026-11-23 13:10:00

"""
from alembic import op
import sqlalchemy as sa

revision = 'b7d41c2e9a10'
down_revision = 'ae37a06883d8'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'application_step',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('application_id', sa.Integer(), nullable=False),
        sa.Column('unit_id', sa.Integer(), nullable=False),
        sa.Column('arrived_at', sa.DateTime(), nullable=False),
        sa.Column('left_at', sa.DateTime(), nullable=True),
        sa.Column('outcome', sa.String(length=16), nullable=False),
        sa.ForeignKeyConstraint(['application_id'], ['application.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['unit_id'], ['unit.id']),
        sa.PrimaryKeyConstraint('id'),
    )
    with op.batch_alter_table('application_step', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_application_step_application_id'), ['application_id'], unique=False)
        batch_op.create_index('ix_application_step_unit', ['unit_id', 'outcome', 'application_id'], unique=False)
    with op.batch_alter_table('application', schema=None) as batch_op:
        batch_op.create_index('ix_application_unit_queue_time', ['current_unit_id', 'status', 'submitted_at'],
                              unique=False)
    # Applications already submitted get the step of the unit holding them now.
    op.execute("""
        INSERT INTO application_step (application_id, unit_id, arrived_at, outcome)
        SELECT id, current_unit_id, COALESCE(submitted_at, updated_at),
               CASE WHEN status = 'pending_committee' THEN 'reported' ELSE '' END
        FROM application
        WHERE current_unit_id IS NOT NULL AND status NOT IN ('draft', 'cancelled', 'returned')
    """)


def downgrade():
    with op.batch_alter_table('application', schema=None) as batch_op:
        batch_op.drop_index('ix_application_unit_queue_time')
    with op.batch_alter_table('application_step', schema=None) as batch_op:
        batch_op.drop_index('ix_application_step_unit')
        batch_op.drop_index(batch_op.f('ix_application_step_application_id'))
    op.drop_table('application_step')
