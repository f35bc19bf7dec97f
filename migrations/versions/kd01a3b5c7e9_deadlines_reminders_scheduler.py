"""Deadlines and the scheduler (S1, S2): 单位审核截止 and 退回修改截止 on committee periods, periods of the
businesses without a committee, the once-a-day log of reminders, 催办, overdue marks on the steps, the
navbar's unread index, the overview's covering index, and the scheduler's election row and APScheduler job store.

Revision ID: kd01a3b5c7e9
Revises: kc02b3c4d5e6
Create Date: 2026-12-01 16:00:00

"""
import sqlalchemy as sa
from alembic import op

revision = 'kd01a3b5c7e9'
down_revision = 'kc02b3c4d5e6'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('committee_period') as batch:
        batch.add_column(sa.Column('unit_review_ends_on', sa.Date(), nullable=True))
        batch.add_column(sa.Column('resubmit_ends_on', sa.Date(), nullable=True))
    with op.batch_alter_table('application_step') as batch:
        batch.add_column(sa.Column('overdue_at', sa.DateTime(), nullable=True))
    op.create_index('ix_notification_user_unread', 'notification', ['user_id', 'read'])
    op.create_index('ix_application_overview', 'application',
                    ['year', 'unit_id', 'status', 'business', 'series_id', 'level_id'])
    op.create_table(
        'business_period',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('business', sa.String(16), nullable=False),
        sa.Column('region_id', sa.Integer(), sa.ForeignKey('region.id'), nullable=False),
        sa.Column('year', sa.Integer(), nullable=False),
        sa.Column('starts_on', sa.Date(), nullable=False),
        sa.Column('ends_on', sa.Date(), nullable=False),
        sa.Column('unit_review_ends_on', sa.Date(), nullable=True),
        sa.Column('resubmit_ends_on', sa.Date(), nullable=True),
        sa.UniqueConstraint('business', 'region_id', 'year'),
    )
    op.create_index('ix_business_period_region_id', 'business_period', ['region_id'])
    op.create_index('ix_business_period_ends_on', 'business_period', ['ends_on'])
    op.create_table(
        'reminder_log',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('user_id', sa.Integer(), sa.ForeignKey('ab_user.id'), nullable=False),
        sa.Column('kind', sa.String(48), nullable=False),
        sa.Column('sent_on', sa.Date(), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.UniqueConstraint('user_id', 'kind', 'sent_on'),
    )
    op.create_index('ix_reminder_log_user_id', 'reminder_log', ['user_id'])
    op.create_table(
        'unit_urge',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('unit_id', sa.Integer(), sa.ForeignKey('unit.id'), nullable=False),
        sa.Column('bureau_user_id', sa.Integer(), sa.ForeignKey('ab_user.id'), nullable=False),
        sa.Column('overdue_count', sa.Integer(), nullable=False),
        sa.Column('note', sa.Text(), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
    )
    op.create_index('ix_unit_urge_unit_id', 'unit_urge', ['unit_id'])
    op.create_index('ix_unit_urge_bureau_user_id', 'unit_urge', ['bureau_user_id'])
    op.create_index('ix_unit_urge_created_at', 'unit_urge', ['created_at'])
    op.create_table(
        'scheduler_lock',
        sa.Column('name', sa.String(32), primary_key=True),
        sa.Column('holder', sa.String(128), nullable=False),
        sa.Column('expires_at', sa.DateTime(), nullable=False),
    )
    op.create_table(
        'apscheduler_jobs',
        sa.Column('id', sa.Unicode(191), primary_key=True),
        sa.Column('next_run_time', sa.Float(25), nullable=True),
        sa.Column('job_state', sa.LargeBinary(), nullable=False),
    )
    op.create_index('ix_apscheduler_jobs_next_run_time', 'apscheduler_jobs', ['next_run_time'])


def downgrade():
    op.drop_index('ix_apscheduler_jobs_next_run_time', table_name='apscheduler_jobs')
    op.drop_table('apscheduler_jobs')
    op.drop_table('scheduler_lock')
    for name in ('ix_unit_urge_created_at', 'ix_unit_urge_bureau_user_id', 'ix_unit_urge_unit_id'):
        op.drop_index(name, table_name='unit_urge')
    op.drop_table('unit_urge')
    op.drop_index('ix_reminder_log_user_id', table_name='reminder_log')
    op.drop_table('reminder_log')
    op.drop_index('ix_business_period_ends_on', table_name='business_period')
    op.drop_index('ix_business_period_region_id', table_name='business_period')
    op.drop_table('business_period')
    op.drop_index('ix_notification_user_unread', table_name='notification')
    op.drop_index('ix_application_overview', table_name='application')
    with op.batch_alter_table('application_step') as batch:
        batch.drop_column('overdue_at')
    with op.batch_alter_table('committee_period') as batch:
        batch.drop_column('resubmit_ends_on')
        batch.drop_column('unit_review_ends_on')
