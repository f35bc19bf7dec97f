"""Historical title registrations, certificate reissue requests, their PDFs, and the verification log.

Revision ID: kb01d4f6a8c2
Revises: ka01c3e5a7b9
Create Date: 2026-12-01 16:10:00

"""
import sqlalchemy as sa
from alembic import op

revision = 'kb01d4f6a8c2'
down_revision = 'ka01c3e5a7b9'
branch_labels = None
depends_on = None


def _decision_columns():
    return [
        sa.Column('status', sa.String(length=16), nullable=False),
        sa.Column('reason', sa.Text(), nullable=True),
        sa.Column('submitted_at', sa.DateTime(), nullable=False),
        sa.Column('decided_at', sa.DateTime(), nullable=True),
        sa.Column('decided_by_id', sa.Integer(), sa.ForeignKey('ab_user.id'), nullable=True),
        sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    ]


def upgrade():
    op.create_table(
        'historical_registration',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('person_id', sa.Integer(), sa.ForeignKey('person.id'), nullable=False),
        sa.Column('holder_name', sa.String(length=64), nullable=False),
        sa.Column('holder_id_number', sa.String(length=32), nullable=False),
        sa.Column('series_name', sa.String(length=128), nullable=False),
        sa.Column('level_id', sa.Integer(), sa.ForeignKey('title_level.id'), nullable=False),
        sa.Column('title_name', sa.String(length=128), nullable=False),
        sa.Column('specialty_name', sa.String(length=128), nullable=False),
        sa.Column('certificate_no', sa.String(length=32), nullable=False),
        sa.Column('issuing_body', sa.String(length=128), nullable=False),
        sa.Column('issued_on', sa.Date(), nullable=False),
        sa.Column('region_id', sa.Integer(), sa.ForeignKey('region.id'), nullable=False),
        *_decision_columns(),
        sa.Column('certificate_id', sa.Integer(), sa.ForeignKey('certificate.id'), nullable=True),
    )
    op.create_index('ix_historical_registration_person_id', 'historical_registration', ['person_id'])
    op.create_index('ix_historical_registration_certificate_no', 'historical_registration', ['certificate_no'])
    op.create_index('ix_historical_queue', 'historical_registration', ['region_id', 'status', 'submitted_at', 'id'])

    op.create_table(
        'certificate_reissue',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('person_id', sa.Integer(), sa.ForeignKey('person.id'), nullable=False),
        sa.Column('certificate_id', sa.Integer(), sa.ForeignKey('certificate.id'), nullable=False),
        sa.Column('review_kind', sa.String(length=16), nullable=False),
        sa.Column('kind', sa.String(length=16), nullable=False),
        sa.Column('region_id', sa.Integer(), sa.ForeignKey('region.id'), nullable=False),
        sa.Column('office_id', sa.Integer(), sa.ForeignKey('accepting_office.id'), nullable=False),
        *_decision_columns(),
        sa.Column('new_certificate_id', sa.Integer(), sa.ForeignKey('certificate.id'), nullable=True),
    )
    op.create_index('ix_certificate_reissue_person_id', 'certificate_reissue', ['person_id'])
    op.create_index('ix_certificate_reissue_certificate_id', 'certificate_reissue', ['certificate_id'])
    op.create_index('ix_reissue_queue', 'certificate_reissue', ['region_id', 'status', 'submitted_at', 'id'])

    op.create_table(
        'certificate_request_file',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('historical_id', sa.Integer(), sa.ForeignKey('historical_registration.id'), nullable=True),
        sa.Column('reissue_id', sa.Integer(), sa.ForeignKey('certificate_reissue.id'), nullable=True),
        sa.Column('material', sa.String(length=32), nullable=False),
        sa.Column('original_name', sa.String(length=255), nullable=False),
        sa.Column('stored_name', sa.String(length=64), nullable=False, unique=True),
        sa.Column('size', sa.Integer(), nullable=False),
        sa.Column('uploaded_at', sa.DateTime(), nullable=False),
        sa.CheckConstraint('(historical_id IS NULL) <> (reissue_id IS NULL)', name='ck_request_file_one_owner'),
    )
    op.create_index('ix_certificate_request_file_historical_id', 'certificate_request_file', ['historical_id'])
    op.create_index('ix_certificate_request_file_reissue_id', 'certificate_request_file', ['reissue_id'])

    op.create_table(
        'certificate_verification',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('at', sa.DateTime(), nullable=False),
        sa.Column('certificate_id', sa.Integer(), sa.ForeignKey('certificate.id'), nullable=True),
        sa.Column('channel', sa.String(length=8), nullable=False),
        sa.Column('address', sa.String(length=64), nullable=False),
        sa.Column('unit_id', sa.Integer(), sa.ForeignKey('unit.id'), nullable=True),
        sa.Column('unit_name', sa.String(length=128), nullable=False),
    )
    op.create_index('ix_certificate_verification_at', 'certificate_verification', ['at'])
    op.create_index('ix_verification_certificate', 'certificate_verification', ['certificate_id', 'at', 'id'])


def downgrade():
    op.drop_table('certificate_verification')
    op.drop_table('certificate_request_file')
    op.drop_table('certificate_reissue')
    op.drop_table('historical_registration')
