"""Moves remember their mover (move.mover), so that "Undo" undoes one's own last move

Revision ID: b3d1f07a5c21
Revises: b7d2e5c8a913
Create Date: 2026-12-01 17:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b3d1f07a5c21'
down_revision = 'b7d2e5c8a913'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('move', schema=None) as batch_op:
        batch_op.add_column(sa.Column('mover', sa.String(length=40), nullable=True))


def downgrade():
    with op.batch_alter_table('move', schema=None) as batch_op:
        batch_op.drop_column('mover')
