"""Certificates (职称证书): the certificate, the number counter per region and year, the issuer's seal.

Revision ID: ka01c3e5a7b9
Revises: jj02b7d3f9a2
Create Date: 2026-12-01 16:00:00

"""
import sqlalchemy as sa
from alembic import op

revision = 'ka01c3e5a7b9'
down_revision = 'jj02b7d3f9a2'
branch_labels = None
depends_on = None

VALID = "status = 'valid' AND application_id IS NOT NULL"


def upgrade():
    op.create_table(
        'certificate',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('number', sa.String(length=32), nullable=False),
        sa.Column('verify_code', sa.String(length=16), nullable=False),
        sa.Column('person_id', sa.Integer(), nullable=True),
        sa.Column('holder_name', sa.String(length=64), nullable=False),
        sa.Column('holder_id_number', sa.String(length=32), nullable=False),
        sa.Column('business', sa.String(length=16), nullable=False),
        sa.Column('series_id', sa.Integer(), nullable=True),
        sa.Column('series_name', sa.String(length=128), nullable=False),
        sa.Column('level_id', sa.Integer(), nullable=True),
        sa.Column('level_name', sa.String(length=32), nullable=False),
        sa.Column('title_id', sa.Integer(), nullable=True),
        sa.Column('title_name', sa.String(length=128), nullable=False),
        sa.Column('specialty_id', sa.Integer(), nullable=True),
        sa.Column('specialty_name', sa.String(length=128), nullable=False),
        sa.Column('issuer_kind', sa.String(length=16), nullable=False),
        sa.Column('issuer_id', sa.Integer(), nullable=False),
        sa.Column('issuer_name', sa.String(length=128), nullable=False),
        sa.Column('region_id', sa.Integer(), nullable=False),
        sa.Column('published_on', sa.Date(), nullable=False),
        sa.Column('year', sa.Integer(), nullable=False),
        sa.Column('issued_at', sa.DateTime(), nullable=False),
        sa.Column('issued_by_id', sa.Integer(), nullable=True),
        sa.Column('status', sa.String(length=16), nullable=False),
        sa.Column('revoke_reason', sa.Text(), nullable=True),
        sa.Column('revoked_at', sa.DateTime(), nullable=True),
        sa.Column('revoked_by_id', sa.Integer(), nullable=True),
        sa.Column('replaced_by_id', sa.Integer(), nullable=True),
        sa.Column('replaced_at', sa.DateTime(), nullable=True),
        sa.Column('application_id', sa.Integer(), nullable=True),
        sa.Column('version', sa.Integer(), server_default='1', nullable=False),
        sa.ForeignKeyConstraint(['person_id'], ['person.id']),
        sa.ForeignKeyConstraint(['series_id'], ['title_series.id']),
        sa.ForeignKeyConstraint(['level_id'], ['title_level.id']),
        sa.ForeignKeyConstraint(['title_id'], ['title.id']),
        sa.ForeignKeyConstraint(['specialty_id'], ['specialty.id']),
        sa.ForeignKeyConstraint(['region_id'], ['region.id']),
        sa.ForeignKeyConstraint(['issued_by_id'], ['ab_user.id']),
        sa.ForeignKeyConstraint(['revoked_by_id'], ['ab_user.id']),
        sa.ForeignKeyConstraint(['replaced_by_id'], ['certificate.id']),
        sa.ForeignKeyConstraint(['application_id'], ['application.id']),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('number'),
    )
    with op.batch_alter_table('certificate', schema=None) as batch_op:
        batch_op.create_index('uq_certificate_valid_per_application', ['application_id'], unique=True,
                              sqlite_where=sa.text(VALID), postgresql_where=sa.text(VALID))
        batch_op.create_index('ix_certificate_region_list', ['region_id', 'status', 'issued_at', 'id'], unique=False)
        batch_op.create_index('ix_certificate_issuer_list', ['issuer_kind', 'issuer_id', 'issued_at', 'id'],
                              unique=False)
        batch_op.create_index('ix_certificate_region_year', ['region_id', 'year', 'series_id', 'level_id'],
                              unique=False)
        batch_op.create_index('ix_certificate_person', ['person_id', 'issued_at'], unique=False)
        batch_op.create_index('ix_certificate_holder', ['holder_id_number', 'holder_name'], unique=False)
        batch_op.create_index('ix_certificate_status', ['status'], unique=False)
        batch_op.create_index('ix_certificate_application_id', ['application_id'], unique=False)
    op.create_table(
        'certificate_counter',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('region_code', sa.String(length=12), nullable=False),
        sa.Column('year', sa.Integer(), nullable=False),
        sa.Column('last', sa.Integer(), server_default='0', nullable=False),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('region_code', 'year'),
    )
    op.create_table(
        'issuer_seal',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('issuer_kind', sa.String(length=16), nullable=False),
        sa.Column('issuer_id', sa.Integer(), nullable=False),
        sa.Column('stored_name', sa.String(length=64), nullable=False),
        sa.Column('width', sa.Integer(), nullable=False),
        sa.Column('height', sa.Integer(), nullable=False),
        sa.Column('uploaded_at', sa.DateTime(), nullable=False),
        sa.Column('uploaded_by_id', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['uploaded_by_id'], ['ab_user.id']),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('issuer_kind', 'issuer_id'),
        sa.UniqueConstraint('stored_name'),
    )


def downgrade():
    op.drop_table('issuer_seal')
    op.drop_table('certificate_counter')
    with op.batch_alter_table('certificate', schema=None) as batch_op:
        for name in ('ix_certificate_application_id', 'ix_certificate_status', 'ix_certificate_holder',
                     'ix_certificate_person', 'ix_certificate_region_year', 'ix_certificate_issuer_list',
                     'ix_certificate_region_list'):
            batch_op.drop_index(name)
        batch_op.drop_index('uq_certificate_valid_per_application', sqlite_where=sa.text(VALID),
                            postgresql_where=sa.text(VALID))
    op.drop_table('certificate')
