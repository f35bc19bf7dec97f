"""the unit queue ordered by submission time: index (current unit, status, submitted_at)

The index was added by editing b7d41c2e9a10 after it had landed, so a database upgraded before
that edit lacks it while one upgraded after has it. b7d41c2e9a10 stays as it is now (a landed
migration is not edited again); this revision creates the index where it is missing. Its downgrade
leaves the index to b7d41c2e9a10's downgrade, which drops it.

Revision ID: 9a1f3c5d7e20
Revises: b7d41c2e9a10
Create Date: 2026-12-01 13:40:00

"""
from alembic import op
import sqlalchemy as sa

revision = '9a1f3c5d7e20'
down_revision = 'b7d41c2e9a10'
branch_labels = None
depends_on = None

INDEX = 'ix_application_unit_queue_time'


def _has_index() -> bool:
    return any(ix['name'] == INDEX for ix in sa.inspect(op.get_bind()).get_indexes('application'))


def upgrade():
    if not _has_index():
        with op.batch_alter_table('application', schema=None) as batch_op:
            batch_op.create_index(INDEX, ['current_unit_id', 'status', 'submitted_at'], unique=False)


def downgrade():
    pass  # b7d41c2e9a10's downgrade drops the index, whichever revision made it
