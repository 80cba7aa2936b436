"""Anticipation carried through the sort: an anticipated group keeps its wording and who anticipated
it; a sort remembers the anticipated groups the facilitator removed; a unit's critical strategies

Revision ID: f2a8c4d61e93
Revises: c5e9a1d47b20
Create Date: 2026-12-01 19:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'f2a8c4d61e93'
down_revision = 'c5e9a1d47b20'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('sort_group', schema=None) as batch_op:
        batch_op.add_column(sa.Column('anticipated_as', sa.String(length=60), nullable=True))
        batch_op.add_column(sa.Column('anticipated_by', sa.String(length=80), nullable=True))
    # Anticipated groups made before: their name is the best record of the wording left.
    op.execute("UPDATE sort_group SET anticipated_as = name WHERE kind = 'anticipated'")
    with op.batch_alter_table('sort', schema=None) as batch_op:
        batch_op.add_column(sa.Column('dropped_anticipations', sa.JSON(), nullable=True))
    op.create_table(
        'critical_strategy',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('unit_id', sa.Integer(), nullable=False),
        sa.Column('strategy_id', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['strategy_id'], ['strategy.id'], name=op.f('fk_critical_strategy_strategy_id_strategy'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['unit_id'], ['unit.id'], name=op.f('fk_critical_strategy_unit_id_unit'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_critical_strategy')),
        sa.UniqueConstraint('unit_id', 'strategy_id', name=op.f('uq_critical_strategy_unit_id')),
    )
    with op.batch_alter_table('critical_strategy', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_critical_strategy_unit_id'), ['unit_id'], unique=False)


def downgrade():
    with op.batch_alter_table('critical_strategy', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_critical_strategy_unit_id'))
    op.drop_table('critical_strategy')
    with op.batch_alter_table('sort', schema=None) as batch_op:
        batch_op.drop_column('dropped_anticipations')
    with op.batch_alter_table('sort_group', schema=None) as batch_op:
        batch_op.drop_column('anticipated_by')
        batch_op.drop_column('anticipated_as')
