"""Teachers' photos of their own solutions on a step that asks for them (solution_photo)

Revision ID: f2a6d81c3e57
Revises: f2a8c61d3e07
Create Date: 2026-12-01 19:05:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'f2a6d81c3e57'
down_revision = 'f2a8c61d3e07'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'solution_photo',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('meeting_id', sa.Integer(), nullable=False),
        sa.Column('participant_id', sa.Integer(), nullable=False),
        sa.Column('step_pos', sa.Integer(), nullable=False),
        sa.Column('image_name', sa.String(length=80), nullable=False),
        sa.Column('thumb_name', sa.String(length=80), nullable=False),
        sa.Column('width', sa.Integer(), nullable=False),
        sa.Column('height', sa.Integer(), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('updated_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['meeting_id'], ['meeting.id'], name=op.f('fk_solution_photo_meeting_id_meeting')),
        sa.ForeignKeyConstraint(['participant_id'], ['participant.id'],
                                name=op.f('fk_solution_photo_participant_id_participant')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_solution_photo')),
        sa.UniqueConstraint('meeting_id', 'participant_id', 'step_pos',
                            name=op.f('uq_solution_photo_meeting_participant_step')),
    )
    with op.batch_alter_table('solution_photo', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_solution_photo_meeting_id'), ['meeting_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_solution_photo_participant_id'), ['participant_id'], unique=False)


def downgrade():
    with op.batch_alter_table('solution_photo', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_solution_photo_participant_id'))
        batch_op.drop_index(batch_op.f('ix_solution_photo_meeting_id'))
    op.drop_table('solution_photo')
