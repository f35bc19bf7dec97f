"""Units (U1, U3–U5): permission applications, the unit registry, reporting paths (one effective
per unit, business set, series and level: a partial unique index on SQLite and PostgreSQL) and
final-review authority applications.

Revision ID: ae37a06883d8
Revises: c63e2bb4b838
Create Date: 2026-11-23 07:59:09.359382

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'ae37a06883d8'
down_revision = 'c63e2bb4b838'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('unit_registry_entry',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('credit_code', sa.String(length=18), nullable=False),
    sa.Column('name', sa.String(length=128), nullable=False),
    sa.Column('imported_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('credit_code')
    )
    with op.batch_alter_table('unit_registry_entry', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_unit_registry_entry_name'), ['name'], unique=False)

    op.create_table('final_authority_application',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('business', sa.String(length=16), nullable=False),
    sa.Column('level_id', sa.Integer(), nullable=False),
    sa.Column('organisation', sa.String(length=128), nullable=False),
    sa.Column('region_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('reason', sa.String(length=500), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('decided_at', sa.DateTime(), nullable=True),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['decided_by_id'], ['ab_user.id'], ),
    sa.ForeignKeyConstraint(['level_id'], ['title_level.id'], ),
    sa.ForeignKeyConstraint(['region_id'], ['region.id'], ),
    sa.ForeignKeyConstraint(['unit_id'], ['unit.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('final_authority_application', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_final_authority_application_region_id'), ['region_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_final_authority_application_status'), ['status'], unique=False)
        batch_op.create_index(batch_op.f('ix_final_authority_application_unit_id'), ['unit_id'], unique=False)
        batch_op.create_index('uq_final_authority_open', ['unit_id', 'business'], unique=True, sqlite_where=sa.text("status IN ('pending', 'approved')"), postgresql_where=sa.text("status IN ('pending', 'approved')"))

    op.create_table('reporting_path',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('business_set', sa.String(length=16), nullable=False),
    sa.Column('series_id', sa.Integer(), nullable=False),
    sa.Column('level_id', sa.Integer(), nullable=False),
    sa.Column('target_unit_id', sa.Integer(), nullable=True),
    sa.Column('committee_id', sa.Integer(), nullable=True),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('reason', sa.String(length=500), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('decided_at', sa.DateTime(), nullable=True),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint('(target_unit_id IS NULL) <> (committee_id IS NULL)', name='ck_reporting_path_one_target'),
    sa.ForeignKeyConstraint(['committee_id'], ['committee.id'], ),
    sa.ForeignKeyConstraint(['decided_by_id'], ['ab_user.id'], ),
    sa.ForeignKeyConstraint(['level_id'], ['title_level.id'], ),
    sa.ForeignKeyConstraint(['series_id'], ['title_series.id'], ),
    sa.ForeignKeyConstraint(['target_unit_id'], ['unit.id'], ),
    sa.ForeignKeyConstraint(['unit_id'], ['unit.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('reporting_path', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_reporting_path_committee_id'), ['committee_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_reporting_path_status'), ['status'], unique=False)
        batch_op.create_index(batch_op.f('ix_reporting_path_target_unit_id'), ['target_unit_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_reporting_path_unit_id'), ['unit_id'], unique=False)
        batch_op.create_index('uq_reporting_path_effective', ['unit_id', 'business_set', 'series_id', 'level_id'], unique=True, sqlite_where=sa.text("status = 'effective'"), postgresql_where=sa.text("status = 'effective'"))

    op.create_table('unit_permission_application',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('credit_code', sa.String(length=18), nullable=False),
    sa.Column('name', sa.String(length=128), nullable=False),
    sa.Column('region_id', sa.Integer(), nullable=False),
    sa.Column('unit_type', sa.String(length=32), nullable=False),
    sa.Column('competent_department', sa.String(length=128), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('auto_granted', sa.Boolean(), server_default='0', nullable=False),
    sa.Column('reason', sa.String(length=500), nullable=True),
    sa.Column('submitted_at', sa.DateTime(), nullable=True),
    sa.Column('decided_at', sa.DateTime(), nullable=True),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['decided_by_id'], ['ab_user.id'], ),
    sa.ForeignKeyConstraint(['region_id'], ['region.id'], ),
    sa.ForeignKeyConstraint(['unit_id'], ['unit.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('unit_id')
    )
    with op.batch_alter_table('unit_permission_application', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_unit_permission_application_region_id'), ['region_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_unit_permission_application_status'), ['status'], unique=False)

    with op.batch_alter_table('unit', schema=None) as batch_op:
        batch_op.add_column(sa.Column('credit_code', sa.String(length=18), nullable=True))



def downgrade():
    with op.batch_alter_table('unit', schema=None) as batch_op:
        batch_op.drop_column('credit_code')

    with op.batch_alter_table('unit_permission_application', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_unit_permission_application_status'))
        batch_op.drop_index(batch_op.f('ix_unit_permission_application_region_id'))

    op.drop_table('unit_permission_application')
    with op.batch_alter_table('reporting_path', schema=None) as batch_op:
        batch_op.drop_index('uq_reporting_path_effective')
        batch_op.drop_index(batch_op.f('ix_reporting_path_unit_id'))
        batch_op.drop_index(batch_op.f('ix_reporting_path_target_unit_id'))
        batch_op.drop_index(batch_op.f('ix_reporting_path_status'))
        batch_op.drop_index(batch_op.f('ix_reporting_path_committee_id'))

    op.drop_table('reporting_path')
    with op.batch_alter_table('final_authority_application', schema=None) as batch_op:
        batch_op.drop_index('uq_final_authority_open')
        batch_op.drop_index(batch_op.f('ix_final_authority_application_unit_id'))
        batch_op.drop_index(batch_op.f('ix_final_authority_application_status'))
        batch_op.drop_index(batch_op.f('ix_final_authority_application_region_id'))

    op.drop_table('final_authority_application')
    with op.batch_alter_table('unit_registry_entry', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_unit_registry_entry_name'))

    op.drop_table('unit_registry_entry')
