"""初定审核 and 证书入库 (初定): an office's applications by status, newest first, a keyset page at a time
(app/daos/offices.py, app/daos/paging.py)

Revision ID: kl01e2f3a4b5
Revises: ke01a7c2d9f4
Create Date: 2026-12-01 17:00:00

"""
from alembic import op

revision = 'kl01e2f3a4b5'
down_revision = 'ke01a7c2d9f4'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index('ix_application_office_queue', 'application',
                    ['accepting_office_id', 'status', 'submitted_at', 'id'])


def downgrade():
    op.drop_index('ix_application_office_queue', table_name='application')
