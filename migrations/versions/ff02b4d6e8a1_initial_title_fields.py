"""职称初定 (seed 004 ch. 2, new-applicant issue item 8): 报送受理部门 (accepting offices by region and series)
and the application's 所属行政区划, 工作单位性质, 行政主管部门 and 报送受理部门

Revision ID: ff02b4d6e8a1
Revises: ff01a7c3e5b2
Create Date: 2026-12-01 13:40:00

"""
from alembic import op
import sqlalchemy as sa

revision = 'ff02b4d6e8a1'
down_revision = 'ff01a7c3e5b2'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'accepting_office',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('name', sa.String(length=128), nullable=False),
        sa.Column('region_id', sa.Integer(), nullable=False),
        sa.Column('series_id', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['region_id'], ['region.id']),
        sa.ForeignKeyConstraint(['series_id'], ['title_series.id']),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('name', 'region_id'),
    )
    with op.batch_alter_table('accepting_office', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_accepting_office_region_id'), ['region_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_accepting_office_series_id'), ['series_id'], unique=False)
    with op.batch_alter_table('application', schema=None) as batch_op:
        batch_op.add_column(sa.Column('region_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('work_unit_nature', sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column('competent_department', sa.String(length=128), nullable=True))
        batch_op.add_column(sa.Column('accepting_office_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key('fk_application_region_id_region', 'region', ['region_id'], ['id'])
        batch_op.create_foreign_key('fk_application_accepting_office_id_accepting_office', 'accepting_office',
                                    ['accepting_office_id'], ['id'])


def downgrade():
    with op.batch_alter_table('application', schema=None) as batch_op:
        batch_op.drop_constraint('fk_application_accepting_office_id_accepting_office', type_='foreignkey')
        batch_op.drop_constraint('fk_application_region_id_region', type_='foreignkey')
        batch_op.drop_column('accepting_office_id')
        batch_op.drop_column('competent_department')
        batch_op.drop_column('work_unit_nature')
        batch_op.drop_column('region_id')
    with op.batch_alter_table('accepting_office', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_accepting_office_series_id'))
        batch_op.drop_index(batch_op.f('ix_accepting_office_region_id'))
    op.drop_table('accepting_office')
