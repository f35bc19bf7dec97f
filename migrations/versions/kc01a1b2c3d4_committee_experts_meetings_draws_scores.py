"""The committee (SPEC §7 M1–M1c): the expert pool, meetings and the applications they cover, every draw of
experts, the experts' assignments to meetings and their online scores

Revision ID: kc01a1b2c3d4
Revises: kb01d4f6a8c2
Create Date: 2026-12-01 15:46:53

"""
from alembic import op
import sqlalchemy as sa

revision = 'kc01a1b2c3d4'
down_revision = 'kb01d4f6a8c2'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('expert',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('committee_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=64), nullable=False),
    sa.Column('id_number', sa.String(length=32), nullable=False),
    sa.Column('mobile', sa.String(length=16), nullable=False),
    sa.Column('email', sa.String(length=320), nullable=True),
    sa.Column('work_unit_name', sa.String(length=128), nullable=False),
    sa.Column('work_unit_id', sa.Integer(), nullable=True),
    sa.Column('series_id', sa.Integer(), nullable=False),
    sa.Column('specialty_id', sa.Integer(), nullable=True),
    sa.Column('level_id', sa.Integer(), nullable=False),
    sa.Column('term_start', sa.Date(), nullable=False),
    sa.Column('term_end', sa.Date(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.ForeignKeyConstraint(['committee_id'], ['committee.id'], ),
    sa.ForeignKeyConstraint(['level_id'], ['title_level.id'], ),
    sa.ForeignKeyConstraint(['series_id'], ['title_series.id'], ),
    sa.ForeignKeyConstraint(['specialty_id'], ['specialty.id'], ),
    sa.ForeignKeyConstraint(['user_id'], ['ab_user.id'], ),
    sa.ForeignKeyConstraint(['work_unit_id'], ['unit.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('committee_id', 'id_number')
    )
    with op.batch_alter_table('expert', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_expert_committee_id'), ['committee_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_expert_id_number'), ['id_number'], unique=False)
        batch_op.create_index(batch_op.f('ix_expert_name'), ['name'], unique=False)
        batch_op.create_index('ix_expert_pool', ['committee_id', 'status', 'series_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_expert_user_id'), ['user_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_expert_work_unit_id'), ['work_unit_id'], unique=False)

    op.create_table('meeting',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('committee_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=128), nullable=False),
    sa.Column('held_on', sa.Date(), nullable=False),
    sa.Column('place', sa.String(length=128), nullable=False),
    sa.Column('expert_count', sa.Integer(), nullable=False),
    sa.Column('specialty_id', sa.Integer(), nullable=True),
    sa.Column('anonymous', sa.Boolean(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('closed_at', sa.DateTime(), nullable=True),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.ForeignKeyConstraint(['committee_id'], ['committee.id'], ),
    sa.ForeignKeyConstraint(['created_by_id'], ['ab_user.id'], ),
    sa.ForeignKeyConstraint(['specialty_id'], ['specialty.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('meeting', schema=None) as batch_op:
        batch_op.create_index('ix_meeting_committee_date', ['committee_id', 'held_on', 'id'], unique=False)
        batch_op.create_index(batch_op.f('ix_meeting_committee_id'), ['committee_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_meeting_status'), ['status'], unique=False)

    op.create_table('expert_draw',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('by_id', sa.Integer(), nullable=True),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('wanted', sa.Integer(), nullable=False),
    sa.Column('candidates', sa.Integer(), nullable=False),
    sa.Column('excluded', sa.JSON(), nullable=False),
    sa.Column('drawn', sa.JSON(), nullable=False),
    sa.Column('replaces_assignment_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['by_id'], ['ab_user.id'], ),
    sa.ForeignKeyConstraint(['meeting_id'], ['meeting.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('expert_draw', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_expert_draw_meeting_id'), ['meeting_id'], unique=False)

    op.create_table('meeting_application',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('application_id', sa.Integer(), nullable=False),
    sa.Column('added_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['application_id'], ['application.id'], ),
    sa.ForeignKeyConstraint(['meeting_id'], ['meeting.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('application_id')
    )
    with op.batch_alter_table('meeting_application', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_meeting_application_meeting_id'), ['meeting_id'], unique=False)

    op.create_table('meeting_assignment',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('expert_id', sa.Integer(), nullable=False),
    sa.Column('draw_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('pledge_accepted_at', sa.DateTime(), nullable=True),
    sa.Column('answered_at', sa.DateTime(), nullable=True),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.ForeignKeyConstraint(['draw_id'], ['expert_draw.id'], ),
    sa.ForeignKeyConstraint(['expert_id'], ['expert.id'], ),
    sa.ForeignKeyConstraint(['meeting_id'], ['meeting.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('meeting_id', 'expert_id')
    )
    with op.batch_alter_table('meeting_assignment', schema=None) as batch_op:
        batch_op.create_index('ix_meeting_assignment_expert', ['expert_id', 'status'], unique=False)
        batch_op.create_index(batch_op.f('ix_meeting_assignment_meeting_id'), ['meeting_id'], unique=False)

    op.create_table('meeting_score',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('assignment_id', sa.Integer(), nullable=False),
    sa.Column('application_id', sa.Integer(), nullable=False),
    sa.Column('score', sa.Integer(), nullable=True),
    sa.Column('opinion', sa.Text(), nullable=False),
    sa.Column('conflict', sa.Boolean(), nullable=False),
    sa.Column('submitted_at', sa.DateTime(), nullable=False),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.ForeignKeyConstraint(['application_id'], ['application.id'], ),
    sa.ForeignKeyConstraint(['assignment_id'], ['meeting_assignment.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('assignment_id', 'application_id')
    )
    with op.batch_alter_table('meeting_score', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_meeting_score_application_id'), ['application_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_meeting_score_assignment_id'), ['assignment_id'], unique=False)



def downgrade():
    with op.batch_alter_table('meeting_score', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_meeting_score_assignment_id'))
        batch_op.drop_index(batch_op.f('ix_meeting_score_application_id'))

    op.drop_table('meeting_score')
    with op.batch_alter_table('meeting_assignment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_meeting_assignment_meeting_id'))
        batch_op.drop_index('ix_meeting_assignment_expert')

    op.drop_table('meeting_assignment')
    with op.batch_alter_table('meeting_application', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_meeting_application_meeting_id'))

    op.drop_table('meeting_application')
    with op.batch_alter_table('expert_draw', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_expert_draw_meeting_id'))

    op.drop_table('expert_draw')
    with op.batch_alter_table('meeting', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_meeting_status'))
        batch_op.drop_index(batch_op.f('ix_meeting_committee_id'))
        batch_op.drop_index('ix_meeting_committee_date')

    op.drop_table('meeting')
    with op.batch_alter_table('expert', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_expert_work_unit_id'))
        batch_op.drop_index(batch_op.f('ix_expert_user_id'))
        batch_op.drop_index('ix_expert_pool')
        batch_op.drop_index(batch_op.f('ix_expert_name'))
        batch_op.drop_index(batch_op.f('ix_expert_id_number'))
        batch_op.drop_index(batch_op.f('ix_expert_committee_id'))

    op.drop_table('expert')
