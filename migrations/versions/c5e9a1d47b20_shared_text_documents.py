"""Co-edited texts keep their Yjs document in the database (shared_text), so that several
server processes merge into one document; next steps' moves are co-edited too

Revision ID: c5e9a1d47b20
Revises: b3d1f07a5c21
Create Date: 2026-12-01 18:50:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c5e9a1d47b20'
down_revision = 'b3d1f07a5c21'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'shared_text',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('key', sa.String(length=60), nullable=False),
        sa.Column('group_id', sa.Integer(), nullable=True),
        sa.Column('next_step_id', sa.Integer(), nullable=True),
        sa.Column('doc_id', sa.String(length=32), nullable=False),
        sa.Column('state', sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(['group_id'], ['sort_group.id'], name=op.f('fk_shared_text_group_id_sort_group'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['next_step_id'], ['next_step.id'], name=op.f('fk_shared_text_next_step_id_next_step'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_shared_text')),
        sa.UniqueConstraint('key', name=op.f('uq_shared_text_key')),
    )
    with op.batch_alter_table('shared_text', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_shared_text_group_id'), ['group_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_shared_text_next_step_id'), ['next_step_id'], unique=False)


def downgrade():
    with op.batch_alter_table('shared_text', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_shared_text_next_step_id'))
        batch_op.drop_index(batch_op.f('ix_shared_text_group_id'))
    op.drop_table('shared_text')
